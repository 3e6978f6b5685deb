// CaseService on SQLite and PostgreSQL: encryption at rest, need-to-know access by role and
// commune, audit of reads and denials, consent-gated referrals, incidents, reports, statistics
// with suppression, key rotation. Fixture names and places are invented.
#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <iterator>

#include "audit/audit_log.h"
#include "base/ids.h"
#include "cases/service.h"
#include "cases/stats.h"
#include "case_fixture.h"
#include "store_test_support.h"

namespace khien::cases {
namespace {

using access::Principal;
using access::Role;
using store::testing::Backend;

TEST_P(CaseServiceTest, IdentityIsNotStoredInPlaintext) {
  CaseView c = NewCaseIn(worker_, "C1");
  ASSERT_TRUE(c.identity_visible);
  EXPECT_EQ(c.identity.name, kName);
  EXPECT_EQ(c.survivor_code.substr(0, 3), "DL-");
  const std::vector<std::string> secrets = {kName, kPhone, kAddress};
  if (IsPostgres()) {
    // Every column of every case row, as text.
    store::Rows rows = Select("SELECT CAST(c.* AS TEXT) FROM case_records c");
    ASSERT_EQ(rows.size(), 1u);
    const std::string all = rows[0].Text(0);
    for (const auto& s : secrets) EXPECT_EQ(all.find(s), std::string::npos) << s;
  } else {
    // The raw database file and its write-ahead log.
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(folder_ + "/test.db" + suffix, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GT(bytes.size(), 4096u);
    ASSERT_NE(bytes.find(c.survivor_code), std::string::npos) << "the search itself must work";
    for (const auto& s : secrets) EXPECT_EQ(bytes.find(s), std::string::npos) << s;
  }
  // The audit chain holds no identity either.
  store::Rows audit = Select("SELECT detail FROM audit_log");
  for (size_t i = 0; i < audit.size(); ++i) {
    for (const auto& s : secrets) EXPECT_EQ(audit[i].Text(0).find(s), std::string::npos);
  }
}

TEST_P(CaseServiceTest, WrongKeyFailsCleanly) {
  CaseView c = NewCaseIn(worker_, "C1");
  CaseService wrong(*db_, std::shared_ptr<const MasterKey>(MasterKey::FromBytes(std::string(kKeyBytes, 'w'))));
  auto r = wrong.Get(worker_, c.id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(r.error().message_vi.empty());
  CaseService none(*db_, nullptr);
  EXPECT_EQ(none.Get(worker_, c.id).error().code, ErrorCode::kUnavailable);
}

TEST_P(CaseServiceTest, DuplicateWarningUsesTheBlindIndex) {
  CaseView first = NewCaseIn(worker_, "C1", 2001);
  NewCase again;
  again.org_unit = "C1";
  again.identity.name = "ho thi mo  rang";  // another spelling of the same name
  again.birth_year = 2001;
  auto second = service_->Create(worker_, again);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->possible_duplicates.size(), 1u);
  EXPECT_EQ(second->possible_duplicates[0], first.survivor_code);
}

// Every role × own/other commune on one case opened by a worker of C1.
TEST_P(CaseServiceTest, ReadAccessMatrix) {
  CaseView c = NewCaseIn(worker_, "C1");
  struct Expect {
    const Principal* who;
    bool sees;
    bool identity;
  };
  const std::vector<Expect> matrix = {
      {&worker_, true, true},        // owner
      {&worker2_, false, false},     // same commune, not assigned
      {&worker_c2_, false, false},   // other commune
      {&officer_, true, false},      // supervisor of C1: no identity
      {&officer_c2_, false, false},  // other commune
      {&trusted_, false, false},     // nothing referred yet
      {&trusted_c2_, false, false},
      {&province_, false, false},    // statistics only
      {&admin_, false, false},       // accounts, not cases
  };
  for (const auto& e : matrix) {
    auto r = service_->Get(*e.who, c.id);
    EXPECT_EQ(r.ok(), e.sees) << e.who->username;
    if (r.ok()) {
      EXPECT_EQ(r->identity_visible, e.identity) << e.who->username;
      EXPECT_EQ(r->identity.name.has_value(), e.identity) << e.who->username;
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::kNotFound) << e.who->username;
      EXPECT_EQ(r.error().message_en.find(c.survivor_code), std::string::npos);
    }
  }
  EXPECT_EQ(AuditCount("case.read"), 2);
  EXPECT_EQ(AuditCount("case.denied"), 7);
  // An unknown id and a tampered one look the same as a case out of scope.
  EXPECT_EQ(service_->Get(worker_, NewId()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get(worker_, c.id + "' OR 1=1 --").error().code, ErrorCode::kNotFound);

  // Assignment by the supervisor opens it to the second worker, with identity.
  CasePatch patch;
  patch.assigned_usernames = std::vector<std::string>{"worker2.c1"};
  ASSERT_TRUE(service_->Update(officer_, c.id, patch).ok());
  auto assigned = service_->Get(worker2_, c.id);
  ASSERT_TRUE(assigned.ok());
  EXPECT_TRUE(assigned->identity_visible);
  // A worker may not reassign; an officer of another commune gets not-found.
  EXPECT_EQ(service_->Update(worker_, c.id, patch).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->Update(officer_c2_, c.id, patch).error().code, ErrorCode::kNotFound);
}

TEST_P(CaseServiceTest, ListsOnlyWhatTheCallerMaySee) {
  CaseView mine = NewCaseIn(worker_, "C1");
  CaseView other = NewCaseIn(worker_c2_, "C2");
  auto w = service_->List(worker_, {});
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->size(), 1u);
  EXPECT_EQ((*w)[0].id, mine.id);
  auto o = service_->List(officer_c2_, {});
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->size(), 1u);
  EXPECT_EQ((*o)[0].id, other.id);
  EXPECT_TRUE(service_->List(trusted_, {})->empty());
  EXPECT_TRUE(service_->List(province_, {})->empty());
  EXPECT_EQ(service_->List(admin_, {}).error().code, ErrorCode::kForbidden);
}

TEST_P(CaseServiceTest, ReferralNeedsConsentAndSupervisorOverrideIsAudited) {
  CaseView c = NewCaseIn(worker_, "C1");
  NewReferral ref{"P1", "shelter", false, std::nullopt};
  EXPECT_EQ(service_->Refer(worker_, c.id, ref).error().code, ErrorCode::kConsentRequired);
  ref.override_reason = "Nguy hiểm tức thời, cần chỗ tạm lánh ngay";
  EXPECT_EQ(service_->Refer(worker_, c.id, ref).error().code, ErrorCode::kConsentRequired)
      << "only a supervisor may override";
  auto overridden = service_->Refer(officer_, c.id, ref);
  ASSERT_TRUE(overridden.ok()) << overridden.error().message_en;
  EXPECT_TRUE(overridden->consent_overridden);
  EXPECT_EQ(AuditCount("case.referral_consent_override"), 1);

  // With consent, the worker refers; identity only with identity consent.
  Consent(worker_, c.id, "referral", "P1");
  NewReferral with_identity{"P1", "shelter", true, std::nullopt};
  EXPECT_EQ(service_->Refer(worker_, c.id, with_identity).error().code, ErrorCode::kConsentRequired);
  Consent(worker_, c.id, "share_identity");
  ASSERT_TRUE(service_->Refer(worker_, c.id, with_identity).ok());

  // A provider in another province is refused.
  Consent(worker_, c.id, "referral", "C3");
  EXPECT_EQ(service_->Refer(worker_, c.id, {"C3", "police", false, std::nullopt}).error().code,
            ErrorCode::kInvalidInput);
}

TEST_P(CaseServiceTest, TrustedAddressSeesOnlyWhatTheReferralShares) {
  CaseView c = NewCaseIn(worker_, "C1");
  ASSERT_TRUE(service_->AddIncident(worker_, c.id, {"2024-05-01", "home", "physical_assault", {}, {}, {"a"}, {}, {}, {}}).ok());
  Consent(worker_, c.id, "referral", "P1");
  auto referral = service_->Refer(worker_, c.id, {"P1", "shelter", false, std::nullopt});
  ASSERT_TRUE(referral.ok());
  auto listed = service_->List(trusted_, {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, c.id);
  // A case referred only to the police point of her commune does not appear in her list.
  CaseView police_only = NewCaseIn(worker_, "C1");
  Consent(worker_, police_only.id, "referral", "P2");
  ASSERT_TRUE(service_->Refer(worker_, police_only.id, {"P2", "police", false, std::nullopt}).ok());
  CaseView commune_keeper = NewCaseIn(worker_c2_, "C2");
  Consent(worker_c2_, commune_keeper.id, "referral", "C2");
  EXPECT_EQ(service_->List(trusted_, {})->size(), 1u);
  EXPECT_FALSE(service_->Get(trusted_, police_only.id).ok());
  auto seen = service_->Get(trusted_, c.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->identity_visible);
  EXPECT_FALSE(seen->identity.name.has_value());
  EXPECT_TRUE(seen->incidents.empty()) << "incidents are not shared with the provider";
  EXPECT_EQ(seen->referrals.size(), 1u);
  EXPECT_FALSE(service_->Get(trusted_c2_, c.id).ok());
  // She may not write to the case, but she may accept the referral; then complete it.
  EXPECT_EQ(service_->AddIncident(trusted_, c.id, {"2024-05-02", {}, "physical_assault", {}, {}, {}, {}, {}, {}}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(service_->UpdateReferral(trusted_c2_, referral->id, "accept").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->UpdateReferral(worker_, referral->id, "accept").error().code, ErrorCode::kConflict);
  auto accepted = service_->UpdateReferral(trusted_, referral->id, "accept");
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->status, "accepted");
  EXPECT_EQ(service_->UpdateReferral(trusted_, referral->id, "decline").error().code, ErrorCode::kConflict);
  EXPECT_TRUE(service_->UpdateReferral(trusted_, referral->id, "complete").ok());
  // A completed referral no longer opens the case to her.
  EXPECT_FALSE(service_->Get(trusted_, c.id).ok());
}

TEST_P(CaseServiceTest, IncidentRulesAndChildStatus) {
  CaseView c = NewCaseIn(worker_, "C1", 2012);
  auto before_birth = service_->AddIncident(worker_, c.id, {"2011-12-31", {}, "rape", {}, {}, {}, {}, {}, {}});
  ASSERT_FALSE(before_birth.ok());
  EXPECT_EQ(before_birth.error().field, "occurred_on");
  auto child = service_->AddIncident(worker_, c.id, {"2026-01-10", "online", std::nullopt, {false, true}, {"online", "child_sexual_abuse"}, {}, "online_contact", "male", "18-25"});
  ASSERT_TRUE(child.ok()) << child.error().message_en;
  EXPECT_EQ(child->core_type, "sexual_assault");
  EXPECT_TRUE(child->child_under_16);
  EXPECT_TRUE(child->child_under_18);
  // A core type that contradicts the wizard's answers is refused.
  EXPECT_FALSE(service_->AddIncident(worker_, c.id, {"2026-01-10", {}, "physical_assault", {true}, {}, {}, {}, {}, {}}).ok());
  EXPECT_FALSE(service_->AddIncident(worker_, c.id, {"2026-02-30", {}, "rape", {}, {}, {}, {}, {}, {}}).ok());
  EXPECT_FALSE(service_->AddIncident(worker_, c.id, {"2026-01-10", {}, "rape", {}, {"bogus"}, {}, {}, {}, {}}).ok());
  EXPECT_FALSE(service_->AddIncident(worker_, c.id, {"2026-01-10", {}, "rape", {}, {}, {"f"}, {}, {}, {}}).ok());
  CaseView adult = NewCaseIn(worker_, "C1", 1990);
  auto grown = service_->AddIncident(worker_, adult.id, {"2025-03-03", {}, "psychological_abuse", {}, {"intimate_partner"}, {"b", "e"}, "intimate_partner", "male", "26-40"});
  ASSERT_TRUE(grown.ok());
  EXPECT_FALSE(grown->child_under_18);
}

TEST_P(CaseServiceTest, StatisticsCountConsentedCasesAndSuppressSmallCells) {
  for (int i = 0; i < 3; ++i) {
    CaseView c = NewCaseIn(worker_, "C1");
    ASSERT_TRUE(service_->AddIncident(worker_, c.id, {"2025-06-0" + std::to_string(i + 1), {}, i == 0 ? "rape" : "physical_assault", {}, {}, {}, {}, {}, {}}).ok());
    Consent(worker_, c.id, "statistics");
  }
  for (int i = 0; i < 6; ++i) {
    CaseView c = NewCaseIn(worker_c2_, "C2");
    ASSERT_TRUE(service_->AddIncident(worker_c2_, c.id, {"2025-07-01", {}, "physical_assault", {}, {}, {}, {}, {}, {}}).ok());
    Consent(worker_c2_, c.id, "statistics");
  }
  CaseView no_consent = NewCaseIn(worker_, "C1");
  ASSERT_TRUE(service_->AddIncident(worker_, no_consent.id, {"2025-06-09", {}, "rape", {}, {}, {}, {}, {}, {}}).ok());

  auto commune = service_->Statistics(officer_, {"C1", {}, {}, "core_type"});
  ASSERT_TRUE(commune.ok()) << commune.error().message_en;
  EXPECT_TRUE(commune->suppression_applied);
  EXPECT_EQ(CellText(commune->total), "<5");
  for (const auto& cell : commune->cells) EXPECT_EQ(CellText(cell), "<5") << cell.key;

  auto province = service_->Statistics(province_, {"T1", {}, {}, "core_type"});
  ASSERT_TRUE(province.ok());
  EXPECT_FALSE(province->suppression_applied);
  EXPECT_EQ(province->total.count, 9) << "the case without statistics consent is not counted";

  // Communes as cells: C1's 3 is hidden and C2's 6 with it, so the total reveals neither.
  auto by_commune = service_->Statistics(province_, {"T1", {}, {}, "commune"});
  ASSERT_TRUE(by_commune.ok());
  ASSERT_EQ(by_commune->cells.size(), 2u);
  for (const auto& cell : by_commune->cells) EXPECT_TRUE(cell.suppressed) << cell.key;

  auto period = service_->Statistics(province_, {"T1", "2025-07-01", "2025-07-31", "core_type"});
  ASSERT_TRUE(period.ok());
  EXPECT_EQ(period->total.count, 6);
  EXPECT_EQ(service_->Statistics(officer_, {"C2", {}, {}, "core_type"}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Statistics(worker_, {"C1", {}, {}, "core_type"}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->Statistics(province_, {"T1", {}, {}, "name"}).error().code, ErrorCode::kInvalidInput);
}

TEST_P(CaseServiceTest, PublicReportCodeAndPin) {
  NewReport in;
  in.org_unit = "C1";
  in.anonymous = true;
  in.description = "Một em nhỏ trong buôn bị đánh thường xuyên.";
  auto receipt = service_->SubmitReport(in);
  ASSERT_TRUE(receipt.ok()) << receipt.error().message_en;
  EXPECT_EQ(receipt->code.size(), 19u);  // 16 characters in groups of four
  EXPECT_EQ(receipt->pin.size(), 6u);
  EXPECT_EQ(Select("SELECT COUNT(*) FROM public_reports WHERE code_hash LIKE $1", {"%" + receipt->code.substr(0, 4) + "%"})[0].Int(0), 0);
  auto status = service_->CheckReport(receipt->code, receipt->pin, "10.0.0.1");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, "received");
  // Lower case and without hyphens is the same code.
  std::string typed;
  for (char ch : receipt->code) if (ch != '-') typed.push_back(static_cast<char>(std::tolower(ch)));
  EXPECT_TRUE(service_->CheckReport(typed, receipt->pin, "10.0.0.1").ok());
  const std::string wrong_pin = receipt->pin == "000000" ? "111111" : "000000";
  EXPECT_EQ(service_->CheckReport("AAAA-BBBB-CCCC-DDDD", receipt->pin, "10.0.0.2").error().code, ErrorCode::kNotFound);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service_->CheckReport(receipt->code, wrong_pin, "10.0.0.3").error().code, ErrorCode::kNotFound);
  }
  EXPECT_EQ(service_->CheckReport(receipt->code, receipt->pin, "10.0.0.4").error().code, ErrorCode::kTooManyRequests)
      << "after five wrong PINs the code is throttled, even with the right PIN";
  NewReport named = in;
  named.anonymous = true;
  named.contact = "0900000000";
  EXPECT_EQ(service_->SubmitReport(named).error().field, "contact");
  // The triage queue of the report's commune shows the decrypted description; others see nothing.
  auto queue = service_->Triage(officer_, std::nullopt);
  ASSERT_TRUE(queue.ok()) << queue.error().message_en;
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].description, in.description);
  EXPECT_TRUE(service_->Triage(officer_c2_, std::nullopt)->empty());
  EXPECT_EQ(service_->Triage(admin_, std::nullopt).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Select("SELECT COUNT(*) FROM public_reports WHERE description_enc LIKE $1", {"%" + in.description + "%"})[0].Int(0), 0);
  // A case opened from the queue moves the report on; a second case from it is refused.
  NewCase from;
  from.org_unit = "C1";
  from.report_id = (*queue)[0].id;
  ASSERT_TRUE(service_->Create(worker_, from).ok());
  EXPECT_EQ(Select("SELECT status FROM public_reports")[0].Text(0), "in_progress");
  EXPECT_EQ(service_->Create(worker_, from).error().field, "report_id");
  NewCase by_code;
  by_code.org_unit = "C1";
  by_code.report_code = receipt->code;
  EXPECT_EQ(service_->Create(worker_, by_code).error().field, "report_code");
}

