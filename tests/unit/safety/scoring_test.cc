// How rule hits, lists and model probabilities become category scores (checker.h): stacked
// heads, evidence features, the block-list floor, senders.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "safety/checker.h"
#include "safety/classifier.h"
#include "safety/features.h"
#include "safety/retrain.h"
#include "safety/verdict_json.h"
#include "safety_test_util.h"

namespace khien::safety {
namespace {

using testing::SourcePath;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("khien_scoring_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

Checker MakeChecker(bool use_classifier, const std::string& model_path = "") {
  CheckerOptions options;
  options.rules_dir = SourcePath("rules");
  options.cache_dir = KHIEN_TEST_CACHE_DIR;
  options.use_classifier = use_classifier;
  options.model_path = model_path;
  options.blocklists = {SourcePath("tests/safety/golden/blocklist.txt")};
  auto created = Checker::Create(options);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message_en);
  return std::move(created).value();
}

// The evidence the checker collects, rebuilt from a rules-only result (as `safety train` does).
Evidence EvidenceOf(const CheckResult& rules_only, std::string_view sender = {}) {
  Evidence e = RuleEvidence(rules_only);
  e.AddSender(sender);
  return e;
}

// Invented messages: every one carries a link and a price, as carrier promotions and
// smishing both do; only the wording differs.
std::vector<LabelledText> PromotionsAndSmishing(const Checker& rules_only) {
  const std::vector<std::string> promos = {
      "Goi cuoc MAX{k} chi {k}0.000d/thang, dang ky tai http://khuyenmai-nhamang.vn/g{k}",
      "Uu dai thang nay: nap {k}00.000d tang them data, xem http://nhamang-uudai.vn/n{k}",
      "Tang {k}GB data khi gia han goi {k}0k, chi tiet tai http://nhamang-goicuoc.vn/d{k}",
  };
  const std::vector<std::string> scams = {
      "Tai khoan cua ban bi khoa, xac minh ngay tai http://vcb-xacminh{k}.top de tranh mat "
      "{k}.000.000d",
      "Ban trung thuong {k}0.000.000d, nhan qua tai http://nhanqua{k}.xyz va nhap ma OTP",
      "Khoan vay {k}0 trieu da duyet, nop phi {k}00.000d tai http://vaynhanh{k}.top",
  };
  std::vector<LabelledText> out;
  for (int k = 1; k <= 12; ++k) {
    for (const auto* set : {&promos, &scams}) {
      for (std::string t : *set) {
        for (size_t p = t.find("{k}"); p != std::string::npos; p = t.find("{k}")) {
          t.replace(p, 3, std::to_string(k));
        }
        auto r = rules_only.Check(t);
        EXPECT_TRUE(r.ok());
        out.push_back({t, set == &scams, EvidenceOf(*r)});
      }
    }
  }
  return out;
}

TEST(EvidenceTest, KeysAreUniqueAndWeightsAddUpPerCategory) {
  Evidence e;
  EXPECT_TRUE(e.empty());
  e.AddRule("scam.otp_request", Category::kScam, 3.0);
  e.AddRule("scam.otp_request", Category::kScam, 3.0);
  e.AddRule("toxic.insult", Category::kToxic, 1.5);
  e.AddEntity("url");
  e.AddEntity("url");
  EXPECT_EQ(e.keys.size(), 3u);
  EXPECT_FLOAT_EQ(e.rule_weight[static_cast<size_t>(Category::kScam)], 6.0f);
  EXPECT_FLOAT_EQ(e.rule_weight[static_cast<size_t>(Category::kToxic)], 1.5f);
  e.Clear();
  EXPECT_TRUE(e.empty());
}

TEST(EvidenceTest, FeaturesOnlyWhenTheOptionIsOn) {
  Evidence e;
  e.AddRule("scam.otp_request", Category::kScam, 3.0);
  e.AddEntity("phone");
  FeatureOptions options;
  FeatureVector fv;
  AppendEvidenceFeatures(e, options, &fv);
  EXPECT_EQ(fv.size(), 0u);
  options.evidence = true;
  AppendEvidenceFeatures(e, options, &fv);
  ASSERT_EQ(fv.size(), 3u);  // rule, entity, scam weight sum
  for (uint32_t i : fv.index) EXPECT_LT(i, Dimension(options));
  EXPECT_FLOAT_EQ(fv.value[2], 3.0f / 5.0f);
}

TEST(SenderKindTest, KindsAndWhatAPhoneShows) {
  EXPECT_EQ(SenderKind("brandname"), "brandname");
  EXPECT_EQ(SenderKind("personal_number"), "phone");
  EXPECT_EQ(SenderKind("phone"), "phone");
  EXPECT_EQ(SenderKind("shortcode"), "shortcode");
  EXPECT_EQ(SenderKind("VCB"), "brandname");
  EXPECT_EQ(SenderKind("Viettel"), "brandname");
  EXPECT_EQ(SenderKind("0912 345 678"), "phone");
  EXPECT_EQ(SenderKind("+84912345678"), "phone");
  EXPECT_EQ(SenderKind("9029"), "shortcode");
  EXPECT_EQ(SenderKind(""), "");
  EXPECT_EQ(SenderKind("12"), "");
  EXPECT_EQ(SenderKind("someone@example.com"), "");
}

TEST(StackedHeadTest, LearnsFromEvidenceWhenTheTextCannotTell) {
  // The same text is positive exactly when a (made-up) rule fired: only the evidence tells.
  std::vector<LabelledText> examples;
  for (int i = 0; i < 80; ++i) {
    LabelledText e{"Tin nhắn số " + std::to_string(i % 7) + " gửi bạn", i % 2 == 0, {}};
    if (e.positive) e.evidence.AddRule("test.marker", Category::kScam, 1.0);
    examples.push_back(std::move(e));
  }
  TrainOptions options;
  options.features.evidence = true;
  Classifier c;
  ASSERT_TRUE(c.Train(Category::kScam, examples, options).ok());
  EXPECT_TRUE(c.UsesEvidence(Category::kScam));
  EXPECT_FALSE(c.UsesEvidence(Category::kToxic));
  Evidence marker;
  marker.AddRule("test.marker", Category::kScam, 1.0);
  const float with = *c.Predict("Tin nhắn số 3 gửi bạn", &marker)[0];
  const float without = *c.Predict("Tin nhắn số 3 gửi bạn")[0];
  EXPECT_GT(with, 0.8f);
  EXPECT_LT(without, 0.2f);
}

// Made-up data where the sender and the signal matter only together (a friend's number with
// no link is safe, with a link a scam; the reverse for a brand name): no weights for the
// sender and the link apart can say that, the "this sender, nothing else" key can.
TEST(StackedHeadTest, LearnsWhatASenderMeansWhenNothingElseWasFound) {
  const auto evidence = [](std::string_view sender, bool link) {
    Evidence e;
    if (link) e.AddEntity("url");
    e.AddSender(sender);
    return e;
  };
  std::vector<LabelledText> examples;
  for (int i = 0; i < 160; ++i) {
    const bool phone = i % 2 == 0;
    const bool link = (i / 2) % 2 == 0;
    examples.push_back({"Tin nhắn số " + std::to_string(i % 5), phone == link,
                        evidence(phone ? "phone" : "brandname", link)});
  }
  TrainOptions options;
  options.features.evidence = true;
  options.class_balance = 0;
  Classifier c;
  ASSERT_TRUE(c.Train(Category::kScam, examples, options).ok());
  for (const bool phone : {true, false}) {
    for (const bool link : {true, false}) {
      const Evidence e = evidence(phone ? "phone" : "brandname", link);
      const float p = *c.Predict("Tin nhắn số 2", &e)[0];
      SCOPED_TRACE(std::string(phone ? "phone" : "brandname") + (link ? " with" : " without") + " a link");
      if (phone == link) EXPECT_GT(p, 0.7f);
      else EXPECT_LT(p, 0.3f);
    }
  }
}

TEST(StackedHeadTest, EvidenceFlagSurvivesSaveAndLoad) {
  const Checker rules_only = MakeChecker(false);
  TrainOptions options;
  options.features.evidence = true;
  options.features.hash_bits = 16;
  Classifier c;
  const auto examples = PromotionsAndSmishing(rules_only);
  ASSERT_TRUE(c.Train(Category::kScam, examples, options).ok());
  const std::string path = TempPath("stacked.model");
  ASSERT_TRUE(c.Save(path).ok());
  auto loaded = Classifier::Load(path);
  std::remove(path.c_str());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message_en;
  EXPECT_TRUE(loaded->UsesEvidence(Category::kScam));
  for (const LabelledText& e : examples) {
    EXPECT_FLOAT_EQ(*loaded->Predict(e.text, &e.evidence)[0], *c.Predict(e.text, &e.evidence)[0]);
  }
}

TEST(StackedHeadTest, CheckerScoreIsTheStackedProbability) {
  const Checker rules_only = MakeChecker(false);
  TrainOptions options;
  options.features.evidence = true;
  options.features.hash_bits = 16;
  Classifier c;
  ASSERT_TRUE(c.Train(Category::kScam, PromotionsAndSmishing(rules_only), options).ok());
  const std::string path = TempPath("checker.model");
  ASSERT_TRUE(c.Save(path).ok());
  const Checker stacked = MakeChecker(true, path);
  std::remove(path.c_str());

  // Held-out wording of both kinds.
  for (const std::string text :
       {"Goi cuoc MAX99 chi 990.000d/thang, dang ky tai http://khuyenmai-nhamang.vn/g99",
        "Ban trung thuong 99.000.000d, nhan qua tai http://nhanqua99.xyz va nhap ma OTP"}) {
    auto rules = rules_only.Check(text);
    auto full = stacked.Check(text);
    ASSERT_TRUE(rules.ok() && full.ok());
    const Evidence e = EvidenceOf(*rules);
    const double p = std::clamp(static_cast<double>(*c.Predict(text, &e)[0]), 1e-4, 1 - 1e-4);
    EXPECT_NEAR(full->score(Category::kScam), p, 1e-5) << text;
    // Reasons still carry the rules and their spans.
    EXPECT_EQ(full->reasons.size(), rules->reasons.size());
  }
  auto promo = stacked.Check(
      "Goi cuoc MAX99 chi 990.000d/thang, dang ky tai http://khuyenmai-nhamang.vn/g99");
  auto scam = stacked.Check(
      "Ban trung thuong 99.000.000d, nhan qua tai http://nhanqua99.xyz va nhap ma OTP");
  EXPECT_LT(promo->score(Category::kScam), 0.5);
  EXPECT_GE(scam->score(Category::kScam), 0.5);
}

TEST(BlocklistFloorTest, BlocklistedPhoneAloneIsAtLeastCaution) {
  // An ordinary-looking message; the number is on the golden block list.
  const std::string text = "Chị ơi tối nay gọi lại cho em số 0899111222 nhé";
  const std::string other = "Chị ơi tối nay gọi lại cho em số 0899111333 nhé";
  for (bool use_model : {false, true}) {
    const Checker checker = MakeChecker(use_model);
    auto r = checker.Check(text);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(testing::HasRule(*r, "scam.blocklisted_phone"));
    EXPECT_GE(r->score(Category::kScam), 0.5) << "model " << use_model;
    EXPECT_NE(r->verdict, Verdict::kSafe);
    auto o = checker.Check(other);
    ASSERT_TRUE(o.ok());
    EXPECT_LT(o->score(Category::kScam), 0.5) << "model " << use_model;
  }
}

TEST(CertainSignFloorTest, AnOtpRequestIsAtLeastCautionWhateverTheModelSays) {
  // Conversational wording the shipped model finds harmless (alone it scores it low).
  const std::string text = "Chị cho em xin mã OTP vừa gửi về máy nhé";
  for (bool use_model : {false, true}) {
    auto r = MakeChecker(use_model).Check(text);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(testing::HasRule(*r, "scam.otp_request"));
    EXPECT_GE(r->score(Category::kScam), 0.5) << "model " << use_model;
    EXPECT_NE(r->verdict, Verdict::kSafe);
  }
  // The code delivered with a warning stays safe under the same model.
  auto notice = MakeChecker(true).Check("Mã OTP của bạn là 482913. Không chia sẻ mã này cho ai.");
  ASSERT_TRUE(notice.ok());
  EXPECT_EQ(notice->verdict, Verdict::kSafe);
}

TEST(BlocklistFloorTest, StackedModelThatNeverSawTheListStillWarns) {
  const Checker rules_only = MakeChecker(false);
  TrainOptions options;
  options.features.evidence = true;
  options.features.hash_bits = 16;
  Classifier c;
  ASSERT_TRUE(c.Train(Category::kScam, PromotionsAndSmishing(rules_only), options).ok());
  const std::string path = TempPath("floor.model");
  ASSERT_TRUE(c.Save(path).ok());
  const Checker stacked = MakeChecker(true, path);
  std::remove(path.c_str());
  auto p = stacked.Check("Chị ơi tối nay gọi lại cho em số 0899111222 nhé");
  ASSERT_TRUE(p.ok());
  EXPECT_GE(p->score(Category::kScam), 0.5);
}

// A rules folder of its own: weak signs (weight 1, far below the 0.5 threshold alone), one of
// them marked at least caution, one at least danger, and a warning sign of negative weight.
class AtLeastFloorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempPath("atleast_rules");
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ + "/t.toml") << R"([[advice]]
id = "a1"
vi = "Lời khuyên"
en = "Advice"

[[rule]]
id = "t.weak"
category = "scam"
patterns = ['\bdau hieu yeu\b']
weight = 1.0
explanation_vi = "Giải thích"
explanation_en = "Why"

[[rule]]
id = "t.caution"
category = "scam"
patterns = ['\bdau hieu ro\b']
weight = 1.0
at_least = "caution"
explanation_vi = "Giải thích"
explanation_en = "Why"
advice = ["a1"]

[[rule]]
id = "t.danger"
category = "scam"
patterns = ['\bdau hieu chac chan\b']
weight = 1.0
at_least = "danger"
explanation_vi = "Giải thích"
explanation_en = "Why"

[[rule]]
id = "t.warning"
category = "scam"
patterns = ['\bcanh bao ke gian\b']
weight = -1.0
explanation_vi = "Giải thích"
explanation_en = "Why"
)";
    CheckerOptions options;
    options.rules_dir = dir_;
    options.use_classifier = false;
    auto created = Checker::Create(options);
    ASSERT_TRUE(created.ok()) << created.error().message_en;
    checker_ = std::make_unique<Checker>(std::move(created).value());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CheckResult Check(const std::string& text) {
    auto r = checker_->Check(text);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : CheckResult{};
  }

  std::string dir_;
  std::unique_ptr<Checker> checker_;
};

