#include "base/embedded.h"
#include "http/api/common.h"
#include "http/api/handlers.h"

namespace khien::http::api {
namespace embedded_openapi {
extern const EmbeddedFile kFiles[];
extern const size_t kFileCount;
}  // namespace embedded_openapi

std::string_view OpenApiDocument() { return embedded_openapi::kFiles[0].contents(); }

void AddOpenApiRoute(Router& router) {
  router.Add("GET", "/api/v1/openapi.json", [](const ApiRequest&) {
    ApiResponse r;
    r.body = std::string(OpenApiDocument());
    return r;
  });
}

void AddAllRoutes(Router& router, Services& services) {
  AddAuthRoutes(router, services);
  AddOrgRoutes(router, services);
  AddUserRoutes(router, services);
  AddReachRoutes(router, services);
  AddSafetyRoutes(router, services);
  AddCaseRoutes(router, services);
  AddOpenApiRoute(router);
}

}  // namespace khien::http::api
