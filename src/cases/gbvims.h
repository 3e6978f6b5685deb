// Classification vocabularies: GBVIMS core incident types (with the elimination order used by
// the guided wizard), context flags, perpetrator and survivor age groups, and the acts of
// domestic violence listed in Article 3(1) of Vietnam's Law on Domestic Violence Prevention and
// Control (Law 13/2022/QH15). Pure data; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace khien::cases::gbvims {

// The six GBVIMS core types plus non-GBV, in the order the wizard asks about them: the first
// type whose question is answered "yes" is the classification.
enum class CoreType {
  kRape,
  kSexualAssault,
  kPhysicalAssault,
  kForcedMarriage,
  kDenialOfResources,
  kPsychologicalAbuse,
  kNonGbv,
};

struct CoreTypeInfo {
  CoreType type;
  std::string_view id;          // "rape"
  std::string_view question_vi; // the wizard question
  std::string_view question_en;
};

// In elimination order.
const std::vector<CoreTypeInfo>& CoreTypes();
std::optional<CoreType> ParseCoreType(std::string_view id);
std::string_view CoreTypeId(CoreType type);

// Runs the elimination: `answers[i]` answers the question of CoreTypes()[i]. Returns the first
// "yes"; nullopt when an earlier question is unanswered (answers shorter than the position of
// the first "yes") — the wizard must not skip. All "no" gives kNonGbv.
std::optional<CoreType> Eliminate(const std::vector<bool>& answers);

// Context flags (GBVIMS "type of GBV context" plus Khiên's online flag).
inline constexpr std::string_view kContextFlags[] = {
    "intimate_partner", "child_sexual_abuse", "early_marriage", "sexual_exploitation",
    "trafficking",      "harmful_practice",   "online",
};
bool IsContextFlag(std::string_view id);

inline constexpr std::string_view kPerpetratorRelations[] = {
    "intimate_partner", "former_partner", "parent_or_guardian", "other_family", "teacher",
    "employer", "community_member", "stranger", "online_contact", "other", "unknown",
};
inline constexpr std::string_view kPerpetratorAgeGroups[] = {"0-11", "12-17", "18-25", "26-40",
                                                             "41-60", "61+", "unknown"};
inline constexpr std::string_view kPlaceTypes[] = {"home", "school", "workplace", "field_or_forest",
                                                   "road", "market", "online", "other"};
bool IsOneOf(std::string_view value, const std::string_view* list, size_t n);

// Survivor age groups used in statistics (GBVIMS bands).
std::string_view AgeGroup(std::optional<int64_t> age);

// Article 3(1) of Law 13/2022/QH15, points a) to o) (14 points; the Vietnamese alphabet of
// the law has no f, j, p, w, z, and "đ" follows "d").
struct DvAct {
  std::string_view id;     // "a", "b", ... "dd" for point đ)
  std::string_view label_vi;
  std::string_view label_en;
};
const std::vector<DvAct>& DvActs();
bool IsDvAct(std::string_view id);

}  // namespace khien::cases::gbvims
