// The Beast/Asio part of the server: accept loop, per-connection session, shutdown. Decisions
// (parsing the target, language, routing, static files, problem bodies) live in the pure
// files (wire.cc, router.cc, static_files.cc, problem.cc); this file only does I/O and glue.
#include "http/server.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/ids.h"
#include "http/metrics.h"
#include "http/static_files.h"
#include "http/wire.h"

namespace khien::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kVersion = KHIEN_VERSION;
constexpr size_t kReadChunk = 8192;
// After an error response the client may still be sending a body; read and drop a little of
// it before closing so the kernel does not reset the connection before the client reads the
// response.
constexpr size_t kMaxDrain = 16 << 20;
constexpr std::chrono::seconds kDrainTime{2};
constexpr size_t kMinWriteRate = 32 * 1024;  // bytes per second we wait for a slow reader

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = false;  // waiting for a request to start; only touched on the stream's strand
};

// Access log: one JSON object per line on stdout, no pattern decoration. Not registered with
// spdlog so it cannot clash with loggers the application sets up. Flushed on a timer
// (kAccessLogFlush), when stdio's buffer fills and at shutdown, not after every line: a
// write(2) per request was 5-10 % of the server's CPU under load.
spdlog::logger& AccessLogger() {
  static spdlog::logger logger = [] {
    spdlog::logger created("khien_access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
    created.set_pattern("%v");
    created.flush_on(spdlog::level::warn);
    return created;
  }();
  return logger;
}

constexpr std::chrono::milliseconds kAccessLogFlush{500};

std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
      1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(millis));
  return out;
}

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

bool HasUnsafeChars(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos ||
         s.find('\0') != std::string_view::npos;
}

// Headers the server owns; a handler cannot set them.
bool IsReservedHeader(std::string_view name) {
  static constexpr std::string_view kReserved[] = {"Server", "X-Request-Id", "Content-Length",
                                                   "Transfer-Encoding", "Connection",
                                                   "Content-Type"};
  for (const std::string_view reserved : kReserved) {
    if (EqualsIgnoreCase(name, reserved)) return true;
  }
  return false;
}

template <class Body>
void AddCommonHeaders(bhttp::response<Body>& response, const ApiRequest& request) {
  for (const auto& [name, value] : kSecurityHeaders) response.set(name, value);
  response.set(bhttp::field::server, kServerName);
  response.set("X-Request-Id", request.request_id);
}

Error MethodNotAllowed() {
  return Error{ErrorCode::kMethodNotAllowed, "",
               "Phương thức này không được hỗ trợ cho địa chỉ này.",
               "This method is not allowed for this resource."};
}

Error PayloadTooLarge(size_t limit) {
  return Error{ErrorCode::kPayloadTooLarge, "",
               "Nội dung yêu cầu quá lớn (tối đa " + std::to_string(limit) + " byte).",
               "The request body is too large (limit " + std::to_string(limit) + " bytes)."};
}

ApiResponse WithAllow(ApiResponse response, std::string allow) {
  response.headers.emplace_back("Allow", std::move(allow));
  return response;
}

// Runs the handler, turning an exception into a logged 500 problem.
// The route's non-blocking fast path, if it has one and it answers.
std::optional<ApiResponse> TryInline(const Router::Route& route, const ApiRequest& request) {
  if (!route.options.try_inline) return std::nullopt;
  try {
    return route.options.try_inline(request);
  } catch (const std::exception& e) {
    spdlog::error("inline handler threw: request_id={} route=\"{} {}\" what=\"{}\"", request.request_id,
                  route.method, route.pattern, e.what());
  }
  return Problem(Error::Internal(), request);
}

ApiResponse CallHandler(const Router::Route& route, const ApiRequest& request) {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    spdlog::error("handler threw: request_id={} route=\"{} {}\" what=\"{}\"", request.request_id,
                  route.method, route.pattern, e.what());
  } catch (...) {
    spdlog::error("handler threw a non-exception: request_id={} route=\"{} {}\"",
                  request.request_id, route.method, route.pattern);
  }
  return Problem(Error::Internal(), request);
}

