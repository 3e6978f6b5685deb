#include "moderation/repository.h"

#include <utility>

#include "access/access.h"

namespace khien::moderation::repository {
namespace {

using store::Value;

Value Opt(const std::optional<std::string>& s) { return s ? Value(*s) : Value(std::monostate{}); }

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

constexpr std::string_view kReportColumns =
    "r.id, r.text, r.verdict, r.categories, r.shown_verdict, r.org_code, r.status, r.label, "
    "r.decided_by, r.decided_at, r.created_at";

Report ReportFrom(const store::Row& row) {
  Report r;
  r.id = row.Text(0);
  r.text = row.Text(1);
  r.verdict = row.Text(2);
  r.categories = SplitCommas(row.Text(3));
  r.shown_verdict = row.OptText(4);
  r.org_code = row.OptText(5);
  r.status = row.Text(6);
  r.label = row.OptText(7);
  r.decided_by = row.OptText(8);
  r.decided_at = row.OptInt(9);
  r.created_at = row.Int(10);
  return r;
}

// "(r.org_code IS NULL OR (o.path >= $n AND o.path < $n+1) OR ...)" with its parameters: a
// moderator sees reports without a place and those from her own org units' subtrees.
std::string ScopeClause(const std::vector<std::string>& org_paths, bool all, store::Params* params) {
  if (all) return "1 = 1";
  std::string sql = "(r.org_code IS NULL";
  for (const std::string& path : org_paths) {
    auto [first, second] = access::SubtreeRange(path);
    params->push_back(first);
    sql += " OR (o.path >= $" + std::to_string(params->size());
    params->push_back(second);
    sql += " AND o.path < $" + std::to_string(params->size()) + ")";
  }
  return sql + ")";
}

constexpr std::string_view kEntryColumns = "id, kind, value, list, source_report, created_by, created_at";

ListEntry EntryFrom(const store::Row& row) {
  return {row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.OptText(4), row.OptText(5), row.Int(6)};
}

}  // namespace

Result<void> InsertReport(store::Connection& c, const Report& r) {
  std::string categories;
  for (const std::string& cat : r.categories) categories += (categories.empty() ? "" : ",") + cat;
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute(
      "INSERT INTO safety_reports (id, text, verdict, categories, shown_verdict, org_code, status, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {r.id, r.text, r.verdict, categories, Opt(r.shown_verdict), Opt(r.org_code), r.status, r.created_at}));
  (void)n;
  return Ok();
}

Result<void> InsertFeedback(store::Connection& c, const std::string& id, const std::string& verdict,
                            bool correct, int64_t at) {
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute(
      "INSERT INTO safety_feedback (id, verdict, correct, created_at) VALUES ($1, $2, $3, $4)",
      {id, verdict, int64_t{correct ? 1 : 0}, at}));
  (void)n;
  return Ok();
}

Result<std::vector<Report>> ListReports(store::Connection& c, const std::string& status,
                                        const std::vector<std::string>& org_paths, bool all, int limit) {
  store::Params params{status};
  const std::string scope = ScopeClause(org_paths, all, &params);
  params.push_back(int64_t{limit});
  const std::string sql = "SELECT " + std::string(kReportColumns) +
                          " FROM safety_reports r LEFT JOIN org_units o ON o.code = r.org_code"
                          " WHERE r.status = $1 AND " + scope +
                          " ORDER BY r.created_at DESC, r.id DESC LIMIT $" + std::to_string(params.size());
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::vector<Report> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(ReportFrom(rows[i]));
  return out;
}

Result<Report> GetReport(store::Connection& c, const std::string& id,
                         const std::vector<std::string>& org_paths, bool all) {
  store::Params params{id};
  const std::string scope = ScopeClause(org_paths, all, &params);
  const std::string sql = "SELECT " + std::string(kReportColumns) +
                          " FROM safety_reports r LEFT JOIN org_units o ON o.code = r.org_code"
                          " WHERE r.id = $1 AND " + scope;
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  if (rows.empty()) return Error::NotFound("Không tìm thấy báo cáo.", "Report not found.");
  return ReportFrom(rows[0]);
}

Result<void> MarkConfirmed(store::Connection& c, const std::string& id, const std::string& label,
                           const std::string& by, int64_t at) {
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute(
      "UPDATE safety_reports SET status = 'confirmed', label = $2, decided_by = $3, decided_at = $4 "
      "WHERE id = $1",
      {id, label, by, at}));
  if (n != 1) return Error::NotFound("Không tìm thấy báo cáo.", "Report not found.");
  return Ok();
}

