#include "cli/keys_command.h"

#include <iostream>
#include <memory>

#include "cases/crypto.h"
#include "cases/service.h"

namespace khien::cli {
namespace {

struct KeysFlags {
  std::string key_file;
  std::string new_key_file;
};

int Create(const KeysFlags& flags) {
  auto created = cases::MasterKey::CreateFile(flags.key_file);
  if (!created.ok()) return ReportError(created.error());
  auto key = cases::MasterKey::Load(flags.key_file);
  if (!key.ok()) return ReportError(key.error());
  std::cout << "Đã tạo khoá " << (*key)->id() << " (quyền 0600). Hãy sao lưu tệp này ở nơi an toàn, tách khỏi cơ sở dữ liệu.\n"
            << "Created key " << (*key)->id() << " (mode 0600). Back it up somewhere safe, apart from the database.\n";
  return 0;
}

int Rotate(const GlobalOptions& options, const KeysFlags& flags) {
  auto old_key = cases::MasterKey::Load(flags.key_file);
  if (!old_key.ok()) return ReportError(old_key.error());
  auto new_key = cases::MasterKey::Load(flags.new_key_file);
  if (!new_key.ok()) return ReportError(new_key.error());
  if ((*old_key)->id() == (*new_key)->id()) {
    return ReportError(Error::InvalidInput("new_key_file", "Khoá mới trùng khoá cũ.", "The new key is the old key."));
  }
  auto db = OpenReadyDatabase(options);
  if (!db.ok()) return ReportError(db.error());
  auto done = cases::RotateKeys(**db, **old_key, **new_key);
  if (!done.ok()) return ReportError(done.error());
  std::cout << "Đã chuyển " << *done << " hồ sơ sang khoá " << (*new_key)->id()
            << ". Khởi động lại máy chủ với --key-file mới; giữ khoá cũ cho đến khi các bản sao lưu cũ hết hạn.\n"
            << "Re-wrapped " << *done << " records to key " << (*new_key)->id()
            << ". Restart the server with the new --key-file; keep the old key until old backups expire.\n";
  return 0;
}

}  // namespace

void AddKeysCommands(CLI::App& app, GlobalOptions& options) {
  auto flags = std::make_shared<KeysFlags>();
  CLI::App* keys = app.add_subcommand("keys", "Khoá mã hoá hồ sơ vụ việc / case data encryption keys");
  keys->require_subcommand(1);

  CLI::App* create = keys->add_subcommand("create", "Tạo tệp khoá mới / create a new key file (mode 0600)");
  create->add_option("--key-file", flags->key_file, "Tệp khoá / key file")->required();
  create->callback([flags] {
    if (int code = Create(*flags); code != 0) throw ExitCode{code};
  });

  CLI::App* rotate = keys->add_subcommand("rotate", "Đổi khoá chính / re-wrap every data key under a new master key");
  AddDbOption(*rotate, options);
  rotate->add_option("--key-file", flags->key_file, "Khoá hiện tại / current key file")->required();
  rotate->add_option("--new-key-file", flags->new_key_file, "Khoá mới (tạo bằng keys create) / new key file")->required();
  rotate->callback([&options, flags] {
    if (int code = Rotate(options, *flags); code != 0) throw ExitCode{code};
  });
}

}  // namespace khien::cli
