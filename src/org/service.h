// OrgService: browse, search and extend the administrative tree.
//
// The tree is public data (the anonymous report form needs it), so Search and Get take no
// caller; Create checks the caller's role and scope.
//
// Search and Get answer from an in-memory copy of the tree (a few thousand units), checked
// against the database's tree version at most every 250 ms: a unit this process adds is seen
// at once, one added by another process within 250 ms. This is the one deliberate "load, then filter in C++": the tree is public,
// unscoped reference data, and searching it is the hottest public endpoint.
//
// Thread-safety: safe from many threads. Blocking (database).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/access.h"
#include "base/result.h"
#include "org/model.h"
#include "store/database.h"

namespace khien::org {

class OrgService {
 public:
  explicit OrgService(store::Database& db) : db_(db) {}
  ~OrgService();

  // Units whose folded name contains the folded query text; exact and prefix matches first.
  // With parent: its direct children. With neither text nor parent: the provinces.
  // Errors: kInvalidInput (bad limit, query over 100 characters).
  Result<std::vector<OrgUnit>> Search(SearchQuery query) const;

  // The same search, answered without copying units: each hit as its rendering by `render`
  // (the API's JSON). Renderings are made once per tree version, for the whole tree, the first
  // time they are asked for, and reused until the tree changes: this is the hottest public
  // endpoint. `render` must give the same string for the same unit every time.
  struct Rendered {
    std::shared_ptr<const void> keep_alive;  // owns the strings `items` point into
    std::vector<std::string_view> items;
  };
  using Renderer = std::function<std::string(const OrgUnit&)>;
  Result<Rendered> SearchRendered(SearchQuery query, const Renderer& render) const;
  // The same, only if it can be answered from memory without blocking (the copy of the tree
  // was checked within the last 250 ms and is rendered); otherwise nullopt.
  std::optional<Result<Rendered>> TrySearchRendered(SearchQuery query) const;

  // Error kNotFound for an unknown code.
  Result<OrgUnit> Get(std::string_view code) const;

  // Adds a village under a commune, or a point under a commune or village.
  // Errors: kForbidden (role, or parent outside the caller's org units), kNotFound (parent),
  // kInvalidInput (level/parent mismatch, empty or long name, unknown kind).
  Result<OrgUnit> Create(const access::Principal& caller, NewOrgUnit unit);

  // Loads the official provinces and communes from the reference JSON (the shipped
  // share/admin-units/vn_units_2026.json format). Idempotent: returns how many were added.
  Result<int> ImportOfficialUnits(std::string_view json);

 private:
  struct Snapshot;
  // The current copy of the tree, reloaded when the database's version differs.
  Result<std::shared_ptr<const Snapshot>> Current() const;
  // Indexes into the snapshot's units, best first.
  Result<std::vector<size_t>> Match(const Snapshot& snapshot, SearchQuery& query) const;

  // After a write of this process: the next call checks the database's version.
  void Forget() const;

  static constexpr std::chrono::milliseconds kRecheck{250};
  store::Database& db_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Snapshot> snapshot_;           // GUARDED_BY(mutex_)
  mutable std::chrono::steady_clock::time_point checked_at_;  // GUARDED_BY(mutex_)
};

// The shipped reference list, embedded in the binary.
std::string_view EmbeddedOfficialUnits();

}  // namespace khien::org
