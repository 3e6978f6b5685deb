// The built web front end (Vite's web/dist), served from memory.
//
// Load() reads every regular file under the directory once, at start-up (the build is
// small), with its precompressed ".br"/".gz" siblings. Serving never touches the disk, so a
// request can never reach a file outside the directory: lookups are in a map of the files
// that were loaded, and paths with ".." segments, backslashes or NUL are refused first.
//
// Caching: strong ETag per representation (hash of its bytes), If-None-Match -> 304,
// "public, max-age=31536000, immutable" for /assets/* (Vite puts a content hash in those
// names), "no-cache" for everything else. SPA fallback: a GET/HEAD for a path with no file
// extension that is not a file gets index.html. No directory listings.
//
// Thread-safety: after Load(), Serve() is const and safe from many threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace khien::http {

// A response whose body points into the StaticFiles that produced it.
struct StaticResponse {
  int status = 200;
  std::string_view content_type;
  std::string_view body;  // empty for 304 and for HEAD; valid while the StaticFiles lives
  size_t content_length = 0;  // length of the representation (also for HEAD)
  std::vector<std::pair<std::string_view, std::string>> headers;
};

class StaticFiles {
 public:
  // An empty set: "/" answers with a short page saying the web app is not built.
  StaticFiles() = default;

  // Loads `dir`. An empty or missing `dir` gives the empty set (not an error, so the API can
  // run without a front end). Error kInternal if a file cannot be read.
  static Result<StaticFiles> Load(const std::string& dir);

  bool empty() const { return files_.empty(); }
  size_t size() const { return files_.size(); }

  // `path` is the decoded request path (from ParseTarget); `accept_encoding` and
  // `if_none_match` are the request headers (empty if absent). REQUIRES: method is GET or HEAD.
  StaticResponse Serve(std::string_view method, std::string_view path,
                       std::string_view accept_encoding, std::string_view if_none_match) const;

 private:
  struct Variant {
    std::string bytes;
    std::string etag;  // quoted, e.g. "\"3f2a...\""
  };
  struct File {
    std::string_view content_type;
    Variant identity;
    std::optional<Variant> gzip;
    std::optional<Variant> brotli;
  };

  std::map<std::string, File, std::less<>> files_;  // key: "/assets/app-1a2b.js"
};

// Content-Type for a file name by extension ("text/html; charset=utf-8" for ".html").
std::string_view MimeTypeFor(std::string_view file_name);

}  // namespace khien::http
