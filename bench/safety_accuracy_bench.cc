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
// With --stacked (and --rules DIR): the checker's end-to-end scores instead, on the same folds —
// rules only, the text model alone, rules + text model added (log-odds), the stacked model
// (rule hits, entities and rule weight sums as features; what `khien safety train` builds),
// and, where the data knows the sender (vi-sms-scam `sender_type`), stacked + sender. The
// scores are combined exactly as Checker::Check does (checker.h). Training options for the
// grid: --max-fpr X, --class-balance X, --epochs N, --l2 X, --learning-rate X, --tfidf, --nb,
// --char-min N, --char-max N, --hash-bits N, --no-char-wb, --no-block-norm,
// --no-accented-bigrams, --no-shapes, --message-shapes / --no-message-shapes,
// --round1-features (all four off and char 2-5),
// --nb-ensemble / --no-nb-ensemble, --average-folds / --no-average-folds, --seed N (training
// shuffles and calibration folds, not the evaluation folds), applied in order
// on top of `khien safety train`'s defaults for the category (DefaultTrainOptionsFor), or on
// top of TrainOptions{} (the round-3 defaults) with --no-category-defaults. Set
// KHIEN_DUMP_ERRORS=1 to list the misclassified messages of the stacked (+ sender) model on
// stderr.
//
// The data is research-use only: it is read from the path given, never copied.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "base/csv.h"
#include "safety/checker.h"
#include "safety/classifier.h"
#include "safety/retrain.h"

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
                                  const std::vector<std::string>& positive,
                                  const std::string& sender_col = "",
                                  std::vector<std::string>* senders = nullptr) {
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
    out.push_back({row[*tc], pos, {}});
    if (senders != nullptr) {
      const auto sc = table->Column(sender_col);
      senders->push_back(sc && *sc < row.size() ? row[*sc] : "");
    }
  }
  return out;
}

// ---- End-to-end comparison (--stacked) -----------------------------------------------------

struct RuleView {
  std::vector<khien::safety::Evidence> evidence;
  std::vector<double> score;  // rules-only score of the category
  std::vector<double> floor;  // log-odds floor of its `at_least` rules (Checker::FloorLogOdds)
};

RuleView ApplyRules(const khien::safety::Checker& checker, const std::vector<LabelledText>& data,
                    Category cat) {
  RuleView v;
  v.evidence.resize(data.size());
  v.score.assign(data.size(), 0.0);
  v.floor.assign(data.size(), -std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < data.size(); ++i) {
    auto r = checker.Check(data[i].text);
    if (!r.ok()) continue;
    v.evidence[i] = khien::safety::RuleEvidence(*r);
    v.score[i] = r->score(cat);
    v.floor[i] = checker.FloorLogOdds(*r)[static_cast<size_t>(cat)];
  }
  return v;
}


struct Configs {
  Counts rules, text, added, stacked, sender;
};