TEST_P(CaseServiceTest, AccessLogAndAuditChain) {
  CaseView c = NewCaseIn(worker_, "C1");
  ASSERT_TRUE(service_->Get(worker_, c.id).ok());
  EXPECT_FALSE(service_->Get(worker_c2_, c.id).ok());
  auto log = service_->AccessLog(worker_, c.id);
  ASSERT_TRUE(log.ok());
  std::vector<std::string> actions;
  for (const auto& e : *log) actions.push_back(e.action);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "case.read"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "case.denied"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "case.created"), actions.end());
  EXPECT_FALSE(service_->AccessLog(worker_c2_, c.id).ok());
  // Break the glass: a reason is required, the grant is audited with a supervisor alert.
  EXPECT_EQ(service_->BreakGlass(worker2_, c.id, "gấp").error().code, ErrorCode::kInvalidInput);
  ASSERT_TRUE(service_->BreakGlass(worker2_, c.id, "Người bị hại gọi cấp cứu, chủ hồ sơ vắng mặt").ok());
  auto glass = service_->Get(worker2_, c.id);
  ASSERT_TRUE(glass.ok());
  EXPECT_EQ(glass->access, "break_glass");
  EXPECT_EQ(service_->BreakGlass(worker_c2_, c.id, "Người bị hại gọi cấp cứu, chủ hồ sơ vắng mặt").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(Select("SELECT detail FROM audit_log WHERE action = 'case.break_glass'")[0].Text(0).find("alert_supervisor") != std::string::npos, true);

  auto intact = audit::Verify(*db_);
  ASSERT_TRUE(intact.ok());
  EXPECT_TRUE(intact->intact);
  // Editing one row is caught at that row.
  const int64_t seq = Select("SELECT MIN(seq) FROM audit_log WHERE action = 'case.read'")[0].Int(0);
  Exec("UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = $1", {seq});
  auto edited = audit::Verify(*db_);
  ASSERT_TRUE(edited.ok());
  EXPECT_FALSE(edited->intact);
  EXPECT_EQ(edited->first_bad_seq, seq);
}

