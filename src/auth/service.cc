#include "auth/service.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <mutex>

#include "audit/audit_log.h"
#include "auth/repository.h"
#include "base/ids.h"
#include "base/text.h"
#include "org/repository.h"

namespace khien::auth {
namespace {

constexpr size_t kMaxDisplayNameChars = 100;
constexpr size_t kMinPasswordChars = 10;
constexpr size_t kMaxPasswordChars = 128;
constexpr size_t kMaxOrgUnitsPerUser = 20;
constexpr int64_t kTouchEveryMs = 5 * 60 * 1000;

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// Addresses are kept only as a hash, and only in login_failures.
std::string AddressKey(const std::string& ip) { return "ip:" + Sha256Hex("khien-login-throttle|" + ip); }
std::string UserKey(const std::string& username) { return "user:" + username; }

std::string NormaliseUsername(std::string_view raw) {
  std::string out;
  for (char ch : raw) {
    if (ch == ' ' || ch == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

bool ValidUsername(const std::string& u) {
  if (u.size() < 3 || u.size() > 32) return false;
  return std::all_of(u.begin(), u.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
  });
}

bool ValidToken(const std::string& token) {
  return token.size() == 64 && std::all_of(token.begin(), token.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
         });
}

Result<void> CheckPasswordShape(const std::string& password, const char* field) {
  if (!text::IsValidUtf8(password)) {
    return Error::InvalidInput(field, "Mật khẩu không hợp lệ.", "The password is not valid text.");
  }
  const size_t n = text::CodePointCount(password);
  if (n < kMinPasswordChars || n > kMaxPasswordChars) {
    return Error::InvalidInput(field, "Mật khẩu phải có từ 10 đến 128 ký tự.",
                               "The password must have 10 to 128 characters.");
  }
  return Ok();
}

Result<std::string> CleanDisplayName(const std::string& raw) {
  KHIEN_ASSIGN_OR_RETURN(std::string name, text::CleanInput(raw));
  if (name.empty() || text::CodePointCount(name) > kMaxDisplayNameChars) {
    return Error::InvalidInput("display_name", "Tên hiển thị phải có từ 1 đến 100 ký tự.",
                               "The display name must have 1 to 100 characters.");
  }
  return name;
}

std::string Detail(const boost::json::object& fields) { return boost::json::serialize(fields); }

Result<access::Principal> LoadPrincipal(store::Connection& c, const User& user) {
  access::Principal p;
  p.user_id = user.id;
  p.username = user.username;
  p.display_name = user.display_name;
  p.role = user.role;
  p.lang = user.lang;
  KHIEN_ASSIGN_OR_RETURN(auto paths, repository::UserOrgPaths(c, user.id));
  for (auto& [code, path] : paths) {
    p.org_codes.push_back(code);
    p.org_paths.push_back(path);
  }
  return p;
}

bool InScope(const access::Principal& caller, const User& user, store::Connection& c) {
  auto paths = repository::UserOrgPaths(c, user.id);
  if (!paths.ok()) return false;
  return std::any_of(paths->begin(), paths->end(),
                     [&](const auto& code_path) { return caller.Covers(code_path.second); });
}

// Validates org codes against the tree and the caller's scope.
Result<void> CheckOrgUnits(store::Connection& c, const access::Principal& caller,
                           const std::vector<std::string>& codes) {
  if (codes.empty() || codes.size() > kMaxOrgUnitsPerUser) {
    return Error::InvalidInput("org_units", "Tài khoản phải gắn với 1 đến 20 đơn vị.",
                               "An account must be bound to 1 to 20 org units.");
  }
  for (const std::string& code : codes) {
    auto unit = org::repository::FindByCode(c, code);
    if (!unit.ok()) {
      if (unit.error().code != ErrorCode::kNotFound) return unit.take_error();
      return Error::InvalidInput("org_units", "Đơn vị không tồn tại: " + code,
                                 "Unknown org unit: " + code);
    }
    if (!caller.Covers(unit->path)) return Error::Forbidden();
  }
  return Ok();
}

}  // namespace

access::Principal SystemPrincipal() {
  access::Principal p;
  p.username = "system";
  p.display_name = "system";
  p.role = access::Role::kAdmin;
  p.org_paths = {"/"};
  return p;
}

AuthService::AuthService(store::Database& db, AuthOptions options) : db_(db), options_(options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

Result<std::string> AuthService::HashPassword(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), options_.pwhash_ops, options_.pwhash_mem) != 0) {
    return Error::Internal("password hashing ran out of memory");
  }
  return std::string(out);
}

