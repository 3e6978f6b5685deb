#include "cases/service.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>

#include "audit/audit_log.h"
#include "base/ids.h"
#include "base/text.h"
#include "cases/gbvims.h"
#include "cases/internal.h"
#include "cases/repository.h"
#include "cases/stats.h"
#include "org/repository.h"

namespace khien::cases {
namespace {

using access::Principal;
using access::Role;
namespace bj = boost::json;

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kReportCodeChars = 16;  // 80 random bits: not guessable under rate limits
constexpr size_t kMaxDescriptionChars = 4000;
constexpr size_t kMaxIdentityChars = 200;
constexpr int kMaxAssignees = 10;

}  // namespace

std::string Detail(bj::object fields) { return bj::serialize(fields); }

bool ValidIdShape(const std::string& id) {
  return !id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0;
  });
}

std::chrono::year_month_day TodayInVietnam() {
  return std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + std::chrono::hours(7)));
}

std::string FormatDate(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<std::chrono::year_month_day> ParseDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  const std::chrono::year_month_day d{std::chrono::year(std::stoi(s.substr(0, 4))),
                                      std::chrono::month(static_cast<unsigned>(std::stoi(s.substr(5, 2)))),
                                      std::chrono::day(static_cast<unsigned>(std::stoi(s.substr(8, 2))))};
  if (!d.ok()) return std::nullopt;
  return d;
}

namespace {

std::string RandomChars(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kCrockford[randombytes_uniform(32)]);
  return out;
}

// Survivor code prefix: initials of the commune's folded name ("Đắk Liêng" → "DL").
std::string CodePrefix(const std::string& name) {
  std::string folded = text::Fold(name), out;
  bool start = true;
  for (char ch : folded) {
    if (ch == ' ') {
      start = true;
    } else if (start && std::isalpha(static_cast<unsigned char>(ch))) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
      start = false;
    } else {
      start = false;
    }
    if (out.size() == 2) break;
  }
  while (out.size() < 2) out.push_back('X');
  return out;
}

// Canonical form of a typed report code: upper case, no spaces or hyphens, I/L→1, O→0.
std::string NormaliseReportCode(const std::string& raw) {
  std::string out;
  for (char ch : raw) {
    if (ch == '-' || ch == ' ') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (u == 'I' || u == 'L') u = '1';
    if (u == 'O') u = '0';
    out.push_back(u);
  }
  return out;
}

std::string FormatReportCode(const std::string& chars) {
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(chars[i]);
  }
  return out;
}

Error NoKey() {
  return Error{ErrorCode::kUnavailable, "",
               "Chưa cấu hình tệp khoá (--key-file): không thể xử lý hồ sơ vụ việc.",
               "No key file is configured (--key-file): case records are unavailable."};
}

Error ConsentRequired(std::string vi, std::string en) {
  return Error{ErrorCode::kConsentRequired, "consent", std::move(vi), std::move(en)};
}

}  // namespace

Error CaseNotFound() { return Error::NotFound("Không tìm thấy hồ sơ.", "Case not found."); }

Error CaseClosed() {
  return Error::Conflict("case_closed", "Hồ sơ đã đóng: chỉ được xem, không được sửa.",
                         "The case is closed: it is read-only.");
}

Result<void> RequireOpen(const repository::CaseRow& row) {
  if (row.status == "closed") return CaseClosed();
  return Ok();
}

namespace {

Result<std::optional<std::string>> CleanIdentity(const std::optional<std::string>& raw, const char* field) {
  if (!raw) return std::optional<std::string>();
  KHIEN_ASSIGN_OR_RETURN(std::string v, text::CleanInput(*raw));
  if (text::CodePointCount(v) > kMaxIdentityChars) {
    return Error::InvalidInput(field, "Giá trị quá dài (tối đa 200 ký tự).", "Too long (at most 200 characters).");
  }
  if (v.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(v));
}

Result<void> CheckSex(const std::string& sex) {
  static constexpr std::string_view kSexes[] = {"female", "male", "other", "unknown"};
  if (!gbvims::IsOneOf(sex, kSexes, std::size(kSexes))) {
    return Error::InvalidInput("sex", "Giới tính không hợp lệ (female, male, other, unknown).",
                               "sex must be female, male, other or unknown.");
  }
  return Ok();
}

Result<void> CheckBirthYear(const std::optional<int64_t>& year) {
  if (year && (*year < 1900 || *year > static_cast<int>(TodayInVietnam().year()))) {
    return Error::InvalidInput("birth_year", "Năm sinh không hợp lệ.", "The birth year is not valid.");
  }
  return Ok();
}

std::string FirstSegment(const std::string& path) {  // "/66/24595/" → "/66/"
  const size_t slash = path.find('/', 1);
  return slash == std::string::npos ? path : path.substr(0, slash + 1);
}

}  // namespace

std::string CommuneOf(const std::string& path) {  // "/66/24595/v1/" → "24595"
  const size_t a = path.find('/', 1);
  if (a == std::string::npos) return "";
  const size_t b = path.find('/', a + 1);
  return b == std::string::npos ? "" : path.substr(a + 1, b - a - 1);
}

namespace {

bool MayWorkOnCases(Role role) {
  return role == Role::kCaseWorker || role == Role::kCommuneOfficer || role == Role::kProvinceOfficer ||
         role == Role::kTrustedAddress;
}

// True if the trusted-address keeper (or a unit account) is the provider of `referral`: the
// provider is one of her units, or a trusted-address point under one of them.
Result<bool> IsProvider(store::Connection& c, const Principal& caller, const repository::ReferralRow& r) {
  if (caller.role != Role::kTrustedAddress && caller.role != Role::kCommuneOfficer) return false;
  if (std::find(caller.org_codes.begin(), caller.org_codes.end(), r.referral.provider) != caller.org_codes.end()) {
    return true;
  }
  if (caller.role != Role::kTrustedAddress || !caller.Covers(r.provider_path)) return false;
  KHIEN_ASSIGN_OR_RETURN(org::OrgUnit unit, org::repository::FindByCode(c, r.referral.provider));
  return unit.kind && *unit.kind == "trusted_address";
}

}  // namespace

