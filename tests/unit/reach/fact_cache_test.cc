// The indicator cache gives exactly the numbers of GROUP BY over the raw tables, on a generated
// province, for every breakdown and filter a dashboard uses — before and after writes made by
// this service and by another one on the same database (the "second serve process").
#include "reach/fact_cache.h"

#include <gtest/gtest.h>

#include "org/service.h"
#include "reach/indicators.h"
#include "reach/repository.h"
#include "reach/scale_demo.h"
#include "reach/service.h"
#include "store/database.h"

namespace khien::reach {
namespace {

constexpr int64_t kNow = 1781524800000;  // 2026-06-15 12:00 UTC

class FactCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto db = store::Database::Open("sqlite::memory:", {.readers = 1});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value().release();
    ASSERT_TRUE(db_->Migrate().ok());
    org::OrgService org(*db_);
    ASSERT_TRUE(org.ImportOfficialUnits(org::EmbeddedOfficialUnits()).ok());
    ScaleOptions options;
    options.participations = 20000;
    options.today = "2026-06-15";
    auto made = GenerateScaleDemo(*db_, options);
    ASSERT_TRUE(made.ok()) << made.error().message_en;
    ASSERT_GT(made->named, made->tallied);
    ASSERT_EQ(made->named + made->tallied, 20000);
    ASSERT_GT(made->tallied, 0);
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }

  static repository::FactFilter Filter(const std::string& org_code, int64_t from = 20210101, int64_t to = 20261231) {
    repository::FactFilter f;
    auto place = store::ReadValue<repository::Place>(*db_, [&](store::Connection& c) {
      return repository::FindPlace(c, org_code);
    });
    EXPECT_TRUE(place.ok());
    auto [lo, hi] = access::SubtreeRange(place->path);
    f.range = {lo, hi};
    f.from_day = from;
    f.to_day = to;
    return f;
  }

  // The province and a commune, village and point (nested) that hold activities.
  static std::vector<std::string> SomePlaces() {
    auto rows = store::ReadValue<store::Rows>(*db_, [](store::Connection& c) {
      return c.Query(
          "SELECT commune_code, village_code, point_code FROM reach_participations "
          "WHERE point_code IS NOT NULL ORDER BY activity_id LIMIT 1");
    });
    EXPECT_TRUE(rows.ok());
    return {"66", (*rows)[0].Text(0), (*rows)[0].Text(1), (*rows)[0].Text(2)};
  }

  static void ExpectSame(const IndicatorRow& a, const IndicatorRow& b, const std::string& where) {
    EXPECT_EQ(a.keys, b.keys) << where;
    EXPECT_EQ(a.sessions, b.sessions) << where;
    EXPECT_EQ(a.participations, b.participations) << where;
    EXPECT_EQ(a.named_participations, b.named_participations) << where;
    EXPECT_EQ(a.tallied_participations, b.tallied_participations) << where;
    EXPECT_EQ(a.unique_people, b.unique_people) << where;
    EXPECT_EQ(a.women, b.women) << where;
    EXPECT_EQ(a.minority_women, b.minority_women) << where;
    EXPECT_EQ(a.children_under_16, b.children_under_16) << where;
    EXPECT_EQ(a.children_under_18, b.children_under_18) << where;
    EXPECT_EQ(a.knowledge_checked, b.knowledge_checked) << where;
    ASSERT_EQ(a.knowledge_gain.has_value(), b.knowledge_gain.has_value()) << where;
    if (a.knowledge_gain) {
      EXPECT_NEAR(*a.knowledge_gain, *b.knowledge_gain, 1e-9) << where;
    }
  }

  static void ExpectSameTable(const IndicatorTable& sql, const IndicatorTable& fast, const std::string& where) {
    EXPECT_EQ(sql.by, fast.by) << where;
    ExpectSame(sql.total, fast.total, where + " (total)");
    EXPECT_EQ(sql.rows.size(), fast.rows.size()) << where;
    for (size_t i = 0; i < sql.rows.size() && i < fast.rows.size(); ++i) ExpectSame(sql.rows[i], fast.rows[i], where);
  }

