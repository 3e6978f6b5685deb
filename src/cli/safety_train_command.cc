#include "cli/safety_train_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/csv.h"
#include "base/text.h"
#include "cli/common.h"
#include "moderation/service.h"
#include "safety/checker.h"
#include "safety/classifier.h"
#include "safety/default_model.h"
#include "safety/retrain.h"

namespace khien::cli {
namespace {

using safety::Category;
using safety::Classifier;
using safety::LabelledText;

struct DataOptions {
  std::string data;
  std::string text_col;
  std::string label_col;
  std::string sender_col;  // empty: no sender
  std::vector<std::string> positive = {"1"};
  std::string format = "auto";  // auto (by extension), csv, tsv
  std::string rules_dir;        // empty: as `khien check` finds them
  bool no_stack = false;        // text features only, rule weights added at check time
  bool tfidf = false;
  bool nb_ratio = false;
  bool round1_features = false;  // the features before round 3, to compare
  bool nb_ensemble = false;
  bool average_folds = false;
  bool message_shapes = false;
  int bags = safety::TrainOptions{}.bags;
  int hash_bits = 18;
  int epochs = safety::TrainOptions{}.epochs;
  float max_fpr = safety::TrainOptions{}.tune_threshold_max_fpr;
  float class_balance = safety::TrainOptions{}.class_balance;
  float l2 = safety::TrainOptions{}.l2;
  float learning_rate = safety::TrainOptions{}.learning_rate;
  // The options below override DefaultTrainOptionsFor(category) only when given.
  CLI::Option* epochs_given = nullptr;
  CLI::Option* nb_ensemble_given = nullptr;
  CLI::Option* average_folds_given = nullptr;
  CLI::Option* bags_given = nullptr;
  CLI::Option* max_fpr_given = nullptr;
  CLI::Option* hash_bits_given = nullptr;
  CLI::Option* message_shapes_given = nullptr;
};

void AddDataOptions(CLI::App* cmd, DataOptions* o, bool data_required) {
  auto* data =
      cmd->add_option("--data", o->data, "Tệp CSV/TSV có nhãn / labelled CSV or TSV file");
  auto* text = cmd->add_option("--text-col", o->text_col,
                               "Cột văn bản / text column (name or 0-based index)");
  auto* label =
      cmd->add_option("--label-col", o->label_col, "Cột nhãn / label column (name or index)");
  if (data_required) {
    data->required();
    text->required();
    label->required();
  }
  cmd->add_option("--sender-col", o->sender_col,
                  "Cột loại người gửi (brandname, phone, shortcode) / sender kind column");
  cmd->add_option("--positive", o->positive,
                  "Giá trị nhãn dương tính / label values that mean positive (default 1)");
  cmd->add_option("--format", o->format, "auto | csv | tsv (auto: by file extension)")
      ->check(CLI::IsMember({"auto", "csv", "tsv"}));
  cmd->add_option("--rules", o->rules_dir, "Thư mục luật / rules folder");
  cmd->add_flag("--no-stack", o->no_stack,
                "Không dùng luật làm đặc trưng / text features only (rule weights added at "
                "check time)");
  cmd->add_flag("--tfidf", o->tfidf,
                "TF-IDF (tf dưới tuyến tính, idf) thay cho đếm nhị phân / sublinear TF-IDF "
                "values instead of binary counts");
  cmd->add_flag("--nb-ratio", o->nb_ratio,
                "Nhân đặc trưng với tỉ lệ log Naive Bayes (NB-SVM) / scale features by NB "
                "log-count ratios (NB-SVM)");
  o->nb_ensemble_given =
      cmd->add_flag("--nb-ensemble,!--no-nb-ensemble", o->nb_ensemble,
                    "Cộng thêm mô hình NB-LR (đặc trưng nhân tỉ lệ log Naive Bayes) vào hồi quy logistic, "
                    "gộp thành một vectơ trọng số (mặc định: chỉ nhóm toxic) / add an NB-LR model "
                    "(features scaled by Naive Bayes log-count ratios) to the logistic regression, folded "
                    "into one weight vector (default: toxic only)");
  o->average_folds_given =
      cmd->add_flag("--average-folds,!--no-average-folds", o->average_folds,
                    "Lấy trung bình mô hình đầy đủ với các mô hình của các phần hiệu chỉnh (mặc định: chỉ "
                    "nhóm toxic) / average the full model with the calibration folds' models (default: "
                    "toxic only)");
  o->bags_given = cmd->add_option("--bags", o->bags,
                                  "Số mô hình (hạt giống khác nhau) lấy trung bình (mặc định: scam "
                                  "5, nhóm khác 1) / models with different seeds averaged "
                                  "(default: scam 5, others 1; training takes that many times "
                                  "as long)")
                      ->check(CLI::Range(1, 20));
  cmd->add_flag("--round1-features", o->round1_features,
                "Đặc trưng cũ (n-gram ký tự 2-5 qua ranh giới từ, một chuẩn chung) / the "
                "round-1 features (char 2-5-grams across words, one norm), to compare");
  o->message_shapes_given =
      cmd->add_flag("--message-shapes,!--no-message-shapes", o->message_shapes,
                    "Đặc trưng hình dạng tin nhắn: độ dài, số từ, tỉ lệ chữ hoa / message-shape "
                    "tokens: length, word count, share of capitals");
  o->hash_bits_given = cmd->add_option("--hash-bits", o->hash_bits, "Số bit băm đặc trưng (mặc định 18, toxic 20) / feature hash bits (16-22; default 18, toxic 20)")
      ->check(CLI::Range(16, 22));
  o->epochs_given = cmd->add_option("--epochs", o->epochs,
                                    "Số lượt huấn luyện (mặc định 10, toxic 5) / training epochs "
                                    "(default 10, toxic 5)")
                        ->check(CLI::Range(1, 200));
  o->max_fpr_given =
      cmd->add_option("--max-fpr", o->max_fpr,
                      "Ngưỡng 0.5 chọn theo F1 với tỉ lệ báo nhầm tối đa (mặc định: scam 0.01, nhóm khác 1) / "
                      "0.5 threshold picked for best F1 with at most this false-positive rate on out-of-fold "
                      "scores (default: scam 0.01, others 1 = no limit; negative: plain probabilities)");
  cmd->add_option("--class-balance", o->class_balance,
                  "Cân bằng lớp 0..1 / class weighting (0 plain, 1 balanced)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--l2", o->l2, "Phạt L2 / L2 penalty")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--learning-rate", o->learning_rate, "Bước AdaGrad / AdaGrad step size")
      ->check(CLI::Range(0.001, 10.0));
}

safety::TrainOptions ToTrainOptions(const DataOptions& o, bool stacked, Category category) {
  safety::TrainOptions t = safety::DefaultTrainOptionsFor(category);
  t.features.evidence = stacked;
  t.features.tfidf = o.tfidf;
  t.features.nb_ratio = o.nb_ratio;
  if (o.round1_features) t.features.UseRound1Features();
  const auto given = [](const CLI::Option* opt) { return opt != nullptr && opt->count() > 0; };
  if (given(o.nb_ensemble_given)) t.nb_ensemble = o.nb_ensemble;
  if (given(o.average_folds_given)) t.average_fold_models = o.average_folds;
  if (given(o.epochs_given)) t.epochs = o.epochs;
  if (given(o.bags_given)) t.bags = o.bags;
  if (given(o.message_shapes_given)) t.features.message_shapes = o.message_shapes;
  if (given(o.hash_bits_given)) t.features.hash_bits = static_cast<uint8_t>(o.hash_bits);
  if (given(o.max_fpr_given)) t.tune_threshold_max_fpr = o.max_fpr;
  t.class_balance = o.class_balance;
  t.l2 = o.l2;
  t.learning_rate = o.learning_rate;
  return t;
}

Result<size_t> FindColumn(const csv::CsvTable& table, const std::string& name,
                          const std::string& path) {
  if (auto c = table.Column(name)) return *c;
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
    const size_t index = std::stoul(name);
    if (index < table.header.size()) return index;
  }
  return Error::InvalidInput("column", "Tệp " + path + " không có cột \"" + name + "\".",
                             "File " + path + " has no column \"" + name + "\".");
}

// Labelled examples and, when a sender column was given, each one's sender.
struct Examples {
  std::vector<LabelledText> items;
  std::vector<std::string> senders;  // empty or one per item
};

Result<Examples> ReadExamples(const DataOptions& o) {
  const csv::Options format = o.format == "csv"   ? csv::Options::Csv()
                              : o.format == "tsv" ? csv::Options::Tsv()
                                                  : csv::Options::ForPath(o.data);
  KHIEN_ASSIGN_OR_RETURN(csv::CsvTable table, csv::ReadCsvFile(o.data, format));
  KHIEN_ASSIGN_OR_RETURN(size_t text, FindColumn(table, o.text_col, o.data));
  KHIEN_ASSIGN_OR_RETURN(size_t label, FindColumn(table, o.label_col, o.data));
  std::optional<size_t> sender;
  if (!o.sender_col.empty()) {
    KHIEN_ASSIGN_OR_RETURN(sender, FindColumn(table, o.sender_col, o.data));
  }
  const size_t needed = std::max({text, label, sender.value_or(0)});
  Examples out;
  out.items.reserve(table.rows.size());
  size_t skipped = 0;
  for (const csv::Row& row : table.rows) {
    if (row.size() <= needed) {
      ++skipped;
      continue;
    }
    bool positive = false;
    for (const std::string& v : o.positive) positive = positive || row[label] == v;
    out.items.push_back({row[text], positive, {}});
    if (sender) out.senders.push_back(row[*sender]);
  }
  if (skipped > 0) {
    std::cerr << "Bỏ qua " << skipped << " dòng thiếu cột / skipped " << skipped
              << " rows with missing fields\n";
  }
  return out;
}

// A rules-only checker with the rules `khien check` would use, to collect evidence.
Result<safety::Checker> RulesOnlyChecker(const DataOptions& o) {
  safety::CheckerOptions options;
  options.rules_dir = o.rules_dir;
  if (options.rules_dir.empty()) {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    options.rules_dir = safety::DefaultRulesDir(ec ? "" : exe.string());
  }
  options.use_classifier = false;
  return safety::Checker::Create(options);
}

// What the rules found in each example: its evidence for a stacked head, the rules-only
// score and the `at_least` floor per category. Messages the checker rejects (too long,
// invalid UTF-8) get none.
struct RuleView {
  std::vector<safety::Evidence> evidence;
  std::vector<std::array<double, safety::kAllCategories.size()>> score;
  std::vector<std::array<double, safety::kAllCategories.size()>> floor;  // log-odds
};

Result<RuleView> ApplyRules(const DataOptions& o, const std::vector<LabelledText>& items) {
  KHIEN_ASSIGN_OR_RETURN(safety::Checker checker, RulesOnlyChecker(o));
  RuleView view;
  view.evidence.resize(items.size());
  view.score.resize(items.size());
  view.floor.resize(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    view.score[i].fill(0.0);
    view.floor[i].fill(-std::numeric_limits<double>::infinity());
    auto r = checker.Check(items[i].text);
    if (!r.ok()) continue;
    view.evidence[i] = safety::RuleEvidence(*r);
    view.score[i] = r->scores;
    view.floor[i] = checker.FloorLogOdds(*r);
  }
  return view;
}

size_t CountPositives(const std::vector<LabelledText>& examples) {
  size_t n = 0;
  for (const auto& e : examples) n += e.positive ? 1 : 0;
  return n;
}

// Confirmed reports from the moderators' queue.
Result<std::vector<LabelledText>> ReadConfirmedReports(const GlobalOptions& global) {
  KHIEN_ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, OpenReadyDatabase(global));
  return moderation::ConfirmedReportExamples(*db);
}

