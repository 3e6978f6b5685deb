#include "reach/indicators.h"

#include <algorithm>
#include <functional>
#include <map>

#include "reach/fact_cache.h"

namespace khien::reach {
namespace {

bool IsPersonDim(const std::string& d) {
  return d == "sex" || d == "age_group" || d == "ethnicity" || d == "ethnic_group";
}

std::vector<std::string> KeyOf(const IndicatorRow& row, const std::vector<std::string>& dims) {
  std::vector<std::string> key;
  for (const std::string& d : dims) key.push_back(row.keys.at(d));
  return key;
}

int64_t Value(const IndicatorRow& r, const std::string& indicator) {
  if (indicator == "participations") return r.participations;
  if (indicator == "unique_people") return r.unique_people;
  if (indicator == "women") return r.women;
  if (indicator == "minority_women") return r.minority_women;
  return r.sessions;
}

}  // namespace

std::vector<std::string> SplitList(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string item(list.substr(start, comma - start));
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

Result<std::vector<std::string>> NormaliseDimensions(const std::vector<std::string>& by) {
  std::vector<std::string> out;
  for (std::string d : by) {
    if (d.starts_with("period:")) d = d.substr(7);
    if (d.starts_with("org_level:")) d = d.substr(10);
    if (d == "period") d = "month";
    if (std::find(std::begin(kDimensions), std::end(kDimensions), d) == std::end(kDimensions)) {
      return Error::InvalidInput("by", "Chiều phân tổ không hợp lệ: " + d + ".", "Unknown breakdown: " + d + ".");
    }
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  }
  if (out.size() > 4) {
    return Error::InvalidInput("by", "Tối đa 4 chiều phân tổ.", "At most 4 breakdowns.");
  }
  return out;
}

namespace {

// The rows of a table from the fact aggregates and the sessions (table.total is already set).
Result<void> Assemble(IndicatorTable& table, std::vector<IndicatorRow> facts,
                      const std::function<Result<std::vector<IndicatorRow>>(const std::vector<std::string>&)>& sessions_by) {
  const std::vector<std::string>& dims = table.by;
  if (dims.empty()) {
    table.rows.push_back(table.total);
    return {};
  }
  if (std::any_of(dims.begin(), dims.end(), IsPersonDim)) {
    table.rows = std::move(facts);
    return {};
  }
  // Activity-level breakdown: sessions come from the activities, so places and months with
  // sessions but nobody recorded still appear.
  KHIEN_ASSIGN_OR_RETURN(std::vector<IndicatorRow> sessions, sessions_by(dims));
  std::map<std::vector<std::string>, IndicatorRow> merged;
  for (IndicatorRow& r : facts) {
    r.sessions = 0;
    auto key = KeyOf(r, dims);
    merged.emplace(std::move(key), std::move(r));
  }
  for (const IndicatorRow& s : sessions) {
    auto key = KeyOf(s, dims);
    auto it = merged.find(key);
    if (it == merged.end()) it = merged.emplace(key, s).first;
    it->second.sessions = s.sessions;
  }
  for (auto& [key, row] : merged) table.rows.push_back(std::move(row));
  return {};
}

}  // namespace

Result<IndicatorTable> ComputeIndicators(store::Connection& c, const repository::FactFilter& filter,
                                         const std::vector<std::string>& dims, FactCache* cache,
                                         IndicatorTable* by_year) {
  IndicatorTable table;
  table.by = dims;
  auto sessions_by = [&](const std::vector<std::string>& d) {
    return cache ? cache->AggregateSessions(c, filter, d) : repository::AggregateSessions(c, filter, d);
  };
  std::vector<IndicatorRow> facts, year_facts;
  if (cache) {
    KHIEN_ASSIGN_OR_RETURN(FactCache::Facts f, cache->AggregateFacts(c, filter, dims, by_year != nullptr));
    facts = std::move(f.rows);
    table.total = std::move(f.total);
    year_facts = std::move(f.years);
  } else {
    KHIEN_ASSIGN_OR_RETURN(facts, repository::AggregateFacts(c, filter, dims));
    KHIEN_ASSIGN_OR_RETURN(std::vector<IndicatorRow> totals, repository::AggregateFacts(c, filter, {}));
    if (!totals.empty()) table.total = totals.front();
  }
  KHIEN_ASSIGN_OR_RETURN(std::vector<IndicatorRow> total_sessions, sessions_by({}));
  table.total.sessions = total_sessions.empty() ? 0 : total_sessions.front().sessions;
  if (by_year) {
    if (cache) {
      *by_year = IndicatorTable{};
      by_year->by = {"year"};
      by_year->total = table.total;
      KHIEN_RETURN_IF_ERROR(Assemble(*by_year, std::move(year_facts), sessions_by));
    } else {
      KHIEN_ASSIGN_OR_RETURN(*by_year, ComputeIndicators(c, filter, {"year"}));
    }
  }
  KHIEN_RETURN_IF_ERROR(Assemble(table, std::move(facts), sessions_by));
  return table;
}

std::vector<TargetProgress> TargetProgressFrom(const IndicatorTable& by_year, const std::vector<Target>& targets) {
  std::vector<TargetProgress> out;
  for (const Target& t : targets) {
    TargetProgress p{t.indicator, t.year, t.value, 0};
    for (const IndicatorRow& r : by_year.rows) {
      if (r.keys.at("year") == std::to_string(t.year)) p.actual = Value(r, t.indicator);
    }
    out.push_back(p);
  }
  return out;
}

Result<std::vector<TargetProgress>> TargetProgressFor(store::Connection& c,
                                                      const repository::FactFilter& filter,
                                                      const std::vector<Target>& targets,
                                                      FactCache* cache) {
  if (targets.empty()) return std::vector<TargetProgress>{};
  KHIEN_ASSIGN_OR_RETURN(IndicatorTable by_year, ComputeIndicators(c, filter, {"year"}, cache));
  return TargetProgressFrom(by_year, targets);
}

}  // namespace khien::reach