Result<Session> AuthService::Login(const LoginRequest& request) {
  const std::string username = NormaliseUsername(request.username);
  if (username.empty() || request.password.empty()) {
    return Error::InvalidInput(username.empty() ? "username" : "password",
                               "Vui lòng nhập tên đăng nhập và mật khẩu.",
                               "Please enter your username and password.");
  }
  const int64_t now = NowMillis();
  const int64_t since = now - options_.failure_window_ms;
  const std::string user_key = UserKey(username);
  const std::string address_key = AddressKey(request.client_ip);

  struct Precheck {
    int64_t address_failures = 0;
    std::optional<int64_t> oldest_user_failure;
    int64_t user_failures = 0;
    std::optional<repository::UserRecord> record;
  };
  KHIEN_ASSIGN_OR_RETURN(Precheck pre, store::ReadValue<Precheck>(db_, [&](store::Connection& c) -> Result<Precheck> {
    Precheck p;
    KHIEN_ASSIGN_OR_RETURN(p.address_failures, repository::CountFailures(c, address_key, since));
    KHIEN_ASSIGN_OR_RETURN(p.user_failures, repository::CountFailures(c, user_key, since));
    KHIEN_ASSIGN_OR_RETURN(p.oldest_user_failure, repository::OldestFailure(c, user_key, since));
    auto rec = repository::FindUserByUsername(c, username);
    if (rec.ok()) {
      p.record = std::move(rec).value();
    } else if (rec.error().code != ErrorCode::kNotFound) {
      return rec.take_error();
    }
    return p;
  }));

  auto refuse = [&](const char* action, Error error) -> Result<Session> {
    KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
      return audit::Append(c, {pre.record ? pre.record->user.id : "", action, "user",
                               pre.record ? pre.record->user.id : "", "", Detail(boost::json::object{{"username", username}})});
    }));
    return error;
  };
  if (pre.address_failures >= options_.max_failures_per_address) {
    return refuse("auth.throttled", Error::TooManyRequests());
  }
  if (pre.user_failures >= options_.max_failures_per_user) {
    const int64_t until = pre.oldest_user_failure.value_or(now) + options_.failure_window_ms;
    const int64_t minutes = std::max<int64_t>(1, (until - now + 59999) / 60000);
    return refuse("auth.locked_attempt",
                  Error{ErrorCode::kLocked, "",
                        "Tài khoản tạm bị khoá vì đăng nhập sai nhiều lần. Vui lòng thử lại sau " +
                            std::to_string(minutes) + " phút.",
                        "The account is locked after too many failed sign-ins. Try again in " +
                            std::to_string(minutes) + " minutes."});
  }

  // Unknown users cost the same Argon2id work as known ones, so timing reveals nothing.
  static std::once_flag dummy_once;
  static std::string dummy_hash;
  std::call_once(dummy_once, [&] { dummy_hash = HashPassword("khien-dummy-password").value(); });
  const std::string& stored = pre.record ? pre.record->password_hash : dummy_hash;
  const bool password_ok =
      crypto_pwhash_str_verify(stored.c_str(), request.password.data(), request.password.size()) == 0;
  const bool ok = password_ok && pre.record && !pre.record->user.disabled;

  if (!ok) {
    KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(repository::AddFailure(c, user_key, now));
      KHIEN_RETURN_IF_ERROR(repository::AddFailure(c, address_key, now));
      KHIEN_RETURN_IF_ERROR(repository::PruneFailures(c, now - 24 * 3600 * 1000));
      const std::string id = pre.record ? pre.record->user.id : "";
      KHIEN_RETURN_IF_ERROR(audit::Append(
          c, {id, "auth.login_failed", "user", id, "",
              Detail(boost::json::object{{"username", username},
                      {"reason", !pre.record ? "unknown_user" : (pre.record->user.disabled ? "disabled" : "bad_password")}})}));
      if (pre.user_failures + 1 == options_.max_failures_per_user) {
        KHIEN_RETURN_IF_ERROR(audit::Append(c, {id, "auth.locked", "user", id, "", Detail(boost::json::object{{"username", username}})}));
      }
      return Ok();
    }));
    return Error{ErrorCode::kUnauthorized, "", "Tên đăng nhập hoặc mật khẩu không đúng.",
                 "Wrong username or password."};
  }

  Session session;
  session.token = RandomHex(32);
  session.csrf_token = RandomHex(16);
  session.user = pre.record->user;
  repository::SessionRecord record{session.user.id, session.csrf_token, now, now,
                                   now + options_.session_idle_ms};
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(repository::ClearFailures(c, user_key));
    KHIEN_RETURN_IF_ERROR(repository::InsertSession(c, Sha256Hex(session.token), record));
    return audit::Append(c, {session.user.id, "auth.login", "user", session.user.id, "", "{}"});
  }));
  return session;
}

