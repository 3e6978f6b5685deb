#include "store/postgres_database.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>
#include <utility>

#include "store/migrations.h"
#include "store/sql_text.h"

namespace khien::store {
namespace {

// Type OIDs from pg_type.h (stable across releases).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// COPY is sent in chunks of about this size.
constexpr size_t kCopyChunkBytes = 256 * 1024;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

void LogNotice(void* /*arg*/, const char* message) {
  spdlog::debug("postgres notice: {}", message);
}

Value CellValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return std::monostate{};
  const std::string_view text(PQgetvalue(res, row, col),
                              static_cast<size_t>(PQgetlength(res, row, col)));
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t n = 0;
      if (internal::ParseInt64(text, &n)) return n;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double d = 0;
      if (internal::ParseDouble(text, &d)) return d;
      break;
    }
    case kBoolOid:
      return static_cast<int64_t>(text == "t" ? 1 : 0);
    default:
      break;
  }
  return std::string(text);
}

// The largest n of the `$n` placeholders in `sql`, skipping string literals, quoted
// identifiers, dollar-quoted strings and comments.
size_t HighestPlaceholder(std::string_view sql) {
  size_t highest = 0;
  const size_t n = sql.size();
  auto skip_quoted = [&](size_t i, char quote) {  // i is at the opening quote
    for (++i; i < n; ++i) {
      if (sql[i] == quote) {
        if (i + 1 < n && sql[i + 1] == quote) {
          ++i;  // doubled quote inside the literal
        } else {
          return i + 1;
        }
      }
    }
    return n;
  };
  size_t i = 0;
  while (i < n) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      i = skip_quoted(i, c);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? n : end + 1;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
    } else if (c == '$' && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      size_t value = 0;
      for (++i; i < n && sql[i] >= '0' && sql[i] <= '9'; ++i) {
        value = value * 10 + static_cast<size_t>(sql[i] - '0');
      }
      highest = std::max(highest, value);
    } else if (c == '$') {
      // $tag$ ... $tag$ (tag may be empty); anything else is part of an identifier.
      size_t j = i + 1;
      while (j < n && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
      if (j < n && sql[j] == '$') {
        const std::string_view tag = sql.substr(i, j - i + 1);
        const size_t end = sql.find(tag, j + 1);
        i = end == std::string_view::npos ? n : end + tag.size();
      } else {
        i = j;
      }
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      // An identifier such as a$1 holds no placeholder.
      while (i < n && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' ||
                       sql[i] == '$')) {
        ++i;
      }
    } else {
      ++i;
    }
  }
  return highest;
}

// COPY text format: backslash escapes for the delimiter, newlines and backslash itself;
// \N is NULL.
void AppendCopyField(std::string& out, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    out += "\\N";
  } else if (const int64_t* n = std::get_if<int64_t>(&v)) {
    out += std::to_string(*n);
  } else if (const double* d = std::get_if<double>(&v)) {
    out += internal::FormatDouble(*d);
  } else {
    for (char c : std::get<std::string>(v)) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
      }
    }
  }
}

}  // namespace

