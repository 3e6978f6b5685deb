// `khien demo`: the Đắk Lắk demo — villages and Project 8 points in Ea Nuôl, Ea Rốk and Đắk
// Liêng, and one account per role. Every name of a person here is invented. Idempotent.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "auth/service.h"
#include "cli/commands.h"
#include "org/service.h"
#include "reach/scale_demo.h"

namespace khien::cli {
namespace {

constexpr const char* kDemoPassword = "khien-demo-2026";

struct DemoPlace {
  const char* commune;
  const char* village;
  std::vector<std::pair<const char*, const char*>> points;  // name, kind
};

struct DemoAccount {
  const char* username;
  const char* display_name;  // invented
  const char* role;
  const char* org;
};

const std::vector<DemoPlace>& Places() {
  static const std::vector<DemoPlace> places = {
      {"24250", "Buôn Ea Nuôl", {{"Điểm truyền thông buôn Ea Nuôl", "command_point"}}},
      {"24250", "Buôn Kô Siêr", {{"Trường Tiểu học Kô Siêr", "school"}}},
      {"24217", "Thôn Ea Rốk 3", {{"Địa chỉ tin cậy thôn Ea Rốk 3", "trusted_address"}}},
      {"24595", "Yang Lah 2",
       {{"Điểm truyền thông Yang Lah 2", "command_point"},
        {"Địa chỉ tin cậy Yang Lah 2", "trusted_address"},
        {"CLB Thủ lĩnh của sự thay đổi — Yang Lah 2", "club"}}},
      {"24595", "Buôn Dơng Bắk", {}},
  };
  return places;
}

const std::vector<DemoAccount>& Accounts() {
  static const std::vector<DemoAccount> accounts = {
      {"admin", "Quản trị hệ thống", "admin", "66"},
      {"tinh.daklak", "H Mai Êban", "province_officer", "66"},
      {"xa.eanuol", "H Rin Niê Kdăm", "commune_officer", "24250"},
      {"xa.earok", "Nguyễn Thị Thu Hà", "commune_officer", "24217"},
      {"canbo.daklieng", "H Lim Byă", "case_worker", "24595"},
      // Đắk Liêng's commune officer supervises its case worker (reassigns, approves closures).
      {"xa.daklieng", "Lê Thị Hồng Nhung", "commune_officer", "24595"},
      {"tincay.yanglah", "H Yơn Liêng", "trusted_address", "24595"},
      {"truyenthong.yanglah", "H Ngơm Mlô", "media_member", "24595"},
      {"xem.daklak", "Trần Thị Bích Ngọc", "viewer", "66"},
  };
  return accounts;
}

Result<void> LoadDemo(store::Database& db) {
  org::OrgService org(db);
  auth::AuthService auth(db);
  const access::Principal system = auth::SystemPrincipal();
  for (const DemoPlace& place : Places()) {
    org::SearchQuery query;
    query.parent = place.commune;
    query.limit = 200;
    KHIEN_ASSIGN_OR_RETURN(std::vector<org::OrgUnit> children, org.Search(query));
    auto find = [&](const std::string& name) -> std::optional<org::OrgUnit> {
      for (const org::OrgUnit& c : children) {
        if (c.name == name) return c;
      }
      return std::nullopt;
    };
    std::optional<org::OrgUnit> village = find(place.village);
    if (!village) {
      KHIEN_ASSIGN_OR_RETURN(village, org.Create(system, {place.commune, org::Level::kVillage, place.village, {}}));
    }
    query.parent = village->code;
    KHIEN_ASSIGN_OR_RETURN(children, org.Search(query));
    for (const auto& [name, kind] : place.points) {
      if (!find(name)) {
        KHIEN_RETURN_IF_ERROR(org.Create(system, {village->code, org::Level::kPoint, name, std::string(kind)}));
      }
    }
  }
  for (const DemoAccount& a : Accounts()) {
    auto existing = auth.FindByUsername(system, a.username);
    if (existing.ok()) continue;
    if (existing.error().code != ErrorCode::kNotFound) return existing.take_error();
    KHIEN_RETURN_IF_ERROR(auth.CreateUser(system, {a.username, a.display_name, kDemoPassword, a.role, {a.org}}));
  }
  return Ok();
}

}  // namespace

// `--scale N`: the whole province with N participations (reach/scale_demo.h), after the small
// demo so its logins work on the large data too.
void RunScale(store::Database& db, int64_t participations) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  reach::ScaleOptions scale;
  scale.participations = participations;
  scale.progress = [&](int64_t done, int64_t total) {
    std::fprintf(stderr, "\r  %lld / %lld lượt tham gia / participations (%.0f%%) — %.1f s", static_cast<long long>(done),
                 static_cast<long long>(total), 100.0 * static_cast<double>(done) / static_cast<double>(total), seconds());
  };
  std::cerr << "Đang tạo dữ liệu mẫu cả tỉnh / generating the province demo..." << std::endl;
  auto outcome = reach::GenerateScaleDemo(db, scale);
  std::cerr << std::endl;
  // `make run` asks for the province every time; a database that has it already keeps it, as
  // the rest of the demo does (idempotent).
  if (!outcome.ok() && outcome.error().code == ErrorCode::kConflict && outcome.error().field == "scale") {
    std::cerr << "Dữ liệu mẫu quy mô lớn đã có, giữ nguyên (muốn cỡ khác thì dùng cơ sở dữ liệu mới) / "
                 "the large demo is already there, kept as it is (use a fresh database for another size)\n";
    return;
  }
  if (!outcome.ok()) throw ExitCode{ReportError(outcome.error())};
  std::printf(
      "Đã tạo / generated: %lld xã/phường / communes, %lld thôn và điểm mới / new villages and points, %lld người / "
      "people, %lld hoạt động / activities, %lld lượt có tên / named + %lld lượt đếm / counted participations in %.1f s\n",
      static_cast<long long>(outcome->communes), static_cast<long long>(outcome->places),
      static_cast<long long>(outcome->people), static_cast<long long>(outcome->activities),
      static_cast<long long>(outcome->named), static_cast<long long>(outcome->tallied), seconds());
}

void AddDemoCommand(CLI::App& app, GlobalOptions& options) {
  CLI::App* demo = app.add_subcommand("demo", "Nạp dữ liệu mẫu Đắk Lắk / load the Đắk Lắk demo data");
  AddDbOption(*demo, options);
  static int64_t scale = 0;
  demo->add_option("--scale", scale,
                   "Thêm cả tỉnh với N lượt tham gia (tối đa 5.000.000) / add the whole province with N participations")
      ->check(CLI::Range(int64_t{1}, int64_t{5000000}));
  demo->callback([&options] {
    auto db = OpenReadyDatabase(options);
    if (!db.ok()) throw ExitCode{ReportError(db.error())};
    if (auto r = LoadDemo(**db); !r.ok()) throw ExitCode{ReportError(r.error())};
    if (scale > 0) RunScale(**db, scale);
    std::cout << "Dữ liệu mẫu đã sẵn sàng / demo data loaded. Tài khoản mẫu / demo logins (mật khẩu / password: "
              << kDemoPassword << "):\n";
    for (const DemoAccount& a : Accounts()) {
      std::cout << "  " << a.username << "\t" << a.role << "\t" << a.org << "\n";
    }
  });
}

}  // namespace khien::cli