Result<Grant> Decide(store::Connection& c, const Principal& caller, const repository::CaseRow& row, int64_t now) {
  Grant g;
  if (!MayWorkOnCases(caller.role) || caller.user_id.empty()) return g;
  if (caller.role != Role::kTrustedAddress) {
    if (row.owner_id == caller.user_id) return Grant{Level::kFull, "owner", true, std::nullopt};
    KHIEN_ASSIGN_OR_RETURN(auto assignees, repository::Assignees(c, row.id));
    if (std::find(assignees.begin(), assignees.end(), caller.user_id) != assignees.end()) {
      return Grant{Level::kFull, "assigned", true, std::nullopt};
    }
    KHIEN_ASSIGN_OR_RETURN(bool glass, repository::HasActiveBreakGlass(c, row.id, caller.user_id, now));
    if (glass) return Grant{Level::kFull, "break_glass", true, std::nullopt};
    if (caller.role == Role::kCommuneOfficer && caller.Covers(row.org_path)) {
      return Grant{Level::kSupervisor, "supervisor", false, std::nullopt};
    }
  }
  KHIEN_ASSIGN_OR_RETURN(auto referrals, repository::Referrals(c, row.id));
  for (auto& r : referrals) {
    if (r.referral.status != "sent" && r.referral.status != "accepted") continue;
    KHIEN_ASSIGN_OR_RETURN(bool provider, IsProvider(c, caller, r));
    if (provider) {
      const bool identity = r.referral.share_identity;
      return Grant{Level::kShared, "referral", identity, std::move(r)};
    }
  }
  return g;
}

namespace {

Result<Identity> DecryptIdentity(const MasterKey& key, const repository::CaseRow& row) {
  KHIEN_ASSIGN_OR_RETURN(DataKey dk, key.Unwrap(row.data_key, row.key_id, row.id));
  Identity out;
  auto open = [&](const std::optional<std::string>& enc, const char* field,
                  std::optional<std::string>& dst) -> Result<void> {
    if (!enc) return Ok();
    KHIEN_ASSIGN_OR_RETURN(std::string plain, DecryptField(dk, row.id, field, *enc));
    dst = std::move(plain);
    return Ok();
  };
  KHIEN_RETURN_IF_ERROR(open(row.name_enc, "name", out.name));
  KHIEN_RETURN_IF_ERROR(open(row.phone_enc, "phone", out.phone));
  KHIEN_RETURN_IF_ERROR(open(row.address_enc, "address", out.address));
  KHIEN_RETURN_IF_ERROR(open(row.contact_enc, "contact", out.contact));
  return out;
}

Result<void> EncryptIdentity(const MasterKey& key, const Identity& id, repository::CaseRow& row) {
  KHIEN_ASSIGN_OR_RETURN(DataKey dk, key.Unwrap(row.data_key, row.key_id, row.id));
  auto seal = [&](const std::optional<std::string>& v, const char* field) -> std::optional<std::string> {
    if (!v) return std::nullopt;
    return EncryptField(dk, row.id, field, *v);
  };
  row.name_enc = seal(id.name, "name");
  row.phone_enc = seal(id.phone, "phone");
  row.address_enc = seal(id.address, "address");
  row.contact_enc = seal(id.contact, "contact");
  row.blind_index = id.name ? std::optional<std::string>(key.BlindIndex(DuplicateKey(*id.name, row.birth_year)))
                            : std::nullopt;
  return Ok();
}

}  // namespace

Result<CaseView> BuildView(store::Connection& c, const MasterKey& key, const repository::CaseRow& row,
                           const Grant& g, const Principal& caller) {
  CaseView v;
  v.id = row.id;
  v.survivor_code = row.survivor_code;
  v.org_code = row.org_code;
  v.status = row.status;
  v.sex = row.sex;
  v.birth_year = row.birth_year;
  v.high_risk = row.high_risk;
  v.owned = row.owner_id == caller.user_id;
  v.access = g.why;
  v.created_at = row.created_at;
  v.updated_at = row.updated_at;
  if (g.identity) {
    KHIEN_ASSIGN_OR_RETURN(v.identity, DecryptIdentity(key, row));
    v.identity_visible = true;
  }
  if (g.level == Level::kShared) {
    // A provider sees the referral that concerns her, nothing else of the case.
    v.referrals.push_back(g.via->referral);
    return v;
  }
  v.ethnicity = row.ethnicity;
  v.disability = row.disability;
  KHIEN_ASSIGN_OR_RETURN(v.incidents, repository::Incidents(c, row.id));
  KHIEN_ASSIGN_OR_RETURN(v.consents, repository::Consents(c, row.id));
  KHIEN_ASSIGN_OR_RETURN(auto refs, repository::Referrals(c, row.id));
  for (auto& r : refs) v.referrals.push_back(std::move(r.referral));
  if (g.level == Level::kFull && row.blind_index) {
    KHIEN_ASSIGN_OR_RETURN(v.possible_duplicates, repository::SameBlindIndex(c, *row.blind_index, row.id));
  }
  KHIEN_RETURN_IF_ERROR(AddFollowUp(c, key, row, g, v));
  return v;
}

namespace {

Result<std::string> UserIdByUsername(store::Connection& c, const std::string& username) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT id, role FROM users WHERE username = $1 AND disabled = 0", {username}));
  if (rows.empty() || rows[0].Text(1) == "admin") {
    return Error::InvalidInput("assigned", "Không tìm thấy người được giao: " + username,
                               "Unknown assignee: " + username);
  }
  return rows[0].Text(0);
}

}  // namespace

