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

std::string ViewRule(const std::string& id, const std::string& view, const std::string& pattern) {
  std::string rule = RuleText(id, pattern);
  rule.replace(rule.find("view = \"folded\""), 15, "view = \"" + view + "\"");
  return rule;
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
  ExpectErrorAt(RuleText("t.one", "a") + "at_least = \"maybe\"\n", "t.toml:15");
  ExpectErrorAt(RuleText("t.one", "a") + "at_least = 1\n", "t.toml:15");
}

TEST(RuleSetTest, AtLeastIsReadAsAVerdict) {
  auto set = Build(RuleText("t.plain", "a") + "\n" + RuleText("t.caution", "b") +
                   "at_least = \"caution\"\n\n" + RuleText("t.danger", "c") +
                   "at_least = \"danger\"\n");
  ASSERT_TRUE(set.ok()) << set.error().message_en;
  EXPECT_EQ((*set)->FindRule("t.plain")->at_least, Verdict::kSafe);
  EXPECT_EQ((*set)->FindRule("t.caution")->at_least, Verdict::kCaution);
  EXPECT_EQ((*set)->FindRule("t.danger")->at_least, Verdict::kDanger);
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

// A merged database (byte-equal views scanned once) must give exactly what scanning each view
// through its own database gives: the same rules, spans and order.
std::string MatchesOf(const RuleSet& set, const std::string& text) {
  const NormalizedText nt = set.normalizer().Normalize(text);
  std::vector<RuleMatch> matches;
  set.Match(nt, {}, &matches);
  std::string out;
  for (const RuleMatch& m : matches) {
    const Rule& r = set.rules()[m.rule];
    const auto [b, e] = nt.OriginalSpan(r.view, m.from, m.to);
    out += r.id + " " + std::to_string(m.from) + ":" + std::to_string(m.to) + " \"" +
           text.substr(b, e - b) + "\"\n";
  }
  return out;
}

TEST(RuleSetTest, MergedScanOfEqualViewsGivesThePerViewMatches) {
  // The same patterns in every view, so one message fires the rules of several views.
  const std::string rules =
      std::string(kAdvice) + ViewRule("m.folded", "folded", "\\bnhan qua\\b") +
      ViewRule("m.deobfuscated", "deobfuscated", "\\bnhan qua\\b") +
      ViewRule("m.expanded", "expanded", "\\bnhan qua\\b") +
      ViewRule("m.expanded_no", "expanded", "\\bkhong\\b") +
      ViewRule("m.deobfuscated_link", "deobfuscated", "\\bvi[a-z]*\\.com\\b") +
      ViewRule("m.original", "original", "QUÀ");
  const auto dir = std::filesystem::temp_directory_path() /
                   ("khien-merged-cache-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::vector<RuleFileSource> files = {{"t.toml", rules}, {"teencode.tsv", "ko\tkhông\n"}};
  auto merged = RuleSet::Build(files, {dir.string()});
  ASSERT_TRUE(merged.ok()) << merged.error().message_en;
  auto cached = RuleSet::Build(files, {dir.string()});
  ASSERT_TRUE(cached.ok()) << cached.error().message_en;
  EXPECT_TRUE((*cached)->loaded_from_cache());
  RuleSetOptions separate_options;
  separate_options.merge_equal_views = false;
  auto separate = RuleSet::Build(files, separate_options);
  ASSERT_TRUE(separate.ok()) << separate.error().message_en;
  auto with_settings = RuleSet::WithSettings(*merged, {{"m.deobfuscated", false, std::nullopt}});
  auto separate_with_settings =
      RuleSet::WithSettings(*separate, {{"m.deobfuscated", false, std::nullopt}});

  struct Case {
    std::string text;
    bool folded_is_deobfuscated, deobfuscated_is_expanded;
  };
  const Case cases[] = {
      {"Bạn được NHẬN QUÀ", true, true},
      {"Bạn ko NHẬN QUÀ à", true, false},   // teencode: only the expanded view differs
      {"Bạn được NH4N QUÀ", false, true},   // leetspeak: the folded view differs
      {"NH4N QUÀ ko, vietcombank[.]com", false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const NormalizedText nt = (*merged)->normalizer().Normalize(c.text);
    EXPECT_EQ(nt.folded.text == nt.deobfuscated.text, c.folded_is_deobfuscated) << nt.folded.text;
    EXPECT_EQ(nt.deobfuscated.text == nt.expanded.text, c.deobfuscated_is_expanded)
        << nt.expanded.text;
    const std::string expected = MatchesOf(**separate, c.text);
    EXPECT_NE(expected.find("m.expanded "), std::string::npos) << expected;
    EXPECT_EQ(MatchesOf(**merged, c.text), expected);
    EXPECT_EQ(MatchesOf(**cached, c.text), expected);
    EXPECT_EQ(MatchesOf(*with_settings, c.text), MatchesOf(*separate_with_settings, c.text));
    EXPECT_EQ(MatchesOf(*with_settings, c.text).find("m.deobfuscated "), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(RuleSetTest, ShippedRulesMatchTheSameMergedOrNot) {
  RuleSetOptions separate_options{KHIEN_TEST_CACHE_DIR};
  separate_options.merge_equal_views = false;
  auto merged = RuleSet::LoadDir(testing::SourcePath("rules"), {KHIEN_TEST_CACHE_DIR});
  auto separate = RuleSet::LoadDir(testing::SourcePath("rules"), separate_options);
  ASSERT_TRUE(merged.ok() && separate.ok());
  int compared = 0;
  const std::string golden = testing::SourcePath("tests/safety/golden");
  for (const auto& e : std::filesystem::directory_iterator(golden)) {
    if (e.path().extension() != ".tsv") continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      const std::string message = line.substr(0, line.find('\t'));
      EXPECT_EQ(MatchesOf(**merged, message), MatchesOf(**separate, message)) << message;
      ++compared;
    }
  }
  EXPECT_GT(compared, 50);
}

}  // namespace
}  // namespace khien::safety
