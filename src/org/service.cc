#include "org/service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "base/embedded.h"
#include "base/text.h"
#include "org/repository.h"
#include "access/access.h"

namespace khien::org {
namespace embedded_units {
extern const EmbeddedFile kFiles[];
extern const size_t kFileCount;
}  // namespace embedded_units

namespace {

constexpr size_t kMaxNameChars = 100;
constexpr size_t kMaxQueryChars = 100;

std::string ChildCode(const std::string& parent, Level level, int64_t number) {
  return parent + (level == Level::kVillage ? "-T" : "-D") + (number < 10 ? "0" : "") +
         std::to_string(number);
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kProvince: return "province";
    case Level::kCommune: return "commune";
    case Level::kVillage: return "village";
    case Level::kPoint: return "point";
  }
  return "point";
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level l : {Level::kProvince, Level::kCommune, Level::kVillage, Level::kPoint}) {
    if (LevelName(l) == name) return l;
  }
  return std::nullopt;
}

std::string_view EmbeddedOfficialUnits() {
  return embedded_units::kFiles[0].contents();
}

struct OrgService::Snapshot {
  std::string version;
  repository::Tree tree;
  std::unordered_map<std::string, size_t> by_code;
  // Position of each unit in (folded name, code) order, so ranking compares integers.
  std::vector<uint32_t> name_order;
  // OrgService::SearchRendered's renderings, one per unit, made once.
  mutable std::once_flag rendered_once;
  mutable std::vector<std::string> rendered;
  mutable std::atomic<bool> rendered_ready{false};  // set (release) once `rendered` is complete
};

OrgService::~OrgService() = default;

void OrgService::Forget() const {
  std::lock_guard lock(mutex_);
  checked_at_ = {};
}

Result<std::shared_ptr<const OrgService::Snapshot>> OrgService::Current() const {
  std::shared_ptr<const Snapshot> current;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    current = snapshot_;
    // Trusted without asking the database for a moment: the busiest public endpoint then
    // costs no query. This process's own additions reset the clock (Forget), so only a unit
    // added by another process can be missing, for at most kRecheck.
    if (current && now - checked_at_ < kRecheck) return current;
  }
  return store::ReadValue<std::shared_ptr<const Snapshot>>(
      db_, [&](store::Connection& c) -> Result<std::shared_ptr<const Snapshot>> {
        KHIEN_ASSIGN_OR_RETURN(std::string version, repository::TreeVersion(c));
        if (current && current->version == version) {
          std::lock_guard lock(mutex_);
          checked_at_ = now;
          return current;
        }
        auto fresh = std::make_shared<Snapshot>();
        fresh->version = version;
        KHIEN_ASSIGN_OR_RETURN(fresh->tree, repository::LoadTree(c));
        const std::vector<OrgUnit>& units = fresh->tree.units;
        const std::vector<std::string>& folds = fresh->tree.name_folds;
        std::vector<uint32_t> sorted(units.size());
        for (size_t i = 0; i < units.size(); ++i) {
          fresh->by_code[units[i].code] = i;
          sorted[i] = static_cast<uint32_t>(i);
        }
        std::sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) {
          return folds[a] != folds[b] ? folds[a] < folds[b] : units[a].code < units[b].code;
        });
        fresh->name_order.resize(units.size());
        for (size_t pos = 0; pos < sorted.size(); ++pos) fresh->name_order[sorted[pos]] = static_cast<uint32_t>(pos);
        std::lock_guard lock(mutex_);
        snapshot_ = fresh;
        checked_at_ = now;
        return std::shared_ptr<const Snapshot>(fresh);
      });
}

