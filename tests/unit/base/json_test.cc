// Specification of the request-field readers: what each accepts, and the exact bilingual
// error each wrong request gets.
#include "base/json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

namespace khien::json {
namespace {

class JsonFieldsTest : public ::testing::Test {
 protected:
  static boost::json::object Parse(std::string_view text) {
    return boost::json::parse(text).as_object();
  }

  // Asserts `r` failed with kInvalidInput on `field` and returns the error.
  template <class T>
  static Error ExpectInvalid(const Result<T>& r, std::string_view field) {
    EXPECT_FALSE(r.ok());
    if (r.ok()) return Error{};
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(r.error().field, field);
    return r.error();
  }
};

// --- RequiredString -------------------------------------------------------------------

TEST_F(JsonFieldsTest, RequiredStringIsCleaned) {
  const auto body = Parse(R"({"name": "  H Mai \u00CAban\u200B ", "ward": "Ea Nuo\u0302l"})");
  auto name = RequiredString(body, "name", 100);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "H Mai Êban");
  auto ward = RequiredString(body, "ward", 100);
  ASSERT_TRUE(ward.ok());
  EXPECT_EQ(*ward, "Ea Nuôl");  // NFC
}

TEST_F(JsonFieldsTest, RequiredStringMissingOrNull) {
  for (const char* text : {R"({})", R"({"name": null})"}) {
    const Error e = ExpectInvalid(RequiredString(Parse(text), "name", 100), "name");
    EXPECT_EQ(e.message_vi, "Trường 'name' là bắt buộc.");
    EXPECT_EQ(e.message_en, "Field 'name' is required.");
  }
}

TEST_F(JsonFieldsTest, RequiredStringWrongType) {
  for (const char* text : {R"({"name": 5})", R"({"name": true})", R"({"name": ["a"]})"}) {
    const Error e = ExpectInvalid(RequiredString(Parse(text), "name", 100), "name");
    EXPECT_EQ(e.message_vi, "Trường 'name' phải là chuỗi văn bản.");
    EXPECT_EQ(e.message_en, "Field 'name' must be a string.");
  }
}

TEST_F(JsonFieldsTest, RequiredStringEmptyAfterCleaning) {
  const Error e = ExpectInvalid(RequiredString(Parse(R"({"name": " \u200B\t "})"), "name", 9),
                                "name");
  EXPECT_EQ(e.message_vi, "Trường 'name' không được để trống.");
  EXPECT_EQ(e.message_en, "Field 'name' must not be empty.");
}

TEST_F(JsonFieldsTest, RequiredStringLengthCountsCharactersNotBytes) {
  // "Đắk Liêng" is 9 characters but 14 bytes.
  const auto body = Parse(R"({"ward": "Đắk Liêng"})");
  EXPECT_TRUE(RequiredString(body, "ward", 9).ok());
  const Error e = ExpectInvalid(RequiredString(body, "ward", 8), "ward");
  EXPECT_EQ(e.message_vi, "Trường 'ward' dài quá 8 ký tự.");
  EXPECT_EQ(e.message_en, "Field 'ward' is longer than 8 characters.");
}

TEST_F(JsonFieldsTest, RequiredStringRejectsInvalidUtf8BuiltInCode) {
  boost::json::object body;
  body["name"] = boost::json::string("Thu\xE1\xBB");
  const Error e = ExpectInvalid(RequiredString(body, "name", 100), "name");
  EXPECT_EQ(e.message_en, "Field 'name' contains invalid characters.");
}

TEST_F(JsonFieldsTest, MessagesNeverRepeatTheValue) {
  const auto body = Parse(R"({"note": "Số điện thoại 0901234567 của chị Hoa"})");
  const Error e = ExpectInvalid(RequiredString(body, "note", 5), "note");
  EXPECT_EQ(e.message_vi.find("0901234567"), std::string::npos);
  EXPECT_EQ(e.message_en.find("0901234567"), std::string::npos);
}

// --- OptionalString -------------------------------------------------------------------

TEST_F(JsonFieldsTest, OptionalStringAbsentNullEmptyAndPresent) {
  const auto body = Parse(R"({"a": null, "b": "  ", "c": " Krông Pắc "})");
  auto missing = OptionalString(body, "x", 50);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto null = OptionalString(body, "a", 50);
  ASSERT_TRUE(null.ok());
  EXPECT_FALSE(null->has_value());
  auto empty = OptionalString(body, "b", 50);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->value(), "");
  auto present = OptionalString(body, "c", 50);
  ASSERT_TRUE(present.ok());
  EXPECT_EQ(present->value(), "Krông Pắc");
}

