// SQL for accounts, sessions and login failures.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "base/result.h"
#include "store/database.h"

namespace khien::auth::repository {

struct UserRecord {
  User user;
  std::string password_hash;
};

struct SessionRecord {
  std::string user_id;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;
};

// Error kNotFound when absent.
Result<UserRecord> FindUserById(store::Connection& c, const std::string& id);
Result<UserRecord> FindUserByUsername(store::Connection& c, const std::string& username);

// Org unit codes with their materialised paths, bound to the user.
Result<std::vector<std::pair<std::string, std::string>>> UserOrgPaths(store::Connection& c,
                                                                      const std::string& user_id);

Result<void> InsertUser(store::Connection& c, const User& user, const std::string& password_hash);
Result<void> ReplaceOrgUnits(store::Connection& c, const std::string& user_id,
                             const std::vector<std::string>& codes);
Result<void> UpdateUser(store::Connection& c, const User& user);
Result<void> UpdatePasswordHash(store::Connection& c, const std::string& user_id,
                                const std::string& password_hash);

// Users bound to at least one org unit under one of `scope_paths`; `folded_query` matches the
// username or the folded display name. Sorted by display name.
Result<std::vector<User>> ListUsers(store::Connection& c, const std::vector<std::string>& scope_paths,
                                    const std::string& folded_query, int limit);

Result<void> InsertSession(store::Connection& c, const std::string& token_hash,
                           const SessionRecord& session);
Result<SessionRecord> FindSession(store::Connection& c, const std::string& token_hash);
Result<void> TouchSession(store::Connection& c, const std::string& token_hash, int64_t now,
                          int64_t expires_at);
Result<void> DeleteSession(store::Connection& c, const std::string& token_hash);
// Deletes the user's sessions except the one with `keep_hash` (may be empty).
Result<void> DeleteUserSessions(store::Connection& c, const std::string& user_id,
                                const std::string& keep_hash);

Result<int64_t> CountFailures(store::Connection& c, const std::string& key, int64_t since);
Result<std::optional<int64_t>> OldestFailure(store::Connection& c, const std::string& key, int64_t since);
Result<void> AddFailure(store::Connection& c, const std::string& key, int64_t at);
Result<void> ClearFailures(store::Connection& c, const std::string& key);
Result<void> PruneFailures(store::Connection& c, int64_t before);

}  // namespace khien::auth::repository
