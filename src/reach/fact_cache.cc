#include "reach/fact_cache.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>

namespace khien::reach {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kSkip = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kDenseGroups = uint64_t{1} << 17;  // above: a hash map of cells
constexpr int64_t kPageRows = 100000;
constexpr size_t kTopicCount = std::size(kTopics);

// Small integers for the few distinct strings of a column; 0 is "".
class Interner {
 public:
  Interner() { Get(""); }
  uint32_t Get(const std::string& s) {
    auto [it, added] = index_.try_emplace(s, static_cast<uint32_t>(names_.size()));
    if (added) names_.push_back(s);
    return it->second;
  }
  std::optional<uint32_t> Find(const std::string& s) const {
    auto it = index_.find(s);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  const std::string& Name(uint64_t i) const { return names_[i]; }
  size_t size() const { return names_.size(); }

 private:
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<std::string> names_;
};

uint16_t TopicBits(const std::string& topics) {
  uint16_t bits = 0;
  size_t start = 0;
  while (start <= topics.size()) {
    size_t comma = topics.find(',', start);
    if (comma == std::string::npos) comma = topics.size();
    const std::string_view t(topics.data() + start, comma - start);
    for (size_t i = 0; i < kTopicCount; ++i) {
      if (kTopics[i] == t) bits = static_cast<uint16_t>(bits | (1u << i));
    }
    start = comma + 1;
  }
  return bits;
}

// One indicator cell while scanning.
struct Cell {
  int64_t participations = 0;
  int64_t named = 0;
  int64_t unique = 0;
  int64_t women = 0;
  int64_t minority_women = 0;
  int64_t under_16 = 0;
  int64_t under_18 = 0;
  int64_t sessions = 0;
  int64_t gain_n = 0;
  double gain_sum = 0;
  uint32_t last_slot = kNone;    // facts of a slot are contiguous: distinct sessions
  uint32_t last_person = kNone;  // facts of a person are contiguous: distinct people
};

enum class Dim { kSex, kAge, kEthnicity, kEthnicGroup, kTopic, kType, kMonth, kQuarter, kYear, kCommune, kVillage, kPoint };

Dim DimOf(const std::string& d) {
  if (d == "sex") return Dim::kSex;
  if (d == "age_group") return Dim::kAge;
  if (d == "ethnicity") return Dim::kEthnicity;
  if (d == "ethnic_group") return Dim::kEthnicGroup;
  if (d == "topic") return Dim::kTopic;
  if (d == "type") return Dim::kType;
  if (d == "month") return Dim::kMonth;
  if (d == "quarter") return Dim::kQuarter;
  if (d == "year") return Dim::kYear;
  if (d == "commune") return Dim::kCommune;
  if (d == "village") return Dim::kVillage;
  return Dim::kPoint;
}

bool IsPerson(Dim d) { return d == Dim::kSex || d == Dim::kAge || d == Dim::kEthnicity || d == Dim::kEthnicGroup; }

}  // namespace

struct FactCache::State {
  struct Attr {
    uint32_t sex, age, eth, egrp;
    bool woman, minority_woman, under_16, under_18;
  };
  // The facts of one slot with one attribute combination, added up.
  struct Count {
    uint16_t attr;
    uint32_t n;      // participations: named facts + tallied heads
    uint32_t named;
    uint32_t gain_n;
    double gain_sum;  // post − pre over named facts with both scores
  };
  // Entries added up over their attribute combinations: a slot's sum is what the total, the
  // by-year table and breakdowns without a person column need (one addition per slot, not per
  // entry); one entry's is what a cell of a person breakdown gets.
  struct SlotSum {
    int64_t n = 0, named = 0, women = 0, minority_women = 0, under_16 = 0, under_18 = 0, gain_n = 0;
    double gain_sum = 0;
    void Add(const Attr& a, const Count& c) {
      n += c.n;
      named += c.named;
      women += a.woman ? c.n : 0;
      minority_women += a.minority_woman ? c.n : 0;
      under_16 += a.under_16 ? c.n : 0;
      under_18 += a.under_18 ? c.n : 0;
      gain_n += c.gain_n;
      gain_sum += c.gain_sum;
    }
  };
  struct Slot {
    uint32_t org, commune, village, point;
    int64_t day;
    uint32_t type;
    uint16_t topics;
    bool held;
    bool live;
    uint32_t count_begin, count_end;  // its entries in `counts`
    uint32_t named, tallies;          // named facts and tally rows (stats, stale facts)
    SlotSum sum;                      // of counts[count_begin, count_end)
  };
  struct PersonFact {
    uint32_t person;
    uint32_t slot;
    uint16_t attr;
  };

