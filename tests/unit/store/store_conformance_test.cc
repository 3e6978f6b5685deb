// The conformance suite: every test runs on SQLite and on PostgreSQL and expects the same
// behaviour, so repository SQL written once works on both.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <set>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <vector>

#include "store/migrations.h"
#include "store_test_support.h"

namespace khien::store::testing {
namespace {

using ::testing::Values;

// "Nguyễn Thị Hoà, Đắk Lắk" in NFC and in NFD (base letters + combining marks).
const std::string kNfc = "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Ho\xc3\xa0, \xc4\x90\xe1\xba\xaf"
                         "k L\xe1\xba\xaf" "k";
const std::string kNfd = "Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 Hoa\xcc\x80, \xc4\x90"
                         "a\xcc\x86\xcc\x81k La\xcc\x86\xcc\x81k";

class ConformanceTest : public StoreTest {
 protected:
  void CreatePeople() {
    Exec("CREATE TABLE people (id BIGINT PRIMARY KEY, name TEXT, age BIGINT, score DOUBLE PRECISION)");
  }
};

TEST_P(ConformanceTest, PlaceholdersBindByNumberRepeatedAndOutOfOrder) {
  CreatePeople();
  // $2 appears twice and before $1.
  Exec("INSERT INTO people (id, age, name, score) VALUES ($2, $2, $1, $3)",
       {Value{std::string("Lan")}, Value{int64_t{7}}, Value{1.5}});
  Rows rows = Select("SELECT id, name, age, score FROM people WHERE name = $1 AND id = $2 AND age = $2",
                     {Value{std::string("Lan")}, Value{int64_t{7}}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 7);
  EXPECT_EQ(rows[0].Text(1), "Lan");
  EXPECT_EQ(rows[0].Int(2), 7);
  EXPECT_DOUBLE_EQ(rows[0].Real(3), 1.5);
  EXPECT_EQ(rows.columns, (std::vector<std::string>{"id", "name", "age", "score"}));
  // "$2" inside a string literal or a comment is not a placeholder.
  Rows literal = Select("SELECT CAST($1 AS TEXT) || ' costs $2' /* $3 */",
                        {Value{std::string("tea")}});
  ASSERT_EQ(literal.size(), 1u);
  EXPECT_EQ(literal[0].Text(0), "tea costs $2");
}

TEST_P(ConformanceTest, MissingOrExtraParameterValuesAreErrors) {
  CreatePeople();
  Result<void> missing = db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO people (id, name) VALUES ($1, $2)",
                                    {Value{int64_t{1}}}));
    return {};
  });
  EXPECT_FALSE(missing.ok());
  Result<void> extra = db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO people (id) VALUES ($1)",
                                    {Value{int64_t{1}}, Value{int64_t{2}}}));
    return {};
  });
  EXPECT_FALSE(extra.ok());
  EXPECT_EQ(Count("people"), 0);
}

