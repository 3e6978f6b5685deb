// Specification of ids and secrets: ULIDs sort by creation time and never repeat; random
// hex has the requested length.
#include "base/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace khien {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

bool IsCrockford(const std::string& s) {
  return s.find_first_not_of(kCrockford) == std::string::npos;
}

// Decodes the 48-bit millisecond timestamp held in the first ten characters.
int64_t TimestampOf(const std::string& id) {
  int64_t value = 0;
  for (size_t i = 0; i < 10; ++i) {
    value = value * 32 + static_cast<int64_t>(kCrockford.find(id[i]));
  }
  return value;
}

TEST(NewIdTest, Is26CrockfordCharacters) {
  const std::string id = NewId();
  EXPECT_EQ(id.size(), 26u);
  EXPECT_TRUE(IsCrockford(id)) << id;
  // 128 bits in 130: the first character carries only the top three bits.
  EXPECT_LE(kCrockford.find(id[0]), 7u) << id;
}

TEST(NewIdTest, CarriesTheCreationTime) {
  const int64_t before = NowMillis();
  const std::string id = NewId();
  const int64_t after = NowMillis();
  EXPECT_GE(TimestampOf(id), before);
  EXPECT_LE(TimestampOf(id), after);
}

TEST(NewIdTest, StrictlyIncreasesAcrossMilliseconds) {
  std::string previous = NewId();
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::string next = NewId();
    EXPECT_LT(previous, next);
    EXPECT_LT(TimestampOf(previous), TimestampOf(next));
    previous = next;
  }
}

TEST(NewIdTest, StrictlyIncreasesWithinAMillisecond) {
  // Thousands of ids a millisecond here: most pairs share their timestamp.
  std::string previous = NewId();
  int same_millisecond = 0;
  for (int i = 0; i < 20'000; ++i) {
    const std::string next = NewId();
    ASSERT_LT(previous, next);
    same_millisecond += TimestampOf(previous) == TimestampOf(next);
    previous = next;
  }
  EXPECT_GT(same_millisecond, 0) << "the loop never made two ids in one millisecond";
}

TEST(NewIdTest, IncreasesInEveryThread) {
  std::vector<std::string> a, b;
  auto make = [](std::vector<std::string>* out) {
    for (int i = 0; i < 5'000; ++i) out->push_back(NewId());
  };
  std::thread first(make, &a), second(make, &b);
  first.join();
  second.join();
  for (const auto* v : {&a, &b}) {
    for (size_t i = 1; i < v->size(); ++i) ASSERT_LT((*v)[i - 1], (*v)[i]);
  }
  std::unordered_set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), a.size() + b.size());
}

TEST(NewIdTest, UniqueOverAHundredThousand) {
  std::unordered_set<std::string> seen;
  seen.reserve(100'000);
  for (int i = 0; i < 100'000; ++i) {
    const std::string id = NewId();
    ASSERT_TRUE(seen.insert(id).second) << "duplicate id " << id;
  }
}

TEST(RandomHexTest, HasTwoLowercaseHexDigitsPerByte) {
  const std::string token = RandomHex(32);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
  EXPECT_EQ(RandomHex(1).size(), 2u);
  EXPECT_EQ(RandomHex(0), "");
}

TEST(RandomHexTest, DiffersBetweenCalls) {
  EXPECT_NE(RandomHex(32), RandomHex(32));
}

TEST(NowMillisTest, IsAfter2024AndMonotonicEnough) {
  const int64_t now = NowMillis();
  EXPECT_GT(now, 1'704'067'200'000);  // 2024-01-01T00:00:00Z
  EXPECT_LE(now, NowMillis());
}

}  // namespace
}  // namespace khien