// In-flight gauge for the lifetime of one request.
class InFlight {
 public:
  explicit InFlight(Metrics& metrics) : metrics_(metrics) { metrics_.RequestStarted(); }
  ~InFlight() { metrics_.RequestFinished(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  Metrics& metrics_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Router r) : options(std::move(o)), router(std::move(r)) {}

  asio::awaitable<void> Accept();
  asio::awaitable<void> FlushAccessLog();
  asio::awaitable<void> Session(std::shared_ptr<Connection> connection);
  // Reads and answers one request. Returns false when the connection must close.
  asio::awaitable<bool> HandleOne(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                  const std::string& client_ip);
  // Writes `response`; returns the body size, or nullopt if the write failed.
  asio::awaitable<std::optional<size_t>> Write(beast::tcp_stream& stream, unsigned version,
                                               const ApiRequest& request, ApiResponse response,
                                               bool keep_alive);
  asio::awaitable<std::optional<size_t>> WriteStatic(beast::tcp_stream& stream,
                                                     unsigned version, const ApiRequest& request,
                                                     const StaticResponse& response,
                                                     bool keep_alive);
  asio::awaitable<void> LingeringClose(beast::tcp_stream& stream);
  // The read timeout, plus time for a large body at a slow client's pace.
  std::chrono::steady_clock::duration WriteTimeout(size_t bytes) const {
    return options.read_timeout + std::chrono::seconds(bytes / kMinWriteRate);
  }
  // Runs `f` on the worker pool and resumes on the caller's strand.
  template <class F>
  asio::awaitable<ApiResponse> OnWorkers(F f);
  ApiResponse Builtin(std::string_view path, const ApiRequest& request);
  void Record(const ApiRequest& request, std::string_view route, int status, size_t bytes,
              Clock::time_point started);
  void RequestStop();
  void Shutdown();

  ServerOptions options;
  Router router;
  StaticFiles static_files;
  Metrics metrics;

  // Declared before everything that holds its executor, so it is destroyed last.
  asio::io_context io;
  std::optional<asio::thread_pool> workers;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;  // used on its own strand once serving
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> io_threads;
  uint16_t port = 0;
  bool started = false;    // owner thread only
  bool shut_down = false;  // owner thread only
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::condition_variable cv;
  bool stop_requested = false;                                  // GUARDED_BY(mu)
  std::map<uint64_t, std::shared_ptr<Connection>> connections;  // GUARDED_BY(mu)
  uint64_t next_connection_id = 0;                              // GUARDED_BY(mu)
};

template <class F>
asio::awaitable<ApiResponse> Server::Impl::OnWorkers(F f) {
  // co_spawn keeps `f` alive in its own frame until the call returns; the result is
  // delivered back on this coroutine's executor (the connection's strand).
  co_return co_await asio::co_spawn(
      workers->get_executor(),
      [f = std::move(f)]() mutable -> asio::awaitable<ApiResponse> { co_return f(); },
      asio::use_awaitable);
}

asio::awaitable<void> Server::Impl::FlushAccessLog() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!stopping) {
    timer.expires_after(kAccessLogFlush);
    auto [ec] = co_await timer.async_wait(kTuple);
    if (ec) co_return;
    AccessLogger().flush();
  }
}

asio::awaitable<void> Server::Impl::Accept() {
  while (true) {
    auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(io), kTuple);
    if (stopping) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // E.g. out of file descriptors: back off instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(100));
      co_await timer.async_wait(kTuple);
      continue;
    }
    auto connection = std::make_shared<Connection>(std::move(socket));
    uint64_t id = 0;
    {
      std::lock_guard lock(mu);
      id = next_connection_id++;
      connections.emplace(id, connection);
    }
    asio::co_spawn(connection->stream.get_executor(), Session(connection),
                   [this, id](std::exception_ptr error) {
                     if (error) {
                       try {
                         std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                         spdlog::error("http: session failed: {}", e.what());
                       } catch (...) {
                         spdlog::error("http: session failed");
                       }
                     }
                     std::lock_guard lock(mu);
                     connections.erase(id);
                     cv.notify_all();
                   });
  }
}

