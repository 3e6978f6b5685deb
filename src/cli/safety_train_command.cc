#include "cli/safety_train_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/csv.h"
#include "cli/common.h"
#include "safety/classifier.h"

namespace khien::cli {
namespace {

using safety::Category;
using safety::Classifier;
using safety::LabelledText;

struct DataOptions {
  std::string data;
  std::string text_col;
  std::string label_col;
  std::vector<std::string> positive = {"1"};
  std::string format = "auto";  // auto (by extension), csv, tsv
  int hash_bits = 18;
  int epochs = safety::TrainOptions{}.epochs;
  float max_fpr = safety::TrainOptions{}.tune_threshold_max_fpr;
};

void AddDataOptions(CLI::App* cmd, DataOptions* o) {
  cmd->add_option("--data", o->data, "Tệp CSV/TSV có nhãn / labelled CSV or TSV file")->required();
  cmd->add_option("--text-col", o->text_col, "Cột văn bản / text column (name or 0-based index)")
      ->required();
  cmd->add_option("--label-col", o->label_col, "Cột nhãn / label column (name or index)")
      ->required();
  cmd->add_option("--positive", o->positive,
                  "Giá trị nhãn dương tính / label values that mean positive (default 1)");
  cmd->add_option("--format", o->format, "auto | csv | tsv (auto: by file extension)")
      ->check(CLI::IsMember({"auto", "csv", "tsv"}));
  cmd->add_option("--hash-bits", o->hash_bits, "Số bit băm đặc trưng / feature hash bits (16-22)")
      ->check(CLI::Range(16, 22));
  cmd->add_option("--epochs", o->epochs, "Số lượt huấn luyện / training epochs")
      ->check(CLI::Range(1, 200));
  cmd->add_option("--max-fpr", o->max_fpr,
                  "Ngưỡng 0.5 chọn theo F1 với tỉ lệ báo nhầm tối đa / 0.5 threshold picked for "
                  "best F1 with at most this false-positive rate (negative: plain probabilities)");
}

safety::TrainOptions ToTrainOptions(const DataOptions& o) {
  safety::TrainOptions t;
  t.features.hash_bits = static_cast<uint8_t>(o.hash_bits);
  t.epochs = o.epochs;
  t.tune_threshold_max_fpr = o.max_fpr;
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

Result<std::vector<LabelledText>> ReadExamples(const DataOptions& o) {
  const csv::Options format = o.format == "csv"   ? csv::Options::Csv()
                              : o.format == "tsv" ? csv::Options::Tsv()
                                                  : csv::Options::ForPath(o.data);
  KHIEN_ASSIGN_OR_RETURN(csv::CsvTable table, csv::ReadCsvFile(o.data, format));
  KHIEN_ASSIGN_OR_RETURN(size_t text, FindColumn(table, o.text_col, o.data));
  KHIEN_ASSIGN_OR_RETURN(size_t label, FindColumn(table, o.label_col, o.data));
  std::vector<LabelledText> out;
  out.reserve(table.rows.size());
  size_t skipped = 0;
  for (const csv::Row& row : table.rows) {
    if (row.size() <= std::max(text, label)) {
      ++skipped;
      continue;
    }
    bool positive = false;
    for (const std::string& v : o.positive) positive = positive || row[label] == v;
    out.push_back({row[text], positive});
  }
  if (skipped > 0) {
    std::cerr << "Bỏ qua " << skipped << " dòng thiếu cột / skipped " << skipped
              << " rows with missing fields\n";
  }
  return out;
}

size_t CountPositives(const std::vector<LabelledText>& examples) {
  size_t n = 0;
  for (const auto& e : examples) n += e.positive ? 1 : 0;
  return n;
}

Result<void> RunTrain(const DataOptions& o, const std::string& category_name,
                      const std::string& out) {
  const auto category = safety::ParseCategory(category_name);
  if (!category) {
    return Error::InvalidInput("category", "Nhóm không hợp lệ: " + category_name + ".",
                               "Unknown category: " + category_name + ".");
  }
  KHIEN_ASSIGN_OR_RETURN(std::vector<LabelledText> examples, ReadExamples(o));
  Classifier model;
  if (std::filesystem::exists(out)) {
    KHIEN_ASSIGN_OR_RETURN(model, Classifier::Load(out));
  }
  KHIEN_RETURN_IF_ERROR(model.Train(*category, examples, ToTrainOptions(o)));
  KHIEN_RETURN_IF_ERROR(model.Save(out));
  const size_t positives = CountPositives(examples);
  std::cout << "Đã huấn luyện nhóm " << category_name << " từ " << examples.size() << " ví dụ ("
            << positives << " dương tính), lưu vào " << out << "\n"
            << "Trained head " << category_name << " on " << examples.size() << " examples ("
            << positives << " positive), saved to " << out << "\n";
  return Ok();
}

Result<void> RunCrossValidation(const DataOptions& o, int folds) {
  KHIEN_ASSIGN_OR_RETURN(std::vector<LabelledText> examples, ReadExamples(o));
  // Stratified folds: positives and negatives dealt round-robin in file order after a fixed
  // shuffle, so every fold has the class balance of the whole file.
  std::vector<int> fold_of(examples.size());
  uint64_t state = 20261128;
  auto next = [&state] {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  for (int cls = 0; cls < 2; ++cls) {
    std::vector<size_t> members;
    for (size_t i = 0; i < examples.size(); ++i) {
      if (examples[i].positive == (cls == 1)) members.push_back(i);
    }
    for (size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[next() % i]);
    for (size_t k = 0; k < members.size(); ++k) fold_of[members[k]] = static_cast<int>(k % folds);
  }
  size_t tp = 0, fp = 0, tn = 0, fn = 0;
  for (int f = 0; f < folds; ++f) {
    std::vector<LabelledText> train;
    std::vector<const LabelledText*> test;
    for (size_t i = 0; i < examples.size(); ++i) {
      if (fold_of[i] == f) {
        test.push_back(&examples[i]);
      } else {
        train.push_back(examples[i]);
      }
    }
    Classifier model;
    KHIEN_RETURN_IF_ERROR(model.Train(Category::kScam, train, ToTrainOptions(o)));
    for (const LabelledText* e : test) {
      const bool flagged = model.Predict(e->text)[0].value_or(0.0f) >= 0.5f;
      if (e->positive) {
        flagged ? ++tp : ++fn;
      } else {
        flagged ? ++fp : ++tn;
      }
    }
  }
  const double precision =
      tp + fp == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
  const double recall = tp + fn == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
  const double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  const double fpr = fp + tn == 0 ? 0 : static_cast<double>(fp) / static_cast<double>(fp + tn);
  std::printf("examples %zu (positive %zu), %d folds\n", examples.size(), tp + fn, folds);
  std::printf("precision %.3f  recall %.3f  F1 %.3f  false-positive rate %.2f %%\n", precision,
              recall, f1, 100.0 * fpr);
  std::printf("tp %zu  fp %zu  tn %zu  fn %zu\n", tp, fp, tn, fn);
  return Ok();
}

}  // namespace

void AddSafetyTrainCommand(CLI::App& safety) {
  auto data = std::make_shared<DataOptions>();
  auto category = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  CLI::App* train = safety.add_subcommand(
      "train", "Huấn luyện bộ phân loại từ dữ liệu có nhãn / train a classifier head");
  AddDataOptions(train, data.get());
  train->add_option("--category", *category, "scam | grooming | toxic | privacy")->required();
  train->add_option("--out", *out, "Tệp mô hình (thêm/thay nhóm nếu đã có) / model file")
      ->required();
  train->callback([data, category, out] {
    if (auto r = RunTrain(*data, *category, *out); !r.ok()) throw ExitCode{ReportError(r.error())};
  });

  auto cv_data = std::make_shared<DataOptions>();
  auto folds = std::make_shared<int>(5);
  CLI::App* cv = safety.add_subcommand(
      "cv", "Kiểm định chéo k-fold trên dữ liệu có nhãn / stratified k-fold cross-validation");
  AddDataOptions(cv, cv_data.get());
  cv->add_option("--folds", *folds, "Số phần / number of folds")->check(CLI::Range(2, 20));
  cv->callback([cv_data, folds] {
    if (auto r = RunCrossValidation(*cv_data, *folds); !r.ok()) {
      throw ExitCode{ReportError(r.error())};
    }
  });
}

}  // namespace khien::cli
