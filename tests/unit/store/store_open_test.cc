// Database::Open URL handling, the in-memory SQLite database and SQLite-only extras.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "base/ids.h"
#include "store/database.h"
#include "store_test_support.h"

namespace khien::store::testing {
namespace {

TEST(OpenTest, UnknownSchemeIsInvalidInputInBothLanguages) {
  for (const char* url : {"mysql://root@localhost/khien", "khien.db", "", "sqlite:"}) {
    auto db = Database::Open(url);
    ASSERT_FALSE(db.ok()) << url;
    EXPECT_EQ(db.error().code, ErrorCode::kInvalidInput) << url;
    EXPECT_FALSE(db.error().message_vi.empty());
    EXPECT_FALSE(db.error().message_en.empty());
  }
}

TEST(OpenTest, ErrorMessageNeverEchoesThePassword) {
  auto db = Database::Open("mysql://admin:hunter2secret@db.example/khien");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().message_en.find("hunter2secret"), std::string::npos);
  EXPECT_EQ(db.error().message_vi.find("hunter2secret"), std::string::npos);
}

TEST(OpenTest, PostgresServerDownIsUnavailable) {
  // Port 1 on loopback: nothing listens there, the refusal is immediate.
  auto db = Database::Open("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

TEST(OpenTest, MemoryDatabaseSharesDataBetweenWriterAndReaders) {
  auto opened = Database::Open("sqlite::memory:");
  ASSERT_OK(opened);
  Database& db = **opened;
  EXPECT_EQ(db.dialect(), Dialect::kSqlite);
  ASSERT_OK(db.Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.ExecuteScript("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)"));
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO t (id, v) VALUES (1, $1)", {Value{std::string("một")}}));
    return {};
  }));
  std::vector<std::thread> threads;
  std::atomic<int> seen{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto rows = ReadValue<Rows>(db, [](Connection& c) { return c.Query("SELECT v FROM t"); });
      if (rows.ok() && rows->size() == 1 && (*rows)[0].Text(0) == "một") ++seen;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(seen.load(), 4);
}

TEST(OpenTest, TwoMemoryDatabasesAreSeparate) {
  auto a = Database::Open("sqlite::memory:");
  auto b = Database::Open("sqlite::memory:");
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_OK((*a)->Write([](Connection& c) { return c.ExecuteScript("CREATE TABLE only_a (x BIGINT)"); }));
  Result<void> r = (*b)->Read([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Query("SELECT COUNT(*) FROM only_a"));
    return {};
  });
  EXPECT_FALSE(r.ok());
}

TEST(OpenTest, SqliteCreatesTheParentFolder) {
  const auto folder = std::filesystem::temp_directory_path() / ("khien_open_" + RandomHex(4));
  auto db = Database::Open("sqlite:" + (folder / "deeper" / "k.db").string());
  ASSERT_OK(db);
  EXPECT_OK((*db)->Ping());
  EXPECT_TRUE(std::filesystem::exists(folder / "deeper" / "k.db"));
  db->reset();
  std::filesystem::remove_all(folder);
}

TEST(OpenTest, SqliteFoldFunctionMatchesTextFold) {
  auto db = Database::Open("sqlite::memory:");
  ASSERT_OK(db);
  auto rows = ReadValue<Rows>(**db, [](Connection& c) {
    return c.Query("SELECT khien_fold($1), khien_fold(NULL)",
                   {Value{std::string("\xc4\x90\xe1\xba\xaf" "k L\xe1\xba\xaf" "k")}});  // Đắk Lắk
  });
  ASSERT_OK(rows);
  EXPECT_EQ((*rows)[0].Text(0), "dak lak");
  EXPECT_TRUE((*rows)[0].IsNull(1));
}

