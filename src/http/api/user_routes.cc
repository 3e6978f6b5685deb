#include "base/json.h"
#include "http/api/common.h"
#include "http/api/handlers.h"

namespace khien::http::api {

void AddUserRoutes(Router& router, Services& s) {
  router.Add("GET", "/api/v1/users",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(std::vector<auth::User> users,
                                      s.auth.ListUsers(who.principal, req.Query("q").value_or("")));
               boost::json::array items;
               for (const auth::User& u : users) items.push_back(UserJson(u));
               return Json(boost::json::object{{"items", std::move(items)}});
             }));

  router.Add("POST", "/api/v1/users",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(
                   body, {"username", "display_name", "password", "role", "org_units"}));
               auth::NewUser input;
               KHIEN_ASSIGN_OR_RETURN(input.username, json::RequiredString(body, "username", 32));
               KHIEN_ASSIGN_OR_RETURN(input.display_name, json::RequiredString(body, "display_name", 100));
               const boost::json::value* password = body.if_contains("password");
               if (!password || !password->is_string()) {
                 return Error::InvalidInput("password", "Trường 'password' là bắt buộc.",
                                            "Field 'password' is required.");
               }
               input.password = std::string(password->as_string());
               KHIEN_ASSIGN_OR_RETURN(input.role, json::RequiredString(body, "role", 40));
               KHIEN_ASSIGN_OR_RETURN(input.org_codes, json::StringArray(body, "org_units", 20, 40));
               KHIEN_ASSIGN_OR_RETURN(auth::User user, s.auth.CreateUser(who.principal, std::move(input)));
               return Json(UserJson(user), 201);
             }), {16 * 1024});

  router.Add("PATCH", "/api/v1/users/{id}",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(
                   body, {"display_name", "role", "org_units", "disabled", "password"}));
               auth::UserPatch patch;
               KHIEN_ASSIGN_OR_RETURN(patch.display_name, json::OptionalString(body, "display_name", 100));
               KHIEN_ASSIGN_OR_RETURN(patch.role, json::OptionalString(body, "role", 40));
               if (body.contains("org_units")) {
                 KHIEN_ASSIGN_OR_RETURN(patch.org_codes, json::StringArray(body, "org_units", 20, 40));
               }
               if (body.contains("disabled")) {
                 KHIEN_ASSIGN_OR_RETURN(bool disabled, json::OptionalBool(body, "disabled", false));
                 patch.disabled = disabled;
               }
               if (const boost::json::value* password = body.if_contains("password")) {
                 if (!password->is_string()) {
                   return Error::InvalidInput("password", "Mật khẩu phải là chuỗi ký tự.", "password must be a string.");
                 }
                 patch.password = std::string(password->as_string());
               }
               KHIEN_ASSIGN_OR_RETURN(auth::User user,
                                      s.auth.UpdateUser(who.principal, req.path_params.at("id"), std::move(patch)));
               return Json(UserJson(user));
             }), {16 * 1024});
}

}  // namespace khien::http::api
