// Result<T> and Error: how every expected failure travels in Khiên.
//
// An Error carries a stable machine code (mapped to an HTTP status in one place,
// src/http/problem.cc), the input field it concerns (if any) and a human message in
// Vietnamese and in English. Messages must never contain survivor data, tokens or
// passwords: they reach logs, CLI output and HTTP bodies.
//
// Exceptions are for bugs and library failures; they are caught at the connection or
// command boundary and become kInternal.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace khien {

enum class ErrorCode {
  kInvalidInput,      // 400 invalid_input: the request is understood but a value is wrong
  kMalformed,         // 400 malformed_request: not JSON, not UTF-8, wrong shape
  kUnauthorized,      // 401 unauthorized: no valid session
  kForbidden,         // 403 forbidden: signed in, but the role or scope does not allow it
  kCsrf,              // 403 csrf_failed: cookie write without the CSRF header
  kNotFound,          // 404 not_found: unknown id, or an id outside the caller's scope
  kMethodNotAllowed,  // 405 method_not_allowed
  kConflict,          // 409 conflict: duplicate username, stale state
  kConsentRequired,   // 409 consent_required: the survivor has not consented to this use
  kPayloadTooLarge,   // 413 payload_too_large
  kUnsupportedMedia,  // 415 unsupported_media_type
  kLocked,            // 423 account_locked
  kTooManyRequests,   // 429 too_many_requests
  kInternal,          // 500 internal_error
  kUnavailable,       // 503 unavailable: database down, shutting down
};

// The stable snake_case name clients rely on ("invalid_input", "not_found", ...).
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string field;       // offending input field ("name", "birth_year"); may be empty
  std::string message_vi;  // shown to Vietnamese users; NFC, with diacritics
  std::string message_en;

  static Error InvalidInput(std::string field, std::string vi, std::string en) {
    return {ErrorCode::kInvalidInput, std::move(field), std::move(vi), std::move(en)};
  }
  static Error Malformed(std::string vi, std::string en) {
    return {ErrorCode::kMalformed, "", std::move(vi), std::move(en)};
  }
  static Error Unauthorized() {
    return {ErrorCode::kUnauthorized, "", "Bạn cần đăng nhập.", "You need to sign in."};
  }
  static Error Forbidden() {
    return {ErrorCode::kForbidden, "", "Bạn không có quyền thực hiện việc này.",
            "You are not allowed to do this."};
  }
  // Used both for ids that do not exist and for ids outside the caller's scope, so that
  // a response never reveals whether a record exists elsewhere.
  static Error NotFound(std::string what_vi = "Không tìm thấy.",
                        std::string what_en = "Not found.") {
    return {ErrorCode::kNotFound, "", std::move(what_vi), std::move(what_en)};
  }
  static Error Conflict(std::string field, std::string vi, std::string en) {
    return {ErrorCode::kConflict, std::move(field), std::move(vi), std::move(en)};
  }
  static Error TooManyRequests() {
    return {ErrorCode::kTooManyRequests, "", "Quá nhiều yêu cầu. Vui lòng thử lại sau.",
            "Too many requests. Please try again later."};
  }
  static Error Internal(std::string en = "Internal error.") {
    return {ErrorCode::kInternal, "", "Lỗi hệ thống. Vui lòng thử lại sau.", std::move(en)};
  }
  static Error Unavailable(std::string en = "Service unavailable.") {
    return {ErrorCode::kUnavailable, "", "Hệ thống tạm thời không sẵn sàng.", std::move(en)};
  }

  const std::string& Message(std::string_view lang) const {
    return lang == "en" ? message_en : message_vi;
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }
  Error&& take_error() { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace khien

#define KHIEN_CONCAT_INNER(a, b) a##b
#define KHIEN_CONCAT(a, b) KHIEN_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define KHIEN_RETURN_IF_ERROR(expr)                                 \
  do {                                                              \
    auto&& khien_result_ = (expr);                                  \
    if (!khien_result_.ok()) return khien_result_.take_error();     \
  } while (0)

// Declares `lhs` from the value of `expr`, or returns its error.
#define KHIEN_ASSIGN_OR_RETURN(lhs, expr) \
  KHIEN_ASSIGN_OR_RETURN_IMPL(KHIEN_CONCAT(khien_r_, __LINE__), lhs, expr)
#define KHIEN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.take_error();           \
  lhs = std::move(tmp).value()