struct TrainRequest {
  DataOptions data;
  std::string category;
  std::string out;
  bool from_reports = false;
  GlobalOptions global;
};

// Confirmed reports carry the labels scam / safe only.
Result<void> RequireScamForReports(Category category) {
  if (category == Category::kScam) return Ok();
  return Error::InvalidInput("category",
                             "Báo cáo đã xác nhận chỉ có nhãn lừa đảo / an toàn: dùng "
                             "--category scam.",
                             "Confirmed reports are labelled scam or safe only: use "
                             "--category scam.");
}

// --from-reports without --data: the whole model the server would build (the shipped heads,
// the scam head retrained on the curated examples plus the confirmed reports), written to --out.
Result<void> RetrainFromReports(const TrainRequest& request, Category category) {
  KHIEN_RETURN_IF_ERROR(RequireScamForReports(category));
  KHIEN_ASSIGN_OR_RETURN(std::vector<LabelledText> reports, ReadConfirmedReports(request.global));
  KHIEN_ASSIGN_OR_RETURN(safety::Checker rules_only, RulesOnlyChecker(request.data));
  safety::RetrainSummary summary;
  KHIEN_ASSIGN_OR_RETURN(Classifier model,
                         safety::RetrainWithReports(rules_only, std::move(reports), &summary));
  KHIEN_RETURN_IF_ERROR(model.Save(request.out));
  std::cout << "Đã huấn luyện lại nhóm scam từ " << summary.examples << " ví dụ ("
            << summary.reports_scam << " báo cáo lừa đảo, " << summary.reports_safe
            << " báo cáo an toàn đã xác nhận), các nhóm khác như mô hình có sẵn; lưu vào "
            << request.out << "\n"
            << "Retrained the scam head on " << summary.examples << " examples ("
            << summary.reports_scam << " confirmed scam and " << summary.reports_safe
            << " confirmed safe reports), other heads as shipped; saved to " << request.out << "\n";
  return Ok();
}