CaseService::CaseService(store::Database& db, std::shared_ptr<const MasterKey> key, CasesOptions options)
    : db_(db), key_(std::move(key)), options_(options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

Result<const MasterKey*> CaseService::Key() const {
  if (!key_) return NoKey();
  return key_.get();
}

Result<void> CaseService::Deny(const Principal& caller, const std::string& id, std::string_view action) {
  return db_.Write([&](store::Connection& c) -> Result<void> {
    return audit::Append(c, {caller.user_id, "case.denied", "case", ValidIdShape(id) ? id : "(invalid)", "",
                             Detail({{"attempted", action}, {"role", access::RoleName(caller.role)}})});
  });
}

Result<CaseView> CaseService::Create(const Principal& caller, NewCase in) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  if (caller.role != Role::kCaseWorker && caller.role != Role::kCommuneOfficer) {
    KHIEN_RETURN_IF_ERROR(Deny(caller, "", "create"));
    return Error::Forbidden();
  }
  Identity id;
  KHIEN_ASSIGN_OR_RETURN(id.name, CleanIdentity(in.identity.name, "name"));
  KHIEN_ASSIGN_OR_RETURN(id.phone, CleanIdentity(in.identity.phone, "phone"));
  KHIEN_ASSIGN_OR_RETURN(id.address, CleanIdentity(in.identity.address, "address"));
  KHIEN_ASSIGN_OR_RETURN(id.contact, CleanIdentity(in.identity.contact, "contact"));
  KHIEN_RETURN_IF_ERROR(CheckSex(in.sex));
  KHIEN_RETURN_IF_ERROR(CheckBirthYear(in.birth_year));
  const int64_t now = NowMillis();
  return store::WriteValue<CaseView>(db_, [&](store::Connection& c) -> Result<CaseView> {
    auto unit = org::repository::FindByCode(c, in.org_unit);
    if (!unit.ok() || (unit->level != org::Level::kCommune && unit->level != org::Level::kVillage)) {
      return Error::InvalidInput("org_unit", "Đơn vị phải là xã/phường hoặc thôn/buôn có thật.",
                                 "org_unit must be an existing commune or village.");
    }
    if (!caller.Covers(unit->path)) return Error::Forbidden();
    std::string commune_name = unit->name;
    if (unit->level == org::Level::kVillage && !unit->ancestors.empty()) commune_name = unit->ancestors.back().name;
    repository::CaseRow row;
    row.id = NewId();
    for (int attempt = 0; attempt < 8; ++attempt) {
      row.survivor_code = CodePrefix(commune_name) + "-" + RandomChars(5);
      KHIEN_ASSIGN_OR_RETURN(bool taken, repository::SurvivorCodeExists(c, row.survivor_code));
      if (!taken) break;
      if (attempt == 7) return Error::Internal("could not allocate a survivor code");
    }
    row.org_code = unit->code;
    row.org_path = unit->path;
    row.owner_id = caller.user_id;
    row.status = "open";
    row.sex = in.sex;
    row.birth_year = in.birth_year;
    if (in.ethnicity) {
      KHIEN_ASSIGN_OR_RETURN(std::string e, text::CleanInput(*in.ethnicity));
      if (!e.empty()) row.ethnicity = e.substr(0, 60);
    }
    row.disability = in.disability;
    if (unit->level == org::Level::kVillage) row.village_code = unit->code;
    row.key_id = key->id();
    row.data_key = key->Wrap(DataKey::Random(), row.id);
    KHIEN_RETURN_IF_ERROR(EncryptIdentity(*key, id, row));
    row.created_at = row.updated_at = now;
    if (in.report_code || in.report_id) {
      auto report = in.report_id ? (ValidIdShape(*in.report_id) ? repository::FindReportById(c, *in.report_id)
                                                                : Result<repository::ReportRow>(Error::NotFound()))
                                 : repository::FindReportByCodeHash(c, key->CodeHash(NormaliseReportCode(*in.report_code)));
      if (!report.ok() || !caller.Covers(report->org_path) || report->case_id) {
        return Error::InvalidInput(in.report_id ? "report_id" : "report_code", "Tin báo không hợp lệ hoặc đã có hồ sơ.",
                                   "Unknown report, or it already has a case.");
      }
      row.source_report_id = report->id;
      KHIEN_RETURN_IF_ERROR(repository::LinkReport(c, report->id, row.id, now));
    }
    KHIEN_RETURN_IF_ERROR(repository::InsertCase(c, row));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.created", "case", row.id, row.org_code,
                                            Detail({{"survivor_code", row.survivor_code}})}));
    const Grant owner{Level::kFull, "owner", true, std::nullopt};
    return BuildView(c, *key, row, owner, caller);
  });
}

Result<std::vector<CaseSummary>> CaseService::List(const Principal& caller, const CaseListQuery& query) {
  KHIEN_RETURN_IF_ERROR(Key());
  if (!MayWorkOnCases(caller.role)) {
    KHIEN_RETURN_IF_ERROR(Deny(caller, "", "list"));
    return Error::Forbidden();
  }
  if (query.status && *query.status != "open" && *query.status != "closure_requested" && *query.status != "closed") {
    return Error::InvalidInput("status", "Trạng thái không hợp lệ (open, closure_requested, closed).",
                               "status must be open, closure_requested or closed.");
  }
  if (query.risk && *query.risk != "low" && *query.risk != "medium" && *query.risk != "high") {
    return Error::InvalidInput("risk", "Mức nguy cơ không hợp lệ (low, medium, high).", "risk must be low, medium or high.");
  }
  repository::ListFilter f;
  f.status = query.status;
  f.risk = query.risk;
  f.limit = std::clamp(query.limit, 1, 200);
  // Each role's grant is written into the SQL; nothing is filtered afterwards.
  f.user_id = caller.user_id;
  if (caller.role == Role::kTrustedAddress) f.user_id.reset();
  std::vector<CaseSummary> out;
  auto run = [&](store::Connection& c, repository::ListFilter filter) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(auto part, repository::ListCases(c, filter));
    for (auto& s : part) {
      if (std::none_of(out.begin(), out.end(), [&](const CaseSummary& x) { return x.id == s.id; })) {
        out.push_back(std::move(s));
      }
    }
    return Ok();
  };
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    if (f.user_id) KHIEN_RETURN_IF_ERROR(run(c, f));
    for (size_t i = 0; i < caller.org_paths.size(); ++i) {
      repository::ListFilter g;
      g.status = f.status;
      g.risk = f.risk;
      g.limit = f.limit;
      if (caller.role == Role::kCommuneOfficer) {
        g.path_range = access::SubtreeRange(caller.org_paths[i]);
        KHIEN_RETURN_IF_ERROR(run(c, g));
      } else if (caller.role == Role::kTrustedAddress) {
        // Providers: cases referred to her units or to trusted-address points under them.
        g.provider_range = access::SubtreeRange(caller.org_paths[i]);
        g.provider_self = caller.org_codes[i];
        KHIEN_RETURN_IF_ERROR(run(c, g));
      }
    }
    std::sort(out.begin(), out.end(), [](const CaseSummary& a, const CaseSummary& b) {
      return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
    });
    if (out.size() > static_cast<size_t>(f.limit)) out.resize(static_cast<size_t>(f.limit));
    return audit::Append(c, {caller.user_id, "case.listed", "case", "", "",
                             Detail({{"count", static_cast<int64_t>(out.size())}})});
  }));
  return out;
}

