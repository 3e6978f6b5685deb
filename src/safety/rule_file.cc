#include "safety/rule_file.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>

#include "base/text.h"

namespace khien::safety {
namespace {

class Parser {
 public:
  explicit Parser(const RuleFileSource& src) : src_(src), s_(src.contents) {}

  Result<std::vector<RawTable>> Run() {
    if (!text::IsValidUtf8(s_)) return Fail("tệp không phải UTF-8 hợp lệ", "file is not valid UTF-8");
    std::vector<RawTable> tables;
    while (true) {
      SkipBlankAndComments();
      if (pos_ >= s_.size()) break;
      if (s_.compare(pos_, 2, "[[") == 0) {
        size_t close = s_.find("]]", pos_);
        size_t eol = s_.find('\n', pos_);
        if (close == std::string::npos || (eol != std::string::npos && close > eol)) {
          return Fail("thiếu \"]]\" ở tiêu đề bảng", "missing \"]]\" in table header");
        }
        std::string kind = s_.substr(pos_ + 2, close - pos_ - 2);
        if (kind != "rule" && kind != "advice") {
          return Fail("bảng không hợp lệ [[" + kind + "]] (chỉ có [[rule]] và [[advice]])",
                      "unknown table [[" + kind + "]] (only [[rule]] and [[advice]])");
        }
        tables.push_back({kind, line_, {}});
        pos_ = close + 2;
        KHIEN_RETURN_IF_ERROR(EndOfLine());
        continue;
      }
      if (tables.empty()) {
        return Fail("khóa nằm ngoài bảng [[rule]] hoặc [[advice]]",
                    "key outside a [[rule]] or [[advice]] table");
      }
      RawTable::Value v;
      v.line = line_;
      KHIEN_ASSIGN_OR_RETURN(v.key, Key());
      for (const auto& other : tables.back().values) {
        if (other.key == v.key) {
          return Fail("khóa \"" + v.key + "\" bị lặp", "duplicate key \"" + v.key + "\"");
        }
      }
      SkipSpaces();
      if (pos_ >= s_.size() || s_[pos_] != '=') return Fail("thiếu \"=\"", "expected \"=\"");
      ++pos_;
      SkipSpaces();
      KHIEN_RETURN_IF_ERROR(ParseValue(&v));
      KHIEN_RETURN_IF_ERROR(EndOfLine());
      tables.back().values.push_back(std::move(v));
    }
    return tables;
  }

 private:
  Error Fail(const std::string& vi, const std::string& en) const {
    return RuleFileError(src_.name, line_, vi, en);
  }

  void SkipSpaces() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  void SkipComment() {
    if (pos_ < s_.size() && s_[pos_] == '#') {
      while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
    }
  }
  // Spaces, comments and newlines (counting lines).
  void SkipBlankAndComments() {
    while (pos_ < s_.size()) {
      SkipSpaces();
      SkipComment();
      if (pos_ < s_.size() && s_[pos_] == '\n') {
        ++pos_;
        ++line_;
        continue;
      }
      break;
    }
  }
  Result<void> EndOfLine() {
    SkipSpaces();
    SkipComment();
    if (pos_ < s_.size() && s_[pos_] != '\n') {
      return Fail("thừa ký tự sau giá trị", "unexpected characters after the value");
    }
    return Ok();
  }
  Result<std::string> Key() {
    size_t b = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '_' || s_[pos_] == '-')) {
      ++pos_;
    }
    if (b == pos_) return Fail("thiếu tên khóa", "expected a key");
    return s_.substr(b, pos_ - b);
  }

