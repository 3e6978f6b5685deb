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

}  // namespace khien::reach::repository