Result<std::vector<size_t>> OrgService::Match(const Snapshot& snapshot, SearchQuery& query) const {
  if (query.limit < 1 || query.limit > 200) {
    return Error::InvalidInput("limit", "Giới hạn phải từ 1 đến 200.", "limit must be 1 to 200.");
  }
  KHIEN_ASSIGN_OR_RETURN(query.text, text::CleanInput(query.text));
  if (text::CodePointCount(query.text) > kMaxQueryChars) {
    return Error::InvalidInput("q", "Từ khoá tìm kiếm quá dài.", "The search text is too long.");
  }
  const repository::Tree& tree = snapshot.tree;
  const std::string needle = text::Fold(query.text);
  std::string within_first, within_second;
  if (query.within) {
    auto it = snapshot.by_code.find(*query.within);
    if (it == snapshot.by_code.end()) return std::vector<size_t>{};
    std::tie(within_first, within_second) = access::SubtreeRange(tree.units[it->second].path);
  }
  const bool provinces_only = needle.empty() && !query.parent && !query.within && !query.level;
  // Exact matches first, then prefixes, then the rest; higher levels first; then by name.
  struct Hit {
    int rank;
    uint32_t order;
    size_t index;
  };
  std::vector<Hit> hits;
  for (size_t i = 0; i < tree.units.size(); ++i) {
    const OrgUnit& u = tree.units[i];
    const std::string& fold = tree.name_folds[i];
    if (query.parent && u.parent_code != query.parent) continue;
    if (query.within && !(u.path >= within_first && u.path < within_second)) continue;
    if (query.level && u.level != *query.level) continue;
    if (provinces_only && u.level != Level::kProvince) continue;
    int rank = 0;
    if (!needle.empty()) {
      const size_t at = fold.find(needle);
      if (at == std::string::npos) continue;
      rank = fold.size() == needle.size() ? 0 : (at == 0 ? 1 : 2);
    }
    hits.push_back({rank * 4 + static_cast<int>(u.level), snapshot.name_order[i], i});
  }
  const size_t n = std::min(hits.size(), static_cast<size_t>(query.limit));
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n), hits.end(),
                    [](const Hit& a, const Hit& b) {
                      return a.rank != b.rank ? a.rank < b.rank : a.order < b.order;
                    });
  std::vector<size_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = hits[i].index;
  return out;
}

Result<std::vector<OrgUnit>> OrgService::Search(SearchQuery query) const {
  KHIEN_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, Current());
  KHIEN_ASSIGN_OR_RETURN(std::vector<size_t> found, Match(*snapshot, query));
  std::vector<OrgUnit> out;
  out.reserve(found.size());
  for (size_t i : found) out.push_back(snapshot->tree.units[i]);
  return out;
}

Result<OrgService::Rendered> OrgService::SearchRendered(SearchQuery query, const Renderer& render) const {
  KHIEN_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, Current());
  KHIEN_ASSIGN_OR_RETURN(std::vector<size_t> found, Match(*snapshot, query));
  std::call_once(snapshot->rendered_once, [&] {
    snapshot->rendered.reserve(snapshot->tree.units.size());
    for (const OrgUnit& u : snapshot->tree.units) snapshot->rendered.push_back(render(u));
    snapshot->rendered_ready.store(true, std::memory_order_release);
  });
  Rendered out;
  out.items.reserve(found.size());
  for (size_t i : found) out.items.emplace_back(snapshot->rendered[i]);
  out.keep_alive = std::move(snapshot);
  return out;
}

std::optional<Result<OrgService::Rendered>> OrgService::TrySearchRendered(SearchQuery query) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    if (!snapshot_ || std::chrono::steady_clock::now() - checked_at_ >= kRecheck) return std::nullopt;
    snapshot = snapshot_;
  }
  // Until a worker has rendered this version, the worker path answers.
  if (!snapshot->rendered_ready.load(std::memory_order_acquire)) return std::nullopt;
  Result<std::vector<size_t>> found = Match(*snapshot, query);
  if (!found.ok()) return Result<Rendered>(found.take_error());
  Rendered out;
  out.items.reserve(found->size());
  for (size_t i : *found) out.items.emplace_back(snapshot->rendered[i]);
  out.keep_alive = std::move(snapshot);
  return Result<Rendered>(std::move(out));
}

Result<OrgUnit> OrgService::Get(std::string_view code) const {
  KHIEN_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, Current());
  auto it = snapshot->by_code.find(std::string(code));
  if (it == snapshot->by_code.end()) {
    return Error::NotFound("Không tìm thấy đơn vị hành chính.", "Administrative unit not found.");
  }
  return snapshot->tree.units[it->second];
}