TEST_F(AtLeastFloorTest, AMarkedRuleLiftsItsCategoryToItsVerdict) {
  const CheckResult weak = Check("Có dấu hiệu yếu thôi");
  EXPECT_TRUE(testing::HasRule(weak, "t.weak"));
  EXPECT_EQ(weak.verdict, Verdict::kSafe);  // -3 + 1
  const CheckResult caution = Check("Có dấu hiệu rõ");
  EXPECT_NEAR(caution.score(Category::kScam), 0.6, 0.01);
  EXPECT_EQ(caution.verdict, Verdict::kCaution);
  EXPECT_FALSE(caution.advice.empty());
  const CheckResult danger = Check("Có dấu hiệu chắc chắn");
  EXPECT_GE(danger.score(Category::kScam), kDangerThreshold);
  EXPECT_EQ(danger.verdict, Verdict::kDanger);
  // The floor is a floor: stronger evidence keeps its own, higher score.
  const CheckResult both = Check("dấu hiệu rõ, dấu hiệu chắc chắn, dấu hiệu yếu");
  EXPECT_GT(both.score(Category::kScam), danger.score(Category::kScam) - 1e-9);
}

TEST_F(AtLeastFloorTest, CounterEvidenceOrAZeroWeightLiftsTheFloor) {
  const CheckResult warned = Check("Cảnh báo kẻ gian: dấu hiệu chắc chắn");
  EXPECT_TRUE(testing::HasRule(warned, "t.warning"));
  EXPECT_EQ(warned.verdict, Verdict::kSafe);  // -3 + 1 - 1, no floor
  checker_->SetRuleSettings({{"t.danger", true, 0.0}});
  EXPECT_EQ(Check("Có dấu hiệu chắc chắn").verdict, Verdict::kSafe);
  checker_->SetRuleSettings({{"t.danger", false, std::nullopt}});
  EXPECT_EQ(Check("Có dấu hiệu chắc chắn").verdict, Verdict::kSafe);
}

