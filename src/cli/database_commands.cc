#include <CLI/CLI.hpp>

#include <iostream>

#include "audit/audit_log.h"
#include "cli/commands.h"

namespace khien::cli {

void AddDatabaseCommands(CLI::App& app, GlobalOptions& options) {
  CLI::App* migrate = app.add_subcommand("migrate", "Tạo/cập nhật cơ sở dữ liệu / create or upgrade the database");
  AddDbOption(*migrate, options);
  migrate->callback([&options] {
    auto db = OpenReadyDatabase(options);
    if (!db.ok()) throw ExitCode{ReportError(db.error())};
    std::cout << "Cơ sở dữ liệu đã sẵn sàng / database is up to date\n";
  });

  auto target = std::make_shared<std::string>();
  CLI::App* backup = app.add_subcommand("backup", "Sao lưu SQLite / consistent SQLite backup");
  AddDbOption(*backup, options);
  backup->add_option("--to", *target, "Tệp đích / destination file")->required();
  backup->callback([&options, target] {
    auto db = OpenDatabase(options);
    if (!db.ok()) throw ExitCode{ReportError(db.error())};
    if (auto r = (*db)->Backup(*target); !r.ok()) throw ExitCode{ReportError(r.error())};
    std::cout << "Đã sao lưu vào / backed up to " << *target << "\n";
  });

  CLI::App* audit = app.add_subcommand("audit", "Nhật ký kiểm toán / audit log");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "Kiểm tra chuỗi băm / verify the hash chain");
  AddDbOption(*verify, options);
  verify->callback([&options] {
    auto db = OpenDatabase(options);
    if (!db.ok()) throw ExitCode{ReportError(db.error())};
    auto report = audit::Verify(**db);
    if (!report.ok()) throw ExitCode{ReportError(report.error())};
    if (report->intact) {
      std::cout << "Nhật ký nguyên vẹn: " << report->entries << " mục / audit chain intact: " << report->entries
                << " entries\n";
      return;
    }
    std::cerr << "Nhật ký đã bị thay đổi tại mục " << *report->first_bad_seq << " / audit chain broken at entry "
              << *report->first_bad_seq << ": " << report->problem << "\n";
    throw ExitCode{7};
  });
}

}  // namespace khien::cli
