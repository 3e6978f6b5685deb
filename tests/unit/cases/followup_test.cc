// Follow-up on SQLite and PostgreSQL: tasks and overdue alerts, notes, the danger assessment,
// the safety plan, closure with supervisor approval (and read-only closed cases), the XLSX
// statistics export, and retention by crypto-shredding. Plus the pure risk scoring.
#include <gtest/gtest.h>

#include <chrono>

#include "audit/audit_log.h"
#include "case_fixture.h"
#include "cases/casework.h"
#include "cases/internal.h"
#include "reach/spreadsheet.h"

namespace khien::cases {
namespace {

using store::testing::Backend;

std::string VietnamDate(int days_from_today) {
  return FormatDate(std::chrono::year_month_day(std::chrono::sys_days(TodayInVietnam()) +
                                                std::chrono::days(days_from_today)));
}

class FollowUpTest : public CaseServiceTest {
 protected:
  // A closed case: requested by its owner, approved by the commune officer.
  CaseView ClosedCase() {
    CaseView c = NewCaseIn(worker_, "C1");
    EXPECT_TRUE(service_->RequestClosure(worker_, c.id, "needs_met", std::nullopt).ok());
    auto closed = service_->DecideClosure(officer_, c.id, true, std::nullopt);
    EXPECT_TRUE(closed.ok()) << (closed.ok() ? "" : closed.error().message_en);
    return c;
  }
};

TEST(CaseworkTest, AnyCriticalItemIsHighOtherwiseTheScoreDecides) {
  EXPECT_EQ(casework::AssessRisk({}).value().level, "low");
  EXPECT_EQ(casework::AssessRisk({{"pregnant", true}}).value().level, "low");
  EXPECT_EQ(casework::AssessRisk({{"pregnant", true}, {"separation_recent", true}}).value().level, "medium");
  auto critical = casework::AssessRisk({{"strangulation", true}});
  EXPECT_EQ(critical->level, "high");
  EXPECT_EQ(critical->score, 3);
  // "No" answers add nothing, even to critical items.
  EXPECT_EQ(casework::AssessRisk({{"weapon", false}, {"threat_to_kill", false}}).value().score, 0);
  // Non-critical items add up to high.
  auto many = casework::AssessRisk({{"violence_escalating", true}, {"perpetrator_has_access", true}, {"pregnant", true}});
  EXPECT_EQ(many->score, 5);
  EXPECT_EQ(many->level, "high");
  auto unknown = casework::AssessRisk({{"astrology", true}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "answers");
  EXPECT_GE(casework::RiskItems().size(), 10u);
  EXPECT_TRUE(casework::IsClosureReason("unreachable"));
  EXPECT_FALSE(casework::IsClosureReason("bored"));
}

TEST_P(FollowUpTest, TasksAreEncryptedAndOverdueFollowsTheVietnameseDate) {
  CaseView c = NewCaseIn(worker_, "C1");
  const std::string title = "Gọi lại cho chị Mơ Rang";
  auto late = service_->AddTask(worker_, c.id, title, VietnamDate(-1));
  ASSERT_TRUE(late.ok()) << late.error().message_en;
  EXPECT_TRUE(late->overdue);
  EXPECT_EQ(late->created_by, "worker.c1");
  auto today = service_->AddTask(worker_, c.id, "Thăm nhà", VietnamDate(0));
  ASSERT_TRUE(today.ok());
  EXPECT_FALSE(today->overdue) << "due today is not overdue yet";
  EXPECT_EQ(Select("SELECT COUNT(*) FROM case_tasks WHERE title_enc LIKE '%Mơ Rang%'")[0].Int(0), 0);

  auto overdue = service_->Tasks(worker_, {"mine", true, 200});
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].title, title);
  EXPECT_EQ((*overdue)[0].survivor_code, c.survivor_code);
  EXPECT_EQ(service_->Tasks(worker_, {"mine", false, 200})->size(), 1u);
  EXPECT_TRUE(service_->Tasks(worker2_, {"mine", std::nullopt, 200})->empty()) << "not her case";
  EXPECT_EQ(service_->Tasks(worker_, {"everyone", std::nullopt, 200}).error().code, ErrorCode::kInvalidInput);

