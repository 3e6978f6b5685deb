// PostgresDatabase: the PostgreSQL backend of Database (see store/database.h), on libpq.
//
// A pool of up to max(2, Options.readers) connections, opened on demand and shared by
// Read() and Write(). Read() is `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY` (one
// snapshot for the whole callback); Write() is a READ COMMITTED transaction. Each connection
// runs `SET statement_timeout` after every (re)connect.
//
// Parameters are sent as text: int64 typed int8, double typed float8, strings untyped (the
// server infers the type from the context), NULL as NULL. Result cells are converted by
// column type: int2/int4/int8 and bool -> int64, float4/float8/numeric -> double,
// everything else -> text, NULL -> monostate.
//
// Failures: SQLSTATE class 23 (integrity) and 40 (serialization, deadlock) -> kConflict;
// a lost connection, a timeout or no server -> kUnavailable; the rest -> kInternal.
// A connection found broken is reset when next taken from the pool. A transaction whose
// BEGIN fails on a broken connection is retried once (the callback has not run yet) on a
// new connection: the idle ones are dropped first, since a server restart or a mass
// pg_terminate_backend kills them all. A failure after the callback started is returned
// (kUnavailable), never retried.
//
// Thread-safety: safe to use from many threads at once.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.h"

namespace khien::store {

class PgConnection;

class PostgresDatabase final : public Database {
 public:
  // Connects once to check the server (kUnavailable if it cannot).
  static Result<std::unique_ptr<PostgresDatabase>> Open(const std::string& url,
                                                        const Options& options);
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  Result<void> Read(const std::function<Result<void>(Connection&)>& fn) override;
  Result<void> Write(const std::function<Result<void>(Connection&)>& fn) override;
  Result<int> Migrate() override;
  Result<void> Ping() override;
  // Always kInvalidInput: back up PostgreSQL with pg_dump.
  Result<void> Backup(const std::string& path) override;

 private:
  PostgresDatabase(std::string url, Options options);

  // An idle healthy connection (a broken one is reset), a new one if the pool has room;
  // waits otherwise. kUnavailable if the server cannot be reached.
  Result<std::unique_ptr<PgConnection>> Acquire();
  void Release(std::unique_ptr<PgConnection> conn);  // null: the slot is freed
  void DropIdleConnections();
  Result<void> RunTransaction(const char* begin,
                              const std::function<Result<void>(Connection&)>& fn);

  const std::string url_;  // may hold a password: never logged
  const Options options_;
  const int pool_size_;

  std::mutex mu_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                                     // GUARDED_BY(mu_)
};

}  // namespace khien::store