Result<void> AuthService::Logout(const std::string& token) {
  if (!ValidToken(token)) return Ok();
  return db_.Write([&](store::Connection& c) -> Result<void> {
    auto session = repository::FindSession(c, Sha256Hex(token));
    if (!session.ok()) return Ok();
    KHIEN_RETURN_IF_ERROR(repository::DeleteSession(c, Sha256Hex(token)));
    return audit::Append(c, {session->user_id, "auth.logout", "user", session->user_id, "", "{}"});
  });
}

Result<Authenticated> AuthService::Authenticate(const std::string& token) {
  if (!ValidToken(token)) return Error::Unauthorized();
  const std::string hash = Sha256Hex(token);
  const int64_t now = NowMillis();
  struct Loaded {
    Authenticated auth;
    repository::SessionRecord session;
  };
  KHIEN_ASSIGN_OR_RETURN(Loaded loaded, store::ReadValue<Loaded>(db_, [&](store::Connection& c) -> Result<Loaded> {
    KHIEN_ASSIGN_OR_RETURN(repository::SessionRecord s, repository::FindSession(c, hash));
    if (s.expires_at <= now) return Error::Unauthorized();
    auto rec = repository::FindUserById(c, s.user_id);
    if (!rec.ok() || rec->user.disabled) return Error::Unauthorized();
    KHIEN_ASSIGN_OR_RETURN(access::Principal p, LoadPrincipal(c, rec->user));
    return Loaded{{std::move(p), s.csrf_token}, s};
  }));
  if (now - loaded.session.last_seen_at > kTouchEveryMs) {
    const int64_t expires = std::min(loaded.session.created_at + options_.session_absolute_ms,
                                     now + options_.session_idle_ms);
    KHIEN_RETURN_IF_ERROR(db_.Write(
        [&](store::Connection& c) { return repository::TouchSession(c, hash, now, expires); }));
  }
  return std::move(loaded.auth);
}

Result<User> AuthService::Me(const access::Principal& caller) {
  return store::ReadValue<User>(db_, [&](store::Connection& c) -> Result<User> {
    KHIEN_ASSIGN_OR_RETURN(repository::UserRecord rec, repository::FindUserById(c, caller.user_id));
    return std::move(rec.user);
  });
}

Result<User> AuthService::UpdateMe(const access::Principal& caller, std::optional<std::string> lang,
                                   std::optional<std::string> display_name) {
  if (lang && *lang != "vi" && *lang != "en") {
    return Error::InvalidInput("lang", "Ngôn ngữ phải là \"vi\" hoặc \"en\".", "lang must be \"vi\" or \"en\".");
  }
  if (display_name) {
    KHIEN_ASSIGN_OR_RETURN(*display_name, CleanDisplayName(*display_name));
  }
  return store::WriteValue<User>(db_, [&](store::Connection& c) -> Result<User> {
    KHIEN_ASSIGN_OR_RETURN(repository::UserRecord rec, repository::FindUserById(c, caller.user_id));
    if (lang) rec.user.lang = *lang;
    if (display_name) rec.user.display_name = *display_name;
    KHIEN_RETURN_IF_ERROR(repository::UpdateUser(c, rec.user));
    return std::move(rec.user);
  });
}

