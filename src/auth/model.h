// Accounts and sessions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/access.h"
#include "org/model.h"

namespace khien::auth {

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  access::Role role = access::Role::kViewer;
  std::string lang = "vi";
  bool disabled = false;
  int64_t created_at = 0;
  std::vector<org::Ancestor> org_units;  // code, name, level of each bound unit
};

struct NewUser {
  std::string username;  // 3–32 of a-z 0-9 . _ -; stored lower case
  std::string display_name;
  std::string password;  // 10–128 characters
  std::string role;
  std::vector<std::string> org_codes;  // at least one
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<std::vector<std::string>> org_codes;
  std::optional<bool> disabled;
  std::optional<std::string> password;  // admin reset
};

struct LoginRequest {
  std::string username;
  std::string password;
  std::string client_ip;  // only a hash of it is kept, for throttling
};

struct Session {
  std::string token;       // 256-bit random, hex; shown once, only its hash is stored
  std::string csrf_token;  // required on cookie-authenticated writes
  User user;
};

struct Authenticated {
  access::Principal principal;
  std::string csrf_token;
};

}  // namespace khien::auth
