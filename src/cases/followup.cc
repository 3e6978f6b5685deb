// Follow-up of a case: tasks, notes, danger assessment, safety plan, closure with supervisor
// approval; the statistics export; retention by crypto-shredding. The access rules are those
// of service.cc (cases/internal.h); free text is encrypted under the case's data key with
// associated data "case id | <kind>:<row id>", so a ciphertext moved to another row fails.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "audit/audit_log.h"
#include "base/text.h"
#include "cases/casework.h"
#include "cases/internal.h"
#include "cases/stats_export.h"

namespace khien::cases {
namespace {

using access::Principal;
using access::Role;
namespace bj = boost::json;

constexpr size_t kMaxTaskTitleChars = 300;
constexpr size_t kMaxNoteChars = 4000;
constexpr size_t kMaxPlanFieldChars = 2000;
constexpr size_t kMaxClosureNoteChars = 1000;

Result<std::string> CleanText(const std::string& raw, const char* field, size_t min_chars, size_t max_chars) {
  KHIEN_ASSIGN_OR_RETURN(std::string v, text::CleanInput(raw));
  const size_t n = text::CodePointCount(v);
  if (n < min_chars || n > max_chars) {
    return Error::InvalidInput(field, "Độ dài không hợp lệ (" + std::to_string(min_chars) + "–" + std::to_string(max_chars) + " ký tự).",
                               "Length must be " + std::to_string(min_chars) + " to " + std::to_string(max_chars) +
                                   " characters.");
  }
  return v;
}

bool Overdue(const std::string& due, bool done) {
  return !done && due < FormatDate(TodayInVietnam());  // YYYY-MM-DD sorts as dates
}

Result<Task> OpenTask(const MasterKey& key, const repository::TaskRow& r) {
  KHIEN_ASSIGN_OR_RETURN(DataKey dk, key.Unwrap(r.data_key, r.key_id, r.case_id));
  Task t;
  t.id = r.id;
  t.case_id = r.case_id;
  t.survivor_code = r.survivor_code;
  KHIEN_ASSIGN_OR_RETURN(t.title, DecryptField(dk, r.case_id, "task:" + r.id, r.title_enc));
  t.due = r.due;
  t.done = r.done;
  t.overdue = Overdue(r.due, r.done);
  t.created_by = r.created_by;
  t.created_at = r.created_at;
  t.done_at = r.done_at;
  return t;
}

Result<std::vector<std::pair<std::string, bool>>> ParseAnswers(const std::string& json) {
  std::vector<std::pair<std::string, bool>> out;
  try {
    const bj::value parsed = bj::parse(json);  // outlives the loop (a temporary would not)
    for (const auto& kv : parsed.as_object()) out.emplace_back(std::string(kv.key()), kv.value().as_bool());
  } catch (const std::exception&) {
    return Error::Internal("stored risk answers are not valid JSON");
  }
  return out;
}

Result<SafetyPlan> ParsePlan(const std::string& json) {
  SafetyPlan p;
  try {
    const bj::object o = bj::parse(json).as_object();
    p.safe_places = std::string(o.at("safe_places").as_string());
    p.trusted_contacts = std::string(o.at("trusted_contacts").as_string());
    p.warning_signs = std::string(o.at("warning_signs").as_string());
    p.emergency_steps = std::string(o.at("emergency_steps").as_string());
    p.documents = std::string(o.at("documents").as_string());
  } catch (const std::exception&) {
    return Error::Internal("stored safety plan is not valid JSON");
  }
  return p;
}

// "/66/24595/v1/" → "/66/24595/": the commune a purged case is kept under.
std::string CommunePath(const std::string& path) {
  size_t slash = 0;
  for (int i = 0; i < 3; ++i) {
    slash = path.find('/', slash + (i == 0 ? 0 : 1));
    if (slash == std::string::npos) return path;
  }
  return path.substr(0, slash + 1);
}

}  // namespace

Result<void> AddFollowUp(store::Connection& c, const MasterKey& key, const repository::CaseRow& row,
                         const Grant& g, CaseView& v) {
  v.closed_at = row.closed_at;
  v.closure_reason = row.closure_reason;
  if (g.level != Level::kFull && g.level != Level::kSupervisor) return Ok();
  KHIEN_ASSIGN_OR_RETURN(DataKey dk, key.Unwrap(row.data_key, row.key_id, row.id));
  KHIEN_ASSIGN_OR_RETURN(auto closure, repository::PendingClosure(c, row.id));
  if (closure && row.status == "open") {
    v.status = "closure_requested";
    PendingClosure p{closure->id, closure->reason, std::nullopt, closure->requested_by_name, closure->requested_at};
    if (closure->note_enc) {
      KHIEN_ASSIGN_OR_RETURN(std::string note, DecryptField(dk, row.id, "closure:" + closure->id, *closure->note_enc));
      p.note = std::move(note);
    }
    v.closure = std::move(p);
  }
  KHIEN_ASSIGN_OR_RETURN(auto risk, repository::RiskOf(c, row.id));
  if (risk) {
    RiskAssessment r{risk->level, risk->score, {}, risk->assessed_at, risk->assessed_by};
    KHIEN_ASSIGN_OR_RETURN(std::string answers, DecryptField(dk, row.id, "risk_answers", risk->answers_enc));
    KHIEN_ASSIGN_OR_RETURN(r.answers, ParseAnswers(answers));
    v.risk = std::move(r);
  }
  // Tasks, notes and the safety plan are free text about her life: the case team only.
  if (g.level != Level::kFull) return Ok();
  KHIEN_ASSIGN_OR_RETURN(auto tasks, repository::TasksOf(c, row.id));
  for (const auto& t : tasks) {
    KHIEN_ASSIGN_OR_RETURN(Task task, OpenTask(key, t));
    task.survivor_code.clear();
    v.tasks.push_back(std::move(task));
  }
  KHIEN_ASSIGN_OR_RETURN(auto notes, repository::NotesOf(c, row.id));
  for (const auto& n : notes) {
    KHIEN_ASSIGN_OR_RETURN(std::string text, DecryptField(dk, row.id, "note:" + n.id, n.text_enc));
    v.notes.push_back({n.id, n.author, n.created_at, std::move(text)});
  }
  KHIEN_ASSIGN_OR_RETURN(auto plan, repository::SafetyPlanOf(c, row.id));
  if (plan) {
    KHIEN_ASSIGN_OR_RETURN(std::string json, DecryptField(dk, row.id, "safety_plan", plan->plan_enc));
    KHIEN_ASSIGN_OR_RETURN(SafetyPlan p, ParsePlan(json));
    p.updated_at = plan->updated_at;
    p.updated_by = plan->updated_by;
    v.safety_plan = std::move(p);
  }
  return Ok();
}

Result<Task> CaseService::AddTask(const Principal& caller, const std::string& case_id, std::string raw_title,
                                  std::string due) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  KHIEN_ASSIGN_OR_RETURN(std::string title, CleanText(raw_title, "title", 1, kMaxTaskTitleChars));
  const auto date = ParseDate(due);
  if (!date || date->year() < std::chrono::year(2000) || date->year() > std::chrono::year(2100)) {
    return Error::InvalidInput("due", "Hạn phải là ngày có dạng YYYY-MM-DD.", "due must be a date, YYYY-MM-DD.");
  }
  return OnCase<Task>(caller, case_id, "add_task", IsTeam,
                      [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<Task> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    KHIEN_ASSIGN_OR_RETURN(DataKey dk, key->Unwrap(row.data_key, row.key_id, row.id));
    repository::TaskRow t;
    t.id = NewId();
    t.case_id = row.id;
    t.title_enc = EncryptField(dk, row.id, "task:" + t.id, title);
    t.due = due;
    t.created_by = caller.user_id;
    t.created_at = NowMillis();
    KHIEN_RETURN_IF_ERROR(repository::InsertTask(c, t));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.task_added", "case", row.id, row.org_code,
                                            Detail({{"task", t.id}, {"due", due}})}));
    return Task{t.id, row.id, "", title, due, false, Overdue(due, false), caller.username, t.created_at, std::nullopt};
  });
}