TEST(OpenTest, NestedSqliteWriteIsRefusedInsteadOfDeadlocking) {
  auto db = Database::Open("sqlite::memory:");
  ASSERT_OK(db);
  Result<void> outer = (*db)->Write([&](Connection&) -> Result<void> {
    Result<void> inner = (*db)->Write([](Connection&) -> Result<void> { return {}; });
    EXPECT_FALSE(inner.ok());
    return inner;
  });
  EXPECT_FALSE(outer.ok());
  EXPECT_OK((*db)->Write([](Connection&) -> Result<void> { return {}; }));  // usable afterwards
}

// A scratch SQLite file, removed at the end of the test.
class SqliteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() / ("khien_file_" + RandomHex(4));
    url_ = "sqlite:" + (folder_ / "k.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
  std::string url_;
};

TEST_F(SqliteFileTest, FileDatabasesUseWalFullSyncAndForeignKeys) {
  auto db = Database::Open(url_);
  ASSERT_OK(db);
  auto writer = WriteValue<Rows>(**db, [](Connection& c) -> Result<Rows> {
    KHIEN_ASSIGN_OR_RETURN(Rows mode, c.Query("PRAGMA journal_mode"));
    KHIEN_ASSIGN_OR_RETURN(Rows sync, c.Query("PRAGMA synchronous"));
    KHIEN_ASSIGN_OR_RETURN(Rows fk, c.Query("PRAGMA foreign_keys"));
    Rows out;
    out.cells = {{mode.cells[0][0], sync.cells[0][0], fk.cells[0][0]}};
    return out;
  });
  ASSERT_OK(writer);
  EXPECT_EQ((*writer)[0].Text(0), "wal");
  EXPECT_EQ((*writer)[0].Int(1), 2);  // FULL
  EXPECT_EQ((*writer)[0].Int(2), 1);
  auto reader_fk = ReadValue<Rows>(**db, [](Connection& c) { return c.Query("PRAGMA foreign_keys"); });
  ASSERT_OK(reader_fk);
  EXPECT_EQ((*reader_fk)[0].Int(0), 1);
}

TEST_F(SqliteFileTest, WriterLockedByAnotherProcessPastTheTimeoutIsUnavailable) {
  Options patient;
  auto holder = Database::Open(url_, patient);
  ASSERT_OK(holder);
  ASSERT_OK((*holder)->Write([](Connection& c) { return c.ExecuteScript("CREATE TABLE t (x BIGINT)"); }));
  Options impatient;
  impatient.busy_timeout_ms = 100;
  auto waiter = Database::Open(url_, impatient);
  ASSERT_OK(waiter);

  std::atomic<bool> locked{false};
  std::atomic<bool> release{false};
  std::thread hold([&] {
    EXPECT_OK((*holder)->Write([&](Connection& c) -> Result<void> {
      KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO t (x) VALUES (1)"));
      locked = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return {};
    }));
  });
  while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Result<void> r = (*waiter)->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO t (x) VALUES (2)"));
    return {};
  });
  release = true;
  hold.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  // Once the lock is gone the same Database writes normally.
  EXPECT_OK((*waiter)->Write([](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute("INSERT INTO t (x) VALUES (3)"));
    return {};
  }));
}

TEST(RowTest, AccessorsConvertBetweenTypes) {
  const std::vector<Value> cells = {Value{int64_t{42}}, Value{std::string("-7")}, Value{2.5},
                                    Value{}, Value{std::string("abc")}};
  Row row(&cells);
  EXPECT_EQ(row.size(), 5u);
  EXPECT_EQ(row.Text(0), "42");
  EXPECT_EQ(row.Int(1), -7);
  EXPECT_EQ(row.Real(0), 42.0);
  EXPECT_EQ(row.Text(2), "2.5");
  EXPECT_EQ(row.Int(2), 2);
  EXPECT_TRUE(row.IsNull(3));
  EXPECT_EQ(row.OptInt(3), std::nullopt);
  EXPECT_EQ(row.OptText(0), "42");
  EXPECT_EQ(row.Int(4), 0);  // not a number
}

}  // namespace
}  // namespace khien::store::testing