Result<OrgUnit> OrgService::Create(const access::Principal& caller, NewOrgUnit input) {
  if (!caller.Can(access::Permission::kManageOrgUnits)) return Error::Forbidden();
  KHIEN_ASSIGN_OR_RETURN(input.name, text::CleanInput(input.name));
  if (input.name.empty() || text::CodePointCount(input.name) > kMaxNameChars) {
    return Error::InvalidInput("name", "Tên phải có từ 1 đến 100 ký tự.",
                               "The name must have 1 to 100 characters.");
  }
  if (input.level != Level::kVillage && input.level != Level::kPoint) {
    return Error::InvalidInput("level", "Chỉ có thể thêm thôn/buôn hoặc điểm.",
                               "Only villages and points can be added.");
  }
  if (input.level == Level::kPoint) {
    if (!input.kind ||
        std::find(std::begin(kPointKinds), std::end(kPointKinds), *input.kind) == std::end(kPointKinds)) {
      return Error::InvalidInput("kind", "Loại điểm không hợp lệ.", "Unknown kind of point.");
    }
  } else if (input.kind) {
    return Error::InvalidInput("kind", "Thôn/buôn không có loại điểm.", "A village has no kind.");
  }

  Result<OrgUnit> created = store::WriteValue<OrgUnit>(db_, [&](store::Connection& c) -> Result<OrgUnit> {
    KHIEN_ASSIGN_OR_RETURN(OrgUnit parent, repository::FindByCode(c, input.parent));
    if (!caller.Covers(parent.path)) return Error::Forbidden();
    const bool parent_ok = input.level == Level::kVillage
                               ? parent.level == Level::kCommune
                               : (parent.level == Level::kCommune || parent.level == Level::kVillage);
    if (!parent_ok) {
      return Error::InvalidInput("parent",
                                 "Thôn/buôn phải thuộc một xã; điểm phải thuộc một xã hoặc thôn.",
                                 "A village belongs to a commune; a point to a commune or village.");
    }
    KHIEN_ASSIGN_OR_RETURN(int64_t siblings, repository::CountChildren(c, parent.code));
    OrgUnit unit;
    unit.parent_code = parent.code;
    unit.level = input.level;
    unit.kind = input.kind;
    unit.name = input.name;
    unit.full_name = input.name;
    unit.name_en = input.name;
    // Codes of deleted siblings are never reused: try the next number on a clash.
    for (int64_t n = siblings + 1;; ++n) {
      unit.code = ChildCode(parent.code, input.level, n);
      KHIEN_ASSIGN_OR_RETURN(store::Rows taken,
                             c.Query("SELECT 1 FROM org_units WHERE code = $1", {unit.code}));
      if (taken.empty()) break;
    }
    unit.path = parent.path + unit.code + "/";
    KHIEN_RETURN_IF_ERROR(repository::Insert(c, unit, caller.user_id));
    return repository::FindByCode(c, unit.code);
  });
  if (created.ok()) Forget();
  return created;
}

Result<int> OrgService::ImportOfficialUnits(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_array()) {
    return Error::InvalidInput("", "Tệp đơn vị hành chính không hợp lệ.",
                               "The administrative units file is not valid.");
  }
  auto field = [](const boost::json::object& o, const char* key) -> std::string {
    const boost::json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  std::vector<OrgUnit> units;
  for (const boost::json::value& p : doc.as_array()) {
    if (!p.is_object()) continue;
    const auto& province = p.as_object();
    OrgUnit u;
    u.code = field(province, "Code");
    u.level = Level::kProvince;
    u.name = text::ToNfc(field(province, "Name"));
    u.full_name = text::ToNfc(field(province, "FullName"));
    u.name_en = field(province, "NameEn");
    u.path = "/" + u.code + "/";
    if (u.code.empty() || u.name.empty()) continue;
    units.push_back(u);
    const boost::json::value* wards = province.if_contains("Wards");
    if (!wards || !wards->is_array()) continue;
    for (const boost::json::value& w : wards->as_array()) {
      if (!w.is_object()) continue;
      OrgUnit c;
      c.code = field(w.as_object(), "Code");
      c.parent_code = u.code;
      c.level = Level::kCommune;
      c.name = text::ToNfc(field(w.as_object(), "Name"));
      c.full_name = text::ToNfc(field(w.as_object(), "FullName"));
      c.name_en = field(w.as_object(), "NameEn");
      c.path = u.path + c.code + "/";
      if (!c.code.empty() && !c.name.empty()) units.push_back(std::move(c));
    }
  }
  Result<int> added = store::WriteValue<int>(db_, [&](store::Connection& c) -> Result<int> {
    KHIEN_ASSIGN_OR_RETURN(auto existing, repository::AllCodes(c));
    std::vector<OrgUnit> missing;
    for (OrgUnit& u : units) {
      if (!existing.contains(u.code)) missing.push_back(std::move(u));
    }
    if (!missing.empty()) KHIEN_RETURN_IF_ERROR(repository::InsertMany(c, missing));
    return static_cast<int>(missing.size());
  });
  Forget();  // whatever the outcome, the next read asks the database
  return added;
}

}  // namespace khien::org
