#include "http/wire.h"

#include <charconv>
#include <string>
#include <string_view>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "base/ids.h"
#include "base/text.h"

namespace khien::http {
namespace {

constexpr std::string_view kWhitespace = " \t";

std::string_view Trim(std::string_view s) {
  const size_t begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  const size_t end = s.find_last_not_of(kWhitespace);
  return s.substr(begin, end - begin + 1);
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

// Calls f(piece) for each piece of `s` between separators.
template <class F>
void ForEachPiece(std::string_view s, char separator, F&& f) {
  while (true) {
    const size_t pos = s.find(separator);
    f(s.substr(0, pos));
    if (pos == std::string_view::npos) return;
    s.remove_prefix(pos + 1);
  }
}

Error BadTarget() {
  return Error::Malformed("Địa chỉ yêu cầu không hợp lệ.", "The request target is invalid.");
}

// Text decoded from the target must be safe to hand to handlers and file lookups.
bool IsSafeDecoded(std::string_view s) {
  return s.find('\0') == std::string_view::npos && s.find('\\') == std::string_view::npos &&
         text::IsValidUtf8(s);
}

std::optional<std::string> BearerToken(std::string_view authorization) {
  authorization = Trim(authorization);
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  const std::string_view token = Trim(authorization.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

}  // namespace

std::optional<std::string> ApiRequest::Query(std::string_view name) const {
  const auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string MediaType(std::string_view content_type) {
  return LowerAscii(Trim(content_type.substr(0, content_type.find(';'))));
}

std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name) {
  std::optional<std::string> found;
  ForEachPiece(cookie_header, ';', [&](std::string_view piece) {
    if (found) return;
    piece = Trim(piece);
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos || Trim(piece.substr(0, eq)) != name) return;
    std::string_view value = Trim(piece.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    found = std::string(value);
  });
  return found;
}

std::string ChooseLang(std::string_view cookie_header, std::string_view accept_language) {
  if (const auto cookie = CookieValue(cookie_header, "khien_lang")) {
    if (*cookie == "vi" || *cookie == "en") return *cookie;
  }
  std::string best = "vi";
  double best_q = 0.0;
  ForEachPiece(accept_language, ',', [&](std::string_view item) {
    const size_t semi = item.find(';');
    const std::string tag = LowerAscii(Trim(item.substr(0, semi)));
    const std::string primary = tag.substr(0, tag.find('-'));
    if (primary != "vi" && primary != "en") return;
    double q = 1.0;
    if (semi != std::string_view::npos) {
      ForEachPiece(item.substr(semi + 1), ';', [&](std::string_view param) {
        param = Trim(param);
        if (param.size() > 2 && LowerAscii(param[0]) == 'q' && param[1] == '=') {
          const std::string_view number = param.substr(2);
          double parsed = 0.0;
          const auto [ptr, ec] =
              std::from_chars(number.data(), number.data() + number.size(), parsed);
          q = (ec == std::errc() && ptr == number.data() + number.size()) ? parsed : 0.0;
        }
      });
    }
    // Strictly greater: on equal q the earlier tag wins.
    if (q > best_q) {
      best_q = q;
      best = primary;
    }
  });
  return best;
}

ApiRequest PrepareRequest(const WireHeaders& headers) {
  ApiRequest request;
  request.method = std::string(headers.method);
  request.lang = ChooseLang(headers.cookie, headers.accept_language);
  request.request_id =
      IsValidRequestId(headers.x_request_id) ? std::string(headers.x_request_id) : NewId();
  if (auto token = BearerToken(headers.authorization)) {
    request.session_token = std::move(token);
    request.token_from_cookie = false;
  } else if (auto cookie = CookieValue(headers.cookie, "khien_session");
             cookie && !cookie->empty()) {
    request.session_token = std::move(cookie);
    request.token_from_cookie = true;
  }
  request.csrf_header = std::string(Trim(headers.x_csrf_token));
  request.report_pin = std::string(Trim(headers.x_report_pin));
  request.content_type = MediaType(headers.content_type);
  request.user_agent = std::string(headers.user_agent);
  request.client_ip = std::string(headers.client_ip);
  return request;
}

Result<Target> ParseTarget(std::string_view raw) {
  const auto parsed = boost::urls::parse_origin_form(raw);
  if (!parsed) return BadTarget();
  const boost::urls::url_view url = *parsed;

  Target target;
  target.path = url.path();
  if (target.path.empty() || target.path.front() != '/' || !IsSafeDecoded(target.path)) {
    return BadTarget();
  }
  bool dot_segment = false;
  ForEachPiece(std::string_view(target.path).substr(1), '/', [&](std::string_view segment) {
    if (segment == "." || segment == "..") dot_segment = true;
  });
  if (dot_segment) return BadTarget();

  if (url.has_query()) {
    for (const auto& param : url.params(boost::urls::encoding_opts(/*space_as_plus=*/true))) {
      if (!IsSafeDecoded(param.key) || !IsSafeDecoded(param.value)) return BadTarget();
      target.query.emplace(param.key, param.value);
    }
  }
  return target;
}

}  // namespace khien::http
