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

Result<Tree> LoadTree(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(
      store::Rows rows,
      c.Query("SELECT o.code, o.parent_code, o.level, o.kind, o.name, o.full_name, o.name_en, o.path, "
              "COALESCE(ch.n, 0), o.name_fold FROM org_units o LEFT JOIN (SELECT parent_code, COUNT(*) AS n "
              "FROM org_units GROUP BY parent_code) ch ON ch.parent_code = o.code ORDER BY o.path"));
  Tree tree;
  tree.units.reserve(rows.size());
  std::map<std::string, Ancestor> by_code;
  for (size_t i = 0; i < rows.size(); ++i) {
    OrgUnit u = FromRow(rows[i]);
    by_code[u.code] = Ancestor{u.code, u.name, u.level};
    tree.name_folds.push_back(rows[i].Text(9));
    tree.units.push_back(std::move(u));
  }
  for (OrgUnit& u : tree.units) {
    for (const std::string& code : AncestorCodes(u.path)) {
      auto it = by_code.find(code);
      if (it != by_code.end()) u.ancestors.push_back(it->second);
    }
  }
  return tree;
}

Result<std::string> TreeVersion(store::Connection& c) {
  // Units are only ever added, so the count is a version; it needs no scan of the rows' data.
  KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT COUNT(*) FROM org_units"));
  return rows[0].Text(0);
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
