#include "safety/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "safety/default_model.h"

namespace khien::safety {
namespace {

// Synthetic messages, invented for these tests: a scam family (prize + link + fee / OTP) and
// ordinary school and family messages. Fillers vary so no two examples are the same.
const std::vector<std::string> kNames = {"Lan",  "Hùng", "Mai",  "Tuấn", "H Hoa", "Y Krông",
                                         "Thảo", "Bình", "Ngọc", "Phúc", "Duyên", "Khoa"};
const std::vector<std::string> kScamTemplates = {
    "Chúc mừng {n} đã trúng thưởng {k} triệu, nhấn link http://qua-tang{k}.xyz để nhận ngay",
    "Tài khoản của {n} bị khóa, gửi mã OTP cho tổng đài viên để mở lại trong {k} phút",
    "{n} ơi, việc nhẹ lương cao {k}00k mỗi ngày, nộp phí {k} triệu để nhận nhiệm vụ",
    "Bạn {n} được nhận quà tri ân {k} triệu, truy cập nhanqua{k}.top và nhập mã OTP",
    "Cơ quan công an thông báo {n} liên quan vụ án, chuyển {k} triệu vào tài khoản tạm giữ",
};
const std::vector<std::string> kSafeTemplates = {
    "Con {n} hôm nay đi học đầy đủ, chiều {k} giờ mẹ đón nhé",
    "Chi hội phụ nữ mời chị {n} dự buổi sinh hoạt lúc {k} giờ sáng thứ bảy",
    "Cô giáo nhắc phụ huynh em {n} ký sổ liên lạc, họp lớp ngày {k} tháng này",
    "Anh {n} nhớ mua {k} ký gạo với rau khi về nhà nha",
    "Cảm ơn {n} đã đến thăm, hẹn gặp lại vào tuần {k}",
};

std::string Fill(std::string t, const std::string& name, int k) {
  for (size_t p = t.find("{n}"); p != std::string::npos; p = t.find("{n}")) t.replace(p, 3, name);
  for (size_t p = t.find("{k}"); p != std::string::npos; p = t.find("{k}")) {
    t.replace(p, 3, std::to_string(k));
  }
  return t;
}

// Examples from names [first, last) so a held-out set uses names and numbers never seen.
std::vector<LabelledText> Synthetic(size_t first, size_t last, int k_base) {
  std::vector<LabelledText> out;
  for (size_t i = first; i < last; ++i) {
    for (size_t t = 0; t < kScamTemplates.size(); ++t) {
      out.push_back({Fill(kScamTemplates[t], kNames[i], k_base + static_cast<int>(i + t)), true});
    }
    for (size_t t = 0; t < kSafeTemplates.size(); ++t) {
      out.push_back(
          {Fill(kSafeTemplates[t], kNames[i], k_base + static_cast<int>(i * 2 + t)), false});
    }
  }
  return out;
}

float Probability(const Classifier& c, std::string_view text, Category cat) {
  const auto p = c.Predict(text)[static_cast<size_t>(cat)];
  EXPECT_TRUE(p.has_value());
  return p.value_or(-1.0f);
}

class ClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(trained_.Train(Category::kScam, Synthetic(0, 9, 2)).ok()); }
  std::string TempPath(const std::string& name) {
    const std::string p = (std::filesystem::temp_directory_path() /
                           ("khien_classifier_test_" + std::to_string(::getpid()) + "_" + name))
                              .string();
    cleanup_.push_back(p);
    return p;
  }
  void TearDown() override {
    for (const auto& p : cleanup_) std::remove(p.c_str());
  }

  Classifier trained_;
  std::vector<std::string> cleanup_;
};

TEST_F(ClassifierTest, EmptyClassifierHasNoHeads) {
  Classifier empty;
  for (Category c : kAllCategories) EXPECT_FALSE(empty.HasHead(c));
  for (const auto& p : empty.Predict("bất kỳ")) EXPECT_FALSE(p.has_value());
}

TEST_F(ClassifierTest, PredictsHeldOutSyntheticExamples) {
  EXPECT_TRUE(trained_.HasHead(Category::kScam));
  EXPECT_FALSE(trained_.HasHead(Category::kToxic));
  const auto held_out = Synthetic(9, kNames.size(), 40);
  int right = 0;
  for (const auto& e : held_out) {
    const float p = Probability(trained_, e.text, Category::kScam);
    if ((p >= 0.5f) == e.positive) ++right;
    EXPECT_EQ(trained_.Predict(e.text)[static_cast<size_t>(Category::kToxic)], std::nullopt);
  }
  EXPECT_EQ(right, static_cast<int>(held_out.size()));
}

