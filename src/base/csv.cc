#include "base/csv.h"

#include <fstream>
#include <sstream>

namespace khien::csv {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Options Options::ForPath(std::string_view path) {
  if (EndsWith(path, ".tsv") || EndsWith(path, ".tab") || EndsWith(path, ".TSV")) return Tsv();
  return Csv();
}

std::optional<size_t> CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (Trim(header[i]) == Trim(name)) return i;
  }
  return std::nullopt;
}

Result<CsvTable> ParseCsv(std::string_view data, const Options& options, bool has_header) {
  if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);

  CsvTable table;
  Row row;
  std::string field;
  bool field_quoted = false;  // the current field started with a quote
  size_t line = 1;
  size_t row_line = 1;
  bool header_done = !has_header;

  auto end_row = [&] {
    const bool empty_line = row.empty() && field.empty() && !field_quoted;
    row.push_back(std::move(field));
    field.clear();
    field_quoted = false;
    if (!empty_line) {
      if (!header_done) {
        table.header = std::move(row);
        header_done = true;
      } else {
        table.rows.push_back(std::move(row));
        table.row_lines.push_back(row_line);
      }
    }
    row.clear();
  };

  size_t i = 0;
  const size_t n = data.size();
  while (i < n) {
    const char c = data[i];
    if (options.quoting && c == '"' && field.empty() && !field_quoted) {
      // Quoted field: runs to the next quote not followed by another quote.
      field_quoted = true;
      const size_t start_line = line;
      ++i;
      bool closed = false;
      while (i < n) {
        if (data[i] == '"') {
          if (i + 1 < n && data[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        if (data[i] == '\n') ++line;
        field.push_back(data[i]);
        ++i;
      }
      if (!closed) {
        return Error::Malformed(
            "Trường trong ngoặc kép mở ở dòng " + std::to_string(start_line) + " không được đóng.",
            "Quoted field opened on line " + std::to_string(start_line) + " is never closed.");
      }
      // After the closing quote only a delimiter or a line end may follow.
      if (i < n && data[i] != options.delimiter && data[i] != '\n' && data[i] != '\r') {
        return Error::Malformed(
            "Ký tự thừa sau dấu ngoặc kép đóng ở dòng " + std::to_string(line) + ".",
            "Unexpected character after a closing quote on line " + std::to_string(line) + ".");
      }
      continue;
    }
    if (c == options.delimiter) {
      row.push_back(std::move(field));
      field.clear();
      field_quoted = false;
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < n && data[i + 1] == '\n') {
      ++i;  // CRLF: handled as LF below
      continue;
    }
    if (c == '\n') {
      end_row();
      ++line;
      row_line = line;
      ++i;
      continue;
    }
    field.push_back(c);
    ++i;
  }
  if (!field.empty() || field_quoted || !row.empty()) end_row();
  return table;
}

Result<CsvTable> ReadCsvFile(const std::string& path, const Options& options, bool has_header) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::InvalidInput("path", "Không đọc được tệp " + path + ".",
                               "Cannot read file " + path + ".");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return Error::InvalidInput("path", "Lỗi khi đọc tệp " + path + ".",
                               "Error while reading file " + path + ".");
  }
  auto table = ParseCsv(buffer.str(), options, has_header);
  if (!table.ok()) {
    Error e = table.take_error();
    e.message_vi = path + ": " + e.message_vi;
    e.message_en = path + ": " + e.message_en;
    e.field = "path";
    return e;
  }
  return table;
}

}  // namespace khien::csv