  int64_t version = -1;
  Interner orgs, types, sexes, ages, eths, egrps;
  std::vector<std::string> org_paths = {""};  // by org index; "" when only seen as commune/village/point
  std::vector<Attr> attrs;
  std::unordered_map<uint64_t, uint16_t> attr_index;
  std::vector<Slot> slots;
  std::unordered_map<std::string, uint32_t> slot_of;  // live slot of an activity id
  std::unordered_map<std::string, uint32_t> person_of;
  // Activity order: each slot's entries contiguous, slots in order.
  std::vector<Count> counts;
  // Person order, and facts loaded since the last merge.
  std::vector<PersonFact> by_person;
  std::vector<PersonFact> pending;
  int64_t dead_counts = 0;    // entries of dead slots still in `counts`
  int64_t stale_people = 0;   // facts of dead slots still in `by_person` (at most)
  int64_t full_loads = 0;
  int64_t partial_loads = 0;

  uint32_t Org(const std::string& code) {
    const uint32_t i = orgs.Get(code);
    if (org_paths.size() < orgs.size()) org_paths.resize(orgs.size());
    return i;
  }

  uint16_t AttrOf(const std::string& sex, const std::string& age, const std::string& eth, const std::string& egrp) {
    const uint32_t s = sexes.Get(sex), a = ages.Get(age), e = eths.Get(eth), g = egrps.Get(egrp);
    const uint64_t key = (uint64_t{s} << 48) | (uint64_t{a} << 32) | (uint64_t{e} << 16) | g;
    auto it = attr_index.find(key);
    if (it != attr_index.end()) return it->second;
    const bool woman = sex == "female";
    attrs.push_back({s, a, e, g, woman, woman && egrp == "minority", age == "under_16",
                     age == "under_16" || age == "16_17"});
    const auto index = static_cast<uint16_t>(attrs.size() - 1);
    attr_index.emplace(key, index);
    return index;
  }

  uint32_t AddSlot(const repository::ActivityFact& a) {
    if (auto it = slot_of.find(a.id); it != slot_of.end()) Kill(it->second);
    Slot s{};
    s.org = Org(a.org_code);
    org_paths[s.org] = a.org_path;
    s.commune = Org(a.commune_code);
    s.village = Org(a.village_code);
    s.point = Org(a.point_code);
    s.day = a.day;
    s.type = types.Get(a.type);
    s.topics = TopicBits(a.topics);
    s.held = a.held;
    s.live = true;
    s.count_begin = s.count_end = static_cast<uint32_t>(counts.size());
    slots.push_back(s);
    const auto index = static_cast<uint32_t>(slots.size() - 1);
    slot_of[a.id] = index;
    return index;
  }

  void Kill(uint32_t slot) {
    Slot& s = slots[slot];
    if (!s.live) return;
    s.live = false;
    dead_counts += s.count_end - s.count_begin;
    stale_people += s.named;
  }

  // A named fact: its person-order entry now, its sum via `sums` (LoadFacts).
  uint16_t AddPerson(uint32_t slot, const repository::NamedFact& f) {
    const uint16_t attr = AttrOf(f.sex, f.age_group, f.ethnicity, f.ethnic_group);
    auto [it, added] = person_of.try_emplace(f.person_id, static_cast<uint32_t>(person_of.size()));
    pending.push_back({it->second, slot, attr});
    ++slots[slot].named;
    return attr;
  }

  // Folds the pending facts into the person-ordered array. New people sort after everyone
  // (person numbers grow), so a participant or an import of new people is an append; otherwise
  // (or once facts of dead slots are an eighth) the array is rewritten without dead facts.
  void Merge() {
    // Room for an eighth more facts, so that the next participants are appends, not a copy of
    // every fact into a larger array (at 5 M that copy was most of the next query's time).
    const auto room = [](std::vector<PersonFact>& v, size_t n) { v.reserve(n + n / 8 + 1024); };
    auto by_key = [](const PersonFact& a, const PersonFact& b) {
      return a.person != b.person ? a.person < b.person : a.slot < b.slot;
    };
    auto dead = [&](const PersonFact& f) { return !slots[f.slot].live; };
    pending.erase(std::remove_if(pending.begin(), pending.end(), dead), pending.end());
    std::sort(pending.begin(), pending.end(), by_key);
    const bool appends = pending.empty() || by_person.empty() || by_key(by_person.back(), pending.front());
    if (appends && stale_people * 8 <= static_cast<int64_t>(by_person.size())) {
      if (by_person.capacity() < by_person.size() + pending.size()) room(by_person, by_person.size() + pending.size());
      by_person.insert(by_person.end(), pending.begin(), pending.end());
    } else {
      std::vector<PersonFact> out;
      room(out, by_person.size() + pending.size());
      size_t i = 0, j = 0;
      while (i < by_person.size() || j < pending.size()) {
        const bool take_old = j == pending.size() || (i < by_person.size() && by_key(by_person[i], pending[j]));
        const PersonFact& f = take_old ? by_person[i++] : pending[j++];
        if (!dead(f)) out.push_back(f);
      }
      by_person.swap(out);
      stale_people = 0;
    }
    pending.clear();
    pending.shrink_to_fit();
  }