Result<CaseView> CaseService::Get(const Principal& caller, const std::string& id) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  return OnCase<CaseView>(caller, id, "read", AnyGrant,
                          [&](store::Connection& c, repository::CaseRow& row, const Grant& g) -> Result<CaseView> {
    KHIEN_ASSIGN_OR_RETURN(CaseView v, BuildView(c, *key, row, g, caller));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.read", "case", id, row.org_code,
                                            Detail({{"access", g.why}, {"identity", g.identity}})}));
    return v;
  });
}

Result<CaseView> CaseService::Update(const Principal& caller, const std::string& id, CasePatch patch) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  if (patch.sex) KHIEN_RETURN_IF_ERROR(CheckSex(*patch.sex));
  KHIEN_RETURN_IF_ERROR(CheckBirthYear(patch.birth_year));
  if (patch.assigned_usernames && patch.assigned_usernames->size() > kMaxAssignees) {
    return Error::InvalidInput("assigned", "Tối đa 10 người được giao.", "At most 10 assignees.");
  }
  const int64_t now = NowMillis();
  return OnCase<CaseView>(caller, id, "update", IsTeamOrSupervisor,
                          [&](store::Connection& c, repository::CaseRow& row, const Grant& g) -> Result<CaseView> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    const bool team = g.level == Level::kFull;
    const bool supervisor = caller.role == Role::kCommuneOfficer && caller.Covers(row.org_path);
    bj::array changed;
    if (patch.identity || patch.sex || patch.birth_year || patch.ethnicity || patch.disability) {
      if (!team) return Error::Forbidden();
    }
    if ((patch.owner_username || patch.assigned_usernames) && !supervisor) return Error::Forbidden();
    if (patch.high_risk && !team && !supervisor) return Error::Forbidden();
    if (patch.sex) { row.sex = *patch.sex; changed.push_back("sex"); }
    if (patch.birth_year) { row.birth_year = patch.birth_year; changed.push_back("birth_year"); }
    if (patch.ethnicity) {
      KHIEN_ASSIGN_OR_RETURN(std::string e, text::CleanInput(*patch.ethnicity));
      row.ethnicity = e.empty() ? std::nullopt : std::optional<std::string>(e.substr(0, 60));
      changed.push_back("ethnicity");
    }
    if (patch.disability) { row.disability = *patch.disability; changed.push_back("disability"); }
    if (patch.high_risk) { row.high_risk = *patch.high_risk; changed.push_back("high_risk"); }
    if (patch.identity || patch.birth_year) {
      KHIEN_ASSIGN_OR_RETURN(Identity current, DecryptIdentity(*key, row));
      if (patch.identity) {
        auto apply = [&](const std::optional<std::string>& v, std::optional<std::string>& dst,
                         const char* field) -> Result<void> {
          if (!v) return Ok();
          KHIEN_ASSIGN_OR_RETURN(dst, CleanIdentity(v, field));
          changed.push_back(field);
          return Ok();
        };
        KHIEN_RETURN_IF_ERROR(apply(patch.identity->name, current.name, "name"));
        KHIEN_RETURN_IF_ERROR(apply(patch.identity->phone, current.phone, "phone"));
        KHIEN_RETURN_IF_ERROR(apply(patch.identity->address, current.address, "address"));
        KHIEN_RETURN_IF_ERROR(apply(patch.identity->contact, current.contact, "contact"));
      }
      KHIEN_RETURN_IF_ERROR(EncryptIdentity(*key, current, row));  // also refreshes the blind index
    }
    if (patch.owner_username) {
      KHIEN_ASSIGN_OR_RETURN(row.owner_id, UserIdByUsername(c, *patch.owner_username));
      changed.push_back("owner");
    }
    if (patch.assigned_usernames) {
      std::vector<std::string> ids;
      for (const auto& u : *patch.assigned_usernames) {
        KHIEN_ASSIGN_OR_RETURN(std::string uid, UserIdByUsername(c, u));
        ids.push_back(uid);
      }
      KHIEN_RETURN_IF_ERROR(repository::ReplaceAssignees(c, row.id, ids));
      changed.push_back("assigned");
    }
    row.updated_at = now;
    KHIEN_RETURN_IF_ERROR(repository::UpdateCase(c, row));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.updated", "case", id, row.org_code,
                                            Detail({{"fields", changed}, {"access", g.why}})}));
    KHIEN_ASSIGN_OR_RETURN(Grant after, Decide(c, caller, row, now));
    if (after.level == Level::kNone) after = Grant{Level::kSupervisor, "supervisor", false, std::nullopt};
    return BuildView(c, *key, row, after, caller);
  });
}

