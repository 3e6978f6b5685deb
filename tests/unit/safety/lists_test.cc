#include "safety/lists.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace khien::safety {
namespace {

TEST(ListsTest, PlainAndHostsFormatWithComments) {
  Lists lists;
  auto added = lists.LoadText(
      "# community list\n"
      "0.0.0.0 lua-dao.example\n"
      "127.0.0.1 other.example  # trailing comment\n"
      "0.0.0.0 localhost\n"
      "https://www.phish.example/path?q=1\n"
      "plain.example\n"
      "0912 345 678\n"
      "9988776655\n"
      "\n"
      "not a host at all\n",
      "test", Lists::Kind::kBlock);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 6u);
  EXPECT_EQ(lists.skipped_lines(), 1u);
  EXPECT_TRUE(lists.IsBlockedDomain("lua-dao.example"));
  EXPECT_TRUE(lists.IsBlockedDomain("other.example"));
  EXPECT_TRUE(lists.IsBlockedDomain("phish.example"));
  EXPECT_TRUE(lists.IsBlockedDomain("a.b.plain.example"));  // parent domain
  EXPECT_FALSE(lists.IsBlockedDomain("example"));
  EXPECT_FALSE(lists.IsBlockedDomain("localhost"));
  EXPECT_TRUE(lists.IsBlockedPhone("0912345678"));
  EXPECT_TRUE(lists.IsBlockedAccount("9988776655"));
  EXPECT_FALSE(lists.IsBlockedAccount("0912345678"));
}

TEST(ListsTest, OfficialDomainsAreAllowedAndNeverBlocked) {
  Lists lists;
  ASSERT_TRUE(lists.LoadText("vietcombank.com.vn\nx.gov.vn\n", "t", Lists::Kind::kBlock).ok());
  EXPECT_TRUE(lists.IsAllowedDomain("vietcombank.com.vn"));
  EXPECT_TRUE(lists.IsAllowedDomain("portal.vietcombank.com.vn"));
  EXPECT_TRUE(lists.IsAllowedDomain("dichvucong.gov.vn"));
  EXPECT_FALSE(lists.IsBlockedDomain("vietcombank.com.vn"));
  EXPECT_FALSE(lists.IsBlockedDomain("x.gov.vn"));
}

TEST(ListsTest, MissingFileIsAnErrorNamingIt) {
  Lists lists;
  auto r = lists.LoadFile("/nonexistent/khien-list.txt", Lists::Kind::kBlock);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_en.find("/nonexistent/khien-list.txt"), std::string::npos);
}

}  // namespace
}  // namespace khien::safety
