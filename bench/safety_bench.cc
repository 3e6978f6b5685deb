// Safety checker throughput: end to end (normalise, extract, match, lists, score, explain)
// on the Vietnamese SMS of $KHIEN_SAFETY_DATA/vi-sms-scam/dev.csv with all rules and the
// 34k-entry phishing list loaded, beside a raw Hyperscan scan of the same compiled patterns
// over the same (already normalised) messages: the physical limit of this design.
// Skips when KHIEN_SAFETY_DATA is unset. Items processed = messages.
//
// `safety_bench --dump DATA_DIR` instead prints, for every development and training message
// of DATA_DIR (SMS, English SMS, ViHSD, ViLexNorm, ViHOS), its views with their offset maps,
// the rule matches, the entities and the `khien check --json` result (rules and list, no
// model): diff two dumps to prove a speed change leaves the results as they were.
// `safety_bench --passes N` checks, normalises and raw-scans every SMS N times each in
// functions of their own, for `valgrind --tool=callgrind`: instructions per message without
// machine noise (divide the inclusive cost of CheckPass, NormalizePass, RawScanPass by N×1,336).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "base/csv.h"
#include "safety/checker.h"
#include "safety/verdict_json.h"

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

void DumpView(char tag, const khien::safety::TextView& v) {
  std::cout << tag << ' ' << v.text << '\t';
  for (uint32_t x : v.starts) std::cout << x << ',';
  std::cout << '\t';
  for (uint32_t x : v.ends) std::cout << x << ',';
  std::cout << '\n';
}

int Dump(const std::string& data) {
  struct Source {
    const char* file;
    const char* column;
  };
  static constexpr Source kSources[] = {
      {"vi-sms-scam/dev.csv", "content"},     {"en-sms-spam/dev.tsv", "SMS"},
      {"vi-hate/dev.csv", "free_text"},       {"vi-teencode/dev.csv", "original"},
      {"vi-hate-spans/dev.csv", "content"},   {"vi-hate/train.csv", "free_text"},
      {"vi-teencode/train.csv", "original"},  {"vi-hate-spans/train.csv", "content"}};
  CheckerOptions options;
  options.blocklists = {data + "/vi-phishing-urls/urls.txt"};
  options.use_classifier = false;
  auto checker = Checker::Create(options);
  if (!checker.ok()) {
    std::cerr << checker.error().message_en << "\n";
    return 1;
  }
  auto rules = checker->rules();
  size_t count = 0;
  for (const Source& src : kSources) {
    const std::string path = data + "/" + src.file;
    auto table = khien::csv::ReadCsvFile(path, khien::csv::Options::ForPath(path));
    if (!table.ok()) {
      std::cerr << table.error().message_en << "\n";
      return 1;
    }
    const auto col = table->Column(src.column);
    if (!col) {
      std::cerr << path << ": no column " << src.column << "\n";
      return 1;
    }
    for (size_t r = 0; r < table->rows.size(); ++r) {
      if (table->rows[r].size() <= *col) continue;
      const std::string& text = table->rows[r][*col];
      std::cout << "# " << src.file << ':' << r << '\n';
      ++count;
      auto result = checker->Check(text);
      if (!result.ok()) {
        std::cout << "error " << result.error().message_en << '\n';
        continue;
      }
      const khien::safety::NormalizedText nt = rules->normalizer().Normalize(text);
      DumpView('F', nt.folded);
      DumpView('D', nt.deobfuscated);
      DumpView('E', nt.expanded);
      const std::vector<khien::safety::Entity> entities = khien::safety::ExtractEntities(nt);
      for (const auto& e : entities) {
        std::cout << "N " << EntityTypeName(e.type) << ' ' << e.value << ' ' << e.start << ' '
                  << e.end << ' ' << e.host_ascii << ' ' << e.amount << ' ' << e.homograph
                  << '\n';
      }
      std::vector<khien::safety::RuleMatch> matches;
      rules->Match(nt, entities, &matches);
      std::cout << 'M';
      for (const auto& m : matches) std::cout << ' ' << m.rule << ':' << m.from << ':' << m.to;
      std::cout << "\nJ " << khien::safety::ToJsonString(*result) << '\n';
    }
  }
  std::cerr << count << " messages\n";
  return 0;
}

// Not inlined, so callgrind reports each stage's inclusive cost under its own name.
[[gnu::noinline]] size_t CheckPass(const Fixture& f) {
  size_t flagged = 0;
  for (const std::string& m : f.messages) {
    auto r = f.rules_only->Check(m);
    flagged += r.ok() && !r->categories.empty();
  }
  return flagged;
}

[[gnu::noinline]] size_t NormalizePass(const Fixture& f) {
  thread_local khien::safety::NormalizedText nt;
  size_t bytes = 0;
  for (const std::string& m : f.messages) {
    f.rules_only->rules()->normalizer().Normalize(m, &nt);
    bytes += nt.expanded.text.size();
  }
  return bytes;
}

[[gnu::noinline]] size_t RawScanPass(const Fixture& f,
                                     const std::vector<khien::safety::NormalizedText>& texts) {
  size_t matches = 0;
  for (const auto& t : texts) matches += f.rules_only->rules()->RawScan(t);
  return matches;
}

int Passes(int n) {
  Fixture* f = Load();
  if (!f->rules_only || f->messages.empty()) {
    std::cerr << "KHIEN_SAFETY_DATA unset\n";
    return 1;
  }
  std::vector<khien::safety::NormalizedText> texts;
  for (const auto& m : f->messages) texts.push_back(f->rules_only->rules()->normalizer().Normalize(m));
  size_t flagged = 0, bytes = 0, matches = 0;
  for (int i = 0; i < n; ++i) {
    flagged += CheckPass(*f);
    bytes += NormalizePass(*f);
    matches += RawScanPass(*f, texts);
  }
  std::cout << f->messages.size() << " messages x " << n << ": flagged " << flagged
            << ", expanded bytes " << bytes << ", raw matches " << matches << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--dump") == 0) return Dump(argv[2]);
  if (argc == 3 && std::strcmp(argv[1], "--passes") == 0) return Passes(std::atoi(argv[2]));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
