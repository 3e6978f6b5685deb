// The checker's answer: a score per category, a verdict, the reasons with highlighted spans,
// advice, extracted entities and, for conversations, the grooming stage reached.
// Spans (start, end) count Unicode characters of the original text, end exclusive.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "safety/category.h"

namespace khien::safety {

enum class Verdict { kSafe = 0, kCaution = 1, kDanger = 2 };

constexpr std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kSafe: return "safe";
    case Verdict::kCaution: return "caution";
    case Verdict::kDanger: return "danger";
  }
  return "safe";
}

// Score ≥ kDecisionThreshold puts a category in `categories`; the verdict is danger from
// kDangerThreshold on, caution from the decision threshold, safe below it.
inline constexpr double kDecisionThreshold = 0.5;
inline constexpr double kDangerThreshold = 0.8;

struct Reason {
  std::string rule;
  Category category = Category::kScam;
  double weight = 0;
  uint32_t start = 0;  // characters
  uint32_t end = 0;
  std::string text;    // the highlighted part of the original
  std::string explanation_vi;
  std::string explanation_en;
  int message = -1;    // conversations: index of the message, else -1
};

struct AdviceItem {
  std::string id;
  std::string vi;
  std::string en;
};

struct EntityItem {
  std::string type;  // EntityTypeName
  std::string value;
  uint32_t start = 0;  // characters
  uint32_t end = 0;
  int message = -1;
};

// Grooming progression over a conversation.
inline constexpr std::array<std::string_view, 7> kGroomingStages = {
    "contact", "trust", "age_school", "secrecy", "gifts", "images", "meeting"};

struct StageMessages {
  std::string stage;
  std::vector<int> messages;  // indices into the conversation
};

struct ConversationResult {
  std::string stage;     // furthest stage reached, or "" when none
  int stage_index = -1;  // index into kGroomingStages
  std::vector<StageMessages> stages;  // stages seen, in stage order
};

struct CheckResult {
  Verdict verdict = Verdict::kSafe;
  std::array<double, kAllCategories.size()> scores{};  // indexed by Category
  std::vector<Category> categories;                     // score ≥ kDecisionThreshold
  std::vector<Reason> reasons;
  std::vector<AdviceItem> advice;
  std::vector<EntityItem> entities;
  std::optional<ConversationResult> conversation;

  double score(Category c) const { return scores[static_cast<size_t>(c)]; }
  bool flagged(Category c) const { return score(c) >= kDecisionThreshold; }
};

struct Message {
  std::string from;
  std::string text;
};

}  // namespace khien::safety
