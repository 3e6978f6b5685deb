// Reach: outreach activities, the people who came, crowd tallies, knowledge checks and targets.
// Plain values; the rules live in service.h and the SQL in repository.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace khien::reach {

inline constexpr std::string_view kActivityTypes[] = {
    "training", "communication", "competition", "performance", "dialogue",
    "seminar",  "literacy_class", "club_meeting", "online_session"};

inline constexpr std::string_view kTopics[] = {
    "child_abuse_prevention", "gender_based_violence", "self_protection", "safe_social_media",
    "toxic_information",      "personal_data",         "online_fraud",    "domestic_violence_law",
    "early_forced_marriage",  "gender_equality",       "digital_skills",  "livelihood_ecommerce",
    "health"};

inline constexpr std::string_view kStatuses[] = {"planned", "held", "cancelled"};

inline constexpr std::string_view kSexes[] = {"female", "male"};

// Age at the activity: under 16 is a child under Vietnamese law, under 18 under the CRC.
inline constexpr std::string_view kAgeGroups[] = {"under_16", "16_17", "18_29", "30_59", "60_plus"};

inline constexpr std::string_view kEthnicGroups[] = {"kinh", "minority"};

inline constexpr std::string_view kTargetIndicators[] = {"participations", "unique_people",
                                                         "women", "minority_women", "sessions"};

// The age group of someone born in `birth_year` at an activity in `year`.
std::string_view AgeGroupFor(int64_t birth_year, int64_t year);

struct Activity {
  std::string id;
  std::string org_code;  // a commune, village or point
  std::string org_name;
  std::string org_path;
  std::string commune_code;
  std::string type;
  std::string title;
  std::vector<std::string> topics;
  std::string date;  // YYYY-MM-DD, Vietnam local date
  std::optional<std::string> start_time;  // HH:MM, Vietnam time
  std::string status;
  std::string facilitators;
  std::string partners;
  std::string notes;
  std::optional<double> knowledge_pre_avg;  // group averages, 0..100, when no per-person scores
  std::optional<double> knowledge_post_avg;
  int64_t named_count = 0;  // named participations
  int64_t tally_total = 0;  // counted participations
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string created_by;
};

struct NewActivity {
  std::string org_code;
  std::string type;
  std::string title;
  std::vector<std::string> topics;
  std::string date;
  std::optional<std::string> start_time;
  std::string status = "held";
  std::string facilitators;
  std::string partners;
  std::string notes;
  std::optional<double> knowledge_pre_avg;
  std::optional<double> knowledge_post_avg;
};

// Fields left empty are unchanged.
struct ActivityPatch {
  std::optional<std::string> org_code;
  std::optional<std::string> type;
  std::optional<std::string> title;
  std::optional<std::vector<std::string>> topics;
  std::optional<std::string> date;
  std::optional<std::string> start_time;
  std::optional<std::string> status;
  std::optional<std::string> facilitators;
  std::optional<std::string> partners;
  std::optional<std::string> notes;
  std::optional<double> knowledge_pre_avg;
  std::optional<double> knowledge_post_avg;
};

struct ActivityFilter {
  std::optional<std::string> org_code;  // default: the caller's first org unit
  std::optional<std::string> from;      // YYYY-MM-DD inclusive
  std::optional<std::string> to;
  std::optional<std::string> type;
  std::optional<std::string> topic;
  std::optional<std::string> status;
  int limit = 50;   // 1..500
  int offset = 0;
};

// Someone in a commune's participant register.
struct Person {
  std::string id;
  std::string commune_code;
  std::string name;  // NFC, as typed (a leading '=' is kept; exports escape it)
  std::string sex;   // female | male
  int64_t birth_year = 0;
  std::string ethnicity;  // slug
  bool disability = false;
  std::string village;
  std::optional<std::string> phone;
  int64_t participations = 0;  // filled by lookups that count them
};

struct NewParticipant {
  std::optional<std::string> person_id;  // attach someone already in the register
  std::string name;
  std::string sex;
  int64_t birth_year = 0;
  std::string ethnicity;
  bool disability = false;
  std::string village;
  std::optional<std::string> phone;
  std::optional<double> pre_score;   // 0..100
  std::optional<double> post_score;  // 0..100
  bool force_new = false;  // register as a new person even if an exact match exists
};

struct ParticipantOutcome {
  Person person;
  bool recognised = false;          // matched an existing person (name + birth year + village)
  std::vector<Person> suggestions;  // look-alikes when a new person was registered
};

struct Participation {
  Person person;
  std::optional<double> pre_score;
  std::optional<double> post_score;
};

struct TallyCell {
  std::string sex;
  std::string age_group;
  std::string ethnic_group;  // kinh | minority
  int64_t count = 0;
};

struct Target {
  std::string org_code;
  int64_t year = 0;
  std::string indicator;  // one of kTargetIndicators
  int64_t value = 0;
};

// Breakdown dimensions accepted by `by`.
inline constexpr std::string_view kDimensions[] = {
    "sex", "age_group", "ethnicity", "ethnic_group", "topic", "type", "month", "quarter", "year",
    "commune", "village", "point"};

struct IndicatorQuery {
  std::optional<std::string> org_code;  // default: the caller's first org unit
  std::string from;                     // YYYY-MM-DD, default 2021-01-01
  std::string to;                       // default: today (Vietnam)
  std::vector<std::string> by;          // from kDimensions; "period:month" means "month"
  std::optional<std::string> topic;
  std::optional<std::string> type;
};

struct IndicatorRow {
  std::map<std::string, std::string> keys;  // dimension -> value ("" when not applicable)
  int64_t sessions = 0;
  int64_t participations = 0;
  int64_t named_participations = 0;
  int64_t tallied_participations = 0;
  int64_t unique_people = 0;
  int64_t women = 0;
  int64_t minority_women = 0;
  int64_t children_under_16 = 0;
  int64_t children_under_18 = 0;
  std::optional<double> knowledge_gain;  // mean post − pre over people with both scores
  int64_t knowledge_checked = 0;
};

struct TargetProgress {
  std::string indicator;
  int64_t year = 0;
  int64_t target = 0;
  int64_t actual = 0;
};

struct IndicatorTable {
  std::string org_code;
  std::string org_name;
  std::string from;
  std::string to;
  std::vector<std::string> by;
  std::vector<IndicatorRow> rows;  // one per combination present; a single total row if `by` is empty
  IndicatorRow total;
  std::vector<TargetProgress> targets;
  std::map<std::string, std::string> place_names;  // org code -> name, for commune/village/point keys
};

}  // namespace khien::reach
