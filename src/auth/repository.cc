#include "auth/repository.h"

#include "base/ids.h"
#include "base/text.h"

namespace khien::auth::repository {
namespace {

constexpr const char* kUserColumns =
    "id, username, display_name, role, lang, disabled, created_at, password_hash";

Result<void> LoadOrgUnits(store::Connection& c, User& user) {
  KHIEN_ASSIGN_OR_RETURN(
      store::Rows rows,
      c.Query("SELECT o.code, o.name, o.level FROM user_org_units uo "
              "JOIN org_units o ON o.code = uo.org_code WHERE uo.user_id = $1 ORDER BY o.path",
              {user.id}));
  user.org_units.clear();
  for (size_t i = 0; i < rows.size(); ++i) {
    user.org_units.push_back(
        {rows[i].Text(0), rows[i].Text(1), org::ParseLevel(rows[i].Text(2)).value_or(org::Level::kProvince)});
  }
  return Ok();
}

UserRecord FromRow(const store::Row& r) {
  UserRecord rec;
  rec.user.id = r.Text(0);
  rec.user.username = r.Text(1);
  rec.user.display_name = r.Text(2);
  rec.user.role = access::ParseRole(r.Text(3)).value_or(access::Role::kViewer);
  rec.user.lang = r.Text(4);
  rec.user.disabled = r.Int(5) != 0;
  rec.user.created_at = r.Int(6);
  rec.password_hash = r.Text(7);
  return rec;
}

Result<UserRecord> FindUserWhere(store::Connection& c, const char* column, const std::string& value) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE " + column +
                                     " = $1",
                                 {value}));
  if (rows.empty()) return Error::NotFound("Không tìm thấy tài khoản.", "Account not found.");
  UserRecord rec = FromRow(rows[0]);
  KHIEN_RETURN_IF_ERROR(LoadOrgUnits(c, rec.user));
  return rec;
}

}  // namespace

Result<UserRecord> FindUserById(store::Connection& c, const std::string& id) {
  return FindUserWhere(c, "id", id);
}

Result<UserRecord> FindUserByUsername(store::Connection& c, const std::string& username) {
  return FindUserWhere(c, "username", username);
}

Result<std::vector<std::pair<std::string, std::string>>> UserOrgPaths(store::Connection& c,
                                                                      const std::string& user_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT o.code, o.path FROM user_org_units uo JOIN org_units o "
                                 "ON o.code = uo.org_code WHERE uo.user_id = $1 ORDER BY o.path",
                                 {user_id}));
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < rows.size(); ++i) out.emplace_back(rows[i].Text(0), rows[i].Text(1));
  return out;
}

Result<void> InsertUser(store::Connection& c, const User& u, const std::string& password_hash) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO users (id, username, display_name, display_fold, password_hash, role, lang, "
      "disabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
      {u.id, u.username, u.display_name, text::Fold(u.display_name), password_hash,
       std::string(access::RoleName(u.role)), u.lang, int64_t{u.disabled ? 1 : 0}, u.created_at}));
  return Ok();
}

Result<void> ReplaceOrgUnits(store::Connection& c, const std::string& user_id,
                             const std::vector<std::string>& codes) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM user_org_units WHERE user_id = $1", {user_id}));
  for (const std::string& code : codes) {
    KHIEN_RETURN_IF_ERROR(c.Execute(
        "INSERT INTO user_org_units (user_id, org_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {user_id, code}));
  }
  return Ok();
}

Result<void> UpdateUser(store::Connection& c, const User& u) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE users SET display_name = $2, display_fold = $3, role = $4, lang = $5, disabled = $6, "
      "updated_at = $7 WHERE id = $1",
      {u.id, u.display_name, text::Fold(u.display_name), std::string(access::RoleName(u.role)), u.lang,
       int64_t{u.disabled ? 1 : 0}, NowMillis()}));
  return Ok();
}

Result<void> UpdatePasswordHash(store::Connection& c, const std::string& user_id,
                                const std::string& password_hash) {
  KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
                                  {user_id, password_hash, NowMillis()}));
  return Ok();
}

