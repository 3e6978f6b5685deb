// The server end to end, in process: a real Server on an ephemeral loopback port and a Beast
// client. Handlers that must block wait on a gate the test opens, so nothing here depends on
// timing except the read timeout, which is set to one second.
#include "http/server.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/wire.h"

namespace khien::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using Response = bhttp::response<bhttp::string_body>;
using ::testing::HasSubstr;
using ::testing::Not;

// A latch the test opens; handlers wait on it (at most 10 s, so a bug cannot hang the suite).
std::string ThreadName() {
  std::ostringstream out;
  out << std::this_thread::get_id();
  return out.str();
}

class Gate {
 public:
  void Open() { promise_.set_value(); }
  bool Wait() { return future_.wait_for(std::chrono::seconds(10)) == std::future_status::ready; }

 private:
  std::promise<void> promise_;
  std::shared_future<void> future_ = promise_.get_future().share();
};

// One client connection with a 5 s socket timeout on every blocking read.
class Client {
 public:
  explicit Client(uint16_t port) : stream_(io_) {
    stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval timeout{5, 0};
    setsockopt(stream_.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout,
               sizeof timeout);
  }

  Response Send(bhttp::request<bhttp::string_body> request) {
    request.set(bhttp::field::host, "127.0.0.1");
    request.prepare_payload();
    bhttp::write(stream_, request);
    return Read();
  }

  Response Get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> request{bhttp::verb::get, target, 11};
    for (const auto& [name, value] : headers) request.set(name, value);
    return Send(std::move(request));
  }

  void WriteRaw(std::string_view bytes) { asio::write(stream_, asio::buffer(bytes)); }

  Response Read() {
    Response response;
    bhttp::read(stream_, buffer_, response);
    return response;
  }

  // Reads until the server closes; returns the error that ended the read.
  boost::system::error_code ReadUntilClosed() {
    boost::system::error_code ec;
    char scratch[4096];
    while (!ec) stream_.socket().read_some(asio::buffer(scratch), ec);
    return ec;
  }

 private:
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

boost::json::object JsonOf(const Response& response) {
  return boost::json::parse(response.body()).as_object();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static_dir_ = fs::temp_directory_path() / ("khien_server_test_" + std::to_string(::getpid()));
    fs::create_directories(static_dir_);
    std::ofstream(static_dir_ / "index.html") << "<!doctype html><title>Khiên</title>";

    Router router;
    router.Add("GET", "/api/v1/echo/{name}", [](const ApiRequest& request) {
      boost::json::object body{{"name", request.path_params.at("name")},
                               {"lang", request.lang},
                               {"request_id", request.request_id},
                               {"q", request.Query("q").value_or("")},
                               {"token", request.session_token.value_or("")},
                               {"from_cookie", request.token_from_cookie},
                               {"client_ip", request.client_ip}};
      return Json(body);
    });
    router.Add("POST", "/api/v1/upload",
               [](const ApiRequest& request) {
                 return Json(boost::json::object{{"size", request.body.size()}});
               },
               {.body_limit = 64 * 1024});
    router.Add("POST", "/api/v1/json", [](const ApiRequest& request) {
      auto body = ParseJsonObject(request);
      if (!body.ok()) return Problem(body.error(), request);
      return Json(*body, 201);
    });
    // Answered on the io thread when ?fast=1, else by the handler on the workers; the body
    // says which thread answered.
    router.Add("GET", "/api/v1/inline",
               [](const ApiRequest&) {
                 return Json(boost::json::object{{"by", "worker"}, {"thread", ThreadName()}});
               },
               {.try_inline = [](const ApiRequest& request) -> std::optional<ApiResponse> {
                 if (request.Query("fast") != "1") return std::nullopt;
                 return Json(boost::json::object{{"by", "inline"}, {"thread", ThreadName()}});
               }});
    router.Add("GET", "/api/v1/throw", [](const ApiRequest&) -> ApiResponse {
      throw std::runtime_error("boom");
    });
    router.Add("GET", "/api/v1/blocked", [this](const ApiRequest&) {
      handler_entered_.set_value();
      const bool opened = gate_.Wait();
      return Json(boost::json::object{{"opened", opened}});
    });

    ServerOptions options;
    options.port = 0;
    options.static_dir = static_dir_.string();
    options.io_threads = 1;  // one io thread: a handler running on it would block everything
    options.worker_threads = 4;
    options.header_limit = 4096;
    options.body_limit = 1024;
    options.read_timeout = std::chrono::seconds(1);
    options.idle_timeout = std::chrono::seconds(5);
    options.shutdown_grace = std::chrono::seconds(5);
    options.readiness = [this]() -> Result<void> {
      if (ready_) return Ok();
      return Error::Unavailable("Database down.");
    };
    server_ = std::make_unique<Server>(std::move(options), std::move(router));
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.error().message_en;
    port_ = *port;
    ASSERT_NE(port_, 0);
    runner_ = std::thread([this] { run_result_ = server_->Run().ok(); });
  }

  void TearDown() override {
    server_->Stop();
    if (runner_.joinable()) runner_.join();
    server_.reset();
    fs::remove_all(static_dir_);
  }

  fs::path static_dir_;
  std::unique_ptr<Server> server_;
  std::thread runner_;
  uint16_t port_ = 0;
  bool run_result_ = false;
  std::atomic<bool> ready_{true};
  Gate gate_;
  std::promise<void> handler_entered_;
};

