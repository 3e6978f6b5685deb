#include "safety/explain.h"

#include "base/text.h"

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

using khien::text::ascii::IsSpace;

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

  // Only runs that contain one of the words whose own features the head weighs most are
  // left out: up to 3 predictions per candidate word instead of 2 per word of the message
  // (the telling-words check went from ~70 to ~40 µs), and the same answer whenever the
  // telling run holds one of them (182 of the 183 model-only flags of the development sets).
  const size_t starts = std::min(words.size(), options.max_words);
  std::vector<std::pair<float, size_t>> ranked;  // (weight, word index)
  for (size_t w = 0; w < starts; ++w) {
    const std::string_view word = text.substr(words[w].first, words[w].second - words[w].first);
    ranked.emplace_back(model.WordsWeight(word, category).value_or(0.0f), w);
  }
  const size_t top = std::min(ranked.size(), options.candidate_words);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::pair<size_t, size_t>> runs;  // (first word, length), each once, in text order
  const size_t max_run = static_cast<size_t>(options.max_run);
  for (size_t k = 0; k < top; ++k) {
    const size_t w = ranked[k].second;
    for (size_t run = 1; run <= max_run; ++run) {
      for (size_t first = w + 1 > run ? w + 1 - run : 0; first <= w; ++first) {
        if (first < starts && first + run <= words.size() && run < words.size()) runs.emplace_back(first, run);
      }
    }
  }
  std::sort(runs.begin(), runs.end());
  runs.erase(std::unique(runs.begin(), runs.end()), runs.end());

  float best_drop = options.min_drop;
  size_t best_first = 0, best_last = 0;  // word indices, inclusive
  bool found = false;
  std::string without;
  for (const auto& [w, run] : runs) {
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
