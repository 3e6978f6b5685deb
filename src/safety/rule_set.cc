#include "safety/rule_set.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <pcre2.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_set>

#include "base/embedded.h"

namespace khien::safety {
namespace embedded_rules {
extern const ::khien::EmbeddedFile kFiles[];
extern const size_t kFileCount;
}  // namespace embedded_rules

namespace {

constexpr std::string_view kTeencodeFile = "teencode.tsv";

uint64_t Fnv1a(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Result<EntityType> ParseEntityType(std::string_view name) {
  for (EntityType t : {EntityType::kUrl, EntityType::kDomain, EntityType::kPhone,
                       EntityType::kBankAccount, EntityType::kCitizenId, EntityType::kOtpRequest,
                       EntityType::kMoney, EntityType::kEmail}) {
    if (EntityTypeName(t) == name) return t;
  }
  return Error::InvalidInput("near", "", "");
}

pcre2_code* CompilePcre(const std::string& pattern, std::string* error) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 PCRE2_UTF | PCRE2_CASELESS | PCRE2_NO_UTF_CHECK, &code, &offset,
                                 nullptr);
  // JIT when the platform has it (same matches, several times faster); else interpreted.
  if (re != nullptr) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
  if (re == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof(buf));
    *error = std::string(reinterpret_cast<char*>(buf)) + " @" + std::to_string(offset);
  }
  return re;
}

// Match data reused per thread. Only the whole match's span is read; a pattern with more
// groups than pairs here still matches (rc == 0 means "ovector too small", still a match).
pcre2_match_data* ThreadMatchData() {
  struct Holder {
    pcre2_match_data* md = pcre2_match_data_create(16, nullptr);
    ~Holder() { pcre2_match_data_free(md); }
  };
  thread_local Holder holder;
  return holder.md;
}

bool PcreFind(const pcre2_code* re, std::string_view subject) {
  const int rc = pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0,
                             PCRE2_NO_UTF_CHECK, ThreadMatchData(), nullptr);
  return rc >= 0;
}

constexpr uint32_t kNoStart = 0xFFFFFFFFu;

constexpr unsigned ViewBit(ViewKind view) { return 1u << static_cast<int>(view); }

// View sets that get a merged database beside the per-view ones. In ~92 % of the SMS the
// deobfuscated text equals the folded one, and in 37 % the expanded one too. Left out: the
// original (rarely equal to the folded: any capital or mark differs) and deobfuscated +
// expanded alone (5 % of the SMS: it saved nothing measurable and took ~1 s to compile).
constexpr unsigned kMergedViewSets[] = {
    ViewBit(ViewKind::kFolded) | ViewBit(ViewKind::kDeobfuscated),
    ViewBit(ViewKind::kFolded) | ViewBit(ViewKind::kDeobfuscated) | ViewBit(ViewKind::kExpanded)};

// Part of every cache key: bump when the cache file layout or the meaning of its pattern ids
// changes, so older files are never read. 2: ids index every view's patterns (not one view's),
// databases keyed by view set.
constexpr std::string_view kCacheFormat = "khien-rules-2";

// One rule's match in one view while scanning: the report that ends first (the lowest
// pattern id among those ending there). Hyperscan does not promise an order of reports (a
// \b may be settled late), and a merged database reports ties in another order than a
// per-view one, so the choice, and the order hits are then taken in (Match), depend only on
// which matches there are, never on which database found them. (A start-of-match pattern's
// span still grows in arrival order; no shipped pattern tracks start of match.)
struct Hit {
  uint32_t rule;
  uint32_t pattern;  // Hyperscan id of the chosen report
  uint32_t end;      // its end
  uint32_t from;     // kNoStart unless the pattern tracks start of match
  uint32_t to;       // end of the span (a start-of-match pattern may extend it)
};

}  // namespace

struct RuleSet::ScanContext {
  const PatternRef* patterns;  // by Hyperscan id
  std::vector<Hit>* hits;      // per view
};

