// Retraining from confirmed reports (safety/retrain.h) and swapping the model into a running
// Checker (Checker::SetModel). Messages are invented.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "safety/checker.h"
#include "safety/classifier.h"
#include "safety/retrain.h"
#include "safety_test_util.h"

namespace khien::safety {
namespace {

using testing::SharedChecker;
using testing::SourcePath;

// One scam family the shipped model does not know (pets sold for a deposit); the last
// message is kept out of training.
const std::vector<std::string> kPetScams = {
    "Thanh lý chó Poodle con 1 triệu, cọc trước 300k qua ví để giữ bé, giao tận nhà",
    "Trại mèo Anh lông ngắn bán bé 2 tháng 900k, chuyển cọc 300k giữ bé, ship tận nơi",
    "Bán gấp chó Corgi 3 tháng giá 1tr2, anh chị cọc 500k em giữ bé cho, giao hàng toàn quốc",
    "Trại chó Phốc sóc thanh lý đàn con 700k, cọc trước 200k để em giữ bé và ship về nhà",
    "Mèo Ba Tư con giá rẻ 800k, chuyển khoản cọc 300k giữ bé, shop giao tận nhà trong ngày",
    "Thanh lý chó Alaska con giá 1tr5, cọc 500k qua chuyển khoản để giữ bé, ship tận nhà",
};
const char kUnseenPetScam[] =
    "Trại chó Husky thanh lý bé 2 tháng giá 800k, chuyển khoản cọc trước 300k để giữ bé, ship toàn quốc";
const char kSafe[] = "Tối nay cả nhà sang bà ngoại ăn cơm nhé, mẹ nấu canh chua";

std::vector<LabelledText> Reports() {
  std::vector<LabelledText> reports;
  for (const std::string& text : kPetScams) reports.push_back({text, true, {}});
  reports.push_back({kSafe, false, {}});
  return reports;
}

Checker ServedChecker() {
  CheckerOptions options;
  options.rules_dir = SourcePath("rules");
  options.cache_dir = KHIEN_TEST_CACHE_DIR;
  auto created = Checker::Create(options);
  EXPECT_TRUE(created.ok());
  return std::move(created).value();
}

TEST(RuleEvidence, NamesEveryFiredRuleAndEntityKind) {
  auto r = SharedChecker().Check("Gọi ngay 0912 345 678, gửi mã OTP để nhận thưởng 50 triệu");
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->reasons.empty());
  Evidence expected;
  for (const Reason& x : r->reasons) expected.AddRule(x.rule, x.category, x.weight);
  for (const EntityItem& x : r->entities) expected.AddEntity(x.type);
  const Evidence e = RuleEvidence(*r);
  EXPECT_EQ(e.keys, expected.keys);
  EXPECT_EQ(e.rule_weight, expected.rule_weight);
  EXPECT_GT(e.rule_weight[static_cast<size_t>(Category::kScam)], 0.0f);
}

TEST(Retrain, LearnsAConfirmedFamilyAndKeepsTheOtherHeads) {
  RetrainSummary summary;
  auto model = RetrainWithReports(SharedChecker(), Reports(), &summary);
  ASSERT_TRUE(model.ok()) << model.error().message_en;
  EXPECT_EQ(summary.reports_scam, kPetScams.size());
  EXPECT_EQ(summary.reports_safe, 1u);
  EXPECT_GT(summary.examples, summary.reports_scam + summary.reports_safe);  // curated ones too
  EXPECT_GT(summary.positives, summary.reports_scam);
  EXPECT_TRUE(model->UsesEvidence(Category::kScam));
  for (Category c : {Category::kGrooming, Category::kToxic, Category::kPrivacy}) {
    ASSERT_TRUE(model->HasHead(c));
    EXPECT_FALSE(model->UsesEvidence(c));
    const char grooming[] = "Em mấy tuổi rồi, học trường nào? Đừng nói với bố mẹ nhé.";
    const auto mine = model->Predict(grooming)[static_cast<size_t>(c)];
    const auto shipped = Classifier::Default().Predict(grooming)[static_cast<size_t>(c)];
    ASSERT_TRUE(mine && shipped);
    EXPECT_NEAR(*mine, *shipped, 1e-6);  // the same head (summation order may differ in the last bit)
  }
}

TEST(Retrain, TheSwappedModelFlagsAnUnseenMessageOfTheFamilyAndNotAFamilyChat) {
  Checker checker = ServedChecker();
  auto before = checker.Check(kUnseenPetScam);
  ASSERT_TRUE(before.ok());
  EXPECT_LT(before->score(Category::kScam), 0.5);

  auto model = RetrainWithReports(SharedChecker(), Reports(), nullptr);
  ASSERT_TRUE(model.ok());
  checker.SetModel(std::make_shared<const Classifier>(std::move(model).value()));
  auto after = checker.Check(kUnseenPetScam);
  ASSERT_TRUE(after.ok());
  EXPECT_GE(after->score(Category::kScam), 0.5);
  auto chat = checker.Check("Chiều nay mẹ đón con lúc 5 giờ nhé, nhớ mang áo mưa.");
  ASSERT_TRUE(chat.ok());
  EXPECT_LT(chat->score(Category::kScam), 0.5);

  // Without a model the checker scores by the rules alone.
  checker.SetModel(nullptr);
  EXPECT_EQ(checker.model(), nullptr);
  auto rules_only = checker.Check(kUnseenPetScam);
  ASSERT_TRUE(rules_only.ok());
  EXPECT_EQ(rules_only->score(Category::kScam), SharedChecker().Check(kUnseenPetScam)->score(Category::kScam));
}

TEST(Retrain, IsDeterministic) {
  auto a = RetrainWithReports(SharedChecker(), Reports(), nullptr);
  auto b = RetrainWithReports(SharedChecker(), Reports(), nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Predict(kUnseenPetScam), b->Predict(kUnseenPetScam));
}

}  // namespace
}  // namespace khien::safety