Result<void> RunTrain(const TrainRequest& request) {
  const DataOptions& o = request.data;
  const auto category = safety::ParseCategory(request.category);
  if (!category) {
    return Error::InvalidInput("category", "Nhóm không hợp lệ: " + request.category + ".",
                               "Unknown category: " + request.category + ".");
  }
  if (o.data.empty() && request.from_reports) return RetrainFromReports(request, *category);
  if (o.data.empty()) {
    return Error::InvalidInput("data", "Cần --data hoặc --from-reports.",
                               "Give --data or --from-reports.");
  }
  if (o.text_col.empty() || o.label_col.empty()) {
    return Error::InvalidInput("data", "Cần --text-col và --label-col cùng với --data.",
                               "--data needs --text-col and --label-col.");
  }
  KHIEN_ASSIGN_OR_RETURN(Examples examples, ReadExamples(o));
  size_t from_reports = 0;
  if (request.from_reports) {
    KHIEN_RETURN_IF_ERROR(RequireScamForReports(*category));
    KHIEN_ASSIGN_OR_RETURN(std::vector<LabelledText> reports,
                           ReadConfirmedReports(request.global));
    from_reports = reports.size();
    for (LabelledText& r : reports) {
      examples.items.push_back(std::move(r));
      if (!examples.senders.empty()) examples.senders.emplace_back();
    }
  }
  const bool stacked = !o.no_stack;
  if (stacked) {
    KHIEN_ASSIGN_OR_RETURN(RuleView view, ApplyRules(o, examples.items));
    for (size_t i = 0; i < examples.items.size(); ++i) {
      examples.items[i].evidence = std::move(view.evidence[i]);
      if (!examples.senders.empty()) examples.items[i].evidence.AddSender(examples.senders[i]);
    }
  }
  Classifier model;
  if (std::filesystem::exists(request.out)) {
    KHIEN_ASSIGN_OR_RETURN(model, Classifier::Load(request.out));
  }
  const safety::TrainOptions options = ToTrainOptions(o, stacked, *category);
  KHIEN_RETURN_IF_ERROR(model.Train(*category, examples.items, options));
  KHIEN_RETURN_IF_ERROR(model.Save(request.out));
  const size_t positives = CountPositives(examples.items);
  const std::string& name = request.category;
  const int bits = options.features.hash_bits;
  std::cout << "Đã huấn luyện nhóm " << name << " từ " << examples.items.size() << " ví dụ ("
            << positives << " dương tính, " << from_reports << " từ báo cáo đã xác nhận"
            << (stacked ? ", dùng luật làm đặc trưng" : "") << ", 2^" << bits
            << " ô đặc trưng), lưu vào " << request.out << "\n"
            << "Trained head " << name << " on " << examples.items.size() << " examples ("
            << positives << " positive, " << from_reports << " from confirmed reports"
            << (stacked ? ", rules as features" : "") << ", 2^" << bits
            << " feature buckets), saved to " << request.out << "\n";
  return Ok();
}

