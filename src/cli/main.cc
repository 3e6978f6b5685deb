// khien: the one binary. `khien --help` lists the subcommands.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/cases_command.h"
#include "cli/commands.h"
#include "cli/keys_command.h"
#include "cli/safety_command.h"

#ifndef KHIEN_VERSION
#define KHIEN_VERSION "dev"
#endif

int main(int argc, char** argv) {
  // Diagnostics go to stderr; stdout is for results (and the server's JSON access log).
  spdlog::set_default_logger(spdlog::stderr_color_mt("khien"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");

  CLI::App app{"Khiên — lá chắn cho phụ nữ và trẻ em / a shield for women and children"};
  app.require_subcommand(1);
  khien::cli::GlobalOptions options;
  app.add_option("--config", options.config_file, "Tệp cấu hình / config file (key = value)");

  khien::cli::AddServeCommand(app, options);
  khien::cli::AddDatabaseCommands(app, options);
  khien::cli::AddDemoCommand(app, options);
  khien::cli::AddUserCommands(app, options);
  khien::cli::AddKeysCommands(app, options);
  khien::cli::AddCasesCommands(app, options);
  AddSafetyCommands(app);
  app.add_subcommand("version", "In phiên bản / print the version")->callback([] {
    std::cout << "khien " << KHIEN_VERSION << "\n";
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const khien::cli::ExitCode& code) {
    return code.value;
  }
  return 0;
}