TEST_F(JsonFieldsTest, OptionalStringStillChecksTypeAndLength) {
  ExpectInvalid(OptionalString(Parse(R"({"c": 1})"), "c", 50), "c");
  ExpectInvalid(OptionalString(Parse(R"({"c": "Krông Pắc"})"), "c", 5), "c");
}

// --- RequiredInt / OptionalInt --------------------------------------------------------

TEST_F(JsonFieldsTest, RequiredIntInRange) {
  const auto body = Parse(R"({"birth_year": 1990, "lo": 1900, "hi": 2026, "f": 2000.0})");
  EXPECT_EQ(*RequiredInt(body, "birth_year", 1900, 2026), 1990);
  EXPECT_EQ(*RequiredInt(body, "lo", 1900, 2026), 1900);  // bounds are inclusive
  EXPECT_EQ(*RequiredInt(body, "hi", 1900, 2026), 2026);
  EXPECT_EQ(*RequiredInt(body, "f", 1900, 2026), 2000);
}

TEST_F(JsonFieldsTest, RequiredIntOutOfRange) {
  for (const char* text : {R"({"birth_year": 1899})", R"({"birth_year": 2027})",
                           R"({"birth_year": 18446744073709551615})",
                           R"({"birth_year": -1e300})"}) {
    const Error e = ExpectInvalid(RequiredInt(Parse(text), "birth_year", 1900, 2026),
                                  "birth_year");
    EXPECT_EQ(e.message_vi, "Trường 'birth_year' phải nằm trong khoảng từ 1900 đến 2026.");
    EXPECT_EQ(e.message_en, "Field 'birth_year' must be between 1900 and 2026.");
  }
}

TEST_F(JsonFieldsTest, RequiredIntRejectsNonIntegers) {
  for (const char* text : {R"({"n": 1.5})", R"({"n": "3"})", R"({"n": true})", R"({"n": {}})"}) {
    const Error e = ExpectInvalid(RequiredInt(Parse(text), "n", 0, 10), "n");
    EXPECT_EQ(e.message_vi, "Trường 'n' phải là số nguyên.");
    EXPECT_EQ(e.message_en, "Field 'n' must be a whole number.");
  }
  const Error e = ExpectInvalid(RequiredInt(Parse("{}"), "n", 0, 10), "n");
  EXPECT_EQ(e.message_en, "Field 'n' is required.");
}

TEST_F(JsonFieldsTest, OptionalIntAbsentOrChecked) {
  auto missing = OptionalInt(Parse(R"({"n": null})"), "n", 0, 10);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto present = OptionalInt(Parse(R"({"n": 7})"), "n", 0, 10);
  ASSERT_TRUE(present.ok());
  EXPECT_EQ(present->value(), 7);
  ExpectInvalid(OptionalInt(Parse(R"({"n": 11})"), "n", 0, 10), "n");
  ExpectInvalid(OptionalInt(Parse(R"({"n": "7"})"), "n", 0, 10), "n");
}

// --- OptionalBool ---------------------------------------------------------------------

