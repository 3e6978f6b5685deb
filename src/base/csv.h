// Delimited text tables: RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside
// quotes, CRLF or LF) and TSV. Used to read training data for the safety classifier and,
// later, spreadsheet-style imports.
//
// A table is read whole into memory; a header row is usual but not required. A UTF-8 byte
// order mark at the start is skipped. Rows keep the number of fields they had; callers
// decide whether a short row is an error (see CsvTable::Column).
//
// Failure: ReadCsvFile returns kInvalidInput naming the file when it cannot be read, and
// ParseCsv returns kMalformed naming the line when a quoted field is never closed or a
// closing quote is followed by something other than a delimiter or line end.
//
// Thread-safety: free functions without shared state; a CsvTable is a plain value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace khien::csv {

struct Options {
  char delimiter = ',';
  // RFC 4180 quoting. TSV files in the wild (e.g. IANA text/tab-separated-values) usually
  // carry quotes as ordinary characters, so Options::Tsv() turns this off.
  bool quoting = true;

  static Options Csv() { return {',', true}; }
  static Options Tsv() { return {'\t', false}; }
  // Tab-separated when `path` ends in ".tsv" or ".tab", comma-separated otherwise.
  static Options ForPath(std::string_view path);
};

using Row = std::vector<std::string>;

struct CsvTable {
  Row header;             // the first row when parsed with has_header, else empty
  std::vector<Row> rows;  // data rows, in file order
  // 1-based line in the input where each data row starts (for error messages).
  std::vector<size_t> row_lines;

  // Index of the header field equal to `name` (exact match after trimming spaces), if any.
  std::optional<size_t> Column(std::string_view name) const;
};

// Parses `data`. A trailing line break does not create an empty row; completely empty lines
// between rows are skipped.
Result<CsvTable> ParseCsv(std::string_view data, const Options& options, bool has_header = true);

// Reads and parses the file at `path`; the file name appears in every error.
Result<CsvTable> ReadCsvFile(const std::string& path, const Options& options,
                             bool has_header = true);

}  // namespace khien::csv
