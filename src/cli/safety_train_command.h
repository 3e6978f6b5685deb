// `khien safety train` and `khien safety cv`: train a head of the learned classifier from a
// labelled CSV/TSV file and/or moderators' confirmed reports, or measure it by stratified
// k-fold cross-validation.
//
//   khien safety train --data FILE --text-col C --label-col L [--sender-col S]
//                      --category scam|grooming|toxic|privacy --out MODEL [--positive V ...]
//   khien safety train --from-reports --db URL --category scam --out MODEL [--data ...]
//   khien safety cv    --data FILE --text-col C --label-col L [--sender-col S]
//                      [--category scam] [--positive V ...] [--folds 5] [--text-only]
//                      [--show-errors]
//   options of both: --rules DIR, --no-stack, --tfidf, --nb-ratio, --hash-bits, --epochs,
//                    --max-fpr, --class-balance, --l2, --learning-rate
//
// Heads are stacked by default: each example is first checked by the rules (those `khien
// check` would use, or --rules DIR) and the rules that fired, the entities found and, with
// --sender-col, the sender kind become features (see Evidence in safety/features.h); the
// checker then uses the head's probability as the category score. --no-stack trains on the
// text alone (rule weights are then added at check time, the round-1 scoring).
// --from-reports adds the confirmed reports in the database (label scam → positive, safe →
// negative; read only) to --data, or to the curated examples in training/messages.tsv
// when no --data is given. `cv` prints, on the same folds: rules only, the text model, rules
// + text model added, stacked, and stacked + sender when --sender-col is given; --show-errors
// then lists the out-of-fold mistakes of the last of these on stderr, in file order.
//
// A row is positive when its label equals one of the --positive values (default "1").
// If MODEL exists, the head is added or replaced and the other heads are kept; the file is
// replaced atomically. Errors (unreadable file, missing column, no positives, database
// unavailable) are printed in Vietnamese and English and end the program with a non-zero code.
#pragma once

#include <string_view>

namespace CLI {
class App;
}

namespace khien::cli {

// Adds the `train` and `cv` subcommands to the `safety` command.
void AddSafetyTrainCommand(CLI::App& safety);

// One line on stderr for a misclassified example (`eval` and `cv` --show-errors): "FP" or "FN",
// a tab and the text's first 160 bytes, cut on a character boundary.
void PrintMistake(bool flagged, std::string_view text);

}  // namespace khien::cli
