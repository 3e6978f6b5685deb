// Who may do what, where. The role says what; the org units bound to the account say where.
// This is the one place the role × permission matrix lives (docs/security.md mirrors it); every
// service checks it, so the CLI and the API cannot differ.
//
// Pure data and functions: no storage, no HTTP. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace khien::access {

enum class Role {
  kAdmin,            // accounts, roles, org units; not case contents
  kProvinceOfficer,  // the province's picture: reach, statistics, org units
  kCommuneOfficer,   // her commune: activities, villages and points, triage of reports
  kCaseWorker,       // cases she owns or is assigned
  kTrustedAddress,   // receives referred survivors; sees only what a referral shares
  kMediaMember,      // community media group: message checks, report queue
  kViewer,           // read-only figures for her place
};

enum class Permission {
  kManageUsers,       // create and change accounts
  kViewUsers,         // list accounts in scope
  kManageOrgUnits,    // create villages and Project 8 points in scope
  kRecordReach,       // record activities and participants
  kViewReach,         // see reach indicators
  kManageCases,       // open and work on cases
  kViewCaseStats,     // anonymous case statistics
  kModerateSafety,    // safety report queue, lists and rules
  kViewAudit,         // read the audit log
  kExportCaseStats,   // download case statistics as a file (audited)
};

std::string_view RoleName(Role role);                  // "commune_officer"
std::optional<Role> ParseRole(std::string_view name);  // nullopt for unknown names
const std::vector<Role>& AllRoles();

bool RoleAllows(Role role, Permission permission);

// The signed-in caller, as every service sees her.
struct Principal {
  std::string user_id;
  std::string username;
  std::string display_name;
  Role role = Role::kViewer;
  std::string lang = "vi";
  std::vector<std::string> org_codes;  // the org units bound to the account
  std::vector<std::string> org_paths;  // their materialised paths ('/66/24250/'), same order

  bool Can(Permission permission) const { return RoleAllows(role, permission); }

  // True if the org unit with materialised path `path` lies in (or is) one of her org units.
  bool Covers(std::string_view path) const;
};

// The half-open range [first, second) of materialised paths under `path` (inclusive of itself):
// "everything under X" is `path >= first AND path < second`, one index range scan.
std::pair<std::string, std::string> SubtreeRange(std::string_view path);

}  // namespace khien::access
