// Internal to src/cases: the access decision and helpers shared by service.cc (records,
// referrals, reports, statistics) and followup.cc (tasks, notes, risk, safety plan, closure,
// export, retention). Not for other modules: include cases/service.h instead.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

#include "access/access.h"
#include "base/ids.h"
#include "cases/crypto.h"
#include "cases/repository.h"
#include "cases/service.h"

namespace khien::cases {

enum class Level { kNone, kShared, kSupervisor, kFull };

// What the caller may do with one case, decided from rows read in the same transaction.
struct Grant {
  Level level = Level::kNone;
  std::string why;  // owner | assigned | break_glass | supervisor | referral
  bool identity = false;
  std::optional<repository::ReferralRow> via;  // trusted address: the referral that shares
};

Result<Grant> Decide(store::Connection& c, const access::Principal& caller, const repository::CaseRow& row,
                     int64_t now);

std::string Detail(boost::json::object fields);
bool ValidIdShape(const std::string& id);
std::optional<std::chrono::year_month_day> ParseDate(const std::string& s);
std::chrono::year_month_day TodayInVietnam();  // UTC+7, no daylight saving
std::string FormatDate(std::chrono::year_month_day d);
std::string CommuneOf(const std::string& path);  // "/66/24595/v1/" → "24595"
Error CaseNotFound();
// A closed case is read-only: kConflict with field "case_closed" (a stable marker for clients).
Error CaseClosed();
Result<void> RequireOpen(const repository::CaseRow& row);

// The case as `caller` may see it under `g` (identity only if g.identity).
Result<CaseView> BuildView(store::Connection& c, const MasterKey& key, const repository::CaseRow& row,
                           const Grant& g, const access::Principal& caller);

// Adds tasks, notes, risk, safety plan and closure state to `v` as far as `g` allows
// (followup.cc).
Result<void> AddFollowUp(store::Connection& c, const MasterKey& key, const repository::CaseRow& row,
                         const Grant& g, CaseView& v);

// The one "find the case, decide, deny-audit-and-hide or go on" path of every per-case call.
template <typename T, typename Allowed, typename Fn>
Result<T> CaseService::OnCase(const access::Principal& caller, const std::string& id, std::string_view action,
                              Allowed allowed, Fn fn) {
  const int64_t now = NowMillis();
  bool denied = false;
  auto body = [&](store::Connection& c) -> Result<T> {
    if (!ValidIdShape(id)) {
      denied = true;
      return CaseNotFound();
    }
    auto found = repository::FindCase(c, id);
    if (!found.ok()) {
      denied = found.error().code == ErrorCode::kNotFound;
      return found.take_error();
    }
    repository::CaseRow row = std::move(found).value();
    KHIEN_ASSIGN_OR_RETURN(Grant g, Decide(c, caller, row, now));
    if (!allowed(g)) {
      denied = true;
      return CaseNotFound();
    }
    return fn(c, row, g);
  };
  Result<T> result = [&]() -> Result<T> {
    if constexpr (std::is_void_v<T>) {
      return db_.Write(body);
    } else {
      return store::WriteValue<T>(db_, body);
    }
  }();
  if (denied) {
    KHIEN_RETURN_IF_ERROR(Deny(caller, id, action));
    return CaseNotFound();
  }
  return result;
}

inline bool IsTeam(const Grant& g) { return g.level == Level::kFull; }
inline bool IsTeamOrSupervisor(const Grant& g) { return g.level == Level::kFull || g.level == Level::kSupervisor; }
inline bool AnyGrant(const Grant& g) { return g.level != Level::kNone; }

}  // namespace khien::cases
