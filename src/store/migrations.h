// Schema migrations: numbered SQL scripts, append-only, applied once each, in order.
//
// Files live in src/store/migrations/ and are embedded in the binary at build time
// (embed_migrations.cmake writes migrations_embedded.cc):
//   NNNN_name.sql                                  one script for both dialects, or
//   NNNN_name.sqlite.sql + NNNN_name.postgres.sql  one script per dialect.
// A migration that has been released is never edited; fix it with a new one.
//
// Applied versions are recorded in
//   schema_migrations(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
// Each migration runs in its own write transaction together with its schema_migrations row,
// so a failing script leaves nothing behind. Concurrent appliers (threads or processes) are
// safe: PostgreSQL takes a transaction-scoped advisory lock, SQLite's single writer
// (BEGIN IMMEDIATE) serialises, and every transaction re-checks whether its version is
// already recorded.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace khien::store {

struct Migration {
  int version = 0;          // NNNN from the file name; unique, > 0
  std::string name;         // the part after NNNN_
  std::string sqlite_sql;   // script run on SQLite
  std::string postgres_sql; // script run on PostgreSQL

  const std::string& SqlFor(Dialect dialect) const {
    return dialect == Dialect::kSqlite ? sqlite_sql : postgres_sql;
  }
};

// The migrations compiled into this binary, sorted by version.
const std::vector<Migration>& EmbeddedMigrations();

// Applies the migrations of `migrations` not yet recorded in `db`, in version order (the
// list need not be sorted). Returns how many this call applied.
// Errors: kInvalidInput for duplicate or non-positive versions (nothing is applied); the
// error of the first failing script (earlier migrations stay applied).
Result<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations);

// Versions recorded in schema_migrations, ascending (empty if the table does not exist yet).
Result<std::vector<int>> AppliedMigrationVersions(Database& db);

}  // namespace khien::store
