#include "moderation/service.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <memory>
#include <utility>

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "base/ids.h"
#include "base/text.h"
#include "moderation/repository.h"
#include "safety/extractors.h"
#include "safety/lists.h"

namespace khien::moderation {
namespace {

using access::Permission;

constexpr int64_t kHourMillis = 3600 * 1000;

bool IsVerdictName(std::string_view v) { return v == "safe" || v == "caution" || v == "danger"; }

Error BadVerdict() {
  return Error::InvalidInput("verdict", "'verdict' phải là safe, caution hoặc danger.",
                             "'verdict' must be safe, caution or danger.");
}

// Admins see every report; media members those without a place or from their subtrees.
bool SeesAll(const access::Principal& caller) { return caller.role == access::Role::kAdmin; }

std::string AuditDetail(const boost::json::object& o) { return boost::json::serialize(o); }

Result<std::string> NormalizeDomain(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (auto scheme = value.find("://"); scheme != std::string::npos) value.erase(0, scheme + 3);
  if (auto end = value.find_first_of("/?#:"); end != std::string::npos) value.erase(end);
  while (!value.empty() && value.back() == '.') value.pop_back();
  if (value.rfind("www.", 0) == 0) value.erase(0, 4);
  const bool chars_ok = std::all_of(value.begin(), value.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '.' || ch == '-';
  });
  if (value.empty() || value.size() > 253 || !chars_ok || value.find('.') == std::string::npos ||
      value.front() == '.' || value.find("..") != std::string::npos) {
    return Error::InvalidInput("value",
                               "Tên miền không hợp lệ (viết dạng ASCII, ví dụ vi-du.com hoặc xn--...).",
                               "Not a valid domain (write it in ASCII, e.g. example.com or xn--...).");
  }
  return value;
}

}  // namespace

Result<std::string> NormalizeListValue(const std::string& kind, const std::string& value) {
  if (kind == "phone") {
    if (auto phone = safety::NormalizePhone(value)) return *phone;
    return Error::InvalidInput("value", "Số điện thoại Việt Nam không hợp lệ.",
                               "Not a valid Vietnamese phone number.");
  }
  if (kind == "domain") return NormalizeDomain(value);
  if (kind == "account") {
    std::string digits;
    for (char ch : value) {
      if (ch >= '0' && ch <= '9') {
        digits.push_back(ch);
      } else if (ch != ' ' && ch != '.' && ch != '-') {
        digits.clear();
        break;
      }
    }
    if (digits.size() < 6 || digits.size() > 20) {
      return Error::InvalidInput("value", "Số tài khoản phải gồm 6 đến 20 chữ số.",
                                 "An account number has 6 to 20 digits.");
    }
    return digits;
  }
  return Error::InvalidInput("kind", "'kind' phải là phone, domain hoặc account.",
                             "'kind' must be phone, domain or account.");
}

ModerationService::ModerationService(store::Database& db, safety::Checker& checker,
                                     std::function<int64_t()> now_millis, int64_t sync_interval_ms)
    : db_(db),
      checker_(checker),
      now_(now_millis ? std::move(now_millis) : std::function<int64_t()>(NowMillis)),
      sync_interval_ms_(sync_interval_ms) {}

Result<void> ModerationService::LoadLists() { return RefreshLists(); }

Result<void> ModerationService::RefreshLists() {
  std::lock_guard<std::mutex> lock(refresh_mutex_);
  // One snapshot: the version read is the one these entries and settings belong to.
  std::vector<ListEntry> entries;
  std::vector<RuleSettingRow> settings;
  int64_t version = 0;
  KHIEN_RETURN_IF_ERROR(db_.Read([&](store::Connection& c) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(version, repository::SyncVersion(c));
    KHIEN_ASSIGN_OR_RETURN(entries, repository::ListEntries(c));
    KHIEN_ASSIGN_OR_RETURN(settings, repository::ListRuleSettings(c));
    return Ok();
  }));
  std::vector<safety::RuleSetting> rule_settings;
  for (const RuleSettingRow& r : settings) rule_settings.push_back({r.rule_id, r.enabled, r.weight});
  checker_.SetRuleSettings(std::move(rule_settings));
  auto lists = std::make_shared<safety::Lists>();
  for (const ListEntry& e : entries) {
    const auto kind = e.list == "allow" ? safety::Lists::Kind::kAllow : safety::Lists::Kind::kBlock;
    if (e.kind == "phone") lists->AddPhone(e.value, kind);
    else if (e.kind == "domain") lists->AddDomain(e.value, kind);
    else if (e.kind == "account") lists->AddAccount(e.value, kind);
  }
  checker_.SetDynamicLists(std::move(lists));
  loaded_version_.store(version);
  return Ok();
}

