// Small string helpers shared by repositories.
#pragma once

#include <string>
#include <vector>

namespace khien {

// "a,b,c" from {"a", "b", "c"}: how short lists of slugs (topics, flags) are stored in one column.
// REQUIRES: no item contains a comma.
std::string JoinComma(const std::vector<std::string>& items);

// The inverse of JoinComma; empty items are dropped.
std::vector<std::string> SplitComma(const std::string& joined);

}  // namespace khien
