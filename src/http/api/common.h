// Pieces every handler shares: authentication with CSRF, result → response mapping, and the
// JSON shapes of records used by more than one route.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "auth/service.h"
#include "http/api.h"
#include "org/model.h"

namespace khien::http::api {

using PublicHandler = std::function<Result<ApiResponse>(const ApiRequest&)>;
using SignedInHandler = std::function<Result<ApiResponse>(const ApiRequest&, const auth::Authenticated&)>;

// A handler open to everyone; errors become problem+json.
ApiHandler Public(PublicHandler handler);

// A handler for signed-in callers: resolves the session (401 otherwise), requires the CSRF
// header on cookie-authenticated writes (403 csrf_failed), and localises errors in the
// caller's own language.
ApiHandler SignedIn(auth::AuthService& auth, SignedInHandler handler);

// Query parameter helpers with bilingual errors naming the parameter.
Result<std::optional<int64_t>> QueryInt(const ApiRequest& request, std::string_view name, int64_t min,
                                        int64_t max);

boost::json::object OrgUnitJson(const org::OrgUnit& unit);
boost::json::object AncestorJson(const org::Ancestor& ancestor);
boost::json::object UserJson(const auth::User& user);

ApiResponse NoContent();

}  // namespace khien::http::api
