// The route table: (method, pattern) -> handler. Patterns are literal segments and "{name}"
// segments, e.g. "/api/v1/org-units/{code}" or "/api/v1/referrals/{id}/accept".
//
// Matching is on the percent-decoded path, segment by segment; a "{name}" segment matches
// one non-empty segment and fills path_params[name]. When several patterns match, the one
// with a literal at the first segment where they differ wins ("/x/export" beats "/x/{id}").
//
// Thread-safety: Add() is for start-up; after the server starts, the router is only read and
// Match()/Routes() are safe from many threads.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/api.h"

namespace khien::http {

// Tried on the io thread before `handler` is sent to the worker pool. It must never block
// (no database, no waiting): it answers from memory or returns nullopt, and then the route's
// handler runs on the workers as usual. Saves the thread hand-off on the hottest public reads.
using InlineHandler = std::function<std::optional<ApiResponse>(const ApiRequest&)>;

struct RouteOptions {
  size_t body_limit = 0;  // largest accepted request body in bytes; 0 = the server default
  InlineHandler try_inline;  // optional
};

class Router {
 public:
  struct Route {
    std::string method;   // upper case: "GET", "POST", ...
    std::string pattern;  // as given to Add()
    ApiHandler handler;
    RouteOptions options;
    std::vector<std::string> segments;  // pattern split on '/'; "{name}" kept as is
  };

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;                   // kFound: owned by the router
    std::map<std::string, std::string> path_params;  // kFound
    std::string allow;                              // kMethodNotAllowed: "GET, POST"
  };

  // REQUIRES: `method` is an HTTP method name; `pattern` starts with '/' and each "{...}"
  // segment has a non-empty, unique name; (method, pattern) not added before. Violations are
  // programming errors and throw std::invalid_argument at start-up.
  void Add(std::string_view method, std::string_view pattern, ApiHandler handler,
           RouteOptions options = {});

  // The route for `method` and the decoded `path` (no query).
  Match Find(std::string_view method, std::string_view path) const;

  // Every (method, pattern) in the order added, for the OpenAPI comparison test.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  std::vector<Route> routes_;
};

}  // namespace khien::http