class PgConnection final : public Connection {
 public:
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url,
                                                       const Options& options) {
    // connect_timeout first: a value in the URL overrides it.
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "khien", url.c_str(), nullptr};
    PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    auto conn = std::unique_ptr<PgConnection>(new PgConnection(raw, options));
    if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
      spdlog::error("postgres: cannot connect: {}", raw ? PQerrorMessage(raw) : "out of memory");
      return internal::UnavailableError("cannot connect to PostgreSQL");
    }
    KHIEN_RETURN_IF_ERROR(conn->Setup());
    return conn;
  }

  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  bool Idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }
  bool InFailedTransaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

  // Re-establishes a broken connection in place.
  Result<void> Reset() {
    PQreset(conn_);
    if (!Healthy()) {
      spdlog::warn("postgres: reconnect failed: {}", PQerrorMessage(conn_));
      return internal::UnavailableError("lost the connection to PostgreSQL");
    }
    spdlog::info("postgres: reconnected");
    return Setup();
  }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    KHIEN_ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
    Rows rows;
    const int nrows = PQntuples(res.get());
    const int ncols = PQnfields(res.get());
    rows.columns.reserve(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) rows.columns.emplace_back(PQfname(res.get(), c));
    rows.cells.resize(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value>& row = rows.cells[static_cast<size_t>(r)];
      row.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) row.push_back(CellValue(res.get(), r, c));
    }
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    KHIEN_ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
    int64_t changed = 0;
    internal::ParseInt64(PQcmdTuples(res.get()), &changed);  // "" for statements without a count
    return changed;
  }

  Result<void> ExecuteScript(std::string_view sql) override {
    const std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    return Check(res.get(), sql);
  }

  Result<void> BulkInsert(std::string_view table, const std::vector<std::string>& columns,
                          const std::vector<std::vector<Value>>& rows) override {
    KHIEN_ASSIGN_OR_RETURN(std::string quoted_table, internal::QuoteIdentifier(table));
    KHIEN_ASSIGN_OR_RETURN(std::string quoted_columns, internal::QuoteIdentifierList(columns));
    if (columns.empty()) {
      return internal::BadParameterError("BulkInsert needs at least one column");
    }
    for (const std::vector<Value>& row : rows) {
      if (row.size() != columns.size()) {
        return internal::BadParameterError("BulkInsert row width differs from the column count");
      }
    }
    const std::string sql = "COPY " + quoted_table + " (" + quoted_columns + ") FROM STDIN";
    {
      ResultPtr res(PQexec(conn_, sql.c_str()));
      if (PQresultStatus(res.get()) != PGRES_COPY_IN) return MapError(res.get(), sql);
    }
    std::string buffer;
    buffer.reserve(kCopyChunkBytes + 4096);
    bool sent_ok = true;
    for (const std::vector<Value>& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) buffer += '\t';
        AppendCopyField(buffer, row[i]);
      }
      buffer += '\n';
      if (buffer.size() >= kCopyChunkBytes) {
        sent_ok = PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) == 1;
        buffer.clear();
        if (!sent_ok) break;
      }
    }
    if (sent_ok && !buffer.empty()) {
      sent_ok = PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) == 1;
    }
    if (PQputCopyEnd(conn_, sent_ok ? nullptr : "client failed to send data") != 1) {
      sent_ok = false;
    }
    Result<void> outcome;
    while (PGresult* raw = PQgetResult(conn_)) {
      ResultPtr res(raw);
      if (outcome.ok()) outcome = Check(res.get(), sql);
    }
    if (outcome.ok() && !sent_ok) return internal::UnavailableError("COPY data could not be sent");
    return outcome;
  }

 private:
  PgConnection(PGconn* conn, const Options& options) : conn_(conn), options_(options) {
    if (conn_ != nullptr) PQsetNoticeProcessor(conn_, LogNotice, nullptr);
  }

  Result<void> Setup() {
    const std::string sql = "SET statement_timeout = " +
                            std::to_string(std::max(0, options_.statement_timeout_ms)) +
                            "; SET client_encoding = 'UTF8'";
    return ExecuteScript(sql);
  }

  Result<ResultPtr> Run(std::string_view sql, const Params& params) {
    // Typed parameters that the SQL never mentions would be accepted silently; SQLite
    // rejects them, and so do we, so a wrong parameter list fails on both dialects.
    if (const size_t used = HighestPlaceholder(sql); used != params.size()) {
      spdlog::error("postgres: {} parameters given, statement uses {}: {}", params.size(), used,
                    sql);
      return internal::BadParameterError(used > params.size()
                                             ? "a placeholder has no parameter value"
                                             : "more parameter values than placeholders");
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const int64_t* n = std::get_if<int64_t>(&v)) {
        text[i] = std::to_string(*n);
        values[i] = text[i].c_str();
        types[i] = kInt8Oid;
      } else if (const double* d = std::get_if<double>(&v)) {
        text[i] = internal::FormatDouble(*d);
        values[i] = text[i].c_str();
        types[i] = kFloat8Oid;
      } else if (const std::string* s = std::get_if<std::string>(&v)) {
        values[i] = s->c_str();
      }
    }
    const std::string query(sql);
    ResultPtr res(PQexecParams(conn_, query.c_str(), static_cast<int>(params.size()),
                               types.data(), values.data(), nullptr, nullptr, /*resultFormat=*/0));
    KHIEN_RETURN_IF_ERROR(Check(res.get(), sql));
    return res;
  }

  Result<void> Check(const PGresult* res, std::string_view sql) {
    const ExecStatusType status = PQresultStatus(res);
    if (res != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
                           status == PGRES_EMPTY_QUERY)) {
      return {};
    }
    return MapError(res, sql);
  }

  // Logs the SQL and the SQLSTATE; the server's message only where it cannot hold values
  // (classes 22 and 23 quote the offending data).
  Error MapError(const PGresult* res, std::string_view sql) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view sqlstate = state ? state : "";
    // 08P01 (protocol violation: wrong parameter count) leaves the connection usable.
    const bool connection_class = sqlstate.starts_with("08") && sqlstate != "08P01";
    if (!Healthy() || connection_class || sqlstate.starts_with("57P") ||
        sqlstate.starts_with("53")) {
      spdlog::warn("postgres: connection failure (sqlstate '{}') in: {}", sqlstate, sql);
      return internal::UnavailableError("the connection to PostgreSQL failed");
    }
    if (sqlstate.empty()) {  // e.g. COPY TO STDOUT through Query(): not supported
      const char* status = PQresStatus(PQresultStatus(res));
      spdlog::error("postgres: unexpected result status {} in: {}", status, sql);
      return internal::InternalError(std::string("unexpected result status ") + status);
    }
    auto field = [res](int code) {
      const char* v = PQresultErrorField(res, code);
      return std::string_view(v ? v : "");
    };
    if (sqlstate.starts_with("23") || sqlstate.starts_with("40")) {
      spdlog::debug("postgres: conflict {} (constraint '{}', table '{}') in: {}", sqlstate,
                    field(PG_DIAG_CONSTRAINT_NAME), field(PG_DIAG_TABLE_NAME), sql);
      return internal::ConflictError();
    }
    if (sqlstate == "57014") {
      spdlog::warn("postgres: statement timed out in: {}", sql);
      return internal::UnavailableError("the statement timed out");
    }
    const bool may_hold_values = sqlstate.starts_with("22");
    const std::string message(may_hold_values ? "(message withheld)"
                                              : field(PG_DIAG_MESSAGE_PRIMARY));
    spdlog::error("postgres: error {}: {} in: {}", sqlstate, message, sql);
    return internal::InternalError(std::string("SQLSTATE ") + std::string(sqlstate) +
                                   (may_hold_values ? "" : ": " + message));
  }

  PGconn* conn_;
  const Options options_;
};

