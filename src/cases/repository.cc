#include "cases/repository.h"

#include <sstream>

#include "base/ids.h"
#include "base/strings.h"

namespace khien::cases::repository {
namespace {

using store::Value;

Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Value(std::monostate{}); }
Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(std::monostate{}); }
int64_t B(bool v) { return v ? 1 : 0; }



constexpr const char* kCaseColumns =
    "id, survivor_code, org_code, org_path, owner_id, status, sex, birth_year, ethnicity, disability, "
    "village_code, key_id, data_key, name_enc, phone_enc, address_enc, contact_enc, blind_index, "
    "source_report_id, high_risk, created_at, updated_at, risk_level, closed_at, closure_reason";

CaseRow ToCase(const store::Row& r) {
  CaseRow x;
  x.id = r.Text(0);
  x.survivor_code = r.Text(1);
  x.org_code = r.Text(2);
  x.org_path = r.Text(3);
  x.owner_id = r.Text(4);
  x.status = r.Text(5);
  x.sex = r.Text(6);
  x.birth_year = r.OptInt(7);
  x.ethnicity = r.OptText(8);
  x.disability = r.Int(9) != 0;
  x.village_code = r.OptText(10);
  x.key_id = r.Text(11);
  x.data_key = r.Text(12);
  x.name_enc = r.OptText(13);
  x.phone_enc = r.OptText(14);
  x.address_enc = r.OptText(15);
  x.contact_enc = r.OptText(16);
  x.blind_index = r.OptText(17);
  x.source_report_id = r.OptText(18);
  x.high_risk = r.Int(19) != 0;
  x.created_at = r.Int(20);
  x.updated_at = r.Int(21);
  x.risk_level = r.OptText(22);
  x.closed_at = r.OptInt(23);
  x.closure_reason = r.OptText(24);
  return x;
}

store::Params CaseParams(const CaseRow& x) {
  return {x.id,           x.survivor_code,  x.org_code,        x.org_path,      x.owner_id,
          x.status,       x.sex,            Opt(x.birth_year), Opt(x.ethnicity), B(x.disability),
          Opt(x.village_code), x.key_id,    x.data_key,        Opt(x.name_enc), Opt(x.phone_enc),
          Opt(x.address_enc),  Opt(x.contact_enc), Opt(x.blind_index), Opt(x.source_report_id),
          B(x.high_risk), x.created_at,     x.updated_at,      Opt(x.risk_level), Opt(x.closed_at),
          Opt(x.closure_reason)};
}

Referral ToReferral(const store::Row& r) {
  Referral x;
  x.id = r.Text(0);
  x.case_id = r.Text(1);
  x.provider = r.Text(2);
  x.service = r.Text(4);
  x.status = r.Text(5);
  x.share_identity = r.Int(6) != 0;
  x.consent_overridden = !r.IsNull(7);
  x.created_at = r.Int(8);
  x.updated_at = r.Int(9);
  return x;
}

constexpr const char* kReferralColumns =
    "id, case_id, provider_code, provider_path, service, status, share_identity, override_reason, "
    "created_at, updated_at";

}  // namespace

Result<CaseRow> FindCase(store::Connection& c, const std::string& id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query(std::string("SELECT ") + kCaseColumns + " FROM case_records WHERE id = $1 AND purged_at IS NULL", {id}));
  if (rows.empty()) return Error::NotFound();
  return ToCase(rows[0]);
}

Result<void> InsertCase(store::Connection& c, const CaseRow& row) {
  std::string sql = std::string("INSERT INTO case_records (") + kCaseColumns + ") VALUES (";
  for (int i = 1; i <= 25; ++i) sql += (i > 1 ? ", $" : "$") + std::to_string(i);
  sql += ")";
  KHIEN_RETURN_IF_ERROR(c.Execute(sql, CaseParams(row)));
  return Ok();
}

