// Moderators' rule settings: a rule switched off never fires (pattern or signal rule), a new
// weight is what the reason carries and what moves the score, settings survive a reload, and
// the rule set they derive from is untouched.
#include <gtest/gtest.h>

#include "safety/checker.h"
#include "safety_test_util.h"

namespace khien::safety {
namespace {

using testing::HasRule;
using testing::SourcePath;

constexpr const char* kScam =
    "Chúc mừng quý khách trúng thưởng 50 triệu! Gọi ngay 0912 345 678 để nhận, chuyển phí 500k "
    "vào stk 1234567890 Vietcombank. Cung cấp mã OTP cho nhân viên.";

Checker FreshChecker() {
  CheckerOptions options;
  options.rules_dir = SourcePath("rules");
  options.cache_dir = KHIEN_TEST_CACHE_DIR;
  options.use_classifier = false;
  auto created = Checker::Create(options);
  EXPECT_TRUE(created.ok());
  return std::move(created).value();
}

// The first pattern rule (no signal) and the first signal rule that fire on kScam.
std::pair<std::string, std::string> FiringRules(const Checker& checker) {
  auto r = checker.Check(kScam);
  EXPECT_TRUE(r.ok());
  std::string pattern, signal;
  for (const Reason& reason : r->reasons) {
    const Rule* rule = checker.rules()->FindRule(reason.rule);
    EXPECT_NE(rule, nullptr);
    if (rule->signal == Signal::kNone && pattern.empty()) pattern = rule->id;
    if (rule->signal != Signal::kNone && signal.empty()) signal = rule->id;
  }
  return {pattern, signal};
}

TEST(RuleSettingsTest, SwitchedOffRulesNeverFire) {
  Checker checker = FreshChecker();
  auto [pattern, signal] = FiringRules(checker);
  ASSERT_FALSE(pattern.empty());
  ASSERT_FALSE(signal.empty()) << "kScam asks for an OTP";
  const double before = checker.Check(kScam)->score(Category::kScam);
  checker.SetRuleSettings({{pattern, false, std::nullopt}, {signal, false, std::nullopt}});
  auto after = checker.Check(kScam);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(HasRule(*after, pattern));
  EXPECT_FALSE(HasRule(*after, signal));
  EXPECT_LT(after->score(Category::kScam), before);
  EXPECT_FALSE(checker.rules()->FindRule(pattern)->enabled);
  checker.SetRuleSettings({});
  EXPECT_TRUE(HasRule(*checker.Check(kScam), pattern));
  EXPECT_DOUBLE_EQ(checker.Check(kScam)->score(Category::kScam), before);
}

TEST(RuleSettingsTest, NewWeightIsUsedAndTheDefaultKept) {
  Checker checker = FreshChecker();
  const std::string id = FiringRules(checker).first;
  const double file_weight = checker.rules()->FindRule(id)->weight;
  checker.SetRuleSettings({{id, true, file_weight + 2.5}});
  const Rule* rule = checker.rules()->FindRule(id);
  EXPECT_DOUBLE_EQ(rule->weight, file_weight + 2.5);
  EXPECT_DOUBLE_EQ(rule->default_weight, file_weight);
  auto r = checker.Check(kScam);
  ASSERT_TRUE(r.ok());
  bool found = false;
  for (const Reason& reason : r->reasons) {
    if (reason.rule != id) continue;
    found = true;
    EXPECT_DOUBLE_EQ(reason.weight, file_weight + 2.5);
  }
  EXPECT_TRUE(found);
}

TEST(RuleSettingsTest, OutOfRangeWeightsAndUnknownIdsAreIgnored) {
  Checker checker = FreshChecker();
  const std::string id = FiringRules(checker).first;
  const double file_weight = checker.rules()->FindRule(id)->weight;
  checker.SetRuleSettings({{id, true, 1e9}, {"scam.khong_co", false, 1.0}});
  EXPECT_DOUBLE_EQ(checker.rules()->FindRule(id)->weight, file_weight);
  EXPECT_EQ(checker.rules()->FindRule("scam.khong_co"), nullptr);
}

TEST(RuleSettingsTest, SettingsSurviveAReloadAndLeaveTheBaseAlone) {
  Checker checker = FreshChecker();
  const std::string id = FiringRules(checker).first;
  std::shared_ptr<const RuleSet> base = checker.rules();
  checker.SetRuleSettings({{id, false, std::nullopt}});
  EXPECT_TRUE(base->FindRule(id)->enabled) << "the loaded rule set is immutable";
  ASSERT_TRUE(checker.ReloadRules(SourcePath("rules")).ok());
  EXPECT_FALSE(checker.rules()->FindRule(id)->enabled);
  EXPECT_FALSE(HasRule(*checker.Check(kScam), id));
  // A rule set derived from a derived one still matches (shares the compiled databases).
  auto twice = RuleSet::WithSettings(checker.rules(), {{id, true, std::nullopt}});
  EXPECT_TRUE(twice->FindRule(id)->enabled);
  NormalizedText nt = twice->normalizer().Normalize(kScam);
  std::vector<RuleMatch> matches;
  twice->Match(nt, ExtractEntities(nt), &matches);
  EXPECT_FALSE(matches.empty());
}

}  // namespace
}  // namespace khien::safety