  // After a full load (every fact still pending): renumbers slots by (commune, day) and people by
  // their first slot. A person attends in her own commune, so the person scan then reads one
  // commune's few thousand slot keys at a time (they stay in cache) instead of jumping over all.
  void Reorder() {
    std::vector<uint32_t> order(slots.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return slots[a].commune != slots[b].commune ? slots[a].commune < slots[b].commune : slots[a].day < slots[b].day;
    });
    std::vector<uint32_t> new_slot(slots.size());
    std::vector<Slot> ns;
    ns.reserve(slots.size());
    std::vector<Count> nc;
    nc.reserve(counts.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
      new_slot[order[i]] = i;
      Slot slot = slots[order[i]];
      const auto begin = static_cast<uint32_t>(nc.size());
      nc.insert(nc.end(), counts.begin() + slot.count_begin, counts.begin() + slot.count_end);
      slot.count_begin = begin;
      slot.count_end = static_cast<uint32_t>(nc.size());
      ns.push_back(slot);
    }
    slots.swap(ns);
    counts.swap(nc);
    for (auto& [id, slot] : slot_of) slot = new_slot[slot];
    std::vector<uint32_t> first(person_of.size(), kNone);
    for (PersonFact& f : pending) {
      f.slot = new_slot[f.slot];
      first[f.person] = std::min(first[f.person], f.slot);
    }
    std::vector<uint32_t> people(person_of.size());
    std::iota(people.begin(), people.end(), 0u);
    std::stable_sort(people.begin(), people.end(), [&](uint32_t a, uint32_t b) { return first[a] < first[b]; });
    std::vector<uint32_t> new_person(people.size());
    for (uint32_t i = 0; i < people.size(); ++i) new_person[people[i]] = i;
    for (auto& [id, person] : person_of) person = new_person[person];
    for (PersonFact& f : pending) f.person = new_person[f.person];
  }

  // Rewrites the activity-ordered sums without dead slots' entries once they are a third.
  void CompactIfWasteful() {
    const auto live = static_cast<int64_t>(counts.size()) - dead_counts;
    if (dead_counts < 100000 || dead_counts * 2 < live) return;
    std::vector<Count> out;
    out.reserve(static_cast<size_t>(live));
    for (Slot& s : slots) {
      const auto begin = static_cast<uint32_t>(out.size());
      if (s.live) out.insert(out.end(), counts.begin() + s.count_begin, counts.begin() + s.count_end);
      s.count_begin = begin;
      s.count_end = static_cast<uint32_t>(out.size());
    }
    counts.swap(out);
    dead_counts = 0;
  }
};

namespace {

using State = FactCache::State;

// Adds up the facts of the slots being loaded per attribute combination; Flush appends each
// slot's sums contiguously (named facts and tallies arrive in two passes).
class Sums {
 public:
  Sums(State& s, uint32_t first_slot, size_t slots) : s_(s), first_(first_slot), per_slot_(slots) {}

  void Add(uint32_t slot, uint16_t attr, uint32_t n, bool named, double gain) {
    const uint32_t local = slot - first_;
    if (local != current_) Select(local);
    if (pos_.size() <= attr) pos_.resize(attr + size_t{1}, kNone);
    std::vector<State::Count>& v = per_slot_[local];
    if (pos_[attr] == kNone) {
      pos_[attr] = static_cast<uint32_t>(v.size());
      v.push_back({attr, 0, 0, 0, 0});
    }
    State::Count& c = v[pos_[attr]];
    c.n += n;
    c.named += named;
    if (!std::isnan(gain)) {
      c.gain_sum += gain;
      ++c.gain_n;
    }
  }

  void Flush() {
    for (size_t local = 0; local < per_slot_.size(); ++local) {
      State::Slot& slot = s_.slots[first_ + local];
      slot.count_begin = static_cast<uint32_t>(s_.counts.size());
      s_.counts.insert(s_.counts.end(), per_slot_[local].begin(), per_slot_[local].end());
      slot.count_end = static_cast<uint32_t>(s_.counts.size());
      slot.sum = {};
      for (const State::Count& c : per_slot_[local]) slot.sum.Add(s_.attrs[c.attr], c);
      std::vector<State::Count>().swap(per_slot_[local]);
    }
  }