TEST_F(ServerTest, InlineHandlerAnswersOnTheIoThreadOrFallsBackToWorkers) {
  Client client(port_);
  const Response fast = client.Get("/api/v1/inline?fast=1");
  const Response slow = client.Get("/api/v1/inline");
  EXPECT_EQ(JsonOf(fast).at("by"), "inline");
  EXPECT_EQ(JsonOf(slow).at("by"), "worker");
  // One io thread and a pool of workers: the two answers came from different threads.
  EXPECT_NE(JsonOf(fast).at("thread"), JsonOf(slow).at("thread"));
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(port_);
  const Response first = client.Get("/healthz");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(JsonOf(first).at("status"), "ok");
  const Response second = client.Get("/api/v1/echo/abc");
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(JsonOf(second).at("name"), "abc");
}

TEST_F(ServerTest, SecurityHeadersOnApiStaticAndErrors) {
  Client client(port_);
  for (const char* target : {"/api/v1/echo/x", "/", "/api/v1/missing", "/assets/none.js"}) {
    const Response response = client.Get(target);
    for (const auto& [name, value] : kSecurityHeaders) {
      EXPECT_EQ(response[name], value) << target << " " << name;
    }
    EXPECT_EQ(response[bhttp::field::server], "khien") << target;
  }
  EXPECT_EQ(client.Get("/api/v1/echo/x")[bhttp::field::cache_control], "no-store");
  EXPECT_EQ(client.Get("/")[bhttp::field::cache_control], "no-cache");
}

TEST_F(ServerTest, EchoesValidRequestIdAndReplacesInvalidOne) {
  Client client(port_);
  const Response given = client.Get("/api/v1/echo/x", {{"X-Request-Id", "trace-42.a_b"}});
  EXPECT_EQ(given["X-Request-Id"], "trace-42.a_b");
  EXPECT_EQ(JsonOf(given).at("request_id"), "trace-42.a_b");

  const Response replaced = client.Get("/api/v1/echo/x", {{"X-Request-Id", "no spaces allowed"}});
  const std::string id(replaced["X-Request-Id"]);
  EXPECT_EQ(id.size(), 26u);
  EXPECT_EQ(JsonOf(replaced).at("request_id"), boost::json::value(id));
}

TEST_F(ServerTest, DecodesPathQueryLanguageAndToken) {
  Client client(port_);
  const Response response =
      client.Get("/api/v1/echo/Ea%20Nu%C3%B4l?q=kr%C3%B4ng+b%C3%BAk",
                 {{"Accept-Language", "en-US,en;q=0.9"}, {"Cookie", "khien_session=s3cret"}});
  ASSERT_EQ(response.result_int(), 200);
  const boost::json::object body = JsonOf(response);
  EXPECT_EQ(body.at("name"), "Ea Nuôl");
  EXPECT_EQ(body.at("q"), "krông búk");
  EXPECT_EQ(body.at("lang"), "en");
  EXPECT_EQ(body.at("token"), "s3cret");
  EXPECT_EQ(body.at("from_cookie"), true);
  EXPECT_EQ(body.at("client_ip"), "127.0.0.1");
}

TEST_F(ServerTest, UnknownApiPathIs404AndWrongMethodIs405) {
  Client client(port_);
  const Response missing = client.Get("/api/v1/missing", {{"Accept-Language", "vi"}});
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing[bhttp::field::content_type], "application/problem+json; charset=utf-8");
  EXPECT_EQ(JsonOf(missing).at("code"), "not_found");
  EXPECT_EQ(missing["Content-Language"], "vi");

  const Response wrong = client.Send({bhttp::verb::delete_, "/api/v1/echo/x", 11});
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(wrong[bhttp::field::allow], "GET");
  EXPECT_EQ(JsonOf(wrong).at("code"), "method_not_allowed");
}

