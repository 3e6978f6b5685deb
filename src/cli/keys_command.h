// `khien keys create --key-file F` writes a new 32-byte master key with mode 0600 (refusing to
// overwrite); `khien keys rotate --db URL --key-file OLD --new-key-file NEW` re-wraps every
// case and report data key (and recomputes blind indexes) from OLD to NEW in one transaction.
// Keys are never printed; only their public fingerprints are.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/common.h"

namespace khien::cli {

void AddKeysCommands(CLI::App& app, GlobalOptions& options);

}  // namespace khien::cli