 private:
  void Select(uint32_t local) {
    if (current_ != kNone) {
      for (const State::Count& c : per_slot_[current_]) pos_[c.attr] = kNone;
    }
    current_ = local;
    for (uint32_t i = 0; i < per_slot_[local].size(); ++i) {
      const uint16_t attr = per_slot_[local][i].attr;
      if (pos_.size() <= attr) pos_.resize(attr + size_t{1}, kNone);
      pos_[attr] = i;
    }
  }

  State& s_;
  uint32_t first_;
  std::vector<std::vector<State::Count>> per_slot_;
  std::vector<uint32_t> pos_;  // attr -> index in per_slot_[current_], kNone if absent
  uint32_t current_ = kNone;
};

Result<void> LoadFacts(store::Connection& c, State& s, const std::optional<std::string>& only) {
  KHIEN_ASSIGN_OR_RETURN(std::vector<repository::ActivityFact> acts, repository::LoadActivityFacts(c, only));
  if (only && acts.empty()) return {};  // deleted
  std::unordered_map<std::string, uint32_t> new_slot;
  const auto first = static_cast<uint32_t>(s.slots.size());
  for (const repository::ActivityFact& a : acts) new_slot[a.id] = s.AddSlot(a);
  Sums sums(s, first, acts.size());
  std::pair<std::string, std::string> after;
  std::string last_id;
  uint32_t last_slot = kNone;
  for (;;) {
    KHIEN_ASSIGN_OR_RETURN(std::vector<repository::NamedFact> page, repository::LoadNamedFacts(c, only, after, kPageRows));
    for (const repository::NamedFact& f : page) {
      if (f.activity_id != last_id) {
        auto it = new_slot.find(f.activity_id);
        last_slot = it == new_slot.end() ? kNone : it->second;
        last_id = f.activity_id;
      }
      if (last_slot == kNone) continue;
      const uint16_t attr = s.AddPerson(last_slot, f);
      sums.Add(last_slot, attr, 1, true, f.pre && f.post ? *f.post - *f.pre : std::nan(""));
    }
    if (static_cast<int64_t>(page.size()) < kPageRows) break;
    after = {page.back().activity_id, page.back().person_id};
  }
  KHIEN_ASSIGN_OR_RETURN(std::vector<repository::TallyFact> tallies, repository::LoadTallyFacts(c, only));
  last_id.clear();
  last_slot = kNone;
  for (const repository::TallyFact& f : tallies) {
    if (f.activity_id != last_id) {
      auto it = new_slot.find(f.activity_id);
      last_slot = it == new_slot.end() ? kNone : it->second;
      last_id = f.activity_id;
    }
    if (last_slot == kNone) continue;
    ++s.slots[last_slot].tallies;
    sums.Add(last_slot, s.AttrOf(f.sex, f.age_group, "", f.ethnic_group), static_cast<uint32_t>(f.count), false,
             std::nan(""));
  }
  sums.Flush();
  return {};
}

// How one query maps a fact to its cell: a mixed-radix number over the breakdown columns.
// Dimensions of the person (sex, age, ethnicity) and the topic are the low digits ("inner");
// the activity's dimensions (place, period, type) are the high digits, renumbered per query to
// the combinations that occur, so that "village × point" over a province is a few thousand
// cells, not villages × points.
struct Plan {
  std::vector<Dim> dims;
  std::vector<uint64_t> stride;  // in the raw numbering
  std::vector<uint64_t> card;
  bool has_topic = false;
  uint64_t topic_stride = 0;
  uint64_t inner = 1;            // number of inner combinations
  bool has_person = false;       // a sex, age or ethnicity column
  uint64_t groups = 1;           // cells: activity combinations × inner
  std::vector<uint64_t> raw_of;  // activity combination -> its raw key (a multiple of inner)
  int64_t first_year = 0;
  std::vector<uint64_t> slot_key;  // kSkip when the filter drops the activity
  std::vector<uint64_t> attr_key;
  std::vector<uint16_t> topics;  // by slot, when has_topic (a small array the person scan reads)