// Trains the text, stacked (and stacked + sender) models on `train` and scores `test`.
void CompareSplit(const std::vector<LabelledText>& train_set, const RuleView& train_rules,
                  const std::vector<std::string>& train_senders,
                  const std::vector<LabelledText>& test_set, const RuleView& test_rules,
                  const std::vector<std::string>& test_senders, const std::vector<size_t>& train,
                  const std::vector<size_t>& test, Category cat, const TrainOptions& options,
                  Configs* out) {
  const bool with_sender = !train_senders.empty();
  std::vector<LabelledText> text_rows, stacked_rows, sender_rows;
  for (size_t i : train) {
    text_rows.push_back({train_set[i].text, train_set[i].positive, {}});
    stacked_rows.push_back({train_set[i].text, train_set[i].positive, train_rules.evidence[i]});
    if (with_sender) {
      sender_rows.push_back(stacked_rows.back());
      sender_rows.back().evidence.AddSender(train_senders[i]);
    }
  }
  TrainOptions stacked_options = options;
  stacked_options.features.evidence = true;
  Classifier text_model, stacked_model, sender_model;
  if (!text_model.Train(cat, text_rows, options).ok() ||
      !stacked_model.Train(cat, stacked_rows, stacked_options).ok() ||
      (with_sender && !sender_model.Train(cat, sender_rows, stacked_options).ok())) {
    std::fprintf(stderr, "training failed\n");
    std::exit(2);
  }
  const size_t c = static_cast<size_t>(cat);
  for (size_t i : test) {
    const bool y = test_set[i].positive;
    const double p_text = text_model.Predict(test_set[i].text)[c].value_or(0);
    const double s_rules = test_rules.score[i];
    // As Check: the combined log-odds, raised to the floor of the `at_least` rules.
    const double floor = test_rules.floor[i];
    const auto flagged = [floor](double log_odds) { return std::max(log_odds, floor) >= 0; };
    out->rules.Add(y, s_rules >= 0.5);
    out->text.Add(y, p_text >= 0.5);
    out->added.Add(y, flagged(khien::safety::LogOdds(s_rules) + khien::safety::AdditiveModelLogOdds(p_text)));
    const float pst = stacked_model.Predict(test_set[i].text, &test_rules.evidence[i])[c].value_or(0);
    const bool stacked_flag = flagged(khien::safety::LogOdds(pst));
    out->stacked.Add(y, stacked_flag);
    if (!with_sender && std::getenv("KHIEN_DUMP_ERRORS") != nullptr && y != stacked_flag) {
      std::fprintf(stderr, "%s %.2f | %s\n", y ? "FN" : "FP", pst, test_set[i].text.substr(0, 200).c_str());
    }
    if (with_sender) {
      khien::safety::Evidence e = test_rules.evidence[i];
      e.AddSender(test_senders[i]);
      const float ps = sender_model.Predict(test_set[i].text, &e)[c].value_or(0);
      const bool sender_flag = flagged(khien::safety::LogOdds(ps));
      out->sender.Add(y, sender_flag);
      if (std::getenv("KHIEN_DUMP_ERRORS") != nullptr && y != sender_flag) {
        std::fprintf(stderr, "%s %.2f %s | %s\n", y ? "FN" : "FP", ps, test_senders[i].c_str(),
                     test_set[i].text.substr(0, 200).c_str());
      }
    }
  }
}

std::vector<int> StratifiedFolds(const std::vector<LabelledText>& data, int folds) {
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
  return fold_of;
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
                      .accented_words = false,
                      .char_word_bounded = false,
                      .block_norm = false,
                      .accented_bigrams = false,
                      .number_shapes = false};
  unigram.tune_threshold_max_fpr = -1;
  TrainOptions chars;
  chars.features = {.hash_bits = 18,
                    .word_unigrams = false,
                    .word_bigrams = false,
                    .char_min = 1,
                    .char_max = 5,
                    .digits_as_class = false,
                    .dense = false,
                    .accented_words = false,
                    .char_word_bounded = false,
                    .block_norm = false,
                    .accented_bigrams = false,
                    .number_shapes = false};
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