Result<void> AuthService::ChangePassword(const access::Principal& caller, const std::string& current,
                                         const std::string& replacement, const std::string& keep_token) {
  KHIEN_RETURN_IF_ERROR(CheckPasswordShape(replacement, "new_password"));
  KHIEN_ASSIGN_OR_RETURN(repository::UserRecord rec,
                         store::ReadValue<repository::UserRecord>(db_, [&](store::Connection& c) {
                           return repository::FindUserById(c, caller.user_id);
                         }));
  if (crypto_pwhash_str_verify(rec.password_hash.c_str(), current.data(), current.size()) != 0) {
    return Error{ErrorCode::kUnauthorized, "current_password", "Mật khẩu hiện tại không đúng.",
                 "The current password is wrong."};
  }
  KHIEN_ASSIGN_OR_RETURN(std::string hash, HashPassword(replacement));
  return db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(repository::UpdatePasswordHash(c, caller.user_id, hash));
    KHIEN_RETURN_IF_ERROR(repository::DeleteUserSessions(c, caller.user_id,
                                                         ValidToken(keep_token) ? Sha256Hex(keep_token) : ""));
    return audit::Append(c, {caller.user_id, "auth.password_changed", "user", caller.user_id, "", "{}"});
  });
}

Result<std::vector<User>> AuthService::ListUsers(const access::Principal& caller, const std::string& query) {
  if (!caller.Can(access::Permission::kViewUsers)) return Error::Forbidden();
  KHIEN_ASSIGN_OR_RETURN(std::string cleaned, text::CleanInput(query));
  if (text::CodePointCount(cleaned) > 100) {
    return Error::InvalidInput("q", "Từ khoá tìm kiếm quá dài.", "The search text is too long.");
  }
  const std::string folded = text::Fold(cleaned);
  return store::ReadValue<std::vector<User>>(db_, [&](store::Connection& c) {
    return repository::ListUsers(c, caller.org_paths, folded, 200);
  });
}

Result<User> AuthService::CreateUser(const access::Principal& caller, NewUser input) {
  if (!caller.Can(access::Permission::kManageUsers)) return Error::Forbidden();
  User user;
  user.username = NormaliseUsername(input.username);
  if (!ValidUsername(user.username)) {
    return Error::InvalidInput("username",
                               "Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang.",
                               "A username has 3–32 characters: a–z, 0–9, '.', '_' or '-'.");
  }
  KHIEN_ASSIGN_OR_RETURN(user.display_name, CleanDisplayName(input.display_name));
  KHIEN_RETURN_IF_ERROR(CheckPasswordShape(input.password, "password"));
  auto role = access::ParseRole(input.role);
  if (!role) return Error::InvalidInput("role", "Vai trò không hợp lệ.", "Unknown role.");
  if (*role == access::Role::kAdmin && caller.role != access::Role::kAdmin) return Error::Forbidden();
  user.role = *role;
  user.id = NewId();
  user.created_at = NowMillis();
  std::sort(input.org_codes.begin(), input.org_codes.end());
  input.org_codes.erase(std::unique(input.org_codes.begin(), input.org_codes.end()), input.org_codes.end());
  KHIEN_RETURN_IF_ERROR(db_.Read([&](store::Connection& c) { return CheckOrgUnits(c, caller, input.org_codes); }));
  KHIEN_ASSIGN_OR_RETURN(std::string hash, HashPassword(input.password));
  return store::WriteValue<User>(db_, [&](store::Connection& c) -> Result<User> {
    auto inserted = repository::InsertUser(c, user, hash);
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kConflict) {
        return Error::Conflict("username", "Tên đăng nhập đã được dùng.", "This username is taken.");
      }
      return inserted.take_error();
    }
    KHIEN_RETURN_IF_ERROR(repository::ReplaceOrgUnits(c, user.id, input.org_codes));
    boost::json::array codes(input.org_codes.begin(), input.org_codes.end());
    KHIEN_RETURN_IF_ERROR(audit::Append(
        c, {caller.user_id, "user.created", "user", user.id, input.org_codes.front(),
            Detail(boost::json::object{{"username", user.username}, {"role", access::RoleName(user.role)}, {"org_units", codes}})}));
    KHIEN_ASSIGN_OR_RETURN(repository::UserRecord rec, repository::FindUserById(c, user.id));
    return std::move(rec.user);
  });
}