Result<Task> CaseService::CompleteTask(const Principal& caller, const std::string& task_id) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  const int64_t now = NowMillis();
  bool denied = false;
  std::string case_id;
  auto result = store::WriteValue<Task>(db_, [&](store::Connection& c) -> Result<Task> {
    auto task = ValidIdShape(task_id) ? repository::FindTask(c, task_id)
                                      : Result<repository::TaskRow>(Error::NotFound());
    if (!task.ok()) {
      denied = task.error().code == ErrorCode::kNotFound;
      return task.take_error();
    }
    case_id = task->case_id;
    KHIEN_ASSIGN_OR_RETURN(repository::CaseRow row, repository::FindCase(c, case_id));
    KHIEN_ASSIGN_OR_RETURN(Grant g, Decide(c, caller, row, now));
    if (!IsTeam(g)) {
      denied = true;
      return Error::NotFound();
    }
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    if (!task->done) {  // marking a done task again changes nothing
      KHIEN_RETURN_IF_ERROR(repository::MarkTaskDone(c, task_id, caller.user_id, now));
      KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.task_done", "case", case_id, row.org_code,
                                              Detail({{"task", task_id}})}));
      task->done = true;
      task->done_at = now;
    }
    KHIEN_ASSIGN_OR_RETURN(Task out, OpenTask(*key, *task));
    out.survivor_code = row.survivor_code;
    return out;
  });
  if (denied) {
    KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
      return audit::Append(c, {caller.user_id, "case.denied", "task", ValidIdShape(task_id) ? task_id : "(invalid)", "",
                               Detail({{"attempted", "task_done"}, {"role", access::RoleName(caller.role)}})});
    }));
    return Error::NotFound("Không tìm thấy việc cần làm.", "Task not found.");
  }
  return result;
}

