// FactCache: an in-process columnar copy of the reach facts (activities, named participations,
// crowd tallies) that answers indicator queries by scanning arrays in C++ instead of running
// GROUP BY over millions of rows. The database stays the truth: the cache only ever holds what
// the tables hold, and repository::AggregateFacts / AggregateSessions remain the reference
// (tests compare both on generated data; `engine=sql` on the API runs the SQL path).
//
// Freshness: every reach write bumps a counter row and logs the changed activity in the same
// transaction (migration 0006, repository::MarkChanged). Each query first reads the counter in
// its own snapshot; if it moved, the cache reloads just the logged activities (or everything
// after a bulk load), so a participant recorded a moment ago — by this process or another
// `serve` on the same PostgreSQL — is counted by the next query.
//
// Layout (about 20 bytes per participation):
//  - activities as "slots" (place, day, type, topic bits, held); a changed activity gets a new
//    slot and its old one is marked dead;
//  - per slot, its named facts and tally cells added up per attribute combination (sex, age,
//    ethnicity): participations, women, children and knowledge gains are sums, so a slot with
//    40 participants is a handful of entries ("activity order"); distinct sessions per cell come
//    from the last slot seen per cell;
//  - named facts sorted by person: distinct people per cell (last-person-seen per cell), which
//    is what GROUP BY cannot add up across periods or places.
// A query scans both arrays once, split over two threads (halves of the slots and of the people),
// and can fill the by-year table that target progress needs in the same scan.
//
// Thread-safety: safe from many threads; one query computes at a time (a mutex), which on a
// 2-core machine costs little (the query itself uses both cores) and keeps the arrays simple.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "reach/model.h"
#include "reach/repository.h"
#include "store/database.h"

namespace khien::reach {

class FactCache {
 public:
  // `threads`: how many threads one query may use (1 or 2). Below `parallel_min_entries` facts a
  // query stays on one thread (starting one costs more than it saves); tests pass 0.
  explicit FactCache(int threads = 2, size_t parallel_min_entries = 200000);
  ~FactCache();
  FactCache(const FactCache&) = delete;
  FactCache& operator=(const FactCache&) = delete;

  struct Facts {
    std::vector<IndicatorRow> rows;  // as repository::AggregateFacts(filter, dims)
    IndicatorRow total;              // as repository::AggregateFacts(filter, {}) (zeros if none)
    std::vector<IndicatorRow> years;  // as repository::AggregateFacts(filter, {"year"}), if asked
  };

  // Brings the cache up to date in `c`'s snapshot, then aggregates. `dims` are validated names
  // (NormaliseDimensions). With `with_years`, also fills Facts::years from the same scan.
  // Errors: those of the database reads.
  Result<Facts> AggregateFacts(store::Connection& c, const repository::FactFilter& filter,
                               const std::vector<std::string>& dims, bool with_years = false);
  // As repository::AggregateSessions (activity-level dims only).
  Result<std::vector<IndicatorRow>> AggregateSessions(store::Connection& c,
                                                      const repository::FactFilter& filter,
                                                      const std::vector<std::string>& dims);

  // Loads everything now (e.g. at server start) so the first query does not pay for it.
  Result<void> Sync(store::Connection& c);

  // Counts for tests and logs.
  struct Stats {
    int64_t version = 0;
    int64_t activities = 0;
    int64_t named = 0;
    int64_t tallies = 0;
    int64_t people = 0;
    int64_t full_loads = 0;
    int64_t partial_loads = 0;
    int64_t count_entries = 0;  // live (slot, attributes) sums in activity order
  };
  Stats stats() const;

 struct State;  // the arrays; defined in fact_cache.cc

 private:
  Result<void> SyncLocked(store::Connection& c);

  const int threads_;
  const size_t parallel_min_entries_;

  mutable std::mutex mutex_;
  std::unique_ptr<State> state_;  // GUARDED_BY(mutex_)
};

}  // namespace khien::reach
