// Safety checker throughput: end to end (normalise, extract, match, lists, score, explain)
// on the Vietnamese SMS of $KHIEN_SAFETY_DATA/vi-sms-scam/dev.csv with all rules and the
// 34k-entry phishing list loaded, beside a raw Hyperscan scan of the same compiled patterns
// over the same (already normalised) messages: the physical limit of this design.
// Skips when KHIEN_SAFETY_DATA is unset. Items processed = messages.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "base/csv.h"
#include "safety/checker.h"

namespace {

using khien::safety::Checker;
using khien::safety::CheckerOptions;

struct Fixture {
  std::vector<std::string> messages;
  std::unique_ptr<Checker> rules_only;
  std::unique_ptr<Checker> with_model;
  std::string data;
};

Fixture* Load() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    const char* data = std::getenv("KHIEN_SAFETY_DATA");
    if (data == nullptr) return fx;
    fx->data = data;
    const std::string sms = fx->data + "/vi-sms-scam/dev.csv";
    auto table = khien::csv::ReadCsvFile(sms, khien::csv::Options::Csv());
    if (!table.ok()) {
      std::cerr << table.error().message_en << "\n";
      return fx;
    }
    const size_t col = table->Column("content").value_or(0);
    for (const auto& row : table->rows) {
      if (row.size() > col) fx->messages.push_back(row[col]);
    }
    CheckerOptions options;
    options.cache_dir = "/tmp/khien-bench-rule-cache";
    options.blocklists = {fx->data + "/vi-phishing-urls/urls.txt"};
    options.use_classifier = false;
    auto a = Checker::Create(options);
    if (!a.ok()) {
      std::cerr << a.error().message_en << "\n";
      return fx;
    }
    fx->rules_only = std::make_unique<Checker>(std::move(a).value());
    options.use_classifier = true;
    auto b = Checker::Create(options);
    if (b.ok()) fx->with_model = std::make_unique<Checker>(std::move(b).value());
    return fx;
  }();
  return f;
}

void CheckAll(benchmark::State& state, const Checker* checker, const std::vector<std::string>& m) {
  size_t i = 0, flagged = 0;
  for (auto _ : state) {
    auto r = checker->Check(m[i]);
    flagged += r.ok() && !r->categories.empty();
    benchmark::DoNotOptimize(r);
    if (++i == m.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["flagged"] = static_cast<double>(flagged);
}

void BM_CheckEndToEnd_RulesAndList(benchmark::State& state) {
  Fixture* f = Load();
  if (!f->rules_only || f->messages.empty()) return state.SkipWithError("KHIEN_SAFETY_DATA unset");
  CheckAll(state, f->rules_only.get(), f->messages);
}
BENCHMARK(BM_CheckEndToEnd_RulesAndList);

void BM_CheckEndToEnd_WithDefaultModel(benchmark::State& state) {
  Fixture* f = Load();
  if (!f->with_model || f->messages.empty()) return state.SkipWithError("KHIEN_SAFETY_DATA unset");
  CheckAll(state, f->with_model.get(), f->messages);
}
BENCHMARK(BM_CheckEndToEnd_WithDefaultModel);

void BM_NormalizeOnly(benchmark::State& state) {
  Fixture* f = Load();
  if (!f->rules_only || f->messages.empty()) return state.SkipWithError("KHIEN_SAFETY_DATA unset");
  auto rules = f->rules_only->rules();
  size_t i = 0;
  for (auto _ : state) {
    auto nt = rules->normalizer().Normalize(f->messages[i]);
    benchmark::DoNotOptimize(nt);
    if (++i == f->messages.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeOnly);

// The physical limit: Hyperscan alone over the four views of each message, normalised
// beforehand (outside the timing).
void BM_RawHyperscanSamePatterns(benchmark::State& state) {
  Fixture* f = Load();
  if (!f->rules_only || f->messages.empty()) return state.SkipWithError("KHIEN_SAFETY_DATA unset");
  auto rules = f->rules_only->rules();
  std::vector<khien::safety::NormalizedText> texts;
  for (const auto& m : f->messages) texts.push_back(rules->normalizer().Normalize(m));
  size_t i = 0, matches = 0;
  for (auto _ : state) {
    matches += rules->RawScan(texts[i]);
    if (++i == texts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  benchmark::DoNotOptimize(matches);
}
BENCHMARK(BM_RawHyperscanSamePatterns);

void BM_LoadPhishingList(benchmark::State& state) {
  Fixture* f = Load();
  if (f->data.empty()) return state.SkipWithError("KHIEN_SAFETY_DATA unset");
  for (auto _ : state) {
    khien::safety::Lists lists;
    auto n = lists.LoadFile(f->data + "/vi-phishing-urls/urls.txt", khien::safety::Lists::Kind::kBlock);
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_LoadPhishingList)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