Result<Incident> CaseService::AddIncident(const Principal& caller, const std::string& id, NewIncident in) {
  KHIEN_RETURN_IF_ERROR(Key());
  const auto date = ParseDate(in.occurred_on);
  if (!date) {
    return Error::InvalidInput("occurred_on", "Ngày xảy ra phải có dạng YYYY-MM-DD.", "occurred_on must be YYYY-MM-DD.");
  }
  if (std::chrono::sys_days(*date) > std::chrono::sys_days(TodayInVietnam()) + std::chrono::days(1)) {
    return Error::InvalidInput("occurred_on", "Ngày xảy ra không thể ở tương lai.", "occurred_on cannot be in the future.");
  }
  Incident inc;
  inc.id = NewId();
  inc.occurred_on = in.occurred_on;
  if (in.core_type) {
    if (!gbvims::ParseCoreType(*in.core_type)) {
      return Error::InvalidInput("core_type", "Loại bạo lực (GBVIMS) không hợp lệ.", "Unknown GBVIMS core type.");
    }
    inc.core_type = *in.core_type;
    // When wizard answers come too, they must agree: the first "yes" decides.
    if (!in.wizard_answers.empty()) {
      auto decided = gbvims::Eliminate(in.wizard_answers);
      if (!decided || gbvims::CoreTypeId(*decided) != inc.core_type) {
        return Error::InvalidInput("core_type",
                                   "Loại bạo lực không khớp thứ tự loại trừ GBVIMS (hiếp dâm → xâm hại tình dục → "
                                   "bạo lực thể chất → cưỡng ép kết hôn → tước đoạt nguồn lực → bạo lực tinh thần).",
                                   "core_type does not follow the GBVIMS elimination order.");
      }
    }
  } else {
    auto decided = gbvims::Eliminate(in.wizard_answers);
    if (!decided) {
      return Error::InvalidInput("wizard", "Cần trả lời các câu hỏi phân loại theo thứ tự.",
                                 "Answer the classification questions in order.");
    }
    inc.core_type = std::string(gbvims::CoreTypeId(*decided));
  }
  for (const auto& f : in.context_flags) {
    if (!gbvims::IsContextFlag(f)) return Error::InvalidInput("context_flags", "Bối cảnh không hợp lệ: " + f, "Unknown context flag: " + f);
  }
  for (const auto& a : in.dv_acts) {
    if (!gbvims::IsDvAct(a)) return Error::InvalidInput("dv_acts", "Hành vi không có trong Điều 3 Luật 13/2022/QH15: " + a, "Not an act of Article 3: " + a);
  }
  if (in.place_type && !gbvims::IsOneOf(*in.place_type, gbvims::kPlaceTypes, std::size(gbvims::kPlaceTypes))) {
    return Error::InvalidInput("place_type", "Nơi xảy ra không hợp lệ.", "Unknown place type.");
  }
  if (in.perpetrator_relation && !gbvims::IsOneOf(*in.perpetrator_relation, gbvims::kPerpetratorRelations, std::size(gbvims::kPerpetratorRelations))) {
    return Error::InvalidInput("perpetrator.relationship", "Quan hệ không hợp lệ.", "Unknown relationship.");
  }
  if (in.perpetrator_age_group && !gbvims::IsOneOf(*in.perpetrator_age_group, gbvims::kPerpetratorAgeGroups, std::size(gbvims::kPerpetratorAgeGroups))) {
    return Error::InvalidInput("perpetrator.age_group", "Nhóm tuổi không hợp lệ.", "Unknown age group.");
  }
  if (in.perpetrator_sex) KHIEN_RETURN_IF_ERROR(CheckSex(*in.perpetrator_sex));
  inc.place_type = in.place_type;
  inc.context_flags = in.context_flags;
  inc.dv_acts = in.dv_acts;
  inc.perpetrator_relation = in.perpetrator_relation;
  inc.perpetrator_sex = in.perpetrator_sex;
  inc.perpetrator_age_group = in.perpetrator_age_group;
  const int64_t now = NowMillis();
  inc.created_at = now;
  return OnCase<Incident>(caller, id, "add_incident", IsTeam,
                  [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<Incident> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    if (row.birth_year) {
      const int year = static_cast<int>(date->year());
      if (year < *row.birth_year) {
        return Error::InvalidInput("occurred_on", "Ngày xảy ra không thể trước năm sinh của người bị hại.",
                                   "The incident date cannot be before the survivor's birth.");
      }
      // Only the birth year is known: the age is year difference minus 0 or 1. A child is
      // anyone who may be under the threshold (protective reading).
      const int64_t diff = year - *row.birth_year;
      inc.survivor_age = std::max<int64_t>(0, diff - 1);
      inc.child_under_16 = diff - 1 < 16;
      inc.child_under_18 = diff - 1 < 18;
    }
    KHIEN_RETURN_IF_ERROR(repository::InsertIncident(c, id, inc, caller.user_id));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.incident_added", "case", id, row.org_code,
                                            Detail({{"incident", inc.id}, {"core_type", inc.core_type}})}));
    return inc;
  });
}

Result<std::vector<Consent>> CaseService::SetConsent(const Principal& caller, const std::string& id, Consent consent) {
  KHIEN_RETURN_IF_ERROR(Key());
  static constexpr std::string_view kPurposes[] = {"services", "referral", "statistics", "share_identity"};
  if (!gbvims::IsOneOf(consent.purpose, kPurposes, std::size(kPurposes))) {
    return Error::InvalidInput("purpose", "Mục đích đồng ý không hợp lệ.",
                               "purpose must be services, referral, statistics or share_identity.");
  }
  if ((consent.purpose == "referral") != !consent.provider.empty()) {
    return Error::InvalidInput("provider", "Đồng ý chuyển gửi phải nêu nơi nhận (và chỉ mục đích đó).",
                               "A provider is required for referral consent, and only for it.");
  }
  const int64_t now = NowMillis();
  consent.recorded_at = now;
  return OnCase<std::vector<Consent>>(caller, id, "consent", IsTeam,
                  [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<std::vector<Consent>> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    if (!consent.provider.empty()) {
      auto unit = org::repository::FindByCode(c, consent.provider);
      if (!unit.ok()) return Error::InvalidInput("provider", "Nơi nhận không tồn tại.", "Unknown provider.");
    }
    KHIEN_RETURN_IF_ERROR(repository::UpsertConsent(c, id, consent, caller.user_id));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.consent_recorded", "case", id, row.org_code,
                                            Detail({{"purpose", consent.purpose}, {"provider", consent.provider},
                                                    {"granted", consent.granted}})}));
    return repository::Consents(c, id);
  });
}