int RuleSet::OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
                     void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  const PatternRef& p = c->patterns[id];
  std::vector<Hit>& hits = c->hits[static_cast<int>(p.view)];
  const auto end = static_cast<uint32_t>(to);
  const uint32_t start = p.som ? static_cast<uint32_t>(from) : kNoStart;
  for (Hit& h : hits) {
    if (h.rule != p.rule) continue;
    if (end < h.end || (end == h.end && id < h.pattern)) {
      h = {p.rule, id, end, start, end};
    } else if (p.som && h.from == start && end > h.to) {
      h.to = end;
    }
    return 0;
  }
  hits.push_back({p.rule, id, end, start, end});
  return 0;
}

namespace {

// Leftmost PCRE2 match of `re` in `subject`: its span, or false.
bool PcreSpan(const pcre2_code* re, std::string_view subject, uint32_t* from, uint32_t* to) {
  pcre2_match_data* md = ThreadMatchData();
  const int rc = pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0,
                             PCRE2_NO_UTF_CHECK, md, nullptr);
  if (rc >= 0) {
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    *from = static_cast<uint32_t>(ov[0]);
    *to = static_cast<uint32_t>(ov[1]);
  }
  return rc >= 0;
}

int CountMatch(unsigned int, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  ++*static_cast<size_t*>(ctx);
  return 0;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<Signal> ParseSignal(std::string_view name) {
  static constexpr std::pair<std::string_view, Signal> kNames[] = {
      {"lookalike_domain", Signal::kLookalikeDomain},
      {"blocklisted_domain", Signal::kBlocklistedDomain},
      {"blocklisted_phone", Signal::kBlocklistedPhone},
      {"blocklisted_account", Signal::kBlocklistedAccount},
      {"otp_request", Signal::kOtpRequest},
      {"citizen_id", Signal::kCitizenId},
      {"learned_model", Signal::kLearnedModel}};
  for (auto [n, s] : kNames) {
    if (n == name) return s;
  }
  return Error::InvalidInput("signal", "", "");
}

namespace {
std::atomic<uint64_t> next_rule_set_id{1};
}  // namespace

RuleSet::RuleSet(Normalizer normalizer)
    : normalizer_(std::move(normalizer)), id_(next_rule_set_id.fetch_add(1)) {}

RuleSet::~RuleSet() {
  if (base_) return;  // a WithSettings copy: the compiled parts are base_'s
  for (hs_database* db : db_) hs_free_database(db);
  hs_free_scratch(prototype_scratch_);
  for (auto* re : requires_code_) pcre2_code_free(re);
  for (auto* re : unless_code_) pcre2_code_free(re);
  for (const PatternRef& p : patterns_) pcre2_code_free(p.pcre);
}

const Advice* RuleSet::FindAdvice(std::string_view id) const {
  for (const Advice& a : advice_) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

Result<std::shared_ptr<const RuleSet>> RuleSet::Build(const std::vector<RuleFileSource>& files,
                                                      const RuleSetOptions& options) {
  // Teencode first (it belongs to the normaliser), then the rule files in name order.
  TeencodeTable teencode;
  uint64_t hash = 14695981039346656037ull;
  std::vector<const RuleFileSource*> sorted;
  for (const RuleFileSource& f : files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->name < b->name; });
  for (const RuleFileSource* f : sorted) {
    hash = Fnv1a(Fnv1a(hash, f->name), f->contents);
    if (std::filesystem::path(f->name).filename() == kTeencodeFile) {
      KHIEN_ASSIGN_OR_RETURN(teencode, TeencodeTable::Parse(f->contents, f->name));
    }
  }
  std::shared_ptr<RuleSet> set(new RuleSet(Normalizer(std::move(teencode))));
  struct PendingAdvice {
    std::string id, source;
  };
  std::vector<PendingAdvice> advice_refs;
  std::unordered_set<std::string> rule_ids;
  for (const RuleFileSource* f : sorted) {
    if (std::filesystem::path(f->name).extension() != ".toml") continue;
    KHIEN_ASSIGN_OR_RETURN(std::vector<RawTable> tables, ParseRuleFile(*f));
    for (const RawTable& t : tables) {
      auto fail = [&](int line, const std::string& vi, const std::string& en) {
        return RuleFileError(f->name, line, vi, en);
      };
      auto find = [&](std::string_view key) -> const RawTable::Value* {
        for (const auto& v : t.values) {
          if (v.key == key) return &v;
        }
        return nullptr;
      };
      auto need_string = [&](std::string_view key, std::string* out) -> Result<void> {
        const RawTable::Value* v = find(key);
        if (v == nullptr || !v->is_string || v->scalar.empty()) {
          return fail(v ? v->line : t.line, "thiếu chuỗi \"" + std::string(key) + "\"",
                      "missing string \"" + std::string(key) + "\"");
        }
        *out = v->scalar;
        return Ok();
      };
      if (t.kind == "advice") {
        for (const auto& v : t.values) {
          if (v.key != "id" && v.key != "vi" && v.key != "en") {
            return fail(v.line, "khóa không hợp lệ \"" + v.key + "\"", "unknown key \"" + v.key + "\"");
          }
        }
        Advice a;
        KHIEN_RETURN_IF_ERROR(need_string("id", &a.id));
        KHIEN_RETURN_IF_ERROR(need_string("vi", &a.vi));
        KHIEN_RETURN_IF_ERROR(need_string("en", &a.en));
        if (set->FindAdvice(a.id)) {
          return fail(t.line, "lời khuyên \"" + a.id + "\" bị lặp", "duplicate advice \"" + a.id + "\"");
        }
        set->advice_.push_back(std::move(a));
        continue;
      }
      static const std::set<std::string_view> kKeys = {
          "id", "category", "view", "patterns", "signal", "requires", "unless", "near", "stage",
          "weight", "at_least", "explanation_vi", "explanation_en", "advice"};
      for (const auto& v : t.values) {
        if (!kKeys.contains(v.key)) {
          return fail(v.line, "khóa không hợp lệ \"" + v.key + "\"", "unknown key \"" + v.key + "\"");
        }
      }
      Rule r;
      r.source = f->name + ":" + std::to_string(t.line);
      KHIEN_RETURN_IF_ERROR(need_string("id", &r.id));
      if (!rule_ids.insert(r.id).second) {
        return fail(t.line, "mã luật \"" + r.id + "\" bị lặp", "duplicate rule id \"" + r.id + "\"");
      }
      std::string s;
      KHIEN_RETURN_IF_ERROR(need_string("category", &s));
      auto cat = ParseCategory(s);
      if (!cat) {
        return fail(find("category")->line, "nhóm không hợp lệ \"" + s + "\"",
                    "unknown category \"" + s + "\"");
      }
      r.category = *cat;
      if (const auto* v = find("view")) {
        auto view = ParseViewKind(v->scalar);
        if (!v->is_string || !view.ok()) {
          return fail(v->line, "view không hợp lệ \"" + v->scalar + "\"",
                      "unknown view \"" + v->scalar + "\"");
        }
        r.view = *view;
      }
      if (const auto* v = find("patterns")) {
        if (!v->is_array || v->items.empty()) {
          return fail(v->line, "\"patterns\" phải là mảng chuỗi không rỗng",
                      "\"patterns\" must be a non-empty array of strings");
        }
        r.patterns = v->items;
      }
      if (const auto* v = find("signal")) {
        auto sig = ParseSignal(v->scalar);
        if (!v->is_string || !sig.ok()) {
          return fail(v->line, "tín hiệu không hợp lệ \"" + v->scalar + "\"",
                      "unknown signal \"" + v->scalar + "\"");
        }
        r.signal = *sig;
      }
      if (r.patterns.empty() == (r.signal == Signal::kNone)) {
        return fail(t.line, "luật phải có đúng một trong \"patterns\" hoặc \"signal\"",
                    "a rule needs exactly one of \"patterns\" or \"signal\"");
      }
      for (std::string_view key : {"requires", "unless"}) {
        if (const auto* v = find(key)) {
          std::string err;
          pcre2_code* re = v->is_string ? CompilePcre(v->scalar, &err) : nullptr;
          if (re == nullptr) {
            return fail(v->line, "biểu thức \"" + std::string(key) + "\" không hợp lệ: " + err,
                        "invalid \"" + std::string(key) + "\" regex: " + err);
          }
          pcre2_code_free(re);
          (key == "requires" ? r.requires_regex : r.unless_regex) = v->scalar;
        }
      }
      if (const auto* v = find("near")) {
        for (const std::string& item : v->items) {
          auto type = ParseEntityType(item);
          if (!type.ok()) {
            return fail(v->line, "loại thực thể không hợp lệ \"" + item + "\"",
                        "unknown entity type \"" + item + "\"");
          }
          r.near.push_back(*type);
        }
      }
      if (const auto* v = find("stage")) r.stage = v->scalar;
      const auto* w = find("weight");
      if (w == nullptr || w->is_string || w->is_array) {
        return fail(w ? w->line : t.line, "thiếu trọng số \"weight\" (số)",
                    "missing numeric \"weight\"");
      }
      r.weight = std::strtod(w->scalar.c_str(), nullptr);
      r.default_weight = r.weight;
      if (!std::isfinite(r.weight) || std::fabs(r.weight) > 20) {
        return fail(w->line, "trọng số phải nằm trong [-20, 20]", "weight must be in [-20, 20]");
      }
      if (const auto* v = find("at_least")) {
        if (!v->is_string || (v->scalar != "caution" && v->scalar != "danger")) {
          return fail(v->line, "\"at_least\" phải là \"caution\" hoặc \"danger\"",
                      "\"at_least\" must be \"caution\" or \"danger\"");
        }
        r.at_least = v->scalar == "danger" ? Verdict::kDanger : Verdict::kCaution;
      }
      KHIEN_RETURN_IF_ERROR(need_string("explanation_vi", &r.explanation_vi));
      KHIEN_RETURN_IF_ERROR(need_string("explanation_en", &r.explanation_en));
      if (const auto* v = find("advice")) {
        r.advice = v->items;
        for (const auto& id : v->items) advice_refs.push_back({id, f->name + ":" + std::to_string(v->line)});
      }
      set->rules_.push_back(std::move(r));
    }
  }
  for (const PendingAdvice& ref : advice_refs) {
    if (set->FindAdvice(ref.id) == nullptr) {
      const std::string where = ref.source + ": ";
      return Error::InvalidInput("rules", where + "không có lời khuyên \"" + ref.id + "\"",
                                 where + "unknown advice \"" + ref.id + "\"");
    }
  }
  if (set->rules_.empty()) {
    return Error::InvalidInput("rules", "Không có luật nào trong thư mục luật.",
                               "No rules found in the rules folder.");
  }
  for (uint32_t i = 0; i < set->rules_.size(); ++i) {
    const Signal s = set->rules_[i].signal;
    if (s != Signal::kNone && s != Signal::kLearnedModel) set->entity_signal_rules_.push_back(i);
  }
  for (const Rule& r : set->rules_) {
    std::string err;
    set->requires_code_.push_back(r.requires_regex.empty() ? nullptr
                                                           : CompilePcre(r.requires_regex, &err));
    set->unless_code_.push_back(r.unless_regex.empty() ? nullptr
                                                       : CompilePcre(r.unless_regex, &err));
  }
  KHIEN_RETURN_IF_ERROR(set->Compile(options, hash));
  return std::shared_ptr<const RuleSet>(std::move(set));
}

Result<void> RuleSet::Compile(const RuleSetOptions& options, uint64_t files_hash) {
  for (int view = 0; view < kViewCount; ++view) {
    for (uint32_t r = 0; r < rules_.size(); ++r) {
      if (static_cast<int>(rules_[r].view) != view) continue;
      for (uint32_t p = 0; p < rules_[r].patterns.size(); ++p) {
        patterns_.push_back({r, p, rules_[r].view});
        pattern_views_ |= 1u << view;
      }
    }
  }
  int cached = 0, compiled = 0;
  for (int view = 0; view < kViewCount; ++view) {
    if ((pattern_views_ & (1u << view)) == 0) continue;
    KHIEN_RETURN_IF_ERROR(CompileDatabase(1u << view, options, files_hash, &cached, &compiled));
    for (PatternRef& p : patterns_) {
      if (static_cast<int>(p.view) != view || p.som) continue;
      const Rule& r = rules_[p.rule];
      std::string err;
      p.pcre = CompilePcre(r.patterns[p.index], &err);
      if (p.pcre == nullptr) {
        const std::string where =
            r.source + " (" + r.id + ", pattern " + std::to_string(p.index + 1) + ")";
        return Error::InvalidInput("rules", where + ": PCRE2 không biên dịch được: " + err,
                                   where + ": pattern does not compile in PCRE2: " + err);
      }
    }
  }
  // After the per-view databases, which settle each pattern's start-of-match flag.
  if (options.merge_equal_views) {
    for (unsigned set : kMergedViewSets) {
      const unsigned views = set & pattern_views_;
      if (std::popcount(views) < 2 || db_[views] != nullptr) continue;
      KHIEN_RETURN_IF_ERROR(CompileDatabase(views, options, files_hash, &cached, &compiled));
    }
  }
  loaded_from_cache_ = cached > 0 && compiled == 0;
  for (hs_database* db : db_) {
    if (db && hs_alloc_scratch(db, &prototype_scratch_) != HS_SUCCESS) {
      return Error::Internal("hs_alloc_scratch failed");
    }
  }
  return Ok();
}

Result<void> RuleSet::CompileDatabase(unsigned views, const RuleSetOptions& options,
                                      uint64_t files_hash, int* cached, int* compiled) {
  const bool merged = std::popcount(views) > 1;
  std::vector<const char*> exprs;
  std::vector<unsigned> ids;  // into patterns_
  for (unsigned id = 0; id < patterns_.size(); ++id) {
    const PatternRef& p = patterns_[id];
    if ((views & ViewBit(p.view)) == 0) continue;
    ids.push_back(id);
    exprs.push_back(rules_[p.rule].patterns[p.index].c_str());
  }
  hs_database*& db = db_[views];
  uint64_t key = Fnv1a(files_hash, hs_version());
  key = Fnv1a(key, kCacheFormat);
  key = Fnv1a(key, std::to_string(views));
  std::string cache_path;
  bool from_cache = false;
  if (!options.cache_dir.empty()) {
    char name[64];
    std::snprintf(name, sizeof(name), "rules-%016llx-v%x.hsdb",
                  static_cast<unsigned long long>(key), views);
    cache_path = (std::filesystem::path(options.cache_dir) / name).string();
    // Cache file: one byte per pattern of the database (SOM or not), then the serialized
    // database. A merged database must agree with the flags its per-view ones settled.
    if (auto bytes = ReadFile(cache_path); bytes && bytes->size() > ids.size()) {
      bool flags_agree = true;
      for (size_t i = 0; i < ids.size() && merged; ++i) {
        flags_agree = flags_agree && ((*bytes)[i] != 0) == patterns_[ids[i]].som;
      }
      if (flags_agree &&
          hs_deserialize_database(bytes->data() + ids.size(), bytes->size() - ids.size(), &db) ==
              HS_SUCCESS) {
        for (size_t i = 0; i < ids.size(); ++i) patterns_[ids[i]].som = (*bytes)[i] != 0;
        from_cache = true;
        ++*cached;
      } else {
        db = nullptr;
      }
    }
  }
  const unsigned base_flags = HS_FLAG_UTF8 | HS_FLAG_CASELESS;
  while (!from_cache) {
    std::vector<unsigned> flag_list;
    for (unsigned id : ids) {
      flag_list.push_back(base_flags | (patterns_[id].som ? HS_FLAG_SOM_LEFTMOST : 0));
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flag_list.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                         &err) == HS_SUCCESS) {
      ++*compiled;
      break;
    }
    std::string msg = err ? err->message : "unknown";
    const int bad = err ? err->expression : -1;
    hs_free_compile_error(err);
    db = nullptr;
    // A merged database only saves scans: without it each view is scanned on its own.
    if (merged) return Ok();
    if (bad >= 0 && static_cast<size_t>(bad) < ids.size() && patterns_[ids[bad]].som &&
        msg.find("too large") != std::string::npos) {
      patterns_[ids[bad]].som = false;  // retry this pattern without start-of-match tracking
      continue;
    }
    std::string where = "rules";
    if (bad >= 0 && static_cast<size_t>(bad) < ids.size()) {
      const PatternRef& p = patterns_[ids[bad]];
      const Rule& r = rules_[p.rule];
      where = r.source + " (" + r.id + ", pattern " + std::to_string(p.index + 1) + ")";
    }
    return Error::InvalidInput("rules", where + ": biểu thức không biên dịch được: " + msg,
                               where + ": pattern does not compile: " + msg);
  }
  if (!from_cache && !cache_path.empty()) {
    char* bytes = nullptr;
    size_t size = 0;
    if (hs_serialize_database(db, &bytes, &size) == HS_SUCCESS) {
      std::error_code ec;
      std::filesystem::create_directories(options.cache_dir, ec);
      const std::string tmp = cache_path + ".tmp";
      {
        std::ofstream out(tmp, std::ios::binary);
        for (unsigned id : ids) out.put(patterns_[id].som ? 1 : 0);
        out.write(bytes, static_cast<std::streamsize>(size));
      }
      std::filesystem::rename(tmp, cache_path, ec);  // best effort: a cache, not state
      free(bytes);
    }
  }
  return Ok();
}

