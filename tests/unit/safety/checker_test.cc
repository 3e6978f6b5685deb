#include "safety/checker.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <random>

#include "base/text.h"
#include "safety/verdict_json.h"
#include "safety_test_util.h"

namespace khien::safety {
namespace {

using testing::HasRule;
using testing::SharedChecker;

TEST(CheckerTest, BlankTextIsRefusedInBothLanguages) {
  for (const std::string text : {"", " ", "\n\t  \r\n", "\xE2\x80\x8B\xEF\xBB\xBF", "\x01\x02"}) {
    auto r = SharedChecker().Check(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(r.error().field, "text");
    EXPECT_EQ(r.error().message_vi, "Hãy dán tin nhắn cần kiểm tra.");
    EXPECT_EQ(r.error().message_en, "Paste the message to check.");
  }
  // Punctuation or a single letter is a message, just not one to flag.
  for (const std::string text : {".", "a", "?!", "1234"}) {
    auto r = SharedChecker().Check(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r->verdict, Verdict::kSafe) << text;
  }
}

TEST(CheckerTest, TheModelHasNoSayOnTextWithoutLetters) {
  CheckerOptions options;
  options.rules_dir = testing::SourcePath("rules");
  options.cache_dir = KHIEN_TEST_CACHE_DIR;
  auto with_model = Checker::Create(options);  // the shipped model
  ASSERT_TRUE(with_model.ok()) << with_model.error().message_en;
  // Its heads alone had called "." dangerous (toxic), "a" grooming and "1234" personal data.
  for (const std::string text : {".", "a", "1234", "???", "\xF0\x9F\x91\x8D"}) {
    auto r = with_model->Check(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r->verdict, Verdict::kSafe) << text << "\n" << ToJsonString(*r);
    EXPECT_TRUE(r->reasons.empty()) << text;
  }
  auto insult = with_model->Check("Đồ ngu");
  ASSERT_TRUE(insult.ok());
  EXPECT_NE(insult->verdict, Verdict::kSafe);
}

TEST(CheckerTest, RejectsTextOver64KiB) {
  std::string text(64 * 1024, 'a');
  EXPECT_TRUE(SharedChecker().Check(text).ok());
  text.push_back('a');
  auto r = SharedChecker().Check(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_FALSE(r.error().message_vi.empty());
}

TEST(CheckerTest, RejectsInvalidUtf8) {
  auto r = SharedChecker().Check("abc \xC3\x28 \xFF");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
}

TEST(CheckerTest, SurvivesBinaryNoiseAndRepetition) {
  std::mt19937 rng(42);
  for (int i = 0; i < 200; ++i) {
    std::string noise(rng() % 2000, '\0');
    for (char& c : noise) c = static_cast<char>(rng() % 128);  // ASCII noise incl. controls
    auto r = SharedChecker().Check(noise);
    ASSERT_TRUE(r.ok() || (text::IsBlank(noise) && r.error().code == ErrorCode::kInvalidInput));
  }
  // A million repeated characters: over the limit, rejected cheaply.
  EXPECT_FALSE(SharedChecker().Check(std::string(1'000'000, 'a')).ok());
  // Repetition within the limit: still fast and sane.
  std::string many;
  for (int i = 0; i < 6000; ++i) many += "ố ";
  ASSERT_TRUE(SharedChecker().Check(many).ok());
  ASSERT_TRUE(SharedChecker().Check(std::string(65'000, '4')).ok());
  ASSERT_TRUE(SharedChecker().Check(std::string(65'000, '.')).ok());
}

TEST(CheckerTest, ReasonSpansAreCharactersOfTheOriginal) {
  const std::string text = "Đừng lo, bấm vào vcb-xacminh.com để nhận quà";
  auto r = SharedChecker().Check(text);
  ASSERT_TRUE(r.ok());
  bool found = false;
  for (const Reason& reason : r->reasons) {
    if (reason.rule != "scam.lookalike_domain") continue;
    found = true;
    EXPECT_EQ(reason.text, "vcb-xacminh.com");
    EXPECT_EQ(reason.start, 17u);  // characters, not bytes
    EXPECT_EQ(reason.end, 32u);
  }
  EXPECT_TRUE(found) << ToJsonString(*r);
}


// The leetspeak patterns match the space before a word, to tell a word from a link's code;
// the highlight is still the word alone, and a link's code is not leetspeak.
TEST(CheckerTest, HighlightsDoNotStartWithTheSpaceAPatternNeeded) {
  auto r = SharedChecker().Check("Ho tro B4m v4o day");
  ASSERT_TRUE(r.ok());
  bool found = false;
  for (const Reason& reason : r->reasons) {
    if (reason.rule != "scam.leetspeak") continue;
    found = true;
    EXPECT_EQ(reason.text, "B4m");
    EXPECT_EQ(reason.start, 7u);
  }
  EXPECT_TRUE(found) << ToJsonString(*r);
  // Nor a network's name or a carrier's package code.
  for (const char* text : {"Xem hoa don tai https://viettel.vn/hd/xK0mzq hoac goi 198",
                           "Nho bat on4G truoc khi ra ngoai", "Soan DK MR3M gui 123 de dang ky"}) {
    r = SharedChecker().Check(text);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(HasRule(*r, "scam.leetspeak")) << ToJsonString(*r);
  }
}
TEST(CheckerTest, JsonHasTheAgreedShape) {
  auto r = SharedChecker().Check("Chị đọc giúp em mã OTP nhé, gọi 0912345678");
  ASSERT_TRUE(r.ok());
  auto v = boost::json::parse(ToJsonString(*r)).as_object();
  EXPECT_TRUE(v.contains("verdict"));
  for (const char* c : {"scam", "grooming", "toxic", "privacy"}) {
    EXPECT_TRUE(v["scores"].as_object().contains(c));
  }
  ASSERT_FALSE(v["reasons"].as_array().empty());
  auto reason = v["reasons"].as_array()[0].as_object();
  for (const char* k : {"rule", "category", "weight", "start", "end", "text", "explanation"}) {
    EXPECT_TRUE(reason.contains(k)) << k;
  }
  EXPECT_TRUE(reason["explanation"].as_object().contains("vi"));
  EXPECT_FALSE(v["advice"].as_array().empty());
  auto entity = v["entities"].as_array()[0].as_object();
  for (const char* k : {"type", "value", "start", "end"}) EXPECT_TRUE(entity.contains(k));
  EXPECT_FALSE(v.contains("conversation"));
}

TEST(CheckerTest, AdviceOnlyWhenNotSafe) {
  auto safe = SharedChecker().Check("Chiều nay mẹ đón con lúc 5 giờ nhé");
  ASSERT_TRUE(safe.ok());
  EXPECT_TRUE(safe->advice.empty());
}

TEST(CheckerTest, ConversationReachesGroomingStages) {
  std::vector<Message> messages = {
      {"lạ", "Chào em, anh thấy em trên Facebook, làm quen với em nhé"},
      {"bé", "dạ"},
      {"lạ", "Em xinh quá, anh rất thích em"},
      {"lạ", "Em năm nay bao nhiêu tuổi, học lớp mấy?"},
      {"bé", "em 12 tuổi ạ"},
      {"lạ", "Đừng nói với bố mẹ nhé, anh sẽ mua cho em thẻ cào"},
      {"lạ", "Gửi cho anh xem ảnh của em lúc tắm đi"},
  };
  auto r = SharedChecker().CheckConversation(messages);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->conversation.has_value());
  EXPECT_EQ(r->conversation->stage, "images");
  EXPECT_EQ(r->conversation->stage_index, 5);
  ASSERT_GE(r->conversation->stages.size(), 5u);
  EXPECT_EQ(r->conversation->stages[0].stage, "contact");
  EXPECT_EQ(r->conversation->stages[0].messages, std::vector<int>{0});
  EXPECT_TRUE(r->flagged(Category::kGrooming));
  EXPECT_EQ(r->verdict, Verdict::kDanger);
  for (const Reason& reason : r->reasons) EXPECT_GE(reason.message, 0);
  auto v = boost::json::parse(ToJsonString(*r)).as_object();
  EXPECT_EQ(v["conversation"].as_object()["stage"].as_string(), "images");
}

TEST(CheckerTest, HarmlessConversationStaysSafe) {
  auto r = SharedChecker().CheckConversation(
      {{"mẹ", "Con ăn cơm chưa?"}, {"con", "Con ăn rồi ạ"}, {"mẹ", "Tối nay đi ngủ sớm nhé"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, Verdict::kSafe);
  EXPECT_EQ(r->conversation->stage_index, -1);
}

TEST(CheckerTest, ConversationLimits) {
  std::vector<Message> many(201, Message{"a", "xin chào"});
  auto r = SharedChecker().CheckConversation(many);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPayloadTooLarge);
}

}  // namespace
}  // namespace khien::safety
