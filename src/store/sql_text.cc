#include "store/sql_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace khien::store::internal {
namespace {

bool IsPlainIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (s[0] >= '0' && s[0] <= '9') return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::string> QuoteIdentifier(std::string_view name) {
  std::string_view schema;
  std::string_view object = name;
  if (size_t dot = name.find('.'); dot != std::string_view::npos) {
    schema = name.substr(0, dot);
    object = name.substr(dot + 1);
    if (!IsPlainIdentifier(schema)) object = {};  // forces the error below
  }
  if (!IsPlainIdentifier(object)) {
    return Error::InvalidInput("", "Tên bảng hoặc cột không hợp lệ: " + std::string(name),
                               "Invalid table or column name: " + std::string(name));
  }
  std::string out;
  if (!schema.empty()) out.append("\"").append(schema).append("\".");
  out.append("\"").append(object).append("\"");
  return out;
}

Result<std::string> QuoteIdentifierList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    KHIEN_ASSIGN_OR_RETURN(std::string quoted, QuoteIdentifier(names[i]));
    if (i > 0) out += ", ";
    out += quoted;
  }
  return out;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  if (s == "NaN") { *out = std::nan(""); return true; }
  if (s == "Infinity") { *out = HUGE_VAL; return true; }
  if (s == "-Infinity") { *out = -HUGE_VAL; return true; }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

Error ConflictError() {
  return Error::Conflict("", "Dữ liệu trùng lặp hoặc vi phạm ràng buộc.",
                         "The data duplicates an existing record or violates a constraint.");
}

Error UnavailableError(std::string_view detail_en) {
  Error e = Error::Unavailable("Database unavailable: " + std::string(detail_en));
  e.message_vi = "Cơ sở dữ liệu tạm thời không sẵn sàng. Vui lòng thử lại sau.";
  return e;
}

Error InternalError(std::string_view detail_en) {
  return Error::Internal("Database error: " + std::string(detail_en));
}

Error BadParameterError(std::string_view detail_en) {
  Error e = Error::Internal("Bad SQL parameters: " + std::string(detail_en));
  e.message_vi = "Lỗi hệ thống: tham số truy vấn không hợp lệ.";
  return e;
}

}  // namespace khien::store::internal
