// The CaseService fixture shared by the cases suites: a province with two communes, a trusted
// address and a police point, one account per role, a fixed master key, cheap Argon2id.
// Every name and place is invented.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <memory>
#include <optional>
#include <string>

#include "base/ids.h"
#include "cases/service.h"
#include "store_test_support.h"

namespace khien::cases {

using access::Principal;
using access::Role;

// Invented survivor identity; a test searches the stored bytes for each of these.
constexpr char kName[] = "Hờ Thị Mơ Rang";
constexpr char kPhone[] = "0987654321";
constexpr char kAddress[] = "Nhà số 17 Buôn Thử Nghiệm";

class CaseServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto migrated = db_->Migrate();
    ASSERT_TRUE(migrated.ok()) << migrated.error().message_en;
    AddUnit("T1", "", "province", "", "Tỉnh Thử", "/T1/");
    AddUnit("C1", "T1", "commune", "", "Đắk Liêng", "/T1/C1/");
    AddUnit("C2", "T1", "commune", "", "Yang Lah", "/T1/C2/");
    AddUnit("P1", "C1", "point", "trusted_address", "Nhà Tin Cậy Một", "/T1/C1/P1/");
    AddUnit("P2", "C1", "point", "command_point", "Công An Xã", "/T1/C1/P2/");
    AddUnit("T2", "", "province", "", "Tỉnh Khác", "/T2/");
    AddUnit("C3", "T2", "commune", "", "Xã Khác", "/T2/C3/");
    worker_ = AddUser("worker.c1", Role::kCaseWorker, "C1");
    worker2_ = AddUser("worker2.c1", Role::kCaseWorker, "C1");
    worker_c2_ = AddUser("worker.c2", Role::kCaseWorker, "C2");
    officer_ = AddUser("officer.c1", Role::kCommuneOfficer, "C1");
    officer_c2_ = AddUser("officer.c2", Role::kCommuneOfficer, "C2");
    trusted_ = AddUser("trusted.p1", Role::kTrustedAddress, "P1");
    trusted_c2_ = AddUser("trusted.c2", Role::kTrustedAddress, "C2");
    province_ = AddUser("province.t1", Role::kProvinceOfficer, "T1");
    admin_ = AddUser("admin.t1", Role::kAdmin, "T1");
    key_ = std::shared_ptr<const MasterKey>(MasterKey::FromBytes(std::string(kKeyBytes, 'k')));
    CasesOptions options;
    options.pwhash_ops = crypto_pwhash_OPSLIMIT_MIN;
    options.pwhash_mem = crypto_pwhash_MEMLIMIT_MIN;
    service_ = std::make_unique<CaseService>(*db_, key_, options);
  }

  void AddUnit(const std::string& code, const std::string& parent, const std::string& level,
               const std::string& kind, const std::string& name, const std::string& path) {
    Exec("INSERT INTO org_units (code, parent_code, level, kind, name, name_fold, full_name, name_en, path, created_at) "
         "VALUES ($1, $2, $3, $4, $5, $6, $5, $5, $7, 0)",
         {code, parent.empty() ? store::Value() : store::Value(parent), level,
          kind.empty() ? store::Value() : store::Value(kind), name, name, path});
  }

  Principal AddUser(const std::string& username, Role role, const std::string& org) {
    Principal p;
    p.user_id = NewId();
    p.username = username;
    p.role = role;
    Exec("INSERT INTO users (id, username, display_name, display_fold, password_hash, role, created_at, updated_at) "
         "VALUES ($1, $2, $2, $2, 'x', $3, 0, 0)",
         {p.user_id, username, std::string(access::RoleName(role))});
    Exec("INSERT INTO user_org_units (user_id, org_code) VALUES ($1, $2)", {p.user_id, org});
    p.org_codes = {org};
    p.org_paths = {Select("SELECT path FROM org_units WHERE code = $1", {org})[0].Text(0)};
    return p;
  }

  CaseView NewCaseIn(const Principal& who, const std::string& org, std::optional<int64_t> birth_year = 2010) {
    NewCase in;
    in.org_unit = org;
    in.identity.name = kName;
    in.identity.phone = kPhone;
    in.identity.address = kAddress;
    in.sex = "female";
    in.birth_year = birth_year;
    auto r = service_->Create(who, in);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message_en);
    return r.ok() ? std::move(r).value() : CaseView{};
  }

  int64_t AuditCount(const std::string& action) {
    return Select("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action})[0].Int(0);
  }

  void Consent(const Principal& who, const std::string& id, const std::string& purpose,
               const std::string& provider = "") {
    auto r = service_->SetConsent(who, id, {purpose, provider, true, 0});
    ASSERT_TRUE(r.ok()) << r.error().message_en;
  }

  Principal worker_, worker2_, worker_c2_, officer_, officer_c2_, trusted_, trusted_c2_, province_, admin_;
  std::shared_ptr<const MasterKey> key_;
  std::unique_ptr<CaseService> service_;
};


}  // namespace khien::cases
