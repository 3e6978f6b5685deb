#include <CLI/CLI.hpp>

#include <iostream>

#include "auth/service.h"
#include "cli/commands.h"

namespace khien::cli {
namespace {

struct UserFlags {
  std::string name;
  std::string display_name;
  std::string role;
  std::vector<std::string> orgs;
  bool password_stdin = false;
  bool enable = false;
};

template <class F>
void WithAuth(const GlobalOptions& options, F&& fn) {
  auto db = OpenReadyDatabase(options);
  if (!db.ok()) throw ExitCode{ReportError(db.error())};
  auth::AuthService auth(**db);
  fn(auth);
}

std::string RequirePassword(bool from_stdin) {
  if (!from_stdin) {
    throw ExitCode{ReportError(Error::InvalidInput("password", "Hãy dùng --password-stdin để nhập mật khẩu.",
                                                   "Use --password-stdin to give the password."))};
  }
  return ReadSecretLine();
}

}  // namespace

void AddUserCommands(CLI::App& app, GlobalOptions& options) {
  auto f = std::make_shared<UserFlags>();
  CLI::App* user = app.add_subcommand("user", "Quản lý tài khoản / manage accounts");
  user->require_subcommand(1);

  CLI::App* add = user->add_subcommand("add", "Thêm tài khoản / add an account");
  AddDbOption(*add, options);
  add->add_option("--name", f->name, "Tên đăng nhập / username")->required();
  add->add_option("--display-name", f->display_name, "Tên hiển thị / display name (default: username)");
  add->add_option("--role", f->role, "admin|province_officer|commune_officer|case_worker|trusted_address|media_member|viewer")->required();
  add->add_option("--org", f->orgs, "Mã đơn vị / org unit code(s), comma separated")->required()->delimiter(',');
  add->add_flag("--password-stdin", f->password_stdin, "Đọc mật khẩu từ stdin / read the password from stdin");
  add->callback([&options, f] {
    const std::string password = RequirePassword(f->password_stdin);
    WithAuth(options, [&](auth::AuthService& auth) {
      auto created = auth.CreateUser(auth::SystemPrincipal(),
                                     {f->name, f->display_name.empty() ? f->name : f->display_name, password,
                                      f->role, f->orgs});
      if (!created.ok()) throw ExitCode{ReportError(created.error())};
      std::cout << "Đã tạo tài khoản / created " << created->username << " (" << created->id << ")\n";
    });
  });

  CLI::App* passwd = user->add_subcommand("passwd", "Đặt lại mật khẩu / reset a password");
  AddDbOption(*passwd, options);
  passwd->add_option("--name", f->name, "Tên đăng nhập / username")->required();
  passwd->add_flag("--password-stdin", f->password_stdin, "Đọc mật khẩu từ stdin / read the password from stdin");
  passwd->callback([&options, f] {
    const std::string password = RequirePassword(f->password_stdin);
    WithAuth(options, [&](auth::AuthService& auth) {
      auto found = auth.FindByUsername(auth::SystemPrincipal(), f->name);
      if (!found.ok()) throw ExitCode{ReportError(found.error())};
      auth::UserPatch patch;
      patch.password = password;
      auto updated = auth.UpdateUser(auth::SystemPrincipal(), found->id, patch);
      if (!updated.ok()) throw ExitCode{ReportError(updated.error())};
      std::cout << "Đã đổi mật khẩu / password changed for " << updated->username << "\n";
    });
  });

  CLI::App* disable = user->add_subcommand("disable", "Khoá tài khoản / disable an account");
  AddDbOption(*disable, options);
  disable->add_option("--name", f->name, "Tên đăng nhập / username")->required();
  disable->add_flag("--enable", f->enable, "Mở khoá lại / enable instead");
  disable->callback([&options, f] {
    WithAuth(options, [&](auth::AuthService& auth) {
      auto found = auth.FindByUsername(auth::SystemPrincipal(), f->name);
      if (!found.ok()) throw ExitCode{ReportError(found.error())};
      auth::UserPatch patch;
      patch.disabled = !f->enable;
      auto updated = auth.UpdateUser(auth::SystemPrincipal(), found->id, patch);
      if (!updated.ok()) throw ExitCode{ReportError(updated.error())};
      std::cout << (f->enable ? "Đã mở khoá / enabled " : "Đã khoá / disabled ") << updated->username << "\n";
    });
  });

  CLI::App* list = user->add_subcommand("list", "Liệt kê tài khoản / list accounts");
  AddDbOption(*list, options);
  list->callback([&options] {
    WithAuth(options, [&](auth::AuthService& auth) {
      auto users = auth.ListUsers(auth::SystemPrincipal(), "");
      if (!users.ok()) throw ExitCode{ReportError(users.error())};
      for (const auth::User& u : *users) {
        std::cout << u.username << "\t" << access::RoleName(u.role) << "\t";
        for (size_t i = 0; i < u.org_units.size(); ++i) std::cout << (i ? "," : "") << u.org_units[i].code;
        std::cout << "\t" << (u.disabled ? "disabled" : "active") << "\t" << u.display_name << "\n";
      }
    });
  });
}

}  // namespace khien::cli