asio::awaitable<void> Server::Impl::Session(std::shared_ptr<Connection> connection) {
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  const tcp::endpoint remote = stream.socket().remote_endpoint(ec);
  const std::string client_ip = ec ? std::string() : remote.address().to_string();

  bool first = true;
  while (!stopping) {
    if (buffer.size() == 0) {
      // Nothing buffered: wait for the next request to start. A new connection gets the read
      // timeout (it should send at once); a kept-alive one may sit idle longer.
      connection->idle = true;
      stream.expires_after(first ? options.read_timeout : options.idle_timeout);
      auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kTuple);
      connection->idle = false;
      if (read_ec) break;
      buffer.commit(n);
    }
    first = false;
    if (!co_await HandleOne(stream, buffer, client_ip)) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

asio::awaitable<bool> Server::Impl::HandleOne(beast::tcp_stream& stream,
                                              beast::flat_buffer& buffer,
                                              const std::string& client_ip) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max())));
  // No limit while reading the header: Beast would reject a large Content-Length there with
  // a generic error; the limit of the route is applied below, before the body is read.
  parser.body_limit(boost::none);

  stream.expires_after(options.read_timeout);
  auto [header_ec, header_bytes] =
      co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
  const Clock::time_point started = Clock::now();
  if (header_ec) {
    const bool protocol_error = header_ec.category() ==
                                    bhttp::make_error_code(bhttp::error::bad_target).category() &&
                                header_ec != bhttp::error::end_of_stream &&
                                header_ec != bhttp::error::partial_message;
    if (!protocol_error) co_return false;  // closed, reset or timed out: nothing to answer
    ApiRequest request;
    request.request_id = NewId();
    request.method = "-";
    ApiResponse response =
        Problem(Error::Malformed("Yêu cầu HTTP không hợp lệ.", "Malformed HTTP request."),
                request);
    std::string_view route = "invalid";
    if (header_ec == bhttp::error::header_limit) {
      response = Problem(Error::Malformed("Phần đầu yêu cầu quá lớn.",
                                          "The request header is too large."),
                         request);
      response.status = 431;
      route = "header_too_large";
    }
    const int status = response.status;
    const auto bytes = co_await Write(stream, 11, request, std::move(response), false);
    Record(request, route, status, bytes.value_or(0), started);
    co_await LingeringClose(stream);
    co_return false;
  }

  InFlight in_flight(metrics);
  const bhttp::request<bhttp::string_body>& head = parser.get();
  std::string cookies;
  for (auto [it, end] = head.equal_range(bhttp::field::cookie); it != end; ++it) {
    if (!cookies.empty()) cookies += "; ";
    cookies.append(it->value().data(), it->value().size());
  }
  WireHeaders wire;
  wire.method = head.method_string();
  wire.cookie = cookies;
  wire.authorization = head[bhttp::field::authorization];
  wire.accept_language = head[bhttp::field::accept_language];
  wire.x_request_id = head["X-Request-Id"];
  wire.x_csrf_token = head["X-CSRF-Token"];
  wire.x_report_pin = head["X-Report-Pin"];
  wire.content_type = head[bhttp::field::content_type];
  wire.user_agent = head[bhttp::field::user_agent];
  wire.client_ip = client_ip;
  ApiRequest request = PrepareRequest(wire);
  const unsigned version = head.version();

  // Decide where the request goes before reading the body: the route sets the body limit.
  enum class Kind { kEarly, kBuiltin, kApi, kStatic };
  Kind kind = Kind::kEarly;
  std::optional<ApiResponse> early;
  std::string route_label;
  const Router::Route* route = nullptr;
  size_t body_limit = options.body_limit;
  Result<Target> target = ParseTarget(head.target());
  if (!target.ok()) {
    early = Problem(target.error(), request);
    route_label = "invalid";
  } else {
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    if (request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics") {
      kind = Kind::kBuiltin;
      route_label = request.path;
    } else if (IsApiPath(request.path)) {
      Router::Match match = router.Find(request.method, request.path);
      route_label = "unmatched";
      if (match.kind == Router::Match::Kind::kFound) {
        kind = Kind::kApi;
        route = match.route;
        route_label = route->pattern;
        request.path_params = std::move(match.path_params);
        if (route->options.body_limit != 0) body_limit = route->options.body_limit;
      } else if (match.kind == Router::Match::Kind::kMethodNotAllowed) {
        early = WithAllow(Problem(MethodNotAllowed(), request), match.allow);
      } else {
        early = Problem(Error::NotFound("Không có địa chỉ API này.", "No such API endpoint."),
                        request);
      }
    } else {
      kind = Kind::kStatic;
      route_label = "static";
    }
  }

  // The body limit is checked from Content-Length before reading a byte of the body.
  const auto content_length = parser.content_length();
  if (content_length && *content_length > body_limit) {
    ApiResponse response = Problem(PayloadTooLarge(body_limit), request);
    const auto bytes = co_await Write(stream, version, request, std::move(response), false);
    Record(request, route_label, 413, bytes.value_or(0), started);
    co_await LingeringClose(stream);
    co_return false;
  }
  if (!parser.is_done()) {
    parser.body_limit(body_limit);  // also bounds chunked bodies
    if (EqualsIgnoreCase(head[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, version};
      stream.expires_after(options.read_timeout);
      auto [continue_ec, unused] = co_await bhttp::async_write(stream, proceed, kTuple);
      if (continue_ec) co_return false;
    }
    // The timeout applies to each read, not the whole body: a 20 MiB import over a slow
    // mobile link takes longer than one read timeout but keeps making progress.
    boost::system::error_code body_ec;
    while (!body_ec && !parser.is_done()) {
      stream.expires_after(options.read_timeout);
      std::tie(body_ec, std::ignore) =
          co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
    }
    if (body_ec == bhttp::error::body_limit) {
      ApiResponse response = Problem(PayloadTooLarge(body_limit), request);
      const auto bytes = co_await Write(stream, version, request, std::move(response), false);
      Record(request, route_label, 413, bytes.value_or(0), started);
      co_await LingeringClose(stream);
      co_return false;
    }
    if (body_ec) co_return false;  // timeout or disconnect mid-body
  }
  const bool client_keep_alive = parser.get().keep_alive();
  request.body = std::move(parser.get().body());

  if (kind == Kind::kStatic && (request.method == "GET" || request.method == "HEAD")) {
    const bool keep_alive = client_keep_alive && !stopping;
    const StaticResponse response = static_files.Serve(
        request.method, request.path, head[bhttp::field::accept_encoding],
        head[bhttp::field::if_none_match]);
    const auto bytes = co_await WriteStatic(stream, version, request, response, keep_alive);
    Record(request, route_label, response.status, bytes.value_or(0), started);
    co_return bytes.has_value() && keep_alive;
  }

  ApiResponse response;
  if (kind == Kind::kEarly) {
    response = std::move(*early);
  } else if (kind == Kind::kStatic) {
    response = WithAllow(Problem(MethodNotAllowed(), request), "GET, HEAD");
  } else if (kind == Kind::kBuiltin) {
    if (request.method != "GET") {
      response = WithAllow(Problem(MethodNotAllowed(), request), "GET");
    } else if (request.path == "/readyz") {
      response = co_await OnWorkers([this, &request] { return Builtin("/readyz", request); });
    } else {
      response = Builtin(request.path, request);
    }
  } else {
    // No co_await inside a conditional expression: GCC 12 mishandles temporaries there.
    std::optional<ApiResponse> answered = TryInline(*route, request);
    if (answered) {
      response = std::move(*answered);
    } else {
      response = co_await OnWorkers([route, &request] { return CallHandler(*route, request); });
    }
  }
  // Decided after the handler: a shutdown that began meanwhile closes the connection.
  const bool keep_alive = client_keep_alive && !stopping;
  const int status = response.status;
  const auto bytes = co_await Write(stream, version, request, std::move(response), keep_alive);
  Record(request, route_label, status, bytes.value_or(0), started);
  co_return bytes.has_value() && keep_alive;
}

