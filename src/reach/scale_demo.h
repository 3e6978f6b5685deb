// A province-sized reach demo (`khien demo --scale N`): every commune of the province from the
// official tree, a few villages and Project 8 points in each, a participant register per
// commune with generated people (names in the styles of the province's main ethnic groups —
// invented combinations, never real persons), and activities of every type and topic from
// 2021 to today with named participants (some attending again and again) and crowd tallies,
// until N participations exist. Also yearly targets per commune and for the province.
//
// Writes with Connection::BulkInsert (SQLite: one prepared statement; PostgreSQL: COPY) in
// transactions of about 50,000 participations, then logs one "reload everything" change for
// the indicator cache. Refuses to run twice on the same database (kConflict). Blocking.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/result.h"
#include "store/database.h"

namespace khien::reach {

struct ScaleOptions {
  int64_t participations = 100000;  // 1 .. 5,000,000
  std::string province = "66";      // Đắk Lắk
  uint64_t seed = 20261128;         // same seed, same people and activities (ids differ)
  std::string today;                // YYYY-MM-DD; default: today in Viet Nam
  // Called after each committed batch with the participations written so far.
  std::function<void(int64_t done, int64_t total)> progress;
};

struct ScaleOutcome {
  int64_t communes = 0;
  int64_t places = 0;  // villages and points created
  int64_t people = 0;
  int64_t activities = 0;
  int64_t named = 0;    // named participations
  int64_t tallied = 0;  // counted participations
};

// Errors: kInvalidInput (N out of range, unknown province), kConflict (already generated),
// database errors.
Result<ScaleOutcome> GenerateScaleDemo(store::Database& db, const ScaleOptions& options);

}  // namespace khien::reach
