// Retraining the model a server runs from what moderators confirmed: the shipped heads with
// the scam head trained again on the curated examples plus the confirmed reports, stacked on
// the rules (their hits are features; see Evidence in features.h).
//
// Used by `khien safety train --from-reports` and by the moderators' "retrain" action
// (src/moderation), so both build the same model.
// Thread-safety: pure functions of their arguments; the Checker is only read.
#pragma once

#include <cstddef>
#include <vector>

#include "base/result.h"
#include "safety/checker.h"
#include "safety/classifier.h"
#include "safety/verdict.h"

namespace khien::safety {

// What a rules-only check found, as the evidence of a stacked head: every rule that fired
// (with its weight) and every kind of entity. Checker::Check builds the same from its own pass.
Evidence RuleEvidence(const CheckResult& rules_only);

// Sets each example's evidence from a check by `rules_only` (a Checker created with
// use_classifier = false). Examples the checker rejects (too long, invalid UTF-8) keep none.
void AddRuleEvidence(const Checker& rules_only, std::vector<LabelledText>* examples);

struct RetrainSummary {
  size_t examples = 0;      // what the scam head was trained on: curated + reports
  size_t positives = 0;
  size_t reports_scam = 0;  // confirmed reports among them, by label
  size_t reports_safe = 0;
};

// Classifier::TrainDefault() with its scam head replaced by a stacked head (options
// DefaultTrainOptionsFor(kScam)) trained on the curated scam examples of
// training/messages.tsv plus `reports` (positive = confirmed scam). Deterministic.
// Errors: Train's.
Result<Classifier> RetrainWithReports(const Checker& rules_only, std::vector<LabelledText> reports,
                                      RetrainSummary* summary);

}  // namespace khien::safety