ApiResponse Server::Impl::Builtin(std::string_view path, const ApiRequest& request) {
  if (path == "/healthz") return Json(boost::json::object{{"status", "ok"}});
  if (path == "/metrics") {
    ApiResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.Render(kVersion);
    return response;
  }
  // /readyz
  if (stopping) return Problem(Error::Unavailable("Shutting down."), request);
  if (options.readiness) {
    Result<void> ready = Result<void>(Error::Internal());
    try {
      ready = options.readiness();
    } catch (const std::exception& e) {
      spdlog::error("readiness check threw: request_id={} what=\"{}\"", request.request_id,
                    e.what());
    }
    if (!ready.ok()) {
      Error error = ready.take_error();
      if (error.code != ErrorCode::kUnavailable) error = Error::Unavailable();
      return Problem(error, request);
    }
  }
  return Json(boost::json::object{{"status", "ready"}});
}

asio::awaitable<std::optional<size_t>> Server::Impl::Write(beast::tcp_stream& stream,
                                                           unsigned version,
                                                           const ApiRequest& request,
                                                           ApiResponse response,
                                                           bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(response.status), version};
  AddCommonHeaders(out, request);
  out.set(bhttp::field::cache_control, "no-store");
  out.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) {
    if (IsReservedHeader(name) || HasUnsafeChars(name) || HasUnsafeChars(value)) {
      spdlog::warn("http: dropped header \"{}\" from a handler: request_id={}", name,
                   request.request_id);
      continue;
    }
    if (EqualsIgnoreCase(name, "Set-Cookie")) {
      out.insert(name, value);
    } else {
      out.set(name, value);
    }
  }
  out.keep_alive(keep_alive);
  out.body() = std::move(response.body);
  out.prepare_payload();
  const size_t size = out.body().size();
  stream.expires_after(WriteTimeout(size));
  auto [ec, unused] = co_await bhttp::async_write(stream, out, kTuple);
  if (ec) co_return std::nullopt;
  co_return size;
}