namespace {

// One Hyperscan scratch per thread, grown to fit whichever rule set the thread last used
// (hs_alloc_scratch only reallocates when the scratch is too small for a database).
struct ThreadScratch {
  hs_scratch* scratch = nullptr;
  uint64_t fitted_for = 0;  // RuleSet::id_ the scratch was last fitted to
  ~ThreadScratch() { hs_free_scratch(scratch); }
};

}  // namespace

hs_scratch* RuleSet::AcquireScratch() const {
  thread_local ThreadScratch tls;
  if (tls.fitted_for != id_) {
    for (hs_database* db : db_) {
      if (db && hs_alloc_scratch(db, &tls.scratch) != HS_SUCCESS) return nullptr;
    }
    tls.fitted_for = id_;
  }
  return tls.scratch;
}

std::shared_ptr<const RuleSet> RuleSet::WithSettings(std::shared_ptr<const RuleSet> base,
                                                     const std::vector<RuleSetting>& settings) {
  std::shared_ptr<RuleSet> set(new RuleSet(base->normalizer_));
  set->rules_ = base->rules_;
  set->entity_signal_rules_ = base->entity_signal_rules_;
  for (Rule& r : set->rules_) {
    r.weight = r.default_weight;
    r.enabled = true;
  }
  for (const RuleSetting& setting : settings) {
    for (Rule& r : set->rules_) {
      if (r.id != setting.id) continue;
      r.enabled = setting.enabled;
      if (setting.weight && std::isfinite(*setting.weight) &&
          std::fabs(*setting.weight) <= kMaxRuleWeight) {
        r.weight = *setting.weight;
      }
    }
  }
  set->advice_ = base->advice_;
  set->requires_code_ = base->requires_code_;
  set->unless_code_ = base->unless_code_;
  set->patterns_ = base->patterns_;
  std::copy(std::begin(base->db_), std::end(base->db_), std::begin(set->db_));
  set->pattern_views_ = base->pattern_views_;
  set->prototype_scratch_ = base->prototype_scratch_;
  set->loaded_from_cache_ = base->loaded_from_cache_;
  // Always hold the set that owns the compiled parts, never a copy of a copy.
  set->base_ = base->base_ ? base->base_ : std::move(base);
  return set;
}