  // Computes the table both ways and compares every cell.
  static int64_t CompareBothWays(FactCache& cache, const repository::FactFilter& filter,
                                 const std::vector<std::string>& dims) {
    std::string where = filter.range.lo + " " + std::to_string(filter.from_day) + "-" + std::to_string(filter.to_day);
    for (const std::string& d : dims) where += " " + d;
    if (filter.topic) where += " topic=" + *filter.topic;
    if (filter.type) where += " type=" + *filter.type;
    IndicatorTable sql, fast, sql_years, fast_years, alone;
    auto ran = db_->Read([&](store::Connection& c) -> Result<void> {
      KHIEN_ASSIGN_OR_RETURN(sql, ComputeIndicators(c, filter, dims));
      KHIEN_ASSIGN_OR_RETURN(fast, ComputeIndicators(c, filter, dims, &cache));
      // The by-year table target progress uses, from the same scan as the breakdown.
      KHIEN_ASSIGN_OR_RETURN(alone, ComputeIndicators(c, filter, dims, &cache, &fast_years));
      KHIEN_ASSIGN_OR_RETURN(sql_years, ComputeIndicators(c, filter, {"year"}));
      return {};
    });
    EXPECT_TRUE(ran.ok()) << (ran.ok() ? "" : ran.error().message_en);
    ExpectSameTable(sql, fast, where);
    ExpectSameTable(sql, alone, where + " (with years)");
    ExpectSameTable(sql_years, fast_years, where + " (years)");
    return sql.total.participations;
  }

  static void CompareEveryBreakdown(FactCache& cache);

  static store::Database* db_;
};

store::Database* FactCacheTest::db_ = nullptr;

// One thread, and two threads even on this small province (halves of slots and of people).
TEST_F(FactCacheTest, EveryBreakdownMatchesGroupBy) {
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    FactCache cache(threads, 0);
    CompareEveryBreakdown(cache);
  }
}

TEST_F(FactCacheTest, SumsPerSlotAreFewerThanTheFacts) {
  FactCache cache;
  ASSERT_TRUE(db_->Read([&](store::Connection& c) { return cache.Sync(c); }).ok());
  const FactCache::Stats st = cache.stats();
  EXPECT_GT(st.named, 0);
  EXPECT_GT(st.tallies, 0);
  EXPECT_GT(st.count_entries, 0);
  EXPECT_LT(st.count_entries, st.named + st.tallies);
}

void FactCacheTest::CompareEveryBreakdown(FactCache& cache) {
  const std::vector<std::vector<std::string>> breakdowns = {
      {},
      {"month"},
      {"commune"},
      {"sex", "ethnicity"},
      {"sex", "ethnic_group", "age_group"},
      {"year", "commune"},
      {"quarter"},
      {"village", "point"},
      {"topic"},
      {"topic", "sex"},
      {"type", "year"},
      {"commune", "month", "sex", "ethnic_group"}};
  int64_t seen = 0;
  for (const std::string& place : SomePlaces()) {
    for (const auto& dims : breakdowns) seen += CompareBothWays(cache, Filter(place), dims);
    CompareBothWays(cache, Filter(place, 20230101, 20241231), {"month", "sex"});
  }
  EXPECT_GT(seen, 0);
  repository::FactFilter topic = Filter("66", 20220301, 20250630);
  topic.topic = "online_fraud";
  CompareBothWays(cache, topic, {"commune", "sex"});
  CompareBothWays(cache, topic, {"topic"});
  repository::FactFilter type = Filter("66");
  type.type = "performance";
  CompareBothWays(cache, type, {"age_group", "ethnic_group"});
  CompareBothWays(cache, type, {});
  EXPECT_EQ(cache.stats().full_loads, 1);
}

