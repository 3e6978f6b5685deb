// CaseService: survivor case records, incidents, consent, referrals, public reports and
// statistics — with need-to-know access, field-level hiding of identity, and an audit entry for
// every read, write and denied attempt (in the same transaction as the change).
//
// Who sees what (the rules; docs/security.md "Cases" mirrors them):
//   case_worker       her own cases and cases assigned to her, with identity.
//   commune_officer   every case in her commune(s), WITHOUT identity unless she owns it or is
//                     assigned; she is the supervisor of the case workers there: she reassigns,
//                     overrides missing referral consent with a reason.
//   trusted_address   only cases with an open referral to her unit (or to a trusted-address point
//                     under it), only the shared fields; identity only if the referral shares it.
//   province_officer  statistics only, unless assigned to a case.
//   admin, others     no case contents.
// A case outside the caller's need-to-know is kNotFound (same as an unknown id), and the attempt
// is audited as "case.denied". Break-the-glass grants a case worker or commune officer covering
// the case's commune four hours of access with a reason; it is audited with "alert_supervisor".
//
// Failure: without a master key every case operation is kUnavailable; a key file that does not
// match the database is kUnavailable with a clear message; no survivor data ever enters an
// Error, a log line or an audit detail.
//
// Thread-safety: safe from many threads; blocking (database, Argon2id).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access/access.h"
#include "base/result.h"
#include "cases/crypto.h"
#include "cases/model.h"
#include "store/database.h"

namespace khien::cases {

struct CasesOptions {
  int64_t break_glass_ms = 4 * 3600 * 1000;
  int max_lookup_failures_per_code = 5;      // wrong PINs for one code, then 429
  int max_lookup_failures_per_address = 20;  // wrong codes or PINs from one address, then 429
  int64_t lookup_window_ms = 60 * 60 * 1000;
  // Argon2id cost of report PINs (libsodium "interactive"). Tests may lower it.
  unsigned long long pwhash_ops = 2;
  size_t pwhash_mem = 64 * 1024 * 1024;
};

class CaseService {
 public:
  // `key` may be null (no --key-file): then every operation is kUnavailable.
  CaseService(store::Database& db, std::shared_ptr<const MasterKey> key, CasesOptions options = {});

  Result<CaseView> Create(const access::Principal& caller, NewCase input);
  Result<std::vector<CaseSummary>> List(const access::Principal& caller, const CaseListQuery& query);
  Result<CaseView> Get(const access::Principal& caller, const std::string& id);
  Result<CaseView> Update(const access::Principal& caller, const std::string& id, CasePatch patch);
  Result<Incident> AddIncident(const access::Principal& caller, const std::string& id, NewIncident input);
  Result<std::vector<Consent>> SetConsent(const access::Principal& caller, const std::string& id,
                                          Consent consent);
  // Errors: kConsentRequired without referral consent for this provider (unless a commune
  // officer gives override_reason); kInvalidInput for a provider outside the case's province.
  Result<Referral> Refer(const access::Principal& caller, const std::string& id, NewReferral input);
  // action: accept | decline (provider, from sent) | complete (provider or case team, from accepted).
  Result<Referral> UpdateReferral(const access::Principal& caller, const std::string& referral_id,
                                  const std::string& action);
  Result<std::vector<AccessLogEntry>> AccessLog(const access::Principal& caller, const std::string& id);
  Result<void> BreakGlass(const access::Principal& caller, const std::string& id, const std::string& reason);

  // Public, anonymous. No address is stored with the report.
  Result<ReportReceipt> SubmitReport(NewReport input);
  // Errors: kNotFound (unknown code or wrong PIN, alike), kTooManyRequests.
  Result<ReportStatus> CheckReport(const std::string& code, const std::string& pin,
                                   const std::string& client_ip);

  // The triage queue: reports in the caller's places (commune officers and case workers),
  // description and contact decrypted; audited. status: received | in_progress | closed.
  Result<std::vector<TriageItem>> Triage(const access::Principal& caller, std::optional<std::string> status);

  // Requires kViewCaseStats and `org` within the caller's scope.
  Result<Stats> Statistics(const access::Principal& caller, StatsQuery query);
  // The same statistics as an XLSX file (Vietnamese headers, the same "<5" cells). Requires
  // kExportCaseStats; audited as "case.stats_exported".
  Result<std::string> ExportStatistics(const access::Principal& caller, StatsQuery query);

  // Follow-up (followup.cc). The case team (owner, assignee, break-glass) writes tasks, notes,
  // risk and the safety plan; a closed case is read-only (kConflict, field "case_closed").
  // `due` is YYYY-MM-DD; titles and notes are encrypted under the case's data key.
  Result<Task> AddTask(const access::Principal& caller, const std::string& case_id, std::string title,
                       std::string due);
  Result<Task> CompleteTask(const access::Principal& caller, const std::string& task_id);
  // Tasks of the open cases the caller owns or is assigned (scope "mine"), with survivor codes.
  Result<std::vector<Task>> Tasks(const access::Principal& caller, const TaskQuery& query);
  Result<Note> AddNote(const access::Principal& caller, const std::string& case_id, std::string text);
  // Error kInvalidInput (field "answers") for an unknown item id.
  Result<RiskAssessment> AssessRisk(const access::Principal& caller, const std::string& case_id,
                                    std::vector<std::pair<std::string, bool>> answers);
  // Each field at most 2000 characters.
  Result<SafetyPlan> SetSafetyPlan(const access::Principal& caller, const std::string& case_id, SafetyPlan plan);
  // The case team asks; the case shows status "closure_requested". kConflict if one is pending.
  Result<CaseView> RequestClosure(const access::Principal& caller, const std::string& case_id,
                                  const std::string& reason, std::optional<std::string> note);
  // A supervisor (commune officer covering the case's commune, not the requester) approves
  // (→ closed, closed_at, closure_reason) or rejects (→ open). kConflict without a pending request.
  Result<CaseView> DecideClosure(const access::Principal& caller, const std::string& case_id, bool approve,
                                 std::optional<std::string> note);

 private:
  Result<const MasterKey*> Key() const;
  Result<void> Deny(const access::Principal& caller, const std::string& id, std::string_view action);
  // Runs `fn(connection, case row, grant)` in one write transaction when `allowed(grant)`;
  // otherwise (unknown, malformed or out-of-scope id) audits "case.denied" with `action` and
  // returns kNotFound. Defined in cases/internal.h.
  template <typename T, typename Allowed, typename Fn>
  Result<T> OnCase(const access::Principal& caller, const std::string& id, std::string_view action,
                   Allowed allowed, Fn fn);

  store::Database& db_;
  std::shared_ptr<const MasterKey> key_;
  CasesOptions options_;
};

// Re-wraps every data key (and recomputes blind indexes) from `old_key` to `new_key` in one
// transaction; returns how many records were re-wrapped. Error kUnavailable if a record was
// wrapped by neither key.
Result<int64_t> RotateKeys(store::Database& db, const MasterKey& old_key, const MasterKey& new_key);

// Retention: destroys closed cases closed more than `closed_for_days` days ago by
// crypto-shredding (repository::PurgeCase); their anonymous classification still counts in
// statistics. `dry_run` only counts. Audited as "case.purged" (one entry per case) and
// "cases.purge_run". Needs no master key: nothing is decrypted.
struct PurgeReport {
  int64_t candidates = 0;
  int64_t purged = 0;
};
Result<PurgeReport> PurgeClosedCases(store::Database& db, int64_t closed_for_days, bool dry_run,
                                     int64_t now_ms);

}  // namespace khien::cases