Result<void> UpdateCase(store::Connection& c, const CaseRow& x) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE case_records SET owner_id = $2, status = $3, sex = $4, birth_year = $5, ethnicity = $6, "
      "disability = $7, name_enc = $8, phone_enc = $9, address_enc = $10, contact_enc = $11, "
      "blind_index = $12, high_risk = $13, updated_at = $14, risk_level = $15, closed_at = $16, "
      "closure_reason = $17 WHERE id = $1",
      {x.id, x.owner_id, x.status, x.sex, Opt(x.birth_year), Opt(x.ethnicity), B(x.disability),
       Opt(x.name_enc), Opt(x.phone_enc), Opt(x.address_enc), Opt(x.contact_enc), Opt(x.blind_index),
       B(x.high_risk), x.updated_at, Opt(x.risk_level), Opt(x.closed_at), Opt(x.closure_reason)}));
  // The statistics copies (0008) follow the case.
  KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE case_incidents SET org_path = $2, sex = $3, ethnicity = $4 WHERE case_id = $1",
                                  {x.id, x.org_path, x.sex, Opt(x.ethnicity)}));
  return Ok();
}

Result<bool> SurvivorCodeExists(store::Connection& c, const std::string& code) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT 1 FROM case_records WHERE survivor_code = $1", {code}));
  return !rows.empty();
}

Result<std::vector<std::string>> SameBlindIndex(store::Connection& c, const std::string& blind_index,
                                                const std::string& exclude_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT survivor_code FROM case_records WHERE blind_index = $1 AND id <> $2 "
                                 "ORDER BY created_at LIMIT 10",
                                 {blind_index, exclude_id}));
  std::vector<std::string> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(rows[i].Text(0));
  return out;
}

Result<std::vector<std::string>> Assignees(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT user_id FROM case_assignments WHERE case_id = $1 ORDER BY user_id", {case_id}));
  std::vector<std::string> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(rows[i].Text(0));
  return out;
}

Result<void> ReplaceAssignees(store::Connection& c, const std::string& case_id,
                              const std::vector<std::string>& user_ids) {
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM case_assignments WHERE case_id = $1", {case_id}));
  for (const auto& u : user_ids) {
    KHIEN_RETURN_IF_ERROR(c.Execute(
        "INSERT INTO case_assignments (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", {case_id, u}));
  }
  return Ok();
}

Result<bool> HasActiveBreakGlass(store::Connection& c, const std::string& case_id,
                                 const std::string& user_id, int64_t now) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT 1 FROM case_break_glass WHERE user_id = $1 AND case_id = $2 AND expires_at > $3",
                                 {user_id, case_id, now}));
  return !rows.empty();
}

Result<void> InsertBreakGlass(store::Connection& c, const std::string& case_id,
                              const std::string& user_id, const std::string& reason, int64_t now,
                              int64_t expires_at) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_break_glass (case_id, user_id, reason, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
      {case_id, user_id, reason, now, expires_at}));
  return Ok();
}