  uint64_t Raw(uint64_t g) const { return raw_of[g / inner] + g % inner; }
};

Plan MakePlan(const State& s, const repository::FactFilter& filter, const std::vector<std::string>& names) {
  Plan p;
  p.first_year = filter.from_day / 10000;
  const uint64_t years = static_cast<uint64_t>(std::max<int64_t>(1, filter.to_day / 10000 - p.first_year + 1));
  for (const std::string& n : names) {
    const Dim d = DimOf(n);
    uint64_t card = 1;
    switch (d) {
      case Dim::kSex: card = s.sexes.size(); break;
      case Dim::kAge: card = s.ages.size(); break;
      case Dim::kEthnicity: card = s.eths.size(); break;
      case Dim::kEthnicGroup: card = s.egrps.size(); break;
      case Dim::kTopic: card = kTopicCount; break;
      case Dim::kType: card = s.types.size(); break;
      case Dim::kMonth: card = years * 12; break;
      case Dim::kQuarter: card = years * 4; break;
      case Dim::kYear: card = years; break;
      case Dim::kCommune: case Dim::kVillage: case Dim::kPoint: card = s.orgs.size(); break;
    }
    p.dims.push_back(d);
    p.card.push_back(card);
    p.stride.push_back(0);
  }
  for (int inner = 1; inner >= 0; --inner) {
    for (size_t k = 0; k < p.dims.size(); ++k) {
      const bool is_inner = IsPerson(p.dims[k]) || p.dims[k] == Dim::kTopic;
      p.has_person = p.has_person || IsPerson(p.dims[k]);
      if (is_inner != (inner == 1)) continue;
      p.stride[k] = p.groups;
      if (p.dims[k] == Dim::kTopic) {
        p.has_topic = true;
        p.topic_stride = p.groups;
      }
      p.groups *= p.card[k];
    }
    if (inner == 1) p.inner = p.groups;
  }
  // Which activities pass, and the activity-level part of their cell.
  std::vector<uint8_t> org_in(s.orgs.size(), 0);
  for (size_t i = 0; i < s.orgs.size(); ++i) {
    const std::string& path = s.org_paths[i];
    org_in[i] = !path.empty() && path >= filter.range.lo && path < filter.range.hi;
  }
  std::optional<uint32_t> type;
  if (filter.type) type = s.types.Find(*filter.type).value_or(kNone);
  uint16_t topic_mask = 0xffff;
  if (filter.topic) {
    topic_mask = 0;
    for (size_t i = 0; i < kTopicCount; ++i) {
      if (kTopics[i] == *filter.topic) topic_mask = static_cast<uint16_t>(1u << i);
    }
  }
  p.slot_key.assign(s.slots.size(), kSkip);
  for (size_t i = 0; i < s.slots.size(); ++i) {
    const State::Slot& a = s.slots[i];
    if (!a.live || !org_in[a.org] || a.day < filter.from_day || a.day > filter.to_day) continue;
    if (type && a.type != *type) continue;
    if (!(a.topics & topic_mask)) continue;
    const int64_t y = a.day / 10000 - p.first_year;
    const int64_t m = a.day / 100 % 100 - 1;
    uint64_t key = 0;
    for (size_t k = 0; k < p.dims.size(); ++k) {
      uint64_t code = 0;
      switch (p.dims[k]) {
        case Dim::kType: code = a.type; break;
        case Dim::kMonth: code = static_cast<uint64_t>(y * 12 + m); break;
        case Dim::kQuarter: code = static_cast<uint64_t>(y * 4 + m / 3); break;
        case Dim::kYear: code = static_cast<uint64_t>(y); break;
        case Dim::kCommune: code = a.commune; break;
        case Dim::kVillage: code = a.village; break;
        case Dim::kPoint: code = a.point; break;
        default: continue;  // person dims, topic
      }
      key += code * p.stride[k];
    }
    p.slot_key[i] = key;
  }
  // Renumber the activity combinations: an array when the raw space is small, else a hash map.
  const uint64_t space = p.groups / p.inner;
  if (space <= (uint64_t{1} << 18)) {
    std::vector<uint32_t> number(space, kNone);
    for (uint64_t& key : p.slot_key) {
      if (key == kSkip) continue;
      uint32_t& n = number[key / p.inner];
      if (n == kNone) {
        n = static_cast<uint32_t>(p.raw_of.size());
        p.raw_of.push_back(key);
      }
      key = n * p.inner;
    }
  } else {
    std::unordered_map<uint64_t, uint64_t> number;
    for (uint64_t& key : p.slot_key) {
      if (key == kSkip) continue;
      auto [it, added] = number.try_emplace(key, p.raw_of.size());
      if (added) p.raw_of.push_back(key);
      key = it->second * p.inner;
    }
  }
  p.groups = std::max<uint64_t>(1, p.raw_of.size()) * p.inner;
  if (p.has_topic) {
    p.topics.resize(s.slots.size());
    for (size_t i = 0; i < s.slots.size(); ++i) p.topics[i] = s.slots[i].topics;
  }
  p.attr_key.assign(s.attrs.size(), 0);
  for (size_t i = 0; i < s.attrs.size(); ++i) {
    const State::Attr& a = s.attrs[i];
    uint64_t key = 0;
    for (size_t k = 0; k < p.dims.size(); ++k) {
      switch (p.dims[k]) {
        case Dim::kSex: key += a.sex * p.stride[k]; break;
        case Dim::kAge: key += a.age * p.stride[k]; break;
        case Dim::kEthnicity: key += a.eth * p.stride[k]; break;
        case Dim::kEthnicGroup: key += a.egrp * p.stride[k]; break;
        default: break;
      }
    }
    p.attr_key[i] = key;
  }
  return p;
}

std::string KeyValue(const State& s, const Plan& p, size_t k, uint64_t code) {
  char buf[16];
  switch (p.dims[k]) {
    case Dim::kSex: return s.sexes.Name(code);
    case Dim::kAge: return s.ages.Name(code);
    case Dim::kEthnicity: return s.eths.Name(code);
    case Dim::kEthnicGroup: return s.egrps.Name(code);
    case Dim::kTopic: return std::string(kTopics[code]);
    case Dim::kType: return s.types.Name(code);
    case Dim::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(p.first_year + static_cast<int64_t>(code / 12)),
                    static_cast<int>(code % 12 + 1));
      return buf;
    case Dim::kQuarter:
      return std::to_string(p.first_year + static_cast<int64_t>(code / 4)) + "-Q" + std::to_string(code % 4 + 1);
    case Dim::kYear: return std::to_string(p.first_year + static_cast<int64_t>(code));
    case Dim::kCommune: case Dim::kVillage: case Dim::kPoint: return s.orgs.Name(code);
  }
  return "";
}

