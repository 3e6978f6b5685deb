#include "base/json.h"
#include "http/api/common.h"
#include "http/api/handlers.h"

namespace khien::http::api {

void AddOrgRoutes(Router& router, Services& s) {
  // The tree is public data: the anonymous report form needs it.
  router.Add("GET", "/api/v1/org-units", Public([&s](const ApiRequest& req) -> Result<ApiResponse> {
    org::SearchQuery query;
    query.text = req.Query("q").value_or("");
    query.parent = req.Query("parent");
    query.within = req.Query("within");
    if (auto level = req.Query("level")) {
      query.level = org::ParseLevel(*level);
      if (!query.level) {
        return Error::InvalidInput("level", "Cấp không hợp lệ (province, commune, village, point).",
                                   "Unknown level (province, commune, village, point).");
      }
    }
    KHIEN_ASSIGN_OR_RETURN(auto limit, QueryInt(req, "limit", 1, 200));
    query.limit = static_cast<int>(limit.value_or(50));
    // Each unit's JSON is rendered once per tree version; the answer is their concatenation.
    KHIEN_ASSIGN_OR_RETURN(org::OrgService::Rendered found,
                           s.org.SearchRendered(std::move(query), [](const org::OrgUnit& u) {
                             return boost::json::serialize(OrgUnitJson(u));
                           }));
    ApiResponse response;
    response.body = R"({"items":[)";
    for (size_t i = 0; i < found.items.size(); ++i) {
      if (i > 0) response.body += ',';
      response.body += found.items[i];
    }
    response.body += "]}";
    return response;
  }));

  router.Add("GET", "/api/v1/org-units/{code}", Public([&s](const ApiRequest& req) -> Result<ApiResponse> {
    KHIEN_ASSIGN_OR_RETURN(org::OrgUnit unit, s.org.Get(req.path_params.at("code")));
    return Json(OrgUnitJson(unit));
  }));

  router.Add("POST", "/api/v1/org-units",
             SignedIn(s.auth, [&s](const ApiRequest& req, const auth::Authenticated& who) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(boost::json::object body, ParseJsonObject(req));
               KHIEN_RETURN_IF_ERROR(json::RejectUnknownFields(body, {"parent", "level", "name", "kind"}));
               org::NewOrgUnit input;
               KHIEN_ASSIGN_OR_RETURN(input.parent, json::RequiredString(body, "parent", 40));
               KHIEN_ASSIGN_OR_RETURN(std::string level, json::RequiredString(body, "level", 20));
               auto parsed = org::ParseLevel(level);
               if (!parsed) {
                 return Error::InvalidInput("level", "Cấp phải là village hoặc point.",
                                            "level must be village or point.");
               }
               input.level = *parsed;
               KHIEN_ASSIGN_OR_RETURN(input.name, json::RequiredString(body, "name", 100));
               KHIEN_ASSIGN_OR_RETURN(input.kind, json::OptionalString(body, "kind", 40));
               KHIEN_ASSIGN_OR_RETURN(org::OrgUnit unit, s.org.Create(who.principal, std::move(input)));
               return Json(OrgUnitJson(unit), 201);
             }), {16 * 1024});
}

}  // namespace khien::http::api