Result<std::vector<CaseSummary>> ListCases(store::Connection& c, const ListFilter& f) {
  // A pending closure request shows as its own status (0003's CHECK allows only open/closed).
  const std::string status_expr =
      "CASE WHEN c.status = 'open' AND EXISTS (SELECT 1 FROM case_closures k WHERE k.case_id = c.id AND "
      "k.decision = 'pending') THEN 'closure_requested' ELSE c.status END";
  std::string sql = "SELECT c.id, c.survivor_code, c.org_code, " + status_expr +
                    ", c.high_risk, c.created_at, c.risk_level FROM case_records c WHERE c.purged_at IS NULL AND ";
  store::Params params;
  auto p = [&](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::vector<std::string> any;  // OR-ed grants; an empty list matches nothing
  if (f.user_id) {
    const std::string u = p(*f.user_id);
    // A set of ids from two indexes (owner, assignment), not an OR that would scan every case.
    any.push_back("c.id IN (SELECT o.id FROM case_records o WHERE o.owner_id = " + u +
                  " UNION SELECT a.case_id FROM case_assignments a WHERE a.user_id = " + u + ")");
  }
  if (f.path_range) {
    any.push_back("(c.org_path >= " + p(f.path_range->first) + " AND c.org_path < " + p(f.path_range->second) + ")");
  }
  if (f.provider_range) {
    any.push_back("EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id AND r.status IN ('sent', 'accepted') "
                  "AND r.provider_path >= " + p(f.provider_range->first) + " AND r.provider_path < " + p(f.provider_range->second) +
                  " AND (r.provider_code = " + p(f.provider_self) + " OR EXISTS (SELECT 1 FROM org_units u WHERE "
                  "u.code = r.provider_code AND u.kind = 'trusted_address')))");
  }
  if (any.empty()) return std::vector<CaseSummary>{};
  std::string grants;
  for (const auto& g : any) grants += (grants.empty() ? "(" : " OR (") + g + ")";
  sql += "(" + grants + ")";
  if (f.status) sql += " AND " + status_expr + " = " + p(*f.status);
  // "|| ''" keeps SQLite's planner off the risk index: a third of all cases share a level, so
  // walking it is far slower than the caller's own few hundred cases (PostgreSQL plans either well).
  if (f.risk) sql += " AND c.risk_level || '' = " + p(*f.risk);
  sql += " ORDER BY c.created_at DESC, c.id DESC LIMIT " + p(static_cast<int64_t>(f.limit));
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::vector<CaseSummary> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    store::Row r = rows[i];
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4) != 0, r.OptText(6), r.Int(5)});
  }
  return out;
}

Result<std::vector<Incident>> Incidents(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(
      store::Rows rows,
      c.Query("SELECT id, occurred_on, place_type, core_type, context_flags, dv_acts, perpetrator_relation, "
              "perpetrator_sex, perpetrator_age_group, survivor_age, child_under_16, child_under_18, created_at "
              "FROM case_incidents WHERE case_id = $1 ORDER BY occurred_on, id",
              {case_id}));
  std::vector<Incident> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    store::Row r = rows[i];
    Incident x;
    x.id = r.Text(0);
    x.occurred_on = r.Text(1);
    x.place_type = r.OptText(2);
    x.core_type = r.Text(3);
    x.context_flags = SplitComma(r.Text(4));
    x.dv_acts = SplitComma(r.Text(5));
    x.perpetrator_relation = r.OptText(6);
    x.perpetrator_sex = r.OptText(7);
    x.perpetrator_age_group = r.OptText(8);
    x.survivor_age = r.OptInt(9);
    x.child_under_16 = r.Int(10) != 0;
    x.child_under_18 = r.Int(11) != 0;
    x.created_at = r.Int(12);
    out.push_back(std::move(x));
  }
  return out;
}

Result<void> InsertIncident(store::Connection& c, const std::string& case_id, const Incident& x,
                            const std::string& created_by) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_incidents (id, case_id, occurred_on, place_type, core_type, context_flags, dv_acts, "
      "perpetrator_relation, perpetrator_sex, perpetrator_age_group, survivor_age, child_under_16, "
      "child_under_18, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
      {x.id, case_id, x.occurred_on, Opt(x.place_type), x.core_type, JoinComma(x.context_flags), JoinComma(x.dv_acts),
       Opt(x.perpetrator_relation), Opt(x.perpetrator_sex), Opt(x.perpetrator_age_group), Opt(x.survivor_age),
       B(x.child_under_16), B(x.child_under_18), created_by, x.created_at}));
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE case_incidents SET org_path = c.org_path, sex = c.sex, ethnicity = c.ethnicity, counted = CASE WHEN "
      "EXISTS (SELECT 1 FROM case_consents s WHERE s.case_id = c.id AND s.purpose = 'statistics' AND "
      "s.provider_code = '' AND s.granted = 1) THEN 1 ELSE 0 END FROM case_records c "
      "WHERE case_incidents.id = $1 AND c.id = case_incidents.case_id",
      {x.id}));
  return Ok();
}