// Cells addressed by number: a flat array when the breakdown is small, else a hash map.
class Cells {
 public:
  explicit Cells(uint64_t groups) : dense_(groups <= kDenseGroups) {
    if (dense_) flat_.resize(groups);
  }
  Cell& operator[](uint64_t g) { return dense_ ? flat_[g] : sparse_[g]; }
  template <class F>
  void ForEach(F&& f) {
    if (dense_) {
      for (uint64_t g = 0; g < flat_.size(); ++g) {
        if (flat_[g].last_slot != kNone || flat_[g].last_person != kNone) f(g, flat_[g]);
      }
    } else {
      for (auto& [g, cell] : sparse_) f(g, cell);
    }
  }
  // Adds `other`'s cells (a scan of other slots and other people) into these.
  void Add(Cells& other);

 private:
  bool dense_;
  std::vector<Cell> flat_;
  std::unordered_map<uint64_t, Cell> sparse_;
};

void AddCell(Cell& into, const Cell& c) {
  into.participations += c.participations;
  into.named += c.named;
  into.unique += c.unique;
  into.women += c.women;
  into.minority_women += c.minority_women;
  into.under_16 += c.under_16;
  into.under_18 += c.under_18;
  into.sessions += c.sessions;
  into.gain_n += c.gain_n;
  into.gain_sum += c.gain_sum;
  // Marks the cell as seen (one thread may have seen only its people, the other its counts).
  if (into.last_slot == kNone) into.last_slot = c.last_slot;
  if (into.last_person == kNone) into.last_person = c.last_person;
}

void Cells::Add(Cells& other) {
  other.ForEach([&](uint64_t g, const Cell& c) { AddCell((*this)[g], c); });
}

IndicatorRow RowOf(const Cell& c) {
  IndicatorRow r;
  r.participations = c.participations;
  r.named_participations = c.named;
  r.tallied_participations = c.participations - c.named;
  r.unique_people = c.unique;
  r.women = c.women;
  r.minority_women = c.minority_women;
  r.children_under_16 = c.under_16;
  r.children_under_18 = c.under_18;
  r.sessions = c.sessions;
  r.knowledge_checked = c.gain_n;
  if (c.gain_n > 0) r.knowledge_gain = c.gain_sum / static_cast<double>(c.gain_n);
  return r;
}

std::vector<IndicatorRow> Rows(const State& s, const Plan& p, const std::vector<std::string>& names, Cells& cells) {
  std::vector<std::pair<std::vector<std::string>, IndicatorRow>> keyed;
  cells.ForEach([&](uint64_t g, const Cell& c) {
    std::vector<std::string> key;
    IndicatorRow row = RowOf(c);
    for (size_t k = 0; k < p.dims.size(); ++k) {
      key.push_back(KeyValue(s, p, k, p.Raw(g) / p.stride[k] % p.card[k]));
      row.keys[names[k]] = key.back();
    }
    keyed.emplace_back(std::move(key), std::move(row));
  });
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<IndicatorRow> out;
  out.reserve(keyed.size());
  for (auto& [key, row] : keyed) out.push_back(std::move(row));
  return out;
}

template <class F>
void ForCells(const Plan& p, uint16_t topics, uint64_t key, F&& f) {
  if (!p.has_topic) {
    f(key);
    return;
  }
  for (uint64_t t = 0; t < kTopicCount; ++t) {
    if (topics & (1u << t)) f(key + t * p.topic_stride);
  }
}

