#include "http/metrics.h"

#include <fmt/format.h>

namespace khien::http {
namespace {

std::string_view NormalMethod(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",     "HEAD",   "POST",  "PUT",
                                                "PATCH",   "DELETE", "OPTIONS"};
  for (const std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

// Label values are route patterns and method names, but escape anyway: the format breaks on
// a stray quote or newline.
std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Metrics::Observe(std::string_view route, std::string_view method, int status,
                      double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), std::string(NormalMethod(method)), status}];
  Histogram& histogram = durations_[std::string(route)];
  ++histogram.count;
  histogram.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.buckets[i];
      break;
    }
  }
}

std::string Metrics::Render(std::string_view version) const {
  std::string out;
  out += "# HELP khien_build_info Build information.\n# TYPE khien_build_info gauge\n";
  out += fmt::format("khien_build_info{{version=\"{}\"}} 1\n", EscapeLabel(version));
  out += "# HELP khien_http_in_flight_requests Requests being handled now.\n";
  out += "# TYPE khien_http_in_flight_requests gauge\n";
  out += fmt::format("khien_http_in_flight_requests {}\n", InFlight());

  std::lock_guard lock(mu_);
  out += "# HELP khien_http_requests_total Finished HTTP requests.\n";
  out += "# TYPE khien_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("khien_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       EscapeLabel(route), method, status, count);
  }
  out += "# HELP khien_http_request_duration_seconds Time from request header to response.\n";
  out += "# TYPE khien_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : durations_) {
    const std::string label = EscapeLabel(route);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out += fmt::format("khien_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         label, kBuckets[i], cumulative);
    }
    out += fmt::format("khien_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       label, histogram.count);
    out += fmt::format("khien_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                       histogram.sum);
    out += fmt::format("khien_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                       histogram.count);
  }
  return out;
}

}  // namespace khien::http
