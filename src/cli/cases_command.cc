#include "cli/cases_command.h"

#include <iostream>
#include <memory>

#include "base/ids.h"
#include "cases/crypto.h"
#include "cases/service.h"

namespace khien::cli {
namespace {

struct CasesFlags {
  std::string key_file;
  int64_t closed_for_days = -1;
  bool dry_run = false;
};

int Purge(const GlobalOptions& options, const CasesFlags& flags) {
  auto key = cases::MasterKey::Load(flags.key_file);
  if (!key.ok()) return ReportError(key.error());
  auto db = OpenReadyDatabase(options);
  if (!db.ok()) return ReportError(db.error());
  auto report = cases::PurgeClosedCases(**db, flags.closed_for_days, flags.dry_run, NowMillis());
  if (!report.ok()) return ReportError(report.error());
  if (flags.dry_run) {
    std::cout << "Thử (không xoá): " << report->candidates << " hồ sơ đã đóng quá " << flags.closed_for_days
              << " ngày sẽ bị huỷ.\n"
              << "Dry run (nothing destroyed): " << report->candidates << " cases closed more than "
              << flags.closed_for_days << " days ago would be purged.\n";
  } else {
    std::cout << "Đã huỷ " << report->purged << " hồ sơ (xoá khoá dữ liệu và mọi trường mã hoá; số liệu thống kê ẩn danh được giữ).\n"
              << "Purged " << report->purged << " cases (data keys and encrypted fields destroyed; anonymous statistics kept).\n";
  }
  return 0;
}

}  // namespace

void AddCasesCommands(CLI::App& app, GlobalOptions& options) {
  auto flags = std::make_shared<CasesFlags>();
  CLI::App* cases = app.add_subcommand("cases", "Hồ sơ vụ việc / case records");
  cases->require_subcommand(1);
  CLI::App* purge = cases->add_subcommand(
      "purge", "Huỷ hồ sơ đã đóng quá hạn lưu giữ / purge closed cases past retention (crypto-shredding)");
  AddDbOption(*purge, options);
  purge->add_option("--key-file", flags->key_file, "Tệp khoá của máy chủ / the server's key file")->required();
  purge->add_option("--closed-for-days", flags->closed_for_days, "Đã đóng quá N ngày / closed more than N days ago")
      ->required()
      ->check(CLI::Range(0, 36500));
  purge->add_flag("--dry-run", flags->dry_run, "Chỉ đếm, không xoá / count only");
  purge->callback([&options, flags] {
    if (int code = Purge(options, *flags); code != 0) throw ExitCode{code};
  });
}

}  // namespace khien::cli