TEST_P(CaseServiceTest, DeletedAuditRowIsCaught) {
  CaseView c = NewCaseIn(worker_, "C1");
  ASSERT_TRUE(service_->Get(worker_, c.id).ok());
  ASSERT_TRUE(service_->Get(worker_, c.id).ok());
  const int64_t seq = Select("SELECT MIN(seq) FROM audit_log WHERE action = 'case.read'")[0].Int(0);
  Exec("DELETE FROM audit_log WHERE seq = $1", {seq});
  auto r = audit::Verify(*db_);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->intact);
}

TEST_P(CaseServiceTest, KeyRotationRewrapsEveryRecord) {
  CaseView c = NewCaseIn(worker_, "C1", 2001);
  NewReport report;
  report.description = "Tin báo thử";
  ASSERT_TRUE(service_->SubmitReport(report).ok());
  auto next = MasterKey::FromBytes(std::string(kKeyBytes, 'n'));
  auto rotated = RotateKeys(*db_, *key_, *next);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message_en;
  EXPECT_EQ(*rotated, 2);
  EXPECT_EQ(service_->Get(worker_, c.id).error().code, ErrorCode::kUnavailable) << "the old key no longer opens it";
  CaseService renewed(*db_, std::shared_ptr<const MasterKey>(std::move(next)));
  auto view = renewed.Get(worker_, c.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->identity.name, kName);
  // The blind index follows the new key: a duplicate is still found.
  NewCase again;
  again.org_unit = "C1";
  again.identity.name = kName;
  again.birth_year = 2001;
  auto dup = renewed.Create(worker_, again);
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->possible_duplicates.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseServiceTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         store::testing::BackendName);

}  // namespace
}  // namespace khien::cases
