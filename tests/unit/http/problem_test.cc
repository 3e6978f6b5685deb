#include <iterator>
#include <set>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http/api.h"

namespace khien::http {
namespace {

boost::json::object Body(const ApiResponse& response) {
  return boost::json::parse(response.body).as_object();
}

std::string HeaderValue(const ApiResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

ApiRequest RequestIn(std::string lang) {
  ApiRequest request;
  request.lang = std::move(lang);
  request.request_id = "req-123";
  return request;
}

TEST(ProblemTest, CarriesEveryFieldInVietnamese) {
  const ApiResponse response = Problem(
      Error::InvalidInput("birth_year", "Năm sinh không hợp lệ.", "Invalid birth year."),
      RequestIn("vi"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/problem+json; charset=utf-8");
  EXPECT_EQ(HeaderValue(response, "Content-Language"), "vi");
  const boost::json::object body = Body(response);
  EXPECT_EQ(body.at("type"), "urn:khien:problem:invalid_input");
  EXPECT_EQ(body.at("title"), "Dữ liệu không hợp lệ");
  EXPECT_EQ(body.at("status"), 400);
  EXPECT_EQ(body.at("detail"), "Năm sinh không hợp lệ.");
  EXPECT_EQ(body.at("code"), "invalid_input");
  EXPECT_EQ(body.at("field"), "birth_year");
  EXPECT_EQ(body.at("request_id"), "req-123");
}

TEST(ProblemTest, LocalisesTitleAndDetailInEnglish) {
  const ApiResponse response = Problem(Error::NotFound(), RequestIn("en"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(HeaderValue(response, "Content-Language"), "en");
  const boost::json::object body = Body(response);
  EXPECT_EQ(body.at("title"), "Not found");
  EXPECT_EQ(body.at("detail"), "Not found.");
  EXPECT_EQ(body.at("code"), "not_found");
}

TEST(ProblemTest, OmitsFieldWhenEmpty) {
  const boost::json::object body = Body(Problem(Error::Forbidden(), RequestIn("vi")));
  EXPECT_FALSE(body.contains("field"));
  EXPECT_EQ(body.at("detail"), "Bạn không có quyền thực hiện việc này.");
  EXPECT_EQ(body.at("title"), "Không có quyền");
}

TEST(ProblemTest, EveryCodeHasAStatusAndDistinctTitles) {
  const ErrorCode codes[] = {
      ErrorCode::kInvalidInput, ErrorCode::kMalformed,        ErrorCode::kUnauthorized,
      ErrorCode::kForbidden,    ErrorCode::kCsrf,             ErrorCode::kNotFound,
      ErrorCode::kMethodNotAllowed, ErrorCode::kConflict,     ErrorCode::kConsentRequired,
      ErrorCode::kPayloadTooLarge,  ErrorCode::kUnsupportedMedia, ErrorCode::kLocked,
      ErrorCode::kTooManyRequests,  ErrorCode::kInternal,     ErrorCode::kUnavailable};
  const int expected[] = {400, 400, 401, 403, 403, 404, 405, 409, 409, 413, 415, 423, 429, 500, 503};
  std::set<std::string> vi_titles;
  for (size_t i = 0; i < std::size(codes); ++i) {
    EXPECT_EQ(StatusFor(codes[i]), expected[i]) << ErrorCodeName(codes[i]);
    const Error error{codes[i], "", "vi", "en"};
    const ApiResponse vi = Problem(error, RequestIn("vi"));
    const ApiResponse en = Problem(error, RequestIn("en"));
    EXPECT_EQ(vi.status, expected[i]);
    const std::string vi_title(Body(vi).at("title").as_string());
    EXPECT_NE(vi_title, std::string(Body(en).at("title").as_string())) << ErrorCodeName(codes[i]);
    vi_titles.insert(vi_title);
  }
  EXPECT_EQ(vi_titles.size(), std::size(codes));
}

TEST(JsonTest, SerialisesBodyAndStatus) {
  const ApiResponse response = Json(boost::json::object{{"name", "Ea Nuôl"}}, 201);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(boost::json::parse(response.body).at("name"), "Ea Nuôl");
}

}  // namespace
}  // namespace khien::http
