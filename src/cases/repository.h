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
};

// Error kNotFound for an unknown id.
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
  std::optional<std::string> status;
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