void PrintConfigs(const char* dataset, const Configs& c, bool with_sender, double seconds) {
  PrintRow(dataset, "rules only", c.rules, 0);
  PrintRow(dataset, "text model only", c.text, 0);
  PrintRow(dataset, "rules + model, added", c.added, 0);
  PrintRow(dataset, "stacked", c.stacked, seconds);
  if (with_sender) PrintRow(dataset, "stacked + sender", c.sender, 0);
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
  bool stacked = false;
  std::string rules_dir = "rules";
  // Training options: `khien safety train`'s defaults for the category (DefaultTrainOptionsFor),
  // then the flags in order (with --no-category-defaults: TrainOptions{} instead).
  std::vector<std::function<void(TrainOptions*)>> tweaks;
  bool category_defaults = true;
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
    } else if (a == "--stacked") {
      stacked = true;
    } else if (a == "--rules" && i + 1 < argc) {
      rules_dir = argv[++i];
    } else if (a == "--max-fpr" && i + 1 < argc) {
      tweaks.push_back([v = std::stof(argv[++i])](TrainOptions* g) { g->tune_threshold_max_fpr = v; });
    } else if (a == "--class-balance" && i + 1 < argc) {
      tweaks.push_back([v = std::stof(argv[++i])](TrainOptions* g) { g->class_balance = v; });
    } else if (a == "--epochs" && i + 1 < argc) {
      tweaks.push_back([v = std::atoi(argv[++i])](TrainOptions* g) { g->epochs = v; });
    } else if (a == "--l2" && i + 1 < argc) {
      tweaks.push_back([v = std::stof(argv[++i])](TrainOptions* g) { g->l2 = v; });
    } else if (a == "--seed" && i + 1 < argc) {
      tweaks.push_back([v = std::stoull(argv[++i])](TrainOptions* g) { g->seed = v; });
    } else if (a == "--bags" && i + 1 < argc) {
      tweaks.push_back([v = std::atoi(argv[++i])](TrainOptions* g) { g->bags = v; });
    } else if (a == "--no-category-defaults") {
      category_defaults = false;
    } else if (a == "--nb-ensemble") {
      tweaks.push_back([v = true](TrainOptions* g) { g->nb_ensemble = v; });
    } else if (a == "--no-nb-ensemble") {
      tweaks.push_back([v = false](TrainOptions* g) { g->nb_ensemble = v; });
    } else if (a == "--average-folds") {
      tweaks.push_back([v = true](TrainOptions* g) { g->average_fold_models = v; });
    } else if (a == "--no-average-folds") {
      tweaks.push_back([v = false](TrainOptions* g) { g->average_fold_models = v; });
    } else if (a == "--nb") {
      tweaks.push_back([v = true](TrainOptions* g) { g->features.nb_ratio = v; });
    } else if (a == "--round1-features") {
      tweaks.push_back([](TrainOptions* g) { g->features.UseRound1Features(); });
    } else if (a == "--no-char-wb") {
      tweaks.push_back([v = false](TrainOptions* g) { g->features.char_word_bounded = v; });
    } else if (a == "--no-block-norm") {
      tweaks.push_back([v = false](TrainOptions* g) { g->features.block_norm = v; });
    } else if (a == "--no-accented-bigrams") {
      tweaks.push_back([v = false](TrainOptions* g) { g->features.accented_bigrams = v; });
    } else if (a == "--no-shapes") {
      tweaks.push_back([v = false](TrainOptions* g) { g->features.number_shapes = v; });
    } else if (a == "--message-shapes") {
      tweaks.push_back([v = true](TrainOptions* g) { g->features.message_shapes = v; });
    } else if (a == "--no-message-shapes") {
      tweaks.push_back([v = false](TrainOptions* g) { g->features.message_shapes = v; });
    } else if (a == "--tfidf") {
      tweaks.push_back([v = true](TrainOptions* g) { g->features.tfidf = v; });
    } else if (a == "--char-max" && i + 1 < argc) {
      tweaks.push_back([v = static_cast<uint8_t>(std::atoi(argv[++i]))](TrainOptions* g) { g->features.char_max = v; });
    } else if (a == "--char-min" && i + 1 < argc) {
      tweaks.push_back([v = static_cast<uint8_t>(std::atoi(argv[++i]))](TrainOptions* g) { g->features.char_min = v; });
    } else if (a == "--hash-bits" && i + 1 < argc) {
      tweaks.push_back(
          [v = static_cast<uint8_t>(std::atoi(argv[++i]))](TrainOptions* g) { g->features.hash_bits = v; });
    } else if (a == "--learning-rate" && i + 1 < argc) {
      tweaks.push_back([v = std::stof(argv[++i])](TrainOptions* g) { g->learning_rate = v; });
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

  if (stacked) {
    khien::safety::CheckerOptions co;
    co.rules_dir = rules_dir;
    co.use_classifier = false;
    auto checker = khien::safety::Checker::Create(co);
    if (!checker.ok()) {
      std::fprintf(stderr, "%s\n", checker.error().message_en.c_str());
      return 2;
    }
    const auto options_for = [&](const char* name, Category cat) {
      TrainOptions grid = category_defaults ? khien::safety::DefaultTrainOptionsFor(cat) : TrainOptions{};
      for (const auto& t : tweaks) t(&grid);
      std::printf(
          "%s options: max_fpr %.3f, class_balance %.2f, epochs %d, l2 %g, learning_rate %g, "
          "tfidf %d, nb %d, char %d-%d, hash_bits %d, char_wb %d, block_norm %d, "
          "accented_bigrams %d, shapes %d, message_shapes %d, nb_ensemble %d, average_folds %d, bags %d\n",
          name, grid.tune_threshold_max_fpr, grid.class_balance, grid.epochs, grid.l2, grid.learning_rate,
          grid.features.tfidf ? 1 : 0, grid.features.nb_ratio ? 1 : 0, grid.features.char_min, grid.features.char_max,
          grid.features.hash_bits, grid.features.char_word_bounded ? 1 : 0, grid.features.block_norm ? 1 : 0,
          grid.features.accented_bigrams ? 1 : 0, grid.features.number_shapes ? 1 : 0,
          grid.features.message_shapes ? 1 : 0, grid.nb_ensemble ? 1 : 0,
          grid.average_fold_models ? 1 : 0, grid.bags);
      return grid;
    };

    std::printf("| dataset | scoring | precision | recall | F1 | FPR | time |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    const auto cross_validate = [&](const char* name, const std::vector<LabelledText>& data,
                                    const std::vector<std::string>& senders, Category cat) {
      const TrainOptions grid = options_for(name, cat);
      const RuleView rules = ApplyRules(*checker, data, cat);
      const std::vector<int> fold_of = StratifiedFolds(data, folds);
      Configs c;
      const double s = Seconds([&] {
        for (int f = 0; f < folds; ++f) {
          std::vector<size_t> train, test;
          for (size_t i = 0; i < data.size(); ++i) (fold_of[i] == f ? test : train).push_back(i);
          CompareSplit(data, rules, senders, data, rules, senders, train, test, cat, grid, &c);
        }
      });
      PrintConfigs(name, c, !senders.empty(), s);
    };
    if (Wanted(only, "scam")) {
      std::vector<std::string> senders;
      const auto data =
          LoadSet(dir + "/vi-sms-scam/dev.csv", "content", "label", {"1"}, "sender_type", &senders);
      cross_validate("vi-sms-scam (CV)", data, senders, Category::kScam);
    }
    if (Wanted(only, "spam")) {
      const auto data = LoadSet(dir + "/en-sms-spam/dev.tsv", "SMS", "Label", {"spam"});
      cross_validate("en-sms-spam (CV)", data, {}, Category::kScam);
    }
    if (Wanted(only, "toxic")) {
      const auto train = LoadSet(dir + "/vi-hate/train.csv", "free_text", "label_id", {"1", "2"});
      const auto dev = LoadSet(dir + "/vi-hate/dev.csv", "free_text", "label_id", {"1", "2"});
      const RuleView train_rules = ApplyRules(*checker, train, Category::kToxic);
      const RuleView dev_rules = ApplyRules(*checker, dev, Category::kToxic);
      std::vector<size_t> all_train(train.size()), all_dev(dev.size());
      for (size_t i = 0; i < train.size(); ++i) all_train[i] = i;
      for (size_t i = 0; i < dev.size(); ++i) all_dev[i] = i;
      const TrainOptions grid = options_for("vi-hate train→dev", Category::kToxic);
      Configs c;
      const double s = Seconds([&] {
        CompareSplit(train, train_rules, {}, dev, dev_rules, {}, all_train, all_dev,
                     Category::kToxic, grid, &c);
      });
      PrintConfigs("vi-hate train→dev", c, false, s);
    }
    if (Wanted(only, "toxcv")) {
      const auto data = LoadSet(dir + "/vi-hate/train.csv", "free_text", "label_id", {"1", "2"});
      cross_validate("vi-hate train (CV)", data, {}, Category::kToxic);
    }
    return 0;
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
