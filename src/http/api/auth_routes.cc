#include "base/json.h"
#include "http/api/common.h"
#include "http/api/handlers.h"

namespace khien::http::api {
namespace {

constexpr size_t kSmallBody = 16 * 1024;

std::string SessionCookie(const std::string& token, bool secure) {
  return "khien_session=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string ExpiredSessionCookie(bool secure) {
  return "khien_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + std::string(secure ? "; Secure" : "");
}

}  // namespace

void AddAuthRoutes(Router& router, Services& s) {
  router.Add("POST", "/api/v1/auth/login", Public([&s](const ApiRequest& req) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
    KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"username", "password"}));
    KHIEN_ASSIGN_OR_RETURN(std::string username, json::RequiredString(body, "username", 64));
    // Passwords are not cleaned: they are compared byte for byte.
    const boost::json::value* password = body.if_contains("password");
    if (!password || !password->is_string()) {
      return Error::InvalidInput("password", "Trường 'password' là bắt buộc.", "Field 'password' is required.");
    }
    KHIEN_ASSIGN_OR_RETURN(auth::Session session,
                           s.auth.Login({username, std::string(password->as_string()), req.client_ip}));
    ApiResponse r = Json(boost::json::object{{"token", session.token},
                                             {"csrf_token", session.csrf_token},
                                             {"user", UserJson(session.user)}});
    r.headers.emplace_back("Set-Cookie", SessionCookie(session.token, s.secure_cookies));
    r.headers.emplace_back("Set-Cookie", "khien_lang=" + session.user.lang + "; Path=/; SameSite=Strict" +
                                             (s.secure_cookies ? "; Secure" : ""));
    return r;
  }), {kSmallBody});

  router.Add("POST", "/api/v1/auth/logout",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated&) -> Result<ApiResponse> {
               KHIEN_RETURN_IF_ERROR(s.auth.Logout(*req.session_token));
               ApiResponse r = NoContent();
               r.headers.emplace_back("Set-Cookie", ExpiredSessionCookie(s.secure_cookies));
               return r;
             }), {kSmallBody});

  router.Add("GET", "/api/v1/auth/me",
             SignedIn(s.auth, [&s](const ApiRequest&, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(auth::User user, s.auth.Me(who.principal));
               return Json(boost::json::object{{"user", UserJson(user)}, {"csrf_token", who.csrf_token}});
             }));

  router.Add("PATCH", "/api/v1/auth/me",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"lang", "display_name"}));
               KHIEN_ASSIGN_OR_RETURN(auto lang, json::OptionalString(body, "lang", 2));
               KHIEN_ASSIGN_OR_RETURN(auto name, json::OptionalString(body, "display_name", 100));
               KHIEN_ASSIGN_OR_RETURN(auth::User user, s.auth.UpdateMe(who.principal, lang, name));
               ApiResponse r = Json(boost::json::object{{"user", UserJson(user)}});
               r.headers.emplace_back("Set-Cookie", "khien_lang=" + user.lang + "; Path=/; SameSite=Strict" +
                                                        (s.secure_cookies ? "; Secure" : ""));
               return r;
             }), {kSmallBody});

  router.Add("POST", "/api/v1/auth/password",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"current_password", "new_password"}));
               const boost::json::value* current = body.if_contains("current_password");
               const boost::json::value* next = body.if_contains("new_password");
               if (!current || !current->is_string() || !next || !next->is_string()) {
                 return Error::InvalidInput("new_password", "Cần mật khẩu hiện tại và mật khẩu mới.",
                                            "The current and the new password are required.");
               }
               KHIEN_RETURN_IF_ERROR(s.auth.ChangePassword(who.principal, std::string(current->as_string()),
                                                           std::string(next->as_string()), *req.session_token));
               return NoContent();
             }), {kSmallBody});
}

}  // namespace khien::http::api
