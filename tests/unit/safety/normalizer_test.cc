#include "safety/normalizer.h"

#include <gtest/gtest.h>

#include "safety_test_util.h"

namespace khien::safety {
namespace {

// The original text behind view bytes [b, e).
std::string Behind(const NormalizedText& nt, ViewKind kind, size_t b, size_t e) {
  auto [s, t] = nt.OriginalSpan(kind, b, e);
  return std::string(nt.original.substr(s, t - s));
}

const Normalizer& SharedNormalizer() { return testing::SharedChecker().rules()->normalizer(); }

TEST(NormalizerTest, FoldedRemovesMarksCaseAndInvisibles) {
  const std::string text = "Đừng\u200b BẤM vào   Link";
  NormalizedText nt = SharedNormalizer().Normalize(text);
  EXPECT_EQ(nt.folded.text, "dung bam vao link");
}

TEST(NormalizerTest, DecomposedEqualsComposed) {
  const std::string nfc = "Nhận tiền hỗ trợ";
  const std::string nfd = "Nha\u0323\u0302n tie\u0302\u0300n ho\u0302\u0303 tro\u031b\u0323";
  EXPECT_EQ(SharedNormalizer().Normalize(nfc).expanded.text,
            SharedNormalizer().Normalize(nfd).expanded.text);
}

TEST(NormalizerTest, LeetspeakUndoneInsideWords) {
  EXPECT_EQ(SharedNormalizer().Normalize("B4m v4o").deobfuscated.text, "bam vao");
  EXPECT_EQ(SharedNormalizer().Normalize("d!eu k!en").deobfuscated.text, "dieu kien");
  EXPECT_EQ(SharedNormalizer().Normalize("nh4n_T1EN").deobfuscated.text, "nhan tien");
  EXPECT_EQ(SharedNormalizer().Normalize("d.i.e.u k-h-o-a-n").deobfuscated.text, "dieu khoan");
}

TEST(NormalizerTest, NumbersAreNotMangled) {
  for (const char* s : {"500k", "0912 345 678", "5tr", "2k10", "1.500.000đ", "4g", "covid19"}) {
    NormalizedText nt = SharedNormalizer().Normalize(s);
    EXPECT_EQ(nt.deobfuscated.text, nt.folded.text) << s;
  }
}

TEST(NormalizerTest, LookAlikeLettersBecomeLatin) {
  // Cyrillic а/о/с and full-width letters.
  EXPECT_EQ(SharedNormalizer().Normalize("vietcombаnk сom").deobfuscated.text, "vietcombank com");
  EXPECT_EQ(SharedNormalizer().Normalize("ＯＴＰ").deobfuscated.text, "otp");
}

TEST(NormalizerTest, LinksRejoined) {
  EXPECT_EQ(SharedNormalizer().Normalize("hxxps://abc[.]com/x").deobfuscated.text,
            "https://abc.com/x");
  EXPECT_EQ(SharedNormalizer().Normalize("vao abc(.)com ngay").deobfuscated.text,
            "vao abc.com ngay");
  EXPECT_EQ(SharedNormalizer().Normalize("vao abc dot com ngay").deobfuscated.text,
            "vao abc.com ngay");
  EXPECT_EQ(SharedNormalizer().Normalize("vao a b c . c o m ngay").deobfuscated.text,
            "vao abc.com ngay");
  // Ordinary sentences with single letters are left alone.
  EXPECT_EQ(SharedNormalizer().Normalize("o a e u").deobfuscated.text, "o a e u");
}

TEST(NormalizerTest, TeencodeExpanded) {
  EXPECT_EQ(SharedNormalizer().Normalize("ko dc noi vs bm").expanded.text,
            "khong duoc noi voi bo me");
  EXPECT_EQ(SharedNormalizer().Normalize("sdt cua e").expanded.text, "so dien thoai cua em");
  // "ck" is a transfer when money is around, a husband otherwise.
  EXPECT_EQ(SharedNormalizer().Normalize("ck 500k nhe").expanded.text, "chuyen khoan 500k nhe");
  EXPECT_EQ(SharedNormalizer().Normalize("ck e di lam").expanded.text, "chong em di lam");
  // Chat forms of 2026-12-04; "cheo" is a million only next to money, else the boat song.
  EXPECT_EQ(SharedNormalizer().Normalize("t dk nghi thui, ciu t").expanded.text,
            "toi duoc nghi thoi, cuu toi");
  EXPECT_EQ(SharedNormalizer().Normalize("chuyen 5 cheo vao tk").expanded.text,
            "chuyen 5 trieu vao tai khoan");
  EXPECT_EQ(SharedNormalizer().Normalize("xem hat cheo").expanded.text, "xem hat cheo");
  // "KH" is a customer in a bill, "không" in chat.
  EXPECT_EQ(SharedNormalizer().Normalize("Quy KH thanh toan 500.000d").expanded.text,
            "quy khach hang thanh toan 500.000d");
  EXPECT_EQ(SharedNormalizer().Normalize("kh biet nua").expanded.text, "khong biet nua");
  // Words that fold onto a chat form are not expanded: "hồng" stays, "a" stays (English).
  EXPECT_EQ(SharedNormalizer().Normalize("chi Hong goi").expanded.text, "chi hong goi");
  EXPECT_EQ(SharedNormalizer().Normalize("a cliff").expanded.text, "a cliff");
}

TEST(NormalizerTest, EveryViewMapsBackToTheOriginal) {
  const std::string text = "Đừng nói với BỐ MẸ, b4m v4o hxxp://x[.]com nhé, ko dc";
  NormalizedText nt = SharedNormalizer().Normalize(text);
  const std::string& f = nt.folded.text;
  size_t p = f.find("bo me");
  ASSERT_NE(p, std::string::npos);
  EXPECT_EQ(Behind(nt, ViewKind::kFolded, p, p + 5), "BỐ MẸ");
  const std::string& d = nt.deobfuscated.text;
  p = d.find("bam vao");
  ASSERT_NE(p, std::string::npos);
  EXPECT_EQ(Behind(nt, ViewKind::kDeobfuscated, p, p + 7), "b4m v4o");
  p = d.find("x.com");
  EXPECT_EQ(Behind(nt, ViewKind::kDeobfuscated, p, p + 5), "x[.]com");
  const std::string& e = nt.expanded.text;
  p = e.find("khong duoc");
  ASSERT_NE(p, std::string::npos);
  EXPECT_EQ(Behind(nt, ViewKind::kExpanded, p, p + 10), "ko dc");
  for (size_t i = 0; i < e.size(); ++i) {
    EXPECT_LE(nt.expanded.starts[i], nt.expanded.ends[i]);
    EXPECT_LE(nt.expanded.ends[i], text.size());
  }
}

TEST(NormalizerTest, CharOffsetsCountCodePoints) {
  const std::string text = "Đà Lạt";
  CharOffsets chars(text);
  EXPECT_EQ(chars(0), 0u);
  EXPECT_EQ(chars(static_cast<uint32_t>(text.size())), 6u);
  EXPECT_EQ(chars(static_cast<uint32_t>(text.find("L"))), 3u);
}

TEST(NormalizerTest, TeencodeTableRejectsBadLines) {
  auto bad = TeencodeTable::Parse("ko\tkhông\nxx\n", "t.tsv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message_en.find("t.tsv:2"), std::string::npos);
  auto dup = TeencodeTable::Parse("ko\tkhông\nkô\tkhông\n", "t.tsv");
  ASSERT_FALSE(dup.ok());  // "kô" folds to "ko"
  EXPECT_NE(dup.error().message_en.find("t.tsv:2"), std::string::npos);
}

}  // namespace
}  // namespace khien::safety
