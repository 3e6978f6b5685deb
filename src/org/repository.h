// SQL for the administrative tree. Every function runs on a Connection the caller got from
// Database::Read or Database::Write.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "base/result.h"
#include "org/model.h"
#include "store/database.h"

namespace khien::org::repository {

// Error kNotFound if there is no unit with `code`. Fills ancestors and children_count.
Result<OrgUnit> FindByCode(store::Connection& c, const std::string& code);

// Every unit with ancestors and children_count filled, and its folded name (same order).
struct Tree {
  std::vector<OrgUnit> units;
  std::vector<std::string> name_folds;
};
Result<Tree> LoadTree(store::Connection& c);

// Changes whenever a unit is added (units are never renamed or removed): the row count.
Result<std::string> TreeVersion(store::Connection& c);

// Number of direct children of `parent_code`.
Result<int64_t> CountChildren(store::Connection& c, const std::string& parent_code);

Result<void> Insert(store::Connection& c, const OrgUnit& unit, const std::string& created_by);

Result<std::unordered_set<std::string>> AllCodes(store::Connection& c);

// Inserts many official units at once (import of the reference list).
Result<void> InsertMany(store::Connection& c, const std::vector<OrgUnit>& units);

}  // namespace khien::org::repository