TEST_P(ConformanceTest, NullsRoundTrip) {
  CreatePeople();
  Exec("INSERT INTO people (id, name, age, score) VALUES ($1, $2, $3, $4)",
       {Value{int64_t{1}}, Value{}, Value{}, Value{}});
  Rows rows = Select("SELECT name, age, score FROM people WHERE name IS NULL");
  ASSERT_EQ(rows.size(), 1u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(rows[0].IsNull(i)) << i;
  EXPECT_EQ(rows[0].OptText(0), std::nullopt);
  EXPECT_EQ(rows[0].OptInt(1), std::nullopt);
  EXPECT_EQ(rows[0].Text(0), "");
  EXPECT_EQ(rows[0].Int(1), 0);
  // A NULL parameter compares as NULL, not as an empty string.
  EXPECT_TRUE(Select("SELECT id FROM people WHERE name = $1", {Value{}}).empty());
}

TEST_P(ConformanceTest, Int64ExtremesAndDoublesRoundTrip) {
  CreatePeople();
  const std::vector<int64_t> ints = {std::numeric_limits<int64_t>::min(),
                                     std::numeric_limits<int64_t>::max(), 0, -1};
  const std::vector<double> reals = {0.1, -2.5e300, 1e-300, 123456789.125};
  for (size_t i = 0; i < ints.size(); ++i) {
    Exec("INSERT INTO people (id, age, score) VALUES ($1, $2, $3)",
         {Value{int64_t(i)}, Value{ints[i]}, Value{reals[i]}});
  }
  for (size_t i = 0; i < ints.size(); ++i) {
    Rows rows = Select("SELECT age, score FROM people WHERE age = $1", {Value{ints[i]}});
    ASSERT_EQ(rows.size(), 1u) << ints[i];
    EXPECT_EQ(rows[0].Int(0), ints[i]);
    EXPECT_TRUE(std::holds_alternative<int64_t>(rows.cells[0][0]));
    EXPECT_EQ(rows[0].Real(1), reals[i]);  // exact: no precision lost in text transport
    EXPECT_TRUE(std::holds_alternative<double>(rows.cells[0][1]));
  }
  // A bare parameter comes back as the same integer.
  Rows echo = Select("SELECT $1", {Value{std::numeric_limits<int64_t>::min()}});
  ASSERT_EQ(echo.size(), 1u);
  EXPECT_EQ(echo[0].Int(0), std::numeric_limits<int64_t>::min());
}

TEST_P(ConformanceTest, Utf8TextRoundTripsByteForByteInNfcAndNfd) {
  ASSERT_NE(kNfc, kNfd);
  CreatePeople();
  Exec("INSERT INTO people (id, name) VALUES (1, $1)", {Value{kNfc}});
  Exec("INSERT INTO people (id, name) VALUES (2, $1)", {Value{kNfd}});
  const std::string awkward = "tab\there\nnew line \\ back'slash \"quoted\" ; -- end";
  Exec("INSERT INTO people (id, name) VALUES (3, $1)", {Value{awkward}});
  Rows rows = Select("SELECT name FROM people ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].Text(0), kNfc);
  EXPECT_EQ(rows[1].Text(0), kNfd);
  EXPECT_EQ(rows[2].Text(0), awkward);
  // The store compares bytes: normalising to NFC is the caller's job (text::CleanInput).
  Rows nfc = Select("SELECT id FROM people WHERE name = $1", {Value{kNfc}});
  ASSERT_EQ(nfc.size(), 1u);
  EXPECT_EQ(nfc[0].Int(0), 1);
}

TEST_P(ConformanceTest, WriteCommitsWhenTheCallbackSucceeds) {
  CreatePeople();
  ASSERT_OK(db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO people (id) VALUES (1)"));
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO people (id) VALUES (2)"));
    return {};
  }));
  EXPECT_EQ(Count("people"), 2);
}

TEST_P(ConformanceTest, CallbackErrorRollsBackAndIsReturnedUnchanged) {
  CreatePeople();
  Result<void> r = db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO people (id) VALUES (1)"));
    return Error::InvalidInput("age", "Tuổi không hợp lệ.", "Invalid age.");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().field, "age");
  EXPECT_EQ(Count("people"), 0);
}

TEST_P(ConformanceTest, ExceptionRollsBackAndLeavesTheDatabaseUsable) {
  CreatePeople();
  EXPECT_THROW((void)db_->Write([](Connection& c) -> Result<void> {
                 (void)c.Execute("INSERT INTO people (id) VALUES (1)");
                 throw std::runtime_error("bug");
               }),
               std::runtime_error);
  EXPECT_EQ(Count("people"), 0);
  Exec("INSERT INTO people (id) VALUES (2)");
  EXPECT_EQ(Count("people"), 1);
}

TEST_P(ConformanceTest, ExecuteReturnsTheNumberOfChangedRows) {
  CreatePeople();
  for (int64_t id = 1; id <= 5; ++id) {
    Exec("INSERT INTO people (id, age) VALUES ($1, $2)", {Value{id}, Value{id * 10}});
  }
  auto changed = WriteValue<int64_t>(*db_, [](Connection& c) {
    return c.Execute("UPDATE people SET name = $1 WHERE age >= $2",
                     {Value{std::string("x")}, Value{int64_t{30}}});
  });
  ASSERT_OK(changed);
  EXPECT_EQ(*changed, 3);
}

