// ReachService: record outreach activities, their participants and tallies, targets, and read
// the live indicators. Every call takes the caller; the role must allow it
// (Permission::kRecordReach for writes, kViewReach for reads) and the place must lie in her org
// units. An activity or person outside her scope is kNotFound, exactly like one that does not
// exist; an org code outside her scope given as a filter is kForbidden (org codes are public).
//
// Writes are single transactions: a participant, the register entry and every indicator fact
// commit together, so the next indicator read sees them (no batch job).
//
// Thread-safety: safe from many threads. Blocking (database): never call on an io thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "access/access.h"
#include "base/result.h"
#include "reach/model.h"
#include "store/database.h"

namespace khien::reach {

struct ImportRow;  // spreadsheet.h
class FactCache;   // fact_cache.h

// Where Indicators() gets its numbers: the in-process FactCache (default, fast, always synced
// with the database before it answers) or GROUP BY over the raw tables (the baseline).
enum class IndicatorEngine { kCache, kSql };

struct ActivityDetail {
  Activity activity;
  std::vector<TallyCell> tally;
};

struct ImportOutcome {
  int64_t rows = 0;
  int64_t valid = 0;
  int64_t written = 0;        // 0 on a dry run
  int64_t recognised = 0;     // rows that matched someone already in the register
  bool committed = false;
  struct RowError {
    int64_t line = 0;        // line in the file (1 = header)
    std::string field;
    std::string message_vi;
    std::string message_en;
  };
  std::vector<RowError> errors;
  std::vector<NewParticipant> preview;  // the first 20 valid rows
};

class ReachService {
 public:
  // `now_millis` is the clock (tests pass a fixed one).
  explicit ReachService(store::Database& db, std::function<int64_t()> now_millis = {});
  ~ReachService();

  // Errors: kForbidden (role, or place outside her org units), kNotFound (org code),
  // kInvalidInput (type, topics, date before 2021 or held in the future, place is a province...).
  Result<ActivityDetail> CreateActivity(const access::Principal& caller, NewActivity input);
  Result<ActivityDetail> GetActivity(const access::Principal& caller, const std::string& id);
  Result<std::vector<Activity>> ListActivities(const access::Principal& caller, ActivityFilter filter);
  // Same validation as create; an activity with participants cannot go back to planned.
  Result<ActivityDetail> UpdateActivity(const access::Principal& caller, const std::string& id,
                                        ActivityPatch patch);
  // Removes the activity with its participations and tallies (people stay in the register).
  Result<void> DeleteActivity(const access::Principal& caller, const std::string& id);

  // Records a named participant at a held activity: recognises someone already in the commune's
  // register (same folded name, birth year and village) or registers her, with look-alike
  // suggestions. Errors: kInvalidInput (missing sex, unknown ethnicity, ...), kConflict (already
  // recorded at this activity), kNotFound.
  Result<ParticipantOutcome> AddParticipant(const access::Principal& caller,
                                            const std::string& activity_id, NewParticipant input);
  Result<std::vector<Participation>> ListParticipants(const access::Principal& caller,
                                                      const std::string& activity_id);
  Result<void> RemoveParticipant(const access::Principal& caller, const std::string& activity_id,
                                 const std::string& person_id);
  // Replaces the crowd counts of a held activity. Errors: kInvalidInput (negative count,
  // unknown sex/age group/ethnic group, a cell given twice).
  Result<std::vector<TallyCell>> SetTally(const access::Principal& caller,
                                          const std::string& activity_id,
                                          std::vector<TallyCell> cells);

  Result<Target> SetTarget(const access::Principal& caller, Target target);
  Result<std::vector<Target>> ListTargets(const access::Principal& caller, const std::string& org_code,
                                          int64_t year);

  // Live indicators over the caller's scope (or `query.org_code` inside it).
  Result<IndicatorTable> Indicators(const access::Principal& caller, IndicatorQuery query,
                                    IndicatorEngine engine = IndicatorEngine::kCache);

  // Loads the indicator cache now, so the first dashboard after a start does not wait for it
  // (several seconds at millions of participations). Blocking.
  Result<void> WarmIndicatorCache();
  // The same on a background thread (failures are logged); the destructor waits for it.
  void WarmIndicatorCacheInBackground();

  // Validates the rows of an attendance sheet for activity `activity_id`; with `commit`, writes
  // them in one transaction — all or nothing, or only the valid rows with `valid_only`.
  Result<ImportOutcome> ImportParticipants(const access::Principal& caller,
                                           const std::string& activity_id,
                                           const std::vector<ImportRow>& rows, bool commit,
                                           bool valid_only);

  // Shared validation (used by imports): cleans and checks one participant.
  static Result<NewParticipant> ValidateParticipant(NewParticipant input, int64_t current_year);

  // "YYYY-MM-DD" of today in Vietnam (UTC+7).
  std::string Today() const;

 private:
  Result<ActivityDetail> Detail(store::Connection& c, const std::string& id,
                                const access::Principal& caller);
  Result<void> ValidateActivity(Activity& a) const;
  Result<ParticipantOutcome> AddParticipantIn(store::Connection& c, const Activity& activity,
                                              NewParticipant input);

  store::Database& db_;
  std::function<int64_t()> now_;
  std::unique_ptr<FactCache> cache_;
  std::thread warm_;  // WarmIndicatorCacheInBackground
};

// Checks a "YYYY-MM-DD" calendar date; returns YYYYMMDD.
Result<int64_t> ParseDate(std::string_view date, std::string_view field);

}  // namespace khien::reach