TEST_F(ServerTest, RejectsTraversalTargets) {
  for (const char* target : {"/../etc/passwd", "/%2e%2e/etc/passwd", "/..%2fetc/passwd",
                             "/a%5c..%5c..%5cetc"}) {
    Client client(port_);
    const Response response = client.Get(target);
    EXPECT_EQ(response.result_int(), 400) << target;
    EXPECT_THAT(response.body(), Not(HasSubstr("root:")));
  }
}

TEST_F(ServerTest, ServesStaticFilesAndSpaFallback) {
  Client client(port_);
  const Response index = client.Get("/");
  EXPECT_EQ(index.result_int(), 200);
  EXPECT_EQ(index.body(), "<!doctype html><title>Khiên</title>");
  const std::string etag(index[bhttp::field::etag]);
  EXPECT_EQ(client.Get("/", {{"If-None-Match", etag}}).result_int(), 304);
  EXPECT_EQ(client.Get("/cases/123").body(), index.body());
  EXPECT_EQ(client.Send({bhttp::verb::post, "/", 11}).result_int(), 405);
}

TEST_F(ServerTest, HugeContentLengthGets413AndServerKeepsServing) {
  {
    Client client(port_);
    client.WriteRaw(
        "POST /api/v1/upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        "Content-Length: 104857600\r\n\r\n");
    const Response response = client.Read();
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_FALSE(response.keep_alive());
    EXPECT_EQ(JsonOf(response).at("code"), "payload_too_large");
  }
  Client next(port_);
  EXPECT_EQ(next.Get("/healthz").result_int(), 200);
}

TEST_F(ServerTest, RouteBodyLimitOverridesDefault) {
  Client client(port_);
  bhttp::request<bhttp::string_body> upload{bhttp::verb::post, "/api/v1/upload", 11};
  upload.body() = std::string(10 * 1024, 'x');  // above the 1 KiB default, below 64 KiB
  const Response ok = client.Send(upload);
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(JsonOf(ok).at("size"), 10 * 1024);

  Client other(port_);
  bhttp::request<bhttp::string_body> json{bhttp::verb::post, "/api/v1/json", 11};
  json.set(bhttp::field::content_type, "application/json");
  json.body() = "{\"a\":\"" + std::string(2048, 'x') + "\"}";  // above the 1 KiB default
  EXPECT_EQ(other.Send(json).result_int(), 413);
}

TEST_F(ServerTest, ExpectContinueOnlyWithinTheLimit) {
  Client client(port_);
  client.WriteRaw(
      "POST /api/v1/upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Length: 5\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 100);
  client.WriteRaw("hello");
  const Response response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(JsonOf(response).at("size"), 5);

  Client refused(port_);
  refused.WriteRaw(
      "POST /api/v1/upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Length: 1000000\r\n\r\n");
  EXPECT_EQ(refused.Read().result_int(), 413);  // no 100 first: the client never sends it
}

TEST_F(ServerTest, BodyArrivingInPiecesIsAssembled) {
  Client client(port_);
  client.WriteRaw("POST /api/v1/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.WriteRaw("cd");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.WriteRaw("ef");
  const Response response = client.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(JsonOf(response).at("size"), 6);
}

TEST_F(ServerTest, ChunkedBodyOverLimitGets413) {
  Client client(port_);
  std::string raw =
      "POST /api/v1/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  raw += "800\r\n" + std::string(0x800, ' ') + "\r\n0\r\n\r\n";
  client.WriteRaw(raw);
  EXPECT_EQ(client.Read().result_int(), 413);
}

TEST_F(ServerTest, JsonBodyErrorsBecomeProblems) {
  Client client(port_);
  bhttp::request<bhttp::string_body> request{bhttp::verb::post, "/api/v1/json", 11};
  request.set(bhttp::field::content_type, "text/plain");
  request.body() = "{}";
  EXPECT_EQ(client.Send(request).result_int(), 415);
  request.set(bhttp::field::content_type, "application/json; charset=utf-8");
  request.body() = "[1]";
  EXPECT_EQ(client.Send(request).result_int(), 400);
  request.body() = R"({"name":"Buôn Đôn"})";
  const Response created = client.Send(request);
  EXPECT_EQ(created.result_int(), 201);
  EXPECT_EQ(JsonOf(created).at("name"), "Buôn Đôn");
}

TEST_F(ServerTest, OversizedHeaderIsRejected) {
  Client client(port_);
  const Response response = client.Get("/healthz", {{"X-Padding", std::string(8192, 'a')}});
  EXPECT_EQ(response.result_int(), 431);
  EXPECT_FALSE(response.keep_alive());
  Client next(port_);
  EXPECT_EQ(next.Get("/healthz").result_int(), 200);
}

TEST_F(ServerTest, SlowClientIsDisconnected) {
  Client client(port_);
  client.WriteRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
  const auto started = std::chrono::steady_clock::now();
  const boost::system::error_code ec = client.ReadUntilClosed();
  const auto waited = std::chrono::steady_clock::now() - started;
  // Closed by the server (EOF or reset), not by our own 5 s socket timeout.
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_LT(waited, std::chrono::seconds(4));
}

TEST_F(ServerTest, BlockingHandlerDoesNotBlockHealthz) {
  auto slow = std::async(std::launch::async, [this] {
    Client client(port_);
    return client.Get("/api/v1/blocked");
  });
  ASSERT_EQ(handler_entered_.get_future().wait_for(std::chrono::seconds(5)),
            std::future_status::ready);
  // The handler holds a worker; the only io thread must still answer.
  Client client(port_);
  EXPECT_EQ(client.Get("/healthz").result_int(), 200);
  EXPECT_EQ(client.Get("/metrics").result_int(), 200);
  gate_.Open();
  const Response response = slow.get();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(JsonOf(response).at("opened"), true);
}

TEST_F(ServerTest, HandlerExceptionBecomes500) {
  Client client(port_);
  const Response response = client.Get("/api/v1/throw", {{"X-Request-Id", "req-boom"}});
  EXPECT_EQ(response.result_int(), 500);
  const boost::json::object body = JsonOf(response);
  EXPECT_EQ(body.at("code"), "internal_error");
  EXPECT_EQ(body.at("request_id"), "req-boom");
  EXPECT_THAT(response.body(), Not(HasSubstr("\"boom")));
  EXPECT_EQ(client.Get("/healthz").result_int(), 200);  // same connection still usable
}

TEST_F(ServerTest, ReadinessFollowsTheCheck) {
  Client client(port_);
  EXPECT_EQ(client.Get("/readyz").result_int(), 200);
  ready_ = false;
  const Response down = client.Get("/readyz");
  EXPECT_EQ(down.result_int(), 503);
  EXPECT_EQ(JsonOf(down).at("code"), "unavailable");
}

TEST_F(ServerTest, MetricsUseRoutePatterns) {
  Client client(port_);
  client.Get("/api/v1/echo/Nguyen-Van-A?q=secret-term");
  client.Get("/api/v1/missing");
  const Response metrics = client.Get("/metrics");
  EXPECT_EQ(metrics.result_int(), 200);
  EXPECT_THAT(std::string(metrics[bhttp::field::content_type]), HasSubstr("text/plain"));
  const std::string& text = metrics.body();
  EXPECT_THAT(text, HasSubstr("khien_http_requests_total{route=\"/api/v1/echo/{name}\","
                              "method=\"GET\",status=\"200\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_request_duration_seconds_count{route=\"/api/v1/echo/{name}\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("khien_http_in_flight_requests 1\n"));  // the /metrics request
  EXPECT_THAT(text, HasSubstr("khien_build_info{version=\""));
  EXPECT_THAT(text, Not(HasSubstr("Nguyen")));
  EXPECT_THAT(text, Not(HasSubstr("secret-term")));
}

TEST_F(ServerTest, StopLetsInFlightRequestFinish) {
  auto in_flight = std::async(std::launch::async, [this] {
    Client client(port_);
    return client.Get("/api/v1/blocked");
  });
  ASSERT_EQ(handler_entered_.get_future().wait_for(std::chrono::seconds(5)),
            std::future_status::ready);
  server_->Stop();
  // Run() must still be waiting for the request.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(runner_.joinable());
  gate_.Open();
  const Response response = in_flight.get();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_FALSE(response.keep_alive());  // shutting down: the server closes after answering
  runner_.join();
  EXPECT_TRUE(run_result_);
  // No longer accepting.
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  EXPECT_TRUE(ec);
}

TEST(ServerStartTest, ReportsPortInUse) {
  Router router;
  ServerOptions options;
  options.port = 0;
  Server first(options, Router());
  auto port = first.Start();
  ASSERT_TRUE(port.ok());
  options.port = *port;
  Server second(options, std::move(router));
  const auto result = second.Start();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(result.error().message_vi, HasSubstr("Không thể mở cổng"));
}

TEST(ServerStartTest, RejectsBadHost) {
  ServerOptions options;
  options.host = "not an address";
  Server server(options, Router());
  const auto result = server.Start();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace khien::http
