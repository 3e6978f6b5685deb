// Request metrics in the Prometheus text format (version 0.0.4):
//   khien_http_requests_total{route,method,status}       counter
//   khien_http_request_duration_seconds{route}           histogram
//   khien_http_in_flight_requests                        gauge
//   khien_build_info{version}                            gauge, always 1
// Labels use the route PATTERN ("/api/v1/referrals/{id}"), never the raw path, so that ids
// and search terms never reach the metrics and the number of series stays bounded.
//
// Thread-safety: all methods are safe to call from many threads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace khien::http {

class Metrics {
 public:
  // Upper bounds of the duration buckets, in seconds (+Inf is implicit).
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1.0,  2.5,   5.0,  10.0};

  // Records one finished request. `method` outside the standard set is counted as "OTHER".
  void Observe(std::string_view route, std::string_view method, int status, double seconds);

  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void RequestFinished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t InFlight() const { return in_flight_.load(std::memory_order_relaxed); }

  // The whole exposition, `version` going into khien_build_info.
  std::string Render(std::string_view version) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts
    uint64_t count = 0;
    double sum = 0.0;
  };

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // GUARDED_BY(mu_)
  std::map<std::string, Histogram> durations_;                             // GUARDED_BY(mu_)
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace khien::http