asio::awaitable<std::optional<size_t>> Server::Impl::WriteStatic(
    beast::tcp_stream& stream, unsigned version, const ApiRequest& request,
    const StaticResponse& response, bool keep_alive) {
  bhttp::response<bhttp::span_body<const char>> out{static_cast<bhttp::status>(response.status),
                                                    version};
  AddCommonHeaders(out, request);
  if (!response.content_type.empty()) out.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  out.body() = {response.body.data(), response.body.size()};
  // Set by hand: for HEAD the body is empty but the length is the representation's.
  if (response.status != 304) out.content_length(response.content_length);
  stream.expires_after(WriteTimeout(response.body.size()));
  auto [ec, unused] = co_await bhttp::async_write(stream, out, kTuple);
  if (ec) co_return std::nullopt;
  co_return response.body.size();
}

asio::awaitable<void> Server::Impl::LingeringClose(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> scratch;
  size_t drained = 0;
  stream.expires_after(kDrainTime);
  while (drained < kMaxDrain) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
    if (read_ec) break;
    drained += n;
  }
  stream.close();
}

void Server::Impl::Record(const ApiRequest& request, std::string_view route, int status,
                          size_t bytes, Clock::time_point started) {
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  metrics.Observe(route, request.method, status, seconds);
  // Never the path, query, body, cookies or tokens: search terms and survivor data live there.
  // Strings go through the JSON serialiser for escaping; the method is client-chosen.
  const auto quoted = [](std::string_view s) {
    return boost::json::serialize(boost::json::string(s));
  };
  AccessLogger().info(fmt::format(
      R"({{"time":"{}","request_id":{},"method":{},"route":{},"status":{},)"
      R"("duration_ms":{:.3f},"bytes":{}}})",
      UtcNow(), quoted(request.request_id), quoted(request.method), quoted(route), status,
      seconds * 1e3, bytes));
}

void Server::Impl::RequestStop() {
  {
    std::lock_guard lock(mu);
    stop_requested = true;
  }
  cv.notify_all();
}