TEST_P(ConformanceTest, UniqueViolationIsConflict) {
  Exec("CREATE TABLE accounts (id BIGINT PRIMARY KEY, username TEXT NOT NULL UNIQUE)");
  Exec("INSERT INTO accounts (id, username) VALUES (1, $1)", {Value{std::string("lan")}});
  Result<void> r = db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO accounts (id, username) VALUES (2, $1)",
                                    {Value{std::string("lan")}}));
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(r.error().message_vi.empty());
  EXPECT_FALSE(r.error().message_en.empty());
  EXPECT_EQ(Count("accounts"), 1);
}

TEST_P(ConformanceTest, ForeignKeyViolationIsConflict) {
  Exec("CREATE TABLE units (code TEXT PRIMARY KEY)");
  Exec("CREATE TABLE members (id BIGINT PRIMARY KEY, unit TEXT NOT NULL REFERENCES units(code))");
  Result<void> r = db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO members (id, unit) VALUES (1, 'nowhere')"));
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST_P(ConformanceTest, ReadSeesOneSnapshotWhileOthersCommit) {
  CreatePeople();
  Exec("INSERT INTO people (id) VALUES (1)");
  ASSERT_OK(db_->Read([&](Connection& c) -> Result<void> {
    KHIEN_ASSIGN_OR_RETURN(Rows before, c.Query("SELECT COUNT(*) FROM people"));
    EXPECT_EQ(before[0].Int(0), 1);
    // A writer commits while this read transaction is open.
    Result<void> w = db_->Write([](Connection& wc) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(wc.Execute("INSERT INTO people (id) VALUES (2)"));
      return {};
    });
    EXPECT_TRUE(w.ok());
    KHIEN_ASSIGN_OR_RETURN(Rows after, c.Query("SELECT COUNT(*) FROM people"));
    EXPECT_EQ(after[0].Int(0), 1) << "the read transaction saw a later commit";
    return {};
  }));
  EXPECT_EQ(Count("people"), 2);
}

