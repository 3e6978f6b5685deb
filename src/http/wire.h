// Turning the parts of a wire request into an ApiRequest, without Beast: the target (path and
// query, via Boost.URL), language, request id, session token and content type. Also the
// headers every response carries. The server (server.cc) only copies header values in and
// out; everything that decides something lives here so it can be tested without a socket.
//
// Thread-safety: all functions are pure and safe to call from many threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.h"
#include "http/api.h"

namespace khien::http {

// Header values of one request, as received (empty when absent). Multiple Cookie headers are
// joined with "; " by the caller.
struct WireHeaders {
  std::string_view method;
  std::string_view cookie;
  std::string_view authorization;
  std::string_view accept_language;
  std::string_view x_request_id;
  std::string_view x_csrf_token;
  std::string_view x_report_pin;
  std::string_view content_type;
  std::string_view user_agent;
  std::string_view client_ip;
};

// Fills method, lang, request_id, session_token, token_from_cookie, csrf_header,
// report_pin, content_type, user_agent and client_ip. Never fails: a bad X-Request-Id is
// replaced by a new id, an unknown language by "vi".
ApiRequest PrepareRequest(const WireHeaders& headers);

// The decoded request target.
struct Target {
  std::string path;                               // percent-decoded, starts with '/'
  std::multimap<std::string, std::string> query;  // percent-decoded, '+' is a space
};

// Parses an origin-form target ("/a/b?x=1"). Error kMalformed when it does not parse, or when
// the decoded path or query holds NUL, a backslash, invalid UTF-8, or a "." or ".." segment
// (including encoded forms such as "%2e%2e" and "..%2f").
Result<Target> ParseTarget(std::string_view target);

// "vi" or "en": cookie khien_lang if it is one of them, else the first of vi/en by q in
// Accept-Language, else "vi".
std::string ChooseLang(std::string_view cookie_header, std::string_view accept_language);

// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);

// True if `id` matches [A-Za-z0-9._-]{1,64}.
bool IsValidRequestId(std::string_view id);

// "application/json" from "Application/JSON; charset=utf-8".
std::string MediaType(std::string_view content_type);

// Case-insensitive ASCII equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Headers every response carries (CSP, nosniff, referrer policy, framing, COOP, permissions).
inline constexpr std::pair<std::string_view, std::string_view> kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
     "form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};

// Value of the Server header (deliberately without a version).
inline constexpr std::string_view kServerName = "khien";

}  // namespace khien::http