struct Counts {
  size_t tp = 0, fp = 0, tn = 0, fn = 0;
  void Add(bool positive, bool flagged) {
    if (positive) {
      flagged ? ++tp : ++fn;
    } else {
      flagged ? ++fp : ++tn;
    }
  }
  void Print(const char* name) const {
    const double precision =
        tp + fp == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
    const double recall =
        tp + fn == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
    const double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    const double fpr = fp + tn == 0 ? 0 : static_cast<double>(fp) / static_cast<double>(fp + tn);
    std::printf("%-28s %9.3f %7.3f %6.3f %8.2f %%   %5zu %5zu %6zu %5zu\n", name, precision,
                recall, f1, 100.0 * fpr, tp, fp, tn, fn);
  }
};


// Every configuration is measured on the same folds in one run; the scores are combined
// exactly as Checker::Check combines them (see checker.h).
Result<void> RunCrossValidation(const DataOptions& o, int folds, const std::string& category_name,
                                bool text_only, bool show_errors) {
  const auto category = safety::ParseCategory(category_name);
  if (!category) {
    return Error::InvalidInput("category", "Nhóm không hợp lệ: " + category_name + ".",
                               "Unknown category: " + category_name + ".");
  }
  const size_t cat = static_cast<size_t>(*category);
  KHIEN_ASSIGN_OR_RETURN(Examples examples, ReadExamples(o));
  const std::vector<LabelledText>& items = examples.items;
  RuleView rules;
  if (!text_only) {
    KHIEN_ASSIGN_OR_RETURN(rules, ApplyRules(o, items));
  }
  // Stratified folds: positives and negatives dealt round-robin after a fixed shuffle, so
  // every fold has the class balance of the whole file.
  std::vector<int> fold_of(items.size());
  uint64_t state = 20261128;
  auto next = [&state] {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  for (int cls = 0; cls < 2; ++cls) {
    std::vector<size_t> members;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].positive == (cls == 1)) members.push_back(i);
    }
    for (size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[next() % i]);
    for (size_t k = 0; k < members.size(); ++k) fold_of[members[k]] = static_cast<int>(k % folds);
  }
  const bool with_sender = !examples.senders.empty() && !text_only;
  Counts rules_only, text, added, stacked, stacked_sender;
  // Out-of-fold mistakes of the last configuration printed (the fullest one), in file order.
  std::vector<std::pair<size_t, bool>> mistakes;  // example, flagged
  auto note = [&](size_t i, bool flagged) {
    if (show_errors && flagged != items[i].positive) mistakes.emplace_back(i, flagged);
  };
  for (int f = 0; f < folds; ++f) {
    // One training set per view of the evidence: none, rules, rules + sender.
    std::vector<LabelledText> train_text, train_stacked, train_sender;
    std::vector<size_t> test;
    for (size_t i = 0; i < items.size(); ++i) {
      if (fold_of[i] == f) {
        test.push_back(i);
        continue;
      }
      train_text.push_back({items[i].text, items[i].positive, {}});
      if (text_only) continue;
      train_stacked.push_back({items[i].text, items[i].positive, rules.evidence[i]});
      if (with_sender) {
        train_sender.push_back(train_stacked.back());
        train_sender.back().evidence.AddSender(examples.senders[i]);
      }
    }
    Classifier text_model, stacked_model, sender_model;
    KHIEN_RETURN_IF_ERROR(text_model.Train(*category, train_text, ToTrainOptions(o, false, *category)));
    if (!text_only) {
      KHIEN_RETURN_IF_ERROR(stacked_model.Train(*category, train_stacked, ToTrainOptions(o, true, *category)));
    }
    if (with_sender) {
      KHIEN_RETURN_IF_ERROR(sender_model.Train(*category, train_sender, ToTrainOptions(o, true, *category)));
    }
    for (size_t i : test) {
      const bool positive = items[i].positive;
      const double p_text = text_model.Predict(items[i].text)[cat].value_or(0.0f);
      text.Add(positive, p_text >= 0.5);
      if (text_only) {
        note(i, p_text >= 0.5);
        continue;
      }
      const double s_rules = rules.score[i][cat];
      // As Check: the combined log-odds, raised to the floor of the `at_least` rules.
      const double floor = rules.floor[i][cat];
      const auto flagged = [floor](double log_odds) { return std::max(log_odds, floor) >= 0; };
      rules_only.Add(positive, s_rules >= 0.5);
      added.Add(positive, flagged(safety::LogOdds(s_rules) + safety::AdditiveModelLogOdds(p_text)));
      const bool stacked_flag = flagged(safety::LogOdds(
          stacked_model.Predict(items[i].text, &rules.evidence[i])[cat].value_or(0)));
      stacked.Add(positive, stacked_flag);
      if (with_sender) {
        safety::Evidence e = rules.evidence[i];
        e.AddSender(examples.senders[i]);
        const bool sender_flag =
            flagged(safety::LogOdds(sender_model.Predict(items[i].text, &e)[cat].value_or(0)));
        stacked_sender.Add(positive, sender_flag);
        note(i, sender_flag);
      } else {
        note(i, stacked_flag);
      }
    }
  }
  std::printf("examples %zu (positive %zu), %d folds, category %s\n", items.size(),
              CountPositives(items), folds, category_name.c_str());
  std::printf("%-28s %9s %7s %6s %10s   %5s %5s %6s %5s\n", "configuration", "precision",
              "recall", "F1", "FPR", "tp", "fp", "tn", "fn");
  if (!text_only) rules_only.Print("rules only");
  text.Print("model only (text)");
  if (!text_only) {
    added.Print("rules + model (added)");
    stacked.Print("stacked (rules as features)");
  }
  if (with_sender) stacked_sender.Print("stacked + sender");
  std::sort(mistakes.begin(), mistakes.end());
  for (const auto& [i, flagged] : mistakes) PrintMistake(flagged, items[i].text);
  return Ok();
}

}  // namespace