TEST_F(AtLeastFloorTest, FloorLogOddsIsWhatCheckApplied) {
  const double none = -std::numeric_limits<double>::infinity();
  const size_t scam = static_cast<size_t>(Category::kScam);
  EXPECT_EQ(checker_->FloorLogOdds(Check("dấu hiệu yếu"))[scam], none);
  EXPECT_EQ(checker_->FloorLogOdds(Check("dấu hiệu rõ"))[scam], AtLeastLogOdds(Verdict::kCaution));
  EXPECT_EQ(checker_->FloorLogOdds(Check("dấu hiệu rõ, dấu hiệu chắc chắn"))[scam],
            AtLeastLogOdds(Verdict::kDanger));
  EXPECT_EQ(checker_->FloorLogOdds(Check("canh bao ke gian, dau hieu ro"))[scam], none);
  EXPECT_EQ(checker_->FloorLogOdds(Check("dấu hiệu rõ"))[static_cast<size_t>(Category::kToxic)], none);
  EXPECT_GT(1 / (1 + std::exp(-AtLeastLogOdds(Verdict::kDanger))), kDangerThreshold);
  EXPECT_GT(1 / (1 + std::exp(-AtLeastLogOdds(Verdict::kCaution))), kDecisionThreshold);
}

// FNV-1a as the model file uses it, to write a format-1 file by hand.
uint64_t Fnv1a(const std::string& bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

template <class T>
void Put(std::string* out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out->append(buf, sizeof(T));
}

TEST(ModelFormatTest, Format1FilesStillLoadAsTextOnlyHeads) {
  std::string bytes = "KHIENCLF";
  Put<uint32_t>(&bytes, 1);  // format 1: no evidence byte
  Put<uint32_t>(&bytes, kFeatureVersion);
  Put<uint32_t>(&bytes, 1);  // one head
  for (uint8_t v : {uint8_t{0}, uint8_t{16}, uint8_t{1}, uint8_t{1}, uint8_t{2}, uint8_t{5},
                    uint8_t{1}, uint8_t{1}, uint8_t{1}}) {
    Put<uint8_t>(&bytes, v);
  }
  Put<float>(&bytes, 2.0f);  // bias
  Put<float>(&bytes, 1.0f);  // platt a
  Put<float>(&bytes, 0.0f);  // platt b
  Put<uint32_t>(&bytes, 0);  // no weights
  Put<uint64_t>(&bytes, Fnv1a(bytes));
  const std::string path = TempPath("v1.model");
  std::ofstream(path, std::ios::binary) << bytes;
  auto c = Classifier::Load(path);
  std::remove(path.c_str());
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  EXPECT_TRUE(c->HasHead(Category::kScam));
  EXPECT_FALSE(c->UsesEvidence(Category::kScam));
  EXPECT_NEAR(*c->Predict("xin chào")[0], 1.0 / (1.0 + std::exp(-2.0)), 1e-5);
}

}  // namespace
}  // namespace khien::safety

