#include "org/repository.h"

#include <map>
#include <set>

#include "access/access.h"
#include "base/ids.h"
#include "base/text.h"

namespace khien::org::repository {
namespace {

constexpr const char* kColumns =
    "o.code, o.parent_code, o.level, o.kind, o.name, o.full_name, o.name_en, o.path, "
    "(SELECT COUNT(*) FROM org_units ch WHERE ch.parent_code = o.code)";

OrgUnit FromRow(const store::Row& r) {
  OrgUnit u;
  u.code = r.Text(0);
  u.parent_code = r.OptText(1);
  u.level = ParseLevel(r.Text(2)).value_or(Level::kPoint);
  u.kind = r.OptText(3);
  u.name = r.Text(4);
  u.full_name = r.Text(5);
  u.name_en = r.Text(6);
  u.path = r.Text(7);
  u.children_count = r.Int(8);
  return u;
}

std::vector<std::string> AncestorCodes(const std::string& path) {
  std::vector<std::string> codes;
  size_t start = 1;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) break;
    codes.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!codes.empty()) codes.pop_back();  // the unit itself
  return codes;
}

// One query for the ancestors of every unit in `units`.
Result<void> FillAncestors(store::Connection& c, std::vector<OrgUnit>& units) {
  std::set<std::string> wanted;
  for (const OrgUnit& u : units) {
    for (std::string& code : AncestorCodes(u.path)) wanted.insert(std::move(code));
  }
  if (wanted.empty()) return Ok();
  std::string sql = "SELECT code, name, level FROM org_units WHERE code IN (";
  store::Params params;
  for (const std::string& code : wanted) {
    if (!params.empty()) sql += ", ";
    params.emplace_back(code);
    sql += "$" + std::to_string(params.size());
  }
  sql += ")";
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::map<std::string, Ancestor> by_code;
  for (size_t i = 0; i < rows.size(); ++i) {
    by_code[rows[i].Text(0)] =
        Ancestor{rows[i].Text(0), rows[i].Text(1), ParseLevel(rows[i].Text(2)).value_or(Level::kProvince)};
  }
  for (OrgUnit& u : units) {
    for (const std::string& code : AncestorCodes(u.path)) {
      auto it = by_code.find(code);
      if (it != by_code.end()) u.ancestors.push_back(it->second);
    }
  }
  return Ok();
}

// LIKE pattern for "contains", with the wildcard characters of the input escaped.
std::string LikeEscape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  return out;
}

}  // namespace

Result<OrgUnit> FindByCode(store::Connection& c, const std::string& code) {
  KHIEN_ASSIGN_OR_RETURN(
      store::Rows rows,
      c.Query(std::string("SELECT ") + kColumns + " FROM org_units o WHERE o.code = $1", {code}));
  if (rows.empty()) {
    return Error::NotFound("Không tìm thấy đơn vị hành chính.", "Administrative unit not found.");
  }
  std::vector<OrgUnit> units{FromRow(rows[0])};
  KHIEN_RETURN_IF_ERROR(FillAncestors(c, units));
  return std::move(units.front());
}

Result<std::vector<OrgUnit>> Search(store::Connection& c, const SearchQuery& query) {
  SearchQuery q = query;
  q.text = text::Fold(q.text);
  std::string sql = std::string("SELECT ") + kColumns + " FROM org_units o WHERE 1 = 1";
  store::Params params;
  auto bind = [&](store::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string order = "o.name_fold";
  if (!q.text.empty()) {
    const std::string escaped = LikeEscape(q.text);
    sql += " AND o.name_fold LIKE " + bind("%" + escaped + "%") + " ESCAPE '\\'";
    order = "CASE WHEN o.name_fold = " + bind(q.text) + " THEN 0 WHEN o.name_fold LIKE " +
            bind(escaped + "%") + " ESCAPE '\\' THEN 1 ELSE 2 END, " +
            "CASE o.level WHEN 'province' THEN 0 WHEN 'commune' THEN 1 WHEN 'village' THEN 2 ELSE 3 END, "
            "o.name_fold";
  }
  if (q.parent) sql += " AND o.parent_code = " + bind(*q.parent);
  if (q.within) {
    KHIEN_ASSIGN_OR_RETURN(store::Rows root,
                           c.Query("SELECT path FROM org_units WHERE code = $1", {*q.within}));
    if (root.empty()) return std::vector<OrgUnit>{};
    auto [first, second] = access::SubtreeRange(root[0].Text(0));
    sql += " AND o.path >= " + bind(first) + " AND o.path < " + bind(second);
  }
  if (q.level) sql += " AND o.level = " + bind(std::string(LevelName(*q.level)));
  if (q.text.empty() && !q.parent && !q.within && !q.level) sql += " AND o.level = 'province'";
  sql += " ORDER BY " + order + ", o.code LIMIT " + bind(static_cast<int64_t>(q.limit));
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, params));
  std::vector<OrgUnit> units;
  units.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) units.push_back(FromRow(rows[i]));
  KHIEN_RETURN_IF_ERROR(FillAncestors(c, units));
  return units;
}

Result<int64_t> CountChildren(store::Connection& c, const std::string& parent_code) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows,
                         c.Query("SELECT COUNT(*) FROM org_units WHERE parent_code = $1", {parent_code}));
  return rows[0].Int(0);
}

Result<void> Insert(store::Connection& c, const OrgUnit& u, const std::string& created_by) {
  store::Value kind = u.kind ? store::Value(*u.kind) : store::Value();
  store::Value parent = u.parent_code ? store::Value(*u.parent_code) : store::Value();
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO org_units (code, parent_code, level, kind, name, name_fold, full_name, name_en, "
      "path, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {u.code, parent, std::string(LevelName(u.level)), kind, u.name, text::Fold(u.name), u.full_name,
       u.name_en, u.path, NowMillis(), created_by}));
  return Ok();
}

Result<std::unordered_set<std::string>> AllCodes(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT code FROM org_units"));
  std::unordered_set<std::string> codes;
  for (size_t i = 0; i < rows.size(); ++i) codes.insert(rows[i].Text(0));
  return codes;
}

Result<void> InsertMany(store::Connection& c, const std::vector<OrgUnit>& units) {
  std::vector<std::vector<store::Value>> rows;
  rows.reserve(units.size());
  const int64_t now = NowMillis();
  for (const OrgUnit& u : units) {
    rows.push_back({u.code, u.parent_code ? store::Value(*u.parent_code) : store::Value(),
                    std::string(LevelName(u.level)), store::Value(), u.name, text::Fold(u.name),
                    u.full_name, u.name_en, u.path, now, std::string("import")});
  }
  return c.BulkInsert("org_units",
                      {"code", "parent_code", "level", "kind", "name", "name_fold", "full_name",
                       "name_en", "path", "created_at", "created_by"},
                      rows);
}

}  // namespace khien::org::repository