PostgresDatabase::PostgresDatabase(std::string url, Options options)
    : url_(std::move(url)), options_(options), pool_size_(std::max(2, options.readers)) {}

PostgresDatabase::~PostgresDatabase() = default;

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const std::string& url,
                                                                 const Options& options) {
  auto db = std::unique_ptr<PostgresDatabase>(new PostgresDatabase(url, options));
  KHIEN_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> first, PgConnection::Connect(url, options));
  std::lock_guard lock(db->mu_);
  db->idle_.push_back(std::move(first));
  db->open_ = 1;
  return db;
}

Result<std::unique_ptr<PgConnection>> PostgresDatabase::Acquire() {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock lock(mu_);
    released_.wait(lock, [this] { return !idle_.empty() || open_ < pool_size_; });
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot, connect outside the lock
    }
  }
  Result<void> ready;
  if (conn == nullptr) {
    auto connected = PgConnection::Connect(url_, options_);
    if (connected.ok()) {
      conn = std::move(connected).value();
    } else {
      ready = connected.take_error();
    }
  } else if (!conn->Healthy()) {
    ready = conn->Reset();
  }
  if (!ready.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    released_.notify_one();
    return ready.take_error();
  }
  return conn;
}

void PostgresDatabase::DropIdleConnections() {
  std::vector<std::unique_ptr<PgConnection>> dropped;
  {
    std::lock_guard lock(mu_);
    dropped.swap(idle_);
    open_ -= static_cast<int>(dropped.size());
    released_.notify_all();
  }
  spdlog::info("postgres: dropped {} idle connections after a lost connection", dropped.size());
}  // closed here, outside the lock

