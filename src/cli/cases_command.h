// `khien cases purge --db URL --key-file F --closed-for-days N [--dry-run]`: retention.
// Destroys cases closed more than N days ago by crypto-shredding (their wrapped data keys and
// every encrypted field, notes, tasks, safety plan, blind index); their anonymous
// classification still counts in statistics. Prints counts; audited. The key file must load
// (present, 32 bytes, mode 0600): only someone holding the server's key runs retention.
// Nothing is decrypted.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/common.h"

namespace khien::cli {

void AddCasesCommands(CLI::App& app, GlobalOptions& options);

}  // namespace khien::cli
