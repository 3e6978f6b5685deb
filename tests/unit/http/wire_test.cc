#include "http/wire.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace khien::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(ParseTargetTest, DecodesPathAndQuery) {
  const auto target = ParseTarget("/api/v1/org-units/Ea%20Nu%C3%B4l?q=kr%C3%B4ng+b%C3%BAk&page=2");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->path, "/api/v1/org-units/Ea Nuôl");
  EXPECT_THAT(target->query, ElementsAre(Pair("page", "2"), Pair("q", "krông búk")));
}

TEST(ParseTargetTest, KeepsRepeatedAndEmptyParameters) {
  const auto target = ParseTarget("/x?tag=a&tag=b&flag");
  ASSERT_TRUE(target.ok());
  EXPECT_THAT(target->query, ElementsAre(Pair("flag", ""), Pair("tag", "a"), Pair("tag", "b")));
}

TEST(ParseTargetTest, RejectsTraversalInEveryEncoding) {
  for (const char* bad : {"/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/etc/passwd",
                          "/%2E%2E/etc/passwd", "/..%2fetc/passwd", "/a/%2e%2e%2f%2e%2e/b",
                          "/./x", "/a/.."}) {
    const auto target = ParseTarget(bad);
    ASSERT_FALSE(target.ok()) << bad;
    EXPECT_EQ(target.error().code, ErrorCode::kMalformed);
  }
}

TEST(ParseTargetTest, RejectsNulBackslashAndBadUtf8) {
  for (const char* bad : {"/a%00b", "/a%5c..%5cb", "/a\\b", "/x?q=%00", "/%C3%28", "/x?q=%FF",
                          "", "x", "http://example.com/", "/a b", "//host/x?%zz"}) {
    EXPECT_FALSE(ParseTarget(bad).ok()) << bad;
  }
}

TEST(ParseTargetTest, AllowsDotsInsideNames) {
  const auto target = ParseTarget("/assets/app-1a2b.min.js");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->path, "/assets/app-1a2b.min.js");
  EXPECT_TRUE(ParseTarget("/a/..b/c..").ok());
}

TEST(ChooseLangTest, CookieWinsWhenValid) {
  EXPECT_EQ(ChooseLang("a=1; khien_lang=en", "vi"), "en");
  EXPECT_EQ(ChooseLang("khien_lang=vi", "en"), "vi");
  EXPECT_EQ(ChooseLang("khien_lang=fr", "en-GB"), "en");
}

TEST(ChooseLangTest, AcceptLanguageByQuality) {
  EXPECT_EQ(ChooseLang("", "en-US,en;q=0.9,vi;q=0.8"), "en");
  EXPECT_EQ(ChooseLang("", "fr-FR, en;q=0.5, vi-VN;q=0.7"), "vi");
  EXPECT_EQ(ChooseLang("", "en;q=0, vi;q=0.1"), "vi");
  EXPECT_EQ(ChooseLang("", "EN"), "en");
  EXPECT_EQ(ChooseLang("", "en;q=0.5, vi;q=0.5"), "en");  // ties: first listed
}

TEST(ChooseLangTest, DefaultsToVietnamese) {
  EXPECT_EQ(ChooseLang("", ""), "vi");
  EXPECT_EQ(ChooseLang("", "fr, de;q=0.5"), "vi");
  EXPECT_EQ(ChooseLang("", "en;q=0"), "vi");
  EXPECT_EQ(ChooseLang("", "en;q=abc"), "vi");
}

TEST(RequestIdTest, AcceptsOnlySafeIds) {
  EXPECT_TRUE(IsValidRequestId("abc-123_X.y"));
  EXPECT_TRUE(IsValidRequestId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidRequestId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId("a b"));
  EXPECT_FALSE(IsValidRequestId("a\"b"));
  EXPECT_FALSE(IsValidRequestId("ä"));
}

TEST(PrepareRequestTest, MapsHeaders) {
  WireHeaders headers;
  headers.method = "POST";
  headers.cookie = "khien_session=cookie-token; khien_lang=en";
  headers.authorization = "Bearer bearer-token";
  headers.x_request_id = "trace-42";
  headers.x_csrf_token = "csrf";
  headers.x_report_pin = " 482913 ";
  headers.content_type = "Application/JSON; charset=UTF-8";
  headers.user_agent = "test-agent";
  headers.client_ip = "127.0.0.1";
  const ApiRequest request = PrepareRequest(headers);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.lang, "en");
  EXPECT_EQ(request.request_id, "trace-42");
  EXPECT_EQ(request.session_token, "bearer-token");
  EXPECT_FALSE(request.token_from_cookie);
  EXPECT_EQ(request.csrf_header, "csrf");
  EXPECT_EQ(request.report_pin, "482913");
  EXPECT_EQ(request.content_type, "application/json");
  EXPECT_EQ(request.user_agent, "test-agent");
  EXPECT_EQ(request.client_ip, "127.0.0.1");
}

TEST(PrepareRequestTest, FallsBackToSessionCookie) {
  WireHeaders headers;
  headers.cookie = "other=1; khien_session=cookie-token";
  headers.authorization = "Basic dXNlcjpwYXNz";
  const ApiRequest request = PrepareRequest(headers);
  EXPECT_EQ(request.session_token, "cookie-token");
  EXPECT_TRUE(request.token_from_cookie);
}

TEST(PrepareRequestTest, NoTokenWhenAbsent) {
  WireHeaders headers;
  headers.authorization = "Bearer ";
  headers.cookie = "khien_session=";
  EXPECT_FALSE(PrepareRequest(headers).session_token.has_value());
}

TEST(PrepareRequestTest, ReplacesBadRequestIdWithNewOne) {
  WireHeaders headers;
  headers.x_request_id = "bad id\r\nX-Injected: 1";
  const ApiRequest first = PrepareRequest(headers);
  const ApiRequest second = PrepareRequest(headers);
  EXPECT_TRUE(IsValidRequestId(first.request_id));
  EXPECT_EQ(first.request_id.size(), 26u);
  EXPECT_NE(first.request_id, second.request_id);
}

TEST(ApiRequestTest, QueryReturnsFirstValue) {
  ApiRequest request;
  request.query = {{"a", "1"}, {"a", "2"}};
  EXPECT_EQ(request.Query("a"), "1");
  EXPECT_EQ(request.Query("b"), std::nullopt);
}

}  // namespace
}  // namespace khien::http
