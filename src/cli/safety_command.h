// `khien check` and `khien safety …`: the safety checker on the command line.
//
//   khien check [TEXT] [--json] [--lines] [--en] [--rules DIR] [--model FILE | --no-model]
//               [--blocklist FILE]... [--allowlist FILE]...
//       TEXT, or stdin when absent. Human output in Vietnamese by default (--en: English);
//       --json prints the result object (src/safety/verdict_json.h); --lines reads one
//       message per line and prints one JSON object per line.
//   khien safety eval --data FILE --text-col C --label-col L --category scam
//               [--positive VALUE]... [--rules DIR] [--model FILE | --no-model]
//               [--show-errors]
//       Precision, recall, F1 and false-positive rate of one category on a labelled CSV/TSV;
//       --show-errors lists the misclassified rows on stderr.
//   khien safety teencode-coverage --dict dict_syllable.json --pairs train.csv
//       How much of a teencode dictionary and corpus the shipped teencode table handles.
//
// Rules come from --rules, else $KHIEN_RULES, else rules/ beside the binary's folder, else
// /usr/share/khien/rules, else the copy embedded in the binary. Compiled rules are cached in
// $KHIEN_CACHE_DIR (default ~/.cache/khien).
// Errors go to stderr with a non-zero exit status (CLI::RuntimeError).
#pragma once

#include <CLI/CLI.hpp>

namespace khien::cli {

void AddSafetyCommands(CLI::App& app);

}  // namespace khien::cli

// main.cc calls it unqualified.
using khien::cli::AddSafetyCommands;
