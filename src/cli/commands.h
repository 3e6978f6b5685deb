// One function per group of subcommands; main.cc calls them all.
#pragma once

#include "cli/common.h"

namespace khien::cli {

void AddServeCommand(CLI::App& app, GlobalOptions& options);
void AddDatabaseCommands(CLI::App& app, GlobalOptions& options);  // migrate, backup, audit verify
void AddDemoCommand(CLI::App& app, GlobalOptions& options);
void AddUserCommands(CLI::App& app, GlobalOptions& options);

}  // namespace khien::cli