Result<void> ModerationService::SyncIfStale() {
  const int64_t now = now_();
  int64_t next = next_sync_at_.load();
  if (now < next) return Ok();
  // One caller per interval reads the counter; the others go on with what is loaded.
  if (!next_sync_at_.compare_exchange_strong(next, now + sync_interval_ms_)) return Ok();
  KHIEN_ASSIGN_OR_RETURN(int64_t version, store::ReadValue<int64_t>(db_, [](store::Connection& c) {
                           return repository::SyncVersion(c);
                         }));
  if (version == loaded_version_.load()) return Ok();
  return RefreshLists();
}

Result<std::string> ModerationService::SubmitReport(const NewReport& input) {
  if (input.text.size() > kMaxReportBytes) {
    return Error{ErrorCode::kPayloadTooLarge, "text", "Tin nhắn quá dài: tối đa 64 KB.",
                 "The message is too long: at most 64 KB."};
  }
  KHIEN_ASSIGN_OR_RETURN(std::string text, text::CleanInput(input.text));
  if (text.empty()) {
    return Error::InvalidInput("text", "Hãy dán tin nhắn cần báo cáo.", "Paste the message to report.");
  }
  if (input.shown_verdict && !IsVerdictName(*input.shown_verdict)) return BadVerdict();
  KHIEN_ASSIGN_OR_RETURN(safety::CheckResult result, checker_.Check(text));

  Report r;
  r.id = NewId();
  r.text = std::move(text);
  r.verdict = std::string(safety::VerdictName(result.verdict));
  for (safety::Category c : result.categories) r.categories.emplace_back(safety::CategoryName(c));
  r.shown_verdict = input.shown_verdict;
  r.status = "pending";
  r.created_at = now_();
  if (input.org_code && !input.org_code->empty()) r.org_code = input.org_code;
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    if (r.org_code) {
      KHIEN_ASSIGN_OR_RETURN(bool exists, repository::OrgUnitExists(c, *r.org_code));
      if (!exists) {
        return Error::InvalidInput("org_unit", "Không có đơn vị với mã này.", "No org unit has this code.");
      }
    }
    return repository::InsertReport(c, r);
  }));
  return r.id;
}

Result<void> ModerationService::RecordFeedback(const std::string& verdict, bool correct) {
  if (!IsVerdictName(verdict)) return BadVerdict();
  // Rounded to the hour: the table should not be able to line feedback up with anything else.
  const int64_t at = now_() / kHourMillis * kHourMillis;
  return db_.Write([&](store::Connection& c) {
    return repository::InsertFeedback(c, NewId(), verdict, correct, at);
  });
}

Result<std::vector<Report>> ModerationService::ListReports(const access::Principal& caller,
                                                           const std::string& status, int limit) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  if (status != "pending" && status != "confirmed") {
    return Error::InvalidInput("status", "'status' phải là pending hoặc confirmed.",
                               "'status' must be pending or confirmed.");
  }
  return store::ReadValue<std::vector<Report>>(db_, [&](store::Connection& c) {
    return repository::ListReports(c, status, caller.org_paths, SeesAll(caller), limit);
  });
}

