#include "cli/safety_command.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "base/csv.h"
#include "base/text.h"
#include "cli/common.h"
#include "safety/checker.h"
#include "safety/verdict_json.h"
#include "cli/safety_train_command.h"

namespace khien::cli {
namespace {

using safety::Category;
using safety::Checker;
using safety::CheckerOptions;
using safety::CheckResult;

struct EngineOptions {
  std::string rules_dir;
  std::string model;
  bool no_model = false;
  std::vector<std::string> blocklists;
  std::vector<std::string> allowlists;
};

void AddEngineOptions(CLI::App* cmd, EngineOptions* o) {
  cmd->add_option("--rules", o->rules_dir, "Thư mục luật / rules folder");
  cmd->add_option("--model", o->model, "Tệp mô hình phân loại / classifier model file");
  cmd->add_flag("--no-model", o->no_model, "Chỉ dùng luật / rules only");
  cmd->add_option("--blocklist", o->blocklists,
                  "Danh sách chặn (tên miền, số điện thoại, tài khoản) / block list file");
  cmd->add_option("--allowlist", o->allowlists, "Danh sách cho phép / allow list file");
}

std::string DefaultCacheDir() {
  if (const char* d = std::getenv("KHIEN_CACHE_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return std::string(d) + "/khien";
  if (const char* d = std::getenv("HOME"); d && *d) return std::string(d) + "/.cache/khien";
  return "";
}

Checker MakeChecker(const EngineOptions& o) {
  CheckerOptions options;
  options.rules_dir = o.rules_dir;
  if (options.rules_dir.empty()) {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    options.rules_dir = safety::DefaultRulesDir(ec ? "" : exe.string());
  }
  options.cache_dir = DefaultCacheDir();
  options.blocklists = o.blocklists;
  options.allowlists = o.allowlists;
  options.use_classifier = !o.no_model;
  options.model_path = o.model;
  auto checker = Checker::Create(options);
  if (!checker.ok()) throw ExitCode{ReportError(checker.error())};
  return std::move(checker).value();
}

std::string_view CategoryVi(Category c) {
  switch (c) {
    case Category::kScam: return "lừa đảo";
    case Category::kGrooming: return "dụ dỗ trẻ em";
    case Category::kToxic: return "độc hại, xúc phạm";
    case Category::kPrivacy: return "lộ thông tin cá nhân";
  }
  return "";
}

void PrintHuman(const CheckResult& r, bool english, std::ostream& out) {
  static constexpr std::string_view kVerdictVi[] = {"AN TOÀN", "CẦN THẬN TRỌNG", "NGUY HIỂM"};
  static constexpr std::string_view kVerdictEn[] = {"SAFE", "CAUTION", "DANGER"};
  const auto v = static_cast<size_t>(r.verdict);
  out << (english ? "Verdict: " : "Kết luận: ") << (english ? kVerdictEn[v] : kVerdictVi[v]);
  if (!r.categories.empty()) {
    out << " (";
    for (size_t i = 0; i < r.categories.size(); ++i) {
      const Category c = r.categories[i];
      out << (i ? ", " : "") << (english ? safety::CategoryName(c) : CategoryVi(c)) << " "
          << static_cast<int>(r.score(c) * 100 + 0.5) << "%";
    }
    out << ")";
  }
  out << "\n";
  if (!r.reasons.empty()) {
    out << (english ? "Reasons:\n" : "Lý do:\n");
    for (const auto& reason : r.reasons) {
      // A reason of negative weight speaks for the message (a warning about scams).
      out << (reason.weight < 0 ? "  ✓ " : "  • ") << (reason.text.empty() ? "" : "«" + reason.text + "» — ")
          << (english ? reason.explanation_en : reason.explanation_vi) << " [" << reason.rule
          << (reason.message >= 0 ? ", #" + std::to_string(reason.message + 1) : "") << "]\n";
    }
  }
  if (!r.advice.empty()) {
    out << (english ? "What to do:\n" : "Nên làm gì:\n");
    for (const auto& a : r.advice) out << "  • " << (english ? a.en : a.vi) << "\n";
  }
  if (r.conversation && r.conversation->stage_index >= 0) {
    out << (english ? "Grooming stage reached: " : "Giai đoạn dụ dỗ đã tới: ")
        << r.conversation->stage << " (" << r.conversation->stage_index + 1 << "/"
        << safety::kGroomingStages.size() << ")\n";
  }
}

std::string ReadAll(std::istream& in) {
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void AddCheckCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "check", "Kiểm tra tin nhắn có lừa đảo, dụ dỗ, độc hại hay lộ thông tin / check a message");
  struct Options {
    EngineOptions engine;
    std::string text;
    bool json = false;
    bool lines = false;
    bool english = false;
    bool conversation = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("text", o->text, "Nội dung tin nhắn (mặc định đọc stdin) / message text");
  cmd->add_flag("--json", o->json, "In kết quả dạng JSON / print JSON");
  cmd->add_flag("--lines", o->lines, "Mỗi dòng một tin nhắn, mỗi dòng một JSON / one message per line");
  cmd->add_flag("--conversation", o->conversation,
                "Mỗi dòng \"người gửi: tin nhắn\", chấm cả cuộc trò chuyện / score \"sender: text\" lines as one conversation");
  cmd->add_flag("--en", o->english, "In tiếng Anh / English output");
  AddEngineOptions(cmd, &o->engine);
  cmd->callback([o] {
    Checker checker = MakeChecker(o->engine);
    if (o->lines) {
      std::string line;
      int status = 0;
      std::istream& in = std::cin;
      while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto r = checker.Check(line);
        if (!r.ok()) {
          boost::json::object err{{"error", ErrorCodeName(r.error().code)},
                                  {"message", boost::json::object{{"vi", r.error().message_vi},
                                                                  {"en", r.error().message_en}}}};
          std::cout << boost::json::serialize(err) << "\n";
          status = 2;
          continue;
        }
        std::cout << safety::ToJsonString(*r) << "\n";
      }
      if (status) throw ExitCode{status};
      return;
    }
    std::string text = o->text.empty() ? ReadAll(std::cin) : o->text;
    Result<CheckResult> r = Error::Internal();
    if (o->conversation) {
      std::vector<safety::Message> messages;
      std::istringstream in(text);
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        const size_t colon = line.find(':');
        if (colon == std::string::npos) messages.push_back({"", line});
        else messages.push_back({line.substr(0, colon), line.substr(colon + 1)});
      }
      r = checker.CheckConversation(messages);
    } else {
      r = checker.Check(text);
    }
    if (!r.ok()) throw ExitCode{ReportError(r.error())};
    if (o->json) std::cout << safety::ToJsonString(*r) << "\n";
    else PrintHuman(*r, o->english, std::cout);
  });
}

// Column by header name, or by 0-based index when the value is a number.
std::optional<size_t> FindColumn(const csv::CsvTable& table, const std::string& name) {
  if (auto c = table.Column(name)) return c;
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
    return static_cast<size_t>(std::stoul(name));
  }
  return std::nullopt;
}

void AddEvalCommand(CLI::App& safety) {
  auto* cmd = safety.add_subcommand(
      "eval", "Đo độ chính xác trên tệp có nhãn / precision, recall, F1 on labelled data");
  struct Options {
    EngineOptions engine;
    std::string data, text_col, label_col, sender_col, category = "scam";
    std::vector<std::string> positive = {"1"};
    bool show_errors = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--data", o->data, "Tệp CSV/TSV / CSV or TSV file")->required();
  cmd->add_option("--text-col", o->text_col, "Cột văn bản / text column")->required();
  cmd->add_option("--label-col", o->label_col, "Cột nhãn / label column")->required();
  cmd->add_option("--category", o->category, "scam | grooming | toxic | privacy")
      ->check(CLI::IsMember({"scam", "grooming", "toxic", "privacy"}));
  cmd->add_option("--sender-col", o->sender_col,
                  "Cột người gửi (brandname, phone, shortcode) / sender column");
  cmd->add_option("--positive", o->positive, "Giá trị nhãn dương tính / positive label values");
  cmd->add_flag("--show-errors", o->show_errors, "In các tin sai / print misclassified rows");
  AddEngineOptions(cmd, &o->engine);
  cmd->callback([o] {
    auto table = csv::ReadCsvFile(o->data, csv::Options::ForPath(o->data));
    if (!table.ok()) throw ExitCode{ReportError(table.error())};
    const auto text_col = FindColumn(*table, o->text_col);
    const auto label_col = FindColumn(*table, o->label_col);
    const auto sender_col =
        o->sender_col.empty() ? std::nullopt : FindColumn(*table, o->sender_col);
    if (!text_col || !label_col || (!o->sender_col.empty() && !sender_col)) {
      const std::string& missing =
          !text_col ? o->text_col : !label_col ? o->label_col : o->sender_col;
      throw ExitCode{ReportError(Error::InvalidInput(
          "column", "Không có cột " + missing + " trong " + o->data,
          "No column " + missing + " in " + o->data))};
    }
    const Category category = *safety::ParseCategory(o->category);
    Checker checker = MakeChecker(o->engine);
    size_t tp = 0, fp = 0, tn = 0, fn = 0, skipped = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& row : table->rows) {
      if (row.size() <= std::max({*text_col, *label_col, sender_col.value_or(0)})) {
        ++skipped;
        continue;
      }
      const bool positive = std::find(o->positive.begin(), o->positive.end(),
                                      row[*label_col]) != o->positive.end();
      auto r = sender_col ? checker.Check(row[*text_col], row[*sender_col])
                          : checker.Check(row[*text_col]);
      if (!r.ok()) { ++skipped; continue; }
      const bool flagged = r->flagged(category);
      if (flagged && positive) ++tp;
      else if (flagged) ++fp;
      else if (positive) ++fn;
      else ++tn;
      if (o->show_errors && flagged != positive) PrintMistake(flagged, row[*text_col]);
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double precision = tp + fp ? static_cast<double>(tp) / (tp + fp) : 0;
    const double recall = tp + fn ? static_cast<double>(tp) / (tp + fn) : 0;
    const double f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
    const double fpr = fp + tn ? static_cast<double>(fp) / (fp + tn) : 0;
    std::printf("category\t%s\nrows\t%zu\nskipped\t%zu\ntp\t%zu\nfp\t%zu\ntn\t%zu\nfn\t%zu\n",
                o->category.c_str(), table->rows.size(), skipped, tp, fp, tn, fn);
    std::printf("precision\t%.4f\nrecall\t%.4f\nf1\t%.4f\nfalse_positive_rate\t%.4f\n", precision,
                recall, f1, fpr);
    std::printf("messages_per_second\t%.0f\n", secs > 0 ? (tp + fp + tn + fn) / secs : 0.0);
  });
}

void AddTeencodeCoverageCommand(CLI::App& safety) {
  auto* cmd = safety.add_subcommand(
      "teencode-coverage",
      "Đo độ phủ của bảng teencode / coverage of the teencode table on a dictionary and corpus");
  struct Options {
    EngineOptions engine;
    std::string dict, pairs;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--dict", o->dict, "dict_syllable.json (token → chuẩn / standard forms)")
      ->required();
  cmd->add_option("--pairs", o->pairs, "CSV original,normalized")->required();
  AddEngineOptions(cmd, &o->engine);
  cmd->callback([o] {
    o->engine.no_model = true;
    Checker checker = MakeChecker(o->engine);
    const safety::TeencodeTable& table = checker.rules()->normalizer().teencode();
    std::ifstream in(o->dict);
    if (!in) {
      throw ExitCode{ReportError(Error::InvalidInput("dict", "Không đọc được " + o->dict,
                                                     "Cannot read " + o->dict))};
    }
    boost::system::error_code ec;
    const boost::json::value dict = boost::json::parse(ReadAll(in), ec);
    if (ec || !dict.is_object()) {
      throw ExitCode{ReportError(Error::Malformed("Tệp từ điển không phải JSON object",
                                                  "The dictionary is not a JSON object"))};
    }
    size_t keys = 0, handled = 0, agree = 0;
    for (const auto& [key, candidates] : dict.as_object()) {
      ++keys;
      const auto* e = table.Find(text::Fold(std::string(key)));
      if (e == nullptr) continue;
      ++handled;
      if (!candidates.is_array()) continue;
      for (const auto& c : candidates.as_array()) {
        if (c.is_string() && text::Fold(std::string(c.as_string())) == e->expansion) {
          ++agree;
          break;
        }
      }
    }
    auto pairs = csv::ReadCsvFile(o->pairs, csv::Options::ForPath(o->pairs));
    if (!pairs.ok()) throw ExitCode{ReportError(pairs.error())};
    size_t occurrences = 0, occ_handled = 0, occ_agree = 0, aligned_rows = 0;
    auto split = [](const std::string& s) {
      std::vector<std::string> out;
      std::istringstream ss(s);
      std::string w;
      while (ss >> w) out.push_back(w);
      return out;
    };
    for (const auto& row : pairs->rows) {
      if (row.size() < 2) continue;
      const auto a = split(row[0]);
      const auto b = split(row[1]);
      if (a.size() != b.size()) continue;
      ++aligned_rows;
      for (size_t i = 0; i < a.size(); ++i) {
        const std::string fa = text::Fold(a[i]);
        const std::string fb = text::Fold(b[i]);
        if (fa == fb) continue;  // already standard (or differs only in diacritics)
        ++occurrences;
        if (const auto* e = table.Find(fa)) {
          ++occ_handled;
          if (e->expansion == fb || e->alternative == fb) ++occ_agree;
        }
      }
    }
    auto pct = [](size_t a, size_t b) { return b ? 100.0 * a / b : 0.0; };
    std::printf("table_entries\t%zu\n", table.size());
    std::printf("dict_keys\t%zu\ndict_keys_handled\t%zu\t%.1f%%\ndict_keys_same_expansion\t%zu\t%.1f%%\n",
                keys, handled, pct(handled, keys), agree, pct(agree, keys));
    std::printf("corpus_aligned_rows\t%zu\nnonstandard_token_occurrences\t%zu\n", aligned_rows,
                occurrences);
    std::printf("occurrences_handled\t%zu\t%.1f%%\noccurrences_same_expansion\t%zu\t%.1f%%\n",
                occ_handled, pct(occ_handled, occurrences), occ_agree, pct(occ_agree, occurrences));
  });
}

}  // namespace

void AddSafetyCommands(CLI::App& app) {
  AddCheckCommand(app);
  auto* safety = app.add_subcommand("safety", "Bộ kiểm tra an toàn / the safety checker");
  safety->require_subcommand(1);
  AddEvalCommand(*safety);
  AddTeencodeCoverageCommand(*safety);
  // `safety train` and `safety cv` belong to the classifier (cli/safety_train_command.cc).
  AddSafetyTrainCommand(*safety);
}

}  // namespace khien::cli