TEST_F(FactCacheTest, WritesAreSeenByTheNextQueryHereAndInAnotherService) {
  ReachService here(*db_, [] { return kNow; });
  FactCache other(2, 0);  // another process's cache over the same database, on two threads
  const std::vector<std::string> places = SomePlaces();
  const std::string commune = places[1];
  CompareBothWays(other, Filter(commune), {"sex", "ethnicity"});

  access::Principal officer;
  officer.user_id = "officer";
  officer.role = access::Role::kProvinceOfficer;
  officer.org_codes = {"66"};
  officer.org_paths = {"/66/"};
  IndicatorQuery q;
  q.org_code = commune;
  q.from = "2021-01-01";
  q.to = "2026-06-15";
  auto before = here.Indicators(officer, q);
  ASSERT_TRUE(before.ok());

  NewActivity a;
  a.org_code = places[2];
  a.type = "training";
  a.title = "Phòng chống lừa đảo trực tuyến";
  a.topics = {"online_fraud", "health"};
  a.date = "2026-06-01";
  auto made = here.CreateActivity(officer, a);
  ASSERT_TRUE(made.ok()) << made.error().message_en;
  NewParticipant p;
  p.name = "H'Blin Mlô Thử";
  p.sex = "female";
  p.birth_year = 2012;
  p.ethnicity = "ede";
  p.village = "Buôn Thử";
  p.pre_score = 40;
  p.post_score = 75;
  ASSERT_TRUE(here.AddParticipant(officer, made->activity.id, p).ok());
  ASSERT_TRUE(here.SetTally(officer, made->activity.id, {{"male", "30_59", "kinh", 7}}).ok());

  auto after = here.Indicators(officer, q);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->total.participations, before->total.participations + 8);
  EXPECT_EQ(after->total.unique_people, before->total.unique_people + 1);
  EXPECT_EQ(after->total.minority_women, before->total.minority_women + 1);
  EXPECT_EQ(after->total.children_under_16, before->total.children_under_16 + 1);
  EXPECT_EQ(after->total.sessions, before->total.sessions + 1);
  CompareBothWays(other, Filter(commune), {"sex", "ethnicity"});
  CompareBothWays(other, Filter("66"), {"topic", "age_group"});

  // Moving the activity to another year and place, then deleting it.
  ActivityPatch move;
  move.date = "2024-02-10";
  move.org_code = places[1];
  ASSERT_TRUE(here.UpdateActivity(officer, made->activity.id, move).ok());
  CompareBothWays(other, Filter(commune), {"year", "point", "age_group"});

  // An older activity loses one of its people and gains the new one (someone already counted:
  // her facts go in the middle of the person order, not at its end).
  auto old = store::ReadValue<store::Rows>(*db_, [&](store::Connection& c) {
    return c.Query("SELECT activity_id, person_id FROM reach_participations WHERE commune_code = '" + commune +
                   "' AND activity_id <> '" + made->activity.id + "' ORDER BY activity_id LIMIT 1");
  });
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u);
  const std::string old_activity = (*old)[0].Text(0);
  const FactCache::Stats before_edit = other.stats();
  ASSERT_TRUE(here.RemoveParticipant(officer, old_activity, (*old)[0].Text(1)).ok());
  NewParticipant again;
  auto listed = here.ListParticipants(officer, made->activity.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  again.person_id = listed->front().person.id;
  again.pre_score = 10;
  again.post_score = 90;
  ASSERT_TRUE(here.AddParticipant(officer, old_activity, again).ok());
  CompareBothWays(other, Filter(commune), {"sex", "ethnicity"});
  CompareBothWays(other, Filter("66"), {"month"});
  CompareBothWays(other, Filter("66"), {"commune", "age_group"});
  EXPECT_EQ(other.stats().named, before_edit.named);  // one out, one in
  auto unchanged = here.Indicators(officer, q);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->total.participations, after->total.participations);

  ASSERT_TRUE(here.DeleteActivity(officer, made->activity.id).ok());
  CompareBothWays(other, Filter(commune), {"month", "sex"});
  auto gone = here.Indicators(officer, q);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->total.participations, before->total.participations);
  EXPECT_EQ(gone->total.sessions, before->total.sessions);
  EXPECT_EQ(other.stats().full_loads, 1);
  EXPECT_GE(other.stats().partial_loads, 3);
}

TEST_F(FactCacheTest, TheLargeDemoRefusesToRunTwice) {
  ScaleOptions options;
  options.participations = 10;
  auto again = GenerateScaleDemo(*db_, options);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace khien::reach