Result<Referral> CaseService::Refer(const Principal& caller, const std::string& id, NewReferral in) {
  KHIEN_RETURN_IF_ERROR(Key());
  static constexpr std::string_view kServices[] = {"police", "health", "legal_aid", "shelter", "psychosocial",
                                                   "hotline_111", "peoples_committee"};
  if (!gbvims::IsOneOf(in.service, kServices, std::size(kServices))) {
    return Error::InvalidInput("service", "Loại dịch vụ không hợp lệ.", "Unknown service type.");
  }
  if (in.override_reason) {
    KHIEN_ASSIGN_OR_RETURN(std::string reason, text::CleanInput(*in.override_reason));
    if (text::CodePointCount(reason) < 10 || text::CodePointCount(reason) > 500) {
      return Error::InvalidInput("override_reason", "Lý do phải có từ 10 đến 500 ký tự.",
                                 "The reason must have 10 to 500 characters.");
    }
    in.override_reason = reason;
  }
  const int64_t now = NowMillis();
  return OnCase<Referral>(caller, id, "refer", IsTeamOrSupervisor,
                  [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<Referral> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    auto provider = org::repository::FindByCode(c, in.provider);
    if (!provider.ok()) return Error::InvalidInput("provider", "Nơi nhận không tồn tại.", "Unknown provider.");
    if (FirstSegment(provider->path) != FirstSegment(row.org_path)) {
      return Error::InvalidInput("provider", "Nơi nhận phải ở cùng tỉnh với hồ sơ.",
                                 "The provider must be in the same province as the case.");
    }
    KHIEN_ASSIGN_OR_RETURN(auto consents, repository::Consents(c, id));
    auto granted = [&](std::string_view purpose, std::string_view prov) {
      return std::any_of(consents.begin(), consents.end(), [&](const Consent& x) {
        return x.purpose == purpose && x.provider == prov && x.granted;
      });
    };
    const bool supervisor = caller.role == Role::kCommuneOfficer && caller.Covers(row.org_path);
    std::optional<std::string> override_reason;
    if (!granted("referral", in.provider)) {
      if (!in.override_reason) {
        return ConsentRequired("Người bị hại chưa đồng ý chuyển gửi đến nơi này.",
                               "The survivor has not consented to a referral to this provider.");
      }
      if (!supervisor) {
        return ConsentRequired("Chỉ người giám sát mới được chuyển gửi khi chưa có đồng ý.",
                               "Only a supervisor may refer without consent.");
      }
      override_reason = in.override_reason;
    }
    if (in.share_identity && !granted("share_identity", "")) {
      return ConsentRequired("Người bị hại chưa đồng ý chia sẻ danh tính.",
                             "The survivor has not consented to sharing her identity.");
    }
    repository::ReferralRow r;
    r.referral = {NewId(), id, in.provider, in.service, "sent", in.share_identity, override_reason.has_value(), now, now};
    r.provider_path = provider->path;
    KHIEN_RETURN_IF_ERROR(repository::InsertReferral(c, r, override_reason, caller.user_id));
    if (override_reason) {
      // The reason may describe the situation; it stays in the table, not in the audit chain.
      KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.referral_consent_override", "case", id,
                                              row.org_code, Detail({{"referral", r.referral.id}})}));
    }
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.referred", "case", id, row.org_code,
                                            Detail({{"referral", r.referral.id}, {"provider", in.provider},
                                                    {"share_identity", in.share_identity}})}));
    return r.referral;
  });
}

Result<Referral> CaseService::UpdateReferral(const Principal& caller, const std::string& referral_id,
                                             const std::string& action) {
  KHIEN_RETURN_IF_ERROR(Key());
  if (action != "accept" && action != "decline" && action != "complete") return Error::NotFound();
  const int64_t now = NowMillis();
  bool denied = false;
  std::string case_id;
  auto result = store::WriteValue<Referral>(db_, [&](store::Connection& c) -> Result<Referral> {
    auto ref = ValidIdShape(referral_id) ? repository::FindReferral(c, referral_id)
                                         : Result<repository::ReferralRow>(Error::NotFound());
    if (!ref.ok()) {
      denied = ref.error().code == ErrorCode::kNotFound;
      return ref.take_error();
    }
    case_id = ref->referral.case_id;
    auto found = repository::FindCase(c, case_id);
    if (!found.ok()) {  // a purged case: its referrals are no one's business any more
      denied = found.error().code == ErrorCode::kNotFound;
      return found.take_error();
    }
    repository::CaseRow row = std::move(found).value();
    KHIEN_ASSIGN_OR_RETURN(bool provider, IsProvider(c, caller, *ref));
    KHIEN_ASSIGN_OR_RETURN(Grant g, Decide(c, caller, row, now));
    const bool team = g.level == Level::kFull;
    const std::string& from = ref->referral.status;
    std::string to;
    if (action == "accept" && provider && from == "sent") to = "accepted";
    if (action == "decline" && provider && from == "sent") to = "declined";
    if (action == "complete" && (provider || team) && from == "accepted") to = "completed";
    if (!provider && !team && g.level != Level::kSupervisor) {
      denied = true;
      return Error::NotFound();
    }
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    if (to.empty()) {
      return Error::Conflict("status", "Không thể chuyển trạng thái chuyển gửi từ \"" + from + "\".",
                             "The referral cannot move on from \"" + from + "\".");
    }
    KHIEN_RETURN_IF_ERROR(repository::SetReferralStatus(c, referral_id, to, now));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.referral_" + to, "case", case_id, row.org_code,
                                            Detail({{"referral", referral_id}})}));
    Referral out = ref->referral;
    out.status = to;
    out.updated_at = now;
    return out;
  });
  if (denied) {
    KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
      return audit::Append(c, {caller.user_id, "case.denied", "referral",
                               ValidIdShape(referral_id) ? referral_id : "(invalid)", "",
                               Detail({{"attempted", action}, {"role", access::RoleName(caller.role)}})});
    }));
    return Error::NotFound();
  }
  return result;
}