Result<std::vector<Consent>> Consents(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT purpose, provider_code, granted, recorded_at FROM case_consents "
                                 "WHERE case_id = $1 ORDER BY purpose, provider_code",
                                 {case_id}));
  std::vector<Consent> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    store::Row r = rows[i];
    out.push_back({r.Text(0), r.Text(1), r.Int(2) != 0, r.Int(3)});
  }
  return out;
}

Result<void> UpsertConsent(store::Connection& c, const std::string& case_id, const Consent& x,
                           const std::string& recorded_by) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_consents (case_id, purpose, provider_code, granted, recorded_by, recorded_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id, purpose, provider_code) DO UPDATE SET "
      "granted = excluded.granted, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
      {case_id, x.purpose, x.provider, B(x.granted), recorded_by, x.recorded_at}));
  if (x.purpose == "statistics") {
    KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE case_incidents SET counted = $2 WHERE case_id = $1", {case_id, B(x.granted)}));
  }
  return Ok();
}

Result<std::vector<ReferralRow>> Referrals(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query(std::string("SELECT ") + kReferralColumns +
                                     " FROM case_referrals WHERE case_id = $1 ORDER BY created_at, id",
                                 {case_id}));
  std::vector<ReferralRow> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back({ToReferral(rows[i]), rows[i].Text(3)});
  return out;
}

Result<ReferralRow> FindReferral(store::Connection& c, const std::string& id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query(std::string("SELECT ") + kReferralColumns + " FROM case_referrals WHERE id = $1", {id}));
  if (rows.empty()) return Error::NotFound();
  return ReferralRow{ToReferral(rows[0]), rows[0].Text(3)};
}

Result<void> InsertReferral(store::Connection& c, const ReferralRow& row,
                            const std::optional<std::string>& override_reason,
                            const std::string& created_by) {
  const Referral& x = row.referral;
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_referrals (id, case_id, provider_code, provider_path, service, status, share_identity, "
      "override_reason, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {x.id, x.case_id, x.provider, row.provider_path, x.service, x.status, B(x.share_identity),
       Opt(override_reason), created_by, x.created_at, x.updated_at}));
  return Ok();
}

Result<void> SetReferralStatus(store::Connection& c, const std::string& id, const std::string& status,
                               int64_t now) {
  KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE case_referrals SET status = $2, updated_at = $3 WHERE id = $1",
                                  {id, status, now}));
  return Ok();
}

Result<void> InsertReport(store::Connection& c, const ReportRow& x) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO public_reports (id, code_hash, pin_hash, org_code, org_path, anonymous, about, key_id, "
      "data_key, description_enc, contact_enc, status, case_id, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
      {x.id, x.code_hash, x.pin_hash, Opt(x.org_code), x.org_path, B(x.anonymous), x.about, x.key_id,
       x.data_key, x.description_enc, Opt(x.contact_enc), x.status, Opt(x.case_id), x.created_at,
       x.updated_at}));
  return Ok();
}

namespace {
constexpr const char* kReportColumns =
    "id, code_hash, pin_hash, org_code, org_path, anonymous, about, key_id, data_key, description_enc, "
    "contact_enc, status, case_id, created_at, updated_at";

ReportRow ToReport(const store::Row& r) {
  ReportRow x;
  x.id = r.Text(0);
  x.code_hash = r.Text(1);
  x.pin_hash = r.Text(2);
  x.org_code = r.OptText(3);
  x.org_path = r.Text(4);
  x.anonymous = r.Int(5) != 0;
  x.about = r.Text(6);
  x.key_id = r.Text(7);
  x.data_key = r.Text(8);
  x.description_enc = r.Text(9);
  x.contact_enc = r.OptText(10);
  x.status = r.Text(11);
  x.case_id = r.OptText(12);
  x.created_at = r.Int(13);
  x.updated_at = r.Int(14);
  return x;
}
}  // namespace

