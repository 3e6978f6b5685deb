// Extractors: the concrete things a message contains — links, phone numbers, bank accounts,
// citizen ID numbers, OTP/password requests, money amounts, e-mail addresses — each with its
// span in the original text (bytes here; the checker converts to characters).
//
// They read the views of a NormalizedText (links from `deobfuscated`, where "abc[.]com" is
// already rejoined; numbers from `folded`). Failure: none; they find what they find.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "safety/normalizer.h"

namespace khien::safety {

enum class EntityType {
  kUrl,          // value: the link as written (rejoined), host decoded from punycode
  kDomain,       // value: the host, lower case, punycode decoded for display
  kPhone,        // value: national form "0912345678" (or "1900xxxx")
  kBankAccount,  // value: the digits
  kCitizenId,    // value: the 12 digits
  kOtpRequest,   // value: what is asked for ("otp", "mat khau", ...)
  kMoney,        // value: the amount in đồng, as an integer string
  kEmail,        // value: the address, lower case
};

std::string_view EntityTypeName(EntityType type);  // "url", "domain", "phone", ...

struct Entity {
  EntityType type;
  std::string value;
  uint32_t start = 0;  // byte span in the original text
  uint32_t end = 0;
  // kDomain: the ASCII (punycode) host used for list lookups; kMoney: the amount.
  std::string host_ascii;
  double amount = 0;
  // kDomain: the host was written with non-Latin look-alike letters (a homograph).
  bool homograph = false;
};

// All entities, in order of start offset.
std::vector<Entity> ExtractEntities(const NormalizedText& text);

// Parses a money amount written like "5tr", "500k", "2 triệu", "1.500.000đ", "2 tỷ", "2tr5"
// (folded text). Returns the amount in đồng, or nullopt when `s` is not one.
std::optional<double> ParseMoney(std::string_view folded);

// Decodes an "xn--" label (RFC 3492) into UTF-8; nullopt if it is not valid punycode.
std::optional<std::string> DecodePunycodeLabel(std::string_view label);
// Host with every xn-- label decoded (labels that fail to decode stay as they are).
std::string DisplayHost(std::string_view ascii_host);

// Normalises a phone number written with spaces, dots, dashes, +84 or 84 into "0xxxxxxxxx";
// nullopt when it is not a Vietnamese phone number.
std::optional<std::string> NormalizePhone(std::string_view s);

// Look-alike check of a host against the official domains of banks, wallets, carriers,
// shops and government (anything under .gov.vn is official). Returns the official domain
// it imitates, or nullopt when the host is official itself or resembles none.
std::optional<std::string> ImitatedOfficialDomain(std::string_view ascii_host);
// True when `ascii_host` is, or is under, an official domain (or ends in .gov.vn).
bool IsOfficialDomain(std::string_view ascii_host);
const std::vector<std::string>& OfficialDomains();
// True when links on `ascii_host` belong to many unrelated people, so that blocking the host
// would block them all: link shorteners ("bit.ly"), chat and form links ("t.me", "forms.gle"),
// document and video sites, and site builders' own hosts (not their customers' subdomains).
bool IsSharedHost(std::string_view ascii_host);
// True when `phone` (as NormalizePhone gives it) is a 1800/1900 number: a business's
// registered hotline, which scams quote to look real.
bool IsBusinessHotline(std::string_view phone);

}  // namespace khien::safety