  EXPECT_EQ(service_->CompleteTask(worker2_, late->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->CompleteTask(officer_, late->id).error().code, ErrorCode::kNotFound)
      << "the supervisor does not see task titles";
  auto done = service_->CompleteTask(worker_, late->id);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->done);
  EXPECT_FALSE(done->overdue);
  EXPECT_TRUE(service_->Tasks(worker_, {"mine", true, 200})->empty());
  EXPECT_EQ(service_->Get(worker_, c.id)->tasks.size(), 2u);
  EXPECT_EQ(AuditCount("case.task_done"), 1);

  EXPECT_EQ(service_->AddTask(worker_, c.id, "x", "2025-02-30").error().field, "due");
  EXPECT_EQ(service_->AddTask(worker_, c.id, "", VietnamDate(3)).error().field, "title");
  EXPECT_EQ(service_->AddTask(worker_c2_, c.id, "x", VietnamDate(3)).error().code, ErrorCode::kNotFound);
}

TEST_P(FollowUpTest, NotesAreNewestFirstForTheTeamOnly) {
  CaseView c = NewCaseIn(worker_, "C1");
  ASSERT_TRUE(service_->AddNote(worker_, c.id, "Lần đầu gặp: chị Mơ Rang sợ về nhà").ok());
  auto second = service_->AddNote(worker_, c.id, "Đã gọi cho nhà tạm lánh");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->author, "worker.c1");
  auto view = service_->Get(worker_, c.id);
  ASSERT_EQ(view->notes.size(), 2u);
  EXPECT_EQ(view->notes[0].id, second->id);
  EXPECT_EQ(Select("SELECT COUNT(*) FROM case_notes WHERE text_enc LIKE '%nhà%'")[0].Int(0), 0);
  auto supervisor = service_->Get(officer_, c.id);
  ASSERT_TRUE(supervisor.ok());
  EXPECT_TRUE(supervisor->notes.empty());
  EXPECT_EQ(service_->AddNote(officer_, c.id, "ghi chú").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->AddNote(trusted_, c.id, "ghi chú").error().code, ErrorCode::kNotFound);
}

TEST_P(FollowUpTest, RiskLevelIsStoredFilteredAndFlagsHighRisk) {
  CaseView high = NewCaseIn(worker_, "C1");
  CaseView medium = NewCaseIn(worker_, "C1");
  auto r = service_->AssessRisk(worker_, high.id, {{"weapon", true}, {"pregnant", false}});
  ASSERT_TRUE(r.ok()) << r.error().message_en;
  EXPECT_EQ(r->level, "high");
  EXPECT_EQ(r->assessed_by, "worker.c1");
  ASSERT_TRUE(service_->AssessRisk(worker_, medium.id, {{"violence_escalating", true}}).ok());
  EXPECT_EQ(service_->AssessRisk(worker_, medium.id, {{"moon_phase", true}}).error().field, "answers");

  CaseListQuery q;
  q.risk = "high";
  auto list = service_->List(worker_, q);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, high.id);
  EXPECT_EQ((*list)[0].risk_level, "high");
  EXPECT_TRUE((*list)[0].high_risk);
  auto view = service_->Get(officer_, high.id);
  ASSERT_TRUE(view.ok()) << view.error().message_en;
  ASSERT_TRUE(view->risk.has_value()) << "the supervisor sees the risk";
  EXPECT_EQ(view->risk->answers.size(), 2u);
  EXPECT_EQ(Select("SELECT COUNT(*) FROM case_risk WHERE answers_enc LIKE '%weapon%'")[0].Int(0), 0);
  EXPECT_EQ(service_->AssessRisk(officer_, high.id, {{"weapon", true}}).error().code, ErrorCode::kNotFound);
}

TEST_P(FollowUpTest, SafetyPlanIsReplacedWholeAndLimited) {
  CaseView c = NewCaseIn(worker_, "C1");
  EXPECT_FALSE(service_->Get(worker_, c.id)->safety_plan.has_value());
  SafetyPlan p;
  p.safe_places = "Nhà chị gái ở buôn bên";
  p.emergency_steps = "Gọi 113, rồi gọi 111";
  auto saved = service_->SetSafetyPlan(worker_, c.id, p);
  ASSERT_TRUE(saved.ok());
  EXPECT_GT(saved->updated_at, 0);
  auto view = service_->Get(worker_, c.id);
  ASSERT_TRUE(view->safety_plan.has_value());
  EXPECT_EQ(view->safety_plan->safe_places, p.safe_places);
  EXPECT_EQ(view->safety_plan->documents, "");
  // A plaintext phrase, not a bare number: "113" turns up in random ciphertext text now and then.
  EXPECT_EQ(Select("SELECT COUNT(*) FROM case_safety_plans WHERE plan_enc LIKE '%rồi gọi%' OR plan_enc LIKE "
                   "'%buôn bên%'")[0].Int(0),
            0);
  p.documents = std::string(2001, 'a');
  EXPECT_EQ(service_->SetSafetyPlan(worker_, c.id, p).error().field, "documents");
}

