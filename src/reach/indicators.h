// Indicator tables: which breakdowns exist, and how one table is assembled from the fact
// aggregates (participations and tallies) and the session counts (held activities).
//
// Definitions (docs in the OpenAPI description too):
//  - sessions: held activities; with a person breakdown (sex, age, ethnicity), the held
//    activities that reached someone in that cell;
//  - participations: named participations + tallied heads; unique_people: distinct named people;
//  - women, minority_women, children_under_16, children_under_18: participations in those groups
//    (age at the activity's year);
//  - knowledge_gain: mean (post − pre) over named participations with both scores;
//  - by topic: an activity with two topics counts in both rows (rows do not add up to the total).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "reach/model.h"
#include "reach/repository.h"
#include "store/database.h"

namespace khien::reach {

// Accepts names from kDimensions, "period:month|quarter|year" and "org_level:commune|village|
// point", drops repeats. Errors: kInvalidInput naming the unknown dimension; more than 4.
Result<std::vector<std::string>> NormaliseDimensions(const std::vector<std::string>& by);

// Splits "sex,ethnicity" at commas (spaces trimmed).
std::vector<std::string> SplitList(std::string_view list);

class FactCache;

// With `cache`, the aggregates come from the in-process FactCache (synced in `c`'s snapshot);
// without, from GROUP BY over the raw tables (the reference the cache is tested against).
// Both give the same table. With `by_year`, also fills it with the table by {"year"} (what target
// progress needs): from the same scan with the cache, by a second GROUP BY without.
Result<IndicatorTable> ComputeIndicators(store::Connection& c, const repository::FactFilter& filter,
                                         const std::vector<std::string>& dims, FactCache* cache = nullptr,
                                         IndicatorTable* by_year = nullptr);

// Actual values per target year, each year clipped to the filter's dates.
Result<std::vector<TargetProgress>> TargetProgressFor(store::Connection& c,
                                                      const repository::FactFilter& filter,
                                                      const std::vector<Target>& targets,
                                                      FactCache* cache = nullptr);
// The same from a table by {"year"} already computed for the filter.
std::vector<TargetProgress> TargetProgressFrom(const IndicatorTable& by_year, const std::vector<Target>& targets);

}  // namespace khien::reach
