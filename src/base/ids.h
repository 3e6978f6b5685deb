// Identifiers and secrets.
#pragma once

#include <cstdint>
#include <string>

namespace khien {

// A new time-ordered id: 26-character ULID (Crockford base32), lexicographically sortable by
// creation time, 80 random bits; within one process strictly increasing (the same millisecond
// gives the previous id + 1, as in the ULID spec's monotonic mode). Safe from many threads.
std::string NewId();

// `bytes` bytes from the OS CSPRNG (libsodium), hex-encoded.
std::string RandomHex(size_t bytes);

// Milliseconds since the Unix epoch, UTC.
int64_t NowMillis();

}  // namespace khien
