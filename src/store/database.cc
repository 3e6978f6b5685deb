#include "store/database.h"

#include <string>
#include <type_traits>

#include "store/postgres_database.h"
#include "store/sql_text.h"
#include "store/sqlite_database.h"

namespace khien::store {

bool Row::IsNull(size_t i) const {
  return std::holds_alternative<std::monostate>((*cells_)[i]);
}

int64_t Row::Int(size_t i) const {
  const Value& v = (*cells_)[i];
  if (const int64_t* n = std::get_if<int64_t>(&v)) return *n;
  if (const double* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const std::string* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    if (internal::ParseInt64(*s, &out)) return out;
    double d = 0;
    if (internal::ParseDouble(*s, &d)) return static_cast<int64_t>(d);
  }
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = (*cells_)[i];
  if (const double* d = std::get_if<double>(&v)) return *d;
  if (const int64_t* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (const std::string* s = std::get_if<std::string>(&v)) {
    double out = 0;
    if (internal::ParseDouble(*s, &out)) return out;
  }
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = (*cells_)[i];
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  if (const int64_t* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const double* d = std::get_if<double>(&v)) return internal::FormatDouble(*d);
  return "";
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, const Options& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path = url.substr(kSqlite.size());
    if (path.empty()) {
      return Error::InvalidInput("database_url", "Thiếu đường dẫn tệp SQLite trong địa chỉ CSDL.",
                                 "The SQLite database URL has no file path.");
    }
    KHIEN_ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(path, options));
    return std::unique_ptr<Database>(std::move(db));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    KHIEN_ASSIGN_OR_RETURN(auto db, PostgresDatabase::Open(url, options));
    return std::unique_ptr<Database>(std::move(db));
  }
  // The URL may carry a password: never echo it.
  return Error::InvalidInput(
      "database_url",
      "Địa chỉ CSDL không hợp lệ: phải bắt đầu bằng sqlite:, postgresql:// hoặc postgres://.",
      "Unsupported database URL: it must start with sqlite:, postgresql:// or postgres://.");
}

}  // namespace khien::store
