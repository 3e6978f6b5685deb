#include "safety/rule_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "safety_test_util.h"

namespace khien::safety {
namespace {

constexpr const char* kAdvice = R"([[advice]]
id = "a1"
vi = "Lời khuyên"
en = "Advice"
)";

std::string RuleText(const std::string& id, const std::string& pattern) {
  return "[[rule]]\nid = \"" + id + "\"\ncategory = \"scam\"\nview = \"folded\"\npatterns = ['" +
         pattern + "']\nweight = 3.5\nexplanation_vi = \"Giải thích\"\nexplanation_en = \"Why\"\n"
         "advice = [\"a1\"]\n";
}

Result<std::shared_ptr<const RuleSet>> Build(const std::string& rules) {
  return RuleSet::Build({{"t.toml", std::string(kAdvice) + "\n" + rules}}, {});
}

void ExpectErrorAt(const std::string& rules, const std::string& where) {
  auto r = Build(rules);
  ASSERT_FALSE(r.ok()) << rules;
  EXPECT_NE(r.error().message_en.find(where), std::string::npos) << r.error().message_en;
  EXPECT_NE(r.error().message_vi.find(where), std::string::npos) << r.error().message_vi;
}

TEST(RuleSetTest, BuildsAndMatches) {
  auto set = Build(RuleText("t.one", "\\bnhan qua\\b"));
  ASSERT_TRUE(set.ok()) << set.error().message_en;
  const std::string text = "Bạn được NHẬN QUÀ";
  NormalizedText nt = (*set)->normalizer().Normalize(text);
  std::vector<RuleMatch> matches;
  (*set)->Match(nt, {}, &matches);
  ASSERT_EQ(matches.size(), 1u);
  auto [b, e] = nt.OriginalSpan(ViewKind::kFolded, matches[0].from, matches[0].to);
  EXPECT_EQ(text.substr(b, e - b), "NHẬN QUÀ");
}

TEST(RuleSetTest, MalformedFilesNameFileAndLine) {
  // The advice table takes lines 1-4 and a blank line 5; the rule header is line 6.
  ExpectErrorAt(RuleText("t.one", "x") + "bogus = 1\n", "t.toml:15");        // unknown key
  ExpectErrorAt("[[rule]]\nid = \"x\"\nid = \"y\"\n", "t.toml:8");          // duplicate key
  ExpectErrorAt("[[rule]]\nid = \"unterminated\n", "t.toml:7");             // bad string
  ExpectErrorAt("[[rules]]\n", "t.toml:6");                                 // bad table
  ExpectErrorAt(RuleText("t.one", "(unclosed"), "t.toml:6");               // bad regex
  ExpectErrorAt(RuleText("t.one", "a") + RuleText("t.one", "b"), "t.toml:15");  // dup id
  std::string no_weight = RuleText("t.one", "a");
  no_weight.replace(no_weight.find("weight = 3.5\n"), 13, "");
  ExpectErrorAt(no_weight, "t.toml:6");
  std::string bad_advice = RuleText("t.one", "a");
  bad_advice.replace(bad_advice.find("[\"a1\"]"), 6, "[\"nope\"]");
  ExpectErrorAt(bad_advice, "t.toml:14");
}

TEST(RuleSetTest, ShippedRulesLoadFromDiskAndEmbedded) {
  auto disk = RuleSet::LoadDir(testing::SourcePath("rules"), {KHIEN_TEST_CACHE_DIR});
  ASSERT_TRUE(disk.ok()) << disk.error().message_en;
  EXPECT_GT((*disk)->rules().size(), 40u);
  EXPECT_GT((*disk)->normalizer().teencode().size(), 250u);
  auto embedded = RuleSet::LoadEmbedded({KHIEN_TEST_CACHE_DIR});
  ASSERT_TRUE(embedded.ok()) << embedded.error().message_en;
  EXPECT_EQ((*embedded)->rules().size(), (*disk)->rules().size());
}

TEST(RuleSetTest, CompiledDatabasesAreCachedOnDisk) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("khien-rule-cache-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto first = RuleSet::Build({{"t.toml", std::string(kAdvice) + RuleText("c.one", "abc")}},
                              {dir.string()});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE((*first)->loaded_from_cache());
  auto second = RuleSet::Build({{"t.toml", std::string(kAdvice) + RuleText("c.one", "abc")}},
                               {dir.string()});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)->loaded_from_cache());
  // A changed rule file misses the cache.
  auto third = RuleSet::Build({{"t.toml", std::string(kAdvice) + RuleText("c.one", "abd")}},
                              {dir.string()});
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE((*third)->loaded_from_cache());
  std::filesystem::remove_all(dir);
}

TEST(RuleSetTest, FailedReloadKeepsTheOldRules) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("khien-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "a.toml") << kAdvice << RuleText("r.gift", "\\bqua tang\\b");
  }
  CheckerOptions options;
  options.rules_dir = dir.string();
  options.use_classifier = false;
  auto checker = Checker::Create(options);
  ASSERT_TRUE(checker.ok()) << checker.error().message_en;
  ASSERT_TRUE(testing::HasRule(*checker->Check("Quà tặng cho bạn"), "r.gift"));
  {
    std::ofstream(dir / "a.toml") << kAdvice << "[[rule]]\nid = \"broken\n";
  }
  auto reload = checker->ReloadRules(dir.string());
  ASSERT_FALSE(reload.ok());
  EXPECT_NE(reload.error().message_en.find("a.toml:6"), std::string::npos)
      << reload.error().message_en;
  EXPECT_TRUE(testing::HasRule(*checker->Check("Quà tặng cho bạn"), "r.gift"));
  {
    std::ofstream(dir / "a.toml") << kAdvice << RuleText("r.other", "\\bqua tang\\b");
  }
  ASSERT_TRUE(checker->ReloadRules(dir.string()).ok());
  EXPECT_TRUE(testing::HasRule(*checker->Check("Quà tặng cho bạn"), "r.other"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace khien::safety
