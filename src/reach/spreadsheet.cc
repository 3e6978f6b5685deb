#include "reach/spreadsheet.h"

#include <unistd.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/csv.h"
#include "base/text.h"
#include "reach/ethnicity.h"

namespace khien::reach {
namespace {

Error Unreadable() {
  return Error::InvalidInput("file", "Không đọc được tệp XLSX.", "The XLSX file cannot be read.");
}

// ---- ZIP (only what XLSX needs: stored and deflated entries) ----

uint32_t U32(std::string_view d, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(d[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(d[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(d[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(d[at + 3])) << 24;
}
uint16_t U16(std::string_view d, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(d[at]) | static_cast<unsigned char>(d[at + 1]) << 8);
}

constexpr size_t kMaxEntryBytes = 256u << 20;  // refuse zip bombs

Result<std::map<std::string, std::string>> Unzip(std::string_view zip,
                                                 const std::vector<std::string>& wanted_prefixes) {
  if (zip.size() < 22) return Unreadable();
  size_t eocd = std::string_view::npos;
  for (size_t i = zip.size() - 22 + 1; i-- > 0 && zip.size() - i < 22 + 65536;) {
    if (U32(zip, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string_view::npos) return Unreadable();
  const uint16_t entries = U16(zip, eocd + 10);
  size_t at = U32(zip, eocd + 16);
  std::map<std::string, std::string> out;
  for (uint16_t e = 0; e < entries; ++e) {
    if (at + 46 > zip.size() || U32(zip, at) != 0x02014b50) return Unreadable();
    const uint16_t method = U16(zip, at + 10);
    const uint32_t csize = U32(zip, at + 20);
    const uint32_t usize = U32(zip, at + 24);
    const uint16_t name_len = U16(zip, at + 28);
    const uint16_t extra_len = U16(zip, at + 30);
    const uint16_t comment_len = U16(zip, at + 32);
    const uint32_t local = U32(zip, at + 42);
    if (at + 46 + name_len > zip.size()) return Unreadable();
    std::string name(zip.substr(at + 46, name_len));
    at += 46 + name_len + extra_len + comment_len;
    bool wanted = false;
    for (const std::string& p : wanted_prefixes) wanted = wanted || name.starts_with(p);
    if (!wanted) continue;
    // size_t first: a local-header offset near 4 GiB must not wrap past the bounds check.
    if (static_cast<size_t>(local) + 30 > zip.size() || U32(zip, local) != 0x04034b50) return Unreadable();
    const size_t data = local + 30 + U16(zip, local + 26) + U16(zip, local + 28);
    if (data + csize > zip.size() || usize > kMaxEntryBytes) return Unreadable();
    std::string_view packed = zip.substr(data, csize);
    if (method == 0) {
      out[name] = std::string(packed);
      continue;
    }
    if (method != 8) return Unreadable();
    std::string plain(usize, '\0');
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Unreadable();
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    zs.avail_in = static_cast<uInt>(packed.size());
    zs.next_out = reinterpret_cast<Bytef*>(plain.data());
    zs.avail_out = static_cast<uInt>(plain.size());
    const int rc = inflate(&zs, Z_FINISH);
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) return Unreadable();
    plain.resize(zs.total_out);
    out[name] = std::move(plain);
  }
  return out;
}

// ---- a small XML scanner for the two SpreadsheetML parts we read ----


std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back('&');
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out.push_back('&');
    else if (ent == "lt") out.push_back('<');
    else if (ent == "gt") out.push_back('>');
    else if (ent == "quot") out.push_back('"');
    else if (ent == "apos") out.push_back('\'');
    else if (!ent.empty() && ent[0] == '#') {
      const bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      text::AppendUtf8(out, static_cast<char32_t>(std::strtoul(std::string(ent.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10)));
    } else {
      out.append(s.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

struct Tag {
  std::string_view name;   // without '/' for closing tags
  std::string_view attrs;
  bool closing = false;
  bool self_closing = false;
  size_t end = 0;          // index after '>'
};

// The next tag at or after `from`; nullopt at the end.
std::optional<Tag> NextTag(std::string_view xml, size_t from, size_t* text_start = nullptr) {
  size_t lt = xml.find('<', from);
  if (text_start) *text_start = from;
  if (lt == std::string_view::npos) return std::nullopt;
  size_t gt = xml.find('>', lt);
  if (gt == std::string_view::npos) return std::nullopt;
  Tag t;
  std::string_view inside = xml.substr(lt + 1, gt - lt - 1);
  if (!inside.empty() && inside[0] == '/') {
    t.closing = true;
    inside.remove_prefix(1);
  }
  if (!inside.empty() && inside.back() == '/') {
    t.self_closing = true;
    inside.remove_suffix(1);
  }
  size_t sp = inside.find_first_of(" \t\r\n");
  t.name = inside.substr(0, sp);
  if (auto colon = t.name.find(':'); colon != std::string_view::npos) t.name = t.name.substr(colon + 1);
  t.attrs = sp == std::string_view::npos ? std::string_view() : inside.substr(sp);
  t.end = gt + 1;
  return t;
}

std::string Attr(std::string_view attrs, std::string_view name) {
  size_t at = 0;
  while ((at = attrs.find(name, at)) != std::string_view::npos) {
    const bool starts = at == 0 || attrs[at - 1] == ' ' || attrs[at - 1] == '\t' || attrs[at - 1] == '\n';
    size_t eq = at + name.size();
    if (starts && eq < attrs.size() && attrs[eq] == '=' && eq + 1 < attrs.size()) {
      const char q = attrs[eq + 1];
      size_t close = attrs.find(q, eq + 2);
      if (close != std::string_view::npos) return Unescape(attrs.substr(eq + 2, close - eq - 2));
    }
    at = eq;
  }
  return "";
}

// Text of <t> elements between `from` and the closing tag `until`.
std::string CollectText(std::string_view xml, size_t& pos, std::string_view until) {
  std::string out;
  bool in_t = false;
  bool in_phonetic = false;
  size_t text_from = pos;
  while (auto tag = NextTag(xml, pos, &text_from)) {
    const size_t lt = xml.find('<', pos);
    if (in_t && !in_phonetic) out += Unescape(xml.substr(text_from, lt - text_from));
    pos = tag->end;
    if (tag->name == "t" && !tag->self_closing) in_t = !tag->closing;
    if (tag->name == "rPh") in_phonetic = !tag->closing && !tag->self_closing;
    if (tag->closing && tag->name == until) break;
  }
  return out;
}

size_t ColumnIndex(std::string_view ref) {
  size_t col = 0;
  for (char ch : ref) {
    if (ch < 'A' || ch > 'Z') break;
    col = col * 26 + static_cast<size_t>(ch - 'A' + 1);
  }
  return col == 0 ? 0 : col - 1;
}

// ---- import column mapping ----

std::string HeaderKey(std::string_view header) {
  std::string folded = text::Fold(header);
  std::string out;
  for (char ch : folded) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out.push_back(ch);
  }
  return out;
}

const std::map<std::string, std::string>& HeaderAliases() {
  static const std::map<std::string, std::string> aliases = {
      {"hovaten", "name"},      {"hoten", "name"},          {"ten", "name"},
      {"name", "name"},         {"fullname", "name"},       {"gioitinh", "sex"},
      {"gioi", "sex"},          {"sex", "sex"},             {"gender", "sex"},
      {"namsinh", "birth_year"}, {"birthyear", "birth_year"}, {"ngaysinh", "birth_year"},
      {"dantoc", "ethnicity"},  {"ethnicity", "ethnicity"}, {"thon", "village"},
      {"thonbuon", "village"},  {"thonto", "village"},      {"village", "village"},
      {"khuyettat", "disability"}, {"disability", "disability"}, {"sodienthoai", "phone"},
      {"dienthoai", "phone"},   {"sdt", "phone"},           {"phone", "phone"},
      {"diemtruoc", "pre_score"}, {"prescore", "pre_score"}, {"diemsau", "post_score"},
      {"postscore", "post_score"},
  };
  return aliases;
}

Error RowError(const std::string& field, std::string vi, std::string en) {
  return Error::InvalidInput(field, std::move(vi), std::move(en));
}

std::optional<double> ParseNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') return std::nullopt;
  return v;
}

ImportRow ToParticipant(int64_t line, const std::map<std::string, size_t>& columns,
                        const std::vector<std::string>& cells) {
  ImportRow row;
  row.line = line;
  auto cell = [&](const std::string& key) -> std::string {
    auto it = columns.find(key);
    if (it == columns.end() || it->second >= cells.size()) return "";
    std::string v = cells[it->second];
    v.erase(0, v.find_first_not_of(" \t"));
    v.erase(v.find_last_not_of(" \t") + 1);
    return v;
  };
  NewParticipant p;
  p.name = cell("name");
  const std::string sex = text::Fold(cell("sex"));
  if (sex == "nu" || sex == "female" || sex == "f") p.sex = "female";
  else if (sex == "nam" || sex == "male" || sex == "m") p.sex = "male";
  else if (sex.empty()) {
    row.error = RowError("sex", "Thiếu giới tính.", "Sex is missing.");
    return row;
  } else {
    row.error = RowError("sex", "Giới tính phải là Nữ hoặc Nam.", "Sex must be female or male.");
    return row;
  }
  std::string year = cell("birth_year");
  if (year.size() >= 10 && (year[2] == '/' || year[2] == '-')) year = year.substr(year.size() - 4);  // dd/mm/yyyy
  auto y = ParseNumber(year);
  if (!y || *y != static_cast<double>(static_cast<int64_t>(*y))) {
    row.error = RowError("birth_year", "Năm sinh không hợp lệ.", "Invalid birth year.");
    return row;
  }
  p.birth_year = static_cast<int64_t>(*y);
  p.ethnicity = cell("ethnicity");
  if (!FindEthnicity(p.ethnicity)) {
    row.error = RowError("ethnicity", "Dân tộc không có trong danh mục 54 dân tộc.",
                         "Ethnicity is not one of the 54 official groups.");
    return row;
  }
  p.village = cell("village");
  const std::string disability = text::Fold(cell("disability"));
  p.disability = disability == "co" || disability == "x" || disability == "1" || disability == "yes" ||
                 disability == "true";
  if (std::string phone = cell("phone"); !phone.empty()) p.phone = phone;
  for (auto [key, target] : {std::pair{"pre_score", &p.pre_score}, std::pair{"post_score", &p.post_score}}) {
    const std::string v = cell(key);
    if (v.empty()) continue;
    auto n = ParseNumber(v);
    if (!n) {
      row.error = RowError(key, "Điểm phải là số từ 0 đến 100.", "A score must be a number from 0 to 100.");
      return row;
    }
    *target = *n;
  }
  row.participant = std::move(p);
  return row;
}

Result<std::vector<ImportRow>> FromTable(const std::vector<std::vector<std::string>>& table,
                                         const std::vector<int64_t>& lines) {
  if (table.empty()) {
    return Error::InvalidInput("file", "Tệp không có dữ liệu.", "The file has no rows.");
  }
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < table[0].size(); ++i) {
    auto it = HeaderAliases().find(HeaderKey(table[0][i]));
    if (it != HeaderAliases().end() && !columns.count(it->second)) columns[it->second] = i;
  }
  for (const char* required : {"name", "sex", "birth_year", "ethnicity"}) {
    if (!columns.count(required)) {
      return Error::InvalidInput(
          "file",
          "Thiếu cột bắt buộc (Họ và tên, Giới tính, Năm sinh, Dân tộc): " + std::string(required) + ".",
          "A required column is missing (name, sex, birth year, ethnicity): " + std::string(required) + ".");
    }
  }
  std::vector<ImportRow> out;
  for (size_t r = 1; r < table.size(); ++r) {
    bool blank = true;
    for (const std::string& c : table[r]) blank = blank && c.find_first_not_of(" \t") == std::string::npos;
    if (blank) continue;
    out.push_back(ToParticipant(lines[r], columns, table[r]));
  }
  return out;
}

std::string Label(const std::string& dim, const std::string& value, const IndicatorTable& table) {
  if (dim == "sex") return value == "female" ? "Nữ" : value == "male" ? "Nam" : value;
  if (dim == "ethnic_group") return value == "kinh" ? "Kinh" : value == "minority" ? "Dân tộc thiểu số" : value;
  if (dim == "ethnicity") {
    if (value.empty()) return "Không rõ (đếm theo nhóm)";
    if (auto e = FindEthnicity(value)) return std::string(e->name_vi);
  }
  if (dim == "commune" || dim == "village" || dim == "point") {
    if (value.empty()) return "(không có)";
    auto it = table.place_names.find(value);
    if (it != table.place_names.end()) return it->second + " (" + value + ")";
  }
  return value;
}

std::string DimensionHeader(const std::string& d) {
  static const std::map<std::string, std::string> names = {
      {"sex", "Giới tính"},        {"age_group", "Nhóm tuổi"},  {"ethnicity", "Dân tộc"},
      {"ethnic_group", "Kinh/DTTS"}, {"topic", "Chủ đề"},       {"type", "Loại hoạt động"},
      {"month", "Tháng"},          {"quarter", "Quý"},          {"year", "Năm"},
      {"commune", "Xã/phường"},    {"village", "Thôn/buôn"},    {"point", "Điểm"}};
  auto it = names.find(d);
  return it == names.end() ? d : it->second;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

void AppendIndicatorCells(std::vector<std::string>& row, const IndicatorRow& r) {
  for (int64_t v : {r.sessions, r.participations, r.named_participations, r.tallied_participations,
                    r.unique_people, r.women, r.minority_women, r.children_under_16, r.children_under_18}) {
    row.push_back(std::to_string(v));
  }
  row.push_back(r.knowledge_gain ? Number(*r.knowledge_gain) : "");
}

}  // namespace

std::string EscapeFormula(std::string_view cell) {
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    return "'" + std::string(cell);
  }
  return std::string(cell);
}

Result<std::vector<std::vector<std::string>>> ReadXlsxCells(std::string_view data) {
  KHIEN_ASSIGN_OR_RETURN(auto parts, Unzip(data, {"xl/sharedStrings.xml", "xl/worksheets/sheet"}));
  std::string sheet_name;
  for (const auto& [name, body] : parts) {
    if (name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml") &&
        (sheet_name.empty() || name == "xl/worksheets/sheet1.xml")) {
      sheet_name = name;
    }
  }
  if (sheet_name.empty()) return Unreadable();
  std::vector<std::string> shared;
  if (auto it = parts.find("xl/sharedStrings.xml"); it != parts.end()) {
    std::string_view xml = it->second;
    size_t pos = 0;
    while (auto tag = NextTag(xml, pos)) {
      pos = tag->end;
      if (tag->name == "si" && !tag->closing) {
        shared.push_back(tag->self_closing ? std::string() : CollectText(xml, pos, "si"));
      }
    }
  }
  std::string_view xml = parts[sheet_name];
  std::vector<std::vector<std::string>> rows;
  size_t pos = 0;
  int64_t row_number = 0;
  while (auto tag = NextTag(xml, pos)) {
    pos = tag->end;
    if (tag->name == "row" && !tag->closing) {
      const std::string r = Attr(tag->attrs, "r");
      row_number = r.empty() ? row_number + 1 : std::atoll(r.c_str());
      if (row_number < 1 || row_number > 1'100'000) return Unreadable();
      if (rows.size() < static_cast<size_t>(row_number)) rows.resize(static_cast<size_t>(row_number));
      continue;
    }
    if (tag->name != "c" || tag->closing) continue;
    const std::string ref = Attr(tag->attrs, "r");
    const std::string type = Attr(tag->attrs, "t");
    if (row_number == 0) continue;
    const size_t col = ColumnIndex(ref);
    if (col > 16384) return Unreadable();
    std::string value;
    if (!tag->self_closing) {
      if (type == "inlineStr") {
        value = CollectText(xml, pos, "c");
      } else {
        size_t text_from = pos;
        std::string v;
        bool in_v = false;
        while (auto inner = NextTag(xml, pos, &text_from)) {
          const size_t lt = xml.find('<', pos);
          if (in_v) v += Unescape(xml.substr(text_from, lt - text_from));
          pos = inner->end;
          if (inner->name == "v") in_v = !inner->closing && !inner->self_closing;
          if (inner->closing && inner->name == "c") break;
        }
        if (type == "s") {
          const size_t i = static_cast<size_t>(std::atoll(v.c_str()));
          value = i < shared.size() ? shared[i] : "";
        } else {
          value = v;
        }
      }
    }
    auto& cells = rows[static_cast<size_t>(row_number - 1)];
    if (cells.size() <= col) cells.resize(col + 1);
    cells[col] = std::move(value);
  }
  return rows;
}

Result<std::vector<ImportRow>> ParseAttendance(std::string_view data) {
  if (data.size() >= 4 && data.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    KHIEN_ASSIGN_OR_RETURN(auto cells, ReadXlsxCells(data));
    std::vector<int64_t> lines(cells.size());
    for (size_t i = 0; i < lines.size(); ++i) lines[i] = static_cast<int64_t>(i + 1);
    return FromTable(cells, lines);
  }
  if (!text::IsValidUtf8(data)) {
    return Error::InvalidInput("file", "Tệp CSV phải dùng mã UTF-8.", "The CSV file must be UTF-8.");
  }
  const std::string_view first_line = data.substr(0, data.find('\n'));
  const size_t commas = static_cast<size_t>(std::count(first_line.begin(), first_line.end(), ','));
  const size_t semis = static_cast<size_t>(std::count(first_line.begin(), first_line.end(), ';'));
  csv::Options options = csv::Options::Csv();
  if (semis > commas) options.delimiter = ';';
  KHIEN_ASSIGN_OR_RETURN(csv::CsvTable table, csv::ParseCsv(data, options, true));
  std::vector<std::vector<std::string>> cells;
  std::vector<int64_t> lines;
  cells.push_back(table.header);
  lines.push_back(1);
  for (size_t i = 0; i < table.rows.size(); ++i) {
    cells.push_back(table.rows[i]);
    lines.push_back(static_cast<int64_t>(table.row_lines[i]));
  }
  return FromTable(cells, lines);
}

Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets) {
  std::string path = (std::filesystem::temp_directory_path() / "khien-export-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return Error::Internal("cannot create a temporary file for the XLSX export");
  close(fd);
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    std::filesystem::remove(path);
    return Error::Internal("libxlsxwriter could not create a workbook");
  }
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (const Sheet& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
    for (size_t c = 0; c < sheet.header.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c == 0 ? 24 : 16, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t r = 0; r < sheet.rows.size(); ++r) {
      for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const std::string& v = sheet.rows[r][c];
        const auto row = static_cast<lxw_row_t>(r + 1);
        const auto col = static_cast<lxw_col_t>(c);
        if (v.empty()) continue;
        if (c < sheet.numeric.size() && sheet.numeric[c]) {
          worksheet_write_number(ws, row, col, std::strtod(v.c_str(), nullptr), nullptr);
        } else {
          // Always a string cell, never a formula: "=HYPERLINK(...)" is shown, not run.
          worksheet_write_string(ws, row, col, v.c_str(), nullptr);
        }
      }
    }
  }
  const lxw_error err = workbook_close(wb);
  std::string bytes;
  if (err == LXW_NO_ERROR) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  std::filesystem::remove(path);
  if (err != LXW_NO_ERROR) return Error::Internal(std::string("libxlsxwriter: ") + lxw_strerror(err));
  return bytes;
}

std::string WriteCsv(const Sheet& sheet) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) out += ',';
      const bool numeric = !header && c < sheet.numeric.size() && sheet.numeric[c];
      const std::string v = numeric ? cells[c] : EscapeFormula(cells[c]);
      if (v.find_first_of(",\"\r\n") != std::string::npos) {
        out += '"';
        for (char ch : v) {
          if (ch == '"') out += '"';
          out += ch;
        }
        out += '"';
      } else {
        out += v;
      }
    }
    out += "\r\n";
  };
  line(sheet.header, true);
  for (const auto& r : sheet.rows) line(r, false);
  return out;
}

