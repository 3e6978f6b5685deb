// The four things the safety checker scores a message for.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace khien::safety {

enum class Category { kScam = 0, kGrooming = 1, kToxic = 2, kPrivacy = 3 };

inline constexpr std::array<Category, 4> kAllCategories = {
    Category::kScam, Category::kGrooming, Category::kToxic, Category::kPrivacy};

// "scam", "grooming", "toxic", "privacy": the names used in rules, models, JSON and the CLI.
constexpr std::string_view CategoryName(Category c) {
  switch (c) {
    case Category::kScam: return "scam";
    case Category::kGrooming: return "grooming";
    case Category::kToxic: return "toxic";
    case Category::kPrivacy: return "privacy";
  }
  return "scam";
}

constexpr std::optional<Category> ParseCategory(std::string_view name) {
  for (Category c : kAllCategories) {
    if (CategoryName(c) == name) return c;
  }
  return std::nullopt;
}

}  // namespace khien::safety
