// AuditLog: the one append-only, hash-chained log of security events (logins, failures, role
// changes) and, later, every access to case data.
//
// Each entry's hash covers the previous entry's hash and all of its own fields, and the
// newest (seq, hash) is kept in `audit_head`, so `Verify` finds the first entry that was
// altered, removed or reordered — including a removed tail.
//
// Append runs inside the caller's write transaction, so an event commits if and only if the
// change it records commits. Details must never hold survivor identity, passwords or tokens.
//
// Thread-safety: stateless apart from the Database reference; safe from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace khien::audit {

struct Event {
  std::string actor_id;     // user id; empty for anonymous or system
  std::string action;       // "auth.login", "auth.login_failed", "user.role_changed", ...
  std::string target_type;  // "user", "case", "org_unit", ...
  std::string target_id;
  std::string org_code;     // where it happened, if anywhere
  std::string detail_json = "{}";
};

struct Entry {
  int64_t seq = 0;
  int64_t at = 0;
  Event event;
};

struct VerifyReport {
  bool intact = true;
  int64_t entries = 0;
  std::optional<int64_t> first_bad_seq;  // set when !intact
  std::string problem;                   // English description for the CLI
};

// Appends `event` using `connection` (an open write transaction).
Result<void> Append(store::Connection& connection, const Event& event);

// Walks the whole chain.
Result<VerifyReport> Verify(store::Database& db);

// Entries about one target, newest first.
Result<std::vector<Entry>> ForTarget(store::Connection& connection, const std::string& target_type,
                                     const std::string& target_id, int limit);

}  // namespace khien::audit