Result<std::vector<Task>> CaseService::Tasks(const Principal& caller, const TaskQuery& query) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  if (query.scope != "mine") {
    return Error::InvalidInput("scope", "Phạm vi phải là mine.", "scope must be mine.");
  }
  if (caller.user_id.empty()) return Error::Forbidden();
  const std::string today = FormatDate(TodayInVietnam());
  return store::WriteValue<std::vector<Task>>(db_, [&](store::Connection& c) -> Result<std::vector<Task>> {
    // Owner or assignee: the grants under which the case team sees tasks. Other roles own no
    // case, so their list is empty rather than an error (the home page asks every role).
    KHIEN_ASSIGN_OR_RETURN(auto rows, repository::TasksForUser(c, caller.user_id, query.overdue, today,
                                                                std::clamp(query.limit, 1, 500)));
    std::vector<Task> out;
    for (const auto& r : rows) {
      KHIEN_ASSIGN_OR_RETURN(Task t, OpenTask(*key, r));
      out.push_back(std::move(t));
    }
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.tasks_listed", "case", "", "",
                                            Detail({{"count", static_cast<int64_t>(out.size())}})}));
    return out;
  });
}

Result<Note> CaseService::AddNote(const Principal& caller, const std::string& case_id, std::string raw_text) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  KHIEN_ASSIGN_OR_RETURN(std::string text, CleanText(raw_text, "text", 1, kMaxNoteChars));
  return OnCase<Note>(caller, case_id, "add_note", IsTeam,
                      [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<Note> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    KHIEN_ASSIGN_OR_RETURN(DataKey dk, key->Unwrap(row.data_key, row.key_id, row.id));
    repository::NoteRow n{NewId(), caller.user_id, "", NowMillis()};
    n.text_enc = EncryptField(dk, row.id, "note:" + n.id, text);
    KHIEN_RETURN_IF_ERROR(repository::InsertNote(c, row.id, n));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.note_added", "case", row.id, row.org_code,
                                            Detail({{"note", n.id}})}));
    return Note{n.id, caller.username, n.created_at, text};
  });
}

Result<RiskAssessment> CaseService::AssessRisk(const Principal& caller, const std::string& case_id,
                                               std::vector<std::pair<std::string, bool>> answers) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  std::map<std::string, bool> by_id(answers.begin(), answers.end());
  KHIEN_ASSIGN_OR_RETURN(casework::RiskResult scored, casework::AssessRisk(by_id));
  return OnCase<RiskAssessment>(caller, case_id, "assess_risk", IsTeam,
                                [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<RiskAssessment> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    KHIEN_ASSIGN_OR_RETURN(DataKey dk, key->Unwrap(row.data_key, row.key_id, row.id));
    bj::object json;
    for (const auto& [id, yes] : by_id) json[id] = yes;
    repository::RiskRow r{scored.level, scored.score, EncryptField(dk, row.id, "risk_answers", bj::serialize(json)),
                          caller.user_id, NowMillis()};
    KHIEN_RETURN_IF_ERROR(repository::UpsertRisk(c, row.id, r));
    // Level and score only: the answers themselves stay encrypted.
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.risk_assessed", "case", row.id, row.org_code,
                                            Detail({{"level", scored.level}, {"score", scored.score}})}));
    return RiskAssessment{scored.level, scored.score, {by_id.begin(), by_id.end()}, r.assessed_at, caller.username};
  });
}

