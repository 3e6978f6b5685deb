// Fixture shared by the store tests: a fresh database per test on the backend under test.
//   SQLite:     a new file in a new temporary folder.
//   PostgreSQL: a new schema (search_path) in the database of KHIEN_TEST_PG_URL, dropped at
//               the end; each test's connections carry their own application_name so a test
//               can find and kill exactly its own backends.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/database.h"

namespace khien::store::testing {

enum class Backend { kSqlite, kPostgres };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

#define ASSERT_OK(expr)                                                         \
  do {                                                                          \
    const auto& khien_ok_ = (expr);                                             \
    ASSERT_TRUE(khien_ok_.ok()) << #expr << " failed: " << khien_ok_.error().message_en; \
  } while (0)

#define EXPECT_OK(expr)                                                         \
  do {                                                                          \
    const auto& khien_ok_ = (expr);                                             \
    EXPECT_TRUE(khien_ok_.ok()) << #expr << " failed: " << khien_ok_.error().message_en; \
  } while (0)

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  bool IsPostgres() const { return GetParam() == Backend::kPostgres; }

  // Another Database on the same data (for concurrency tests), as a second process would.
  std::unique_ptr<Database> OpenAnother(const Options& options = {});

  // Runs one statement in its own write transaction; fails the test on error.
  void Exec(const std::string& sql, const Params& params = {});
  // Runs one query in a read transaction; fails the test on error.
  Rows Select(const std::string& sql, const Params& params = {});
  int64_t Count(const std::string& table);

  std::string url_;               // the URL every Database of this test opens
  std::string application_name_;  // PostgreSQL: identifies this test's backends
  std::string schema_;            // PostgreSQL: this test's schema
  std::string folder_;            // SQLite: this test's temporary folder
  std::unique_ptr<Database> db_;

 private:
  std::unique_ptr<Database> admin_;  // PostgreSQL: creates and drops the schema
};

}  // namespace khien::store::testing