Result<std::pair<int64_t, int64_t>> CountConfirmed(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT COALESCE(SUM(CASE WHEN label = 'scam' THEN 1 ELSE 0 END), 0), "
                                 "COALESCE(SUM(CASE WHEN label = 'safe' THEN 1 ELSE 0 END), 0) "
                                 "FROM safety_reports WHERE status = 'confirmed'"));
  return std::make_pair(rows[0].Int(0), rows[0].Int(1));
}

Result<bool> OrgUnitExists(store::Connection& c, const std::string& code) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT 1 FROM org_units WHERE code = $1", {code}));
  return !rows.empty();
}

Result<std::vector<ListEntry>> ListEntries(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT " + std::string(kEntryColumns) +
                                 " FROM safety_list_entries ORDER BY created_at DESC, id DESC"));
  std::vector<ListEntry> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(EntryFrom(rows[i]));
  return out;
}

Result<std::optional<ListEntry>> InsertEntryIfNew(store::Connection& c, const ListEntry& e) {
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute(
      "INSERT INTO safety_list_entries (id, kind, value, list, source_report, created_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, value, list) DO NOTHING",
      {e.id, e.kind, e.value, e.list, Opt(e.source_report), Opt(e.created_by), e.created_at}));
  if (n == 0) return std::optional<ListEntry>();
  return std::optional<ListEntry>(e);
}

Result<ListEntry> GetEntry(store::Connection& c, const std::string& id) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT " + std::string(kEntryColumns) +
                                 " FROM safety_list_entries WHERE id = $1", {id}));
  if (rows.empty()) return Error::NotFound("Không tìm thấy mục trong danh sách.", "List entry not found.");
  return EntryFrom(rows[0]);
}

Result<void> DeleteEntry(store::Connection& c, const std::string& id) {
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute("DELETE FROM safety_list_entries WHERE id = $1", {id}));
  if (n != 1) return Error::NotFound("Không tìm thấy mục trong danh sách.", "List entry not found.");
  return Ok();
}

Result<std::vector<RuleSettingRow>> ListRuleSettings(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT rule_id, enabled, weight, updated_by, updated_at "
                                 "FROM safety_rule_settings ORDER BY rule_id"));
  std::vector<RuleSettingRow> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const store::Row row = rows[i];
    RuleSettingRow r;
    r.rule_id = row.Text(0);
    r.enabled = row.Int(1) != 0;
    if (!row.IsNull(2)) r.weight = row.Real(2);
    r.updated_by = row.OptText(3);
    r.updated_at = row.Int(4);
    out.push_back(std::move(r));
  }
  return out;
}

Result<void> UpsertRuleSetting(store::Connection& c, const RuleSettingRow& r) {
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute(
      "INSERT INTO safety_rule_settings (rule_id, enabled, weight, updated_by, updated_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (rule_id) DO UPDATE SET enabled = excluded.enabled, "
      "weight = excluded.weight, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
      {r.rule_id, static_cast<int64_t>(r.enabled ? 1 : 0),
       r.weight ? Value(*r.weight) : Value(std::monostate{}), Opt(r.updated_by), r.updated_at}));
  (void)n;
  return Ok();
}

Result<void> BumpSyncVersion(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(int64_t n, c.Execute("UPDATE safety_sync SET version = version + 1 WHERE id = 1"));
  (void)n;
  return Ok();
}

Result<int64_t> SyncVersion(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT version FROM safety_sync WHERE id = 1"));
  if (rows.empty()) return int64_t{0};
  return rows[0].Int(0);
}

}  // namespace khien::moderation::repository
