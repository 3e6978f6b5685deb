#include "store_test_support.h"

#include <cstdlib>
#include <filesystem>

#include "base/ids.h"

namespace khien::store::testing {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

void StoreTest::SetUp() {
  const std::string tag = "khien_t_" + RandomHex(6);
  if (GetParam() == Backend::kSqlite) {
    folder_ = (std::filesystem::temp_directory_path() / tag).string();
    std::filesystem::create_directories(folder_);
    url_ = "sqlite:" + folder_ + "/test.db";
  } else {
    const char* base = std::getenv("KHIEN_TEST_PG_URL");
    if (base == nullptr || *base == '\0') {
      GTEST_SKIP() << "KHIEN_TEST_PG_URL is not set: start a cluster with "
                      "`scripts/pg-test-cluster.sh start DIR PORT` and export the URL it prints";
    }
    auto admin = Database::Open(base);
    ASSERT_TRUE(admin.ok()) << "cannot reach KHIEN_TEST_PG_URL: " << admin.error().message_en;
    admin_ = std::move(admin).value();
    schema_ = tag;
    application_name_ = tag;
    ASSERT_OK(admin_->Write(
        [&](Connection& c) { return c.ExecuteScript("CREATE SCHEMA " + schema_); }));
    const std::string b(base);
    // options=-c search_path=<schema>, percent-encoded as libpq URLs require.
    url_ = b + (b.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema_ + "&application_name=" + application_name_;
  }
  auto db = Database::Open(url_);
  ASSERT_TRUE(db.ok()) << db.error().message_en;
  db_ = std::move(db).value();
}

void StoreTest::TearDown() {
  db_.reset();
  if (admin_) {
    EXPECT_OK(admin_->Write([&](Connection& c) {
      return c.ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }));
  }
  if (!folder_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(folder_, ec);
  }
}

std::unique_ptr<Database> StoreTest::OpenAnother(const Options& options) {
  auto db = Database::Open(url_, options);
  EXPECT_TRUE(db.ok()) << db.error().message_en;
  return db.ok() ? std::move(db).value() : nullptr;
}

void StoreTest::Exec(const std::string& sql, const Params& params) {
  Result<void> r = db_->Write([&](Connection& c) -> Result<void> {
    KHIEN_RETURN_IF_ERROR(c.Execute(sql, params));
    return {};
  });
  ASSERT_TRUE(r.ok()) << sql << ": " << r.error().message_en;
}

Rows StoreTest::Select(const std::string& sql, const Params& params) {
  auto rows = ReadValue<Rows>(*db_, [&](Connection& c) { return c.Query(sql, params); });
  EXPECT_TRUE(rows.ok()) << sql << ": " << rows.error().message_en;
  return rows.ok() ? std::move(rows).value() : Rows{};
}

int64_t StoreTest::Count(const std::string& table) {
  Rows rows = Select("SELECT COUNT(*) FROM " + table);
  return rows.empty() ? -1 : rows[0].Int(0);
}

}  // namespace khien::store::testing
