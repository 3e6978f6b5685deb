// SqliteDatabase: the embedded backend of Database (see store/database.h for the contract).
//
// One writer connection, guarded by a mutex: Write() holds it for the whole transaction
// (BEGIN IMMEDIATE), so writers in this process queue instead of failing with SQLITE_BUSY
// (a Write() nested in a Write() callback on the same thread returns kInternal);
// writers in other processes wait up to Options.busy_timeout_ms and then get kUnavailable.
// Up to Options.readers reader connections (opened on demand, `query_only`), each Read()
// a deferred transaction, i.e. a consistent WAL snapshot taken at its first statement.
// File databases use WAL, synchronous=FULL, foreign_keys=ON.
//
// ":memory:" opens a private in-memory database that the writer and the readers share
// (SQLite's memdb VFS, a fresh random name per Open). It has no WAL: a commit waits until
// the open read transactions end, so a Write nested inside a Read deadlocks until the busy
// timeout. It exists for tests and demos.
//
// Every connection caches its prepared statements by SQL text.
// Thread-safety: safe to use from many threads at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"

namespace khien::store {

class SqliteConnection;

class SqliteDatabase final : public Database {
 public:
  // `path` is a file path (parent folders are created) or ":memory:".
  // Errors: kUnavailable when the file cannot be opened or set up.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                      const Options& options);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<void> Read(const std::function<Result<void>(Connection&)>& fn) override;
  Result<void> Write(const std::function<Result<void>(Connection&)>& fn) override;
  Result<int> Migrate() override;
  Result<void> Ping() override;
  // Online backup API into "<path>.tmp-<random>", then renamed to `path`.
  Result<void> Backup(const std::string& path) override;

 private:
  SqliteDatabase(std::string open_name, bool memory, Options options);

  // Takes an idle reader, opening one if fewer than options_.readers exist; waits otherwise.
  Result<std::unique_ptr<SqliteConnection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<SqliteConnection> reader);

  const std::string open_name_;  // file path, or the memdb URI
  const bool memory_;
  const Options options_;

  std::mutex writer_mu_;
  std::unique_ptr<SqliteConnection> writer_;  // GUARDED_BY(writer_mu_); never null after Open
  std::atomic<std::thread::id> writer_thread_;  // the thread inside Write(), to refuse nesting

  std::mutex readers_mu_;
  std::condition_variable reader_released_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // GUARDED_BY(readers_mu_)
  int open_readers_ = 0;                                         // GUARDED_BY(readers_mu_)
};

}  // namespace khien::store
