#include "store/migrations.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "base/ids.h"

namespace khien::store {
namespace {

// pg_advisory_xact_lock key shared by every Khiên process migrating one database
// ("Khien" in ASCII).
constexpr int64_t kMigrationLockKey = 0x4B6869656E;

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

Result<void> LockIfPostgres(Connection& c) {
  if (c.dialect() != Dialect::kPostgres) return {};  // SQLite: BEGIN IMMEDIATE serialises
  KHIEN_ASSIGN_OR_RETURN(Rows ignored, c.Query("SELECT pg_advisory_xact_lock($1)",
                                               {Value{kMigrationLockKey}}));
  (void)ignored;
  return {};
}

Result<void> ValidateList(const std::vector<Migration>& migrations) {
  std::set<int> seen;
  for (const Migration& m : migrations) {
    if (m.version <= 0 || !seen.insert(m.version).second) {
      return Error::InvalidInput(
          "", "Danh sách migration không hợp lệ: số phiên bản " + std::to_string(m.version) +
                  " bị trùng hoặc không dương.",
          "Invalid migration list: version " + std::to_string(m.version) +
              " is repeated or not positive.");
    }
  }
  return {};
}

}  // namespace

Result<std::vector<int>> AppliedMigrationVersions(Database& db) {
  return ReadValue<std::vector<int>>(db, [](Connection& c) -> Result<std::vector<int>> {
    const char* exists_sql =
        c.dialect() == Dialect::kSqlite
            ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            : "SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL";
    KHIEN_ASSIGN_OR_RETURN(Rows exists, c.Query(exists_sql));
    std::vector<int> versions;
    if (exists.empty()) return versions;
    KHIEN_ASSIGN_OR_RETURN(Rows rows,
                           c.Query("SELECT version FROM schema_migrations ORDER BY version"));
    versions.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) versions.push_back(static_cast<int>(rows[i].Int(0)));
    return versions;
  });
}

Result<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations) {
  KHIEN_RETURN_IF_ERROR(ValidateList(migrations));
  std::vector<const Migration*> ordered;
  for (const Migration& m : migrations) ordered.push_back(&m);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  KHIEN_ASSIGN_OR_RETURN(std::vector<int> applied_list, AppliedMigrationVersions(db));
  const std::set<int> applied(applied_list.begin(), applied_list.end());
  if (std::all_of(ordered.begin(), ordered.end(),
                  [&](const Migration* m) { return applied.count(m->version) > 0; })) {
    return 0;  // the common case at every start: no write transaction at all
  }

  KHIEN_RETURN_IF_ERROR(db.Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(LockIfPostgres(c));
    return c.ExecuteScript(kCreateTable);
  }));

  int count = 0;
  for (const Migration* m : ordered) {
    if (applied.count(m->version) > 0) continue;
    bool ran = false;
    Result<void> r = db.Write([&](Connection& c) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(LockIfPostgres(c));
      // Another process may have applied it since the snapshot above.
      KHIEN_ASSIGN_OR_RETURN(Rows done, c.Query("SELECT 1 FROM schema_migrations WHERE version = $1",
                                                {Value{int64_t{m->version}}}));
      if (!done.empty()) return {};
      KHIEN_RETURN_IF_ERROR(c.ExecuteScript(m->SqlFor(c.dialect())));
      KHIEN_RETURN_IF_ERROR(c.Execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
          {Value{int64_t{m->version}}, Value{m->name}, Value{NowMillis()}}));
      ran = true;
      return {};
    });
    if (!r.ok()) {
      Error e = r.take_error();
      spdlog::error("migration {:04d}_{} failed: {}", m->version, m->name, e.message_en);
      e.message_en = "Migration " + std::to_string(m->version) + "_" + m->name +
                     " failed: " + e.message_en;
      e.message_vi = "Cập nhật lược đồ CSDL " + std::to_string(m->version) + "_" + m->name +
                     " thất bại: " + e.message_vi;
      return e;
    }
    if (ran) {
      ++count;
      spdlog::info("migration {:04d}_{} applied", m->version, m->name);
    }
  }
  return count;
}

}  // namespace khien::store
