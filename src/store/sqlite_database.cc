#include "store/sqlite_database.h"

#include <sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include "base/ids.h"
#include "base/text.h"
#include "store/migrations.h"
#include "store/sql_text.h"

namespace khien::store {
namespace {

// Bounds memory when callers build SQL dynamically; hot paths use far fewer statements.
constexpr size_t kMaxCachedStatements = 256;

Options WithAtLeastOneReader(Options options) {
  options.readers = std::max(options.readers, 1);
  return options;
}

// khien_fold(text): text::Fold inside SQL, e.g. to backfill a *_fold column on SQLite.
// PostgreSQL has no such function: shared SQL must not use it.
void FoldFunction(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* data = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const std::string_view input(data, static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  if (!text::IsValidUtf8(input)) {
    sqlite3_result_error(ctx, "khien_fold: invalid UTF-8", -1);
    return;
  }
  const std::string folded = text::Fold(input);
  sqlite3_result_text64(ctx, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ';';
  });
}

}  // namespace

// One sqlite3 handle and its statement cache. Used by one thread at a time (the pool hands
// it out), hence SQLITE_OPEN_NOMUTEX.
class SqliteConnection final : public Connection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& name, bool uri,
                                                        bool reader, bool wal,
                                                        const Options& options) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (uri) flags |= SQLITE_OPEN_URI;
    const int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
    auto conn = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
    if (rc != SQLITE_OK) {
      spdlog::error("sqlite: cannot open database: {}", db ? sqlite3_errmsg(db) : "out of memory");
      return internal::UnavailableError("cannot open the SQLite database file");
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    sqlite3_create_function_v2(db, "khien_fold", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               FoldFunction, nullptr, nullptr, nullptr);
    // The busy timeout comes first: switching to WAL needs a lock another process may hold.
    std::string setup = "PRAGMA foreign_keys=ON;";
    if (reader) {
      setup += "PRAGMA query_only=1;";
    } else {
      if (wal) setup += "PRAGMA journal_mode=WAL;";
      setup += "PRAGMA synchronous=FULL;";
    }
    if (Result<void> r = conn->ExecuteScript(setup); !r.ok()) {
      return internal::UnavailableError("cannot configure the SQLite connection");
    }
    return conn;
  }

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() { return db_; }
  bool InTransaction() { return sqlite3_get_autocommit(db_) == 0; }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    KHIEN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    StatementReset reset{stmt};
    KHIEN_RETURN_IF_ERROR(Bind(stmt, sql, params));
    Rows rows;
    const int ncols = sqlite3_column_count(stmt);
    rows.columns.reserve(static_cast<size_t>(ncols));
    for (int i = 0; i < ncols; ++i) rows.columns.emplace_back(sqlite3_column_name(stmt, i));
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return MapError(rc, sql);
      std::vector<Value>& row = rows.cells.emplace_back();
      row.reserve(static_cast<size_t>(ncols));
      for (int i = 0; i < ncols; ++i) row.push_back(ColumnValue(stmt, i));
    }
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    KHIEN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    StatementReset reset{stmt};
    KHIEN_RETURN_IF_ERROR(Bind(stmt, sql, params));
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return MapError(rc, sql);
    }
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Result<void> ExecuteScript(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return MapError(rc, sql);
    return {};
  }

  Result<void> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                          const std::vector<std::vector<Value>>& rows) override {
    KHIEN_ASSIGN_OR_RETURN(std::string quoted_table, internal::QuoteIdentifier(table));
    KHIEN_ASSIGN_OR_RETURN(std::string quoted_columns, internal::QuoteIdentifierList(columns));
    if (columns.empty()) {
      return internal::BadParameterError("BulkInsert needs at least one column");
    }
    std::string sql = "INSERT INTO " + quoted_table + " (" + quoted_columns + ") VALUES (";
    for (size_t i = 0; i < columns.size(); ++i) {
      sql += (i == 0 ? "$" : ", $") + std::to_string(i + 1);
    }
    sql += ")";
    for (const std::vector<Value>& row : rows) {
      if (row.size() != columns.size()) {
        return internal::BadParameterError("BulkInsert row width differs from the column count");
      }
      KHIEN_RETURN_IF_ERROR(Execute(sql, row));
    }
    return {};
  }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  // Leaves a cached statement ready for its next use and releases its read lock.
  struct StatementReset {
    sqlite3_stmt* stmt;
    ~StatementReset() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  };

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return MapError(rc, sql);
    if (stmt == nullptr) return internal::BadParameterError("empty SQL statement");
    if (!IsBlank(std::string_view(tail, static_cast<size_t>(sql.data() + sql.size() - tail)))) {
      sqlite3_finalize(stmt);
      spdlog::error("sqlite: several statements passed to Query/Execute: {}", sql);
      return internal::BadParameterError("several statements in one call; use ExecuteScript");
    }
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [text, cached] : cache_) sqlite3_finalize(cached);
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // `$n` is a named parameter to SQLite: map each slot back to n, so repeated and
  // out-of-order placeholders bind like PostgreSQL's.
  Result<void> Bind(sqlite3_stmt* stmt, std::string_view sql, const Params& params) {
    const int count = sqlite3_bind_parameter_count(stmt);
    size_t highest = 0;
    for (int slot = 1; slot <= count; ++slot) {
      const char* name = sqlite3_bind_parameter_name(stmt, slot);
      int64_t number = 0;
      if (name == nullptr || name[0] != '$' || !internal::ParseInt64(name + 1, &number) ||
          number < 1) {
        spdlog::error("sqlite: placeholder other than $n in: {}", sql);
        return internal::BadParameterError("use $1, $2, ... placeholders");
      }
      const auto index = static_cast<size_t>(number);
      if (index > params.size()) {
        spdlog::error("sqlite: ${} has no value ({} given) in: {}", index, params.size(), sql);
        return internal::BadParameterError("a placeholder has no parameter value");
      }
      highest = std::max(highest, index);
      const Value& v = params[index - 1];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, slot);
      } else if (const int64_t* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, slot, *n);
      } else if (const double* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, slot, *d);
      } else {
        const std::string& s = std::get<std::string>(v);
        // STATIC: `params` outlives the statement's use; bindings are cleared afterwards.
        rc = sqlite3_bind_text64(stmt, slot, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return MapError(rc, sql);
    }
    if (highest != params.size()) {
      // PostgreSQL rejects unused trailing parameters too; keep the dialects alike.
      spdlog::error("sqlite: {} parameters given, statement uses {}: {}", params.size(), highest,
                    sql);
      return internal::BadParameterError("more parameter values than placeholders");
    }
    return {};
  }

  static Value ColumnValue(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_NULL:
        return std::monostate{};
      case SQLITE_BLOB: {
        const void* data = sqlite3_column_blob(stmt, i);
        const int size = sqlite3_column_bytes(stmt, i);
        return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
      }
      default: {
        const unsigned char* data = sqlite3_column_text(stmt, i);
        const int size = sqlite3_column_bytes(stmt, i);
        return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
      }
    }
  }

  // The SQL is logged; parameter values never are (SQLite's messages do not contain them).
  Error MapError(int rc, std::string_view sql) {
    const int primary = rc & 0xff;
    const char* message = sqlite3_errmsg(db_);
    if (primary == SQLITE_CONSTRAINT) {
      spdlog::debug("sqlite: constraint: {} in: {}", message, sql);
      return internal::ConflictError();
    }
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      spdlog::warn("sqlite: database busy after timeout: {} in: {}", message, sql);
      return internal::UnavailableError("the database stayed locked past the busy timeout");
    }
    spdlog::error("sqlite: error {} ({}) in: {}", rc, message, sql);
    return internal::InternalError(message);
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