// What one thread of a query adds up: the breakdown's cells, the total and, if asked, the years.
struct Partial {
  Partial(const Plan& p, const Plan* years) : cells(p.groups), years(years ? years->groups : 0) {}
  Cells cells;
  Cell total;
  Cells years;
};

// A slot counts as a session of every cell it adds to.
[[gnu::always_inline]] inline void CountSession(Cell& cell, uint32_t slot) {
  if (cell.last_slot != slot) {
    cell.last_slot = slot;
    ++cell.sessions;
  }
}

[[gnu::always_inline]] inline void AddSlotSum(Cell& cell, const State::SlotSum& sum, uint32_t slot) {
  cell.participations += sum.n;
  cell.named += sum.named;
  cell.women += sum.women;
  cell.minority_women += sum.minority_women;
  cell.under_16 += sum.under_16;
  cell.under_18 += sum.under_18;
  cell.gain_n += sum.gain_n;
  cell.gain_sum += sum.gain_sum;
  CountSession(cell, slot);
}

// Activity order over slots [begin, end): additive counts and distinct sessions. A slot without
// entries adds nothing (and is no session), as in GROUP BY over the facts.
void ScanCounts(const State& s, const Plan& p, const Plan* years, uint32_t begin, uint32_t end, Partial& out) {
  for (uint32_t slot = begin; slot < end; ++slot) {
    const uint64_t key = p.slot_key[slot];
    if (key == kSkip) continue;
    const State::Slot& a = s.slots[slot];
    if (a.count_begin == a.count_end) continue;
    if (p.has_person) {
      for (uint32_t i = a.count_begin; i < a.count_end; ++i) {
        const State::Count& e = s.counts[i];
        const State::Attr& attr = s.attrs[e.attr];
        State::SlotSum one;
        one.Add(attr, e);
        ForCells(p, a.topics, key + p.attr_key[e.attr], [&](uint64_t g) { AddSlotSum(out.cells[g], one, slot); });
      }
    } else {
      ForCells(p, a.topics, key, [&](uint64_t g) { AddSlotSum(out.cells[g], a.sum, slot); });
    }
    AddSlotSum(out.total, a.sum, slot);
    if (years) AddSlotSum(out.years[years->slot_key[slot]], a.sum, slot);
  }
}

// Without a branch: whether a fact's person is new to its cell is close to random, and a
// mispredicted branch per fact cost more than the store.
[[gnu::always_inline]] inline void CountPerson(Cell& cell, uint32_t person) {
  cell.unique += cell.last_person != person;
  cell.last_person = person;
}

// Person order over by_person[begin, end): distinct people.
void ScanPeople(const State& s, const Plan& p, const Plan* years, size_t begin, size_t end, Partial& out) {
  for (size_t i = begin; i < end; ++i) {
    const State::PersonFact& f = s.by_person[i];
    const uint64_t key = p.slot_key[f.slot];
    if (key == kSkip) continue;
    const uint64_t g = key + p.attr_key[f.attr];
    if (p.has_topic) {
      ForCells(p, p.topics[f.slot], g, [&](uint64_t t) { CountPerson(out.cells[t], f.person); });
    } else {
      CountPerson(out.cells[g], f.person);
    }
    CountPerson(out.total, f.person);
    if (years) CountPerson(out.years[years->slot_key[f.slot]], f.person);
  }
}

}  // namespace

FactCache::FactCache(int threads, size_t parallel_min_entries)
    : threads_(std::clamp(threads, 1, 2)), parallel_min_entries_(parallel_min_entries) {}
FactCache::~FactCache() = default;

Result<void> FactCache::Sync(store::Connection& c) {
  std::lock_guard lock(mutex_);
  return SyncLocked(c);
}

Result<void> FactCache::SyncLocked(store::Connection& c) {
  KHIEN_ASSIGN_OR_RETURN(int64_t version, repository::FactVersion(c));
  if (state_ && state_->version == version) return {};
  std::vector<std::string> changed;
  if (state_) {
    KHIEN_ASSIGN_OR_RETURN(changed, repository::ChangedActivities(c, state_->version, version));
  }
  const bool everything = !state_ || std::find(changed.begin(), changed.end(), repository::kEverything) != changed.end();
  if (everything) {
    auto fresh = std::make_unique<State>();
    if (state_) {
      fresh->full_loads = state_->full_loads;
      fresh->partial_loads = state_->partial_loads;
    }
    state_.reset();  // free the old arrays before loading the new ones
    KHIEN_RETURN_IF_ERROR(LoadFacts(c, *fresh, std::nullopt));
    fresh->Reorder();
    fresh->Merge();
    fresh->counts.reserve(fresh->counts.size() + fresh->counts.size() / 8 + 1024);  // as Merge's room
    ++fresh->full_loads;
    fresh->version = version;
    state_ = std::move(fresh);
    return {};
  }
  State& s = *state_;
  for (const std::string& id : changed) {
    if (auto it = s.slot_of.find(id); it != s.slot_of.end()) {
      s.Kill(it->second);
      s.slot_of.erase(it);
    }
    auto loaded = LoadFacts(c, s, id);
    if (!loaded.ok()) {
      state_.reset();  // half-applied: start again on the next query
      return loaded.take_error();
    }
  }
  s.Merge();
  s.CompactIfWasteful();
  ++s.partial_loads;
  s.version = version;
  return {};
}

