#include "access/access.h"

#include <algorithm>
#include <array>
#include <utility>

namespace khien::access {
namespace {

struct RoleRow {
  Role role;
  std::string_view name;
  std::array<bool, 10> allows;  // indexed by Permission
};

// Columns: ManageUsers ViewUsers ManageOrgUnits RecordReach ViewReach ManageCases ViewCaseStats
//          ModerateSafety ViewAudit ExportCaseStats
constexpr std::array<RoleRow, 7> kMatrix = {{
    {Role::kAdmin, "admin", {true, true, true, true, true, false, true, true, true, false}},
    {Role::kProvinceOfficer, "province_officer", {false, true, true, true, true, false, true, false, false, true}},
    {Role::kCommuneOfficer, "commune_officer", {false, false, true, true, true, true, true, false, false, true}},
    {Role::kCaseWorker, "case_worker", {false, false, false, false, false, true, false, false, false, false}},
    {Role::kTrustedAddress, "trusted_address", {false, false, false, false, false, true, false, false, false, false}},
    {Role::kMediaMember, "media_member", {false, false, false, true, true, false, false, true, false, false}},
    {Role::kViewer, "viewer", {false, false, false, false, true, false, false, false, false, false}},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const RoleRow& row : kMatrix) {
    if (row.role == role) return row.name;
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleRow& row : kMatrix) {
    if (row.name == name) return row.role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> out;
    for (const RoleRow& row : kMatrix) out.push_back(row.role);
    return out;
  }();
  return roles;
}

bool RoleAllows(Role role, Permission permission) {
  for (const RoleRow& row : kMatrix) {
    if (row.role == role) return row.allows[static_cast<size_t>(permission)];
  }
  return false;
}

bool Principal::Covers(std::string_view path) const {
  return std::any_of(org_paths.begin(), org_paths.end(),
                     [&](const std::string& mine) { return path.starts_with(mine); });
}

std::pair<std::string, std::string> SubtreeRange(std::string_view path) {
  // Paths end with '/', and '0' is the character right after '/', so every path that starts
  // with "/66/" sorts in ["/66/", "/660").
  std::string first(path);
  std::string second(path);
  if (!second.empty()) second.back() = static_cast<char>(second.back() + 1);
  return {std::move(first), std::move(second)};
}

}  // namespace khien::access
