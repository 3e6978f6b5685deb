#include "base/csv.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace khien::csv {
namespace {

CsvTable ParseOk(std::string_view data, const Options& options = Options::Csv(),
                 bool has_header = true) {
  auto table = ParseCsv(data, options, has_header);
  EXPECT_TRUE(table.ok()) << (table.ok() ? "" : table.error().message_en);
  return table.ok() ? std::move(table).value() : CsvTable{};
}

TEST(CsvTest, ReadsHeaderAndRows) {
  CsvTable t = ParseOk("content,label\nxin chào,0\nchuyển tiền ngay,1\n");
  ASSERT_EQ(t.header, (Row{"content", "label"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (Row{"xin chào", "0"}));
  EXPECT_EQ(t.rows[1], (Row{"chuyển tiền ngay", "1"}));
  EXPECT_EQ(t.Column("label"), 1u);
  EXPECT_EQ(t.Column("missing"), std::nullopt);
}

TEST(CsvTest, QuotedFieldsKeepDelimitersQuotesAndLineBreaks) {
  CsvTable t = ParseOk("a,b\n\"x, y\",\"he said \"\"hi\"\"\"\n\"line one\nline two\",3\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (Row{"x, y", "he said \"hi\""}));
  EXPECT_EQ(t.rows[1], (Row{"line one\nline two", "3"}));
  EXPECT_EQ(t.row_lines[0], 2u);
  EXPECT_EQ(t.row_lines[1], 3u);
}

TEST(CsvTest, CrlfAndMissingFinalNewline) {
  CsvTable t = ParseOk("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (Row{"1", "2"}));
  EXPECT_EQ(t.rows[1], (Row{"3", "4"}));
}

TEST(CsvTest, EmptyFieldsAndEmptyLines) {
  CsvTable t = ParseOk("a,b,c\n,,\n\n\"\",x,\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (Row{"", "", ""}));
  EXPECT_EQ(t.rows[1], (Row{"", "x", ""}));
}

TEST(CsvTest, SkipsByteOrderMark) {
  CsvTable t = ParseOk("\xEF\xBB\xBFtext,label\nhi,1\n");
  EXPECT_EQ(t.Column("text"), 0u);
}

TEST(CsvTest, TsvTreatsQuotesAsText) {
  CsvTable t = ParseOk("Label\tSMS\nham\t\"Hi\" she said, ok\n", Options::Tsv());
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0], (Row{"ham", "\"Hi\" she said, ok"}));
}

TEST(CsvTest, WithoutHeaderEveryLineIsARow) {
  CsvTable t = ParseOk("1,2\n3,4\n", Options::Csv(), /*has_header=*/false);
  EXPECT_TRUE(t.header.empty());
  EXPECT_EQ(t.rows.size(), 2u);
}

TEST(CsvTest, UnclosedQuoteIsMalformedAndNamesTheLine) {
  auto t = ParseCsv("a,b\n1,2\n\"never closed,3\n", Options::Csv());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kMalformed);
  EXPECT_NE(t.error().message_en.find("line 3"), std::string::npos);
  EXPECT_NE(t.error().message_vi.find("dòng 3"), std::string::npos);
}

TEST(CsvTest, TextAfterClosingQuoteIsMalformed) {
  auto t = ParseCsv("a\n\"x\"y\n", Options::Csv());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kMalformed);
}

TEST(CsvTest, OptionsForPathPicksTabForTsv) {
  EXPECT_EQ(Options::ForPath("data/dev.tsv").delimiter, '\t');
  EXPECT_FALSE(Options::ForPath("data/dev.tsv").quoting);
  EXPECT_EQ(Options::ForPath("data/dev.csv").delimiter, ',');
}

TEST(CsvTest, ReadFileReportsMissingFileByName) {
  auto t = ReadCsvFile("/nonexistent/khien/none.csv", Options::Csv());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(t.error().message_en.find("/nonexistent/khien/none.csv"), std::string::npos);
}

TEST(CsvTest, ReadFileParsesAndNamesFileInParseErrors) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string good = (dir / "khien_csv_test_good.csv").string();
  const std::string bad = (dir / "khien_csv_test_bad.csv").string();
  std::ofstream(good) << "x,y\n\"a\nb\",1\n";
  std::ofstream(bad) << "x,y\n\"open,1\n";
  auto t = ReadCsvFile(good, Options::Csv());
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0][0], "a\nb");
  auto b = ReadCsvFile(bad, Options::Csv());
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message_en.find(bad), std::string::npos);
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

}  // namespace
}  // namespace khien::csv
