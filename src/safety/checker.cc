#include "safety/checker.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>

#include "base/text.h"
#include "safety/classifier.h"
#include "safety/explain.h"

namespace khien::safety {
namespace {

using khien::text::ascii::IsSpace;

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The least log-odds per category the `at_least` rules among `fired` demand (-infinity where
// none). A rule weighted 0 or below (a moderator's setting) has no floor, and a category where
// counter-evidence fired (a rule of negative weight: the message warns about scams) has none.
std::array<double, kAllCategories.size()> FloorOf(const std::vector<const Rule*>& fired) {
  std::array<double, kAllCategories.size()> floor;
  floor.fill(-std::numeric_limits<double>::infinity());
  std::array<bool, kAllCategories.size()> countered{};
  for (const Rule* r : fired) {
    const size_t c = static_cast<size_t>(r->category);
    if (r->weight < 0) countered[c] = true;
    if (r->weight > 0) floor[c] = std::max(floor[c], AtLeastLogOdds(r->at_least));
  }
  for (size_t c = 0; c < floor.size(); ++c) {
    if (countered[c]) floor[c] = -std::numeric_limits<double>::infinity();
  }
  return floor;
}

// Appends the advice ids not there yet, in order.
void AddAdviceIds(const std::vector<std::string>& from, std::vector<std::string>* ids) {
  for (const std::string& a : from) {
    if (std::find(ids->begin(), ids->end(), a) == ids->end()) ids->push_back(a);
  }
}

// One set of normaliser buffers per thread, reused: no allocation per message once warm.
NormalizedText& ThreadNormalized() {
  thread_local NormalizedText nt;
  return nt;
}

int StageIndex(std::string_view stage) {
  for (size_t i = 0; i < kGroomingStages.size(); ++i) {
    if (kGroomingStages[i] == stage) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

double LogOdds(double p) {
  const double q = std::clamp(p, 1e-4, 1 - 1e-4);
  return std::log(q / (1 - q));
}

double AdditiveModelLogOdds(double p) { return std::max(LogOdds(p), kMaxModelVetoLogOdds); }

double AtLeastLogOdds(Verdict at_least) {
  switch (at_least) {
    case Verdict::kCaution: return 0.4;
    case Verdict::kDanger: return 1.75;
    case Verdict::kSafe: break;
  }
  return -std::numeric_limits<double>::infinity();
}

struct Checker::State {
  std::atomic<std::shared_ptr<const RuleSet>> rules;
  CheckerOptions options;
  Lists lists;
  std::atomic<std::shared_ptr<const Lists>> dynamic_lists;  // may hold nullptr
  // The rules as loaded and the moderators' settings; `rules` is base_rules with settings.
  std::mutex settings_mu;
  std::shared_ptr<const RuleSet> base_rules;  // GUARDED_BY(settings_mu)
  std::vector<RuleSetting> settings;          // GUARDED_BY(settings_mu)
  // nullptr: rules only. Swapped atomically by SetModel, like the rules and lists.
  std::atomic<std::shared_ptr<const Classifier>> model;
};

Checker::Checker(std::unique_ptr<State> state) : state_(std::move(state)) {}
Checker::Checker(Checker&&) noexcept = default;
Checker& Checker::operator=(Checker&&) noexcept = default;
Checker::~Checker() = default;

Result<Checker> Checker::Create(const CheckerOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  RuleSetOptions rs{options.cache_dir};
  auto rules = options.rules_dir.empty() ? RuleSet::LoadEmbedded(rs)
                                         : RuleSet::LoadDir(options.rules_dir, rs);
  if (!rules.ok()) return rules.take_error();
  state->base_rules = std::move(rules).value();
  state->rules.store(state->base_rules);
  for (const std::string& path : options.blocklists) {
    KHIEN_RETURN_IF_ERROR(state->lists.LoadFile(path, Lists::Kind::kBlock));
  }
  for (const std::string& path : options.allowlists) {
    KHIEN_RETURN_IF_ERROR(state->lists.LoadFile(path, Lists::Kind::kAllow));
  }
  if (options.use_classifier) {
    if (options.model_path.empty()) {
      // The shipped model lives as long as the program: a shared_ptr that never deletes it.
      state->model.store(std::shared_ptr<const Classifier>(std::shared_ptr<void>(), &Classifier::Default()));
    } else {
      KHIEN_ASSIGN_OR_RETURN(Classifier model, Classifier::Load(options.model_path));
      state->model.store(std::make_shared<const Classifier>(std::move(model)));
    }
  }
  return Checker(std::move(state));
}

std::shared_ptr<const RuleSet> Checker::rules() const { return state_->rules.load(); }
const Lists& Checker::lists() const { return state_->lists; }

std::array<double, kAllCategories.size()> Checker::FloorLogOdds(const CheckResult& result) const {
  const std::shared_ptr<const RuleSet> rules = state_->rules.load();
  std::vector<const Rule*> fired;
  for (const Reason& reason : result.reasons) {
    if (const Rule* r = rules->FindRule(reason.rule)) fired.push_back(r);
  }
  return FloorOf(fired);
}

void Checker::SetModel(std::shared_ptr<const Classifier> model) { state_->model.store(std::move(model)); }

std::shared_ptr<const Classifier> Checker::model() const { return state_->model.load(); }

void Checker::SetDynamicLists(std::shared_ptr<const Lists> lists) {
  state_->dynamic_lists.store(std::move(lists));
}

Result<void> Checker::ReloadRules(const std::string& dir) {
  RuleSetOptions rs{state_->options.cache_dir};
  auto rules = dir.empty() ? RuleSet::LoadEmbedded(rs) : RuleSet::LoadDir(dir, rs);
  if (!rules.ok()) return rules.take_error();
  std::lock_guard<std::mutex> lock(state_->settings_mu);
  state_->base_rules = std::move(rules).value();
  state_->rules.store(state_->settings.empty()
                          ? state_->base_rules
                          : RuleSet::WithSettings(state_->base_rules, state_->settings));
  return Ok();
}

void Checker::SetRuleSettings(std::vector<RuleSetting> settings) {
  std::lock_guard<std::mutex> lock(state_->settings_mu);
  state_->settings = std::move(settings);
  state_->rules.store(RuleSet::WithSettings(state_->base_rules, state_->settings));
}

Result<CheckResult> Checker::Check(std::string_view text) const { return Check(text, {}); }

Result<CheckResult> Checker::Check(std::string_view text, std::string_view sender) const {
  if (text.size() > state_->options.max_text_bytes) {
    return Error{ErrorCode::kPayloadTooLarge, "text",
                 "Tin nhắn quá dài: tối đa " +
                     std::to_string(state_->options.max_text_bytes / 1024) + " KB.",
                 "The message is too long: at most " +
                     std::to_string(state_->options.max_text_bytes / 1024) + " KB."};
  }
  if (text::IsBlank(text)) {
    return Error::InvalidInput("text", "Hãy dán tin nhắn cần kiểm tra.", "Paste the message to check.");
  }
  const std::shared_ptr<const RuleSet> rules = state_->rules.load();
  NormalizedText& nt = ThreadNormalized();
  if (!rules->normalizer().Normalize(text, &nt)) {
    return Error::Malformed("Tin nhắn không phải văn bản UTF-8 hợp lệ.",
                            "The message is not valid UTF-8 text.");
  }
  return CheckNormalized(nt, *rules, sender);
}

CheckResult Checker::CheckNormalized(const NormalizedText& nt, const RuleSet& rules,
                                     std::string_view sender) const {
  const std::string_view text = nt.original;
  CheckResult result;
  const std::vector<Entity> entities = ExtractEntities(nt);
  std::vector<RuleMatch> matches;
  rules.Match(nt, entities, &matches);

  struct Fired {
    uint32_t rule;
    uint32_t start, end;  // original bytes
  };
  std::vector<Fired> fired;
  for (const RuleMatch& m : matches) {
    const Rule& r = rules.rules()[m.rule];
    auto [b, e] = nt.OriginalSpan(r.view, m.from, std::max(m.to, m.from + 1));
    // A pattern may match the space before a word (to tell a word from a link's code);
    // the highlight is the word.
    while (e - b > 1 && IsSpace(text[b])) ++b;
    while (e - b > 1 && IsSpace(text[e - 1])) --e;
    fired.push_back({m.rule, b, e});
  }
  // Signal rules: fired by entities and lists.
  const Lists& lists = state_->lists;
  const std::shared_ptr<const Lists> dynamic = state_->dynamic_lists.load();
  const auto allowed_domain = [&](std::string_view h) {
    return lists.IsAllowedDomain(h) || (dynamic && dynamic->IsAllowedDomain(h));
  };
  const auto blocked_domain = [&](std::string_view h) {
    return lists.IsBlockedDomain(h) || (dynamic && dynamic->IsBlockedDomain(h));
  };
  const auto blocked_phone = [&](std::string_view p) {
    return lists.IsBlockedPhone(p) || (dynamic && dynamic->IsBlockedPhone(p));
  };
  const auto blocked_account = [&](std::string_view a) {
    return lists.IsBlockedAccount(a) || (dynamic && dynamic->IsBlockedAccount(a));
  };
  for (const uint32_t i : rules.entity_signal_rules()) {
    const Rule& r = rules.rules()[i];
    if (!r.enabled) continue;
    for (const Entity& e : entities) {
      bool hit = false;
      switch (r.signal) {
        case Signal::kLookalikeDomain:
          // A homograph of an allowed domain is exactly the attack, so it skips the allow list.
          if (e.type == EntityType::kDomain && e.homograph) {
            hit = IsOfficialDomain(e.host_ascii) || ImitatedOfficialDomain(e.host_ascii);
          } else if (e.type == EntityType::kDomain && !allowed_domain(e.host_ascii)) {
            if (ImitatedOfficialDomain(e.host_ascii)) {
              hit = true;
            } else if (e.host_ascii.find("xn--") != std::string::npos) {
              // An internationalised host: compare its folded form ("vịetcombank").
              const std::string folded = text::Fold(DisplayHost(e.host_ascii));
              hit = IsOfficialDomain(folded) || ImitatedOfficialDomain(folded).has_value();
            }
          }
          break;
        case Signal::kBlocklistedDomain:
          hit = e.type == EntityType::kDomain && blocked_domain(e.host_ascii);
          break;
        case Signal::kBlocklistedPhone:
          hit = e.type == EntityType::kPhone && blocked_phone(e.value);
          break;
        case Signal::kBlocklistedAccount:
          hit = e.type == EntityType::kBankAccount && blocked_account(e.value);
          break;
        case Signal::kOtpRequest: hit = e.type == EntityType::kOtpRequest; break;
        case Signal::kCitizenId: hit = e.type == EntityType::kCitizenId; break;
        case Signal::kLearnedModel:  // decided after scoring, below
        case Signal::kNone: break;
      }
      if (hit) {
        fired.push_back({i, e.start, e.end});
        break;
      }
    }
  }
  std::sort(fired.begin(), fired.end(),
            [](const Fired& a, const Fired& b) { return a.start < b.start; });

  std::array<double, kAllCategories.size()> z;
  z.fill(kPriorLogOdds);
  thread_local CharOffsets chars;
  chars.Reset(text);
  std::vector<std::string> advice_ids;
  result.reasons.reserve(fired.size());
  for (const Fired& f : fired) {
    const Rule& r = rules.rules()[f.rule];
    z[static_cast<size_t>(r.category)] += r.weight;
    Reason reason;
    reason.rule = r.id;
    reason.category = r.category;
    reason.weight = r.weight;
    reason.start = chars(f.start);
    reason.end = chars(f.end);
    reason.text = std::string(text.substr(f.start, f.end - f.start));
    reason.explanation_vi = r.explanation_vi;
    reason.explanation_en = r.explanation_en;
    result.reasons.push_back(std::move(reason));
    if (r.weight > 0) {
      AddAdviceIds(r.advice, &advice_ids);
    }
  }
  const std::array<double, kAllCategories.size()> z_rules = z;
  const Evidence* model_evidence = nullptr;
  const std::shared_ptr<const Classifier> model_ptr = state_->model.load();
  if (model_ptr != nullptr) {
    const Classifier& model = *model_ptr;
    // A stacked head has seen the same rule hits, entities and sender as features, so its
    // probability is the score; other heads' log-odds add to the rule weights.
    thread_local Evidence evidence;
    const Evidence* given = nullptr;
    if (model.UsesEvidence()) {
      evidence.Clear();
      for (const Reason& r : result.reasons) evidence.AddRule(r.rule, r.category, r.weight);
      for (const Entity& e : entities) evidence.AddEntity(EntityTypeName(e.type));
      evidence.AddSender(sender);
      given = &evidence;
    }
    model_evidence = given;
    const CategoryProbabilities p = model.Predict(text, given);
    for (size_t c = 0; c < p.size(); ++c) {
      if (!p[c]) continue;
      if (model.UsesEvidence(kAllCategories[c])) {
        z[c] = LogOdds(*p[c]);
      } else {
        z[c] += AdditiveModelLogOdds(*p[c]);
      }
    }
  }
  // Some signs are enough on their own for a warning, whatever the wording looks like to the
  // model: a number, account or domain moderators confirmed as a scammer's, a request for an
  // OTP, the rules marked `at_least`.
  {
    thread_local std::vector<const Rule*> fired_rules;
    fired_rules.clear();
    for (const Fired& f : fired) fired_rules.push_back(&rules.rules()[f.rule]);
    const auto floor = FloorOf(fired_rules);
    for (size_t c = 0; c < z.size(); ++c) z[c] = std::max(z[c], floor[c]);
  }
  double max_score = 0;
  for (Category c : kAllCategories) {
    const double s = Sigmoid(z[static_cast<size_t>(c)]);
    result.scores[static_cast<size_t>(c)] = s;
    if (s >= kDecisionThreshold) result.categories.push_back(c);
    max_score = std::max(max_score, s);
  }
  result.verdict = max_score >= kDangerThreshold   ? Verdict::kDanger
                   : max_score >= kDecisionThreshold ? Verdict::kCaution
                                                     : Verdict::kSafe;
  // A category flagged with no rule behind it still gets a reason (the wording resembles
  // known messages of its kind) and its advice: "caution" with nothing to read helps nobody.
  for (Category c : result.categories) {
    const bool explained =
        std::any_of(result.reasons.begin(), result.reasons.end(),
                    [c](const Reason& r) { return r.category == c && r.weight > 0; });
    if (explained) continue;
    for (const Rule& r : rules.rules()) {
      if (r.signal != Signal::kLearnedModel || r.category != c || !r.enabled) continue;
      Reason reason;
      reason.rule = r.id;
      reason.category = c;
      reason.weight = z[static_cast<size_t>(c)] - z_rules[static_cast<size_t>(c)];
      reason.explanation_vi = r.explanation_vi;
      reason.explanation_en = r.explanation_en;
      // Highlight the words the model leaned on most; without a clear one, no span (the
      // message as a whole).
      const auto words = model_ptr != nullptr
                             ? MostTellingWords(*model_ptr, c, text, model_evidence)
                             : std::nullopt;
      if (words) {
        reason.start = chars(words->first);
        reason.end = chars(words->second);
        reason.text = std::string(text.substr(words->first, words->second - words->first));
      }
      result.reasons.push_back(std::move(reason));
      AddAdviceIds(r.advice, &advice_ids);
      break;
    }
  }
  if (result.verdict != Verdict::kSafe) {
    for (const std::string& id : advice_ids) {
      if (const Advice* a = rules.FindAdvice(id)) result.advice.push_back({a->id, a->vi, a->en});
    }
  }
  result.entities.reserve(entities.size());
  for (const Entity& e : entities) {
    result.entities.push_back(
        {std::string(EntityTypeName(e.type)), e.value, chars(e.start), chars(e.end), -1});
  }
  return result;
}

Result<CheckResult> Checker::CheckConversation(const std::vector<Message>& messages) const {
  if (messages.size() > state_->options.max_messages) {
    return Error{ErrorCode::kPayloadTooLarge, "messages",
                 "Cuộc trò chuyện quá dài: tối đa " +
                     std::to_string(state_->options.max_messages) + " tin nhắn.",
                 "The conversation is too long: at most " +
                     std::to_string(state_->options.max_messages) + " messages."};
  }
  size_t total = 0;
  for (const Message& m : messages) total += m.text.size();
  if (total > state_->options.max_text_bytes) {
    return Error{ErrorCode::kPayloadTooLarge, "messages",
                 "Cuộc trò chuyện quá dài: tối đa " +
                     std::to_string(state_->options.max_text_bytes / 1024) + " KB.",
                 "The conversation is too long: at most " +
                     std::to_string(state_->options.max_text_bytes / 1024) + " KB."};
  }
  const std::shared_ptr<const RuleSet> rules = state_->rules.load();
  CheckResult out;
  std::array<double, kAllCategories.size()> z;
  z.fill(-1e9);
  // Per sender: for each stage, the strongest rule weight and the messages showing it.
  struct SenderStages {
    std::array<double, kGroomingStages.size()> weight{};
    std::array<std::vector<int>, kGroomingStages.size()> messages;
  };
  std::map<std::string, SenderStages> senders;
  std::vector<std::string> advice_ids;
  for (size_t i = 0; i < messages.size(); ++i) {
    NormalizedText& nt = ThreadNormalized();
    if (!rules->normalizer().Normalize(messages[i].text, &nt)) {
      return Error::Malformed("Tin nhắn số " + std::to_string(i + 1) + " không phải UTF-8 hợp lệ.",
                              "Message " + std::to_string(i + 1) + " is not valid UTF-8.");
    }
    CheckResult one = CheckNormalized(nt, *rules);
    for (size_t c = 0; c < z.size(); ++c) {
      const double s = std::clamp(one.scores[c], 1e-9, 1 - 1e-9);
      z[c] = std::max(z[c], std::log(s / (1 - s)));
    }
    SenderStages& st = senders[messages[i].from];
    for (Reason& r : one.reasons) {
      for (const Rule& rule : rules->rules()) {
        if (rule.id != r.rule || rule.stage.empty()) continue;
        const int k = StageIndex(rule.stage);
        if (k < 0) continue;
        st.weight[k] = std::max(st.weight[k], rule.weight);
        if (st.messages[k].empty() || st.messages[k].back() != static_cast<int>(i)) {
          st.messages[k].push_back(static_cast<int>(i));
        }
      }
      r.message = static_cast<int>(i);
      out.reasons.push_back(std::move(r));
    }
    for (EntityItem& e : one.entities) {
      e.message = static_cast<int>(i);
      out.entities.push_back(std::move(e));
    }
    for (const AdviceItem& a : one.advice) {
      if (std::find(advice_ids.begin(), advice_ids.end(), a.id) == advice_ids.end()) {
        advice_ids.push_back(a.id);
      }
    }
  }
  // Grooming progression: the sender who reached the most stages. Stages add up across
  // messages, and going through three or more of them is itself a sign.
  ConversationResult conv;
  const SenderStages* worst = nullptr;
  int worst_count = 0;
  for (const auto& [from, st] : senders) {
    int count = 0;
    for (const auto& m : st.messages) count += !m.empty();
    if (count > worst_count) { worst = &st; worst_count = count; }
  }
  if (worst != nullptr) {
    double gz = kPriorLogOdds;
    for (size_t k = 0; k < kGroomingStages.size(); ++k) {
      if (worst->messages[k].empty()) continue;
      gz += worst->weight[k];
      conv.stage = std::string(kGroomingStages[k]);
      conv.stage_index = static_cast<int>(k);
      conv.stages.push_back({std::string(kGroomingStages[k]), worst->messages[k]});
    }
    if (worst_count >= 3) gz += 1.5;
    const size_t g = static_cast<size_t>(Category::kGrooming);
    z[g] = std::max(z[g], gz);
  }
  double max_score = 0;
  for (Category c : kAllCategories) {
    const double s = messages.empty() ? Sigmoid(kPriorLogOdds) : Sigmoid(z[static_cast<size_t>(c)]);
    out.scores[static_cast<size_t>(c)] = s;
    if (s >= kDecisionThreshold) out.categories.push_back(c);
    max_score = std::max(max_score, s);
  }
  out.verdict = max_score >= kDangerThreshold   ? Verdict::kDanger
                : max_score >= kDecisionThreshold ? Verdict::kCaution
                                                  : Verdict::kSafe;
  if (out.verdict != Verdict::kSafe) {
    for (const Rule& rule : rules->rules()) {
      // Conversations that reach grooming get the grooming advice even when no single
      // message did.
      if (rule.category == Category::kGrooming && out.flagged(Category::kGrooming)) {
        AddAdviceIds(rule.advice, &advice_ids);
        break;
      }
    }
    for (const std::string& id : advice_ids) {
      if (const Advice* a = rules->FindAdvice(id)) out.advice.push_back({a->id, a->vi, a->en});
    }
  }
  out.conversation = std::move(conv);
  return out;
}

std::string DefaultRulesDir(std::string_view argv0) {
  if (const char* env = std::getenv("KHIEN_RULES"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (!argv0.empty()) {
    auto exe = std::filesystem::weakly_canonical(std::filesystem::path(argv0), ec);
    if (!ec) {
      auto candidate = exe.parent_path().parent_path() / "rules";
      if (std::filesystem::is_directory(candidate, ec)) return candidate.string();
    }
  }
  if (std::filesystem::is_directory("/usr/share/khien/rules", ec)) return "/usr/share/khien/rules";
  return "";
}

}  // namespace khien::safety