Result<ConfirmOutcome> ModerationService::ConfirmReport(const access::Principal& caller,
                                                        const std::string& id, const std::string& label) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  if (label != "scam" && label != "safe") {
    return Error::InvalidInput("label", "'label' phải là scam hoặc safe.", "'label' must be scam or safe.");
  }
  const int64_t now = now_();
  KHIEN_ASSIGN_OR_RETURN(ConfirmOutcome outcome, store::WriteValue<ConfirmOutcome>(db_, [&](store::Connection& c)
                                                                                     -> Result<ConfirmOutcome> {
    ConfirmOutcome out;
    KHIEN_ASSIGN_OR_RETURN(out.report, repository::GetReport(c, id, caller.org_paths, SeesAll(caller)));
    if (out.report.status != "pending") {
      return Error::Conflict("status", "Báo cáo này đã được xác nhận.", "This report is already confirmed.");
    }
    KHIEN_RETURN_IF_ERROR(repository::MarkConfirmed(c, id, label, caller.user_id, now));
    out.report.status = "confirmed";
    out.report.label = label;
    out.report.decided_by = caller.user_id;
    out.report.decided_at = now;
    if (label == "scam") {
      // The same extractors as the check itself, so what is listed is what a check looks up.
      const std::shared_ptr<const safety::RuleSet> rules = checker_.rules();
      const safety::NormalizedText nt = rules->normalizer().Normalize(out.report.text);
      for (const safety::Entity& e : safety::ExtractEntities(nt)) {
        ListEntry entry;
        if (e.type == safety::EntityType::kPhone) {
          entry.kind = "phone";
          entry.value = e.value;
        } else if (e.type == safety::EntityType::kBankAccount) {
          entry.kind = "account";
          entry.value = e.value;
        } else if (e.type == safety::EntityType::kDomain && !e.host_ascii.empty()) {
          // Never block a bank's or the government's real domain named in a scam.
          if (checker_.lists().IsAllowedDomain(e.host_ascii) || safety::IsOfficialDomain(e.host_ascii)) continue;
          entry.kind = "domain";
          entry.value = e.host_ascii;
        } else {
          continue;
        }
        entry.id = NewId();
        entry.list = "block";
        entry.source_report = id;
        entry.created_by = caller.user_id;
        entry.created_at = now;
        KHIEN_ASSIGN_OR_RETURN(std::optional<ListEntry> added, repository::InsertEntryIfNew(c, entry));
        if (added) out.added.push_back(std::move(*added));
      }
      if (!out.added.empty()) KHIEN_RETURN_IF_ERROR(repository::BumpSyncVersion(c));
    }
    boost::json::array added;
    for (const ListEntry& e : out.added) added.push_back(boost::json::object{{"kind", e.kind}, {"value", e.value}});
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "safety.report_confirmed", "safety_report", id,
                                            out.report.org_code.value_or(""),
                                            AuditDetail({{"label", label}, {"blocked", std::move(added)}})}));
    return out;
  }));
  if (!outcome.added.empty()) KHIEN_RETURN_IF_ERROR(RefreshLists());
  return outcome;
}

Result<std::vector<ListEntry>> ModerationService::ListEntries(const access::Principal& caller) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  return store::ReadValue<std::vector<ListEntry>>(db_, [](store::Connection& c) { return repository::ListEntries(c); });
}

Result<ListEntry> ModerationService::AddEntry(const access::Principal& caller, const NewListEntry& input) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  if (input.list != "block" && input.list != "allow") {
    return Error::InvalidInput("list", "'list' phải là block hoặc allow.", "'list' must be block or allow.");
  }
  ListEntry entry;
  KHIEN_ASSIGN_OR_RETURN(entry.value, NormalizeListValue(input.kind, input.value));
  entry.id = NewId();
  entry.kind = input.kind;
  entry.list = input.list;
  entry.created_by = caller.user_id;
  entry.created_at = now_();
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(std::optional<ListEntry> added, repository::InsertEntryIfNew(c, entry));
    if (!added) {
      return Error::Conflict("value", "Giá trị này đã có trong danh sách.", "This value is already on the list.");
    }
    KHIEN_RETURN_IF_ERROR(repository::BumpSyncVersion(c));
    return audit::Append(c, {caller.user_id, "safety.list_entry_added", "safety_list_entry", entry.id, "",
                             AuditDetail({{"kind", entry.kind}, {"value", entry.value}, {"list", entry.list}})});
  }));
  KHIEN_RETURN_IF_ERROR(RefreshLists());
  return entry;
}