  Result<std::string> String() {
    if (s_.compare(pos_, 3, "'''") == 0) {
      size_t end = s_.find("'''", pos_ + 3);
      size_t eol = s_.find('\n', pos_);
      if (end == std::string::npos || (eol != std::string::npos && end > eol)) {
        return Fail("chuỗi ''' chưa đóng trên cùng dòng", "unterminated ''' string on this line");
      }
      std::string out = s_.substr(pos_ + 3, end - pos_ - 3);
      pos_ = end + 3;
      return out;
    }
    if (s_[pos_] == '\'') {
      size_t end = s_.find('\'', pos_ + 1);
      size_t eol = s_.find('\n', pos_);
      if (end == std::string::npos || (eol != std::string::npos && end > eol)) {
        return Fail("chuỗi '...' chưa đóng", "unterminated '...' string");
      }
      std::string out = s_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return out;
    }
    // Basic string.
    std::string out;
    ++pos_;
    while (true) {
      if (pos_ >= s_.size() || s_[pos_] == '\n') {
        return Fail("chuỗi \"...\" chưa đóng", "unterminated \"...\" string");
      }
      char c = s_[pos_++];
      if (c == '"') break;
      if (c != '\\') { out.push_back(c); continue; }
      if (pos_ >= s_.size()) return Fail("chuỗi \"...\" chưa đóng", "unterminated \"...\" string");
      char e = s_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return Fail("\\u thiếu 4 chữ số hex", "\\u needs 4 hex digits");
          uint32_t cp = 0;
          for (int k = 0; k < 4; ++k) {
            char h = s_[pos_++];
            cp <<= 4;
            if (h >= '0' && h <= '9') cp |= h - '0';
            else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
            else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
            else return Fail("\\u thiếu 4 chữ số hex", "\\u needs 4 hex digits");
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) return Fail("\\u không hợp lệ", "invalid \\u escape");
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default:
          return Fail(std::string("chuỗi có ký tự thoát không hợp lệ \\") + e +
                          " (dùng chuỗi '...' cho biểu thức chính quy)",
                      std::string("invalid escape \\") + e + " (use '...' strings for regexes)");
      }
    }
    return out;
  }

  Result<void> ParseValue(RawTable::Value* v) {
    if (pos_ >= s_.size() || s_[pos_] == '\n') return Fail("thiếu giá trị", "missing value");
    const char c = s_[pos_];
    if (c == '"' || c == '\'') {
      KHIEN_ASSIGN_OR_RETURN(v->scalar, String());
      v->is_string = true;
      return Ok();
    }
    if (c == '[') {
      v->is_array = true;
      ++pos_;
      while (true) {
        SkipBlankAndComments();
        if (pos_ >= s_.size()) return Fail("mảng chưa đóng \"]\"", "unterminated array");
        if (s_[pos_] == ']') { ++pos_; return Ok(); }
        if (s_[pos_] != '"' && s_[pos_] != '\'') {
          return Fail("mảng chỉ chứa chuỗi", "arrays may only hold strings");
        }
        KHIEN_ASSIGN_OR_RETURN(std::string item, String());
        v->items.push_back(std::move(item));
        SkipBlankAndComments();
        if (pos_ < s_.size() && s_[pos_] == ',') { ++pos_; continue; }
        if (pos_ < s_.size() && s_[pos_] == ']') { ++pos_; return Ok(); }
        return Fail("thiếu \",\" hoặc \"]\" trong mảng", "expected \",\" or \"]\" in array");
      }
    }
    size_t b = pos_;
    while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '#' && s_[pos_] != ' ' &&
           s_[pos_] != '\t' && s_[pos_] != '\r') {
      ++pos_;
    }
    v->scalar = s_.substr(b, pos_ - b);
    if (v->scalar == "true" || v->scalar == "false") return Ok();
    char* end = nullptr;
    std::strtod(v->scalar.c_str(), &end);
    if (v->scalar.empty() || end != v->scalar.c_str() + v->scalar.size()) {
      return Fail("giá trị không hợp lệ: " + v->scalar, "invalid value: " + v->scalar);
    }
    return Ok();
  }

  const RuleFileSource& src_;
  const std::string& s_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

Error RuleFileError(const std::string& name, int line, const std::string& vi,
                    const std::string& en) {
  const std::string where = name + ":" + std::to_string(line) + ": ";
  return Error::InvalidInput("rules", where + vi, where + en);
}

Result<std::vector<RawTable>> ParseRuleFile(const RuleFileSource& source) {
  return Parser(source).Run();
}

}  // namespace khien::safety
