#include "safety/explain.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace khien::safety {
namespace {

// Log-odds, so that a drop from 0.999 to 0.99 counts like one from 0.7 to 0.2. Clamped
// closer to 0 and 1 than the checker's LogOdds: a confident head's drops happen up there.
float Logit(float p) {
  const float q = std::clamp(p, 1e-6f, 1 - 1e-6f);
  return std::log(q / (1 - q));
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// ASCII punctuation that should not start or end a highlight ("chỗ," -> "chỗ").
bool IsEdgePunct(char c) {
  return c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '"' || c == '\'' || c == '(' ||
         c == ')' || c == '[' || c == ']';
}

}  // namespace

std::optional<std::pair<size_t, size_t>> MostTellingWords(const Classifier& model, Category category,
                                                          std::string_view text, const Evidence* evidence,
                                                          const TellingWordsOptions& options) {
  if (text.size() > options.max_bytes) return std::nullopt;
  const size_t c = static_cast<size_t>(category);
  const std::optional<float> base = model.Predict(text, evidence)[c];
  if (!base) return std::nullopt;

  std::vector<std::pair<size_t, size_t>> words;  // byte ranges split at ASCII whitespace
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) words.emplace_back(start, i);
  }
  if (words.size() < 2) return std::nullopt;  // leaving out everything says nothing

  float best_drop = options.min_drop;
  size_t best_first = 0, best_last = 0;  // word indices, inclusive
  bool found = false;
  std::string without;
  const size_t starts = std::min(words.size(), options.max_words);
  for (size_t w = 0; w < starts; ++w) {
    for (size_t run = 1; run <= static_cast<size_t>(options.max_run) && w + run <= words.size(); ++run) {
      if (run == words.size()) break;
      without.assign(text.substr(0, words[w].first));
      without.append(text.substr(words[w + run - 1].second));
      const float p = model.Predict(without, evidence)[c].value_or(*base);
      // A longer run must earn its extra words: it wins only by a clear margin.
      const float drop = (Logit(*base) - Logit(p)) - 0.1f * static_cast<float>(run - 1);
      if (drop > best_drop) {
        best_drop = drop;
        best_first = w;
        best_last = w + run - 1;
        found = true;
      }
    }
  }
  if (!found) return std::nullopt;
  // The model reads character n-grams across word pairs, so the run alone can be a fragment
  // ("triệu phí"); one word of context on each side, within the sentence, makes it readable.
  const auto ends_clause = [&](size_t w) { return IsEdgePunct(text[words[w].second - 1]); };
  if (best_first > 0 && !ends_clause(best_first - 1)) --best_first;
  if (best_last + 1 < words.size() && !ends_clause(best_last)) ++best_last;
  size_t from = words[best_first].first, to = words[best_last].second;
  while (from < to && IsEdgePunct(text[from])) ++from;
  while (to > from && IsEdgePunct(text[to - 1])) --to;
  if (from == to) return std::nullopt;
  return std::pair{from, to};
}

}  // namespace khien::safety