Result<std::vector<AccessLogEntry>> CaseService::AccessLog(const Principal& caller, const std::string& id) {
  KHIEN_RETURN_IF_ERROR(Key());
  return OnCase<std::vector<AccessLogEntry>>(
      caller, id, "access_log", IsTeamOrSupervisor,
      [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<std::vector<AccessLogEntry>> {
        KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.access_log_read", "case", id, row.org_code, "{}"}));
        KHIEN_ASSIGN_OR_RETURN(auto entries, audit::ForTarget(c, "case", id, 500));
        std::vector<AccessLogEntry> out;
        for (auto& e : entries) out.push_back({e.at, e.event.actor_id, e.event.action, e.event.detail_json});
        return out;
      });
}

Result<void> CaseService::BreakGlass(const Principal& caller, const std::string& id, const std::string& raw_reason) {
  KHIEN_RETURN_IF_ERROR(Key());
  KHIEN_ASSIGN_OR_RETURN(std::string reason, text::CleanInput(raw_reason));
  if (text::CodePointCount(reason) < 10 || text::CodePointCount(reason) > 500) {
    return Error::InvalidInput("reason", "Lý do phải có từ 10 đến 500 ký tự.", "The reason must have 10 to 500 characters.");
  }
  const int64_t now = NowMillis();
  bool denied = false;
  auto result = db_.Write([&](store::Connection& c) -> Result<void> {
    auto row = ValidIdShape(id) ? repository::FindCase(c, id) : Result<repository::CaseRow>(CaseNotFound());
    if (!row.ok()) {
      denied = row.error().code == ErrorCode::kNotFound;
      return row.take_error();
    }
    // Only staff of the case's own commune may break the glass: a rule on the commune, not on
    // a grant, so it does not go through OnCase.
    const bool eligible = (caller.role == Role::kCaseWorker || caller.role == Role::kCommuneOfficer) &&
                          caller.Covers(row->org_path);
    if (!eligible) {
      denied = true;
      return CaseNotFound();
    }
    KHIEN_RETURN_IF_ERROR(repository::InsertBreakGlass(c, id, caller.user_id, reason, now, now + options_.break_glass_ms));
    return audit::Append(c, {caller.user_id, "case.break_glass", "case", id, row->org_code,
                             Detail({{"alert_supervisor", true}, {"expires_at", now + options_.break_glass_ms}})});
  });
  if (denied) {
    KHIEN_RETURN_IF_ERROR(Deny(caller, id, "break_glass"));
    return CaseNotFound();
  }
  return result;
}

Result<ReportReceipt> CaseService::SubmitReport(NewReport in) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  if (in.about != "myself" && in.about != "someone_else") {
    return Error::InvalidInput("about", "Giá trị phải là myself hoặc someone_else.", "about must be myself or someone_else.");
  }
  KHIEN_ASSIGN_OR_RETURN(std::string description, text::CleanInput(in.description));
  if (description.empty() || text::CodePointCount(description) > kMaxDescriptionChars) {
    return Error::InvalidInput("description", "Mô tả phải có từ 1 đến 4000 ký tự.",
                               "The description must have 1 to 4000 characters.");
  }
  std::optional<std::string> contact;
  if (in.contact) {
    if (in.anonymous) {
      return Error::InvalidInput("contact", "Tin báo ẩn danh không kèm thông tin liên hệ.",
                                 "An anonymous report carries no contact details.");
    }
    KHIEN_ASSIGN_OR_RETURN(contact, CleanIdentity(in.contact, "contact"));
  }
  ReportReceipt receipt;
  const std::string chars = RandomChars(kReportCodeChars);
  receipt.code = FormatReportCode(chars);
  receipt.pin.clear();
  for (int i = 0; i < 6; ++i) receipt.pin.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  char pin_hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(pin_hash, receipt.pin.data(), receipt.pin.size(), options_.pwhash_ops, options_.pwhash_mem) != 0) {
    return Error::Internal("PIN hashing ran out of memory");
  }
  const int64_t now = NowMillis();
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    repository::ReportRow row;
    row.id = NewId();
    row.code_hash = key->CodeHash(chars);
    row.pin_hash = pin_hash;
    if (in.org_unit) {
      auto unit = org::repository::FindByCode(c, *in.org_unit);
      if (!unit.ok() || unit->level == org::Level::kPoint) {
        return Error::InvalidInput("org_unit", "Đơn vị không tồn tại.", "Unknown org unit.");
      }
      row.org_code = unit->code;
      row.org_path = unit->path;
    } else {
      // Unknown commune: the province queue when the tree holds one province, else the root.
      KHIEN_ASSIGN_OR_RETURN(store::Rows provinces,
                             c.Query("SELECT code, path FROM org_units WHERE level = 'province' LIMIT 2"));
      row.org_path = "/";
      if (provinces.size() == 1) {
        row.org_code = provinces[0].Text(0);
        row.org_path = provinces[0].Text(1);
      }
    }
    row.anonymous = in.anonymous;
    row.about = in.about;
    row.key_id = key->id();
    DataKey dk = DataKey::Random();
    row.data_key = key->Wrap(dk, row.id);
    row.description_enc = EncryptField(dk, row.id, "description", description);
    if (contact) row.contact_enc = EncryptField(dk, row.id, "contact", *contact);
    row.created_at = row.updated_at = now;
    KHIEN_RETURN_IF_ERROR(repository::InsertReport(c, row));
    return audit::Append(c, {"", "report.received", "report", row.id, row.org_code.value_or(""),
                             Detail({{"anonymous", in.anonymous}, {"about", in.about}})});
  }));
  return receipt;
}

Result<ReportStatus> CaseService::CheckReport(const std::string& raw_code, const std::string& pin,
                                              const std::string& client_ip) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  const std::string code = NormaliseReportCode(raw_code);
  const bool shaped = code.size() == kReportCodeChars &&
                      std::all_of(code.begin(), code.end(), [](char ch) { return std::strchr(kCrockford, ch) != nullptr; });
  const std::string code_hash = key->CodeHash(code);
  const std::string code_key = "code:" + code_hash;
  const std::string ip_key = "ip:" + key->CodeHash("ip|" + client_ip);
  const int64_t now = NowMillis();
  const int64_t since = now - options_.lookup_window_ms;
  struct Pre {
    int64_t by_code = 0, by_ip = 0;
    std::optional<repository::ReportRow> report;
  };
  KHIEN_ASSIGN_OR_RETURN(Pre pre, store::ReadValue<Pre>(db_, [&](store::Connection& c) -> Result<Pre> {
    Pre p;
    KHIEN_ASSIGN_OR_RETURN(p.by_code, repository::CountLookupFailures(c, code_key, since));
    KHIEN_ASSIGN_OR_RETURN(p.by_ip, repository::CountLookupFailures(c, ip_key, since));
    if (shaped) {
      auto r = repository::FindReportByCodeHash(c, code_hash);
      if (r.ok()) p.report = std::move(r).value();
      else if (r.error().code != ErrorCode::kNotFound) return r.take_error();
    }
    return p;
  }));
  if (pre.by_code >= options_.max_lookup_failures_per_code || pre.by_ip >= options_.max_lookup_failures_per_address) {
    return Error::TooManyRequests();
  }
  // Unknown codes cost the same Argon2id work as known ones.
  static std::once_flag once;
  static std::string dummy;
  std::call_once(once, [&] {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, "000000", 6, options_.pwhash_ops, options_.pwhash_mem) == 0) dummy = out;
  });
  const std::string& hash = pre.report ? pre.report->pin_hash : dummy;
  const bool pin_ok = pin.size() == 6 && crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
  if (!pre.report || !pin_ok) {
    KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(repository::InsertLookupFailure(c, code_key, now));
      return repository::InsertLookupFailure(c, ip_key, now);
    }));
    return Error::NotFound("Mã tin báo hoặc mã PIN không đúng.", "Wrong report code or PIN.");
  }
  return ReportStatus{pre.report->status, pre.report->created_at, pre.report->updated_at};
}