Result<User> AuthService::UpdateUser(const access::Principal& caller, const std::string& id, UserPatch patch) {
  if (!caller.Can(access::Permission::kManageUsers)) return Error::Forbidden();
  std::optional<access::Role> role;
  if (patch.role) {
    role = access::ParseRole(*patch.role);
    if (!role) return Error::InvalidInput("role", "Vai trò không hợp lệ.", "Unknown role.");
    if (*role == access::Role::kAdmin && caller.role != access::Role::kAdmin) return Error::Forbidden();
  }
  if (patch.display_name) {
    KHIEN_ASSIGN_OR_RETURN(*patch.display_name, CleanDisplayName(*patch.display_name));
  }
  std::optional<std::string> new_hash;
  if (patch.password) {
    KHIEN_RETURN_IF_ERROR(CheckPasswordShape(*patch.password, "password"));
    KHIEN_ASSIGN_OR_RETURN(new_hash, HashPassword(*patch.password));
  }
  if (patch.org_codes) {
    std::sort(patch.org_codes->begin(), patch.org_codes->end());
    patch.org_codes->erase(std::unique(patch.org_codes->begin(), patch.org_codes->end()), patch.org_codes->end());
  }
  if (id == caller.user_id && ((patch.disabled && *patch.disabled) || (role && *role != caller.role))) {
    return Error::InvalidInput("id", "Bạn không thể tự khoá hoặc đổi vai trò của chính mình.",
                               "You cannot disable yourself or change your own role.");
  }
  return store::WriteValue<User>(db_, [&](store::Connection& c) -> Result<User> {
    auto found = repository::FindUserById(c, id);
    if (!found.ok() || !InScope(caller, found->user, c)) {
      if (!found.ok() && found.error().code != ErrorCode::kNotFound) return found.take_error();
      return Error::NotFound("Không tìm thấy tài khoản.", "Account not found.");
    }
    User user = std::move(found->user);
    std::vector<audit::Event> events;
    if (role && *role != user.role) {
      events.push_back({caller.user_id, "user.role_changed", "user", id, "",
                        Detail(boost::json::object{{"from", access::RoleName(user.role)}, {"to", access::RoleName(*role)}})});
      user.role = *role;
    }
    if (patch.disabled && *patch.disabled != user.disabled) {
      user.disabled = *patch.disabled;
      events.push_back({caller.user_id, user.disabled ? "user.disabled" : "user.enabled", "user", id, "", "{}"});
      if (user.disabled) KHIEN_RETURN_IF_ERROR(repository::DeleteUserSessions(c, id, ""));
    }
    if (patch.display_name) user.display_name = *patch.display_name;
    KHIEN_RETURN_IF_ERROR(repository::UpdateUser(c, user));
    if (patch.org_codes) {
      KHIEN_RETURN_IF_ERROR(CheckOrgUnits(c, caller, *patch.org_codes));
      KHIEN_RETURN_IF_ERROR(repository::ReplaceOrgUnits(c, id, *patch.org_codes));
      boost::json::array codes(patch.org_codes->begin(), patch.org_codes->end());
      events.push_back({caller.user_id, "user.org_units_changed", "user", id, "", Detail(boost::json::object{{"org_units", codes}})});
    }
    if (new_hash) {
      KHIEN_RETURN_IF_ERROR(repository::UpdatePasswordHash(c, id, *new_hash));
      KHIEN_RETURN_IF_ERROR(repository::DeleteUserSessions(c, id, ""));
      events.push_back({caller.user_id, "user.password_reset", "user", id, "", "{}"});
    }
    for (const audit::Event& e : events) KHIEN_RETURN_IF_ERROR(audit::Append(c, e));
    KHIEN_ASSIGN_OR_RETURN(repository::UserRecord rec, repository::FindUserById(c, id));
    return std::move(rec.user);
  });
}

Result<User> AuthService::FindByUsername(const access::Principal& caller, const std::string& username) {
  if (!caller.Can(access::Permission::kViewUsers)) return Error::Forbidden();
  return store::ReadValue<User>(db_, [&](store::Connection& c) -> Result<User> {
    KHIEN_ASSIGN_OR_RETURN(repository::UserRecord rec,
                           repository::FindUserByUsername(c, NormaliseUsername(username)));
    if (!InScope(caller, rec.user, c)) return Error::NotFound("Không tìm thấy tài khoản.", "Account not found.");
    return std::move(rec.user);
  });
}

}  // namespace khien::auth
