// Fuzzes ParseJsonObject, the gate every JSON request body passes: arbitrary bytes must give
// either an object or a kMalformed/kUnsupportedMedia error, never a crash or a hang. The first
// byte picks the content type so the 415 path is covered too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  khien::http::ApiRequest request;
  request.content_type = (size > 0 && data[0] == 0xff) ? "text/plain" : "application/json";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  const auto parsed = khien::http::ParseJsonObject(request);
  if (parsed.ok()) {
    // A parsed object serialises to JSON that parses again. (Not compared for equality: Boost
    // 1.81 parses long numbers imprecisely, so a double may not survive the round trip.)
    const std::string again = boost::json::serialize(parsed.value());
    boost::system::error_code ec;
    boost::json::parse_options options;
    options.max_depth = 64;  // as ParseJsonObject
    if (!boost::json::parse(again, ec, {}, options).is_object() || ec) std::abort();
  } else {
    const auto code = parsed.error().code;
    if (code != khien::ErrorCode::kMalformed && code != khien::ErrorCode::kUnsupportedMedia) {
      std::abort();
    }
    if (parsed.error().message_vi.empty() || parsed.error().message_en.empty()) std::abort();
  }
  return 0;
}
