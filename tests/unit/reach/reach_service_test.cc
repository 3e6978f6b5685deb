// The reach service on a fresh in-memory SQLite database holding the official units of Viet Nam
// plus a few villages: recording, scope, validation and the live indicators.
#include "reach/service.h"

#include <gtest/gtest.h>

#include <map>

#include "org/service.h"
#include "reach/spreadsheet.h"
#include "store/database.h"

namespace khien::reach {
namespace {

#define ASSERT_OK(expr)                                                    \
  do {                                                                     \
    const auto& r_ = (expr);                                               \
    ASSERT_TRUE(r_.ok()) << r_.error().message_en << " " << r_.error().field; \
  } while (0)

constexpr int64_t kNow = 1781524800000;  // 2026-06-15 12:00 UTC (19:00 in Viet Nam)

class ReachServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open("sqlite::memory:", {.readers = 1});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    org::OrgService org(*db_);
    ASSERT_TRUE(org.ImportOfficialUnits(org::EmbeddedOfficialUnits()).ok());
    access::Principal root;
    root.role = access::Role::kAdmin;
    root.org_paths = {"/"};
    auto village = org.Create(root, {"24250", org::Level::kVillage, "Buôn Ea Nuôl", {}});
    ASSERT_TRUE(village.ok());
    village_ = village->code;
    auto point = org.Create(root, {village_, org::Level::kPoint, "Điểm truyền thông", std::string("command_point")});
    ASSERT_TRUE(point.ok());
    point_ = point->code;
    service_ = std::make_unique<ReachService>(*db_, [] { return kNow; });
    eanuol_ = Officer("24250", access::Role::kCommuneOfficer, org);
    earok_ = Officer("24217", access::Role::kCommuneOfficer, org);
    province_ = Officer("66", access::Role::kProvinceOfficer, org);
  }

  static access::Principal Officer(const std::string& code, access::Role role, org::OrgService& org) {
    access::Principal p;
    p.user_id = "user-" + code;
    p.username = "officer" + code;
    p.role = role;
    p.org_codes = {code};
    p.org_paths = {org.Get(code)->path};
    return p;
  }

  NewActivity Training(const std::string& org_code = "24250", const std::string& date = "2026-03-08") {
    NewActivity a;
    a.org_code = org_code;
    a.type = "training";
    a.title = "Phòng chống lừa đảo trực tuyến";
    a.topics = {"online_fraud", "safe_social_media"};
    a.date = date;
    a.status = "held";
    return a;
  }

  NewParticipant Woman(const std::string& name = "H Lan Niê", int64_t year = 1990,
                       const std::string& ethnicity = "ede") {
    NewParticipant p;
    p.name = name;
    p.sex = "female";
    p.birth_year = year;
    p.ethnicity = ethnicity;
    p.village = "Buôn Ea Nuôl";
    return p;
  }

  std::string Create(const NewActivity& a) {
    auto r = service_->CreateActivity(eanuol_, a);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
    return r.ok() ? r->activity.id : "";
  }

  IndicatorTable Indicators(std::vector<std::string> by, const access::Principal& who) {
    IndicatorQuery q;
    q.by = std::move(by);
    auto r = service_->Indicators(who, q);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
    return r.ok() ? *r : IndicatorTable{};
  }

  static const IndicatorRow* Find(const IndicatorTable& t, const std::map<std::string, std::string>& keys) {
    for (const IndicatorRow& r : t.rows) {
      if (r.keys == keys) return &r;
    }
    return nullptr;
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<ReachService> service_;
  std::string village_, point_;
  access::Principal eanuol_, earok_, province_;
};

TEST_F(ReachServiceTest, TodayIsTheVietnamDate) {
  ReachService late(*db_, [] { return int64_t{1781546400000}; });  // 2026-06-15 18:00 UTC
  EXPECT_EQ(late.Today(), "2026-06-16");
  EXPECT_EQ(service_->Today(), "2026-06-15");
}

TEST_F(ReachServiceTest, CreatesAndReadsAnActivityAtAPoint) {
  auto a = service_->CreateActivity(eanuol_, Training(point_));
  ASSERT_OK(a);
  EXPECT_EQ(a->activity.commune_code, "24250");
  EXPECT_EQ(a->activity.topics, (std::vector<std::string>{"online_fraud", "safe_social_media"}));
  auto back = service_->GetActivity(province_, a->activity.id);
  ASSERT_OK(back);
  EXPECT_EQ(back->activity.title, "Phòng chống lừa đảo trực tuyến");
  EXPECT_EQ(back->activity.date, "2026-03-08");
}

TEST_F(ReachServiceTest, HeldInTheFutureIsRejectedButPlannedIsFine) {
  auto held = service_->CreateActivity(eanuol_, Training("24250", "2026-06-16"));
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.error().field, "date");
  NewActivity planned = Training("24250", "2026-06-16");
  planned.status = "planned";
  EXPECT_TRUE(service_->CreateActivity(eanuol_, planned).ok());
  EXPECT_TRUE(service_->CreateActivity(eanuol_, Training("24250", "2026-06-15")).ok());
}

