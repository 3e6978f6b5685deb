// Specification of Vietnamese text handling: validation, NFC, input cleaning and folding.
// Place names are public names from the 2026 administrative-unit list; personal names are
// invented in the style of Ê Đê / M'nông names.
#include "base/text.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

namespace khien::text {
namespace {

// "Ea Nuôl" with ô written as o + U+0302 (NFD).
constexpr char kEaNuolNfd[] = "Ea Nuo\xCC\x82l";

// The original text behind folded bytes [pos, pos + len): it ends where the source of the
// next folded byte (or the end of the input) begins.
std::string Original(std::string_view source, const FoldedWithOffsets& f, size_t pos,
                     size_t len) {
  const uint32_t begin = f.offsets[pos];
  const uint32_t end = f.offsets[pos + len];
  return std::string(source.substr(begin, end - begin));
}

// --- IsValidUtf8 ----------------------------------------------------------------------

TEST(IsValidUtf8Test, AcceptsAsciiAndVietnamese) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Buon Ma Thuot"));
  EXPECT_TRUE(IsValidUtf8("Buôn Ma Thuột"));
  EXPECT_TRUE(IsValidUtf8(kEaNuolNfd));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));      // U+FFFD spelled correctly
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600, four bytes
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST(IsValidUtf8Test, RejectsOverlongEncodings) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // '/' in two bytes
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
}

TEST(IsValidUtf8Test, RejectsSurrogatesAndOutOfRange) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(IsValidUtf8Test, RejectsTruncatedAndStrayBytes) {
  EXPECT_FALSE(IsValidUtf8("Nuo\xCC"));            // mark cut after its first byte
  EXPECT_FALSE(IsValidUtf8("Thu\xE1\xBB"));        // ộ cut short
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));
  EXPECT_FALSE(IsValidUtf8("abc\x80"));            // continuation without a lead byte
  EXPECT_FALSE(IsValidUtf8("\xE1\xBB\x99\xBB"));   // one continuation too many
  EXPECT_FALSE(IsValidUtf8("abcdefgh\xC3"));       // after the eight-byte ASCII skip
}

// --- ToNfc ----------------------------------------------------------------------------

TEST(ToNfcTest, ComposesDecomposedText) {
  EXPECT_EQ(ToNfc(kEaNuolNfd), "Ea Nuôl");
  EXPECT_EQ(ToNfc("Ho\xCC\x80" "a"), "Hòa");
}

TEST(ToNfcTest, LeavesNfcAndAsciiAlone) {
  EXPECT_EQ(ToNfc("Krông Pắc"), "Krông Pắc");
  EXPECT_EQ(ToNfc("Ea H'Leo"), "Ea H'Leo");
  EXPECT_EQ(ToNfc(""), "");
}

TEST(ToNfcTest, KeepsBothTonePlacementsDistinct) {
  // Old and new tone placement are different NFC strings; only Fold equates them.
  EXPECT_NE(ToNfc("Tuy Hoà"), ToNfc("Tuy Hòa"));
}

// --- CleanInput -----------------------------------------------------------------------

TEST(CleanInputTest, NormalisesAndTrims) {
  auto r = CleanInput(std::string("  ") + kEaNuolNfd + "\t\n ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Ea Nuôl");
}

TEST(CleanInputTest, TrimsUnicodeSpaces) {
  auto r = CleanInput("\xC2\xA0" "Cư M'gar\xE3\x80\x80");  // NBSP ... ideographic space
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Cư M'gar");
}

TEST(CleanInputTest, KeepsInnerNewlinesAndTabs) {
  auto r = CleanInput("Dòng một\nDòng\thai");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Dòng một\nDòng\thai");
}

TEST(CleanInputTest, StripsControlCharacters) {
  auto r = CleanInput("Ea\x01 M'Droh\r\n\x7F\xC2\x85!");  // SOH, CR, DEL, NEL (C1)
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Ea M'Droh\n!");
}

TEST(CleanInputTest, StripsZeroWidthCharacters) {
  // ZWSP, ZWNJ, ZWJ, word joiner, BOM.
  auto r = CleanInput("\xEF\xBB\xBF" "Đắk\xE2\x80\x8B Li\xE2\x80\x8C\xC3\xAA\xE2\x80\x8Dng\xE2\x81\xA0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Đắk Liêng");
}

