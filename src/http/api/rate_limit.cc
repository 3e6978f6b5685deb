#include "http/api/rate_limit.h"

namespace khien::http::api {

bool RateLimiter::Allow(const std::string& key) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (windows_.size() >= max_keys_) {
    // Forget expired windows; if all are live, start over rather than grow without bound.
    std::erase_if(windows_, [&](const auto& kv) { return now - kv.second.start >= window_; });
    if (windows_.size() >= max_keys_) windows_.clear();
  }
  Window& w = windows_[key];
  if (w.count == 0 || now - w.start >= window_) {
    w.start = now;
    w.count = 0;
  }
  if (w.count >= limit_) return false;
  ++w.count;
  return true;
}

}  // namespace khien::http::api