Result<void> ModerationService::DeleteEntry(const access::Principal& caller, const std::string& id) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(ListEntry entry, repository::GetEntry(c, id));
    KHIEN_RETURN_IF_ERROR(repository::DeleteEntry(c, id));
    KHIEN_RETURN_IF_ERROR(repository::BumpSyncVersion(c));
    return audit::Append(c, {caller.user_id, "safety.list_entry_removed", "safety_list_entry", id, "",
                             AuditDetail({{"kind", entry.kind}, {"value", entry.value}, {"list", entry.list}})});
  }));
  return RefreshLists();
}

namespace {

RuleView ViewOf(const safety::Rule& r, const std::vector<RuleSettingRow>& settings) {
  RuleView v;
  v.id = r.id;
  v.category = std::string(safety::CategoryName(r.category));
  v.weight = r.weight;
  v.default_weight = r.default_weight;
  v.enabled = r.enabled;
  v.weighted = r.signal != safety::Signal::kLearnedModel;
  v.explanation_vi = r.explanation_vi;
  v.explanation_en = r.explanation_en;
  for (const RuleSettingRow& s : settings) {
    if (s.rule_id != r.id) continue;
    v.updated_by = s.updated_by;
    v.updated_at = s.updated_at;
  }
  return v;
}

}  // namespace

Result<std::vector<RuleView>> ModerationService::ListRules(const access::Principal& caller) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  KHIEN_RETURN_IF_ERROR(SyncIfStale());
  KHIEN_ASSIGN_OR_RETURN(std::vector<RuleSettingRow> settings,
                         store::ReadValue<std::vector<RuleSettingRow>>(
                             db_, [](store::Connection& c) { return repository::ListRuleSettings(c); }));
  const std::shared_ptr<const safety::RuleSet> rules = checker_.rules();
  std::vector<RuleView> out;
  out.reserve(rules->rules().size());
  for (const safety::Rule& r : rules->rules()) out.push_back(ViewOf(r, settings));
  return out;
}

Result<RuleView> ModerationService::UpdateRule(const access::Principal& caller, const std::string& id,
                                               const RuleChange& change) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  const std::shared_ptr<const safety::RuleSet> rules = checker_.rules();
  const safety::Rule* rule = rules->FindRule(id);
  if (rule == nullptr) return Error::NotFound("Không có quy tắc này.", "No such rule.");
  if (!change.enabled && !change.weight && !change.reset_weight) {
    return Error::InvalidInput("enabled", "Cần 'enabled' hoặc 'weight'.", "Give 'enabled' or 'weight'.");
  }
  if (change.weight && (!std::isfinite(*change.weight) || std::fabs(*change.weight) > safety::kMaxRuleWeight)) {
    return Error::InvalidInput("weight", "Trọng số phải là một số từ -20 đến 20.",
                               "The weight must be a number from -20 to 20.");
  }
  RuleSettingRow row;
  row.rule_id = id;
  row.enabled = change.enabled.value_or(rule->enabled);
  if (change.weight) {
    row.weight = *change.weight;
  } else if (!change.reset_weight && rule->weight != rule->default_weight) {
    row.weight = rule->weight;  // keep a weight set earlier
  }
  row.updated_by = caller.user_id;
  row.updated_at = now_();
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(repository::UpsertRuleSetting(c, row));
    KHIEN_RETURN_IF_ERROR(repository::BumpSyncVersion(c));
    boost::json::object detail{{"enabled", row.enabled},
                               {"weight", row.weight ? boost::json::value(*row.weight) : boost::json::value(nullptr)},
                               {"previous_enabled", rule->enabled},
                               {"previous_weight", rule->weight}};
    return audit::Append(c, {caller.user_id, "safety.rule_changed", "safety_rule", id, "", AuditDetail(detail)});
  }));
  KHIEN_RETURN_IF_ERROR(RefreshLists());
  const std::shared_ptr<const safety::RuleSet> now_rules = checker_.rules();
  const safety::Rule* updated = now_rules->FindRule(id);
  if (updated == nullptr) return Error::NotFound("Không có quy tắc này.", "No such rule.");
  return ViewOf(*updated, {row});
}

}  // namespace khien::moderation
