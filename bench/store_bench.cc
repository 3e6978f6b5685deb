// Storage throughput and latency on both backends.
//   store_bench                               SQLite only (a file in a temporary folder)
//   KHIEN_BENCH_PG_URL=postgresql://... store_bench   also PostgreSQL (KHIEN_TEST_PG_URL works too)
// Each PostgreSQL run works in its own schema, dropped at the end. Times are wall-clock
// (UseRealTime): the database server works in another process.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/ids.h"
#include "store/database.h"

namespace khien::store {
namespace {

constexpr int64_t kTableRows = 10000;

const char* PostgresUrl() {
  for (const char* name : {"KHIEN_BENCH_PG_URL", "KHIEN_TEST_PG_URL"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return v;
  }
  return nullptr;
}

// A fresh database for one benchmark: a SQLite file, or a PostgreSQL schema.
class Scratch {
 public:
  explicit Scratch(bool postgres) {
    const std::string tag = "khien_b_" + RandomHex(5);
    if (!postgres) {
      folder_ = std::filesystem::temp_directory_path() / tag;
      url_ = "sqlite:" + (folder_ / "bench.db").string();
    } else {
      const std::string base = PostgresUrl();
      admin_ = std::move(Database::Open(base)).value();
      schema_ = tag;
      (void)admin_->Write([&](Connection& c) { return c.ExecuteScript("CREATE SCHEMA " + tag); });
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + tag;
    }
    auto db = Database::Open(url_);
    if (db.ok()) db_ = std::move(db).value();
  }
  ~Scratch() {
    db_.reset();
    if (admin_) {
      (void)admin_->Write(
          [&](Connection& c) { return c.ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE"); });
    }
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }
  Database* db() { return db_.get(); }

 private:
  std::string url_, schema_;
  std::filesystem::path folder_;
  std::unique_ptr<Database> admin_, db_;
};

std::vector<std::vector<Value>> MakeRows(int64_t count, int64_t first_id) {
  std::vector<std::vector<Value>> rows;
  rows.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const int64_t id = first_id + i;
    rows.push_back({Value{id}, Value{"Người dùng thử " + std::to_string(id)},
                    Value{id % 97}, Value{NowMillis()}});
  }
  return rows;
}

bool Prepare(benchmark::State& state, bool postgres) {
  if (postgres && PostgresUrl() == nullptr) {
    state.SkipWithError("set KHIEN_BENCH_PG_URL or KHIEN_TEST_PG_URL to run PostgreSQL benchmarks");
    return false;
  }
  return true;
}

Result<void> CreateTable(Database& db) {
  return db.Write([](Connection& c) {
    return c.ExecuteScript(
        "CREATE TABLE people (id BIGINT PRIMARY KEY, name TEXT NOT NULL, "
        "village BIGINT NOT NULL, created_at BIGINT NOT NULL)");
  });
}

// Rows per second of BulkInsert, 10k rows per transaction.
void BM_BulkInsert(benchmark::State& state, bool postgres) {
  if (!Prepare(state, postgres)) return;
  Scratch scratch(postgres);
  if (!CreateTable(*scratch.db()).ok()) return state.SkipWithError("cannot create the table");
  int64_t next_id = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto rows = MakeRows(kTableRows, next_id);
    next_id += kTableRows;
    state.ResumeTiming();
    Result<void> r = scratch.db()->Write([&](Connection& c) {
      return c.BulkInsert("people", {"id", "name", "village", "created_at"}, rows);
    });
    if (!r.ok()) return state.SkipWithError(r.error().message_en.c_str());
  }
  state.SetItemsProcessed(state.iterations() * kTableRows);
}

Scratch* FilledScratch(benchmark::State& state, bool postgres) {
  auto* scratch = new Scratch(postgres);
  if (!CreateTable(*scratch->db()).ok() ||
      !scratch->db()->Write([](Connection& c) {
        return c.BulkInsert("people", {"id", "name", "village", "created_at"},
                            MakeRows(kTableRows, 0));
      }).ok()) {
    state.SkipWithError("cannot fill the table");
    delete scratch;
    return nullptr;
  }
  return scratch;
}

// One Read() per lookup: BEGIN, SELECT by primary key, COMMIT (what a request handler does).
void BM_PointReadTransaction(benchmark::State& state, bool postgres) {
  if (!Prepare(state, postgres)) return;
  std::unique_ptr<Scratch> scratch(FilledScratch(state, postgres));
  if (!scratch) return;
  int64_t id = 0;
  for (auto _ : state) {
    id = (id * 7919 + 13) % kTableRows;
    auto rows = ReadValue<Rows>(*scratch->db(), [&](Connection& c) {
      return c.Query("SELECT name, village FROM people WHERE id = $1", {Value{id}});
    });
    if (!rows.ok() || rows->size() != 1) return state.SkipWithError("lookup failed");
    benchmark::DoNotOptimize(rows);
  }
}

// The SELECT alone: 100 lookups inside one open read transaction, time per lookup.
void BM_PointQueryInOpenRead(benchmark::State& state, bool postgres) {
  if (!Prepare(state, postgres)) return;
  std::unique_ptr<Scratch> scratch(FilledScratch(state, postgres));
  if (!scratch) return;
  constexpr int kPerRead = 100;
  int64_t id = 0;
  for (auto _ : state) {
    Result<void> r = scratch->db()->Read([&](Connection& c) -> Result<void> {
      for (int i = 0; i < kPerRead; ++i) {
        id = (id * 7919 + 13) % kTableRows;
        KHIEN_ASSIGN_OR_RETURN(Rows rows,
                               c.Query("SELECT name, village FROM people WHERE id = $1", {Value{id}}));
        benchmark::DoNotOptimize(rows);
      }
      return {};
    });
    if (!r.ok()) return state.SkipWithError(r.error().message_en.c_str());
  }
  state.SetItemsProcessed(state.iterations() * kPerRead);
}

// One Write() per row: BEGIN (IMMEDIATE), INSERT, COMMIT with the durability settings in use.
void BM_SingleRowWriteTransaction(benchmark::State& state, bool postgres) {
  if (!Prepare(state, postgres)) return;
  Scratch scratch(postgres);
  if (!CreateTable(*scratch.db()).ok()) return state.SkipWithError("cannot create the table");
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    Result<void> r = scratch.db()->Write([&](Connection& c) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(c.Execute(
          "INSERT INTO people (id, name, village, created_at) VALUES ($1, $2, $3, $4)",
          {Value{id}, Value{std::string("Người dùng thử")}, Value{id % 97}, Value{NowMillis()}}));
      return {};
    });
    if (!r.ok()) return state.SkipWithError(r.error().message_en.c_str());
  }
}

BENCHMARK_CAPTURE(BM_BulkInsert, sqlite, false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_BulkInsert, postgres, true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_PointReadTransaction, sqlite, false)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_PointReadTransaction, postgres, true)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_PointQueryInOpenRead, sqlite, false)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_PointQueryInOpenRead, postgres, true)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_SingleRowWriteTransaction, sqlite, false)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_SingleRowWriteTransaction, postgres, true)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace khien::store

BENCHMARK_MAIN();
