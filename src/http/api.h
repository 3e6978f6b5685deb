// The contract between the HTTP server (src/http/server.cc) and the API handlers
// (src/http/api/*.cc). The server parses the wire request into an ApiRequest, finds the
// route, runs the handler on the blocking pool (never on an io thread) and writes the
// ApiResponse. Handlers never see Beast types.
//
// A handler does four things: parse, call one service function, map the result, respond.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "base/result.h"

namespace khien::http {

struct ApiRequest {
  std::string method;                              // "GET", "POST", ...
  std::string path;                                // percent-decoded, without the query
  std::map<std::string, std::string> path_params;  // from "{name}" segments of the route
  std::multimap<std::string, std::string> query;   // percent-decoded query parameters
  std::string body;                                // at most the configured body limit
  std::string content_type;                        // media type only, lower case ("application/json")
  std::string lang = "vi";                         // "vi" or "en": from the user's setting,
                                                   // else the khien_lang cookie, else Accept-Language
  std::string request_id;                          // also in every log line and error body
  std::string client_ip;                           // for throttling only; never stored with reports
  std::optional<std::string> session_token;        // from Authorization: Bearer or the session cookie
  bool token_from_cookie = false;                  // true: writes must carry a valid CSRF header
  std::string csrf_header;                         // X-CSRF-Token
  std::string user_agent;

  // First value of query parameter `name`, if present.
  std::optional<std::string> Query(std::string_view name) const;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Set-Cookie
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

// The JSON body of a successful response.
ApiResponse Json(const boost::json::value& body, int status = 200);

// The application/problem+json response for `error`, localised by request.lang, carrying
// type, title, status, detail, code, field (if any) and request_id.
ApiResponse Problem(const Error& error, const ApiRequest& request);

// HTTP status for an error code (the one mapping in the product).
int StatusFor(ErrorCode code);

// Parses the body as a JSON object: checks the content type, UTF-8 validity and syntax.
// Errors: kUnsupportedMedia, kMalformed (with a localised message).
Result<boost::json::object> ParseJsonObject(const ApiRequest& request);

}  // namespace khien::http