namespace {

// Runs `fn` between `begin` and COMMIT; rolls back when it fails or throws.
Result<void> RunTransaction(SqliteConnection& conn, const char* begin,
                            const std::function<Result<void>(Connection&)>& fn) {
  KHIEN_RETURN_IF_ERROR(conn.ExecuteScript(begin));
  auto rollback = [&conn] {
    if (conn.InTransaction()) (void)conn.ExecuteScript("ROLLBACK");
  };
  Result<void> result;
  try {
    result = fn(conn);
  } catch (...) {
    rollback();
    throw;
  }
  if (!result.ok()) {
    rollback();
    return result;
  }
  if (!conn.InTransaction()) return result;  // the callback ended it itself
  Result<void> commit = conn.ExecuteScript("COMMIT");
  if (!commit.ok()) rollback();
  return commit;
}

}  // namespace

SqliteDatabase::SqliteDatabase(std::string open_name, bool memory, Options options)
    : open_name_(std::move(open_name)), memory_(memory), options_(WithAtLeastOneReader(options)) {}

SqliteDatabase::~SqliteDatabase() = default;

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             const Options& options) {
  const bool memory = path == ":memory:";
  std::string open_name;
  if (memory) {
    // A leading '/' makes the memdb database shared by every connection of this process
    // that uses the same name; the random part keeps Database objects apart.
    open_name = "file:/khien-" + RandomHex(8) + "?vfs=memdb";
  } else {
    open_name = path;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      spdlog::error("sqlite: cannot create folder {}: {}", parent.string(), ec.message());
      return internal::UnavailableError("cannot create the database folder");
    }
  }
  auto db = std::unique_ptr<SqliteDatabase>(new SqliteDatabase(open_name, memory, options));
  KHIEN_ASSIGN_OR_RETURN(db->writer_, SqliteConnection::Open(open_name, memory, /*reader=*/false,
                                                             /*wal=*/!memory, db->options_));
  return db;
}

