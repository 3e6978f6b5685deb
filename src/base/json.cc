#include "base/json.h"

#include <cmath>
#include <limits>

#include "base/text.h"

namespace khien::json {
namespace {

// A name fit to appear in a message: unknown keys come from the client, so they are cleaned
// and shortened.
std::string DisplayName(std::string_view name) {
  constexpr size_t kMaxChars = 40;
  auto cleaned = text::CleanInput(name);
  if (!cleaned.ok()) return "?";
  std::string& s = *cleaned;
  if (text::CodePointCount(s) <= kMaxChars) return std::move(s);
  size_t chars = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == kMaxChars) break;
  }
  return s.substr(0, i) + "…";
}

Error Invalid(std::string_view field, std::string_view shown, std::string_view vi_rest,
              std::string_view en_rest) {
  const std::string name = DisplayName(shown);
  return Error::InvalidInput(std::string(field),
                             "Trường '" + name + "' " + std::string(vi_rest),
                             "Field '" + name + "' " + std::string(en_rest));
}

Error Missing(std::string_view field) {
  return Invalid(field, field, "là bắt buộc.", "is required.");
}

// `shown` differs from `field` for array items ("tags[2]").
Result<std::string> CleanString(const boost::json::value& v, std::string_view field,
                                std::string_view shown, size_t max_chars) {
  if (!v.is_string()) {
    return Invalid(field, shown, "phải là chuỗi văn bản.", "must be a string.");
  }
  const boost::json::string& raw = v.get_string();
  auto cleaned = text::CleanInput(std::string_view(raw.data(), raw.size()));
  if (!cleaned.ok()) {
    return Invalid(field, shown, "chứa ký tự không hợp lệ.", "contains invalid characters.");
  }
  if (text::CodePointCount(*cleaned) > max_chars) {
    const std::string n = std::to_string(max_chars);
    return Invalid(field, shown, "dài quá " + n + " ký tự.",
                   "is longer than " + n + " characters.");
  }
  return cleaned;
}

Error NotEmpty(std::string_view field, std::string_view shown) {
  return Invalid(field, shown, "không được để trống.", "must not be empty.");
}

// The field's value, or nullptr when it is missing or null.
const boost::json::value* Find(const boost::json::object& obj, std::string_view field) {
  const boost::json::value* v = obj.if_contains(field);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

Result<int64_t> ToInt(const boost::json::value& v, std::string_view field, int64_t min,
                      int64_t max) {
  const std::string range = std::to_string(min) + " đến " + std::to_string(max);
  const std::string range_en = std::to_string(min) + " and " + std::to_string(max);
  auto out_of_range = [&] {
    return Invalid(field, field, "phải nằm trong khoảng từ " + range + ".",
                   "must be between " + range_en + ".");
  };
  if (v.is_int64()) {
    const int64_t n = v.get_int64();
    if (n < min || n > max) return out_of_range();
    return n;
  }
  if (v.is_uint64()) {  // only values above INT64_MAX are stored as uint64
    return out_of_range();
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (!std::isfinite(d) || std::trunc(d) != d) {
      return Invalid(field, field, "phải là số nguyên.", "must be a whole number.");
    }
    // Compare as double first so the conversion below cannot overflow.
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) return out_of_range();
    const auto n = static_cast<int64_t>(d);
    if (n < min || n > max) return out_of_range();
    return n;
  }
  return Invalid(field, field, "phải là số nguyên.", "must be a whole number.");
}

}  // namespace

Result<std::string> RequiredString(const boost::json::object& obj, std::string_view field,
                                   size_t max_chars) {
  const boost::json::value* v = Find(obj, field);
  if (v == nullptr) return Missing(field);
  KHIEN_ASSIGN_OR_RETURN(std::string s, CleanString(*v, field, field, max_chars));
  if (s.empty()) return NotEmpty(field, field);
  return s;
}

Result<std::optional<std::string>> OptionalString(const boost::json::object& obj,
                                                  std::string_view field, size_t max_chars) {
  const boost::json::value* v = Find(obj, field);
  if (v == nullptr) return std::optional<std::string>();
  KHIEN_ASSIGN_OR_RETURN(std::string s, CleanString(*v, field, field, max_chars));
  return std::optional<std::string>(std::move(s));
}

Result<int64_t> RequiredInt(const boost::json::object& obj, std::string_view field,
                            int64_t min, int64_t max) {
  const boost::json::value* v = Find(obj, field);
  if (v == nullptr) return Missing(field);
  return ToInt(*v, field, min, max);
}

Result<std::optional<int64_t>> OptionalInt(const boost::json::object& obj,
                                           std::string_view field, int64_t min, int64_t max) {
  const boost::json::value* v = Find(obj, field);
  if (v == nullptr) return std::optional<int64_t>();
  KHIEN_ASSIGN_OR_RETURN(int64_t n, ToInt(*v, field, min, max));
  return std::optional<int64_t>(n);
}

Result<bool> OptionalBool(const boost::json::object& obj, std::string_view field,
                          bool default_value) {
  const boost::json::value* v = Find(obj, field);
  if (v == nullptr) return default_value;
  if (!v->is_bool()) {
    return Invalid(field, field, "phải là true hoặc false.", "must be true or false.");
  }
  return v->get_bool();
}

Result<std::vector<std::string>> StringArray(const boost::json::object& obj,
                                             std::string_view field, size_t max_items,
                                             size_t max_chars) {
  std::vector<std::string> items;
  const boost::json::value* v = Find(obj, field);
  if (v == nullptr) return items;
  if (!v->is_array()) {
    return Invalid(field, field, "phải là một danh sách.", "must be a list.");
  }
  const boost::json::array& array = v->get_array();
  if (array.size() > max_items) {
    const std::string n = std::to_string(max_items);
    return Invalid(field, field, "có nhiều hơn " + n + " mục.",
                   "has more than " + n + " items.");
  }
  items.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string shown = std::string(field) + "[" + std::to_string(i) + "]";
    KHIEN_ASSIGN_OR_RETURN(std::string s, CleanString(array[i], field, shown, max_chars));
    if (s.empty()) return NotEmpty(field, shown);
    items.push_back(std::move(s));
  }
  return items;
}

Result<void> RejectUnknownFields(const boost::json::object& obj,
                                 std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : obj) {
    const std::string_view key(entry.key().data(), entry.key().size());
    bool known = false;
    for (const std::string_view name : allowed) {
      if (name == key) {
        known = true;
        break;
      }
    }
    if (!known) {
      const std::string shown = DisplayName(key);
      return Error::InvalidInput(shown, "Trường '" + shown + "' không được hỗ trợ.",
                                 "Field '" + shown + "' is not supported.");
    }
  }
  return Ok();
}

}  // namespace khien::json