TEST_P(FollowUpTest, ClosureNeedsTheSupervisorAndLeavesTheCaseReadOnly) {
  CaseView c = NewCaseIn(worker_, "C1");
  EXPECT_EQ(service_->RequestClosure(worker_, c.id, "bored", std::nullopt).error().field, "reason");
  auto asked = service_->RequestClosure(worker_, c.id, "survivor_request", std::string("Chị muốn tự lo"));
  ASSERT_TRUE(asked.ok()) << asked.error().message_en;
  EXPECT_EQ(asked->status, "closure_requested");
  EXPECT_EQ(asked->closure->note, "Chị muốn tự lo");
  EXPECT_EQ(service_->RequestClosure(worker_, c.id, "needs_met", std::nullopt).error().code, ErrorCode::kConflict);
  CaseListQuery pending;
  pending.status = "closure_requested";
  EXPECT_EQ(service_->List(officer_, pending)->size(), 1u);
  // Neither the case worker nor another commune's officer approves.
  EXPECT_EQ(service_->DecideClosure(worker_, c.id, true, std::nullopt).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->DecideClosure(officer_c2_, c.id, true, std::nullopt).error().code, ErrorCode::kNotFound);
  auto rejected = service_->DecideClosure(officer_, c.id, false, std::string("Cần thêm một lần thăm"));
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->status, "open");
  EXPECT_EQ(service_->DecideClosure(officer_, c.id, true, std::nullopt).error().code, ErrorCode::kConflict)
      << "nothing pending any more";

  ASSERT_TRUE(service_->RequestClosure(worker_, c.id, "needs_met", std::nullopt).ok());
  auto closed = service_->DecideClosure(officer_, c.id, true, std::nullopt);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, "closed");
  EXPECT_EQ(closed->closure_reason, "needs_met");
  EXPECT_TRUE(closed->closed_at.has_value());
  EXPECT_EQ(AuditCount("case.closure_approved"), 1);
  EXPECT_EQ(AuditCount("case.closure_rejected"), 1);

  // Read-only: every write is a conflict with the stable marker; reading still works.
  auto expect_closed = [](const Error& e) {
    EXPECT_EQ(e.code, ErrorCode::kConflict);
    EXPECT_EQ(e.field, "case_closed");
  };
  expect_closed(service_->AddNote(worker_, c.id, "thêm").error());
  expect_closed(service_->AddTask(worker_, c.id, "thêm", VietnamDate(1)).error());
  expect_closed(service_->AssessRisk(worker_, c.id, {{"weapon", true}}).error());
  expect_closed(service_->SetSafetyPlan(worker_, c.id, SafetyPlan{}).error());
  CasePatch patch;
  patch.high_risk = true;
  expect_closed(service_->Update(worker_, c.id, patch).error());
  NewIncident inc;
  inc.occurred_on = "2024-05-01";
  inc.core_type = "physical_assault";
  expect_closed(service_->AddIncident(worker_, c.id, inc).error());
  expect_closed(service_->RequestClosure(worker_, c.id, "other", std::nullopt).error());
  EXPECT_TRUE(service_->Get(worker_, c.id).ok());
}

TEST_P(FollowUpTest, TheRequesterCannotApproveHerOwnClosure) {
  CaseView c = NewCaseIn(officer_, "C1");  // the officer owns this one
  ASSERT_TRUE(service_->RequestClosure(officer_, c.id, "moved_away", std::nullopt).ok());
  auto own = service_->DecideClosure(officer_, c.id, true, std::nullopt);
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, ErrorCode::kForbidden);
  Principal second = AddUser("officer2.c1", Role::kCommuneOfficer, "C1");
  EXPECT_TRUE(service_->DecideClosure(second, c.id, true, std::nullopt).ok());
}

