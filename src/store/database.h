// Database: the one storage interface of Khiên, with an embedded SQLite backend (the
// default) and a PostgreSQL backend. Repositories (src/<domain>/repository.cc) are the
// only code that includes this header and writes SQL.
//
// SQL is written once in the dialect both engines accept: `$1`, `$2`, ... placeholders,
// RETURNING, ON CONFLICT, CTEs. Where the dialects differ, branch on dialect().
// Integers are 64-bit; booleans are stored as 0/1 integers; times as INTEGER Unix
// milliseconds (UTC); ids as text.
//
// Thread-safety: a Database is safe to use from many threads at once. A Connection is
// handed to exactly one callback at a time and must not escape it.
// Every call blocks: never call it on an io thread (src/http runs handlers on a pool).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace khien::store {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a result cell. NULL is std::monostate.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// One result row; cells are addressed by column index in SELECT order.
class Row {
 public:
  explicit Row(const std::vector<Value>* cells) : cells_(cells) {}
  bool IsNull(size_t i) const;
  int64_t Int(size_t i) const;              // NULL -> 0; text is parsed
  double Real(size_t i) const;              // NULL -> 0
  std::string Text(size_t i) const;         // NULL -> ""; numbers are formatted
  std::optional<std::string> OptText(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;
  size_t size() const { return cells_->size(); }

 private:
  const std::vector<Value>* cells_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> cells;

  size_t size() const { return cells.size(); }
  bool empty() const { return cells.empty(); }
  Row operator[](size_t i) const { return Row(&cells[i]); }
};

using Params = std::vector<Value>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // Runs one statement and returns every row it produced.
  // Constraint violations come back as ErrorCode::kConflict; other failures as kInternal
  // (the SQL text is logged, parameter values never are).
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;

  // Runs one statement; returns the number of rows changed.
  virtual Result<int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;

  // Runs a script of several statements without parameters (migrations, bulk DDL).
  virtual Result<void> ExecuteScript(std::string_view sql) = 0;

  // Fast bulk insert of many rows into `table` (SQLite: one prepared statement reused;
  // PostgreSQL: COPY). Used by demo generators and imports.
  virtual Result<void> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                                  const std::vector<std::vector<Value>>& rows) = 0;
};

struct Options {
  int readers = 4;                   // pooled read connections (SQLite) / pool size (PostgreSQL)
  int busy_timeout_ms = 5000;        // SQLite busy timeout
  int statement_timeout_ms = 10000;  // PostgreSQL statement_timeout
};

class Database {
 public:
  virtual ~Database() = default;

  // Opens "sqlite:path/to/file.db" (parent folder created if missing), "sqlite::memory:",
  // or "postgresql://user:pass@host:port/db" (also "postgres://"). Does not migrate.
  // Errors: kInvalidInput for an unknown scheme; kUnavailable when the server is down.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, const Options& options = {});

  virtual Dialect dialect() const = 0;

  // Runs `fn` in a read-only transaction on a pooled connection (a consistent snapshot).
  virtual Result<void> Read(const std::function<Result<void>(Connection&)>& fn) = 0;

  // Runs `fn` in a read-write transaction: commit if `fn` returns ok, roll back otherwise.
  // SQLite has exactly one writer connection; writers queue for it.
  // PostgreSQL transactions retry once on a lost connection before `fn` has run.
  virtual Result<void> Write(const std::function<Result<void>(Connection&)>& fn) = 0;

  // Applies the embedded migrations not yet applied, in order, each in its own transaction.
  // Returns how many were applied. Safe to call concurrently from several processes.
  virtual Result<int> Migrate() = 0;

  // Cheap liveness check for /readyz.
  virtual Result<void> Ping() = 0;

  // Copies a consistent snapshot to `path` (SQLite online backup API).
  // PostgreSQL: kInvalidInput ("use pg_dump").
  virtual Result<void> Backup(const std::string& path) = 0;
};

// Convenience: run a read and return a value.
template <class T, class F>
Result<T> ReadValue(Database& db, F&& fn) {
  std::optional<Result<T>> out;
  Result<void> r = db.Read([&](Connection& c) -> Result<void> {
    out.emplace(fn(c));
    if (!out->ok()) return out->error();
    return {};
  });
  if (!r.ok()) return r.take_error();
  return std::move(*out);
}

template <class T, class F>
Result<T> WriteValue(Database& db, F&& fn) {
  std::optional<Result<T>> out;
  Result<void> r = db.Write([&](Connection& c) -> Result<void> {
    out.emplace(fn(c));
    if (!out->ok()) return out->error();
    return {};
  });
  if (!r.ok()) return r.take_error();
  return std::move(*out);
}

}  // namespace khien::store
