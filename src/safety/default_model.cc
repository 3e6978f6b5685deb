#include "safety/default_model.h"

namespace khien::safety {

std::vector<LabelledText> ExamplesForCategory(std::string_view tsv, Category category) {
  std::vector<LabelledText> out;
  const std::string_view wanted = CategoryName(category);
  bool header = true;
  while (!tsv.empty()) {
    const size_t eol = tsv.find('\n');
    std::string_view line = tsv.substr(0, eol);
    tsv.remove_prefix(eol == std::string_view::npos ? tsv.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (header) {  // "categories<TAB>text"
      header = false;
      continue;
    }
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    std::string_view labels = line.substr(0, tab);
    bool positive = false;
    while (!labels.empty()) {
      const size_t comma = labels.find(',');
      if (labels.substr(0, comma) == wanted) positive = true;
      labels.remove_prefix(comma == std::string_view::npos ? labels.size() : comma + 1);
    }
    out.push_back({std::string(line.substr(tab + 1)), positive});
  }
  return out;
}

TrainOptions DefaultTrainOptions() {
  TrainOptions o;
  // Trained at first use, so it must be quick: 2^16 buckets (the arrays stay in cache),
  // few epochs, three calibration folds. A few hundred examples need no more.
  o.features.hash_bits = 16;
  // The round-1 features: the shipped model and its tests stay as they were measured
  // (the round-3 families were measured on research data only).
  o.features.UseRound1Features();
  o.epochs = 8;
  o.calibration_folds = 3;
  return o;
}

}  // namespace khien::safety
