#include "safety/lists.h"

#include <fstream>
#include <sstream>

#include "safety/extractors.h"

namespace khien::safety {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Host of a URL or bare host entry; empty when the entry is not one.
std::string HostOf(std::string_view entry) {
  if (size_t p = entry.find("://"); p != std::string_view::npos) entry.remove_prefix(p + 3);
  if (size_t at = entry.find('@'); at != std::string_view::npos) entry.remove_prefix(at + 1);
  entry = entry.substr(0, entry.find_first_of("/?#:"));
  std::string host = Lower(entry);
  if (host.starts_with("www.")) host.erase(0, 4);
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty() || host.find('.') == std::string::npos) return {};
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    c == '_' || c == '*';
    if (!ok) return {};
  }
  if (host.starts_with("*.")) host.erase(0, 2);
  return host;
}

}  // namespace

Lists::Lists() {
  for (const std::string& d : OfficialDomains()) allowed_domains_.insert(d);
  allowed_domains_.insert("gov.vn");
}

bool Lists::InSetOrParent(const Set& set, std::string_view host) {
  if (set.empty()) return false;
  while (true) {
    if (set.find(host) != set.end()) return true;
    size_t dot = host.find('.');
    if (dot == std::string_view::npos) return false;
    host.remove_prefix(dot + 1);
    if (host.find('.') == std::string_view::npos) return false;  // never a bare TLD
  }
}

void Lists::AddDomain(std::string_view host, Kind kind) {
  (kind == Kind::kBlock ? blocked_domains_ : allowed_domains_).insert(Lower(host));
}
void Lists::AddPhone(std::string_view phone, Kind kind) {
  auto p = NormalizePhone(phone);
  (kind == Kind::kBlock ? blocked_phones_ : allowed_phones_).insert(p ? *p : std::string(phone));
}
void Lists::AddAccount(std::string_view digits, Kind kind) {
  (kind == Kind::kBlock ? blocked_accounts_ : allowed_accounts_).insert(std::string(digits));
}

bool Lists::IsBlockedDomain(std::string_view host) const {
  return !IsAllowedDomain(host) && InSetOrParent(blocked_domains_, host);
}
bool Lists::IsAllowedDomain(std::string_view host) const {
  return InSetOrParent(allowed_domains_, host) || host == "gov.vn";
}
bool Lists::IsBlockedPhone(std::string_view phone) const {
  return blocked_phones_.contains(phone) && !allowed_phones_.contains(phone);
}
bool Lists::IsBlockedAccount(std::string_view digits) const {
  return blocked_accounts_.contains(digits) && !allowed_accounts_.contains(digits);
}

Result<size_t> Lists::LoadText(std::string_view text, std::string_view /*source*/, Kind kind) {
  size_t added = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = Trim(line);
    if (line.empty()) continue;
    // hosts format: "0.0.0.0 example.com" / "127.0.0.1 example.com"
    if (size_t sp = line.find_first_of(" \t"); sp != std::string_view::npos) {
      std::string_view first = line.substr(0, sp);
      if (first == "0.0.0.0" || first == "127.0.0.1" || first == "::" || first == "::1") {
        line = Trim(line.substr(sp + 1));
        if (line == "localhost" || line.empty()) continue;
      }
    }
    std::string digits;
    bool numeric = true;
    for (char c : line) {
      if (c >= '0' && c <= '9') digits.push_back(c);
      else if (c != ' ' && c != '.' && c != '-' && c != '+') numeric = false;
    }
    if (numeric && digits.size() >= 6) {
      if (NormalizePhone(line)) AddPhone(line, kind);
      else AddAccount(digits, kind);
      ++added;
      continue;
    }
    std::string host = HostOf(line);
    if (host.empty()) {
      ++skipped_;  // community lists carry odd lines; one must not reject the whole file
      continue;
    }
    (kind == Kind::kBlock ? blocked_domains_ : allowed_domains_).insert(std::move(host));
    ++added;
  }
  return added;
}

Result<size_t> Lists::LoadFile(const std::string& path, Kind kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::InvalidInput("list", "Không đọc được tệp danh sách " + path,
                               "Cannot read list file " + path);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  blocked_domains_.reserve(blocked_domains_.size() + text.size() / 16);
  return LoadText(text, path, kind);
}

}  // namespace khien::safety