Result<ReportRow> FindReportByCodeHash(store::Connection& c, const std::string& code_hash) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(std::string("SELECT ") + kReportColumns +
                                                       " FROM public_reports WHERE code_hash = $1", {code_hash}));
  if (rows.empty()) return Error::NotFound();
  return ToReport(rows[0]);
}

Result<ReportRow> FindReportById(store::Connection& c, const std::string& id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(std::string("SELECT ") + kReportColumns +
                                                       " FROM public_reports WHERE id = $1", {id}));
  if (rows.empty()) return Error::NotFound();
  return ToReport(rows[0]);
}

Result<std::vector<ReportRow>> ReportsIn(store::Connection& c, const std::pair<std::string, std::string>& range,
                                         const std::optional<std::string>& status, int limit) {
  store::Params params{range.first, range.second, static_cast<int64_t>(limit)};
  std::string sql = std::string("SELECT ") + kReportColumns +
                    " FROM public_reports WHERE org_path >= $1 AND org_path < $2";
  if (status) {
    params.push_back(*status);
    sql += " AND status = $4";
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT $3";
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::vector<ReportRow> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(ToReport(rows[i]));
  return out;
}

Result<void> LinkReport(store::Connection& c, const std::string& report_id, const std::string& case_id,
                        int64_t now) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE public_reports SET case_id = $2, status = 'in_progress', updated_at = $3 WHERE id = $1",
      {report_id, case_id, now}));
  return Ok();
}

Result<int64_t> CountLookupFailures(store::Connection& c, const std::string& key, int64_t since) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT COUNT(*) FROM report_lookup_failures WHERE throttle_key = $1 AND at >= $2",
                                 {key, since}));
  return rows[0].Int(0);
}

Result<void> InsertLookupFailure(store::Connection& c, const std::string& key, int64_t at) {
  KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO report_lookup_failures (throttle_key, at) VALUES ($1, $2)", {key, at}));
  return Ok();
}

Result<std::vector<std::pair<std::string, int64_t>>> StatsRows(store::Connection& c,
                                                              const StatsFilter& f,
                                                              const std::string& by) {
  // Only cases whose survivor consented to statistics; incidents are the counting unit
  // (GBVIMS), except referral_status which counts referrals. Incidents carry copies of the
  // case's org path, sex, ethnicity and consent (0008), so every dimension but referrals is one
  // range scan of case_incidents_stats.
  store::Params params{f.path_range.first, f.path_range.second};
  std::string where = " WHERE i.counted = 1 AND i.org_path >= $1 AND i.org_path < $2";
  if (f.from) {
    params.push_back(*f.from);
    where += " AND i.occurred_on >= $" + std::to_string(params.size());
  }
  if (f.to) {
    params.push_back(*f.to);
    where += " AND i.occurred_on <= $" + std::to_string(params.size());
  }
  std::string column;
  if (by == "core_type") column = "i.core_type";
  else if (by == "sex") column = "i.sex";
  else if (by == "ethnicity") column = "COALESCE(i.ethnicity, 'unknown')";
  else if (by == "commune") column = "i.org_path";
  else if (by == "context") column = "i.context_flags";
  else if (by == "age_group") column = "COALESCE(CAST(i.survivor_age AS TEXT), '')";
  else if (by == "referral_status") column = "r.status";
  else return Error::InvalidInput("by", "Nhóm thống kê không hợp lệ.", "Unknown statistics dimension.");
  std::string sql = "SELECT " + column + ", COUNT(*) FROM case_incidents i";
  if (by == "referral_status") {
    // One row per referral of a case that has a counted incident in the period.
    sql = "SELECT r.status, COUNT(DISTINCT r.id) FROM case_incidents i JOIN case_referrals r ON r.case_id = i.case_id";
  }
  sql += where + " GROUP BY " + column;
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::vector<std::pair<std::string, int64_t>> out;
  for (size_t i = 0; i < rows.size(); ++i) out.emplace_back(rows[i].Text(0), rows[i].Int(1));
  return out;
}

