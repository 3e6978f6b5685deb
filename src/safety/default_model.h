// The training examples of the shipped default model: `training/messages.tsv`, written by
// the Khiên team (see training/README.md), embedded into the binary by
// `training/embed.sh`, which regenerates src/safety/default_model_data.cc.
//
// Classifier::Default() trains its heads from these examples the first time it is used
// (deterministic: fixed seed), so the shipped model always matches the committed examples.
#pragma once

#include <string_view>
#include <vector>

#include "safety/category.h"
#include "safety/classifier.h"

namespace khien::safety {

// The raw TSV text of training/messages.tsv (header included).
std::string_view DefaultTrainingTsv();

// Parses lines "categories<TAB>text" (categories: comma-separated category names, or "-"
// for a message that is none of them) into the examples of one category's head.
// Lines starting with '#' and blank lines are skipped.
std::vector<LabelledText> ExamplesForCategory(std::string_view tsv, Category category);

// Options used for the default heads (small data: fewer buckets, more epochs).
TrainOptions DefaultTrainOptions();

}  // namespace khien::safety
