// The administrative tree: province → commune/ward → village → Project 8 point.
// Provinces and communes are Vietnam's official units after the 2025 reorganisation (codes of
// the General Statistics Office); villages and points are created by users under a commune.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace khien::org {

enum class Level { kProvince, kCommune, kVillage, kPoint };

std::string_view LevelName(Level level);                  // "province", ...
std::optional<Level> ParseLevel(std::string_view name);

// Kinds of Project 8 point.
inline constexpr std::string_view kPointKinds[] = {"command_point", "trusted_address", "school",
                                                   "club", "other"};

struct Ancestor {
  std::string code;
  std::string name;
  Level level = Level::kProvince;
};

struct OrgUnit {
  std::string code;
  std::optional<std::string> parent_code;
  Level level = Level::kProvince;
  std::optional<std::string> kind;  // points only
  std::string name;                 // NFC, official spelling ("Tuy Hoà")
  std::string full_name;            // "Phường Tuy Hoà"
  std::string name_en;
  std::string path;                 // "/66/22015/": materialised path of codes
  std::vector<Ancestor> ancestors;  // root first, excluding the unit itself
  int64_t children_count = 0;
};

struct SearchQuery {
  std::string text;                   // any spelling; folded before matching
  std::optional<std::string> parent;  // direct children of this code
  std::optional<std::string> within;  // anywhere under this code
  std::optional<Level> level;
  int limit = 50;                     // 1..200
};

struct NewOrgUnit {
  std::string parent;
  Level level = Level::kVillage;
  std::string name;
  std::optional<std::string> kind;
};

}  // namespace khien::org