TEST_P(ConformanceTest, ReadTransactionsCannotWrite) {
  CreatePeople();
  Result<void> r = db_->Read([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO people (id) VALUES (1)"));
    return {};
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Count("people"), 0);
}

TEST_P(ConformanceTest, ConcurrentWritersAllSucceedAndEveryRowArrives) {
  CreatePeople();
  auto second = OpenAnother();  // a second "process" on the same data
  ASSERT_NE(second, nullptr);
  constexpr int kThreads = 4;
  constexpr int kRowsPerThread = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Database* db = (t % 2 == 0) ? db_.get() : second.get();
    threads.emplace_back([db, t, &failures] {
      for (int i = 0; i < kRowsPerThread; ++i) {
        const int64_t id = int64_t{t} * kRowsPerThread + i;
        Result<void> r = db->Write([id](Connection& c) -> Result<void> {
          KHIEN_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT COUNT(*) FROM people"));
          (void)rows;
          KHIEN_RETURN_IF_ERROR(
              c.Execute("INSERT INTO people (id, age) VALUES ($1, $1)", {Value{id}}));
          return {};
        });
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << "writer " << id << ": " << r.error().message_en;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count("people"), kThreads * kRowsPerThread);
  Rows sum = Select("SELECT SUM(age) FROM people");
  const int64_t n = kThreads * kRowsPerThread;
  EXPECT_EQ(sum[0].Int(0), n * (n - 1) / 2);
}

TEST_P(ConformanceTest, ConcurrentReadersShareThePool) {
  CreatePeople();
  Exec("INSERT INTO people (id) VALUES (1)");
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {  // more threads than pooled connections: they queue
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (Count("people") == 1) ++ok;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(ok.load(), 160);
}

TEST_P(ConformanceTest, BulkInsertTenThousandRows) {
  CreatePeople();
  std::vector<std::vector<Value>> rows;
  constexpr int64_t kRows = 10000;
  for (int64_t i = 0; i < kRows; ++i) {
    Value name = (i % 10 == 0) ? Value{} : Value{kNfc + " #" + std::to_string(i)};
    rows.push_back({Value{i}, name, Value{i * 2}, Value{static_cast<double>(i) / 4}});
  }
  const std::string awkward = "a\tb\nc\\N\\d\r";
  rows[1][1] = Value{awkward};
  ASSERT_OK(db_->Write([&](Connection& c) {
    return c.BulkInsert("people", {"id", "name", "age", "score"}, rows);
  }));
  EXPECT_EQ(Count("people"), kRows);
  Rows sums = Select("SELECT SUM(age), SUM(score), COUNT(name) FROM people");
  EXPECT_EQ(sums[0].Int(0), kRows * (kRows - 1));
  EXPECT_DOUBLE_EQ(sums[0].Real(1), static_cast<double>(kRows * (kRows - 1) / 2) / 4);
  EXPECT_EQ(sums[0].Int(2), kRows - kRows / 10);  // every tenth name is NULL
  Rows special = Select("SELECT name FROM people WHERE id = 1");
  ASSERT_EQ(special.size(), 1u);
  EXPECT_EQ(special[0].Text(0), awkward);
  Rows viet = Select("SELECT name FROM people WHERE id = 7");
  EXPECT_EQ(viet[0].Text(0), kNfc + " #7");
}

TEST_P(ConformanceTest, BulkInsertRejectsBadIdentifiersAndRolledBackWithItsTransaction) {
  CreatePeople();
  Result<void> bad = db_->Write([](Connection& c) {
    return c.BulkInsert("people; DROP TABLE people", {"id"}, {{Value{int64_t{1}}}});
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  Result<void> rolled_back = db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.BulkInsert("people", {"id"}, {{Value{int64_t{1}}}, {Value{int64_t{2}}}}));
    return Error::Conflict("", "Dừng lại.", "Stop.");
  });
  EXPECT_FALSE(rolled_back.ok());
  EXPECT_EQ(Count("people"), 0);
}

TEST_P(ConformanceTest, InjectionAttemptsInValuesStayData) {
  CreatePeople();
  const std::string attack = "x'); DROP TABLE people; --";
  Exec("INSERT INTO people (id, name) VALUES (1, $1)", {Value{attack}});
  Rows rows = Select("SELECT name FROM people");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), attack);
  EXPECT_TRUE(Select("SELECT id FROM people WHERE name = $1", {Value{std::string("' OR '1'='1")}})
                  .empty());
  // Text where a number belongs: SQLite compares and finds nothing, PostgreSQL refuses to
  // parse it. Either way no row comes back.
  auto numeric = ReadValue<Rows>(*db_, [](Connection& c) {
    return c.Query("SELECT id FROM people WHERE age = $1", {Value{std::string("1 OR 1=1")}});
  });
  EXPECT_TRUE(!numeric.ok() || numeric->empty());
  // Query/Execute run exactly one statement: a smuggled second one is refused, not run.
  Result<void> two = db_->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("DELETE FROM people WHERE id = $1; DROP TABLE people",
                                    {Value{int64_t{1}}}));
    return {};
  });
  EXPECT_FALSE(two.ok());
  EXPECT_EQ(Count("people"), 1);
}

std::vector<Migration> TestMigrations() {
  return {
      {1, "first", "CREATE TABLE m_one (id BIGINT PRIMARY KEY);",
       "CREATE TABLE m_one (id BIGINT PRIMARY KEY);"},
      // Per-dialect variants: each backend must run its own script.
      {2, "dialect", "CREATE TABLE m_sqlite_only (id BIGINT);",
       "CREATE TABLE m_postgres_only (id BIGINT);"},
      {3, "seed", "INSERT INTO m_one (id) VALUES (1); INSERT INTO m_one (id) VALUES (2);",
       "INSERT INTO m_one (id) VALUES (1); INSERT INTO m_one (id) VALUES (2);"},
  };
}

TEST_P(ConformanceTest, MigrationsApplyOnceInOrderAndAreIdempotent) {
  std::vector<Migration> list = TestMigrations();
  std::swap(list[0], list[2]);  // order in the list does not matter, versions do
  auto first = ApplyMigrations(*db_, list);
  ASSERT_OK(first);
  EXPECT_EQ(*first, 3);
  auto again = ApplyMigrations(*db_, list);
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("m_one"), 2);
  EXPECT_EQ(Count(IsPostgres() ? "m_postgres_only" : "m_sqlite_only"), 0);
  auto versions = AppliedMigrationVersions(*db_);
  ASSERT_OK(versions);
  EXPECT_EQ(*versions, (std::vector<int>{1, 2, 3}));
  Rows names = Select("SELECT name, applied_at FROM schema_migrations WHERE version = 2");
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].Text(0), "dialect");
  EXPECT_GT(names[0].Int(1), 0);

  list.push_back({4, "later", "CREATE TABLE m_four (id BIGINT);", "CREATE TABLE m_four (id BIGINT);"});
  auto fourth = ApplyMigrations(*db_, list);
  ASSERT_OK(fourth);
  EXPECT_EQ(*fourth, 1);
}

