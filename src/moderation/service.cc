#include "moderation/service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cctype>
#include <memory>
#include <sys/stat.h>
#include <utility>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "base/ids.h"
#include "base/text.h"
#include "moderation/repository.h"
#include "safety/extractors.h"
#include "safety/lists.h"
#include "safety/retrain.h"

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

// The file's modification time in ms since the epoch; -1 when it does not exist.
int64_t FileTimeMillis(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

}  // namespace

Result<std::vector<safety::LabelledText>> ConfirmedReportExamples(store::Database& db) {
  KHIEN_ASSIGN_OR_RETURN(std::vector<Report> reports,
                         (store::ReadValue<std::vector<Report>>(db, [](store::Connection& c) {
                           return repository::ListReports(c, "confirmed", {}, true, 1000000);
                         })));
  std::vector<safety::LabelledText> out;
  for (Report& r : reports) {
    if (r.label == "scam" || r.label == "safe") out.push_back({std::move(r.text), r.label == "scam", {}});
  }
  return out;
}

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
  KHIEN_RETURN_IF_ERROR(ReloadModelIfChanged());
  loaded_version_.store(version);
  return Ok();
}

void ModerationService::SetModelFile(std::string path, safety::CheckerOptions rules) {
  model_path_ = std::move(path);
  model_rules_ = std::move(rules);
  model_rules_.use_classifier = false;
  model_rules_.blocklists.clear();  // hits of confirmed numbers would teach the model nothing
  model_rules_.allowlists.clear();
  model_file_time_.store(FileTimeMillis(model_path_));  // the checker loaded it (or it is not there yet)
}

Result<void> ModerationService::ReloadModelIfChanged() {
  if (model_path_.empty()) return Ok();
  const int64_t time = FileTimeMillis(model_path_);
  if (time < 0 || time == model_file_time_.load()) return Ok();
  KHIEN_ASSIGN_OR_RETURN(safety::Classifier model, safety::Classifier::Load(model_path_));
  checker_.SetModel(std::make_shared<const safety::Classifier>(std::move(model)));
  model_file_time_.store(time);
  return Ok();
}

Result<ModelStatus> ModerationService::GetModelStatus(const access::Principal& caller) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  ModelStatus status;
  status.can_retrain = !model_path_.empty();
  if (const int64_t time = model_file_time_.load(); status.can_retrain && time >= 0) {
    status.source = "trained";
    status.trained_at = time;
  }
  KHIEN_ASSIGN_OR_RETURN(auto counts, (store::ReadValue<std::pair<int64_t, int64_t>>(
                                          db_, [](store::Connection& c) { return repository::CountConfirmed(c); })));
  status.confirmed_scam = counts.first;
  status.confirmed_safe = counts.second;
  return status;
}

Result<ModelStatus> ModerationService::RetrainModel(const access::Principal& caller) {
  if (!caller.Can(Permission::kModerateSafety)) return Error::Forbidden();
  if (model_path_.empty()) {
    return Error::Conflict("model",
                           "Máy chủ chạy không có tệp mô hình (--model), nên không huấn luyện lại được.",
                           "The server runs without a model file (--model), so it cannot retrain.");
  }
  std::unique_lock<std::mutex> lock(retrain_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return Error::Conflict("model", "Đang huấn luyện lại, hãy đợi một lát.",
                           "A retraining is already running; wait a moment.");
  }
  KHIEN_ASSIGN_OR_RETURN(std::vector<safety::LabelledText> examples, ConfirmedReportExamples(db_));
  KHIEN_ASSIGN_OR_RETURN(safety::Checker rules_only, safety::Checker::Create(model_rules_));
  safety::RetrainSummary summary;
  KHIEN_ASSIGN_OR_RETURN(safety::Classifier model,
                         safety::RetrainWithReports(rules_only, std::move(examples), &summary));
  // Written beside the file first, audited, then moved into place: a model runs only once its
  // retraining is in the audit log, and a failed write leaves the running model as it was.
  const std::string staged = model_path_ + ".new";
  if (auto saved = model.Save(staged); !saved.ok()) {
    return Error::Internal("could not write the model file: " + saved.error().message_en);
  }
  auto audited = db_.Write([&](store::Connection& c) -> Result<void> {
    boost::json::object detail{{"examples", summary.examples},
                               {"confirmed_scam", summary.reports_scam},
                               {"confirmed_safe", summary.reports_safe}};
    return audit::Append(c, {caller.user_id, "safety.model_retrained", "safety_model", "scam", "", AuditDetail(detail)});
  });
  if (!audited.ok() || std::rename(staged.c_str(), model_path_.c_str()) != 0) {
    std::remove(staged.c_str());
    if (!audited.ok()) return audited.take_error();
    return Error::Internal("could not move the model file into place");
  }
  checker_.SetModel(std::make_shared<const safety::Classifier>(std::move(model)));
  model_file_time_.store(FileTimeMillis(model_path_));
  // Only now, with the file in place, tell other processes to look (they compare its time).
  if (auto bumped = db_.Write([](store::Connection& c) { return repository::BumpSyncVersion(c); }); !bumped.ok()) {
    spdlog::warn("safety model retrained, but other processes were not told: {}", bumped.error().message_en);
  }
  KHIEN_ASSIGN_OR_RETURN(ModelStatus status, GetModelStatus(caller));
  status.examples = static_cast<int64_t>(summary.examples);
  status.reports_used = static_cast<int64_t>(summary.reports_scam + summary.reports_safe);
  return status;
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
          // 1800/1900 numbers are businesses' registered hotlines, which scams quote to look
          // real ("gọi tổng đài 1900 545 413"): blocking one would flag the bank's own messages.
          if (safety::IsBusinessHotline(e.value)) continue;
          entry.kind = "phone";
          entry.value = e.value;
        } else if (e.type == safety::EntityType::kBankAccount) {
          entry.kind = "account";
          entry.value = e.value;
        } else if (e.type == safety::EntityType::kDomain && !e.host_ascii.empty()) {
          // Never block a bank's or the government's real domain named in a scam, nor a host
          // that carries everyone's links (a scam's "bit.ly/…" must not flag every bit.ly link).
          if (checker_.lists().IsAllowedDomain(e.host_ascii) || safety::IsOfficialDomain(e.host_ascii) ||
              safety::IsSharedHost(e.host_ascii)) {
            continue;
          }
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
  if (r.at_least != safety::Verdict::kSafe) v.at_least = std::string(safety::VerdictName(r.at_least));
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
