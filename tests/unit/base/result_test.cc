// Specification of Result<T> and Error: values or errors, never both; the macros return
// errors early and move values out.
#include "base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace khien {
namespace {

Result<int> ParseDigit(char c) {
  if (c < '0' || c > '9') {
    return Error::InvalidInput("digit", "Phải là một chữ số.", "Must be a digit.");
  }
  return c - '0';
}

Result<int> SumOfDigits(char a, char b) {
  KHIEN_ASSIGN_OR_RETURN(int x, ParseDigit(a));
  KHIEN_ASSIGN_OR_RETURN(int y, ParseDigit(b));
  return x + y;
}

Result<void> CheckDigit(char c) {
  KHIEN_RETURN_IF_ERROR(ParseDigit(c));
  return Ok();
}

Result<std::unique_ptr<std::string>> MakeName() {
  return std::make_unique<std::string>("Ea Nuôl");
}

Result<size_t> NameLength() {
  KHIEN_ASSIGN_OR_RETURN(std::unique_ptr<std::string> name, MakeName());  // move-only
  return name->size();
}

TEST(ResultTest, HoldsAValue) {
  Result<int> r = ParseDigit('7');
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(*r, 7);
  EXPECT_EQ(r.value(), 7);
}

TEST(ResultTest, HoldsAnError) {
  Result<int> r = ParseDigit('x');
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().field, "digit");
  EXPECT_EQ(r.error().Message("vi"), "Phải là một chữ số.");
  EXPECT_EQ(r.error().Message("en"), "Must be a digit.");
}

TEST(ResultTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*SumOfDigits('3', '4'), 7);
  Result<int> bad = SumOfDigits('3', '?');
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "digit");
}

TEST(ResultTest, AssignOrReturnMovesMoveOnlyValues) {
  Result<size_t> r = NameLength();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::string("Ea Nuôl").size());
}

TEST(ResultTest, ReturnIfErrorWorksForVoid) {
  EXPECT_TRUE(CheckDigit('1').ok());
  Result<void> r = CheckDigit('a');
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
}

TEST(ResultTest, TakeErrorMovesTheErrorOut) {
  Result<int> r = Error::NotFound();
  Error e = r.take_error();
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message_vi, "Không tìm thấy.");
}

TEST(ErrorTest, NamedConstructorsCarryBothLanguages) {
  for (const Error& e : {Error::Unauthorized(), Error::Forbidden(), Error::NotFound(),
                         Error::TooManyRequests(), Error::Internal(), Error::Unavailable(),
                         Error::Malformed("Sai định dạng.", "Malformed.")}) {
    EXPECT_FALSE(e.message_vi.empty()) << ErrorCodeName(e.code);
    EXPECT_FALSE(e.message_en.empty()) << ErrorCodeName(e.code);
    EXPECT_NE(e.message_vi, e.message_en) << ErrorCodeName(e.code);
  }
  EXPECT_EQ(Error::Conflict("username", "Đã tồn tại.", "Exists.").code, ErrorCode::kConflict);
}

TEST(ErrorCodeNameTest, GivesTheStableWireNames) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidInput), "invalid_input");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kMalformed), "malformed_request");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnauthorized), "unauthorized");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kForbidden), "forbidden");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kCsrf), "csrf_failed");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kMethodNotAllowed), "method_not_allowed");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kConflict), "conflict");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kConsentRequired), "consent_required");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kPayloadTooLarge), "payload_too_large");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnsupportedMedia), "unsupported_media_type");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kLocked), "account_locked");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kTooManyRequests), "too_many_requests");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInternal), "internal_error");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnavailable), "unavailable");
}

}  // namespace
}  // namespace khien