Result<std::vector<WrappedKey>> AllWrappedKeys(store::Connection& c) {
  std::vector<WrappedKey> out;
  KHIEN_ASSIGN_OR_RETURN(store::Rows cases,
                         c.Query("SELECT id, key_id, data_key, name_enc, birth_year FROM case_records "
                                 "WHERE purged_at IS NULL ORDER BY id"));
  for (size_t i = 0; i < cases.size(); ++i) {
    store::Row r = cases[i];
    out.push_back({"case_records", r.Text(0), r.Text(1), r.Text(2), r.OptText(3), r.OptInt(4)});
  }
  KHIEN_ASSIGN_OR_RETURN(store::Rows reports, c.Query("SELECT id, key_id, data_key FROM public_reports ORDER BY id"));
  for (size_t i = 0; i < reports.size(); ++i) {
    store::Row r = reports[i];
    out.push_back({"public_reports", r.Text(0), r.Text(1), r.Text(2), std::nullopt, std::nullopt});
  }
  return out;
}

Result<void> Rewrap(store::Connection& c, const WrappedKey& key, const std::string& new_key_id,
                    const std::string& new_data_key, const std::optional<std::string>& blind_index) {
  if (key.table == "case_records") {
    KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE case_records SET key_id = $2, data_key = $3, blind_index = $4 WHERE id = $1",
                                    {key.id, new_key_id, new_data_key, Opt(blind_index)}));
  } else {
    KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE public_reports SET key_id = $2, data_key = $3 WHERE id = $1",
                                    {key.id, new_key_id, new_data_key}));
  }
  return Ok();
}

Result<void> InsertTask(store::Connection& c, const TaskRow& x) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_tasks (id, case_id, title_enc, due, done, created_by, created_at) "
      "VALUES ($1, $2, $3, $4, 0, $5, $6)",
      {x.id, x.case_id, x.title_enc, x.due, x.created_by, x.created_at}));
  return Ok();
}

namespace {
constexpr const char* kTaskSelect =
    "SELECT t.id, t.case_id, t.title_enc, t.due, t.done, t.done_at, COALESCE(u.username, ''), t.created_at, "
    "c.survivor_code, c.key_id, c.data_key, c.status FROM case_tasks t JOIN case_records c ON c.id = t.case_id "
    "LEFT JOIN users u ON u.id = t.created_by ";

TaskRow ToTask(const store::Row& r) {
  TaskRow x;
  x.id = r.Text(0);
  x.case_id = r.Text(1);
  x.title_enc = r.Text(2);
  x.due = r.Text(3);
  x.done = r.Int(4) != 0;
  x.done_at = r.OptInt(5);
  x.created_by = r.Text(6);
  x.created_at = r.Int(7);
  x.survivor_code = r.Text(8);
  x.key_id = r.Text(9);
  x.data_key = r.Text(10);
  x.case_status = r.Text(11);
  return x;
}

Result<std::vector<TaskRow>> Tasks(store::Connection& c, const std::string& sql, const store::Params& params) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::vector<TaskRow> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(ToTask(rows[i]));
  return out;
}
}  // namespace

Result<std::vector<TaskRow>> TasksOf(store::Connection& c, const std::string& case_id) {
  return Tasks(c, std::string(kTaskSelect) + "WHERE t.case_id = $1 ORDER BY t.done, t.due, t.id", {case_id});
}

Result<TaskRow> FindTask(store::Connection& c, const std::string& id) {
  KHIEN_ASSIGN_OR_RETURN(auto rows, Tasks(c, std::string(kTaskSelect) + "WHERE t.id = $1 AND c.purged_at IS NULL", {id}));
  if (rows.empty()) return Error::NotFound();
  return std::move(rows[0]);
}

Result<void> MarkTaskDone(store::Connection& c, const std::string& id, const std::string& user_id, int64_t now) {
  KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE case_tasks SET done = 1, done_by = $2, done_at = $3 WHERE id = $1",
                                  {id, user_id, now}));
  return Ok();
}

