// RuleSet: every rule, advice text and the teencode table of one rules folder, validated and
// compiled into one Hyperscan database per view, plus merged databases over the patterns of
// several views for messages whose views have byte-equal texts (most SMS: nothing to
// deobfuscate, often no teencode), so the shared text is scanned once. Hyperscan finds which
// rules match; the span
// of each match is then taken from PCRE2 on the same pattern (cheaper than Hyperscan's
// start-of-match mode, which made compiling these rules 15x slower).
//
// A RuleSet is immutable once built; the Checker holds it through a
// std::shared_ptr<const RuleSet> and swaps in a new one on reload, so a reload that fails
// leaves the previous rules working. Compiled databases are cached on disk (keyed by a hash
// of the rule files and the Hyperscan version) when a cache folder is given; a missing,
// stale or unreadable cache only costs a recompile.
//
// Thread-safety: Match may be called from many threads (each thread keeps one Hyperscan
// scratch, fitted to the rule set it last used; PCRE2 match data is per thread too).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "safety/category.h"
#include "safety/extractors.h"
#include "safety/normalizer.h"
#include "safety/rule_file.h"
#include "safety/verdict.h"

struct hs_database;
struct hs_scratch;
struct pcre2_real_code_8;

namespace khien::safety {

// Conditions fired by extractors and lists rather than by patterns.
enum class Signal {
  kNone,
  kLookalikeDomain,     // a link imitating an official domain (and not allow-listed)
  kBlocklistedDomain,   // a link whose host (or a parent) is on a block list
  kBlocklistedPhone,
  kBlocklistedAccount,
  kOtpRequest,          // someone asks for an OTP / password (not a warning against it)
  kCitizenId,           // a 12-digit citizen ID number
  kLearnedModel,        // the classifier alone put the category over the threshold: the
                        // rule carries the explanation and advice; its weight is unused
};
Result<Signal> ParseSignal(std::string_view name);

struct Advice {
  std::string id;
  std::string vi;
  std::string en;
};

struct Rule {
  std::string id;
  Category category = Category::kScam;
  ViewKind view = ViewKind::kFolded;
  std::vector<std::string> patterns;
  Signal signal = Signal::kNone;
  std::string requires_regex;  // empty: none
  std::string unless_regex;    // empty: none
  std::vector<EntityType> near;
  std::string stage;  // grooming stage name, or empty
  double weight = 0;          // in effect (a moderator's setting, else default_weight)
  double default_weight = 0;  // as written in the rule file
  // Rspamd's force_actions: while the rule fires with a positive weight its category's verdict
  // is at least this, whatever the other rules and the learned model make of the message.
  // kSafe: no floor.
  Verdict at_least = Verdict::kSafe;
  bool enabled = true;        // false: a moderator switched it off; it never fires
  std::string explanation_vi;
  std::string explanation_en;
  std::vector<std::string> advice;
  std::string source;  // "file:line" of its [[rule]] header
};

struct RuleMatch {
  uint32_t rule = 0;  // index into rules()
  uint32_t from = 0;  // byte span in the rule's view
  uint32_t to = 0;
};

// A moderator's setting for one rule (kept in the database by src/moderation).
struct RuleSetting {
  std::string id;
  bool enabled = true;
  std::optional<double> weight;  // nullopt: the rule file's weight
};

// Weights a setting may give: the same range rule files allow.
inline constexpr double kMaxRuleWeight = 20;

struct RuleSetOptions {
  std::string cache_dir;  // empty (default): no disk cache
  // Scan byte-equal views once through a merged database. Off only to test that merging
  // changes no result (each view is then scanned on its own).
  bool merge_equal_views = true;
};

class RuleSet {
 public:
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Builds from rule files (*.toml) and an optional teencode table (teencode.tsv).
  // Error kInvalidInput naming file:line for any malformed rule, unknown advice id,
  // duplicate id or pattern that does not compile.
  static Result<std::shared_ptr<const RuleSet>> Build(const std::vector<RuleFileSource>& files,
                                                      const RuleSetOptions& options);
  // All *.toml and teencode.tsv of `dir`.
  static Result<std::shared_ptr<const RuleSet>> LoadDir(const std::string& dir,
                                                        const RuleSetOptions& options);
  // The rules embedded in the binary at build time.
  static Result<std::shared_ptr<const RuleSet>> LoadEmbedded(const RuleSetOptions& options);
  // The files embedded in the binary (for tests and `khien check --rules` diagnostics).
  static std::vector<RuleFileSource> EmbeddedFiles();