TEST_P(ConformanceTest, FailingMigrationLeavesNothingBehind) {
  std::vector<Migration> list = TestMigrations();
  list.push_back({4, "broken", "CREATE TABLE m_half (id BIGINT); THIS IS NOT SQL;",
                  "CREATE TABLE m_half (id BIGINT); THIS IS NOT SQL;"});
  auto r = ApplyMigrations(*db_, list);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_en.find("4_broken"), std::string::npos) << r.error().message_en;
  auto versions = AppliedMigrationVersions(*db_);
  ASSERT_OK(versions);
  EXPECT_EQ(*versions, (std::vector<int>{1, 2, 3}));
  Result<void> half = db_->Read([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Query("SELECT COUNT(*) FROM m_half"));
    return {};
  });
  EXPECT_FALSE(half.ok()) << "the failed migration's table survived";
}

TEST_P(ConformanceTest, DuplicateMigrationVersionsAreRejected) {
  std::vector<Migration> list = TestMigrations();
  list.push_back(list[0]);
  auto r = ApplyMigrations(*db_, list);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  auto versions = AppliedMigrationVersions(*db_);
  ASSERT_OK(versions);
  EXPECT_TRUE(versions->empty());
}

TEST_P(ConformanceTest, ConcurrentMigrateFromTwoDatabasesAppliesEachOnce) {
  std::vector<Migration> list = TestMigrations();
  for (int v = 4; v <= 12; ++v) {
    const std::string sql = "CREATE TABLE m_" + std::to_string(v) + " (id BIGINT);";
    list.push_back({v, "table_" + std::to_string(v), sql, sql});
  }
  auto other = OpenAnother();
  ASSERT_NE(other, nullptr);
  Result<int> a = 0, b = 0;
  std::thread ta([&] { a = ApplyMigrations(*db_, list); });
  std::thread tb([&] { b = ApplyMigrations(*other, list); });
  ta.join();
  tb.join();
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(*a + *b, static_cast<int>(list.size()));
  EXPECT_EQ(Count("m_one"), 2);  // the seed ran once
  auto versions = AppliedMigrationVersions(*db_);
  ASSERT_OK(versions);
  EXPECT_EQ(versions->size(), list.size());
}

TEST_P(ConformanceTest, EmbeddedMigrationsApplyOnBothDialects) {
  auto applied = db_->Migrate();
  ASSERT_OK(applied);
  EXPECT_EQ(*applied, static_cast<int>(EmbeddedMigrations().size()));
  auto again = db_->Migrate();
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
}

TEST_P(ConformanceTest, BackupProducesAReadableCopy) {
  CreatePeople();
  Exec("INSERT INTO people (id, name) VALUES (1, $1)", {Value{kNfc}});
  const std::string target = (std::filesystem::temp_directory_path() /
                              ("khien_backup_" + application_name_ + std::to_string(::getpid())) /
                              "copy.db").string();
  Result<void> r = db_->Backup(target);
  if (IsPostgres()) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    return;
  }
  ASSERT_OK(r);
  // Later writes do not reach the copy.
  Exec("INSERT INTO people (id) VALUES (2)");
  {
    auto copy = Database::Open("sqlite:" + target);
    ASSERT_OK(copy);
    auto rows = ReadValue<Rows>(**copy, [](Connection& c) {
      return c.Query("SELECT name FROM people ORDER BY id");
    });
    ASSERT_OK(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].Text(0), kNfc);
  }
  const auto folder = std::filesystem::path(target).parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
        << "temporary file left: " << entry.path();
  }
  std::filesystem::remove_all(folder);
}

TEST_P(ConformanceTest, PingWorks) { EXPECT_OK(db_->Ping()); }