namespace khien::safety {
namespace {

// The shipped model flags this on its own (no rule matches the wording): a labour-export
// deposit scam written for this test.
constexpr const char* kModelOnlyScam =
    "Tuyển lao động đi Nhật lương 40 triệu, không cần tiếng, đặt cọc 20 triệu giữ chỗ";

TEST(LearnedWordingTest, AModelOnlyFlagIsExplainedWithTheTellingWordsAndGetsAdvice) {
  const Checker rules_only = MakeChecker(false);
  ASSERT_TRUE(rules_only.Check(kModelOnlyScam)->reasons.empty()) << "a rule matches: pick another text";
  const Checker checker = MakeChecker(true);
  auto r = checker.Check(kModelOnlyScam);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->flagged(Category::kScam)) << ToJsonString(*r);
  ASSERT_EQ(r->reasons.size(), 1u) << ToJsonString(*r);
  const Reason& reason = r->reasons[0];
  EXPECT_EQ(reason.rule, "scam.learned_wording");
  // The words the model leans on are highlighted: the deposit, not the whole message.
  size_t chars = 0;  // code points of the message
  for (unsigned char b : std::string_view(kModelOnlyScam)) chars += (b & 0xC0) != 0x80;
  ASSERT_LT(reason.start, reason.end);
  EXPECT_LT(reason.end - reason.start, chars / 2);
  EXPECT_NE(std::string(kModelOnlyScam).find(reason.text), std::string::npos);
  EXPECT_NE(reason.text.find("triệu"), std::string::npos) << reason.text;
  EXPECT_GT(reason.weight, 0);
  EXPECT_FALSE(reason.explanation_vi.empty());
  EXPECT_FALSE(r->advice.empty());
}

TEST(LearnedWordingTest, NoModelReasonWhenARuleExplainsTheFlagOrTheRuleIsOff) {
  Checker checker = MakeChecker(true);
  auto ruled = checker.Check("Chúc mừng bạn trúng thưởng xe SH, gọi 0912 345 678 để nhận, nộp phí nhận thưởng 2 triệu");
  ASSERT_TRUE(ruled.ok());
  ASSERT_TRUE(ruled->flagged(Category::kScam));
  EXPECT_FALSE(testing::HasRule(*ruled, "scam.learned_wording"));
  checker.SetRuleSettings({{"scam.learned_wording", false, std::nullopt}});
  auto off = checker.Check(kModelOnlyScam);
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->flagged(Category::kScam));  // the score stays; only the explanation goes
  EXPECT_TRUE(off->reasons.empty());
}

TEST(LearnedWordingTest, TheShippedModelSoftensAStrongRuleHitButDoesNotCancelIt) {
  // An OTP request in plain conversational wording: the curated model has few examples like
  // it and is very sure it is harmless; the rule's weight (4) must still count for most.
  const char* text = "Can you send me the verification code you got?";
  const double rules_score = MakeChecker(false).Check(text)->score(Category::kScam);
  const double score = MakeChecker(true).Check(text)->score(Category::kScam);
  ASSERT_GE(rules_score, 0.7);
  EXPECT_GE(score, 1.0 / (1.0 + std::exp(-(std::log(rules_score / (1 - rules_score)) - 2.5))) - 1e-6);
}

}  // namespace
}  // namespace khien::safety
