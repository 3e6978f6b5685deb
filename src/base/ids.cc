#include "base/ids.h"

#include <sodium.h>

#include <array>
#include <chrono>
#include <mutex>
#include <stdexcept>

namespace khien {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string NewId() {
  EnsureSodium();
  std::array<unsigned char, 16> raw{};
  {
    // Monotonic within the process: an id made in the same millisecond as the previous one (or
    // after the clock stepped back) is the previous one plus 1, so ids sort in creation order
    // (notes made a moment apart came back in random order before).
    static std::mutex mutex;
    static std::array<unsigned char, 16> last{};
    static uint64_t last_ms = 0;
    std::lock_guard lock(mutex);
    const auto now = static_cast<uint64_t>(NowMillis());
    bool fresh = now > last_ms;
    if (fresh) {
      last_ms = now;
    } else {
      raw = last;
      // 80-bit increment of the random part; on its (2^-80-unlikely) overflow, time moves on.
      int i = 15;
      while (i >= 6 && ++raw[static_cast<size_t>(i)] == 0) --i;
      if (i < 6) {
        ++last_ms;
        fresh = true;
      }
    }
    if (fresh) {
      uint64_t ms = last_ms;  // 48-bit big-endian timestamp, then 80 random bits
      for (int i = 5; i >= 0; --i) {
        raw[static_cast<size_t>(i)] = static_cast<unsigned char>(ms & 0xff);
        ms >>= 8;
      }
      randombytes_buf(raw.data() + 6, 10);
    }
    last = raw;
  }
  // 128 bits -> 26 base32 characters, most significant first.
  std::string out(26, '0');
  // Character i holds bits [i*5 - 2, i*5 + 3) of the 130-bit number (128 bits with two
  // leading zero bits), most significant first.
  for (size_t i = 0; i < 26; ++i) {
    unsigned int value = 0;
    for (size_t j = 0; j < 5; ++j) {
      const long bit = static_cast<long>(i * 5 + j) - 2;  // index into the 128 raw bits
      value <<= 1;
      if (bit >= 0) value |= (raw[static_cast<size_t>(bit) / 8] >> (7 - bit % 8)) & 1u;
    }
    out[i] = kCrockford[value];
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), bytes);
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), bytes);
  hex.pop_back();
  return hex;
}

}  // namespace khien
