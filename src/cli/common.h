// What every subcommand shares: where the database is, opening it, printing errors.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "store/database.h"

namespace CLI {
class App;
}

namespace khien::cli {

// Settings shared by all subcommands. Precedence: flag > environment (KHIEN_DB) >
// config file (--config, KHIEN_CONFIG, or ./khien.conf: "key = value" lines) > default.
struct GlobalOptions {
  std::string config_file;
  std::string db_flag;

  std::string DatabaseUrl() const;
  // Pool and timeout settings: the PostgreSQL statement timeout (10 s, a guard against runaway
  // queries) from $KHIEN_PG_STATEMENT_TIMEOUT_MS, then `pg_statement_timeout_ms = …` in the config
  // file. Errors: kInvalidInput for a value that is not 100 .. 3,600,000.
  Result<store::Options> StoreOptions() const;
  // Value of `key` in the config file, or "" when absent.
  std::string ConfigValue(const std::string& key) const;
  // A setting by the precedence above: `flag` when given, else $`env` when set and not empty,
  // else `key` in the config file, else "".
  std::string Setting(const std::string& flag, const char* env, const std::string& key) const;
};

// Adds `--db URL` to a subcommand.
void AddDbOption(CLI::App& command, GlobalOptions& options);

// Opens the database with StoreOptions(), as it is (no migration).
Result<std::unique_ptr<store::Database>> OpenDatabase(const GlobalOptions& options);

// Opens the database and applies pending migrations and the reference administrative units.
Result<std::unique_ptr<store::Database>> OpenReadyDatabase(const GlobalOptions& options);

// Thrown by a subcommand's callback to end the program with `value` (after printing).
struct ExitCode {
  int value;
};

// Prints `error` on stderr in Vietnamese and English; returns the exit code for it.
int ReportError(const Error& error);

// Reads one line (a password) from stdin without echo concerns (piped input).
std::string ReadSecretLine();

}  // namespace khien::cli
