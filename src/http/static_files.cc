#include "http/static_files.h"

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace khien::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";
constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
constexpr std::string_view kNotFoundBody = "Không tìm thấy. / Not found.\n";
constexpr std::string_view kBadRequestBody = "Yêu cầu không hợp lệ. / Bad request.\n";
constexpr std::string_view kNotBuiltBody =
    "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Khiên</title>"
    "</head>\n<body><h1>Khiên</h1><p>Ứng dụng web chưa được dựng. Hãy chạy "
    "<code>npm ci &amp;&amp; npm run build</code> trong thư mục <code>web/</code>, rồi khởi "
    "động lại máy chủ. API vẫn hoạt động.</p>\n<p lang=\"en\">The web app is not built. Run "
    "<code>npm ci &amp;&amp; npm run build</code> in <code>web/</code> and restart the "
    "server. The API works.</p></body></html>\n";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string StrongEtag(std::string_view bytes) {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  std::string etag;
  etag.reserve(sizeof hex + 1);
  etag.push_back('"');
  etag.append(hex);
  etag.push_back('"');
  return etag;
}

// A path that must never be looked up: traversal, backslashes, NUL.
bool IsUnsafePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return true;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return true;
  }
  std::string_view rest = path.substr(1);
  while (true) {
    const size_t pos = rest.find('/');
    const std::string_view segment = rest.substr(0, pos);
    if (segment == "." || segment == "..") return true;
    if (pos == std::string_view::npos) return false;
    rest.remove_prefix(pos + 1);
  }
}

// q-value of `coding` in Accept-Encoding (0 if absent; "*" counts for unnamed codings).
double EncodingQuality(std::string_view accept_encoding, std::string_view coding) {
  double star = 0.0;
  double found = -1.0;
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    const std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string_view name = Trim(item.substr(0, semi));
    double q = 1.0;
    if (semi != std::string_view::npos) {
      const std::string_view param = Trim(item.substr(semi + 1));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
      }
    }
    if (name == coding) found = q;
    if (name == "*") star = q;
  }
  return found >= 0.0 ? found : star;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view candidate = Trim(if_none_match.substr(0, comma));
    if_none_match =
        comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
    if (candidate == "*") return true;
    if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);  // weak comparison (RFC 9110)
    if (candidate == etag) return true;
  }
  return false;
}

StaticResponse Plain(int status, std::string_view body, std::string_view method) {
  StaticResponse response;
  response.status = status;
  response.content_type = status == 200 ? "text/html; charset=utf-8" : kTextPlain;
  response.content_length = body.size();
  if (method != "HEAD") response.body = body;
  response.headers.emplace_back("Cache-Control", std::string(kNoCache));
  return response;
}

Result<std::string> ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return Error::Internal("cannot read static file " + path.string());
  }
  return buffer.str();
}

}  // namespace

std::string_view MimeTypeFor(std::string_view name) {
  struct Entry {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".wasm", "application/wasm"},
      {".pdf", "application/pdf"},
  };
  for (const Entry& entry : kTypes) {
    if (EndsWith(name, entry.extension)) return entry.type;
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Load(const std::string& dir) {
  StaticFiles result;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return result;
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  const fs::path root = fs::canonical(dir, ec);
  if (ec) return Error::Internal("cannot resolve static dir " + dir);

  std::map<std::string, std::string, std::less<>> raw;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path relative = it->path().lexically_relative(root);
    bool hidden = false;
    for (const fs::path& part : relative) hidden = hidden || part.string().starts_with(".");
    if (hidden) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    // A symlink may point anywhere; serve it only if it resolves inside the root.
    const fs::path target = fs::canonical(it->path(), ec);
    if (ec) return Error::Internal("cannot resolve static file " + it->path().string());
    const auto [mismatch, unused] =
        std::mismatch(root.begin(), root.end(), target.begin(), target.end());
    if (mismatch != root.end()) continue;
    KHIEN_ASSIGN_OR_RETURN(std::string bytes, ReadAll(target));
    std::string key = relative.generic_string();
    key.insert(key.begin(), '/');  // not "/" + s: GCC 12 -O3 warns falsely (-Wrestrict)
    raw.emplace(std::move(key), std::move(bytes));
  }
  if (ec) return Error::Internal("cannot list static dir " + dir + ": " + ec.message());

  auto variant = [](std::string bytes) {
    Variant v;
    v.etag = StrongEtag(bytes);
    v.bytes = std::move(bytes);
    return v;
  };
  for (auto& [name, bytes] : raw) {
    const bool compressed = EndsWith(name, ".gz") || EndsWith(name, ".br");
    if (compressed && raw.count(name.substr(0, name.size() - 3)) > 0) continue;  // a sibling
    File file;
    file.content_type = MimeTypeFor(name);
    if (auto gz = raw.find(name + ".gz"); gz != raw.end()) file.gzip = variant(gz->second);
    if (auto br = raw.find(name + ".br"); br != raw.end()) file.brotli = variant(br->second);
    file.identity = variant(std::move(bytes));
    result.files_.emplace(name, std::move(file));
  }
  return result;
}

StaticResponse StaticFiles::Serve(std::string_view method, std::string_view path,
                                  std::string_view accept_encoding,
                                  std::string_view if_none_match) const {
  if (IsUnsafePath(path)) return Plain(400, kBadRequestBody, method);
  const size_t last_slash = path.rfind('/');
  const bool has_extension = path.find('.', last_slash) != std::string_view::npos;
  const bool spa_route = !has_extension && !path.starts_with("/api/") && path != "/api";

  if (files_.empty()) {
    return spa_route ? Plain(200, kNotBuiltBody, method) : Plain(404, kNotFoundBody, method);
  }
  auto it = files_.find(path == "/" ? std::string_view("/index.html") : path);
  if (it == files_.end() && spa_route) it = files_.find(std::string_view("/index.html"));
  if (it == files_.end()) return Plain(404, kNotFoundBody, method);

  const File& file = it->second;
  const Variant* chosen = &file.identity;
  std::string_view encoding;
  if (file.brotli && EncodingQuality(accept_encoding, "br") > 0.0) {
    chosen = &*file.brotli;
    encoding = "br";
  } else if (file.gzip && EncodingQuality(accept_encoding, "gzip") > 0.0) {
    chosen = &*file.gzip;
    encoding = "gzip";
  }

  StaticResponse response;
  response.content_type = file.content_type;
  response.headers.emplace_back("ETag", chosen->etag);
  response.headers.emplace_back(
      "Cache-Control", std::string(it->first.starts_with("/assets/") ? kImmutable : kNoCache));
  if (file.gzip || file.brotli) response.headers.emplace_back("Vary", "Accept-Encoding");
  if (!if_none_match.empty() && EtagMatches(if_none_match, chosen->etag)) {
    response.status = 304;
    return response;
  }
  if (!encoding.empty()) response.headers.emplace_back("Content-Encoding", std::string(encoding));
  response.status = 200;
  response.content_length = chosen->bytes.size();
  if (method != "HEAD") response.body = chosen->bytes;
  return response;
}

}  // namespace khien::http
