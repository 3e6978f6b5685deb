// Case-management vocabularies that carry rules: the danger-assessment checklist (and how its
// answers become a risk level) and the closure reasons. Pure data and functions; thread-safe.
//
// The checklist adapts items of the Campbell Danger Assessment and common GBV risk practice to
// short yes/no questions a commune case worker can ask. It is a prompt for judgement, not a
// validated instrument: any "yes" to a critical item (threats to kill, a weapon, strangulation,
// the survivor fears for her life) makes the level high whatever the score.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"

namespace khien::cases::casework {

struct RiskItem {
  std::string_view id;   // stable, e.g. "threat_to_kill"
  std::string_view vi;
  std::string_view en;
  bool critical = false;
  int weight = 1;        // added to the score on "yes"
};

std::span<const RiskItem> RiskItems();

struct RiskResult {
  std::string level;  // low | medium | high
  int score = 0;
};

// Scores only "yes" answers; unanswered items count as "no".
// Error kInvalidInput (field "answers") naming the first unknown item id.
// Levels: high if a critical item is "yes" or score >= kHighScore; medium if score >= kMediumScore.
inline constexpr int kMediumScore = 2;
inline constexpr int kHighScore = 5;
Result<RiskResult> AssessRisk(const std::map<std::string, bool>& answers);

struct ClosureReason {
  std::string_view id;
  std::string_view vi;
  std::string_view en;
};
std::span<const ClosureReason> ClosureReasons();
bool IsClosureReason(std::string_view id);

}  // namespace khien::cases::casework
