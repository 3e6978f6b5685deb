#include "base/json.h"
#include "http/api/common.h"
#include "http/api/handlers.h"

namespace khien::http::api {
namespace {

Result<org::SearchQuery> SearchQueryFrom(const ApiRequest& req) {
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
  return query;
}

// Each unit's JSON is rendered once per tree version; the answer is their concatenation.
ApiResponse ItemsResponse(const org::OrgService::Rendered& found) {
  ApiResponse response;
  response.body = R"({"items":[)";
  for (size_t i = 0; i < found.items.size(); ++i) {
    if (i > 0) response.body += ',';
    response.body += found.items[i];
  }
  response.body += "]}";
  return response;
}

}  // namespace

void AddOrgRoutes(Router& router, Services& s) {
  // The tree is public data: the anonymous report form needs it. The busiest public read, so
  // it is answered on the io thread when the tree in memory is fresh (see RouteOptions).
  router.Add("GET", "/api/v1/org-units", Public([&s](const ApiRequest& req) -> Result<ApiResponse> {
               KHIEN_ASSIGN_OR_RETURN(org::SearchQuery query, SearchQueryFrom(req));
               KHIEN_ASSIGN_OR_RETURN(org::OrgService::Rendered found,
                                      s.org.SearchRendered(std::move(query), [](const org::OrgUnit& u) {
                                        return boost::json::serialize(OrgUnitJson(u));
                                      }));
               return ItemsResponse(found);
             }),
             {.try_inline = [&s](const ApiRequest& req) -> std::optional<ApiResponse> {
               Result<org::SearchQuery> query = SearchQueryFrom(req);
               if (!query.ok()) return Problem(query.error(), req);
               std::optional<Result<org::OrgService::Rendered>> found = s.org.TrySearchRendered(std::move(*query));
               if (!found) return std::nullopt;
               if (!found->ok()) return Problem(found->error(), req);
               return ItemsResponse(**found);
             }});

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
