// AuthService: sign-in, sessions, throttling, and account administration.
//
// Sessions and login failures live in the database, so several `khien serve` processes on one
// PostgreSQL agree on who is signed in and who is throttled. Every security event (sign-in,
// failure, lockout, role or scope change, password change) is appended to the audit chain in
// the same transaction as the change.
//
// Thread-safety: safe from many threads. Blocking (database, Argon2id).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/access.h"
#include "auth/model.h"
#include "base/result.h"
#include "store/database.h"

namespace khien::auth {

struct AuthOptions {
  int max_failures_per_user = 5;     // then the username is locked (423) for `failure_window`
  int max_failures_per_address = 20; // then the address is throttled (429) for `failure_window`
  int64_t failure_window_ms = 15 * 60 * 1000;
  int64_t session_idle_ms = 12 * 3600 * 1000;      // sliding expiry
  int64_t session_absolute_ms = 7 * 24 * 3600 * 1000;
  // Argon2id cost (libsodium "interactive": 2 passes, 64 MiB). Tests may lower it.
  unsigned long long pwhash_ops = 2;
  size_t pwhash_mem = 64 * 1024 * 1024;
};

// The caller used by the CLI (someone with shell access to the database): covers everything.
access::Principal SystemPrincipal();

class AuthService {
 public:
  AuthService(store::Database& db, AuthOptions options = {});

  // Errors: kUnauthorized (unknown user, wrong password, disabled — all alike),
  // kLocked (too many failures for this username), kTooManyRequests (this address).
  Result<Session> Login(const LoginRequest& request);

  // Ends the session; unknown tokens are ignored.
  Result<void> Logout(const std::string& token);

  // Error kUnauthorized when the token is unknown, expired, or its user disabled.
  Result<Authenticated> Authenticate(const std::string& token);

  Result<User> Me(const access::Principal& caller);
  Result<User> UpdateMe(const access::Principal& caller, std::optional<std::string> lang,
                        std::optional<std::string> display_name);
  // Error kUnauthorized for a wrong current password; ends her other sessions.
  Result<void> ChangePassword(const access::Principal& caller, const std::string& current,
                              const std::string& replacement, const std::string& keep_token);

  // Accounts bound to org units within the caller's scope. Requires kViewUsers.
  Result<std::vector<User>> ListUsers(const access::Principal& caller, const std::string& query);
  // Requires kManageUsers and every org unit inside the caller's scope; only an admin may grant
  // the admin role. Errors: kConflict (username taken), kInvalidInput, kForbidden.
  Result<User> CreateUser(const access::Principal& caller, NewUser input);
  // Same rules; an unknown id or one outside the caller's scope is kNotFound.
  Result<User> UpdateUser(const access::Principal& caller, const std::string& id, UserPatch patch);
  Result<User> FindByUsername(const access::Principal& caller, const std::string& username);

  // Argon2id, exposed for the demo loader and tests.
  Result<std::string> HashPassword(const std::string& password) const;

 private:
  store::Database& db_;
  AuthOptions options_;
};

}  // namespace khien::auth