TEST_F(JsonFieldsTest, OptionalBool) {
  const auto body = Parse(R"({"t": true, "f": false, "z": null, "s": "true", "n": 1})");
  EXPECT_TRUE(*OptionalBool(body, "t", false));
  EXPECT_FALSE(*OptionalBool(body, "f", true));
  EXPECT_TRUE(*OptionalBool(body, "missing", true));
  EXPECT_FALSE(*OptionalBool(body, "z", false));
  const Error e = ExpectInvalid(OptionalBool(body, "s", false), "s");
  EXPECT_EQ(e.message_vi, "Trường 's' phải là true hoặc false.");
  EXPECT_EQ(e.message_en, "Field 's' must be true or false.");
  ExpectInvalid(OptionalBool(body, "n", false), "n");
}

// --- StringArray ----------------------------------------------------------------------

TEST_F(JsonFieldsTest, StringArrayCleansEveryItem) {
  const auto body = Parse(R"({"wards": [" Ea H'Leo ", "Ea M\u2019Droh", "Cư M'gar"]})");
  auto wards = StringArray(body, "wards", 5, 20);
  ASSERT_TRUE(wards.ok());
  EXPECT_EQ(*wards, (std::vector<std::string>{"Ea H'Leo", "Ea M’Droh", "Cư M'gar"}));
}

TEST_F(JsonFieldsTest, StringArrayMissingIsEmpty) {
  auto none = StringArray(Parse("{}"), "wards", 5, 20);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(JsonFieldsTest, StringArrayLimits) {
  const Error not_list = ExpectInvalid(StringArray(Parse(R"({"w": "a"})"), "w", 5, 20), "w");
  EXPECT_EQ(not_list.message_en, "Field 'w' must be a list.");
  const Error too_many =
      ExpectInvalid(StringArray(Parse(R"({"w": ["a","b","c"]})"), "w", 2, 20), "w");
  EXPECT_EQ(too_many.message_vi, "Trường 'w' có nhiều hơn 2 mục.");
  EXPECT_EQ(too_many.message_en, "Field 'w' has more than 2 items.");
  const Error bad_item =
      ExpectInvalid(StringArray(Parse(R"({"w": ["a", 3]})"), "w", 5, 20), "w");
  EXPECT_EQ(bad_item.message_vi, "Trường 'w[1]' phải là chuỗi văn bản.");
  const Error empty_item =
      ExpectInvalid(StringArray(Parse(R"({"w": ["a", " "]})"), "w", 5, 20), "w");
  EXPECT_EQ(empty_item.message_en, "Field 'w[1]' must not be empty.");
  const Error long_item =
      ExpectInvalid(StringArray(Parse(R"({"w": ["Buôn Ma Thuột"]})"), "w", 5, 4), "w");
  EXPECT_EQ(long_item.message_en, "Field 'w[0]' is longer than 4 characters.");
}

// --- RejectUnknownFields --------------------------------------------------------------

TEST_F(JsonFieldsTest, KnownFieldsPass) {
  EXPECT_TRUE(RejectUnknownFields(Parse(R"({"name": "a", "birth_year": 1990})"),
                                  {"name", "birth_year", "note"})
                  .ok());
  EXPECT_TRUE(RejectUnknownFields(Parse("{}"), {}).ok());
}

TEST_F(JsonFieldsTest, UnknownFieldIsNamed) {
  const Error e = ExpectInvalid(
      RejectUnknownFields(Parse(R"({"name": "a", "birthyear": 1990})"), {"name", "birth_year"}),
      "birthyear");
  EXPECT_EQ(e.message_vi, "Trường 'birthyear' không được hỗ trợ.");
  EXPECT_EQ(e.message_en, "Field 'birthyear' is not supported.");
}

TEST_F(JsonFieldsTest, UnknownFieldNameIsShortenedInMessages) {
  const std::string long_key(500, 'x');
  boost::json::object body;
  body[long_key] = 1;
  auto r = RejectUnknownFields(body, {"name"});
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.error().message_en.size(), 100u);
  EXPECT_LT(r.error().field.size(), 60u);
}

}  // namespace
}  // namespace khien::json