Result<SafetyPlan> CaseService::SetSafetyPlan(const Principal& caller, const std::string& case_id, SafetyPlan in) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  SafetyPlan plan;
  KHIEN_ASSIGN_OR_RETURN(plan.safe_places, CleanText(in.safe_places, "safe_places", 0, kMaxPlanFieldChars));
  KHIEN_ASSIGN_OR_RETURN(plan.trusted_contacts, CleanText(in.trusted_contacts, "trusted_contacts", 0, kMaxPlanFieldChars));
  KHIEN_ASSIGN_OR_RETURN(plan.warning_signs, CleanText(in.warning_signs, "warning_signs", 0, kMaxPlanFieldChars));
  KHIEN_ASSIGN_OR_RETURN(plan.emergency_steps, CleanText(in.emergency_steps, "emergency_steps", 0, kMaxPlanFieldChars));
  KHIEN_ASSIGN_OR_RETURN(plan.documents, CleanText(in.documents, "documents", 0, kMaxPlanFieldChars));
  return OnCase<SafetyPlan>(caller, case_id, "safety_plan", IsTeam,
                            [&](store::Connection& c, repository::CaseRow& row, const Grant&) -> Result<SafetyPlan> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    KHIEN_ASSIGN_OR_RETURN(DataKey dk, key->Unwrap(row.data_key, row.key_id, row.id));
    const bj::object json{{"safe_places", plan.safe_places},
                          {"trusted_contacts", plan.trusted_contacts},
                          {"warning_signs", plan.warning_signs},
                          {"emergency_steps", plan.emergency_steps},
                          {"documents", plan.documents}};
    plan.updated_at = NowMillis();
    plan.updated_by = caller.username;
    KHIEN_RETURN_IF_ERROR(repository::UpsertSafetyPlan(
        c, row.id, {EncryptField(dk, row.id, "safety_plan", bj::serialize(json)), caller.user_id, plan.updated_at}));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.safety_plan_updated", "case", row.id, row.org_code, "{}"}));
    return plan;
  });
}

Result<CaseView> CaseService::RequestClosure(const Principal& caller, const std::string& case_id,
                                             const std::string& reason, std::optional<std::string> raw_note) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  if (!casework::IsClosureReason(reason)) {
    return Error::InvalidInput("reason", "Lý do đóng hồ sơ không hợp lệ.", "Unknown closure reason.");
  }
  std::optional<std::string> note;
  if (raw_note) {
    KHIEN_ASSIGN_OR_RETURN(note, CleanText(*raw_note, "note", 0, kMaxClosureNoteChars));
  }
  return OnCase<CaseView>(caller, case_id, "request_closure", IsTeam,
                          [&](store::Connection& c, repository::CaseRow& row, const Grant& g) -> Result<CaseView> {
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    KHIEN_ASSIGN_OR_RETURN(auto pending, repository::PendingClosure(c, row.id));
    if (pending) {
      return Error::Conflict("closure", "Hồ sơ đã có đề nghị đóng đang chờ duyệt.",
                             "A closure request is already waiting for approval.");
    }
    KHIEN_ASSIGN_OR_RETURN(DataKey dk, key->Unwrap(row.data_key, row.key_id, row.id));
    repository::ClosureRow k;
    k.id = NewId();
    k.case_id = row.id;
    k.reason = reason;
    if (note && !note->empty()) k.note_enc = EncryptField(dk, row.id, "closure:" + k.id, *note);
    k.requested_by = caller.user_id;
    k.requested_at = NowMillis();
    KHIEN_RETURN_IF_ERROR(repository::InsertClosure(c, k));
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, "case.closure_requested", "case", row.id, row.org_code,
                                            Detail({{"reason", reason}})}));
    return BuildView(c, *key, row, g, caller);
  });
}

