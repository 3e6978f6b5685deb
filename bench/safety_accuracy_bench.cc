// Accuracy and speed of the learned classifier on the development sets.
//
//   safety_accuracy_bench --data-dir ../shared/data/safety [--folds 5] [--only scam,toxic,spam]
//                         [--no-speed] [--benchmark_* flags]
//
// Accuracy: Vietnamese scam SMS and English SMS spam by stratified k-fold cross-validation
// (fixed seed); ViHSD toxic by training on train.csv and scoring dev.csv. Each dataset is run
// with several configurations in the same run: a word-unigram model and the character
// 1–5-gram model (the baseline without extras), both with plain Platt probabilities; the full
// Khiên feature set with plain probabilities, with the default F1-tuned decision point, and
// with the decision point limited to 1 % false positives on out-of-fold scores.
// Speed: Predict throughput (messages/second, one thread) for one head and for all heads.
//
// The data is research-use only: it is read from the path given, never copied.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "base/csv.h"
#include "safety/classifier.h"

namespace {

using khien::safety::Category;
using khien::safety::Classifier;
using khien::safety::LabelledText;
using khien::safety::TrainOptions;

struct Counts {
  size_t tp = 0, fp = 0, tn = 0, fn = 0;
  void Add(bool truth, bool predicted) {
    if (truth) {
      predicted ? ++tp : ++fn;
    } else {
      predicted ? ++fp : ++tn;
    }
  }
  double Precision() const { return tp + fp == 0 ? 0 : double(tp) / double(tp + fp); }
  double Recall() const { return tp + fn == 0 ? 0 : double(tp) / double(tp + fn); }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
  double Fpr() const { return fp + tn == 0 ? 0 : double(fp) / double(fp + tn); }
};

std::vector<LabelledText> LoadSet(const std::string& path, const std::string& text_col,
                                  const std::string& label_col,
                                  const std::vector<std::string>& positive) {
  auto table = khien::csv::ReadCsvFile(path, khien::csv::Options::ForPath(path));
  if (!table.ok()) {
    std::fprintf(stderr, "%s\n", table.error().message_en.c_str());
    std::exit(2);
  }
  const auto tc = table->Column(text_col);
  const auto lc = table->Column(label_col);
  if (!tc || !lc) {
    std::fprintf(stderr, "%s: missing column %s or %s\n", path.c_str(), text_col.c_str(),
                 label_col.c_str());
    std::exit(2);
  }
  std::vector<LabelledText> out;
  for (const auto& row : table->rows) {
    if (row.size() <= std::max(*tc, *lc)) continue;
    bool pos = false;
    for (const auto& p : positive) pos = pos || row[*lc] == p;
    out.push_back({row[*tc], pos});
  }
  return out;
}

struct Variant {
  const char* name;
  TrainOptions options;
};

std::vector<Variant> Variants() {
  TrainOptions unigram;
  unigram.features = {.hash_bits = 18,
                      .word_unigrams = true,
                      .word_bigrams = false,
                      .char_min = 1,
                      .char_max = 0,
                      .digits_as_class = false,
                      .dense = false,
                      .accented_words = false};
  unigram.tune_threshold_max_fpr = -1;
  TrainOptions chars;
  chars.features = {.hash_bits = 18,
                    .word_unigrams = false,
                    .word_bigrams = false,
                    .char_min = 1,
                    .char_max = 5,
                    .digits_as_class = false,
                    .dense = false,
                    .accented_words = false};
  chars.tune_threshold_max_fpr = -1;
  TrainOptions full_plain;
  full_plain.tune_threshold_max_fpr = -1;
  TrainOptions full;  // the defaults
  TrainOptions full_fpr1 = full;
  full_fpr1.tune_threshold_max_fpr = 0.01f;
  return {{"word unigrams", unigram},
          {"char 1-5 (baseline)", chars},
          {"full, Platt 0.5", full_plain},
          {"full (default)", full},
          {"full, FPR<=1% thr", full_fpr1}};
}

Counts Evaluate(const Classifier& c, const std::vector<LabelledText>& test, Category cat) {
  Counts counts;
  for (const auto& e : test) {
    const auto p = c.Predict(e.text)[static_cast<size_t>(cat)];
    counts.Add(e.positive, p.value_or(0) >= 0.5f);
  }
  return counts;
}

Counts CrossValidate(const std::vector<LabelledText>& data, int folds, const TrainOptions& o) {
  std::vector<int> fold_of(data.size());
  std::mt19937_64 rng(12345);
  for (int cls = 0; cls < 2; ++cls) {
    std::vector<size_t> members;
    for (size_t i = 0; i < data.size(); ++i) {
      if (data[i].positive == (cls == 1)) members.push_back(i);
    }
    for (size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[rng() % i]);
    for (size_t k = 0; k < members.size(); ++k) fold_of[members[k]] = static_cast<int>(k % folds);
  }
  Counts total;
  for (int f = 0; f < folds; ++f) {
    std::vector<LabelledText> train, test;
    for (size_t i = 0; i < data.size(); ++i) (fold_of[i] == f ? test : train).push_back(data[i]);
    Classifier c;
    auto r = c.Train(Category::kScam, train, o);
    if (!r.ok()) {
      std::fprintf(stderr, "train failed: %s\n", r.error().message_en.c_str());
      std::exit(2);
    }
    const Counts k = Evaluate(c, test, Category::kScam);
    total.tp += k.tp;
    total.fp += k.fp;
    total.tn += k.tn;
    total.fn += k.fn;
  }
  return total;
}

void PrintRow(const char* dataset, const char* variant, const Counts& c, double seconds) {
  std::printf("| %-22s | %-20s | %.3f | %.3f | %.3f | %.2f %% | %5.1f s |\n", dataset, variant,
              c.Precision(), c.Recall(), c.F1(), 100.0 * c.Fpr(), seconds);
  std::fflush(stdout);
}

double Seconds(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool Wanted(const std::string& only, const char* name) {
  return only.empty() || only.find(name) != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  std::string only;
  int folds = 5;
  bool speed = true;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data-dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--folds" && i + 1 < argc) {
      folds = std::atoi(argv[++i]);
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--no-speed") {
      speed = false;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (dir.empty() || folds < 2) {
    std::fprintf(stderr,
                 "usage: %s --data-dir DIR [--folds 5] [--only scam,toxic,spam] [--no-speed]\n",
                 argv[0]);
    return 2;
  }

  const auto scam = LoadSet(dir + "/vi-sms-scam/dev.csv", "content", "label", {"1"});
  std::printf("| dataset | features | precision | recall | F1 | FPR | time |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Variant& v : Variants()) {
    if (Wanted(only, "scam")) {
      Counts c;
      const double s = Seconds([&] { c = CrossValidate(scam, folds, v.options); });
      PrintRow("vi-sms-scam (CV)", v.name, c, s);
    }
    if (Wanted(only, "spam")) {
      static const auto spam = LoadSet(dir + "/en-sms-spam/dev.tsv", "SMS", "Label", {"spam"});
      Counts c;
      const double s = Seconds([&] { c = CrossValidate(spam, folds, v.options); });
      PrintRow("en-sms-spam (CV)", v.name, c, s);
    }
    if (Wanted(only, "toxic")) {
      static const auto train =
          LoadSet(dir + "/vi-hate/train.csv", "free_text", "label_id", {"1", "2"});
      static const auto dev =
          LoadSet(dir + "/vi-hate/dev.csv", "free_text", "label_id", {"1", "2"});
      Counts c;
      const double s = Seconds([&] {
        Classifier m;
        auto r = m.Train(Category::kScam, train, v.options);
        if (!r.ok()) std::exit(2);
        c = Evaluate(m, dev, Category::kScam);
      });
      PrintRow("vi-hate train→dev", v.name, c, s);
    }
  }
  if (!speed) return 0;

  // Throughput: one head (scam) and four heads sharing features, over the scam SMS.
  static Classifier one;
  static Classifier four;
  (void)one.Train(Category::kScam, scam);
  for (Category cat : khien::safety::kAllCategories) (void)four.Train(cat, scam);
  size_t bytes = 0;
  for (const auto& e : scam) bytes += e.text.size();
  const size_t total_bytes = bytes;
  for (const auto& entry :
       {std::make_pair("Predict/one_head", &one), std::make_pair("Predict/four_heads", &four)}) {
    const Classifier* model = entry.second;
    benchmark::RegisterBenchmark(entry.first, [model, total_bytes, &scam](benchmark::State& state) {
      for (auto _ : state) {
        for (const auto& e : scam) benchmark::DoNotOptimize(model->Predict(e.text));
      }
      state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * scam.size()));
      state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes));
    });
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
