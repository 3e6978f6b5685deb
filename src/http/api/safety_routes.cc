#include <memory>

#include "base/json.h"
#include "http/api/common.h"
#include "http/api/handlers.h"
#include "http/api/rate_limit.h"
#include "safety/checker.h"
#include "safety/verdict_json.h"

namespace khien::http::api {
namespace {

// Room for 64 KiB of text plus JSON escaping; the checker itself rejects longer text (413).
constexpr size_t kCheckBodyLimit = 256 * 1024;
constexpr size_t kMaxMessages = 200;

Result<std::vector<safety::Message>> ParseMessages(const boost::json::value& value) {
  if (!value.is_array() || value.as_array().empty() || value.as_array().size() > kMaxMessages) {
    return Error::InvalidInput("messages", "'messages' phải là danh sách từ 1 đến 200 tin nhắn.",
                               "'messages' must be a list of 1 to 200 messages.");
  }
  std::vector<safety::Message> messages;
  for (const boost::json::value& item : value.as_array()) {
    if (!item.is_object()) {
      return Error::InvalidInput("messages", "Mỗi tin nhắn phải có dạng {\"from\", \"text\"}.",
                                 "Each message must be {\"from\", \"text\"}.");
    }
    KHIEN_ASSIGN_OR_RETURN(auto from, json::OptionalString(item.as_object(), "from", 100));
    const boost::json::value* text = item.as_object().if_contains("text");
    if (!text || !text->is_string()) {
      return Error::InvalidInput("messages", "Mỗi tin nhắn phải có 'text'.", "Each message needs 'text'.");
    }
    messages.push_back({from.value_or(""), std::string(text->as_string())});
  }
  return messages;
}

}  // namespace

void AddSafetyRoutes(Router& router, Services& s) {
  auto limiter = std::make_shared<RateLimiter>(s.safety_checks_per_minute, std::chrono::seconds(60));
  // Open to anonymous users. Nothing of the text is stored or logged.
  router.Add("POST", "/api/v1/safety/check", Public([&s, limiter](const ApiRequest& req) -> Result<ApiResponse> {
    if (!limiter->Allow(req.client_ip)) return Error::TooManyRequests();
    KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"text", "messages"}));
    const boost::json::value* text = body.if_contains("text");
    const boost::json::value* messages = body.if_contains("messages");
    if ((text == nullptr) == (messages == nullptr)) {
      return Error::InvalidInput("text", "Cần đúng một trong hai: 'text' hoặc 'messages'.",
                                 "Give exactly one of 'text' or 'messages'.");
    }
    if (text) {
      if (!text->is_string()) {
        return Error::InvalidInput("text", "'text' phải là chuỗi ký tự.", "'text' must be a string.");
      }
      if (text->as_string().empty()) {
        return Error::InvalidInput("text", "Hãy dán tin nhắn cần kiểm tra.", "Paste the message to check.");
      }
      KHIEN_ASSIGN_OR_RETURN(safety::CheckResult result, s.checker.Check(std::string_view(text->as_string())));
      return Json(safety::ToJson(result));
    }
    KHIEN_ASSIGN_OR_RETURN(std::vector<safety::Message> list, ParseMessages(*messages));
    KHIEN_ASSIGN_OR_RETURN(safety::CheckResult result, s.checker.CheckConversation(list));
    return Json(safety::ToJson(result));
  }), {kCheckBodyLimit});
}

}  // namespace khien::http::api
