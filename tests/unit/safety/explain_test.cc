// MostTellingWords: the run of words a model leans on, found by leaving runs out.
#include "safety/explain.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace khien::safety {
namespace {

// A head that learned one thing: the invented word "quaxo" means scam.
Classifier QuaxoModel() {
  std::vector<LabelledText> examples;
  const std::vector<std::string> fillers = {"hôm nay trời đẹp", "mai đi học sớm",  "cả nhà ăn cơm",
                                            "chiều nay họp tổ", "nhớ mang áo mưa", "gửi lời hỏi thăm"};
  for (int i = 0; i < 40; ++i) {
    const std::string& f = fillers[i % fillers.size()];
    examples.push_back({f + " quaxo " + fillers[(i + 1) % fillers.size()], true, {}});
    examples.push_back({f + " " + fillers[(i + 2) % fillers.size()], false, {}});
  }
  TrainOptions options;
  options.features.hash_bits = 16;
  Classifier c;
  EXPECT_TRUE(c.Train(Category::kScam, examples, options).ok());
  return c;
}

TEST(MostTellingWordsTest, FindsTheWordTheModelLeansOnWithOneWordOfContext) {
  const Classifier model = QuaxoModel();
  const std::string text = "chiều nay họp tổ quaxo nhớ mang áo mưa";
  ASSERT_GT(*model.Predict(text)[0], 0.5f);
  const auto words = MostTellingWords(model, Category::kScam, text, nullptr);
  ASSERT_TRUE(words.has_value());
  const std::string span = text.substr(words->first, words->second - words->first);
  EXPECT_NE(span.find("quaxo"), std::string::npos) << span;
  EXPECT_LE(span.size(), std::string("tổ quaxo nhớ").size() + 12) << span;
}

TEST(MostTellingWordsTest, TheWordTheHeadWeighsMostIsACandidateWhereverItStands) {
  const Classifier model = QuaxoModel();
  EXPECT_GT(*model.WordsWeight("quaxo", Category::kScam), *model.WordsWeight("mưa", Category::kScam));
  EXPECT_FALSE(model.WordsWeight("quaxo", Category::kToxic));  // no toxic head
  // Many filler words and one candidate: the telling word is still found.
  const std::string text = "hôm nay trời đẹp mai đi học sớm cả nhà ăn cơm quaxo chiều nay họp tổ nhớ mang áo mưa";
  TellingWordsOptions one;
  one.candidate_words = 1;
  const auto words = MostTellingWords(model, Category::kScam, text, nullptr, one);
  ASSERT_TRUE(words.has_value());
  EXPECT_NE(text.substr(words->first, words->second - words->first).find("quaxo"), std::string::npos);
}

TEST(MostTellingWordsTest, NothingWhenNoWordMattersOrTheTextIsTooLongOrHasNoHead) {
  const Classifier model = QuaxoModel();
  EXPECT_FALSE(MostTellingWords(model, Category::kScam, "hôm nay trời đẹp mai đi học sớm", nullptr));
  EXPECT_FALSE(MostTellingWords(model, Category::kScam, "quaxo", nullptr));  // one word only
  std::string long_text = "quaxo";
  while (long_text.size() <= 2048) long_text += " hôm nay trời đẹp";
  EXPECT_FALSE(MostTellingWords(model, Category::kScam, long_text, nullptr));
  EXPECT_FALSE(MostTellingWords(model, Category::kToxic, "tổ quaxo nhớ", nullptr));  // no toxic head
}

TEST(MostTellingWordsTest, PunctuationAtTheEdgesIsTrimmed) {
  const Classifier model = QuaxoModel();
  const std::string text = "Hôm nay trời đẹp, quaxo! Nhớ mang áo mưa.";
  const auto words = MostTellingWords(model, Category::kScam, text, nullptr);
  ASSERT_TRUE(words.has_value());
  const std::string span = text.substr(words->first, words->second - words->first);
  EXPECT_NE(span.find("quaxo"), std::string::npos) << span;
  EXPECT_NE(span.back(), '!');
  EXPECT_NE(span.front(), ',');
}

}  // namespace
}  // namespace khien::safety
