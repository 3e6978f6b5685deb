// `khien safety train` and `khien safety cv`: train a head of the learned classifier from a
// labelled CSV/TSV file, or measure it by stratified k-fold cross-validation.
//
//   khien safety train --data FILE --text-col C --label-col L
//                      --category scam|grooming|toxic|privacy --out MODEL [--positive V ...]
//   khien safety cv    --data FILE --text-col C --label-col L [--positive V ...] [--folds 5]
//
// A row is positive when its label equals one of the --positive values (default "1").
// If MODEL exists, the head is added or replaced and the other heads are kept; the file is
// replaced atomically. Errors (unreadable file, missing column, no positives) are printed in
// Vietnamese and English and end the program with a non-zero code.
#pragma once

namespace CLI {
class App;
}

namespace khien::cli {

// Adds the `train` and `cv` subcommands to the `safety` command.
void AddSafetyTrainCommand(CLI::App& safety);

}  // namespace khien::cli
