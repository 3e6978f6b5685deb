// Classifier: the learned part of the safety checker. A linear model per category over
// hashed features of the message text; its calibrated probabilities join the rule weights
// in the scorer (src/safety/scorer.*).
//
// A model file holds one head per category it was trained for. The shipped default is
// embedded in the binary and trained only on data whose licence allows shipping (our own
// curated examples); models trained on research data are written to a path the user
// chooses and loaded with --model.
//
// Thread-safety: a loaded Classifier is immutable; Predict is safe from many threads.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "safety/category.h"

namespace khien::safety {

// Probability in [0, 1] per category, or nullopt where the model has no head for it.
using CategoryProbabilities = std::array<std::optional<float>, kAllCategories.size()>;

struct LabelledText {
  std::string text;
  bool positive = false;
};

class Classifier {
 public:
  Classifier();  // no heads: Predict returns all nullopt
  ~Classifier();
  Classifier(Classifier&&) noexcept;
  Classifier& operator=(Classifier&&) noexcept;

  // The model shipped inside the binary.
  static const Classifier& Default();

  // Reads a model file. Error kInvalidInput naming the file when it is missing or corrupt.
  static Result<Classifier> Load(const std::string& path);
  Result<void> Save(const std::string& path) const;

  // Trains (or replaces) the head for `category` from labelled examples.
  // Error kInvalidInput when there are no positives or no negatives.
  Result<void> Train(Category category, const std::vector<LabelledText>& examples);

  bool HasHead(Category category) const;

  // `text` is the original message (valid UTF-8); the classifier does its own folding.
  CategoryProbabilities Predict(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khien::safety