const Rule* RuleSet::FindRule(std::string_view id) const {
  for (const Rule& r : rules_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

void RuleSet::Match(const NormalizedText& text, const std::vector<Entity>& entities,
                    std::vector<RuleMatch>* out) const {
  out->clear();
  hs_scratch* scratch = AcquireScratch();
  if (scratch == nullptr) return;
  thread_local std::vector<Hit> hits[kViewCount];  // reused: no allocation per message
  for (auto& h : hits) h.clear();
  ScanContext ctx{patterns_.data(), hits};
  // Views whose texts are byte-equal share one scan of a merged database when there is one.
  // Their hits still go to their own views, and a view's spans are offsets into its own text
  // (the same bytes), which the caller maps through that view's offset map.
  unsigned scanned = 0;
  for (int view = 0; view < kViewCount; ++view) {
    const unsigned bit = 1u << view;
    if ((pattern_views_ & bit) == 0 || (scanned & bit) != 0) continue;
    const std::string_view subject = text.Text(static_cast<ViewKind>(view));
    if (subject.empty()) continue;
    unsigned views = bit;
    for (int other = view + 1; other < kViewCount; ++other) {
      const unsigned other_bit = 1u << other;
      if ((pattern_views_ & other_bit) != 0 &&
          text.Text(static_cast<ViewKind>(other)) == subject) {
        views |= other_bit;
      }
    }
    if (db_[views] == nullptr) views = bit;  // no merged database for this set
    hs_scan(db_[views], subject.data(), static_cast<unsigned>(subject.size()), 0, scratch, OnMatch,
            &ctx);
    scanned |= views;
  }
  for (int view = 0; view < kViewCount; ++view) {
    std::vector<Hit>& view_hits = hits[view];
    if (view_hits.empty()) continue;
    const std::string_view subject = text.Text(static_cast<ViewKind>(view));
    // Any fixed order would do; by end, then by decreasing rule index, is the order the
    // per-view databases reported in on every message of `safety_bench --dump`, so results
    // (the order of reasons that start together) stayed as they were.
    std::sort(view_hits.begin(), view_hits.end(), [](const Hit& a, const Hit& b) {
      return a.end != b.end ? a.end < b.end : a.rule > b.rule;
    });
    for (const Hit& hit : view_hits) {
      // The conditions first: the span costs a PCRE2 search, wasted on a rule that is off.
      const Rule& r = rules_[hit.rule];
      if (!r.enabled) continue;
      if (!r.near.empty()) {
        bool found = false;
        for (const Entity& e : entities) {
          found = found || std::find(r.near.begin(), r.near.end(), e.type) != r.near.end();
        }
        if (!found) continue;
      }
      if (requires_code_[hit.rule] && !PcreFind(requires_code_[hit.rule], subject)) continue;
      if (unless_code_[hit.rule] && PcreFind(unless_code_[hit.rule], subject)) continue;
      RuleMatch m{hit.rule, hit.from, hit.to};
      if (m.from == kNoStart) {
        const pcre2_code* re = patterns_[hit.pattern].pcre;
        uint32_t from = 0, to = m.to;
        if (re == nullptr || !PcreSpan(re, subject, &from, &to)) {
          from = 0;  // PCRE2 disagrees (dialect difference): highlight up to the end
        }
        m.from = from;
        m.to = std::max(to, from + 1);
      }
      out->push_back(m);
    }
  }
}

// Every view through its own database, equal texts or not: the cost of matching before
// views were merged, kept as the benchmark's yardstick.
size_t RuleSet::RawScan(const NormalizedText& text) const {
  hs_scratch* scratch = AcquireScratch();
  size_t count = 0;
  for (int view = 0; view < kViewCount && scratch; ++view) {
    if (db_[1u << view] == nullptr) continue;
    const std::string_view subject = text.Text(static_cast<ViewKind>(view));
    hs_scan(db_[1u << view], subject.data(), static_cast<unsigned>(subject.size()), 0, scratch,
            CountMatch, &count);
  }
  return count;
}

std::vector<RuleFileSource> RuleSet::EmbeddedFiles() {
  std::vector<RuleFileSource> files;
  for (size_t i = 0; i < embedded_rules::kFileCount; ++i) {
    files.push_back({std::string("rules/") + embedded_rules::kFiles[i].name,
                     std::string(embedded_rules::kFiles[i].contents())});
  }
  return files;
}

Result<std::shared_ptr<const RuleSet>> RuleSet::LoadEmbedded(const RuleSetOptions& options) {
  return Build(EmbeddedFiles(), options);
}

Result<std::shared_ptr<const RuleSet>> RuleSet::LoadDir(const std::string& dir,
                                                        const RuleSetOptions& options) {
  std::error_code ec;
  std::vector<RuleFileSource> files;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    return Error::InvalidInput("rules", "Không đọc được thư mục luật " + dir,
                               "Cannot read the rules folder " + dir);
  }
  for (const auto& entry : it) {
    const auto& p = entry.path();
    if (p.extension() != ".toml" && p.filename() != kTeencodeFile) continue;
    auto bytes = ReadFile(p.string());
    if (!bytes) {
      return Error::InvalidInput("rules", "Không đọc được tệp " + p.string(),
                                 "Cannot read " + p.string());
    }
    files.push_back({p.string(), std::move(*bytes)});
  }
  return Build(files, options);
}

}  // namespace khien::safety