Result<std::vector<TaskRow>> TasksForUser(store::Connection& c, const std::string& user_id,
                                          std::optional<bool> overdue, const std::string& today, int limit) {
  std::string sql = std::string(kTaskSelect) +
                    "WHERE c.purged_at IS NULL AND c.status = 'open' AND c.id IN (SELECT o.id FROM case_records o WHERE "
                    "o.owner_id = $1 UNION SELECT a.case_id FROM case_assignments a WHERE a.user_id = $1)";
  store::Params params{user_id, static_cast<int64_t>(limit)};
  if (overdue) {
    params.push_back(today);
    sql += *overdue ? " AND t.done = 0 AND t.due < $3" : " AND NOT (t.done = 0 AND t.due < $3)";
  }
  sql += " ORDER BY t.done, t.due, t.id LIMIT $2";
  return Tasks(c, sql, params);
}

Result<void> InsertNote(store::Connection& c, const std::string& case_id, const NoteRow& x) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_notes (id, case_id, author_id, text_enc, created_at) VALUES ($1, $2, $3, $4, $5)",
      {x.id, case_id, x.author, x.text_enc, x.created_at}));
  return Ok();
}

Result<std::vector<NoteRow>> NotesOf(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT n.id, COALESCE(u.username, ''), n.text_enc, n.created_at FROM case_notes n "
                                 "LEFT JOIN users u ON u.id = n.author_id WHERE n.case_id = $1 "
                                 "ORDER BY n.created_at DESC, n.id DESC",
                                 {case_id}));
  std::vector<NoteRow> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Text(0), rows[i].Text(1), rows[i].Text(2), rows[i].Int(3)});
  }
  return out;
}

Result<void> UpsertRisk(store::Connection& c, const std::string& case_id, const RiskRow& x) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_risk (case_id, level, score, answers_enc, assessed_by, assessed_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id) DO UPDATE SET level = excluded.level, "
      "score = excluded.score, answers_enc = excluded.answers_enc, assessed_by = excluded.assessed_by, "
      "assessed_at = excluded.assessed_at",
      {case_id, x.level, x.score, x.answers_enc, x.assessed_by, x.assessed_at}));
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE case_records SET risk_level = $2, high_risk = $3, updated_at = $4 WHERE id = $1",
      {case_id, x.level, B(x.level == "high"), x.assessed_at}));
  return Ok();
}

Result<std::optional<RiskRow>> RiskOf(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT r.level, r.score, r.answers_enc, COALESCE(u.username, ''), r.assessed_at "
                                 "FROM case_risk r LEFT JOIN users u ON u.id = r.assessed_by WHERE r.case_id = $1",
                                 {case_id}));
  if (rows.empty()) return std::optional<RiskRow>();
  return std::optional<RiskRow>(RiskRow{rows[0].Text(0), rows[0].Int(1), rows[0].Text(2), rows[0].Text(3), rows[0].Int(4)});
}

Result<void> UpsertSafetyPlan(store::Connection& c, const std::string& case_id, const SafetyPlanRow& x) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_safety_plans (case_id, plan_enc, updated_by, updated_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (case_id) DO UPDATE SET plan_enc = excluded.plan_enc, updated_by = excluded.updated_by, "
      "updated_at = excluded.updated_at",
      {case_id, x.plan_enc, x.updated_by, x.updated_at}));
  return Ok();
}

Result<std::optional<SafetyPlanRow>> SafetyPlanOf(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT p.plan_enc, COALESCE(u.username, ''), p.updated_at FROM case_safety_plans p "
                                 "LEFT JOIN users u ON u.id = p.updated_by WHERE p.case_id = $1",
                                 {case_id}));
  if (rows.empty()) return std::optional<SafetyPlanRow>();
  return std::optional<SafetyPlanRow>(SafetyPlanRow{rows[0].Text(0), rows[0].Text(1), rows[0].Int(2)});
}