Result<FactCache::Facts> FactCache::AggregateFacts(store::Connection& c, const repository::FactFilter& filter,
                                                   const std::vector<std::string>& dims, bool with_years) {
  std::lock_guard lock(mutex_);
  KHIEN_RETURN_IF_ERROR(SyncLocked(c));
  const State& s = *state_;
  const Plan p = MakePlan(s, filter, dims);
  std::optional<Plan> year_plan;
  if (with_years) year_plan = MakePlan(s, filter, {"year"});
  const Plan* years = year_plan ? &*year_plan : nullptr;
  const auto slots = static_cast<uint32_t>(s.slots.size());
  Partial out(p, years);
  if (threads_ > 1 && s.counts.size() + s.by_person.size() >= parallel_min_entries_) {
    // Halves of the slots and of the people; a person's facts stay on one side, so distinct
    // people add up, and a slot on one side, so distinct sessions do.
    size_t mid = s.by_person.size() / 2;
    while (mid > 0 && mid < s.by_person.size() && s.by_person[mid].person == s.by_person[mid - 1].person) ++mid;
    Partial other(p, years);
    std::thread helper([&] {
      ScanCounts(s, p, years, slots / 2, slots, other);
      ScanPeople(s, p, years, mid, s.by_person.size(), other);
    });
    ScanCounts(s, p, years, 0, slots / 2, out);
    ScanPeople(s, p, years, 0, mid, out);
    helper.join();
    out.cells.Add(other.cells);
    AddCell(out.total, other.total);
    if (years) out.years.Add(other.years);
  } else {
    ScanCounts(s, p, years, 0, slots, out);
    ScanPeople(s, p, years, 0, s.by_person.size(), out);
  }
  Facts result;
  result.total = RowOf(out.total);
  if (!dims.empty()) result.rows = Rows(s, p, dims, out.cells);
  if (years) result.years = Rows(s, *years, {"year"}, out.years);
  return result;
}

Result<std::vector<IndicatorRow>> FactCache::AggregateSessions(store::Connection& c,
                                                               const repository::FactFilter& filter,
                                                               const std::vector<std::string>& dims) {
  std::lock_guard lock(mutex_);
  KHIEN_RETURN_IF_ERROR(SyncLocked(c));
  const State& s = *state_;
  const Plan p = MakePlan(s, filter, dims);
  for (Dim d : p.dims) {
    if (IsPerson(d)) return Error::Internal("person dimension in AggregateSessions");
  }
  Cells cells(p.groups);
  for (uint32_t slot = 0; slot < s.slots.size(); ++slot) {
    const uint64_t key = p.slot_key[slot];
    if (key == kSkip || !s.slots[slot].held) continue;
    ForCells(p, s.slots[slot].topics, key, [&](uint64_t g) {
      Cell& cell = cells[g];
      cell.last_slot = slot;
      ++cell.sessions;
    });
  }
  if (dims.empty()) {
    // SQL COUNT(*) without GROUP BY gives one row even over nothing.
    int64_t n = 0;
    for (uint32_t slot = 0; slot < s.slots.size(); ++slot) {
      if (p.slot_key[slot] != kSkip && s.slots[slot].held) ++n;
    }
    IndicatorRow r;
    r.sessions = n;
    return std::vector<IndicatorRow>{r};
  }
  return Rows(s, p, dims, cells);
}

FactCache::Stats FactCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats out;
  if (!state_) return out;
  out.version = state_->version;
  out.activities = static_cast<int64_t>(state_->slot_of.size());
  for (const State::Slot& slot : state_->slots) {
    if (!slot.live) continue;
    out.named += slot.named;
    out.tallies += slot.tallies;
    out.count_entries += slot.count_end - slot.count_begin;
  }
  out.people = static_cast<int64_t>(state_->person_of.size());
  out.full_loads = state_->full_loads;
  out.partial_loads = state_->partial_loads;
  return out;
}

}  // namespace khien::reach