  // `base` with moderators' settings applied: rules switched off never fire, weights
  // replaced. Shares base's compiled databases (no recompiling: cheap enough to run on every
  // change). Settings for ids `base` does not have are ignored; rules without a setting keep
  // their file weight. REQUIRES: base != nullptr.
  static std::shared_ptr<const RuleSet> WithSettings(std::shared_ptr<const RuleSet> base,
                                                     const std::vector<RuleSetting>& settings);
  const Rule* FindRule(std::string_view id) const;

  const std::vector<Rule>& rules() const { return rules_; }
  // Indices of the rules that extractors and lists fire (a signal other than kNone and
  // kLearnedModel), so a check need not walk every rule to find them.
  const std::vector<uint32_t>& entity_signal_rules() const { return entity_signal_rules_; }
  const Advice* FindAdvice(std::string_view id) const;
  const std::vector<Advice>& advice() const { return advice_; }
  const Normalizer& normalizer() const { return normalizer_; }
  // Whether the databases came from the disk cache (for tests and logs).
  bool loaded_from_cache() const { return loaded_from_cache_; }

  // Pattern rules whose patterns matched, with their contextual checks (requires, unless,
  // near) applied. One match per rule: the leftmost. In view order, then by where the rule's
  // first match ends.
  void Match(const NormalizedText& text, const std::vector<Entity>& entities,
             std::vector<RuleMatch>* out) const;

  // Raw Hyperscan scan of every view, each through its own database even when texts are
  // equal (no merging), without any checks: the benchmark's physical limit.
  size_t RawScan(const NormalizedText& text) const;

 private:
  explicit RuleSet(Normalizer normalizer);
  Result<void> Compile(const RuleSetOptions& options, uint64_t files_hash);

  // One pattern of one pattern rule. Its index in patterns_ is its Hyperscan id in every
  // database that holds it (per-view and merged alike).
  struct PatternRef {
    uint32_t rule;
    uint32_t index;  // in the rule's patterns
    ViewKind view;   // the rule's
    // Compiled with Hyperscan's start-of-match tracking: none by default (it made compiling
    // the shipped rules ~15x slower); the others get their spans from PCRE2 after a match
    // (a few rules per message, so cheap).
    bool som = false;
    pcre2_real_code_8* pcre = nullptr;  // null if som
  };
  // Compiles (or loads from the cache) the database over the patterns of the views in
  // `views` (a bit per ViewKind) into db_[views]. A per-view database that fails is an error;
  // a merged one that fails is left out (its views are then scanned one by one).
  // Counts it in *cached or *compiled.
  Result<void> CompileDatabase(unsigned views, const RuleSetOptions& options, uint64_t files_hash,
                               int* cached, int* compiled);
  // This thread's scratch, fitted to this rule set; nullptr if Hyperscan cannot allocate.
  hs_scratch* AcquireScratch() const;
  // Hyperscan's match callback: records the report as its view's hit of its rule.
  struct ScanContext;
  static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                     unsigned int flags, void* ctx);

  Normalizer normalizer_;
  std::vector<Rule> rules_;
  std::vector<uint32_t> entity_signal_rules_;
  std::vector<Advice> advice_;
  std::vector<pcre2_real_code_8*> requires_code_;  // per rule, may be null
  std::vector<pcre2_real_code_8*> unless_code_;
  std::vector<PatternRef> patterns_;  // by view, then rule, then pattern
  // By set of views (a bit per ViewKind): one-bit sets are the per-view databases, null for a
  // view without patterns; sets of two or more are the merged databases (see Compile).
  hs_database* db_[1u << kViewCount] = {};
  unsigned pattern_views_ = 0;  // views that have patterns (and so a database)
  hs_scratch* prototype_scratch_ = nullptr;  // proves at load that a scratch can be made
  // Set in a WithSettings copy: the compiled databases and PCRE2 codes belong to `base_`,
  // which this copy keeps alive, and are not freed by this one.
  std::shared_ptr<const RuleSet> base_;
  const uint64_t id_;  // unique per RuleSet: tells a thread's scratch whose it is
  bool loaded_from_cache_ = false;
};

}  // namespace khien::safety
