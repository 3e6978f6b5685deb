#include "http/router.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace khien::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const size_t pos = path.find('/');
    segments.push_back(path.substr(0, pos));
    if (pos == std::string_view::npos) return segments;
    path.remove_prefix(pos + 1);
  }
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::string_view ParamName(std::string_view segment) {
  return segment.substr(1, segment.size() - 2);
}

// Literal-first specificity: at the first segment where two candidates differ in kind, the
// literal one wins.
bool MoreSpecific(const Router::Route& a, const Router::Route& b) {
  for (size_t i = 0; i < a.segments.size(); ++i) {
    const bool a_param = IsParam(a.segments[i]);
    const bool b_param = IsParam(b.segments[i]);
    if (a_param != b_param) return !a_param;
  }
  return false;
}

bool Matches(const Router::Route& route, const std::vector<std::string_view>& segments) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (IsParam(route.segments[i])) {
      if (segments[i].empty()) return false;
    } else if (route.segments[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::Add(std::string_view method, std::string_view pattern, ApiHandler handler,
                 RouteOptions options) {
  if (method.empty() || !std::all_of(method.begin(), method.end(),
                                     [](char c) { return c >= 'A' && c <= 'Z'; })) {
    throw std::invalid_argument("Router::Add: method must be upper case: " + std::string(method));
  }
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("Router::Add: pattern must start with '/': " +
                                std::string(pattern));
  }
  if (!handler) throw std::invalid_argument("Router::Add: empty handler");
  Route route;
  route.method = std::string(method);
  route.pattern = std::string(pattern);
  route.handler = std::move(handler);
  route.options = options;
  std::set<std::string_view> names;
  for (const std::string_view segment : Split(pattern)) {
    if (IsParam(segment)) {
      const std::string_view name = ParamName(segment);
      if (name.empty() || name.find_first_of("{}") != std::string_view::npos ||
          !names.insert(name).second) {
        throw std::invalid_argument("Router::Add: bad parameter in " + std::string(pattern));
      }
    } else if (segment.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("Router::Add: bad segment in " + std::string(pattern));
    }
    route.segments.emplace_back(segment);
  }
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.segments.size() == route.segments.size()) {
      bool same_shape = true;
      for (size_t i = 0; i < route.segments.size() && same_shape; ++i) {
        same_shape = IsParam(existing.segments[i]) == IsParam(route.segments[i]) &&
                     (IsParam(route.segments[i]) || existing.segments[i] == route.segments[i]);
      }
      if (same_shape) {
        throw std::invalid_argument("Router::Add: duplicate route " + route.method + " " +
                                    route.pattern);
      }
    }
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  const std::vector<std::string_view> segments = Split(path);
  const Route* best = nullptr;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (!Matches(route, segments)) continue;
    if (route.method != method) {
      if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
        allowed.push_back(route.method);
      }
      continue;
    }
    if (best == nullptr || MoreSpecific(route, *best)) best = &route;
  }

  Match match;
  if (best != nullptr) {
    match.kind = Match::Kind::kFound;
    match.route = best;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (IsParam(best->segments[i])) {
        match.path_params.emplace(ParamName(best->segments[i]), segments[i]);
      }
    }
  } else if (!allowed.empty()) {
    match.kind = Match::Kind::kMethodNotAllowed;
    std::sort(allowed.begin(), allowed.end());
    for (const std::string& m : allowed) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += m;
    }
  }
  return match;
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.emplace_back(route.method, route.pattern);
  return out;
}

}  // namespace khien::http
