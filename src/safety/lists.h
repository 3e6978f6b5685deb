// Lists: block and allow lists of domains/URLs, phone numbers and bank accounts.
//
// Files are plain lists (one entry a line) or hosts files ("0.0.0.0 example.com"); '#'
// starts a comment. A line that is a URL counts by its host. Digits-only lines (after
// removing spaces, dots and dashes) are phone numbers when they look like one, bank
// accounts otherwise. Domain lookups match the host itself or any parent domain
// ("a.b.example.com" is blocked by "example.com"). Every Lists starts with the built-in
// allow list: the official domains of extractors.h and everything under .gov.vn.
//
// Ownership: a Lists is a plain value; the Checker holds it read-only.
// Thread-safety: const methods are safe from many threads; Load*/Add* are not.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "base/result.h"

namespace khien::safety {

class Lists {
 public:
  enum class Kind { kBlock, kAllow };

  Lists();

  // Reads a list file. Error kInvalidInput naming the file when it cannot be read. Lines
  // that are neither a host, a URL nor a number are skipped and counted in skipped_lines().
  Result<size_t> LoadFile(const std::string& path, Kind kind);
  // Parses list text; returns how many entries were added.
  Result<size_t> LoadText(std::string_view text, std::string_view source, Kind kind);

  void AddDomain(std::string_view host, Kind kind);
  void AddPhone(std::string_view phone, Kind kind);
  void AddAccount(std::string_view digits, Kind kind);

  // `host` lower case ASCII (punycode); checks the host and each parent domain.
  bool IsBlockedDomain(std::string_view host) const;
  bool IsAllowedDomain(std::string_view host) const;
  bool IsBlockedPhone(std::string_view normalized_phone) const;
  bool IsBlockedAccount(std::string_view digits) const;

  size_t blocked_domain_count() const { return blocked_domains_.size(); }
  size_t skipped_lines() const { return skipped_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;
  static bool InSetOrParent(const Set& set, std::string_view host);

  Set blocked_domains_, allowed_domains_;
  Set blocked_phones_, allowed_phones_;
  Set blocked_accounts_, allowed_accounts_;
  size_t skipped_ = 0;
};

}  // namespace khien::safety
