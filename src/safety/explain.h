// Which words made the learned model flag a message, for highlighting when no rule explains
// the flag. Occlusion: the model is asked again with short runs of words left out, and the
// run whose absence lowers the category's probability most is the answer. Only runs around
// the few words whose own features the head weighs most (Classifier::WordsWeight) are tried;
// it costs one prediction per run, and the checker calls it only for a category the model
// alone flagged.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "safety/category.h"
#include "safety/classifier.h"

namespace khien::safety {

struct TellingWordsOptions {
  int max_run = 2;          // words left out together
  size_t max_words = 40;    // longer messages: only runs that start among the first words
  size_t max_bytes = 2048;  // longer texts get no highlight: the cost would grow with them
  float min_drop = 0.5f;    // in log-odds; smaller effects are not worth highlighting
  // Only runs containing one of this many words, those whose own features the head weighs
  // most (Classifier::WordsWeight), are left out.
  size_t candidate_words = 6;
};

// Byte offsets [begin, end) into `text` of the most telling run of words (punctuation at
// its edges trimmed), or nullopt when no run lowers the log-odds by options.min_drop.
std::optional<std::pair<size_t, size_t>> MostTellingWords(const Classifier& model, Category category,
                                                          std::string_view text, const Evidence* evidence,
                                                          const TellingWordsOptions& options = {});

}  // namespace khien::safety
