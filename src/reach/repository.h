// SQL for reach. Every function runs on a Connection the caller got from Database::Read or
// Database::Write; scope has already been decided by the service, which passes the subtree as
// a half-open path range [lo, hi) (access::SubtreeRange).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "reach/model.h"
#include "store/database.h"

namespace khien::reach::repository {

// An org unit and where it sits: the commune, village and point codes on its path.
struct Place {
  std::string code;
  std::string name;
  std::string level;  // province | commune | village | point
  std::string path;
  std::string commune_code;  // empty for a province
  std::optional<std::string> village_code;
  std::optional<std::string> point_code;
};

struct PathRange {
  std::string lo;
  std::string hi;
};

// Error kNotFound for an unknown code.
Result<Place> FindPlace(store::Connection& c, const std::string& code);
// Every org unit whose path lies in `range`, ordered by path (the demo generator's map).
struct Unit {
  std::string code;
  std::string parent_code;
  std::string level;
  std::string name;
  std::string path;
};
Result<std::vector<Unit>> UnitsUnder(store::Connection& c, const PathRange& range);
// Names of the given org codes (unknown codes are left out).
Result<std::vector<std::pair<std::string, std::string>>> PlaceNames(
    store::Connection& c, const std::vector<std::string>& codes);

// `a` carries the place fields (org_path, commune_code) already; day/month derive from a.date.
Result<void> InsertActivity(store::Connection& c, const Activity& a, const Place& place);
// Rewrites the activity row and its topics, and the copies held by its participations and
// tallies (place, date, type; age groups follow the new year).
Result<void> UpdateActivity(store::Connection& c, const Activity& a, const Place& place);
Result<void> DeleteActivity(store::Connection& c, const std::string& id);
// Error kNotFound if the id is unknown or its place lies outside `range`.
Result<Activity> FindActivity(store::Connection& c, const std::string& id, const PathRange& range);
Result<std::vector<Activity>> ListActivities(store::Connection& c, const PathRange& range,
                                             const ActivityFilter& filter, int64_t from_day,
                                             int64_t to_day);

Result<std::vector<Person>> FindExactPeople(store::Connection& c, const std::string& commune_code,
                                            const std::string& name_fold, int64_t birth_year,
                                            const std::string& village_fold);
// Look-alikes in the same commune: same folded name (any year or village), or same birth year
// and village with the same last name word. At most 5, `exclude_id` left out.
Result<std::vector<Person>> SuggestPeople(store::Connection& c, const std::string& commune_code,
                                          const std::string& name_fold, int64_t birth_year,
                                          const std::string& village_fold,
                                          const std::string& exclude_id);
// Error kNotFound unless the person is in `commune_code`'s register.
Result<Person> FindPerson(store::Connection& c, const std::string& id, const std::string& commune_code);
Result<void> InsertPerson(store::Connection& c, const Person& p);

// Bulk paths for imports: the commune's whole register (ordered by id, as FindExactPeople),
// the people already recorded at an activity, and many inserts in one statement each
// (Connection::BulkInsert). The bulk inserts log the change like InsertParticipation.
struct RegisterEntry {
  Person person;  // participations not filled
  std::string name_fold;
  std::string village_fold;
};
Result<std::vector<RegisterEntry>> LoadRegister(store::Connection& c, const std::string& commune_code);
Result<std::vector<std::string>> AttendeeIds(store::Connection& c, const std::string& activity_id);
Result<void> InsertPeople(store::Connection& c, const std::vector<Person>& people);
struct NewFact {
  Person person;
  std::optional<double> pre;
  std::optional<double> post;
};
Result<void> InsertParticipations(store::Connection& c, const Activity& a, const Place& place,
                                  const std::vector<NewFact>& facts);

// Error kConflict if the person is already recorded at this activity.
Result<void> InsertParticipation(store::Connection& c, const Activity& a, const Place& place,
                                 const Person& p, std::optional<double> pre,
                                 std::optional<double> post);
Result<std::vector<Participation>> ListParticipations(store::Connection& c, const std::string& activity_id);
// Error kNotFound if the person did not attend.
Result<void> DeleteParticipation(store::Connection& c, const std::string& activity_id,
                                 const std::string& person_id);

// Replaces every tally cell of the activity (cells with count 0 are not stored).
Result<void> ReplaceTally(store::Connection& c, const Activity& a, const Place& place,
                          const std::vector<TallyCell>& cells);
Result<std::vector<TallyCell>> ListTally(store::Connection& c, const std::string& activity_id);

Result<void> UpsertTarget(store::Connection& c, const Target& t);
Result<std::vector<Target>> ListTargets(store::Connection& c, const std::string& org_code,
                                        int64_t from_year, int64_t to_year);

// Aggregates over the facts (named participations + tallies) in `range` and [from_day, to_day]
// grouped by `dims` (validated names from kDimensions). Fills every IndicatorRow field except
// `sessions` unless `sessions_from_facts` (then: distinct activities among the facts).
struct FactFilter {
  PathRange range;
  int64_t from_day = 0;
  int64_t to_day = 0;
  std::optional<std::string> topic;
  std::optional<std::string> type;
};
Result<std::vector<IndicatorRow>> AggregateFacts(store::Connection& c, const FactFilter& filter,
                                                 const std::vector<std::string>& dims);
// Held activities grouped by activity-level `dims` (no person dimensions); fills `sessions`.
Result<std::vector<IndicatorRow>> AggregateSessions(store::Connection& c, const FactFilter& filter,
                                                    const std::vector<std::string>& dims);

// The change log read by the indicator cache (fact_cache.h; migration 0006). MarkChanged bumps
// the counter and logs `activity_id` ("*": reload everything) in the caller's transaction; every
// write function above calls it, so a caller of this file never needs to.
inline constexpr char kEverything[] = "*";
Result<void> MarkChanged(store::Connection& c, const std::string& activity_id);
Result<int64_t> FactVersion(store::Connection& c);
// Distinct activity ids logged in (after, upto]; may contain kEverything.
Result<std::vector<std::string>> ChangedActivities(store::Connection& c, int64_t after, int64_t upto);

// Raw facts for the cache, in activity-id order. `only` restricts to one activity.
struct ActivityFact {
  std::string id;
  std::string org_code;
  std::string org_path;
  std::string commune_code;
  std::string village_code;  // "" when none
  std::string point_code;
  int64_t day = 0;
  std::string type;
  std::string topics;  // comma-separated
  bool held = false;
};
struct NamedFact {
  std::string activity_id;
  std::string person_id;
  std::string sex;
  std::string age_group;
  std::string ethnicity;
  std::string ethnic_group;
  std::optional<double> pre;
  std::optional<double> post;
};
struct TallyFact {
  std::string activity_id;
  std::string sex;
  std::string age_group;
  std::string ethnic_group;
  int64_t count = 0;
};
Result<std::vector<ActivityFact>> LoadActivityFacts(store::Connection& c,
                                                    const std::optional<std::string>& only);
// Pages of at most `limit` rows after the (activity_id, person_id) key `after` (empty: start).
Result<std::vector<NamedFact>> LoadNamedFacts(store::Connection& c, const std::optional<std::string>& only,
                                              const std::pair<std::string, std::string>& after, int64_t limit);
Result<std::vector<TallyFact>> LoadTallyFacts(store::Connection& c, const std::optional<std::string>& only);

}  // namespace khien::reach::repository