Result<std::vector<User>> ListUsers(store::Connection& c, const std::vector<std::string>& scope_paths,
                                    const std::string& folded_query, int limit) {
  std::string sql = std::string("SELECT ") + kUserColumns + " FROM users u WHERE EXISTS (SELECT 1 FROM "
                    "user_org_units uo JOIN org_units o ON o.code = uo.org_code WHERE uo.user_id = u.id AND (";
  store::Params params;
  auto bind = [&](store::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  for (size_t i = 0; i < scope_paths.size(); ++i) {
    auto [first, second] = access::SubtreeRange(scope_paths[i]);
    if (i > 0) sql += " OR ";
    sql += "(o.path >= " + bind(first) + " AND o.path < " + bind(second) + ")";
  }
  if (scope_paths.empty()) sql += "1 = 0";
  sql += "))";
  if (!folded_query.empty()) {
    std::string like;
    for (char ch : folded_query) {
      if (ch == '%' || ch == '_' || ch == '\\') like.push_back('\\');
      like.push_back(ch);
    }
    const std::string p = bind("%" + like + "%");
    sql += " AND (u.display_fold LIKE " + p + " ESCAPE '\\' OR u.username LIKE " + p + " ESCAPE '\\')";
  }
  sql += " ORDER BY u.display_fold, u.username LIMIT " + bind(static_cast<int64_t>(limit));
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::vector<User> users;
  for (size_t i = 0; i < rows.size(); ++i) {
    UserRecord rec = FromRow(rows[i]);
    KHIEN_RETURN_IF_ERROR(LoadOrgUnits(c, rec.user));
    users.push_back(std::move(rec.user));
  }
  return users;
}

Result<void> InsertSession(store::Connection& c, const std::string& token_hash, const SessionRecord& s) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at}));
  return Ok();
}

Result<SessionRecord> FindSession(store::Connection& c, const std::string& token_hash) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT user_id, csrf_token, created_at, last_seen_at, expires_at "
                                 "FROM sessions WHERE token_hash = $1",
                                 {token_hash}));
  if (rows.empty()) return Error::Unauthorized();
  return SessionRecord{rows[0].Text(0), rows[0].Text(1), rows[0].Int(2), rows[0].Int(3), rows[0].Int(4)};
}

Result<void> TouchSession(store::Connection& c, const std::string& token_hash, int64_t now,
                          int64_t expires_at) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1",
      {token_hash, now, expires_at}));
  return Ok();
}

Result<void> DeleteSession(store::Connection& c, const std::string& token_hash) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM sessions WHERE token_hash = $1", {token_hash}));
  return Ok();
}

Result<void> DeleteUserSessions(store::Connection& c, const std::string& user_id,
                                const std::string& keep_hash) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                                  {user_id, keep_hash}));
  return Ok();
}

Result<int64_t> CountFailures(store::Connection& c, const std::string& key, int64_t since) {
  KHIEN_ASSIGN_OR_RETURN(
      store::Rows rows,
      c.Query("SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND at >= $2", {key, since}));
  return rows[0].Int(0);
}

Result<std::optional<int64_t>> OldestFailure(store::Connection& c, const std::string& key, int64_t since) {
  KHIEN_ASSIGN_OR_RETURN(
      store::Rows rows,
      c.Query("SELECT MIN(at) FROM login_failures WHERE throttle_key = $1 AND at >= $2", {key, since}));
  return rows[0].OptInt(0);
}

Result<void> AddFailure(store::Connection& c, const std::string& key, int64_t at) {
  KHIEN_RETURN_IF_ERROR(
      c.Execute("INSERT INTO login_failures (throttle_key, at) VALUES ($1, $2)", {key, at}));
  return Ok();
}

Result<void> ClearFailures(store::Connection& c, const std::string& key) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM login_failures WHERE throttle_key = $1", {key}));
  return Ok();
}

Result<void> PruneFailures(store::Connection& c, int64_t before) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM login_failures WHERE at < $1", {before}));
  return Ok();
}

}  // namespace khien::auth::repository
