// Specification tests for the platform services on an in-memory SQLite database with the
// official administrative units loaded (the same code path as `khien migrate`).
#include <gtest/gtest.h>

#include "access/access.h"
#include "audit/audit_log.h"
#include "auth/service.h"
#include "org/service.h"
#include "store/database.h"

namespace khien {
namespace {

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open("sqlite::memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    org_ = std::make_unique<org::OrgService>(*db_);
    auto imported = org_->ImportOfficialUnits(org::EmbeddedOfficialUnits());
    ASSERT_TRUE(imported.ok());
    ASSERT_EQ(*imported, 34 + 3321);
    auth::AuthOptions options;
    options.pwhash_ops = 1;  // crypto_pwhash_OPSLIMIT_MIN: keeps the tests fast
    options.pwhash_mem = 8192;
    auth_ = std::make_unique<auth::AuthService>(*db_, options);
  }

  access::Principal Officer(const std::string& code) {
    auto unit = org_->Get(code);
    EXPECT_TRUE(unit.ok());
    access::Principal p;
    p.user_id = "officer-" + code;
    p.role = access::Role::kCommuneOfficer;
    p.org_codes = {code};
    p.org_paths = {unit->path};
    return p;
  }

  std::vector<std::string> SearchCodes(const std::string& text) {
    org::SearchQuery q;
    q.text = text;
    auto found = org_->Search(q);
    EXPECT_TRUE(found.ok());
    std::vector<std::string> codes;
    for (const auto& u : *found) codes.push_back(u.code);
    return codes;
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<auth::AuthService> auth_;
};

TEST(AccessTest, SubtreeRangeCoversExactlyTheSubtree) {
  auto [first, second] = access::SubtreeRange("/66/");
  EXPECT_TRUE(std::string("/66/") >= first && std::string("/66/") < second);
  EXPECT_TRUE(std::string("/66/24250/24250-T01/") >= first && std::string("/66/24250/24250-T01/") < second);
  EXPECT_FALSE(std::string("/660/") >= first && std::string("/660/") < second);
  EXPECT_FALSE(std::string("/67/") >= first && std::string("/67/") < second);
}

TEST(AccessTest, MatrixGivesAccountsToAdminsOnly) {
  for (access::Role role : access::AllRoles()) {
    EXPECT_EQ(access::RoleAllows(role, access::Permission::kManageUsers), role == access::Role::kAdmin)
        << access::RoleName(role);
  }
  EXPECT_FALSE(access::RoleAllows(access::Role::kAdmin, access::Permission::kManageCases));
  EXPECT_EQ(access::ParseRole("commune_officer"), access::Role::kCommuneOfficer);
  EXPECT_FALSE(access::ParseRole("root").has_value());
}

TEST_F(PlatformTest, ImportIsIdempotent) {
  auto again = org_->ImportOfficialUnits(org::EmbeddedOfficialUnits());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(PlatformTest, SearchIgnoresCaseMarksToneAndNormalForm) {
  for (const char* q : {"ea nuol", "Ea Nuôl", "EA NUÔL", "Ea Nuo\xcc\x82l"}) {
    auto codes = SearchCodes(q);
    ASSERT_FALSE(codes.empty()) << q;
    EXPECT_EQ(codes.front(), "24250") << q;
  }
  EXPECT_EQ(SearchCodes("tuy hoa").front(), "22015");
  EXPECT_EQ(SearchCodes("Tuy Hòa").front(), "22015");
  EXPECT_EQ(SearchCodes("dak lieng").front(), "24595");
}

TEST_F(PlatformTest, SearchTreatsWildcardsAsText) {
  EXPECT_TRUE(SearchCodes("%").empty());
  EXPECT_TRUE(SearchCodes("_").empty());
  EXPECT_TRUE(SearchCodes("' OR 1=1 --").empty());
}

TEST_F(PlatformTest, ParentListsDirectChildrenAndProvincesByDefault) {
  org::SearchQuery q;
  q.parent = "66";
  q.limit = 200;
  auto communes = org_->Search(q);
  ASSERT_TRUE(communes.ok());
  EXPECT_EQ(communes->size(), 102u);
  auto provinces = org_->Search({});
  ASSERT_TRUE(provinces.ok());
  EXPECT_EQ(provinces->size(), 34u);
  auto ea_nuol = org_->Get("24250");
  ASSERT_TRUE(ea_nuol.ok());
  ASSERT_EQ(ea_nuol->ancestors.size(), 1u);
  EXPECT_EQ(ea_nuol->ancestors[0].code, "66");
}

TEST_F(PlatformTest, OfficerAddsVillagesOnlyUnderHerCommune) {
  auto village = org_->Create(Officer("24250"), {"24250", org::Level::kVillage, "Buôn Thử", {}});
  ASSERT_TRUE(village.ok());
  EXPECT_EQ(village->code, "24250-T01");
  EXPECT_EQ(village->path, "/66/24250/24250-T01/");
  // Seen by search at once (the in-memory tree follows the database).
  EXPECT_EQ(SearchCodes("buon thu").front(), "24250-T01");

  auto elsewhere = org_->Create(Officer("24250"), {"24217", org::Level::kVillage, "Thôn Khác", {}});
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(SearchCodes("thon khac").empty());

  auto bad_kind = org_->Create(Officer("24250"), {"24250-T01", org::Level::kPoint, "Điểm", std::string("bar")});
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_EQ(bad_kind.error().field, "kind");
}

TEST_F(PlatformTest, RenderedSearchMatchesSearchAndRendersEachUnitOncePerTreeVersion) {
  int renders = 0;
  const org::OrgService::Renderer render = [&renders](const org::OrgUnit& u) {
    ++renders;
    return u.code + "|" + u.name;
  };
  auto rendered_codes = [&](const std::string& text) {
    org::SearchQuery q;
    q.text = text;
    auto found = org_->SearchRendered(q, render);
    EXPECT_TRUE(found.ok());
    std::vector<std::string> codes;
    for (std::string_view item : found->items) codes.emplace_back(item.substr(0, item.find('|')));
    return codes;
  };
  for (const char* text : {"ea", "dak lieng", "tuy hoa", "", "zzzz"}) {
    EXPECT_EQ(rendered_codes(text), SearchCodes(text)) << text;
  }
  EXPECT_EQ(renders, 34 + 3321);  // the whole tree once, not once per search

  // A new unit is a new tree version: rendered again, and found.
  ASSERT_TRUE(org_->Create(Officer("24250"), {"24250", org::Level::kVillage, "Buôn Mới Lập", {}}).ok());
  EXPECT_EQ(rendered_codes("buon moi lap"), std::vector<std::string>{"24250-T01"});
  EXPECT_EQ(renders, 2 * (34 + 3321) + 1);
}

TEST_F(PlatformTest, LoginLocksAUsernameAfterFiveFailures) {
  auto created = auth_->CreateUser(auth::SystemPrincipal(),
                                   {"xa.test", "Người Thử", "mat-khau-dai-du", "commune_officer", {"24250"}});
  ASSERT_TRUE(created.ok());
  auto ok = auth_->Login({"xa.test", "mat-khau-dai-du", "127.0.0.1"});
  ASSERT_TRUE(ok.ok());
  auto who = auth_->Authenticate(ok->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->principal.org_paths, std::vector<std::string>{"/66/24250/"});

  for (int i = 0; i < 5; ++i) {
    auto bad = auth_->Login({"xa.test", "sai-mat-khau", "127.0.0.2"});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kUnauthorized);
  }
  auto locked = auth_->Login({"xa.test", "mat-khau-dai-du", "127.0.0.3"});
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kLocked);
  // An unknown username locks the same way, so the answer does not reveal accounts.
  for (int i = 0; i < 5; ++i) (void)auth_->Login({"khong.co", "sai-mat-khau", "127.0.0.4"});
  auto unknown = auth_->Login({"khong.co", "sai-mat-khau", "127.0.0.4"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kLocked);
}

TEST_F(PlatformTest, LogoutAndDisableEndSessions) {
  ASSERT_TRUE(auth_->CreateUser(auth::SystemPrincipal(),
                                {"xem.test", "Người Xem", "mat-khau-dai-du", "viewer", {"66"}})
                  .ok());
  auto a = auth_->Login({"xem.test", "mat-khau-dai-du", "127.0.0.1"});
  auto b = auth_->Login({"xem.test", "mat-khau-dai-du", "127.0.0.1"});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(auth_->Logout(a->token).ok());
  EXPECT_EQ(auth_->Authenticate(a->token).error().code, ErrorCode::kUnauthorized);
  ASSERT_TRUE(auth_->Authenticate(b->token).ok());
  auth::UserPatch patch;
  patch.disabled = true;
  ASSERT_TRUE(auth_->UpdateUser(auth::SystemPrincipal(), b->user.id, patch).ok());
  EXPECT_FALSE(auth_->Authenticate(b->token).ok());
  EXPECT_FALSE(auth_->Login({"xem.test", "mat-khau-dai-du", "127.0.0.1"}).ok());
}

TEST_F(PlatformTest, OnlyAdminsCreateAccountsAndOnlyInTheirScope) {
  access::Principal officer = Officer("24250");
  auto refused = auth_->CreateUser(officer, {"ai.do", "Ai Đó", "mat-khau-dai-du", "viewer", {"24250"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);

  access::Principal admin = officer;
  admin.role = access::Role::kAdmin;
  auto outside = auth_->CreateUser(admin, {"ai.do", "Ai Đó", "mat-khau-dai-du", "viewer", {"24217"}});
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kForbidden);
  auto dup1 = auth_->CreateUser(admin, {"ai.do", "Ai Đó", "mat-khau-dai-du", "viewer", {"24250"}});
  ASSERT_TRUE(dup1.ok());
  auto dup2 = auth_->CreateUser(admin, {"AI.DO", "Ai Đó", "mat-khau-dai-du", "viewer", {"24250"}});
  ASSERT_FALSE(dup2.ok());
  EXPECT_EQ(dup2.error().code, ErrorCode::kConflict);
}

class AuditTest : public PlatformTest {
 protected:
  void AppendThree() {
    ASSERT_TRUE(db_->Write([](store::Connection& c) -> Result<void> {
                     for (const char* action : {"a.one", "a.two", "a.three"}) {
                       KHIEN_RETURN_IF_ERROR(audit::Append(c, {"u1", action, "user", "u1", "", "{}"}));
                     }
                     return Ok();
                   }).ok());
  }
  void Exec(const std::string& sql) {
    ASSERT_TRUE(db_->Write([&](store::Connection& c) -> Result<void> {
                     KHIEN_RETURN_IF_ERROR(c.Execute(sql));
                     return Ok();
                   }).ok());
  }
};

TEST_F(AuditTest, IntactChainVerifies) {
  AppendThree();
  auto report = audit::Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact);
  EXPECT_EQ(report->entries, 3);
}

TEST_F(AuditTest, AnEditedEntryIsNamed) {
  AppendThree();
  Exec("UPDATE audit_log SET detail = '{\"x\":1}' WHERE seq = 2");
  auto report = audit::Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_seq, 2);
}

TEST_F(AuditTest, ADeletedMiddleEntryIsNamed) {
  AppendThree();
  Exec("DELETE FROM audit_log WHERE seq = 2");
  auto report = audit::Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_seq, 2);
}

TEST_F(AuditTest, ADeletedTailIsDetected) {
  AppendThree();
  Exec("DELETE FROM audit_log WHERE seq = 3");
  auto report = audit::Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
}

}  // namespace
}  // namespace khien
