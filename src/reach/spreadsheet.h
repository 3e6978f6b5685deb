// Spreadsheets in and out: attendance lists read from CSV or XLSX with Vietnamese (or English)
// column headers, and indicator tables / the activity register written as XLSX (libxlsxwriter)
// or CSV with Vietnamese headers.
//
// Text that a spreadsheet would run as a formula (first character = + - @, tab or CR) is written
// with a leading apostrophe-free guard: XLSX cells are always strings, never formulas, and CSV
// cells get a leading single quote, so "=HYPERLINK(...)" in a name is shown, not executed. The
// stored value is never changed.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "reach/model.h"

namespace khien::reach {

struct ImportRow {
  int64_t line = 0;                        // 1-based line/row in the file (the header is 1)
  std::optional<NewParticipant> participant;  // set when the row parsed
  std::optional<Error> error;              // why it did not parse (field set)
};

// Parses an attendance sheet. `data` is CSV (UTF-8, comma or semicolon) or XLSX (detected by
// its ZIP signature). Required columns: name, sex, birth year, ethnicity; optional: village,
// disability, phone, pre/post score. Headers are matched folded ("Họ và tên", "ho ten", "name").
// Errors: kInvalidInput for a file without the required columns or an unreadable XLSX,
// kMalformed for broken CSV quoting.
Result<std::vector<ImportRow>> ParseAttendance(std::string_view data);

// A plain table with header row; `numeric` marks the columns written as numbers.
struct Sheet {
  std::string name;  // worksheet name (≤ 31 characters)
  std::vector<std::string> header;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
};

// Guards a cell value against formula execution in spreadsheet programs.
std::string EscapeFormula(std::string_view cell);

// XLSX bytes holding `sheets` (Vietnamese headers, bold, frozen header row).
Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets);
// CSV (RFC 4180, UTF-8 with BOM so Excel reads Vietnamese) of one sheet.
std::string WriteCsv(const Sheet& sheet);

// The indicator table and the activity register as sheets with Vietnamese headers.
Sheet IndicatorSheet(const IndicatorTable& table);
Sheet ActivitySheet(const std::vector<Activity>& activities);

// Reads the cells of the first worksheet of an XLSX file as text (shared strings, inline
// strings, numbers). Errors: kInvalidInput when it is not an XLSX file we can read.
Result<std::vector<std::vector<std::string>>> ReadXlsxCells(std::string_view data);

}  // namespace khien::reach
