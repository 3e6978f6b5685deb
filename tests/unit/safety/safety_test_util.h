// Helpers shared by the safety tests: one Checker over the rules in the source tree (compiled
// once, then loaded from a cache in the build folder) and small accessors.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "safety/checker.h"

namespace khien::safety::testing {

inline std::string SourcePath(const std::string& relative) {
  return std::string(KHIEN_SOURCE_DIR) + "/" + relative;
}

// Rules from the source tree, rules only (no classifier), with the golden block list.
inline const Checker& SharedChecker() {
  static const Checker* checker = [] {
    CheckerOptions options;
    options.rules_dir = SourcePath("rules");
    options.cache_dir = KHIEN_TEST_CACHE_DIR;
    options.use_classifier = false;
    options.blocklists = {SourcePath("tests/safety/golden/blocklist.txt")};
    auto created = Checker::Create(options);
    if (!created.ok()) {
      ADD_FAILURE() << created.error().message_en;
      std::abort();
    }
    return new Checker(std::move(created).value());
  }();
  return *checker;
}

inline std::vector<std::string> RuleIds(const CheckResult& r) {
  std::vector<std::string> ids;
  for (const Reason& reason : r.reasons) ids.push_back(reason.rule);
  return ids;
}

inline bool HasRule(const CheckResult& r, const std::string& id) {
  auto ids = RuleIds(r);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace khien::safety::testing
