// Runs every golden case in tests/safety/golden/*.tsv (columns: message, categories,
// rules): the flagged categories must be exactly the expected ones and every expected rule
// must be among the reasons. A second test fails when a rule has no golden case.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "safety/verdict_json.h"
#include "safety_test_util.h"

namespace khien::safety {
namespace {

using testing::SharedChecker;
using testing::SourcePath;

struct GoldenCase {
  std::string file;
  int line;
  std::string message;
  std::set<std::string> categories;
  std::vector<std::string> rules;
};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::vector<GoldenCase> LoadGolden() {
  std::vector<GoldenCase> cases;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(SourcePath("tests/safety/golden"))) {
    if (e.path().extension() == ".tsv") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line_no == 1 || line.empty()) continue;  // header
      std::vector<std::string> cols;
      std::stringstream ss(line);
      std::string col;
      while (std::getline(ss, col, '\t')) cols.push_back(col);
      while (cols.size() < 3) cols.emplace_back();
      auto cats = SplitList(cols[1]);
      cases.push_back({path.filename().string(), line_no, cols[0],
                       std::set<std::string>(cats.begin(), cats.end()), SplitList(cols[2])});
    }
  }
  return cases;
}

TEST(GoldenTest, EveryCaseGetsItsCategoriesAndRules) {
  const auto cases = LoadGolden();
  ASSERT_GT(cases.size(), 50u);
  for (const GoldenCase& c : cases) {
    SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + ": " + c.message);
    auto r = SharedChecker().Check(c.message);
    ASSERT_TRUE(r.ok()) << r.error().message_en;
    std::set<std::string> flagged;
    for (Category cat : r->categories) flagged.insert(std::string(CategoryName(cat)));
    EXPECT_EQ(flagged, c.categories) << ToJsonString(*r);
    for (const std::string& rule : c.rules) {
      EXPECT_TRUE(testing::HasRule(*r, rule)) << "missing " << rule << "\n" << ToJsonString(*r);
    }
    if (c.categories.empty()) {
      EXPECT_NE(r->verdict, Verdict::kDanger);
    }
  }
}

TEST(GoldenTest, EveryRuleHasAGoldenCase) {
  std::set<std::string> covered;
  for (const GoldenCase& c : LoadGolden()) covered.insert(c.rules.begin(), c.rules.end());
  for (const Rule& rule : SharedChecker().rules()->rules()) {
    // Explanations of model-only flags need a model (scoring_test.cc), these cases have none.
    if (rule.signal == Signal::kLearnedModel) continue;
    EXPECT_TRUE(covered.contains(rule.id)) << "no golden case for " << rule.id << " ("
                                           << rule.source << ")";
  }
}

TEST(GoldenTest, LegitimateLookAlikesStaySafe) {
  for (const GoldenCase& c : LoadGolden()) {
    if (c.file != "legitimate.tsv") continue;
    SCOPED_TRACE(c.message);
    auto r = SharedChecker().Check(c.message);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->verdict, Verdict::kSafe) << ToJsonString(*r);
  }
}

}  // namespace
}  // namespace khien::safety