TEST_F(ClassifierTest, TextWithoutTwoLettersGetsNoProbability) {
  for (std::string_view text : {"", " ", "a", ".", "1234", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80"}) {
    for (const auto& p : trained_.Predict(text)) EXPECT_EQ(p, std::nullopt) << text;
    for (const auto& p : Classifier::Default().Predict(text)) EXPECT_EQ(p, std::nullopt) << text;
  }
  EXPECT_TRUE(trained_.Predict("ok")[static_cast<size_t>(Category::kScam)].has_value());
}

TEST_F(ClassifierTest, ProbabilitiesStayInUnitInterval) {
  for (std::string_view text :
       {"ab", "a b", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 ok",
        "OTP OTP OTP OTP OTP OTP chuyển tiền ngay http://x.xyz 0912345678", "xin chào"}) {
    const float p = Probability(trained_, text, Category::kScam);
    EXPECT_GE(p, 0.0f);
    EXPECT_LE(p, 1.0f);
  }
  const std::string long_text(70000, 'x');
  const float p = Probability(trained_, long_text, Category::kScam);
  EXPECT_GE(p, 0.0f);
  EXPECT_LE(p, 1.0f);
}

TEST_F(ClassifierTest, TrainingIsDeterministic) {
  Classifier again;
  ASSERT_TRUE(again.Train(Category::kScam, Synthetic(0, 9, 2)).ok());
  for (const auto& e : Synthetic(9, kNames.size(), 40)) {
    EXPECT_EQ(Probability(again, e.text, Category::kScam),
              Probability(trained_, e.text, Category::kScam));
  }
}

TEST_F(ClassifierTest, TrainWithoutPositivesOrNegativesFails) {
  std::vector<LabelledText> only_safe;
  std::vector<LabelledText> only_scam;
  for (const auto& e : Synthetic(0, 4, 2)) (e.positive ? only_scam : only_safe).push_back(e);
  Classifier c;
  auto r = c.Train(Category::kToxic, only_safe);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(r.error().message_en.find("toxic"), std::string::npos);
  EXPECT_FALSE(r.error().message_vi.empty());
  EXPECT_FALSE(c.Train(Category::kToxic, only_scam).ok());
  EXPECT_FALSE(c.Train(Category::kToxic, {}).ok());
  EXPECT_FALSE(c.HasHead(Category::kToxic));
}

TEST_F(ClassifierTest, InvalidOptionsAreRejected) {
  TrainOptions o;
  o.features.hash_bits = 30;
  Classifier c;
  EXPECT_FALSE(c.Train(Category::kScam, Synthetic(0, 4, 2), o).ok());
  o = TrainOptions{};
  o.epochs = 0;
  EXPECT_FALSE(c.Train(Category::kScam, Synthetic(0, 4, 2), o).ok());
}

TEST_F(ClassifierTest, RetrainingReplacesOnlyThatHead) {
  const auto probe = Synthetic(9, kNames.size(), 60);
  std::vector<float> before;
  for (const auto& e : probe) before.push_back(Probability(trained_, e.text, Category::kScam));
  auto toxic = Synthetic(0, 6, 3);
  for (auto& e : toxic) e.positive = !e.positive;  // any second labelling will do
  ASSERT_TRUE(trained_.Train(Category::kToxic, toxic).ok());
  // Two heads with the same features are scored together; the scam head must not change.
  for (size_t i = 0; i < probe.size(); ++i) {
    EXPECT_NEAR(Probability(trained_, probe[i].text, Category::kScam), before[i], 1e-5);
  }
  EXPECT_TRUE(trained_.HasHead(Category::kScam));
  EXPECT_TRUE(trained_.HasHead(Category::kToxic));
  const std::string scam = Fill(kScamTemplates[0], "Quyên", 77);
  EXPECT_GE(Probability(trained_, scam, Category::kScam), 0.5f);
  EXPECT_LT(Probability(trained_, scam, Category::kToxic), 0.5f);
}

TEST_F(ClassifierTest, SaveLoadRoundTripGivesIdenticalPredictions) {
  auto toxic = Synthetic(0, 6, 3);
  for (auto& e : toxic) e.positive = !e.positive;
  TrainOptions small;
  small.features.hash_bits = 16;
  small.features.word_bigrams = false;
  ASSERT_TRUE(trained_.Train(Category::kToxic, toxic, small).ok());
  const std::string path = TempPath("roundtrip.model");
  ASSERT_TRUE(trained_.Save(path).ok());
  auto loaded = Classifier::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message_en;
  EXPECT_TRUE(loaded->HasHead(Category::kScam));
  EXPECT_TRUE(loaded->HasHead(Category::kToxic));
  EXPECT_FALSE(loaded->HasHead(Category::kGrooming));
  for (const auto& e : Synthetic(0, kNames.size(), 50)) {
    EXPECT_EQ(loaded->Predict(e.text), trained_.Predict(e.text)) << e.text;
  }
}

TEST_F(ClassifierTest, ScaledHeadsSeparateHeldOutAndRoundTrip) {
  // TF-IDF, NB log-count ratios, and both: each keeps its per-bucket scale in the file.
  for (const auto& [tfidf, nb] : {std::pair{true, false}, {false, true}, {true, true}}) {
    TrainOptions scaled;
    scaled.features.hash_bits = 16;
    scaled.features.tfidf = tfidf;
    scaled.features.nb_ratio = nb;
    Classifier c;
    ASSERT_TRUE(c.Train(Category::kScam, Synthetic(0, 9, 2), scaled).ok());
    ASSERT_TRUE(c.Train(Category::kToxic, Synthetic(0, 9, 2)).ok());  // a plain head beside it
    const auto held_out = Synthetic(9, kNames.size(), 40);
    int right = 0;
    for (const auto& e : held_out) {
      right += (Probability(c, e.text, Category::kScam) >= 0.5f) == e.positive;
    }
    EXPECT_EQ(right, static_cast<int>(held_out.size())) << tfidf << nb;
    const std::string path = TempPath("scaled.model");
    ASSERT_TRUE(c.Save(path).ok());
    auto loaded = Classifier::Load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message_en;
    for (const auto& e : held_out) EXPECT_EQ(loaded->Predict(e.text), c.Predict(e.text)) << e.text;
    // A scaled head scores differently from a binary-count head on the same data.
    EXPECT_NE(c.Predict(held_out[0].text)[0], trained_.Predict(held_out[0].text)[0]);
  }
}

TEST_F(ClassifierTest, EnsembleAndAveragedHeadsSeparateHeldOutAndRoundTrip) {
  // LR + NB-LR folded into one weight vector, the fold-model average, and both: each is a
  // plain linear head (no per-bucket scale in the file), deterministic, and saves as one.
  for (const auto& [ensemble, average] : {std::pair{true, false}, {false, true}, {true, true}}) {
    TrainOptions o;
    o.features.hash_bits = 16;
    o.nb_ensemble = ensemble;
    o.average_fold_models = average;
    Classifier c, again;
    ASSERT_TRUE(c.Train(Category::kScam, Synthetic(0, 9, 2), o).ok());
    ASSERT_TRUE(again.Train(Category::kScam, Synthetic(0, 9, 2), o).ok());
    ASSERT_TRUE(c.Train(Category::kToxic, Synthetic(0, 9, 2)).ok());  // a plain head beside it
    const auto held_out = Synthetic(9, kNames.size(), 40);
    int right = 0;
    for (const auto& e : held_out) {
      right += (Probability(c, e.text, Category::kScam) >= 0.5f) == e.positive;
      EXPECT_EQ(Probability(again, e.text, Category::kScam), Probability(c, e.text, Category::kScam));
    }
    EXPECT_EQ(right, static_cast<int>(held_out.size())) << ensemble << average;
    // Not the plain head under another name.
    TrainOptions plain_options;
    plain_options.features.hash_bits = 16;
    Classifier plain;
    ASSERT_TRUE(plain.Train(Category::kScam, Synthetic(0, 9, 2), plain_options).ok());
    EXPECT_NE(c.Predict(held_out[0].text)[0], plain.Predict(held_out[0].text)[0]);
    const std::string path = TempPath("ensemble.model");
    ASSERT_TRUE(c.Save(path).ok());
    auto loaded = Classifier::Load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message_en;
    for (const auto& e : held_out) EXPECT_EQ(loaded->Predict(e.text), c.Predict(e.text)) << e.text;
  }
}

TEST_F(ClassifierTest, MessageShapeHeadSeparatesHeldOutAndRoundTrips) {
  TrainOptions o;
  o.features.hash_bits = 16;
  o.features.message_shapes = true;
  Classifier c;
  ASSERT_TRUE(c.Train(Category::kScam, Synthetic(0, 9, 2), o).ok());
  const auto held_out = Synthetic(9, kNames.size(), 40);
  int right = 0;
  for (const auto& e : held_out) right += (Probability(c, e.text, Category::kScam) >= 0.5f) == e.positive;
  EXPECT_EQ(right, static_cast<int>(held_out.size()));
  const std::string path = TempPath("shapes.model");
  ASSERT_TRUE(c.Save(path).ok());
  auto loaded = Classifier::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message_en;
  for (const auto& e : held_out) EXPECT_EQ(loaded->Predict(e.text), c.Predict(e.text)) << e.text;
  // The option survives the file: without it the loaded head would score otherwise.
  TrainOptions plain = o;
  plain.features.message_shapes = false;
  Classifier without;
  ASSERT_TRUE(without.Train(Category::kScam, Synthetic(0, 9, 2), plain).ok());
  EXPECT_NE(loaded->Predict(held_out[0].text)[0], without.Predict(held_out[0].text)[0]);
}

TEST_F(ClassifierTest, BaggedHeadIsDeterministicAndOneBagIsThePlainModel) {
  TrainOptions one;
  one.features.hash_bits = 16;
  TrainOptions three = one;
  three.bags = 3;
  Classifier plain, bag1, bag3, bag3_again;
  ASSERT_TRUE(plain.Train(Category::kScam, Synthetic(0, 9, 2), one).ok());
  one.bags = 1;
  ASSERT_TRUE(bag1.Train(Category::kScam, Synthetic(0, 9, 2), one).ok());
  ASSERT_TRUE(bag3.Train(Category::kScam, Synthetic(0, 9, 2), three).ok());
  ASSERT_TRUE(bag3_again.Train(Category::kScam, Synthetic(0, 9, 2), three).ok());
  const auto held_out = Synthetic(9, kNames.size(), 40);
  int right = 0;
  for (const auto& e : held_out) {
    EXPECT_EQ(bag1.Predict(e.text), plain.Predict(e.text));
    EXPECT_EQ(bag3.Predict(e.text), bag3_again.Predict(e.text));
    right += (Probability(bag3, e.text, Category::kScam) >= 0.5f) == e.positive;
  }
  EXPECT_EQ(right, static_cast<int>(held_out.size()));
  EXPECT_NE(bag3.Predict(held_out[0].text)[0], plain.Predict(held_out[0].text)[0]);
}

TEST(DefaultTrainOptionsForTest, ScamAndToxicGetTheirOwnOptionsOthersTheRound3Defaults) {
  const TrainOptions toxic = DefaultTrainOptionsFor(Category::kToxic);
  EXPECT_TRUE(toxic.nb_ensemble);
  EXPECT_TRUE(toxic.average_fold_models);
  EXPECT_EQ(toxic.epochs, 5);
  FeatureOptions toxic_features;
  toxic_features.hash_bits = 20;
  EXPECT_EQ(toxic.features, toxic_features);
  const TrainOptions scam = DefaultTrainOptionsFor(Category::kScam);
  EXPECT_EQ(scam.bags, 5);
  EXPECT_FLOAT_EQ(scam.tune_threshold_max_fpr, 0.01f);
  EXPECT_FALSE(scam.nb_ensemble);
  FeatureOptions scam_features;
  scam_features.message_shapes = true;
  EXPECT_EQ(scam.features, scam_features);
  EXPECT_EQ(toxic.bags, 1);
  for (Category c : {Category::kGrooming, Category::kPrivacy}) {
    const TrainOptions o = DefaultTrainOptionsFor(c);
    EXPECT_FALSE(o.nb_ensemble);
    EXPECT_FALSE(o.average_fold_models);
    EXPECT_EQ(o.epochs, TrainOptions{}.epochs);
    EXPECT_EQ(o.bags, 1);
    EXPECT_FLOAT_EQ(o.tune_threshold_max_fpr, TrainOptions{}.tune_threshold_max_fpr);
    EXPECT_EQ(o.features, FeatureOptions{});
  }
}

TEST_F(ClassifierTest, MissingFileIsAnErrorNamingIt) {
  const std::string path = "/nonexistent/khien/model.bin";
  auto r = Classifier::Load(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(r.error().message_en.find(path), std::string::npos);
  EXPECT_NE(r.error().message_vi.find(path), std::string::npos);
}

TEST_F(ClassifierTest, CorruptFilesAreErrorsNamingTheFile) {
  const std::string good = TempPath("good.model");
  ASSERT_TRUE(trained_.Save(good).ok());
  std::ifstream in(good, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);

  std::vector<std::string> corruptions;
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;  // a weight changes: the checksum catches it
  corruptions.push_back(flipped);
  corruptions.push_back(bytes.substr(0, bytes.size() - 9));  // truncated
  corruptions.push_back(bytes + "extra");                    // trailing bytes
  corruptions.push_back("not a model at all");
  corruptions.push_back("");
  std::string wrong_magic = bytes;
  wrong_magic[0] = 'X';
  corruptions.push_back(wrong_magic);

  for (size_t i = 0; i < corruptions.size(); ++i) {
    const std::string path = TempPath("corrupt" + std::to_string(i) + ".model");
    std::ofstream(path, std::ios::binary) << corruptions[i];
    auto r = Classifier::Load(path);
    ASSERT_FALSE(r.ok()) << "corruption " << i;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(r.error().message_en.find(path), std::string::npos) << r.error().message_en;
    EXPECT_NE(r.error().message_vi.find(path), std::string::npos);
  }
}

TEST_F(ClassifierTest, SaveToUnwritablePathFails) {
  auto r = trained_.Save("/nonexistent/khien/dir/model.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_en.find("/nonexistent/khien/dir/model.bin"), std::string::npos);
}

bool HasDense(std::string_view text, DenseFeature feature) {
  FeatureOptions o;
  FeatureVector v;
  ExtractFeatures(text, o, &v);
  const uint32_t index = (uint32_t{1} << o.hash_bits) + feature;
  for (size_t k = 0; k < v.size(); ++k) {
    if (v.index[k] == index) return v.value[k] > 0;
  }
  return false;
}

TEST(FeaturesTest, DenseSignals) {
  EXPECT_TRUE(HasDense("Gọi ngay 0912 345 678 để nhận quà", kHasPhone));
  EXPECT_TRUE(HasDense("lien he +84 912.345.678", kHasPhone));
  EXPECT_FALSE(HasDense("Số dư 100.000.000 VND", kHasPhone));
  EXPECT_TRUE(HasDense("truy cap nhanqua.xyz ngay", kHasUrl));
  EXPECT_TRUE(HasDense("https://example.vn/a", kHasUrl));
  EXPECT_FALSE(HasDense("giá 1.5 triệu, hẹn 7.30 sáng", kHasUrl));
  EXPECT_TRUE(HasDense("nộp phí 500k", kHasMoney));
  EXPECT_TRUE(HasDense("chuyển 2 triệu", kHasMoney));
  EXPECT_TRUE(HasDense("1.000.000đ", kHasMoney));
  EXPECT_FALSE(HasDense("con học lớp 5", kHasMoney));
  EXPECT_TRUE(HasDense("soạn TC gửi 9029", kHasShortCode));
  EXPECT_TRUE(HasDense("KHẨN CẤP", kUpperRatio));
  EXPECT_FALSE(HasDense("khẩn cấp", kUpperRatio));
}

TEST(FeaturesTest, ComposedAndDecomposedTextGiveTheSameFeatures) {
  FeatureOptions o;
  FeatureVector nfc, nfd;
  o.accented_words = false;  // accented words hash the bytes as written (callers pass NFC)
  // The second text is "Chuyển khoản" in NFD: base letters followed by combining marks.
  ExtractFeatures("Chuyển khoản ngay", o, &nfc);
  ExtractFeatures("Chuye\xCC\x82\xCC\x89n khoa\xCC\x89n ngay", o, &nfd);
  EXPECT_EQ(nfc.index, nfd.index);
  EXPECT_EQ(nfc.value, nfd.value);
}

TEST(FeaturesTest, AccentsFoldAwayExceptInAccentedWords) {
  FeatureOptions o;
  o.accented_words = false;
  FeatureVector with, without;
  ExtractFeatures("bạn ơi", o, &with);
  ExtractFeatures("ban oi", o, &without);
  EXPECT_EQ(with.index, without.index);
  o.accented_words = true;
  ExtractFeatures("bạn ơi", o, &with);
  ExtractFeatures("ban oi", o, &without);
  EXPECT_GT(with.size(), without.size());
}

TEST(FeaturesTest, IndicesStayInsideTheDimension) {
  FeatureOptions o;
  o.hash_bits = 16;
  FeatureVector v;
  ExtractFeatures("Tin nhắn bất kỳ với số 0987 654 321 và link a.vn 🙂", o, &v);
  ASSERT_GT(v.size(), 10u);
  for (uint32_t i : v.index) EXPECT_LT(i, Dimension(o));
  EXPECT_EQ(v.index.size(), v.value.size());
}

FeatureOptions OnlyCharGrams(uint8_t n, bool word_bounded) {
  FeatureOptions o;
  o.word_unigrams = o.word_bigrams = o.accented_words = o.accented_bigrams = false;
  o.number_shapes = o.dense = o.block_norm = false;
  o.char_min = o.char_max = n;
  o.char_word_bounded = word_bounded;
  return o;
}

std::vector<uint32_t> Sorted(std::vector<uint32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(FeaturesTest, WordBoundedCharGramsNeverSpanTwoWords) {
  FeatureVector a, b;
  // Inside words only, the order of the words does not matter; across words it does.
  ExtractFeatures("chuyen khoan", OnlyCharGrams(3, true), &a);
  ExtractFeatures("khoan chuyen", OnlyCharGrams(3, true), &b);
  EXPECT_EQ(Sorted(a.index), Sorted(b.index));
  // " chuyen " has 6 trigrams, " khoan " 5.
  EXPECT_EQ(a.size(), 11u);
  ExtractFeatures("chuyen khoan", OnlyCharGrams(3, false), &a);
  ExtractFeatures("khoan chuyen", OnlyCharGrams(3, false), &b);
  EXPECT_NE(Sorted(a.index), Sorted(b.index));
}

TEST(FeaturesTest, BlockNormGivesEachFamilyUnitNorm) {
  FeatureOptions o;
  o.dense = false;
  FeatureVector v;
  ExtractFeatures("Bạn đã trúng thưởng 5 triệu, gọi 0912 345 678", o, &v);
  ASSERT_EQ(v.blocks, 3u);  // folded words, accented words, character n-grams
  uint32_t begin = 0;
  for (uint32_t b = 0; b < v.blocks; ++b) {
    double norm2 = 0;
    for (uint32_t k = begin; k < v.block_end[b]; ++k) norm2 += double(v.value[k]) * v.value[k];
    EXPECT_NEAR(norm2, 1.0, 1e-5) << "block " << b;
    begin = v.block_end[b];
  }
  EXPECT_EQ(begin, v.size());
  // Far fewer word features than character n-grams, so each weighs more.
  EXPECT_GT(v.value[0], v.value[v.size() - 1]);
  o.block_norm = false;
  ExtractFeatures("Bạn đã trúng thưởng 5 triệu, gọi 0912 345 678", o, &v);
  EXPECT_EQ(v.blocks, 0u);
  EXPECT_EQ(v.value[0], v.value[v.size() - 1]);
}

// The indices that number_shapes adds to `text`.
std::vector<uint32_t> ShapeFeatures(const std::string& text) {
  FeatureOptions o;
  o.char_max = 0;
  o.dense = o.accented_words = o.accented_bigrams = o.word_bigrams = false;
  FeatureVector with, without;
  o.number_shapes = true;
  ExtractFeatures(text, o, &with);
  o.number_shapes = false;
  ExtractFeatures(text, o, &without);
  std::vector<uint32_t> out = Sorted(with.index);
  for (uint32_t i : without.index) out.erase(std::find(out.begin(), out.end(), i));
  return out;
}

TEST(FeaturesTest, NumberShapesNameTheKindOfNumber) {
  const auto phone = ShapeFeatures("goi 0912 345 678");
  ASSERT_EQ(phone.size(), 1u);
  EXPECT_EQ(ShapeFeatures("goi 0987654321"), phone);
  EXPECT_EQ(ShapeFeatures("lien he +84 912.345.678"), phone);
  const auto money = ShapeFeatures("nop phi 500k");
  ASSERT_EQ(money.size(), 1u);
  EXPECT_EQ(ShapeFeatures("chuyen 2 trieu"), money);
  const auto short_code = ShapeFeatures("soan TC gui 9029");
  ASSERT_EQ(short_code.size(), 1u);
  EXPECT_NE(short_code, phone);
  EXPECT_NE(short_code, money);
  EXPECT_NE(ShapeFeatures("ma OTP 482913"), short_code);
  EXPECT_TRUE(ShapeFeatures("khong co so nao").empty());
}

// The three message-shape tokens alone (every other family off).
std::vector<uint32_t> MessageShapeFeatures(const std::string& text) {
  FeatureOptions o;
  o.word_unigrams = o.word_bigrams = o.accented_words = o.accented_bigrams = false;
  o.number_shapes = o.dense = false;
  o.char_max = 0;
  o.message_shapes = true;
  FeatureVector v;
  ExtractFeatures(text, o, &v);
  return v.index;  // length, word count, capitals
}

TEST(FeaturesTest, MessageShapesTellLengthWordCountAndCapitals) {
  const auto ok = MessageShapeFeatures("ok");
  ASSERT_EQ(ok.size(), 3u);
  // Same length bucket and capitals, one word more.
  const auto ok_ok = MessageShapeFeatures("ok ok");
  EXPECT_EQ(ok_ok[0], ok[0]);
  EXPECT_NE(ok_ok[1], ok[1]);
  EXPECT_EQ(ok_ok[2], ok[2]);
  // Only the capitals differ.
  const auto lower = MessageShapeFeatures("free entry now");
  const auto shouted = MessageShapeFeatures("FREE ENTRY NOW");
  EXPECT_EQ(lower[0], shouted[0]);
  EXPECT_EQ(lower[1], shouted[1]);
  EXPECT_NE(lower[2], shouted[2]);
  // Characters, not bytes: 25 accented letters are one bucket (20-39), 50 bytes would be
  // another; a message at the SMS limit is a bucket of its own.
  const std::string fifty_bytes(25 * 2, 'x');
  std::string vietnamese;
  for (int i = 0; i < 25; ++i) vietnamese += "\xC3\xA2";  // "â"
  EXPECT_EQ(MessageShapeFeatures(vietnamese)[0], MessageShapeFeatures(std::string(25, 'a'))[0]);
  EXPECT_NE(MessageShapeFeatures(vietnamese)[0], MessageShapeFeatures(fifty_bytes)[0]);
  EXPECT_NE(MessageShapeFeatures(std::string(150, 'a'))[0], ok[0]);

  // Off by default; on, a block of its own beside the words and the character n-grams.
  FeatureOptions o;
  o.dense = false;
  FeatureVector off, on;
  ExtractFeatures("Call now to claim your prize", o, &off);
  o.message_shapes = true;
  ExtractFeatures("Call now to claim your prize", o, &on);
  EXPECT_EQ(on.size(), off.size() + 3);
  EXPECT_EQ(on.blocks, off.blocks + 1);
  ASSERT_GE(on.blocks, 2u);
  EXPECT_EQ(on.block_end[1] - on.block_end[0], 3u);
  EXPECT_FLOAT_EQ(on.value[on.block_end[0]], 1.0f / std::sqrt(3.0f));
}

TEST(FeaturesTest, AccentedBigramsOnlyWhereAWordHasDiacritics) {
  FeatureOptions o;
  o.char_max = 0;
  o.dense = o.number_shapes = false;
  FeatureVector with, without;
  ExtractFeatures("bán hàng online", o, &with);
  o.accented_bigrams = false;
  ExtractFeatures("bán hàng online", o, &without);
  EXPECT_EQ(with.size(), without.size() + 2);  // "bán hàng", "hàng online"
  FeatureOptions plain = o;
  plain.accented_bigrams = true;
  ExtractFeatures("ban hang online", plain, &with);
  ExtractFeatures("ban hang online", o, &without);
  EXPECT_EQ(with.index, without.index);
  FeatureOptions invalid;
  invalid.accented_words = false;  // bigrams of accented words need the accented view
  EXPECT_FALSE(ValidFeatureOptions(invalid));
}

// Loads a model file written by hand as an older release wrote it: `format`, its option bytes,
// bias 0, Platt a = 0.1 (keeps the sigmoid away from saturation) and b = 0, and weight 1 on
// every feature `features` has, so log-odds / 0.1 is the sum of a text's feature values.
Result<Classifier> LoadHandWritten(uint32_t format, std::initializer_list<uint8_t> option_bytes,
                                   const FeatureOptions& features) {
  const auto put = [](std::string* out, auto v) {
    char buf[sizeof(v)];
    std::memcpy(buf, &v, sizeof(v));
    out->append(buf, sizeof(v));
  };
  std::string bytes = "KHIENCLF";
  put(&bytes, format);
  put(&bytes, kFeatureVersion);
  put(&bytes, uint32_t{1});
  for (uint8_t v : option_bytes) put(&bytes, v);
  put(&bytes, 0.0f);  // bias
  put(&bytes, 0.1f);  // platt a
  put(&bytes, 0.0f);  // platt b
  const uint32_t dim = Dimension(features);
  put(&bytes, dim);
  for (uint32_t i = 0; i < dim; ++i) {
    put(&bytes, i);
    put(&bytes, 1.0f);
  }
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  put(&bytes, h);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("khien_format" + std::to_string(format) + "_test.model"))
                               .string();
  std::ofstream(path, std::ios::binary) << bytes;
  Result<Classifier> c = Classifier::Load(path);
  std::remove(path.c_str());
  return c;
}

double FeatureSum(std::string_view text, const FeatureOptions& o) {
  FeatureVector v;
  ExtractFeatures(text, o, &v);
  double s = 0;
  for (float x : v.value) s += x;
  return s;
}

// A format-3 file (before the round-3 option bytes) loads with the round-3 feature families
// off, so its predictions stay what they were.
TEST(ModelFormatTest, Format3FilesLoadWithoutTheRound3Families) {
  FeatureOptions round1;
  round1.hash_bits = 16;
  round1.char_min = 2;
  round1.char_word_bounded = round1.block_norm = round1.accented_bigrams = false;
  round1.number_shapes = false;
  // scam, 16 bits, unigrams, bigrams, char 2-5, digit class, dense, accented, no evidence,
  // no tfidf, no nb ratio.
  auto c = LoadHandWritten(3, {0, 16, 1, 1, 2, 5, 1, 1, 1, 0, 0, 0}, round1);
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  const std::string text = "Gọi 0912 345 678 nhận 5 triệu";
  const double p = *c->Predict(text)[static_cast<size_t>(Category::kScam)];
  EXPECT_NEAR(std::log(p / (1 - p)) / 0.1, FeatureSum(text, round1), 1e-3);
  // The defaults would score otherwise.
  EXPECT_GT(std::fabs(FeatureSum(text, FeatureOptions{.hash_bits = 16}) - FeatureSum(text, round1)), 0.1);
}

// A format-4 file (16 option bytes, before message_shapes) loads with message_shapes off.
TEST(ModelFormatTest, Format4FilesLoadWithoutMessageShapes) {
  FeatureOptions format4;
  format4.hash_bits = 16;
  // scam, 16 bits, then the defaults: unigrams, bigrams, char 1-5, digit class, dense,
  // accented, no evidence, no tfidf, no nb ratio, word-bounded, block norm, accented
  // bigrams, number shapes.
  auto c = LoadHandWritten(4, {0, 16, 1, 1, 1, 5, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1}, format4);
  ASSERT_TRUE(c.ok()) << c.error().message_en;
  const std::string text = "FREE entry! Txt WIN to 80086 now";
  const double p = *c->Predict(text)[static_cast<size_t>(Category::kScam)];
  EXPECT_NEAR(std::log(p / (1 - p)) / 0.1, FeatureSum(text, format4), 1e-3);
  FeatureOptions shapes = format4;
  shapes.message_shapes = true;
  // With the option it would score otherwise.
  EXPECT_GT(std::fabs(FeatureSum(text, shapes) - FeatureSum(text, format4)), 0.1);
}

TEST(DefaultModelTest, ExamplesForCategoryParsesLabels) {
  const std::string tsv =
      "categories\ttext\n# comment\nscam,privacy\tgửi OTP và số CCCD\n-\tchào em\n\ntoxic\tđồ "
      "ngu\n";
  const auto scam = ExamplesForCategory(tsv, Category::kScam);
  ASSERT_EQ(scam.size(), 3u);
  EXPECT_TRUE(scam[0].positive);
  EXPECT_EQ(scam[0].text, "gửi OTP và số CCCD");
  EXPECT_FALSE(scam[1].positive);
  EXPECT_FALSE(scam[2].positive);
  const auto privacy = ExamplesForCategory(tsv, Category::kPrivacy);
  EXPECT_TRUE(privacy[0].positive);
  const auto toxic = ExamplesForCategory(tsv, Category::kToxic);
  EXPECT_TRUE(toxic[2].positive);
  EXPECT_FALSE(toxic[0].positive);
}

TEST(DefaultModelTest, HasEveryHeadAndSeparatesObviousCases) {
  const Classifier& c = Classifier::Default();
  for (Category cat : kAllCategories) EXPECT_TRUE(c.HasHead(cat)) << CategoryName(cat);
  EXPECT_EQ(&c, &Classifier::Default());

  // Invented messages, not in training/messages.tsv.
  const std::string scam =
      "Chuc mung quy khach da trung thuong xe SH 150i, vui long truy cap https://nhanthuong-sh.vip "
      "va nop phi 2.500.000d de nhan giai truoc 17h hom nay";
  const std::string balance =
      "SD TK 0451000123456 +1,500,000VND luc 08:12 25/11. SD: 3,245,000VND. Ref: luong thang 11";
  EXPECT_GE(Probability(c, scam, Category::kScam), 0.5f);
  EXPECT_LT(Probability(c, balance, Category::kScam), 0.5f);

  const std::string grooming =
      "em xinh qua, dung ke voi bo me nhe, gui anh tam anh cua em di anh nap the cao cho";
  EXPECT_GE(Probability(c, grooming, Category::kGrooming), 0.5f);
  const std::string teacher =
      "Kính gửi phụ huynh: thứ hai tuần sau các con nghỉ học để trường tổ chức thi.";
  for (Category cat : kAllCategories) {
    EXPECT_LT(Probability(c, teacher, cat), 0.5f) << CategoryName(cat);
  }
}

}  // namespace
}  // namespace khien::safety