Sheet IndicatorSheet(const IndicatorTable& table) {
  Sheet s;
  s.name = "Chỉ số";
  for (const std::string& d : table.by) {
    s.header.push_back(DimensionHeader(d));
    s.numeric.push_back(false);
  }
  for (const char* h : {"Số buổi", "Lượt tham gia", "Lượt có tên", "Lượt đếm theo nhóm", "Số người (không trùng)",
                        "Phụ nữ", "Phụ nữ DTTS", "Trẻ em dưới 16 tuổi", "Trẻ em dưới 18 tuổi",
                        "Mức tăng kiến thức TB"}) {
    s.header.push_back(h);
    s.numeric.push_back(true);
  }
  for (const IndicatorRow& r : table.rows) {
    std::vector<std::string> row;
    for (const std::string& d : table.by) row.push_back(Label(d, r.keys.at(d), table));
    AppendIndicatorCells(row, r);
    s.rows.push_back(std::move(row));
  }
  if (!table.by.empty()) {
    std::vector<std::string> total(table.by.size(), "");
    total[0] = "Tổng cộng";
    AppendIndicatorCells(total, table.total);
    s.rows.push_back(std::move(total));
  }
  return s;
}

Sheet ActivitySheet(const std::vector<Activity>& activities) {
  Sheet s;
  s.name = "Hoạt động";
  s.header = {"Mã", "Ngày", "Đơn vị", "Mã đơn vị", "Loại hoạt động", "Tên hoạt động", "Chủ đề", "Trạng thái",
              "Người tham gia có tên", "Người tham gia theo số đếm", "Người điều hành", "Đối tác"};
  s.numeric = {false, false, false, false, false, false, false, false, true, true, false, false};
  for (const Activity& a : activities) {
    std::string topics;
    for (const std::string& t : a.topics) topics += (topics.empty() ? "" : ", ") + t;
    s.rows.push_back({a.id, a.date, a.org_name, a.org_code, a.type, a.title, topics, a.status,
                      std::to_string(a.named_count), std::to_string(a.tally_total), a.facilitators, a.partners});
  }
  return s;
}

}  // namespace khien::reach
