// The JSON API: one Add*Routes function per domain registers thin handlers on the Router.
// A handler parses the request, calls one service function, maps the result and responds;
// permission and scope checks live in the services.
#pragma once

#include <functional>

#include "auth/service.h"
#include "cases/service.h"
#include "http/api.h"
#include "http/router.h"
#include "moderation/service.h"
#include "org/service.h"
#include "reach/service.h"
#include "safety/checker.h"

namespace khien::http::api {

struct Services {
  auth::AuthService& auth;
  org::OrgService& org;
  reach::ReachService& reach;
  const safety::Checker& checker;
  cases::CaseService& cases;
  moderation::ModerationService& moderation;
  bool secure_cookies = false;  // add `Secure` to cookies (behind TLS)
  int safety_checks_per_minute = 60;  // per client address, per process
};

void AddAuthRoutes(Router& router, Services& services);
void AddOrgRoutes(Router& router, Services& services);
void AddUserRoutes(Router& router, Services& services);
void AddReachRoutes(Router& router, Services& services);
void AddSafetyRoutes(Router& router, Services& services);
void AddCaseRoutes(Router& router, Services& services);
void AddOpenApiRoute(Router& router);

// Everything above.
void AddAllRoutes(Router& router, Services& services);

// The OpenAPI 3 document served at /api/v1/openapi.json.
std::string_view OpenApiDocument();

}  // namespace khien::http::api