void PrintMistake(bool flagged, std::string_view text) {
  std::cerr << (flagged ? "FP" : "FN") << "\t" << text::Utf8Prefix(text, 160) << "\n";
}

void AddSafetyTrainCommand(CLI::App& safety) {
  auto request = std::make_shared<TrainRequest>();
  CLI::App* train = safety.add_subcommand(
      "train", "Huấn luyện bộ phân loại từ dữ liệu có nhãn / train a classifier head");
  AddDataOptions(train, &request->data, false);
  train->add_option("--category", request->category, "scam | grooming | toxic | privacy")
      ->required();
  train->add_option("--out", request->out, "Tệp mô hình (thêm/thay nhóm nếu đã có) / model file")
      ->required();
  train->add_flag("--from-reports", request->from_reports,
                  "Thêm các báo cáo đã được kiểm duyệt viên xác nhận (cần --db) / add "
                  "moderators' confirmed reports (needs --db)");
  AddDbOption(*train, request->global);
  train->callback([request] {
    if (auto r = RunTrain(*request); !r.ok()) throw ExitCode{ReportError(r.error())};
  });

  auto cv_data = std::make_shared<DataOptions>();
  auto folds = std::make_shared<int>(5);
  auto category = std::make_shared<std::string>("scam");
  auto text_only = std::make_shared<bool>(false);
  auto show_errors = std::make_shared<bool>(false);
  CLI::App* cv = safety.add_subcommand(
      "cv", "Kiểm định chéo k-fold trên dữ liệu có nhãn / stratified k-fold cross-validation");
  AddDataOptions(cv, cv_data.get(), true);
  cv->add_option("--folds", *folds, "Số phần / number of folds")->check(CLI::Range(2, 20));
  cv->add_option("--category", *category, "scam | grooming | toxic | privacy");
  cv->add_flag("--text-only", *text_only,
               "Chỉ đo mô hình văn bản (nhanh) / only the text model (quick)");
  cv->add_flag("--show-errors", *show_errors,
               "In các tin bị xếp sai ngoài phần huấn luyện (cấu hình cuối) ra stderr / print the "
               "out-of-fold mistakes of the last configuration to stderr");
  cv->callback([cv_data, folds, category, text_only, show_errors] {
    if (auto r = RunCrossValidation(*cv_data, *folds, *category, *text_only, *show_errors);
        !r.ok()) {
      throw ExitCode{ReportError(r.error())};
    }
  });
}

}  // namespace khien::cli
