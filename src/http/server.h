// The HTTP/1.1 server: Beast + Asio C++20 coroutines.
//
// One io_context run by `io_threads` threads does all socket work; each connection is a
// coroutine on its own strand. Handlers run on a separate pool of `worker_threads` threads,
// so a handler that blocks (a database call) never stalls an io thread: /healthz keeps
// answering while every worker is busy.
//
// Per connection: a read timeout on every read, an idle timeout between keep-alive
// requests, a header limit (431), a body limit checked from Content-Length before the body is
// read (413, connection closed), per-route body limits from RouteOptions. Built-in routes:
// GET /healthz, /readyz, /metrics. Everything under /api/ goes to the Router (404 / 405
// problems otherwise); other GET/HEAD requests go to the static files. Every response carries
// the security headers of wire.h and X-Request-Id; API responses carry Cache-Control:
// no-store. One JSON access-log line per request goes to stdout (never the query, body,
// cookies or tokens).
//
// Lifecycle: Start() binds and starts serving in background threads; Run() blocks until Stop()
// or SIGINT/SIGTERM, then shuts down gracefully: stop accepting, close idle connections, let
// in-flight requests finish (up to shutdown_grace), then return. The destructor does the same
// shutdown if Run() did not.
//
// Thread-safety: Stop() is safe from any thread (including handlers and signal handlers).
// Start() and Run() are called from one owning thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "http/router.h"

namespace khien::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                    // 0 = an ephemeral port (Start() returns it)
  std::string static_dir;                  // Vite build (web/dist); empty = no front end
  int io_threads = 0;                      // 0 = std::thread::hardware_concurrency()
  int worker_threads = 8;                  // handler pool (blocking calls)
  size_t header_limit = 16 * 1024;         // bytes of request line + headers
  size_t body_limit = 1 << 20;             // default body limit; RouteOptions may change it
  std::chrono::seconds read_timeout{15};   // each read of a request, and each write
  std::chrono::seconds idle_timeout{60};   // between requests on a keep-alive connection
  std::chrono::seconds shutdown_grace{10};  // how long in-flight requests may take to finish
  std::function<Result<void>()> readiness;  // /readyz: 200 if Ok, else 503; empty = ready.
                                            // Runs on the worker pool.
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the static files, binds host:port and starts serving. Returns the bound port.
  // Errors: kInvalidInput for a bad host, kUnavailable if the address cannot be bound,
  // kInternal if the static files cannot be read. Calling it again returns the same port.
  Result<uint16_t> Start();

  // Start() if needed, then blocks until Stop() or SIGINT/SIGTERM, then shuts down
  // gracefully and returns. Returns Start()'s error if it fails.
  Result<void> Run();

  // Asks Run() to shut down. Returns at once.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khien::http