Result<std::unique_ptr<SqliteConnection>> SqliteDatabase::AcquireReader() {
  {
    std::unique_lock lock(readers_mu_);
    reader_released_.wait(
        lock, [this] { return !idle_readers_.empty() || open_readers_ < options_.readers; });
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
    ++open_readers_;  // reserve the slot, open outside the lock
  }
  auto opened = SqliteConnection::Open(open_name_, memory_, /*reader=*/true, /*wal=*/false,
                                       options_);
  if (!opened.ok()) {
    std::lock_guard lock(readers_mu_);
    --open_readers_;
    reader_released_.notify_one();
  }
  return opened;
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<SqliteConnection> reader) {
  std::lock_guard lock(readers_mu_);
  idle_readers_.push_back(std::move(reader));
  reader_released_.notify_one();
}

Result<void> SqliteDatabase::Read(const std::function<Result<void>(Connection&)>& fn) {
  KHIEN_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> reader, AcquireReader());
  struct Release {
    SqliteDatabase* db;
    std::unique_ptr<SqliteConnection>& conn;
    ~Release() { db->ReleaseReader(std::move(conn)); }
  } release{this, reader};
  return RunTransaction(*reader, "BEGIN", fn);
}

Result<void> SqliteDatabase::Write(const std::function<Result<void>(Connection&)>& fn) {
  // A Write inside a Write on the same thread would wait for itself forever.
  if (writer_thread_.load() == std::this_thread::get_id()) {
    spdlog::error("sqlite: Write() called inside a Write() callback");
    return internal::InternalError("nested Write() on the same thread");
  }
  std::lock_guard lock(writer_mu_);
  writer_thread_.store(std::this_thread::get_id());
  struct ClearOwner {
    std::atomic<std::thread::id>& owner;
    ~ClearOwner() { owner.store(std::thread::id()); }
  } clear{writer_thread_};
  return RunTransaction(*writer_, "BEGIN IMMEDIATE", fn);
}

Result<int> SqliteDatabase::Migrate() { return ApplyMigrations(*this, EmbeddedMigrations()); }

Result<void> SqliteDatabase::Ping() {
  return Read([](Connection& c) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT 1"));
    if (rows.size() != 1) return internal::InternalError("SELECT 1 returned no row");
    return {};
  });
}

Result<void> SqliteDatabase::Backup(const std::string& path) {
  const std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  const std::string temp = path + ".tmp-" + RandomHex(6);
  auto fail = [&temp](std::string_view why) -> Error {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    std::filesystem::remove(temp + "-journal", ignored);
    spdlog::error("sqlite: backup failed: {}", why);
    Error e = internal::InternalError(std::string("backup failed: ") + std::string(why));
    e.message_vi = "Sao lưu cơ sở dữ liệu thất bại.";
    return e;
  };

  KHIEN_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> source, AcquireReader());
  struct Release {
    SqliteDatabase* db;
    std::unique_ptr<SqliteConnection>& conn;
    ~Release() { db->ReleaseReader(std::move(conn)); }
  } release{this, source};

  sqlite3* dest = nullptr;
  if (sqlite3_open_v2(temp.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    sqlite3_close_v2(dest);
    return fail("cannot create the backup file");
  }
  sqlite3_busy_timeout(dest, options_.busy_timeout_ms);
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source->handle(), "main");
  if (backup == nullptr) {
    std::string why = sqlite3_errmsg(dest);
    sqlite3_close_v2(dest);
    return fail(why);
  }
  // One step copies every page under a single read transaction: a consistent snapshot.
  int rc = SQLITE_OK;
  int waited_ms = 0;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (waited_ms > options_.busy_timeout_ms) break;
      sqlite3_sleep(50);
      waited_ms += 50;
    }
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  const int finish_rc = sqlite3_errcode(dest);
  std::string why = sqlite3_errmsg(dest);
  sqlite3_close_v2(dest);
  if (rc != SQLITE_DONE || finish_rc != SQLITE_OK) return fail(why);

  std::filesystem::rename(temp, target, ec);
  if (ec) return fail("cannot rename the backup into place: " + ec.message());
  return {};
}

}  // namespace khien::store