void Server::Impl::Shutdown() {
  if (!started || shut_down) return;
  shut_down = true;
  stopping = true;
  spdlog::info("http: shutting down, {} connection(s) open", [&] {
    std::lock_guard lock(mu);
    return connections.size();
  }());
  asio::post(acceptor->get_executor(), [this] {
    boost::system::error_code ec;
    acceptor->close(ec);
  });
  const auto close_if = [this](bool only_idle) {
    std::lock_guard lock(mu);
    for (const auto& entry : connections) {
      std::shared_ptr<Connection> connection = entry.second;  // clang 14: no binding captures
      asio::post(connection->stream.get_executor(), [connection, only_idle] {
        if (!only_idle || connection->idle) connection->stream.close();
      });
    }
  };
  close_if(/*only_idle=*/true);
  {
    std::unique_lock lock(mu);
    const auto deadline = Clock::now() + options.shutdown_grace;
    if (!cv.wait_until(lock, deadline, [this] { return connections.empty(); })) {
      spdlog::warn("http: {} request(s) still running after the grace period; closing",
                   connections.size());
      lock.unlock();
      close_if(/*only_idle=*/false);
      lock.lock();
      cv.wait_for(lock, std::chrono::seconds(1), [this] { return connections.empty(); });
    }
  }
  work.reset();
  io.stop();
  for (std::thread& thread : io_threads) thread.join();
  io_threads.clear();
  signals.reset();
  // Waits for handlers still running (only after the grace period ran out).
  workers->stop();
  workers->join();
  AccessLogger().flush();
  spdlog::info("http: stopped");
}

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() { impl_->Shutdown(); }

Result<uint16_t> Server::Start() {
  Impl& s = *impl_;
  if (s.started) return s.port;
  if (s.shut_down) return Error::Unavailable("The server has been stopped.");

  KHIEN_ASSIGN_OR_RETURN(s.static_files, StaticFiles::Load(s.options.static_dir));
  if (s.static_files.empty()) {
    spdlog::warn("http: no web app in \"{}\"; serving the API only", s.options.static_dir);
  }

  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(s.options.host, ec);
  if (ec) {
    return Error::InvalidInput("host", "Địa chỉ máy chủ không hợp lệ: " + s.options.host,
                               "Invalid host address: " + s.options.host);
  }
  const tcp::endpoint endpoint(address, s.options.port);
  tcp::acceptor acceptor(asio::make_strand(s.io));
  const auto fail = [&](std::string_view what) -> Error {
    const std::string where = s.options.host + ":" + std::to_string(s.options.port);
    return Error{ErrorCode::kUnavailable, "port",
                 "Không thể mở cổng " + where + " (" + ec.message() + ").",
                 "Cannot " + std::string(what) + " " + where + ": " + ec.message()};
  };
  if (acceptor.open(endpoint.protocol(), ec)) return fail("open");
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec)) return fail("configure");
  if (acceptor.bind(endpoint, ec)) return fail("bind");
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec)) return fail("listen on");
  s.port = acceptor.local_endpoint(ec).port();
  s.acceptor.emplace(std::move(acceptor));

  s.workers.emplace(static_cast<size_t>(std::max(1, s.options.worker_threads)));
  s.work.emplace(asio::make_work_guard(s.io));
  asio::co_spawn(s.acceptor->get_executor(), s.Accept(), [](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::error("http: accept loop failed: {}", e.what());
    }
  });
  asio::co_spawn(s.io, s.FlushAccessLog(), asio::detached);
  const int threads = s.options.io_threads > 0
                          ? s.options.io_threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    s.io_threads.emplace_back([&s] {
      while (true) {
        try {
          s.io.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http: io thread caught: {}", e.what());
        }
      }
    });
  }
  s.started = true;
  spdlog::info("http: listening on {}:{} ({} io threads, {} workers, {} static files)",
               s.options.host, s.port, threads, s.options.worker_threads, s.static_files.size());
  return s.port;
}

Result<void> Server::Run() {
  Impl& s = *impl_;
  KHIEN_ASSIGN_OR_RETURN(const uint16_t port, Start());
  (void)port;
  s.signals.emplace(s.io, SIGINT, SIGTERM);
  s.signals->async_wait([&s](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("http: signal {} received", signal);
    s.RequestStop();
  });
  {
    std::unique_lock lock(s.mu);
    s.cv.wait(lock, [&s] { return s.stop_requested; });
  }
  s.Shutdown();
  return Ok();
}

void Server::Stop() { impl_->RequestStop(); }

}  // namespace khien::http