TEST_P(FollowUpTest, PurgeShredsAClosedCaseButItStillCounts) {
  CaseView c = NewCaseIn(worker_, "C1");
  NewIncident inc;
  inc.occurred_on = "2024-05-01";
  inc.core_type = "physical_assault";
  ASSERT_TRUE(service_->AddIncident(worker_, c.id, inc).ok());
  Consent(worker_, c.id, "statistics");
  ASSERT_TRUE(service_->AddNote(worker_, c.id, "Ghi chú sẽ bị huỷ").ok());
  ASSERT_TRUE(service_->AddTask(worker_, c.id, "Việc sẽ bị huỷ", VietnamDate(2)).ok());
  ASSERT_TRUE(service_->RequestClosure(worker_, c.id, "needs_met", std::nullopt).ok());
  ASSERT_TRUE(service_->DecideClosure(officer_, c.id, true, std::nullopt).ok());
  CaseView open = NewCaseIn(worker_, "C1");  // not closed: never purged
  const int64_t total_before = service_->Statistics(province_, {"T1", {}, {}, "core_type"})->total.count;

  auto early = PurgeClosedCases(*db_, 30, false, NowMillis());
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->candidates, 0) << "closed today, not 30 days ago";
  const int64_t later = NowMillis() + 31LL * 24 * 3600 * 1000;
  auto dry = PurgeClosedCases(*db_, 30, true, later);
  EXPECT_EQ(dry->candidates, 1);
  EXPECT_EQ(dry->purged, 0);
  EXPECT_TRUE(service_->Get(worker_, c.id).ok());

  auto purged = PurgeClosedCases(*db_, 30, false, later);
  ASSERT_TRUE(purged.ok()) << purged.error().message_en;
  EXPECT_EQ(purged->purged, 1);
  EXPECT_EQ(service_->Get(worker_, c.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service_->Get(worker_, open.id).ok());
  store::Rows row = Select("SELECT data_key, name_enc, phone_enc, blind_index FROM case_records WHERE id = $1", {c.id});
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0].Text(0), "");
  EXPECT_TRUE(row[0].IsNull(1) && row[0].IsNull(2) && row[0].IsNull(3));
  for (const char* table : {"case_notes", "case_tasks", "case_closures"}) {
    EXPECT_EQ(Select(std::string("SELECT COUNT(*) FROM ") + table + " WHERE case_id = $1", {c.id})[0].Int(0), 0) << table;
  }
  EXPECT_EQ(service_->Statistics(province_, {"T1", {}, {}, "core_type"})->total.count, total_before);
  EXPECT_EQ(AuditCount("case.purged"), 1);
  // Key rotation skips what has no key any more.
  auto next = MasterKey::FromBytes(std::string(kKeyBytes, 'n'));
  EXPECT_TRUE(RotateKeys(*db_, *key_, *next).ok());
}

TEST_P(FollowUpTest, StatisticsExportNeedsItsPermissionAndKeepsSuppressedCells) {
  for (int i = 0; i < 3; ++i) {
    CaseView c = NewCaseIn(worker_, "C1");
    NewIncident inc;
    inc.occurred_on = "2024-05-01";
    inc.core_type = "physical_assault";
    ASSERT_TRUE(service_->AddIncident(worker_, c.id, inc).ok());
    Consent(worker_, c.id, "statistics");
  }
  EXPECT_EQ(service_->ExportStatistics(worker_, {"C1", {}, {}, "core_type"}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->ExportStatistics(admin_, {"T1", {}, {}, "core_type"}).error().code, ErrorCode::kForbidden);
  auto bytes = service_->ExportStatistics(officer_, {"C1", {}, {}, "core_type"});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message_en;
  auto cells = reach::ReadXlsxCells(*bytes);
  ASSERT_TRUE(cells.ok()) << cells.error().message_en;
  bool header = false, suppressed = false, leaked = false;
  for (const auto& row : *cells) {
    for (const auto& cell : row) {
      header = header || cell == "Số vụ việc";
      suppressed = suppressed || cell == "<5";
      leaked = leaked || cell == "3";
    }
  }
  EXPECT_TRUE(header);
  EXPECT_TRUE(suppressed) << "a commune with 3 cases shows <5";
  EXPECT_FALSE(leaked);
  EXPECT_EQ(AuditCount("case.stats_exported"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, FollowUpTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         store::testing::BackendName);

}  // namespace
}  // namespace khien::cases