Result<std::vector<TriageItem>> CaseService::Triage(const Principal& caller, std::optional<std::string> status) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  if (caller.role != Role::kCommuneOfficer && caller.role != Role::kCaseWorker) {
    KHIEN_RETURN_IF_ERROR(Deny(caller, "", "triage"));
    return Error::Forbidden();
  }
  if (status && *status != "received" && *status != "in_progress" && *status != "closed") {
    return Error::InvalidInput("status", "Trạng thái không hợp lệ.", "Unknown status.");
  }
  return store::WriteValue<std::vector<TriageItem>>(db_, [&](store::Connection& c) -> Result<std::vector<TriageItem>> {
    std::vector<TriageItem> out;
    for (const std::string& path : caller.org_paths) {
      KHIEN_ASSIGN_OR_RETURN(auto rows, repository::ReportsIn(c, access::SubtreeRange(path), status, 200));
      for (const auto& r : rows) {
        KHIEN_ASSIGN_OR_RETURN(DataKey dk, key->Unwrap(r.data_key, r.key_id, r.id));
        TriageItem t;
        t.id = r.id;
        t.org_code = r.org_code;
        t.anonymous = r.anonymous;
        t.about = r.about;
        KHIEN_ASSIGN_OR_RETURN(t.description, DecryptField(dk, r.id, "description", r.description_enc));
        if (r.contact_enc) {
          KHIEN_ASSIGN_OR_RETURN(std::string contact, DecryptField(dk, r.id, "contact", *r.contact_enc));
          t.contact = std::move(contact);
        }
        t.status = r.status;
        t.case_id = r.case_id;
        t.created_at = r.created_at;
        out.push_back(std::move(t));
      }
    }
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "report.triage_listed", "report", "", "",
                                            Detail({{"count", static_cast<int64_t>(out.size())}})}));
    return out;
  });
}

Result<Stats> CaseService::Statistics(const Principal& caller, StatsQuery q) {
  if (!caller.Can(access::Permission::kViewCaseStats)) return Error::Forbidden();
  static constexpr std::string_view kBy[] = {"core_type", "sex", "age_group", "ethnicity", "commune", "context", "referral_status"};
  if (!gbvims::IsOneOf(q.by, kBy, std::size(kBy))) {
    return Error::InvalidInput("by", "Nhóm thống kê không hợp lệ.", "Unknown statistics dimension.");
  }
  if ((q.from && !ParseDate(*q.from)) || (q.to && !ParseDate(*q.to))) {
    return Error::InvalidInput(q.from && !ParseDate(*q.from) ? "from" : "to", "Ngày phải có dạng YYYY-MM-DD.",
                               "Dates must be YYYY-MM-DD.");
  }
  return store::WriteValue<Stats>(db_, [&](store::Connection& c) -> Result<Stats> {
    auto unit = org::repository::FindByCode(c, q.org);
    if (!unit.ok() || !caller.Covers(unit->path)) {
      return Error::NotFound("Không tìm thấy đơn vị.", "Org unit not found.");
    }
    repository::StatsFilter f{access::SubtreeRange(unit->path), q.from, q.to};
    KHIEN_ASSIGN_OR_RETURN(auto rows, repository::StatsRows(c, f, q.by));
    std::map<std::string, int64_t> cells;
    for (const auto& [key, count] : rows) {
      if (q.by == "commune") {
        cells[CommuneOf(key)] += count;
      } else if (q.by == "age_group") {
        std::optional<int64_t> age;
        if (!key.empty()) age = std::stoll(key);
        cells[std::string(gbvims::AgeGroup(age))] += count;
      } else if (q.by == "context") {
        std::string flags = key;
        if (flags.empty()) cells["none"] += count;
        size_t start = 0;
        while (start < flags.size()) {
          size_t comma = flags.find(',', start);
          if (comma == std::string::npos) comma = flags.size();
          cells[flags.substr(start, comma - start)] += count;
          start = comma + 1;
        }
      } else {
        cells[key] += count;
      }
    }
    Stats s;
    s.org = unit->code;
    s.by = q.by;
    s.total.key = "total";
    for (auto& [k, n] : cells) s.cells.push_back({k, n, false});
    if (q.by == "context") {
      // Flags overlap: the total is the number of incidents, not the sum of cells.
      KHIEN_ASSIGN_OR_RETURN(auto by_core, repository::StatsRows(c, f, "core_type"));
      for (const auto& [k, n] : by_core) s.total.count += n;
    } else {
      for (const auto& cell : s.cells) s.total.count += cell.count;
    }
    s.suppression_applied = unit->level != org::Level::kProvince || q.by == "commune";
    if (s.suppression_applied) Suppress(s.cells, s.total);
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.stats_read", "org_unit", unit->code, unit->code,
                                            Detail({{"by", q.by}})}));
    return s;
  });
}

Result<int64_t> RotateKeys(store::Database& db, const MasterKey& old_key, const MasterKey& new_key) {
  return store::WriteValue<int64_t>(db, [&](store::Connection& c) -> Result<int64_t> {
    KHIEN_ASSIGN_OR_RETURN(auto keys, repository::AllWrappedKeys(c));
    int64_t done = 0;
    for (const auto& k : keys) {
      if (k.key_id == new_key.id()) continue;  // already rotated (a resumed rotation)
      KHIEN_ASSIGN_OR_RETURN(DataKey dk, old_key.Unwrap(k.data_key, k.key_id, k.id));
      std::optional<std::string> blind;
      if (k.name_enc) {
        KHIEN_ASSIGN_OR_RETURN(std::string name, DecryptField(dk, k.id, "name", *k.name_enc));
        blind = new_key.BlindIndex(DuplicateKey(name, k.birth_year));
      }
      KHIEN_RETURN_IF_ERROR(repository::Rewrap(c, k, new_key.id(), new_key.Wrap(dk, k.id), blind));
      ++done;
    }
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {"", "keys.rotated", "key", new_key.id(), "",
                                            bj::serialize(bj::object{{"records", done}, {"old_key", old_key.id()}})}));
    return done;
  });
}

}  // namespace khien::cases
