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

 private:
  Result<const MasterKey*> Key() const;
  Result<void> Deny(const access::Principal& caller, const std::string& id, std::string_view action);

  store::Database& db_;
  std::shared_ptr<const MasterKey> key_;
  CasesOptions options_;
};

// Re-wraps every data key (and recomputes blind indexes) from `old_key` to `new_key` in one
// transaction; returns how many records were re-wrapped. Error kUnavailable if a record was
// wrapped by neither key.
Result<int64_t> RotateKeys(store::Database& db, const MasterKey& old_key, const MasterKey& new_key);

}  // namespace khien::cases