Result<CaseView> CaseService::DecideClosure(const Principal& caller, const std::string& case_id, bool approve,
                                            std::optional<std::string> raw_note) {
  KHIEN_ASSIGN_OR_RETURN(const MasterKey* key, Key());
  std::optional<std::string> note;
  if (raw_note) {
    KHIEN_ASSIGN_OR_RETURN(note, CleanText(*raw_note, "note", 0, kMaxClosureNoteChars));
  }
  const std::string action = approve ? "approve_closure" : "reject_closure";
  bool forbidden = false;
  auto result = OnCase<CaseView>(caller, case_id, action, IsTeamOrSupervisor,
                                 [&](store::Connection& c, repository::CaseRow& row, const Grant& g) -> Result<CaseView> {
    // The supervisor of the case's commune, and never the person who asked.
    if (caller.role != Role::kCommuneOfficer || !caller.Covers(row.org_path)) {
      forbidden = true;
      return Error{ErrorCode::kForbidden, "closure", "Chỉ cán bộ xã phụ trách (người giám sát) mới được duyệt đóng hồ sơ.",
                   "Only the supervising commune officer may decide on a closure."};
    }
    KHIEN_RETURN_IF_ERROR(RequireOpen(row));
    KHIEN_ASSIGN_OR_RETURN(auto pending, repository::PendingClosure(c, row.id));
    if (!pending) {
      return Error::Conflict("closure", "Không có đề nghị đóng hồ sơ nào đang chờ duyệt.",
                             "There is no closure request waiting for a decision.");
    }
    if (pending->requested_by == caller.user_id) {
      forbidden = true;
      return Error{ErrorCode::kForbidden, "closure", "Người đề nghị đóng hồ sơ không thể tự duyệt.",
                   "The person who asked for the closure cannot decide on it."};
    }
    const int64_t now = NowMillis();
    std::optional<std::string> note_enc;
    if (note && !note->empty()) {
      KHIEN_ASSIGN_OR_RETURN(DataKey dk, key->Unwrap(row.data_key, row.key_id, row.id));
      note_enc = EncryptField(dk, row.id, "closure_decision:" + pending->id, *note);
    }
    KHIEN_RETURN_IF_ERROR(repository::DecideClosure(c, pending->id, approve ? "approved" : "rejected", note_enc,
                                                    caller.user_id, now));
    if (approve) {
      row.status = "closed";
      row.closed_at = now;
      row.closure_reason = pending->reason;
      row.updated_at = now;
      KHIEN_RETURN_IF_ERROR(repository::UpdateCase(c, row));
      KHIEN_RETURN_IF_ERROR(repository::CloseLinkedReport(c, row.id, now));
    }
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {caller.user_id, approve ? "case.closure_approved" : "case.closure_rejected",
                                            "case", row.id, row.org_code,
                                            Detail({{"reason", pending->reason}, {"closure", pending->id}})}));
    return BuildView(c, *key, row, g, caller);
  });
  if (forbidden) KHIEN_RETURN_IF_ERROR(Deny(caller, case_id, action));
  return result;
}

Result<std::string> CaseService::ExportStatistics(const Principal& caller, StatsQuery query) {
  if (!caller.Can(access::Permission::kExportCaseStats)) {
    KHIEN_RETURN_IF_ERROR(Deny(caller, "", "export_stats"));
    return Error::Forbidden();
  }
  const StatsQuery asked = query;
  KHIEN_ASSIGN_OR_RETURN(Stats stats, Statistics(caller, std::move(query)));
  KHIEN_ASSIGN_OR_RETURN(std::string bytes, StatsXlsx(stats, asked));
  KHIEN_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Result<void> {
    return audit::Append(c, {caller.user_id, "case.stats_exported", "org_unit", stats.org, stats.org,
                             Detail({{"by", stats.by}, {"format", "xlsx"},
                                     {"from", asked.from.value_or("")}, {"to", asked.to.value_or("")}})});
  }));
  return bytes;
}

Result<PurgeReport> PurgeClosedCases(store::Database& db, int64_t closed_for_days, bool dry_run, int64_t now_ms) {
  if (closed_for_days < 0 || closed_for_days > 36500) {
    return Error::InvalidInput("closed-for-days", "Số ngày phải từ 0 đến 36500.", "Days must be 0 to 36500.");
  }
  const int64_t cutoff = now_ms - closed_for_days * 24 * 3600 * 1000;
  return store::WriteValue<PurgeReport>(db, [&](store::Connection& c) -> Result<PurgeReport> {
    KHIEN_ASSIGN_OR_RETURN(auto rows, repository::ClosedBefore(c, cutoff));
    PurgeReport report;
    report.candidates = static_cast<int64_t>(rows.size());
    if (!dry_run) {
      for (const auto& row : rows) {
        const std::string commune_path = CommunePath(row.org_path);
        const std::string commune = CommuneOf(row.org_path);
        KHIEN_RETURN_IF_ERROR(repository::PurgeCase(c, row, commune.empty() ? row.org_code : commune,
                                                    commune.empty() ? row.org_path : commune_path, now_ms));
        KHIEN_RETURN_IF_ERROR(audit::Append(c, {"", "case.purged", "case", row.id, commune,
                                                Detail({{"closed_at", row.closed_at.value_or(0)}})}));
        ++report.purged;
      }
    }
    KHIEN_RETURN_IF_ERROR(audit::Append(c, {"", "cases.purge_run", "case", "", "",
                                            Detail({{"closed_for_days", closed_for_days}, {"dry_run", dry_run},
                                                    {"candidates", report.candidates}, {"purged", report.purged}})}));
    return report;
  });
}

}  // namespace khien::cases
