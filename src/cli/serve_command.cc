#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "auth/service.h"
#include "cases/service.h"
#include "cli/commands.h"
#include "http/api/handlers.h"
#include "http/server.h"
#include "moderation/service.h"
#include "org/service.h"
#include "reach/service.h"
#include "safety/checker.h"

namespace khien::cli {
namespace {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string static_dir;
  int workers = 8;
  bool secure_cookies = false;
  int checks_per_minute = 60;
  std::string cache_dir;
  std::string key_file;  // master key of case data; without it case routes answer 503
  std::string model;     // learned model file; retraining from reports writes it
};

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Error::InvalidInput("listen", "--listen phải có dạng HOST:PORT.", "--listen must be HOST:PORT.");
  }
  std::string host = listen.substr(0, colon);
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) {
    return Error::InvalidInput("listen", "Cổng không hợp lệ.", "Invalid port.");
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

// Compiled checker rules are cached here, so a restart does not recompile them.
std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/khien";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/khien";
  return "data/cache";
}

std::string DefaultStaticDir() {
  for (const char* candidate : {"web/dist", "../web/dist", "/usr/share/khien/web"}) {
    if (std::filesystem::exists(std::filesystem::path(candidate) / "index.html")) return candidate;
  }
  return "";
}

int Serve(const GlobalOptions& options, const ServeFlags& flags) {
  auto listen = ParseListen(flags.listen);
  if (!listen.ok()) return ReportError(listen.error());
  auto db = OpenReadyDatabase(options);
  if (!db.ok()) return ReportError(db.error());
  store::Database& database = **db;

  auth::AuthService auth(database);
  org::OrgService org(database);
  reach::ReachService reach(database);
  safety::CheckerOptions checker_options;
  checker_options.cache_dir = flags.cache_dir.empty() ? DefaultCacheDir() : flags.cache_dir;
  // --model > KHIEN_MODEL > `model` in the config file. A file that is not there yet is
  // where the first retraining will write; until then the shipped model runs.
  const std::string model_file = options.Setting(flags.model, "KHIEN_MODEL", "model");
  if (!model_file.empty()) {
    std::error_code ec;
    const auto parent = std::filesystem::absolute(model_file, ec).parent_path();
    if (std::filesystem::exists(model_file, ec)) {
      checker_options.model_path = model_file;
    } else if (!std::filesystem::is_directory(parent, ec)) {
      return ReportError(Error::InvalidInput("model", "Không có thư mục " + parent.string() + " cho tệp mô hình.",
                                             "There is no folder " + parent.string() + " for the model file."));
    } else {
      std::cerr << "Chưa có tệp mô hình " << model_file
                << ": dùng mô hình có sẵn; lần huấn luyện lại đầu tiên sẽ tạo tệp này.\n"
                << "No model file " << model_file
                << " yet: serving the shipped model; the first retraining will create it." << std::endl;
    }
  }
  auto checker = safety::Checker::Create(checker_options);
  if (!checker.ok()) return ReportError(checker.error());
  // --key-file > KHIEN_KEY_FILE > `key_file` in the config file.
  const std::string key_file = options.Setting(flags.key_file, "KHIEN_KEY_FILE", "key_file");
  std::shared_ptr<const cases::MasterKey> case_key;
  if (!key_file.empty()) {
    auto loaded = cases::MasterKey::Load(key_file);
    if (!loaded.ok()) return ReportError(loaded.error());
    case_key = std::move(loaded).value();
  }
  cases::CaseService case_service(database, case_key);
  moderation::ModerationService moderation(database, *checker);
  if (!model_file.empty()) moderation.SetModelFile(model_file, checker_options);
  if (auto loaded = moderation.LoadLists(); !loaded.ok()) return ReportError(loaded.error());
  http::api::Services services{auth, org, reach, *checker, case_service, moderation, flags.secure_cookies, flags.checks_per_minute};
  http::Router router;
  http::api::AddAllRoutes(router, services);

  http::ServerOptions server_options;
  server_options.host = listen->first;
  server_options.port = listen->second;
  server_options.static_dir = flags.static_dir.empty() ? DefaultStaticDir() : flags.static_dir;
  server_options.worker_threads = flags.workers;
  server_options.readiness = [&database] { return database.Ping(); };
  http::Server server(std::move(server_options), std::move(router));
  auto port = server.Start();
  if (!port.ok()) return ReportError(port.error());
  std::cerr << "Khiên đang chạy tại http://" << listen->first << ":" << *port << "  (listening on http://"
            << listen->first << ":" << *port << ")" << std::endl;
  auto ran = server.Run();
  if (!ran.ok()) return ReportError(ran.error());
  std::cerr << "Đã dừng / stopped" << std::endl;
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& options) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Chạy máy chủ web / serve the web app and API");
  AddDbOption(*serve, options);
  serve->add_option("--listen", flags->listen, "HOST:PORT (default 127.0.0.1:8080)");
  serve->add_option("--static", flags->static_dir, "Thư mục web đã build / built web app (default web/dist)");
  serve->add_option("--workers", flags->workers, "Luồng xử lý / handler threads (default 8)")->check(CLI::Range(1, 256));
  serve->add_flag("--secure-cookies", flags->secure_cookies, "Cookie chỉ qua HTTPS / mark cookies Secure (behind TLS)");
  serve->add_option("--cache-dir", flags->cache_dir,
                    "Bộ nhớ đệm luật đã biên dịch / compiled rules cache (default ~/.cache/khien)");
  serve->add_option("--checks-per-minute", flags->checks_per_minute,
                    "Giới hạn kiểm tra tin nhắn mỗi phút cho một địa chỉ / message checks per minute per address")
      ->check(CLI::Range(1, 100000));
  serve->add_option("--key-file", flags->key_file,
                    "Tệp khoá chính của hồ sơ vụ việc (32 byte, quyền 0600) / case data master key file");
  serve->add_option("--model", flags->model,
                    "Tệp mô hình học máy; huấn luyện lại từ báo cáo sẽ ghi vào đây / learned model file "
                    "(retraining from confirmed reports writes it; default: $KHIEN_MODEL, config `model`)");
  serve->callback([&options, flags] {
    if (int code = Serve(options, *flags); code != 0) throw ExitCode{code};
  });
}

}  // namespace khien::cli
