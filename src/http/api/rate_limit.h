// RateLimiter: a per-key fixed-window counter for anonymous endpoints (message checks, public
// reports). Keys are client addresses held in memory only — never stored or logged.
//
// It is per process: behind a load balancer each instance allows `limit` per window. Login
// throttling, which is a security boundary, lives in the database instead (src/auth).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace khien::http::api {

class RateLimiter {
 public:
  RateLimiter(int limit, std::chrono::seconds window, size_t max_keys = 100000)
      : limit_(limit), window_(window), max_keys_(max_keys) {}

  // True if `key` may make one more request now (and counts it).
  bool Allow(const std::string& key);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int count = 0;
  };
  const int limit_;
  const std::chrono::seconds window_;
  const size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;  // GUARDED_BY(mutex_)
};

}  // namespace khien::http::api