Result<void> InsertClosure(store::Connection& c, const ClosureRow& x) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO case_closures (id, case_id, reason, note_enc, requested_by, requested_at, decision) "
      "VALUES ($1, $2, $3, $4, $5, $6, 'pending')",
      {x.id, x.case_id, x.reason, Opt(x.note_enc), x.requested_by, x.requested_at}));
  return Ok();
}

Result<std::optional<ClosureRow>> PendingClosure(store::Connection& c, const std::string& case_id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT k.id, k.case_id, k.reason, k.note_enc, k.requested_by, COALESCE(u.username, ''), "
                                 "k.requested_at FROM case_closures k LEFT JOIN users u ON u.id = k.requested_by "
                                 "WHERE k.case_id = $1 AND k.decision = 'pending' ORDER BY k.requested_at DESC LIMIT 1",
                                 {case_id}));
  if (rows.empty()) return std::optional<ClosureRow>();
  store::Row r = rows[0];
  return std::optional<ClosureRow>(ClosureRow{r.Text(0), r.Text(1), r.Text(2), r.OptText(3), r.Text(4), r.Text(5), r.Int(6)});
}

Result<void> DecideClosure(store::Connection& c, const std::string& closure_id, const std::string& decision,
                           const std::optional<std::string>& note_enc, const std::string& user_id, int64_t now) {
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE case_closures SET decision = $2, decision_note_enc = $3, decided_by = $4, decided_at = $5 "
      "WHERE id = $1 AND decision = 'pending'",
      {closure_id, decision, Opt(note_enc), user_id, now}));
  return Ok();
}

Result<void> CloseLinkedReport(store::Connection& c, const std::string& case_id, int64_t now) {
  KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE public_reports SET status = 'closed', updated_at = $2 WHERE case_id = $1",
                                  {case_id, now}));
  return Ok();
}

Result<std::vector<CaseRow>> ClosedBefore(store::Connection& c, int64_t closed_before) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query(std::string("SELECT ") + kCaseColumns +
                                     " FROM case_records WHERE status = 'closed' AND purged_at IS NULL AND "
                                     "closed_at IS NOT NULL AND closed_at < $1 ORDER BY closed_at, id",
                                 {closed_before}));
  std::vector<CaseRow> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(ToCase(rows[i]));
  return out;
}

Result<void> PurgeCase(store::Connection& c, const CaseRow& row, const std::string& commune_code,
                       const std::string& commune_path, int64_t now) {
  const std::string& id = row.id;
  for (const char* table : {"case_tasks", "case_notes", "case_risk", "case_safety_plans", "case_closures",
                            "case_assignments", "case_break_glass"}) {
    KHIEN_RETURN_IF_ERROR(c.Execute(std::string("DELETE FROM ") + table + " WHERE case_id = $1", {id}));
  }
  // Consents other than statistics say who may receive her; statistics consent decides counting.
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM case_consents WHERE case_id = $1 AND purpose <> 'statistics'", {id}));
  KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE case_referrals SET override_reason = NULL WHERE case_id = $1", {id}));
  KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM public_reports WHERE case_id = $1", {id}));
  // Incidents keep their classification; survivor_age already holds what age_group needs.
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "UPDATE case_records SET key_id = 'purged', data_key = '', name_enc = NULL, phone_enc = NULL, "
      "address_enc = NULL, contact_enc = NULL, blind_index = NULL, birth_year = NULL, disability = 0, "
      "village_code = NULL, source_report_id = NULL, org_code = $2, org_path = $3, high_risk = 0, risk_level = NULL, "
      "purged_at = $4, updated_at = $4 WHERE id = $1",
      {id, commune_code, commune_path, now}));
  KHIEN_RETURN_IF_ERROR(c.Execute("UPDATE case_incidents SET org_path = $2 WHERE case_id = $1", {id, commune_path}));
  return Ok();
}

}  // namespace khien::cases::repository
