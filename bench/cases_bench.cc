// Cases at scale (issue 5): N generated cases (default 100,000; generated names only), then the
// latency of what people wait for, through CaseService (permission checks, decryption and the
// audit entry included), against a plain COUNT(*) over the same table measured in the same run.
//
//   cases_bench [N]                                  SQLite (a file in a temporary folder)
//   KHIEN_BENCH_PG_URL=postgresql://... cases_bench  also PostgreSQL (in its own schema, dropped after)
//   KHIEN_BENCH_PG_URL=... cases_bench 100000 postgres   PostgreSQL only
//
// Targets (issue 5): a worker's case list and search p95 < 50 ms; province statistics < 200 ms.
// Not a unit test: numbers depend on the machine. Results go to docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "base/ids.h"
#include "cases/crypto.h"
#include "cases/repository.h"
#include "cases/service.h"
#include "store/database.h"

namespace khien::cases {
namespace {

using access::Principal;
using access::Role;

constexpr int kCommunes = 20;
constexpr int kWorkersPerCommune = 10;
constexpr int kSamples = 200;       // per list/search operation
constexpr int kStatsSamples = 30;   // per statistics query (each scans the province)
constexpr std::string_view kCoreTypes[] = {"rape", "sexual_assault", "physical_assault", "forced_marriage",
                                           "denial_of_resources", "psychological_abuse"};
constexpr std::string_view kRisk[] = {"low", "medium", "high"};

const char* PostgresUrl() {
  for (const char* name : {"KHIEN_BENCH_PG_URL", "KHIEN_TEST_PG_URL"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return v;
  }
  return nullptr;
}

template <typename T>
void Check(const Result<T>& r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message_en.c_str());
    std::exit(1);
  }
}

struct World {
  Principal province;
  std::vector<Principal> officers;  // one per commune
  std::vector<Principal> workers;   // kWorkersPerCommune per commune
};

Principal User(store::Connection& c, const std::string& name, Role role, const std::string& org, const std::string& path) {
  Principal p;
  p.user_id = NewId();
  p.username = name;
  p.role = role;
  p.org_codes = {org};
  p.org_paths = {path};
  Check(c.Execute("INSERT INTO users (id, username, display_name, display_fold, password_hash, role, created_at, updated_at) "
                  "VALUES ($1, $2, $2, $2, 'x', $3, 0, 0)",
                  {p.user_id, name, std::string(access::RoleName(role))}),
        "user");
  Check(c.Execute("INSERT INTO user_org_units (user_id, org_code) VALUES ($1, $2)", {p.user_id, org}), "user unit");
  return p;
}

World Generate(store::Database& db, const MasterKey& key, int count) {
  World w;
  Check(db.Write([&](store::Connection& c) -> Result<void> {
    auto unit = [&](const std::string& code, const std::string& parent, const char* level, const std::string& path) {
      Check(c.Execute("INSERT INTO org_units (code, parent_code, level, name, name_fold, full_name, name_en, path, created_at) "
                      "VALUES ($1, $2, $3, $1, $1, $1, $1, $4, 0)",
                      {code, parent.empty() ? store::Value() : store::Value(parent), std::string(level), path}),
            "unit");
    };
    unit("BP", "", "province", "/BP/");
    w.province = User(c, "tinh.bench", Role::kProvinceOfficer, "BP", "/BP/");
    for (int i = 0; i < kCommunes; ++i) {
      const std::string code = "BC" + std::to_string(i), path = "/BP/" + code + "/";
      unit(code, "BP", "commune", path);
      w.officers.push_back(User(c, "xa.bench" + std::to_string(i), Role::kCommuneOfficer, code, path));
      for (int j = 0; j < kWorkersPerCommune; ++j) {
        w.workers.push_back(User(c, "canbo.bench" + std::to_string(i) + "." + std::to_string(j), Role::kCaseWorker, code, path));
      }
    }
    return Ok();
  }), "org units and users");
  std::mt19937 rng(42);
  const int64_t start = NowMillis() - 3LL * 365 * 86400 * 1000;
  constexpr int kBatch = 5000;
  for (int done = 0; done < count; done += kBatch) {
    Check(db.Write([&](store::Connection& c) -> Result<void> {
      for (int i = done; i < std::min(count, done + kBatch); ++i) {
        const int commune = static_cast<int>(rng() % kCommunes);
        const Principal& owner = w.workers[commune * kWorkersPerCommune + rng() % kWorkersPerCommune];
        repository::CaseRow row;
        row.id = NewId();
        row.survivor_code = "BX-" + std::to_string(i);
        row.org_code = owner.org_codes[0];
        row.org_path = owner.org_paths[0];
        row.owner_id = owner.user_id;
        row.status = rng() % 10 == 0 ? "closed" : "open";
        row.sex = rng() % 10 < 9 ? "female" : "male";
        row.birth_year = 1960 + static_cast<int64_t>(rng() % 60);
        row.ethnicity = rng() % 2 == 0 ? "ede" : "kinh";
        row.key_id = key.id();
        DataKey dk = DataKey::Random();
        row.data_key = key.Wrap(dk, row.id);
        const std::string name = "Người Thử " + std::to_string(i);  // generated, no real person
        row.name_enc = EncryptField(dk, row.id, "name", name);
        row.phone_enc = EncryptField(dk, row.id, "phone", "09" + std::to_string(10000000 + i));
        row.blind_index = key.BlindIndex(DuplicateKey(name, row.birth_year));
        row.risk_level = std::string(kRisk[rng() % 3]);
        row.high_risk = *row.risk_level == "high";
        row.created_at = row.updated_at = start + static_cast<int64_t>(i) * 900;
        KHIEN_RETURN_IF_ERROR(repository::InsertCase(c, row));
        Incident inc;
        inc.id = NewId();
        char date[16];
        std::snprintf(date, sizeof date, "202%d-%02d-%02d", static_cast<int>(3 + rng() % 3), static_cast<int>(1 + rng() % 12),
                      static_cast<int>(1 + rng() % 28));
        inc.occurred_on = date;
        inc.core_type = std::string(kCoreTypes[rng() % 6]);
        inc.survivor_age = 2024 - *row.birth_year;
        inc.created_at = row.created_at;
        KHIEN_RETURN_IF_ERROR(repository::InsertIncident(c, row.id, inc, owner.user_id));
        if (rng() % 10 < 8) {
          KHIEN_RETURN_IF_ERROR(repository::UpsertConsent(c, row.id, {"statistics", "", true, row.created_at}, owner.user_id));
        }
      }
      return Ok();
    }), "cases");
  }
  return w;
}

struct Timing {
  double p50 = 0, p95 = 0;
};

Timing Measure(const std::function<void(int)>& fn, int samples = kSamples) {
  std::vector<double> ms;
  for (int i = 0; i < samples; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fn(i);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[ms.size() * 95 / 100]};
}

void Run(const std::string& label, const std::string& url, int count) {
  auto opened = store::Database::Open(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s: %s\n", label.c_str(), opened.error().message_en.c_str());
    std::exit(1);
  }
  std::unique_ptr<store::Database> db = std::move(opened).value();
  Check(db->Migrate(), "migrate");
  auto key = std::shared_ptr<const MasterKey>(MasterKey::FromBytes(std::string(kKeyBytes, 'b')));
  const auto g0 = std::chrono::steady_clock::now();
  World w = Generate(*db, *key, count);
  const double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
  if (db->dialect() == store::Dialect::kPostgres) {
    // Fresh tables have no planner statistics yet; a running server has autovacuum's.
    Check(db->Write([](store::Connection& c) { return c.ExecuteScript("ANALYZE"); }), "analyze");
  }
  CaseService service(*db, key);
  std::mt19937 rng(7);
  auto worker = [&](int) -> const Principal& { return w.workers[rng() % w.workers.size()]; };

  std::printf("\n%s: %d cases generated in %.1f s; %d samples per list, %d per statistics query\n", label.c_str(),
              count, gen_s, kSamples, kStatsSamples);
  std::printf("%-44s %9s %9s %9s\n", "operation", "p50 ms", "p95 ms", "p95/base");
  const Timing base = Measure([&](int) {
    Check(store::ReadValue<int64_t>(*db, [](store::Connection& c) -> Result<int64_t> {
      KHIEN_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT COUNT(*) FROM case_records"));
      return rows[0].Int(0);
    }), "count");
  });
  auto row = [&](const char* name, const Timing& t) {
    std::printf("%-44s %9.2f %9.2f %9.1f\n", name, t.p50, t.p95, t.p95 / std::max(base.p95, 1e-3));
  };
  row("baseline: SELECT COUNT(*) FROM case_records", base);
  row("worker: case list (50 newest, audited)", Measure([&](int i) {
    Check(service.List(worker(i), CaseListQuery{}), "list");
  }));
  row("worker: search open high-risk cases", Measure([&](int i) {
    CaseListQuery q;
    q.status = "open";
    q.risk = "high";
    Check(service.List(worker(i), q), "search");
  }));
  row("worker: open one case (decrypt, duplicates)", Measure([&](int i) {
    const Principal& p = worker(i);
    auto list = service.List(p, CaseListQuery{});
    Check(list, "list for get");
    if (!list->empty()) Check(service.Get(p, (*list)[rng() % list->size()].id), "get");
  }));
  row("commune officer: commune case list", Measure([&](int i) {
    Check(service.List(w.officers[static_cast<size_t>(i) % w.officers.size()], CaseListQuery{}), "officer list");
  }));
  row("province: statistics by core type", Measure([&](int) {
    Check(service.Statistics(w.province, {"BP", {}, {}, "core_type"}), "stats");
  }, kStatsSamples));
  row("province: statistics by commune, one year", Measure([&](int) {
    Check(service.Statistics(w.province, {"BP", "2024-01-01", "2024-12-31", "commune"}), "stats commune");
  }, kStatsSamples));
  row("commune officer: statistics by age group", Measure([&](int i) {
    const Principal& o = w.officers[static_cast<size_t>(i) % w.officers.size()];
    Check(service.Statistics(o, {o.org_codes[0], {}, {}, "age_group"}), "stats age");
  }, kStatsSamples));
}

}  // namespace
}  // namespace khien::cases

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // one line per result, even into a pipe
  const int count = argc > 1 ? std::atoi(argv[1]) : 100000;
  const bool only_postgres = argc > 2 && std::string(argv[2]) == "postgres";
  const std::string tag = "khien_cb_" + khien::RandomHex(4);
  const auto folder = std::filesystem::temp_directory_path() / tag;
  std::filesystem::create_directories(folder);
  if (!only_postgres) khien::cases::Run("SQLite", "sqlite:" + (folder / "cases.db").string(), count);
  std::filesystem::remove_all(folder);
  if (const char* pg = khien::cases::PostgresUrl()) {
    auto admin = khien::store::Database::Open(pg);
    if (!admin.ok()) return 1;
    khien::cases::Check((*admin)->Write([&](khien::store::Connection& c) { return c.ExecuteScript("CREATE SCHEMA " + tag); }),
                        "schema");
    const std::string base = pg;
    khien::cases::Run("PostgreSQL", base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + tag,
                      count);
    khien::cases::Check((*admin)->Write([&](khien::store::Connection& c) {
      return c.ExecuteScript("DROP SCHEMA " + tag + " CASCADE");
    }), "drop schema");
  }
  return 0;
}
