#include "safety/retrain.h"

#include "safety/default_model.h"

namespace khien::safety {

Evidence RuleEvidence(const CheckResult& rules_only) {
  Evidence e;
  for (const Reason& r : rules_only.reasons) e.AddRule(r.rule, r.category, r.weight);
  for (const EntityItem& x : rules_only.entities) e.AddEntity(x.type);
  return e;
}

void AddRuleEvidence(const Checker& rules_only, std::vector<LabelledText>* examples) {
  for (LabelledText& example : *examples) {
    auto r = rules_only.Check(example.text);
    example.evidence = r.ok() ? RuleEvidence(*r) : Evidence{};
  }
}

Result<Classifier> RetrainWithReports(const Checker& rules_only, std::vector<LabelledText> reports,
                                      RetrainSummary* summary) {
  std::vector<LabelledText> examples = ExamplesForCategory(DefaultTrainingTsv(), Category::kScam);
  RetrainSummary s;
  for (LabelledText& r : reports) {
    (r.positive ? s.reports_scam : s.reports_safe) += 1;
    examples.push_back(std::move(r));
  }
  AddRuleEvidence(rules_only, &examples);
  for (const LabelledText& e : examples) s.positives += e.positive ? 1 : 0;
  s.examples = examples.size();
  TrainOptions options = DefaultTrainOptionsFor(Category::kScam);
  options.features.evidence = true;
  Classifier model = Classifier::TrainDefault();
  KHIEN_RETURN_IF_ERROR(model.Train(Category::kScam, examples, options));
  if (summary != nullptr) *summary = s;
  return model;
}

}  // namespace khien::safety
