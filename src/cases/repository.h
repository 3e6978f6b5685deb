// SQL of the cases domain. Rows here hold identity fields only as ciphertext; encryption and
// every permission decision live in service.cc. Functions run inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cases/model.h"
#include "store/database.h"

namespace khien::cases::repository {

struct CaseRow {
  std::string id;
  std::string survivor_code;
  std::string org_code;
  std::string org_path;
  std::string owner_id;
  std::string status;
  std::string sex;
  std::optional<int64_t> birth_year;
  std::optional<std::string> ethnicity;
  bool disability = false;
  std::optional<std::string> village_code;
  std::string key_id;
  std::string data_key;                     // wrapped
  std::optional<std::string> name_enc, phone_enc, address_enc, contact_enc;
  std::optional<std::string> blind_index;
  std::optional<std::string> source_report_id;
  bool high_risk = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<std::string> risk_level;
  std::optional<int64_t> closed_at;
  std::optional<std::string> closure_reason;
};

// Error kNotFound for an unknown id, and for a purged case (its keys are gone).
Result<CaseRow> FindCase(store::Connection& c, const std::string& id);
Result<void> InsertCase(store::Connection& c, const CaseRow& row);
Result<void> UpdateCase(store::Connection& c, const CaseRow& row);
Result<bool> SurvivorCodeExists(store::Connection& c, const std::string& code);
// Survivor codes of other cases with the same blind index, within `path`'s subtree.
Result<std::vector<std::string>> SameBlindIndex(store::Connection& c, const std::string& blind_index,
                                                const std::string& exclude_id);

Result<std::vector<std::string>> Assignees(store::Connection& c, const std::string& case_id);
Result<void> ReplaceAssignees(store::Connection& c, const std::string& case_id,
                              const std::vector<std::string>& user_ids);
Result<bool> HasActiveBreakGlass(store::Connection& c, const std::string& case_id,
                                 const std::string& user_id, int64_t now);
Result<void> InsertBreakGlass(store::Connection& c, const std::string& case_id,
                              const std::string& user_id, const std::string& reason, int64_t now,
                              int64_t expires_at);

// Lists newest first. The filters are part of the SQL, never applied afterwards.
struct ListFilter {
  std::optional<std::string> user_id;        // owner or assignee
  std::optional<std::pair<std::string, std::string>> path_range;  // org subtree
  // Referred (sent or accepted) to `provider_self` itself or to a trusted-address point inside
  // `provider_range` (the same rule as the service's per-case check).
  std::optional<std::pair<std::string, std::string>> provider_range;
  std::string provider_self;
  std::optional<std::string> status;          // open | closure_requested | closed
  std::optional<std::string> risk;            // low | medium | high
  int limit = 50;
};
Result<std::vector<CaseSummary>> ListCases(store::Connection& c, const ListFilter& filter);

Result<std::vector<Incident>> Incidents(store::Connection& c, const std::string& case_id);
Result<void> InsertIncident(store::Connection& c, const std::string& case_id, const Incident& incident,
                            const std::string& created_by);

Result<std::vector<Consent>> Consents(store::Connection& c, const std::string& case_id);
Result<void> UpsertConsent(store::Connection& c, const std::string& case_id, const Consent& consent,
                           const std::string& recorded_by);

struct ReferralRow {
  Referral referral;
  std::string provider_path;
};
Result<std::vector<ReferralRow>> Referrals(store::Connection& c, const std::string& case_id);
Result<ReferralRow> FindReferral(store::Connection& c, const std::string& id);
Result<void> InsertReferral(store::Connection& c, const ReferralRow& row,
                            const std::optional<std::string>& override_reason,
                            const std::string& created_by);
Result<void> SetReferralStatus(store::Connection& c, const std::string& id, const std::string& status,
                               int64_t now);

struct ReportRow {
  std::string id;
  std::string code_hash;
  std::string pin_hash;
  std::optional<std::string> org_code;
  std::string org_path;
  bool anonymous = true;
  std::string about;
  std::string key_id;
  std::string data_key;
  std::string description_enc;
  std::optional<std::string> contact_enc;
  std::string status = "received";
  std::optional<std::string> case_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
Result<void> InsertReport(store::Connection& c, const ReportRow& row);
Result<ReportRow> FindReportByCodeHash(store::Connection& c, const std::string& code_hash);
Result<ReportRow> FindReportById(store::Connection& c, const std::string& id);
// Reports in a subtree, newest first.
Result<std::vector<ReportRow>> ReportsIn(store::Connection& c, const std::pair<std::string, std::string>& range,
                                         const std::optional<std::string>& status, int limit);
Result<void> LinkReport(store::Connection& c, const std::string& report_id, const std::string& case_id,
                        int64_t now);
Result<int64_t> CountLookupFailures(store::Connection& c, const std::string& key, int64_t since);
Result<void> InsertLookupFailure(store::Connection& c, const std::string& key, int64_t at);

// Statistics rows: (dimension value, count) over cases with statistics consent in a subtree.
struct StatsFilter {
  std::pair<std::string, std::string> path_range;
  std::optional<std::string> from, to;
};
Result<std::vector<std::pair<std::string, int64_t>>> StatsRows(store::Connection& c,
                                                              const StatsFilter& filter,
                                                              const std::string& by);

// Follow-up rows. Encrypted columns stay ciphertext here; names are resolved to usernames.
struct TaskRow {
  std::string id;
  std::string case_id;
  std::string title_enc;
  std::string due;
  bool done = false;
  std::optional<int64_t> done_at;
  std::string created_by;        // users.id on insert; username when read
  int64_t created_at = 0;
  // Read only, for decrypting task lists across cases:
  std::string survivor_code, key_id, data_key, case_status;
};
Result<void> InsertTask(store::Connection& c, const TaskRow& row);
Result<std::vector<TaskRow>> TasksOf(store::Connection& c, const std::string& case_id);
Result<TaskRow> FindTask(store::Connection& c, const std::string& id);  // kNotFound
Result<void> MarkTaskDone(store::Connection& c, const std::string& id, const std::string& user_id, int64_t now);
// Tasks of open cases the user owns or is assigned to; `overdue` compares `due` with `today`.
Result<std::vector<TaskRow>> TasksForUser(store::Connection& c, const std::string& user_id,
                                          std::optional<bool> overdue, const std::string& today, int limit);

struct NoteRow {
  std::string id;
  std::string author;            // users.id on insert; username when read
  std::string text_enc;
  int64_t created_at = 0;
};
Result<void> InsertNote(store::Connection& c, const std::string& case_id, const NoteRow& row);
Result<std::vector<NoteRow>> NotesOf(store::Connection& c, const std::string& case_id);  // newest first

struct RiskRow {
  std::string level;
  int64_t score = 0;
  std::string answers_enc;
  std::string assessed_by;       // users.id on write; username when read
  int64_t assessed_at = 0;
};
// Also copies the level to case_records.risk_level (and high_risk when high).
Result<void> UpsertRisk(store::Connection& c, const std::string& case_id, const RiskRow& row);
Result<std::optional<RiskRow>> RiskOf(store::Connection& c, const std::string& case_id);

struct SafetyPlanRow {
  std::string plan_enc;
  std::string updated_by;        // users.id on write; username when read
  int64_t updated_at = 0;
};
Result<void> UpsertSafetyPlan(store::Connection& c, const std::string& case_id, const SafetyPlanRow& row);
Result<std::optional<SafetyPlanRow>> SafetyPlanOf(store::Connection& c, const std::string& case_id);

struct ClosureRow {
  std::string id;
  std::string case_id;
  std::string reason;
  std::optional<std::string> note_enc;
  std::string requested_by;      // users.id
  std::string requested_by_name; // username, when read
  int64_t requested_at = 0;
};
Result<void> InsertClosure(store::Connection& c, const ClosureRow& row);
Result<std::optional<ClosureRow>> PendingClosure(store::Connection& c, const std::string& case_id);
Result<void> DecideClosure(store::Connection& c, const std::string& closure_id, const std::string& decision,
                           const std::optional<std::string>& note_enc, const std::string& user_id, int64_t now);

// The public report a closed case came from shows "closed" to its reporter.
Result<void> CloseLinkedReport(store::Connection& c, const std::string& case_id, int64_t now);

// Retention. Closed, not yet purged cases closed before `closed_before`.
Result<std::vector<CaseRow>> ClosedBefore(store::Connection& c, int64_t closed_before);
// Crypto-shredding: destroys the wrapped data key, every encrypted column, notes, tasks, risk
// answers, safety plan, closure notes, assignments, break-glass grants, the blind index and the
// linked public report; moves the case to its commune (`commune_code`, `commune_path`) and keeps
// only what the statistics count (sex, ethnicity, incidents' classification, consents to
// statistics, referral outcomes without override reasons).
Result<void> PurgeCase(store::Connection& c, const CaseRow& row, const std::string& commune_code,
                       const std::string& commune_path, int64_t now);

// Key rotation: every wrapped key with its record id and table.
struct WrappedKey {
  std::string table;   // case_records | public_reports
  std::string id;
  std::string key_id;
  std::string data_key;
  std::optional<std::string> name_enc;   // case_records only, to recompute the blind index
  std::optional<int64_t> birth_year;
};
Result<std::vector<WrappedKey>> AllWrappedKeys(store::Connection& c);
Result<void> Rewrap(store::Connection& c, const WrappedKey& key, const std::string& new_key_id,
                    const std::string& new_data_key, const std::optional<std::string>& blind_index);

}  // namespace khien::cases::repository
