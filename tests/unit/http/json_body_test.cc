#include <gtest/gtest.h>

#include "http/api.h"

namespace khien::http {
namespace {

ApiRequest WithBody(std::string content_type, std::string body) {
  ApiRequest request;
  request.content_type = std::move(content_type);
  request.body = std::move(body);
  return request;
}

TEST(ParseJsonObjectTest, AcceptsAnObject) {
  const auto parsed = ParseJsonObject(WithBody("application/json", R"({"name":"Krông Búk"})"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("name"), "Krông Búk");
}

TEST(ParseJsonObjectTest, RejectsOtherContentTypes) {
  for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded"}) {
    const auto parsed = ParseJsonObject(WithBody(type, "{}"));
    ASSERT_FALSE(parsed.ok()) << type;
    EXPECT_EQ(parsed.error().code, ErrorCode::kUnsupportedMedia);
    EXPECT_EQ(StatusFor(parsed.error().code), 415);
  }
}

TEST(ParseJsonObjectTest, RejectsInvalidUtf8BeforeParsing) {
  // "\xC3\x28" is an invalid two-byte sequence; the overlong "\xC0\xAF" is a classic trick.
  for (const std::string& body : {std::string("{\"a\":\"\xC3\x28\"}"), std::string("{\"a\":\"\xC0\xAF\"}"),
                                 std::string("{\"a\":\"\xED\xA0\x80\"}")}) {
    const auto parsed = ParseJsonObject(WithBody("application/json", body));
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
    EXPECT_EQ(parsed.error().message_vi, "Nội dung không phải UTF-8 hợp lệ.");
  }
}

TEST(ParseJsonObjectTest, RejectsBadJson) {
  for (const char* body : {"", "{", R"({"a":})", R"({"a":1,})", "{} {}", "nul"}) {
    const auto parsed = ParseJsonObject(WithBody("application/json", body));
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
    EXPECT_EQ(parsed.error().message_vi, "JSON không hợp lệ.");
    EXPECT_EQ(parsed.error().message_en, "The body is not valid JSON.");
  }
}

TEST(ParseJsonObjectTest, RejectsNonObjects) {
  for (const char* body : {"[]", R"([{"a":1}])", "42", R"("text")", "null", "true"}) {
    const auto parsed = ParseJsonObject(WithBody("application/json", body));
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
    EXPECT_NE(parsed.error().message_vi, "JSON không hợp lệ.");
  }
}

TEST(ParseJsonObjectTest, RejectsAbsurdNesting) {
  std::string body = R"({"a":)";
  body += std::string(10000, '[') + std::string(10000, ']') + "}";
  const auto parsed = ParseJsonObject(WithBody("application/json", body));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace khien::http