TEST(CleanInputTest, ComposesAcrossARemovedJoiner) {
  // e, ZWJ, combining circumflex: once the joiner is gone the mark composes to ê.
  auto r = CleanInput("Li\x65\xE2\x80\x8D\xCC\x82ng");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Liêng");
}

TEST(CleanInputTest, RejectsInvalidUtf8AsMalformed) {
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "Thu\xE1\xBB", "\xFF"}) {
    auto r = CleanInput(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
    EXPECT_FALSE(r.error().message_vi.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  }
}

TEST(CleanInputTest, EmptyAndBlankBecomeEmpty) {
  auto empty = CleanInput("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  auto blank = CleanInput(" \t\xE2\x80\x8B\n ");
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(*blank, "");
}

// --- Fold -----------------------------------------------------------------------------

TEST(FoldTest, CaseAndMarksDisappear) {
  EXPECT_EQ(Fold("Ea Nuôl"), "ea nuol");
  EXPECT_EQ(Fold("EA NUÔL"), "ea nuol");
  EXPECT_EQ(Fold("ea nuol"), "ea nuol");
}

TEST(FoldTest, DecomposedInputFoldsLikeComposed) {
  EXPECT_EQ(Fold(kEaNuolNfd), "ea nuol");
  EXPECT_EQ(Fold("Bu\x6F\xCC\x82n Ma Thu\x6F\xCC\xA3\xCC\x82t"), "buon ma thuot");
}

TEST(FoldTest, TonePlacementDoesNotMatter) {
  EXPECT_EQ(Fold("Tuy Hoà"), "tuy hoa");
  EXPECT_EQ(Fold("Tuy Hòa"), "tuy hoa");
  EXPECT_EQ(Fold("khoẻ"), Fold("khỏe"));
  EXPECT_EQ(Fold("thuý"), Fold("thúy"));
  EXPECT_EQ(Fold("thuý"), "thuy");
}

TEST(FoldTest, DBarBecomesD) {
  EXPECT_EQ(Fold("Đắk Liêng"), "dak lieng");
  EXPECT_EQ(Fold("đĐ"), "dd");
}

TEST(FoldTest, HornedLettersLoseTheirHorn) {
  EXPECT_EQ(Fold("Cư M'gar"), "cu m'gar");
  EXPECT_EQ(Fold("ƠƯơư"), "ouou");
  EXPECT_EQ(Fold("Ứng Hoà"), "ung hoa");
}

TEST(FoldTest, EveryVietnameseVowelFoldsToItsBase) {
  const char* const groups[][2] = {
      {"aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", "a"},
      {"eèéẻẽẹêềếểễệEÈÉẺẼẸÊỀẾỂỄỆ", "e"},
      {"iìíỉĩịIÌÍỈĨỊ", "i"},
      {"oòóỏõọôồốổỗộơờớởỡợOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", "o"},
      {"uùúủũụưừứửữựUÙÚỦŨỤƯỪỨỬỮỰ", "u"},
      {"yỳýỷỹỵYỲÝỶỸỴ", "y"},
  };
  for (const auto& [letters, base] : groups) {
    const std::string folded = Fold(letters);
    EXPECT_EQ(folded, std::string(CodePointCount(letters), base[0])) << letters;
  }
}

TEST(FoldTest, ApostrophesAreKeptAndUnified) {
  EXPECT_EQ(Fold("Ea H'Leo"), "ea h'leo");
  EXPECT_EQ(Fold("Ea H\xE2\x80\x99Leo"), "ea h'leo");  // typographic ’
  EXPECT_EQ(Fold("Ea M'Droh"), "ea m'droh");
}

TEST(FoldTest, HyphensAreKept) {
  EXPECT_EQ(Fold("Krông Pắc - Buôn Hồ"), "krong pac - buon ho");
  EXPECT_EQ(Fold("Y-Jút"), "y-jut");
}

TEST(FoldTest, InventedEthnicMinorityNames) {
  EXPECT_EQ(Fold("H Mai Êban"), "h mai eban");
  EXPECT_EQ(Fold("Y Đôn Niê Kdăm"), "y don nie kdam");
  EXPECT_EQ(Fold("H’Lim Byă"), "h'lim bya");
}

TEST(FoldTest, WhitespaceCollapsesAndTrims) {
  EXPECT_EQ(Fold("  Krông \t\n Pắc  "), "krong pac");
  EXPECT_EQ(Fold("Krông\xC2\xA0Pắc"), "krong pac");        // NBSP
  EXPECT_EQ(Fold("Krông\xE3\x80\x80Pắc"), "krong pac");    // ideographic space
  EXPECT_EQ(Fold("Krông \xC2\xA0\xE2\x80\x83 Pắc"), "krong pac");
  EXPECT_EQ(Fold(" \t "), "");
  EXPECT_EQ(Fold(""), "");
}

TEST(FoldTest, ZeroWidthCharactersVanish) {
  EXPECT_EQ(Fold("Buôn\xE2\x80\x8D Ma\xE2\x80\x8B Thu\xE2\x80\x8Cột\xEF\xBB\xBF"),
            "buon ma thuot");
  EXPECT_EQ(Fold("\xE2\x81\xA0" "Ea Nuôl"), "ea nuol");
}

TEST(FoldTest, OtherScriptsAreLowerCasedAndLoseMarks) {
  EXPECT_EQ(Fold("ÀÉÎÕÜ Ñ Ç"), "aeiou n c");
  EXPECT_EQ(Fold("ΑΒΓ"), "αβγ");
  EXPECT_EQ(Fold("Ά"), "α");           // Greek tonos is a mark
  EXPECT_EQ(Fold("ЁЖ"), "еж");         // Cyrillic diaeresis too
  EXPECT_EQ(Fold("中文"), "中文");      // no case, no marks
  EXPECT_EQ(Fold("\xE2\x84\xAB"), "a");  // ANGSTROM SIGN decomposes to A + ring
}

TEST(FoldTest, IsIdempotent) {
  for (const char* s : {"Đắk Liêng", "Ea H’Leo", "  Tuy  Hoà ", kEaNuolNfd, "ΆЁ中"}) {
    const std::string once = Fold(s);
    EXPECT_EQ(Fold(once), once) << s;
  }
}

TEST(FoldTest, ToleratesInvalidUtf8) {
  // Not a supported input, but it must not crash or read past the end.
  EXPECT_EQ(Fold("A\xFF" "B"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(Fold("Thu\xE1\xBB"), "thu\xEF\xBF\xBD\xEF\xBF\xBD");
}

// --- FoldWithOffsets ------------------------------------------------------------------

TEST(FoldWithOffsetsTest, AgreesWithFold) {
  for (const char* s : {"Đắk Liêng", "  Ea  H’Leo ", kEaNuolNfd, "", "Buôn Ma Thuột"}) {
    const FoldedWithOffsets f = FoldWithOffsets(s);
    EXPECT_EQ(f.folded, Fold(s));
    ASSERT_EQ(f.offsets.size(), f.folded.size() + 1);
    EXPECT_EQ(f.offsets.back(), std::string_view(s).size());
  }
}

TEST(FoldWithOffsetsTest, MapsAMatchBackToTheOriginal) {
  const std::string source = "Xã Đắk Liêng";
  const FoldedWithOffsets f = FoldWithOffsets(source);
  ASSERT_EQ(f.folded, "xa dak lieng");
  const size_t pos = f.folded.find("lieng");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_EQ(Original(source, f, pos, 5), "Liêng");
  EXPECT_EQ(Original(source, f, f.folded.find("dak"), 3), "Đắk");
}

TEST(FoldWithOffsetsTest, MapsThroughDecomposedAndZeroWidthText) {
  const std::string source = std::string("Xã\xE2\x80\x8B ") + kEaNuolNfd;
  const FoldedWithOffsets f = FoldWithOffsets(source);
  ASSERT_EQ(f.folded, "xa ea nuol");
  const size_t pos = f.folded.find("nuol");
  EXPECT_EQ(Original(source, f, pos, 4), "Nuo\xCC\x82l");
}

// --- FoldWithSpans --------------------------------------------------------------------

TEST(FoldWithSpansTest, SameFoldAndStartsAsFoldWithOffsets) {
  std::string folded = "left over from an earlier call";
  std::vector<uint32_t> starts(3, 7), ends(3, 7);
  for (const std::string& s : {std::string("Đắk Liêng"), std::string("  Ea  H’Leo \t\n"), std::string(kEaNuolNfd),
                              std::string(""), std::string("Xã\xE2\x80\x8B Ea M'Droh"), std::string(300, 'A') + "ệ"}) {
    FoldWithSpans(s, &folded, &starts, &ends);
    const FoldedWithOffsets f = FoldWithOffsets(s);
    EXPECT_EQ(folded, f.folded) << s;
    ASSERT_EQ(starts.size(), folded.size());
    ASSERT_EQ(ends.size(), folded.size());
    for (size_t i = 0; i < folded.size(); ++i) {
      EXPECT_EQ(starts[i], f.offsets[i]) << s << " byte " << i;
      EXPECT_LT(starts[i], ends[i]);
    }
  }
}

TEST(FoldWithSpansTest, ReturnsWhetherTheInputIsValidUtf8) {
  std::string folded;
  std::vector<uint32_t> starts, ends;
  for (const std::string& s :
       {std::string("Buôn Ma Thuột"), std::string("\xEF\xBF\xBD"), std::string("\xF4\x8F\xBF\xBF"),
        std::string("ab\xC0\xAF"), std::string("Thu\xE1\xBB"), std::string("\xED\xA0\x80 x"),
        std::string("x \x80"), std::string("ệ\xF4\x90\x80\x80ệ"), std::string("\xFF"),
        std::string(20, 'a') + "\xC3"}) {
    EXPECT_EQ(FoldWithSpans(s, &folded, &starts, &ends), IsValidUtf8(s)) << s;
  }
}

TEST(FoldWithSpansTest, VanishedMarksAndZeroWidthBelongToTheByteBefore) {
  // "Nuô" decomposed: the combining circumflex leaves no byte, so it ends the span of "o".
  const std::string source = std::string("Xã\xE2\x80\x8B ") + kEaNuolNfd;
  std::string folded;
  std::vector<uint32_t> starts, ends;
  FoldWithSpans(source, &folded, &starts, &ends);
  ASSERT_EQ(folded, "xa ea nuol");
  const size_t o = folded.find("nuol") + 2;
  EXPECT_EQ(source.substr(starts[o], ends[o] - starts[o]), "o\xCC\x82");
  // The zero-width space after "ã" is part of the span of its last byte.
  EXPECT_EQ(source.substr(starts[1], ends[1] - starts[1]), "ã\xE2\x80\x8B");
  EXPECT_EQ(ends.back(), source.size());
}

TEST(FoldWithOffsetsTest, OffsetsPointAtCharacterStarts) {
  const std::string source = "Ấp Ứng Hoà";
  const FoldedWithOffsets f = FoldWithOffsets(source);
  ASSERT_EQ(f.folded, "ap ung hoa");
  // 'a' comes from Ấ (3 bytes), 'p' from byte 3, the space from byte 4, 'u' from Ứ at 5.
  EXPECT_EQ(f.offsets[0], 0u);
  EXPECT_EQ(f.offsets[1], 3u);
  EXPECT_EQ(f.offsets[2], 4u);
  EXPECT_EQ(f.offsets[3], 5u);
  for (size_t i = 1; i < f.offsets.size(); ++i) EXPECT_LE(f.offsets[i - 1], f.offsets[i]);
}

// --- Every administrative unit ------------------------------------------------------

std::string ToNfd(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString u = nfd->normalize(icu::UnicodeString::fromUTF8(s), status);
  std::string out;
  u.toUTF8String(out);
  return out;
}

class AdminUnitsTest : public ::testing::Test {
 protected:
  // (Name, NameEn) of every province and ward in the 2026 list.
  static std::vector<std::pair<std::string, std::string>> LoadNames() {
    std::ifstream in(KHIEN_SOURCE_DIR "/share/admin-units/vn_units_2026.json");
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::vector<std::pair<std::string, std::string>> names;
    const boost::json::value root = boost::json::parse(buffer.str());
    auto add = [&](const boost::json::object& unit) {
      names.emplace_back(std::string(unit.at("Name").as_string()),
                         std::string(unit.at("NameEn").as_string()));
    };
    for (const auto& province : root.as_array()) {
      add(province.as_object());
      for (const auto& ward : province.at("Wards").as_array()) add(ward.as_object());
    }
    return names;
  }
};

TEST_F(AdminUnitsTest, VietnameseAndAsciiNamesFoldAlike) {
  const auto names = LoadNames();
  ASSERT_GT(names.size(), 3000u);
  // English exonyms are the only names whose folds differ.
  const std::set<std::string> exonyms = {"Hanoi", "Haiphong", "Paracel", "Spratly"};
  size_t compared = 0;
  for (const auto& [name, name_en] : names) {
    if (exonyms.count(name_en) != 0) continue;
    EXPECT_EQ(Fold(name), Fold(name_en)) << name << " / " << name_en;
    ++compared;
  }
  EXPECT_EQ(compared + exonyms.size(), names.size());
}

TEST_F(AdminUnitsTest, DecomposedNamesFoldLikeComposed) {
  for (const auto& [name, name_en] : LoadNames()) {
    const std::string nfd = ToNfd(name);
    EXPECT_EQ(Fold(nfd), Fold(name)) << name;
    EXPECT_EQ(ToNfc(nfd), ToNfc(name)) << name;
    const FoldedWithOffsets f = FoldWithOffsets(nfd);
    ASSERT_EQ(f.offsets.size(), f.folded.size() + 1);
  }
}

// --- CodePointCount -------------------------------------------------------------------

TEST(CodePointCountTest, CountsCharactersNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("Ea Nuôl"), 7u);
  EXPECT_EQ(CodePointCount(kEaNuolNfd), 8u);  // the mark is its own code point
  EXPECT_EQ(CodePointCount("Buôn Ma Thuột"), 13u);
  EXPECT_EQ(CodePointCount("\xF0\x9F\x98\x80"), 1u);
}

TEST(Utf8PrefixTest, NeverCutsInsideACharacter) {
  EXPECT_EQ(Utf8Prefix("Đắk Lắk", 100), "Đắk Lắk");
  EXPECT_EQ(Utf8Prefix("abc", 0), "");
  // "Đ" is 2 bytes and "ắ" 3: 1, 3 and 4 bytes fall inside them.
  EXPECT_EQ(Utf8Prefix("Đắk", 1), "");
  EXPECT_EQ(Utf8Prefix("Đắk", 2), "Đ");
  EXPECT_EQ(Utf8Prefix("Đắk", 3), "Đ");
  EXPECT_EQ(Utf8Prefix("Đắk", 4), "Đ");
  EXPECT_EQ(Utf8Prefix("Đắk", 5), "Đắ");
  EXPECT_EQ(Utf8Prefix("\xF0\x9F\x98\x80!", 3), "");
  for (size_t n = 0; n <= 20; ++n) {
    EXPECT_TRUE(IsValidUtf8(Utf8Prefix("Buôn Ma Thuột, Ea Súp", n))) << n;
  }
}

TEST(HasLettersTest, CountsLettersOfAnyScriptAndStopsAtN) {
  EXPECT_TRUE(HasLetters("", 0));
  EXPECT_FALSE(HasLetters("", 1));
  EXPECT_TRUE(HasLetters("a", 1));
  EXPECT_FALSE(HasLetters("a", 2));
  EXPECT_TRUE(HasLetters("đ m", 2));
  EXPECT_TRUE(HasLetters("Ừ", 1));                 // precomposed
  EXPECT_TRUE(HasLetters("U\xCC\x9B\xCC\x80", 1));  // decomposed: the marks are not letters
  EXPECT_FALSE(HasLetters("U\xCC\x9B\xCC\x80", 2));
  EXPECT_FALSE(HasLetters("12 34 .?! \xF0\x9F\x91\x8D", 1));
  EXPECT_TRUE(HasLetters("\xE4\xB8\xAD\xE6\x96\x87", 2));  // 中文
  EXPECT_FALSE(HasLetters("\xFF\xFE\xC3", 1));  // ill-formed bytes are no letters
  EXPECT_TRUE(HasLetters(std::string(1'000'000, 'x'), 2));
}

TEST(IsBlankTest, OnlyWhiteSpaceControlAndFormatCharacters) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_TRUE(IsBlank("\xC2\xA0\xE3\x80\x80"));         // no-break and ideographic space
  EXPECT_TRUE(IsBlank("\xE2\x80\x8B\xEF\xBB\xBF\x01"));  // zero-width space, BOM, a control
  EXPECT_FALSE(IsBlank("."));
  EXPECT_FALSE(IsBlank("  a  "));
  EXPECT_FALSE(IsBlank("\xF0\x9F\x91\x8D"));
  EXPECT_FALSE(IsBlank(" \xFF "));  // ill-formed is not blank: it is refused as malformed
}

}  // namespace
}  // namespace khien::text
