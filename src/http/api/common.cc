#include "http/api/common.h"

#include <sodium.h>

#include <charconv>

#include "base/text.h"

namespace khien::http::api {
namespace {

bool IsWrite(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

ApiHandler Public(PublicHandler handler) {
  return [handler = std::move(handler)](const ApiRequest& request) -> ApiResponse {
    Result<ApiResponse> r = handler(request);
    return r.ok() ? std::move(r).value() : Problem(r.error(), request);
  };
}

ApiHandler SignedIn(auth::AuthService& auth, SignedInHandler handler) {
  return [&auth, handler = std::move(handler)](const ApiRequest& request) -> ApiResponse {
    if (!request.session_token) return Problem(Error::Unauthorized(), request);
    Result<auth::Authenticated> who = auth.Authenticate(*request.session_token);
    if (!who.ok()) return Problem(who.error(), request);
    if (request.token_from_cookie && IsWrite(request.method) &&
        !SameSecret(request.csrf_header, who->csrf_token)) {
      return Problem(Error{ErrorCode::kCsrf, "", "Yêu cầu thiếu mã chống giả mạo (CSRF). Hãy tải lại trang.",
                           "The request lacks a valid CSRF token. Reload the page."},
                     request);
    }
    if (who->principal.lang == request.lang) {
      Result<ApiResponse> r = handler(request, *who);
      return r.ok() ? std::move(r).value() : Problem(r.error(), request);
    }
    ApiRequest localised = request;
    localised.lang = who->principal.lang;
    Result<ApiResponse> r = handler(localised, *who);
    return r.ok() ? std::move(r).value() : Problem(r.error(), localised);
  };
}

Result<std::optional<int64_t>> QueryInt(const ApiRequest& request, std::string_view name, int64_t min,
                                        int64_t max) {
  std::optional<std::string> raw = request.Query(name);
  if (!raw) return std::optional<int64_t>{};
  int64_t value = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || end != raw->data() + raw->size() || value < min || value > max) {
    const std::string n(name);
    return Error::InvalidInput(n,
                               "Tham số '" + n + "' phải là số nguyên từ " + std::to_string(min) + " đến " +
                                   std::to_string(max) + ".",
                               "Parameter '" + n + "' must be an integer from " + std::to_string(min) +
                                   " to " + std::to_string(max) + ".");
  }
  return std::optional<int64_t>{value};
}

boost::json::object AncestorJson(const org::Ancestor& a) {
  return {{"code", a.code}, {"name", a.name}, {"level", org::LevelName(a.level)}};
}

boost::json::object OrgUnitJson(const org::OrgUnit& u) {
  boost::json::array ancestors;
  for (const org::Ancestor& a : u.ancestors) ancestors.push_back(AncestorJson(a));
  boost::json::object o{{"code", u.code},
                        {"name", u.name},
                        {"full_name", u.full_name},
                        {"name_en", u.name_en},
                        {"level", org::LevelName(u.level)},
                        {"ancestors", std::move(ancestors)},
                        {"children_count", u.children_count}};
  o["kind"] = u.kind ? boost::json::value(*u.kind) : boost::json::value(nullptr);
  o["parent"] = u.parent_code ? boost::json::value(*u.parent_code) : boost::json::value(nullptr);
  return o;
}

boost::json::object UserJson(const auth::User& u) {
  boost::json::array orgs;
  for (const org::Ancestor& a : u.org_units) orgs.push_back(AncestorJson(a));
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", access::RoleName(u.role)},
          {"org_units", std::move(orgs)},
          {"lang", u.lang},
          {"disabled", u.disabled},
          {"created_at", u.created_at}};
}

ApiResponse NoContent() {
  ApiResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace khien::http::api