void PostgresDatabase::Release(std::unique_ptr<PgConnection> conn) {
  // A connection must come back outside any transaction; one that cannot is dropped.
  if (conn && conn->Healthy() && !conn->Idle()) {
    if (!conn->ExecuteScript("ROLLBACK").ok() || !conn->Idle()) conn.reset();
  }
  std::lock_guard lock(mu_);
  if (conn) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  released_.notify_one();
}

Result<void> PostgresDatabase::RunTransaction(
    const char* begin, const std::function<Result<void>(Connection&)>& fn) {
  for (int attempt = 0;; ++attempt) {
    KHIEN_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, Acquire());
    struct ReturnToPool {
      PostgresDatabase* db;
      std::unique_ptr<PgConnection>& conn;
      ~ReturnToPool() { db->Release(std::move(conn)); }
    } give_back{this, conn};

    Result<void> began = conn->ExecuteScript(begin);
    if (!began.ok()) {
      // The server closed this connection (restart, pg_terminate_backend) and probably the
      // other idle ones too: drop them all, so the single retry runs on a new connection.
      // Nothing has run yet, so retrying is safe.
      if (attempt == 0 && !conn->Healthy()) {
        conn.reset();
        DropIdleConnections();
        continue;
      }
      return began;
    }
    Result<void> result;
    try {
      result = fn(*conn);
    } catch (...) {
      if (conn->Healthy()) (void)conn->ExecuteScript("ROLLBACK");
      throw;
    }
    if (!result.ok()) {
      if (conn->Healthy()) (void)conn->ExecuteScript("ROLLBACK");
      return result;
    }
    if (conn->InFailedTransaction()) {
      // COMMIT would silently roll back: the callback swallowed a failed statement.
      (void)conn->ExecuteScript("ROLLBACK");
      spdlog::error("postgres: callback returned ok after a failed statement; rolled back");
      return internal::InternalError("transaction aborted by an earlier failed statement");
    }
    if (conn->Idle()) return result;  // the callback ended the transaction itself
    return conn->ExecuteScript("COMMIT");
  }
}

Result<void> PostgresDatabase::Read(const std::function<Result<void>(Connection&)>& fn) {
  return RunTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", fn);
}

Result<void> PostgresDatabase::Write(const std::function<Result<void>(Connection&)>& fn) {
  return RunTransaction("BEGIN", fn);
}

Result<int> PostgresDatabase::Migrate() { return ApplyMigrations(*this, EmbeddedMigrations()); }

Result<void> PostgresDatabase::Ping() {
  return Read([](Connection& c) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT 1"));
    if (rows.size() != 1) return internal::InternalError("SELECT 1 returned no row");
    return {};
  });
}

Result<void> PostgresDatabase::Backup(const std::string& /*path*/) {
  return Error::InvalidInput("", "Sao lưu PostgreSQL bằng pg_dump, không dùng lệnh này.",
                             "Back up PostgreSQL with pg_dump, not with this command.");
}

}  // namespace khien::store