INSTANTIATE_TEST_SUITE_P(Backends, ConformanceTest, Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

// PostgreSQL-only behaviour: the pool, timeouts, type conversion.
class PostgresOnlyTest : public StoreTest {
 protected:
  void CreateTableForPool() { Exec("CREATE TABLE pool_rows (id BIGINT PRIMARY KEY)"); }
};

TEST_P(PostgresOnlyTest, ReconnectsAfterTheServerKillsEveryPooledConnection) {
  CreateTableForPool();
  // Fill the pool: several overlapping reads open several connections.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] { EXPECT_OK(db_->Read([](Connection& c) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(c.Query("SELECT pg_sleep(0.05)"));
      return {};
    })); });
  }
  for (std::thread& th : threads) th.join();

  auto admin = Database::Open(std::getenv("KHIEN_TEST_PG_URL"));
  ASSERT_OK(admin);
  auto killed = WriteValue<Rows>(**admin, [&](Connection& c) {
    return c.Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        {Value{application_name_}});
  });
  ASSERT_OK(killed);
  ASSERT_GE(killed->size(), 2u) << "expected several pooled connections to kill";

  // Every following call succeeds, also when several threads hit dead connections at once:
  // a dead connection is noticed at BEGIN and the transaction retried on a new one.
  std::atomic<int> failures{0};
  threads.clear();
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Result<void> r = db_->Read([](Connection& c) -> Result<void> {
        KHIEN_RETURN_IF_ERROR(c.Query("SELECT pg_sleep(0.02)"));
        return {};
      });
      if (!r.ok()) ++failures;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int i = 0; i < 6; ++i) {
    EXPECT_OK(db_->Read([](Connection& c) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(c.Query("SELECT COUNT(*) FROM pool_rows"));
      return {};
    }));
    Exec("INSERT INTO pool_rows (id) VALUES ($1)", {Value{int64_t{i}}});
  }
  EXPECT_EQ(Count("pool_rows"), 6);
}

TEST_P(PostgresOnlyTest, StatementTimeoutIsUnavailable) {
  Options options;
  options.statement_timeout_ms = 100;
  auto db = OpenAnother(options);
  ASSERT_NE(db, nullptr);
  Result<void> r = db->Read([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Query("SELECT pg_sleep(2)"));
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_OK(db->Ping());  // the connection is still good afterwards
}

TEST_P(PostgresOnlyTest, SwallowedStatementFailureDoesNotCommitSilently) {
  CreateTableForPool();
  Result<void> r = db_->Write([](Connection& c) -> Result<void> {
    (void)c.Execute("INSERT INTO pool_rows (id) VALUES (1)");
    (void)c.Execute("INSERT INTO pool_rows (id) VALUES (1)");  // conflict, ignored by the bug
    return {};
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Count("pool_rows"), 0);
}

TEST_P(PostgresOnlyTest, ResultCellsAreConvertedByColumnType) {
  Rows rows = Select(
      "SELECT 2::int2, 3::int4, 4::int8, 1.5::float4, 2.25::float8, 12.5::numeric, true, false, "
      "'x'::varchar, NULL::int8, '2026-01-02'::date");
  ASSERT_EQ(rows.size(), 1u);
  const std::vector<Value>& c = rows.cells[0];
  EXPECT_EQ(std::get<int64_t>(c[0]), 2);
  EXPECT_EQ(std::get<int64_t>(c[1]), 3);
  EXPECT_EQ(std::get<int64_t>(c[2]), 4);
  EXPECT_EQ(std::get<double>(c[3]), 1.5);
  EXPECT_EQ(std::get<double>(c[4]), 2.25);
  EXPECT_EQ(std::get<double>(c[5]), 12.5);
  EXPECT_EQ(std::get<int64_t>(c[6]), 1);
  EXPECT_EQ(std::get<int64_t>(c[7]), 0);
  EXPECT_EQ(std::get<std::string>(c[8]), "x");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(c[9]));
  EXPECT_EQ(std::get<std::string>(c[10]), "2026-01-02");
}

TEST_P(PostgresOnlyTest, PlaceholdersInsideDollarQuotesAndIdentifiersAreNotCounted) {
  // One parameter: the $2 and $3 below are inside a dollar-quoted string and a quoted name.
  Rows rows = Select("SELECT $tag$ costs $2 $tag$ || CAST($1 AS TEXT) AS \"col$3\"",
                     {Value{std::string("tea")}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), " costs $2 tea");
  EXPECT_EQ(rows.columns[0], "col$3");
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresOnlyTest, Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace khien::store::testing
