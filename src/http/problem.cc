// Json(), Problem() and StatusFor(): the one place that turns an error code into an HTTP
// status and a localised application/problem+json body.
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "http/api.h"

namespace khien::http {
namespace {

struct Title {
  std::string_view vi;
  std::string_view en;
};

Title TitleFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return {"Dữ liệu không hợp lệ", "Invalid input"};
    case ErrorCode::kMalformed: return {"Yêu cầu sai định dạng", "Malformed request"};
    case ErrorCode::kUnauthorized: return {"Chưa đăng nhập", "Not signed in"};
    case ErrorCode::kForbidden: return {"Không có quyền", "Forbidden"};
    case ErrorCode::kCsrf: return {"Kiểm tra CSRF thất bại", "CSRF check failed"};
    case ErrorCode::kNotFound: return {"Không tìm thấy", "Not found"};
    case ErrorCode::kMethodNotAllowed:
      return {"Phương thức không được hỗ trợ", "Method not allowed"};
    case ErrorCode::kConflict: return {"Xung đột dữ liệu", "Conflict"};
    case ErrorCode::kConsentRequired: return {"Cần sự đồng ý", "Consent required"};
    case ErrorCode::kPayloadTooLarge: return {"Nội dung quá lớn", "Payload too large"};
    case ErrorCode::kUnsupportedMedia:
      return {"Kiểu nội dung không được hỗ trợ", "Unsupported media type"};
    case ErrorCode::kLocked: return {"Tài khoản bị khóa", "Account locked"};
    case ErrorCode::kTooManyRequests: return {"Quá nhiều yêu cầu", "Too many requests"};
    case ErrorCode::kInternal: return {"Lỗi hệ thống", "Internal error"};
    case ErrorCode::kUnavailable:
      return {"Hệ thống tạm thời không sẵn sàng", "Service unavailable"};
  }
  return {"Lỗi hệ thống", "Internal error"};
}

}  // namespace

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kMalformed: return 400;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kCsrf: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kConsentRequired: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMedia: return 415;
    case ErrorCode::kLocked: return 423;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnavailable: return 503;
  }
  return 500;
}

ApiResponse Json(const boost::json::value& body, int status) {
  ApiResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = boost::json::serialize(body);
  return response;
}

ApiResponse Problem(const Error& error, const ApiRequest& request) {
  const bool english = request.lang == "en";
  const Title title = TitleFor(error.code);
  const std::string_view code = ErrorCodeName(error.code);
  const int status = StatusFor(error.code);

  boost::json::object body;
  body["type"] = std::string("urn:khien:problem:").append(code);
  body["title"] = english ? title.en : title.vi;
  body["status"] = status;
  body["detail"] = error.Message(request.lang);
  body["code"] = code;
  if (!error.field.empty()) body["field"] = error.field;
  body["request_id"] = request.request_id;

  ApiResponse response;
  response.status = status;
  response.content_type = "application/problem+json; charset=utf-8";
  response.body = boost::json::serialize(body);
  response.headers.emplace_back("Content-Language", english ? "en" : "vi");
  return response;
}

}  // namespace khien::http
