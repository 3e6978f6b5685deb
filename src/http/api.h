// The contract between the HTTP server (src/http/server.cc) and the API handlers
// (src/http/api/*.cc). The server parses the wire request into an ApiRequest, finds the
// route, runs the handler on the blocking pool (never on an io thread) and writes the
// ApiResponse. Handlers never see Beast types.
//
// A handler does four things: parse, call one service function, map the result, respond.
//
// Ownership: the server owns the ApiRequest for the duration of the handler call; a handler
// must not keep references to it. Thread-safety: handlers run concurrently on the worker pool,
// so anything they share must be thread-safe. A handler that throws gets a 500 problem
// (internal_error); the exception is logged once with the request id, never with the body.
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
  std::string report_pin;                          // X-Report-Pin: public report look-ups (never in the URL)
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

// Runs on the worker pool (never on an io thread), so it may block on the database.
using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

// The JSON body of a successful response (Content-Type application/json).
ApiResponse Json(const boost::json::value& body, int status = 200);

// The application/problem+json response for `error`, localised by request.lang, carrying
// type ("urn:khien:problem:<code>"), title, status, detail, code, field (if any) and
// request_id, with Content-Language set to request.lang.
ApiResponse Problem(const Error& error, const ApiRequest& request);

// HTTP status for an error code (the one mapping in the product): 400 invalid_input and
// malformed_request, 401, 403 forbidden and csrf_failed, 404, 405, 409 conflict and
// consent_required, 413, 415, 423, 429, 500, 503.
int StatusFor(ErrorCode code);

// Parses the body as a JSON object: checks the content type, UTF-8 validity and syntax.
// Errors: kUnsupportedMedia (content type is not application/json), kMalformed (invalid
// UTF-8, invalid JSON, or valid JSON that is not an object), each with a message in both
// languages that never quotes the body.
Result<boost::json::object> ParseJsonObject(const ApiRequest& request);

}  // namespace khien::http
