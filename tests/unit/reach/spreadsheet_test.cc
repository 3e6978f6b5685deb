#include "reach/spreadsheet.h"

#include <gtest/gtest.h>

namespace khien::reach {
namespace {

TEST(Spreadsheet, CsvAttendanceWithVietnameseHeadersAndSemicolons) {
  auto rows = ParseAttendance(
      "\xEF\xBB\xBFHọ và tên;Giới tính;Năm sinh;Dân tộc;Khuyết tật;Số điện thoại;Điểm trước;Điểm sau\n"
      "H Lan Niê;Nữ;1990;Ê-đê;x;0905 123 456;40;80\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message_en;
  ASSERT_EQ(rows->size(), 1u);
  const NewParticipant& p = *rows->at(0).participant;
  EXPECT_EQ(p.name, "H Lan Niê");
  EXPECT_EQ(p.sex, "female");
  EXPECT_EQ(p.birth_year, 1990);
  EXPECT_EQ(p.ethnicity, "Ê-đê");  // resolved to the slug by the service
  EXPECT_TRUE(p.disability);
  EXPECT_EQ(*p.phone, "0905 123 456");
  EXPECT_EQ(*p.pre_score, 40);
  EXPECT_EQ(*p.post_score, 80);
}

TEST(Spreadsheet, MissingRequiredColumnIsAnError) {
  auto rows = ParseAttendance("Họ và tên,Năm sinh,Dân tộc\nA,1990,kinh\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().field, "file");
}

TEST(Spreadsheet, RowErrorsNameTheLine) {
  auto rows = ParseAttendance("name,sex,birth_year,ethnicity\nA,female,19x0,kinh\n\nB,female,1990,kinh\n");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->at(0).line, 2);
  EXPECT_EQ(rows->at(0).error->field, "birth_year");
  EXPECT_EQ(rows->at(1).line, 4);
  EXPECT_TRUE(rows->at(1).participant.has_value());
}

TEST(Spreadsheet, EscapesFormulasOnlyWhereTheyStart) {
  EXPECT_EQ(EscapeFormula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(EscapeFormula("+84905"), "'+84905");
  EXPECT_EQ(EscapeFormula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(EscapeFormula("H Lan = Niê"), "H Lan = Niê");
}

TEST(Spreadsheet, CsvExportQuotesAndEscapes) {
  Sheet s{"x", {"Tên", "Số"}, {false, true}, {{"=1+1", "5"}, {"a,b", "-3"}}};
  EXPECT_EQ(WriteCsv(s), "\xEF\xBB\xBFTên,Số\r\n'=1+1,5\r\n\"a,b\",-3\r\n");
}

TEST(Spreadsheet, XlsxRoundTripKeepsTextNumbersAndFormulaLookingNames) {
  Sheet s{"Danh sách", {"Họ và tên", "Giới tính", "Năm sinh", "Dân tộc"}, {false, false, true, false},
          {{"=HYPERLINK(\"http://x.example\",\"Bấm\")", "Nữ", "1990", "Ê Đê"}, {"Y Bhim & <Êban>", "Nam", "1985", "ede"}}};
  auto bytes = WriteXlsx({s});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->substr(0, 2), "PK");
  auto cells = ReadXlsxCells(*bytes);
  ASSERT_TRUE(cells.ok()) << cells.error().message_en;
  ASSERT_EQ(cells->size(), 3u);
  EXPECT_EQ(cells->at(0), s.header);
  EXPECT_EQ(cells->at(1)[0], "=HYPERLINK(\"http://x.example\",\"Bấm\")");
  EXPECT_EQ(cells->at(1)[2], "1990");
  EXPECT_EQ(cells->at(2)[0], "Y Bhim & <Êban>");
  // And the same file imports as an attendance list.
  auto rows = ParseAttendance(*bytes);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->at(1).participant->sex, "male");
  EXPECT_EQ(rows->at(1).participant->birth_year, 1985);
}

TEST(Spreadsheet, GarbageThatLooksLikeAZipIsRejected) {
  std::string junk = "PK\x03\x04";
  junk += std::string(100, 'x');
  auto rows = ParseAttendance(junk);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().field, "file");
}

// Regression: the local-header bounds check was 32-bit, so an offset near 4 GiB wrapped past it
// and the reader read far outside the upload.
TEST(Spreadsheet, LocalHeaderOffsetNear4GiBIsRejectedNotRead) {
  Sheet s{"Danh sách", {"Họ và tên", "Giới tính", "Năm sinh", "Dân tộc"}, {false, false, true, false},
          {{"H Lan Ayun", "Nữ", "1990", "ede"}}};
  auto bytes = WriteXlsx({s});
  ASSERT_TRUE(bytes.ok());
  std::string zip = *bytes;
  const std::string central_name = std::string("\x50\x4b\x01\x02");
  size_t patched = 0;
  for (size_t at = zip.find(central_name); at != std::string::npos; at = zip.find(central_name, at + 4)) {
    for (int k = 0; k < 4; ++k) zip[at + 42 + k] = static_cast<char>(k == 0 ? 0xF0 : 0xFF);  // 0xFFFFFFF0
    ++patched;
  }
  ASSERT_GT(patched, 0u);
  auto rows = ParseAttendance(zip);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(rows.error().field, "file");
}

TEST(Spreadsheet, IndicatorSheetHasVietnameseHeadersAndATotalRow) {
  IndicatorTable t;
  t.by = {"sex"};
  IndicatorRow f;
  f.keys = {{"sex", "female"}};
  f.participations = 3;
  t.rows.push_back(f);
  t.total.participations = 3;
  Sheet s = IndicatorSheet(t);
  EXPECT_EQ(s.header[0], "Giới tính");
  EXPECT_EQ(s.header[2], "Lượt tham gia");
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[0][0], "Nữ");
  EXPECT_EQ(s.rows[0][2], "3");
  EXPECT_EQ(s.rows[1][0], "Tổng cộng");
}

}  // namespace
}  // namespace khien::reach
