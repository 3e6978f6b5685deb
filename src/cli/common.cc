#include "cli/common.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "org/service.h"

namespace khien::cli {
namespace {

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

}  // namespace

std::string GlobalOptions::ConfigValue(const std::string& key) const {
  std::string path = config_file;
  if (path.empty()) {
    if (const char* env = std::getenv("KHIEN_CONFIG")) path = env;
  }
  if (path.empty()) path = "khien.conf";
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    if (Trim(line.substr(0, eq)) == key) return Trim(line.substr(eq + 1));
  }
  return "";
}

std::string GlobalOptions::Setting(const std::string& flag, const char* env,
                                   const std::string& key) const {
  if (!flag.empty()) return flag;
  if (const char* value = std::getenv(env); value && *value) return value;
  return ConfigValue(key);
}

std::string GlobalOptions::DatabaseUrl() const {
  std::string url = Setting(db_flag, "KHIEN_DB", "db");
  return url.empty() ? "sqlite:./data/khien.db" : url;
}

void AddDbOption(CLI::App& command, GlobalOptions& options) {
  command.add_option("--db", options.db_flag,
                     "Cơ sở dữ liệu / database URL: sqlite:PATH or postgresql://user@host:port/db "
                     "(default: $KHIEN_DB, config file, sqlite:./data/khien.db)");
}

Result<store::Options> GlobalOptions::StoreOptions() const {
  store::Options out;
  const std::string timeout = Setting("", "KHIEN_PG_STATEMENT_TIMEOUT_MS", "pg_statement_timeout_ms");
  if (!timeout.empty()) {
    char* end = nullptr;
    const long ms = std::strtol(timeout.c_str(), &end, 10);
    if (end == timeout.c_str() || *end != '\0' || ms < 100 || ms > 3600000) {
      return Error::InvalidInput("pg_statement_timeout_ms",
                                 "pg_statement_timeout_ms phải là số mili giây từ 100 đến 3.600.000.",
                                 "pg_statement_timeout_ms must be a number of milliseconds from 100 to 3,600,000.");
    }
    out.statement_timeout_ms = static_cast<int>(ms);
  }
  return out;
}

Result<std::unique_ptr<store::Database>> OpenDatabase(const GlobalOptions& options) {
  KHIEN_ASSIGN_OR_RETURN(store::Options store_options, options.StoreOptions());
  return store::Database::Open(options.DatabaseUrl(), store_options);
}

Result<std::unique_ptr<store::Database>> OpenReadyDatabase(const GlobalOptions& options) {
  KHIEN_ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, OpenDatabase(options));
  KHIEN_ASSIGN_OR_RETURN(int applied, db->Migrate());
  if (applied > 0) spdlog::info("applied {} migration(s)", applied);
  org::OrgService org(*db);
  KHIEN_ASSIGN_OR_RETURN(int imported, org.ImportOfficialUnits(org::EmbeddedOfficialUnits()));
  if (imported > 0) spdlog::info("imported {} official administrative units", imported);
  return db;
}

int ReportError(const Error& error) {
  std::cerr << "Lỗi: " << error.message_vi;
  if (!error.field.empty()) std::cerr << " (" << error.field << ")";
  std::cerr << "\nError: " << error.message_en << "\n";
  switch (error.code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kMalformed:
    case ErrorCode::kPayloadTooLarge: return 2;  // all bad input: one code for scripts
    case ErrorCode::kNotFound: return 3;
    case ErrorCode::kForbidden:
    case ErrorCode::kUnauthorized: return 4;
    case ErrorCode::kConflict: return 5;
    case ErrorCode::kUnavailable: return 6;
    default: return 1;
  }
}

std::string ReadSecretLine() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace khien::cli
