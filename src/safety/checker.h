// Checker: the safety checker end to end — normalise, extract, match rules, consult lists
// and the learned classifier, score each category and explain.
//
// Score per category = logistic(kPriorLogOdds + Σ weights of the rules that fired +
// AdditiveModelLogOdds when the model has a head for the category); 0.5 is the decision
// threshold. Each rule counts once per message. When the model's head for the category is
// stacked (trained with the rule hits, entities and sender as features, see Evidence in
// features.h) its calibrated probability is the score instead: it has already weighed the
// rules. Either way a rule marked `at_least` in its file (a block-listed phone, domain or
// account; an OTP request; a few unmistakable scam tricks) lifts its category's score to
// that verdict's floor (AtLeastLogOdds), unless a rule of negative weight in the category
// fired too: counter-evidence such as a warning about scams leaves the score to the sum or
// the model.
//
// Ownership: the Checker owns its lists and shares its classifier; the rules live in an
// immutable RuleSet swapped atomically by ReloadRules (the model by SetModel), so checks
// running during a reload finish on the rules and model they started with.
// Failure: Create fails on unreadable/malformed rules, lists or model (messages name the
// file); Check fails on text over max_text_bytes (kPayloadTooLarge → HTTP 413), on blank
// text (only white space, control or format characters: kInvalidInput on "text") and on
// invalid UTF-8 (kMalformed).
// Thread-safety: Check and CheckConversation are safe from many threads, also during
// ReloadRules and SetModel.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "safety/lists.h"
#include "safety/rule_set.h"
#include "safety/verdict.h"

namespace khien::safety {

class Classifier;

inline constexpr double kPriorLogOdds = -3.0;
// How far an additive (non-stacked) head may pull a category down. The shipped head learns
// from a few hundred examples and can be very sure of itself; it may soften a rule hit, not
// cancel a strong one.
inline constexpr double kMaxModelVetoLogOdds = -2.5;

// log(p / (1 - p)) with p clamped to [1e-4, 1 - 1e-4].
double LogOdds(double p);
// What an additive head with probability p adds to the rule weights: its log-odds, but not
// less than kMaxModelVetoLogOdds. The one combination rule, for the checker and for the
// "rules + model, added" figures of `khien safety cv` and the accuracy bench.
double AdditiveModelLogOdds(double p);

// The least log-odds a rule with this `at_least` gives its category: caution 0.4 (score 0.6),
// danger 1.75 (score 0.85); -infinity for kSafe (no floor).
double AtLeastLogOdds(Verdict at_least);

struct CheckerOptions {
  std::string rules_dir;                 // empty (default): the rules embedded in the binary
  std::string cache_dir;                 // empty (default): compile the rules, no disk cache
  std::vector<std::string> blocklists;   // list files (plain or hosts format)
  std::vector<std::string> allowlists;
  bool use_classifier = true;            // false: rules only
  std::string model_path;                // empty (default): Classifier::Default()
  size_t max_text_bytes = 64 * 1024;     // longer text is rejected (kPayloadTooLarge)
  size_t max_messages = 200;             // per conversation
};

class Checker {
 public:
  static Result<Checker> Create(const CheckerOptions& options);

  Checker(Checker&&) noexcept;
  Checker& operator=(Checker&&) noexcept;
  ~Checker();

  Result<CheckResult> Check(std::string_view text) const;
  // As above, knowing who sent the message: a sender kind ("brandname", "phone",
  // "shortcode") or what the phone shows ("VCB", "0912345678", "9029"); see SenderKind in
  // features.h. Only a model trained with senders (`khien safety train --sender-col`) uses it.
  Result<CheckResult> Check(std::string_view text, std::string_view sender) const;
  // Scores the messages as one conversation: each message as by Check, plus grooming
  // progression across them (result.conversation); reasons and entities carry the index of
  // their message.
  Result<CheckResult> CheckConversation(const std::vector<Message>& messages) const;

  // Loads rules from `dir` (empty: the embedded rules). On error the current rules stay.
  Result<void> ReloadRules(const std::string& dir);

  // Replaces the dynamic lists (moderators' entries, kept in the database by src/moderation)
  // consulted beside the static lists: a value blocked in either is blocked, a domain allowed
  // in either is allowed. Swapped atomically: checks in flight finish on the lists they
  // started with, the next check sees the new ones. nullptr removes them.
  void SetDynamicLists(std::shared_ptr<const Lists> lists);

  // Applies moderators' rule settings (on/off, weight; see RuleSet::WithSettings) to the
  // loaded rules, replacing any earlier settings; kept across ReloadRules. Swapped
  // atomically like the lists: the next check sees them. Cheap (no recompiling).
  void SetRuleSettings(std::vector<RuleSetting> settings);

  // Replaces the learned model (e.g. one retrained from confirmed reports; nullptr: rules
  // only). Swapped atomically like the lists: the next check uses it.
  void SetModel(std::shared_ptr<const Classifier> model);
  std::shared_ptr<const Classifier> model() const;  // nullptr when rules only

  std::shared_ptr<const RuleSet> rules() const;
  const Lists& lists() const;

  // The least log-odds per category that the `at_least` rules among `result`'s reasons
  // demand (-infinity where none): what Check raises the combined score to. For evaluation
  // tools that combine a rules-only result with a model of their own, as Check does.
  std::array<double, kAllCategories.size()> FloorLogOdds(const CheckResult& result) const;

 private:
  struct State;
  explicit Checker(std::unique_ptr<State> state);
  // `nt`: the message normalised by rules.normalizer() (which also found it valid UTF-8).
  CheckResult CheckNormalized(const NormalizedText& nt, const RuleSet& rules,
                              std::string_view sender = {}) const;
  std::unique_ptr<State> state_;
};

// Where the rules are at run time when no --rules is given: $KHIEN_RULES, else `rules/`
// next to the binary's parent folder, else /usr/share/khien/rules, else "" (embedded).
std::string DefaultRulesDir(std::string_view argv0);

}  // namespace khien::safety
