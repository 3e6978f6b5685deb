// ParseJsonObject: the checks every JSON request body goes through before a handler reads it.
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "base/text.h"
#include "http/api.h"

namespace khien::http {

Result<boost::json::object> ParseJsonObject(const ApiRequest& request) {
  if (request.content_type != "application/json") {
    return Error{ErrorCode::kUnsupportedMedia, "",
                 "Nội dung phải có kiểu application/json.",
                 "The body must be application/json."};
  }
  if (!text::IsValidUtf8(request.body)) {
    return Error::Malformed("Nội dung không phải UTF-8 hợp lệ.", "The body is not valid UTF-8.");
  }
  boost::json::parse_options options;
  options.max_depth = 64;  // deeper documents are not legitimate input and cost stack
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec, {}, options);
  if (ec) return Error::Malformed("JSON không hợp lệ.", "The body is not valid JSON.");
  if (!value.is_object()) {
    return Error::Malformed("Nội dung JSON phải là một đối tượng.",
                            "The JSON body must be an object.");
  }
  return std::move(value.as_object());
}

}  // namespace khien::http