TEST_F(ReachServiceTest, RejectsDatesBefore2021AndImpossibleDates) {
  for (const char* date : {"2020-12-31", "2021-02-29", "2025-13-01", "08/03/2025", ""}) {
    auto r = service_->CreateActivity(eanuol_, Training("24250", date));
    ASSERT_FALSE(r.ok()) << date;
    EXPECT_EQ(r.error().field, "date") << date;
  }
  EXPECT_TRUE(service_->CreateActivity(eanuol_, Training("24250", "2021-01-01")).ok());
}

TEST_F(ReachServiceTest, RejectsUnknownTypeTopicAndProvinceLevelPlace) {
  NewActivity a = Training();
  a.type = "party";
  EXPECT_EQ(service_->CreateActivity(eanuol_, a).error().field, "type");
  a = Training();
  a.topics = {"astrology"};
  EXPECT_EQ(service_->CreateActivity(eanuol_, a).error().field, "topics");
  a = Training();
  a.topics = {};
  EXPECT_EQ(service_->CreateActivity(eanuol_, a).error().field, "topics");
  EXPECT_EQ(service_->CreateActivity(province_, Training("66")).error().field, "org_unit");
}

TEST_F(ReachServiceTest, AnotherCommunesOfficerGetsNotFoundAndCannotWrite) {
  const std::string id = Create(Training());
  EXPECT_EQ(service_->GetActivity(earok_, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->AddParticipant(earok_, id, Woman()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->SetTally(earok_, id, {{"female", "18_29", "kinh", 3}}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->DeleteActivity(earok_, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->CreateActivity(earok_, Training("24250")).error().code, ErrorCode::kForbidden);
  IndicatorQuery q;
  q.org_code = "24250";
  EXPECT_EQ(service_->Indicators(earok_, q).error().code, ErrorCode::kForbidden);
  ActivityFilter f;
  auto listed = service_->ListActivities(earok_, f);
  ASSERT_OK(listed);
  EXPECT_TRUE(listed->empty());
  EXPECT_TRUE(service_->GetActivity(eanuol_, id).ok());
}

TEST_F(ReachServiceTest, ViewerCannotRecord) {
  access::Principal viewer = province_;
  viewer.role = access::Role::kViewer;
  EXPECT_EQ(service_->CreateActivity(viewer, Training()).error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(service_->Indicators(viewer, {}).ok());
}

TEST_F(ReachServiceTest, SamePersonTwiceIsTwoParticipationsAndOnePerson) {
  const std::string first = Create(Training());
  const std::string second = Create(Training("24250", "2026-04-02"));
  auto a = service_->AddParticipant(eanuol_, first, Woman());
  ASSERT_OK(a);
  EXPECT_FALSE(a->recognised);
  // Typed differently (no diacritics, extra spaces) at the second session.
  NewParticipant again = Woman("  h lan nie ");
  again.village = "buon ea nuol";
  auto b = service_->AddParticipant(eanuol_, second, again);
  ASSERT_OK(b);
  EXPECT_TRUE(b->recognised);
  EXPECT_EQ(b->person.id, a->person.id);
  EXPECT_EQ(b->person.participations, 2);
  const IndicatorTable t = Indicators({}, province_);
  EXPECT_EQ(t.total.participations, 2);
  EXPECT_EQ(t.total.unique_people, 1);
  EXPECT_EQ(t.total.sessions, 2);
}

TEST_F(ReachServiceTest, SamePersonTwiceAtOneActivityIsAConflict) {
  const std::string id = Create(Training());
  ASSERT_OK(service_->AddParticipant(eanuol_, id, Woman()));
  EXPECT_EQ(service_->AddParticipant(eanuol_, id, Woman()).error().code, ErrorCode::kConflict);
}

TEST_F(ReachServiceTest, LookAlikeGetsANewRecordAndSuggestions) {
  const std::string id = Create(Training());
  auto a = service_->AddParticipant(eanuol_, id, Woman("H Lan Niê", 1990));
  ASSERT_OK(a);
  const std::string second = Create(Training("24250", "2026-05-01"));
  auto b = service_->AddParticipant(eanuol_, second, Woman("H Lan Niê", 1991));
  ASSERT_OK(b);
  EXPECT_FALSE(b->recognised);
  ASSERT_EQ(b->suggestions.size(), 1u);
  EXPECT_EQ(b->suggestions[0].id, a->person.id);
  // She picks the suggestion instead: attach by id.
  NewParticipant attach;
  attach.person_id = a->person.id;
  const std::string third = Create(Training("24250", "2026-05-02"));
  auto c = service_->AddParticipant(eanuol_, third, attach);
  ASSERT_OK(c);
  EXPECT_EQ(c->person.id, a->person.id);
}

TEST_F(ReachServiceTest, ParticipantValidation) {
  const std::string id = Create(Training());
  NewParticipant p = Woman();
  p.sex = "";
  EXPECT_EQ(service_->AddParticipant(eanuol_, id, p).error().field, "sex");
  p = Woman();
  p.ethnicity = "99";
  EXPECT_EQ(service_->AddParticipant(eanuol_, id, p).error().field, "ethnicity");
  p = Woman();
  p.birth_year = 2030;
  EXPECT_EQ(service_->AddParticipant(eanuol_, id, p).error().field, "birth_year");
  p = Woman();
  p.post_score = 120;
  EXPECT_EQ(service_->AddParticipant(eanuol_, id, p).error().field, "post_score");
}

TEST_F(ReachServiceTest, FormulaInANameIsStoredAsTyped) {
  const std::string id = Create(Training());
  auto r = service_->AddParticipant(eanuol_, id, Woman("=HYPERLINK(\"http://x.example\",\"Bấm\")"));
  ASSERT_OK(r);
  auto list = service_->ListParticipants(eanuol_, id);
  ASSERT_OK(list);
  EXPECT_EQ(list->at(0).person.name, "=HYPERLINK(\"http://x.example\",\"Bấm\")");
}

TEST_F(ReachServiceTest, NoParticipantsOnAPlannedActivity) {
  NewActivity a = Training("24250", "2026-07-01");
  a.status = "planned";
  const std::string id = Create(a);
  EXPECT_EQ(service_->AddParticipant(eanuol_, id, Woman()).error().field, "status");
}

TEST_F(ReachServiceTest, TallyRejectsNegativeAndDuplicateCells) {
  const std::string id = Create(Training());
  EXPECT_EQ(service_->SetTally(eanuol_, id, {{"female", "18_29", "kinh", -1}}).error().field, "count");
  EXPECT_EQ(service_->SetTally(eanuol_, id, {{"female", "18_29", "kinh", 1}, {"female", "18_29", "kinh", 2}}).error().field,
            "cells");
  EXPECT_EQ(service_->SetTally(eanuol_, id, {{"other", "18_29", "kinh", 1}}).error().field, "sex");
  EXPECT_EQ(service_->SetTally(eanuol_, id, {{"female", "adult", "kinh", 1}}).error().field, "age_group");
}

TEST_F(ReachServiceTest, NamedAndCountedParticipantsChangeExactlyTheRightCells) {
  const std::string id = Create(Training());
  ASSERT_OK(service_->AddParticipant(eanuol_, id, Woman("H Lan Niê", 1990, "ede")));          // minority woman 36
  ASSERT_OK(service_->AddParticipant(eanuol_, id, Woman("Nguyễn Thị Hoa", 2012, "kinh")));   // Kinh girl 14
  NewParticipant man = Woman("Y Bhim Êban", 1980, "ede");
  man.sex = "male";
  ASSERT_OK(service_->AddParticipant(eanuol_, id, man));
  ASSERT_OK(service_->SetTally(eanuol_, id, {{"female", "16_17", "minority", 5}, {"male", "30_59", "kinh", 7}}));

  const IndicatorTable t = Indicators({"sex", "ethnic_group"}, province_);
  const IndicatorRow* fm = Find(t, {{"sex", "female"}, {"ethnic_group", "minority"}});
  const IndicatorRow* fk = Find(t, {{"sex", "female"}, {"ethnic_group", "kinh"}});
  const IndicatorRow* mm = Find(t, {{"sex", "male"}, {"ethnic_group", "minority"}});
  const IndicatorRow* mk = Find(t, {{"sex", "male"}, {"ethnic_group", "kinh"}});
  ASSERT_TRUE(fm && fk && mm && mk);
  EXPECT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(fm->participations, 6);
  EXPECT_EQ(fm->named_participations, 1);
  EXPECT_EQ(fm->unique_people, 1);
  EXPECT_EQ(fm->minority_women, 6);
  EXPECT_EQ(fm->children_under_18, 5);
  EXPECT_EQ(fm->children_under_16, 0);
  EXPECT_EQ(fk->participations, 1);
  EXPECT_EQ(fk->children_under_16, 1);
  EXPECT_EQ(fk->minority_women, 0);
  EXPECT_EQ(mm->participations, 1);
  EXPECT_EQ(mk->participations, 7);
  EXPECT_EQ(mk->unique_people, 0);
  EXPECT_EQ(t.total.participations, 15);
  EXPECT_EQ(t.total.women, 7);
  EXPECT_EQ(t.total.minority_women, 6);
  EXPECT_EQ(t.total.unique_people, 3);
  EXPECT_EQ(t.total.children_under_16, 1);
  EXPECT_EQ(t.total.children_under_18, 6);
  EXPECT_EQ(t.total.sessions, 1);
}

TEST_F(ReachServiceTest, ByTopicCountsAnActivityInEachOfItsTopics) {
  const std::string id = Create(Training());
  ASSERT_OK(service_->AddParticipant(eanuol_, id, Woman()));
  const IndicatorTable t = Indicators({"topic"}, province_);
  ASSERT_EQ(t.rows.size(), 2u);
  for (const IndicatorRow& r : t.rows) {
    EXPECT_EQ(r.participations, 1);
    EXPECT_EQ(r.sessions, 1);
  }
  EXPECT_EQ(t.total.participations, 1);
}

TEST_F(ReachServiceTest, SessionsWithoutParticipantsStillShowByMonthAndPlace) {
  Create(Training("24250", "2026-03-08"));
  Create(Training(village_, "2026-04-10"));
  NewActivity planned = Training("24250", "2026-08-01");
  planned.status = "planned";
  Create(planned);
  IndicatorQuery q;
  q.by = {"period:month", "org_level:village"};
  q.to = "2026-12-31";
  auto t = service_->Indicators(province_, q);
  ASSERT_OK(t);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].keys.at("month"), "2026-03");
  EXPECT_EQ(t->rows[0].keys.at("village"), "");
  EXPECT_EQ(t->rows[1].keys.at("month"), "2026-04");
  EXPECT_EQ(t->rows[1].keys.at("village"), village_);
  EXPECT_EQ(t->place_names.at(village_), "Buôn Ea Nuôl");
  EXPECT_EQ(t->total.sessions, 2);  // planned does not count
}

TEST_F(ReachServiceTest, PatchMovesTheParticipationsWithTheActivity) {
  const std::string id = Create(Training("24250", "2026-03-08"));
  ASSERT_OK(service_->AddParticipant(eanuol_, id, Woman("Lê Thị Mai", 2010, "kinh")));  // 16 in 2026
  ActivityPatch patch;
  patch.date = "2025-01-05";  // she was 15 then
  ASSERT_OK(service_->UpdateActivity(eanuol_, id, patch));
  const IndicatorTable t = Indicators({"year"}, province_);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].keys.at("year"), "2025");
  EXPECT_EQ(t.rows[0].participations, 1);
  EXPECT_EQ(t.rows[0].children_under_16, 1);
  ActivityPatch back;
  back.status = "planned";
  EXPECT_EQ(service_->UpdateActivity(eanuol_, id, back).error().code, ErrorCode::kConflict);
}

TEST_F(ReachServiceTest, DeleteRemovesTheFacts) {
  const std::string id = Create(Training());
  ASSERT_OK(service_->AddParticipant(eanuol_, id, Woman()));
  ASSERT_OK(service_->SetTally(eanuol_, id, {{"male", "18_29", "kinh", 4}}));
  ASSERT_OK(service_->DeleteActivity(eanuol_, id));
  const IndicatorTable t = Indicators({}, province_);
  EXPECT_EQ(t.total.participations, 0);
  EXPECT_EQ(t.total.sessions, 0);
  EXPECT_EQ(service_->GetActivity(eanuol_, id).error().code, ErrorCode::kNotFound);
}

TEST_F(ReachServiceTest, KnowledgeGainIsTheMeanOfPostMinusPre) {
  const std::string id = Create(Training());
  NewParticipant a = Woman("A", 1990);
  a.pre_score = 40;
  a.post_score = 80;
  NewParticipant b = Woman("B", 1991);
  b.pre_score = 50;
  b.post_score = 70;
  NewParticipant c = Woman("C", 1992);  // no check
  ASSERT_OK(service_->AddParticipant(eanuol_, id, a));
  ASSERT_OK(service_->AddParticipant(eanuol_, id, b));
  ASSERT_OK(service_->AddParticipant(eanuol_, id, c));
  const IndicatorTable t = Indicators({}, province_);
  ASSERT_TRUE(t.total.knowledge_gain.has_value());
  EXPECT_DOUBLE_EQ(*t.total.knowledge_gain, 30.0);
  EXPECT_EQ(t.total.knowledge_checked, 2);
}

TEST_F(ReachServiceTest, TargetProgressCountsTheTargetYear) {
  const std::string id = Create(Training("24250", "2026-03-08"));
  ASSERT_OK(service_->AddParticipant(eanuol_, id, Woman()));
  ASSERT_OK(service_->SetTarget(eanuol_, {"24250", 2026, "women", 10}));
  EXPECT_EQ(service_->SetTarget(earok_, {"24250", 2026, "women", 10}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->SetTarget(eanuol_, {"24250", 2026, "women", -1}).error().field, "value");
  IndicatorQuery q;
  q.org_code = "24250";
  auto t = service_->Indicators(province_, q);
  ASSERT_OK(t);
  ASSERT_EQ(t->targets.size(), 1u);
  EXPECT_EQ(t->targets[0].target, 10);
  EXPECT_EQ(t->targets[0].actual, 1);
}

TEST_F(ReachServiceTest, RejectsUnknownBreakdowns) {
  IndicatorQuery q;
  q.by = {"sex", "shoe_size"};
  EXPECT_EQ(service_->Indicators(province_, q).error().field, "by");
}

TEST_F(ReachServiceTest, ImportDryRunWritesNothingAndBadRowsBlockACommit) {
  const std::string id = Create(Training());
  auto rows = ParseAttendance(
      "Họ và tên,Giới tính,Năm sinh,Dân tộc,Thôn/buôn\n"
      "H Lan Niê,Nữ,1990,Ê Đê,Buôn Ea Nuôl\n"
      "Y Bhim Êban,Nam,1985,ede,Buôn Ea Nuôl\n"
      "Người Không Giới,,1990,kinh,\n"
      "Lê Văn Tư,Nam,1970,Klingon,\n");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 4u);
  auto dry = service_->ImportParticipants(eanuol_, id, *rows, false, false);
  ASSERT_OK(dry);
  EXPECT_EQ(dry->valid, 2);
  ASSERT_EQ(dry->errors.size(), 2u);
  EXPECT_EQ(dry->errors[0].line, 4);
  EXPECT_EQ(dry->errors[0].field, "sex");
  EXPECT_EQ(dry->errors[1].line, 5);
  EXPECT_EQ(dry->errors[1].field, "ethnicity");
  EXPECT_FALSE(dry->committed);
  auto commit = service_->ImportParticipants(eanuol_, id, *rows, true, false);
  ASSERT_OK(commit);
  EXPECT_FALSE(commit->committed);
  EXPECT_EQ(Indicators({}, province_).total.participations, 0);
  auto valid_only = service_->ImportParticipants(eanuol_, id, *rows, true, true);
  ASSERT_OK(valid_only);
  EXPECT_TRUE(valid_only->committed);
  EXPECT_EQ(valid_only->written, 2);
  EXPECT_EQ(Indicators({}, province_).total.participations, 2);
  EXPECT_EQ(service_->ImportParticipants(earok_, id, *rows, false, false).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace khien::reach
