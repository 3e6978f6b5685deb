// Plain types of the moderation module: reported messages, feedback and list entries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace khien::moderation {

// A message someone reported from the check page, with consent to store it.
struct NewReport {
  std::string text;                          // as sent; cleaned to NFC by the service
  std::optional<std::string> shown_verdict;  // "safe" | "caution" | "danger": what the page showed
  std::optional<std::string> org_code;       // where she lives, if she said so
};

struct Report {
  std::string id;
  std::string text;
  std::string verdict;                  // the checker's, at report time
  std::vector<std::string> categories;  // flagged at report time
  std::optional<std::string> shown_verdict;
  std::optional<std::string> org_code;
  std::string status;                   // "pending" | "confirmed"
  std::optional<std::string> label;     // "scam" | "safe" once confirmed
  std::optional<std::string> decided_by;
  std::optional<int64_t> decided_at;
  int64_t created_at = 0;
};

// One block or allow list entry kept in the database.
struct ListEntry {
  std::string id;
  std::string kind;   // "phone" | "domain" | "account"
  std::string value;  // normalised (phone "0xxxxxxxxx", ASCII lower-case host, digits)
  std::string list;   // "block" | "allow"
  std::optional<std::string> source_report;
  std::optional<std::string> created_by;
  int64_t created_at = 0;
};

struct NewListEntry {
  std::string kind;
  std::string value;  // as typed; normalised by the service
  std::string list = "block";
};

// A moderator's setting for one checker rule, as stored.
struct RuleSettingRow {
  std::string rule_id;
  bool enabled = true;
  std::optional<double> weight;  // nullopt: the rule file's weight
  std::optional<std::string> updated_by;
  int64_t updated_at = 0;
};

// One rule as moderators see it: the rule file's facts with the setting in effect.
struct RuleView {
  std::string id;
  std::string category;
  double weight = 0;          // in effect
  double default_weight = 0;  // from the rule file
  bool enabled = true;
  bool weighted = true;       // false: explains the learned model's score, has no weight
  std::string at_least;       // "caution" / "danger": the least verdict it forces; "" none
  std::string explanation_vi;
  std::string explanation_en;
  std::optional<std::string> updated_by;
  std::optional<int64_t> updated_at;
};

// A change to one rule; absent fields stay as they are.
struct RuleChange {
  std::optional<bool> enabled;
  std::optional<double> weight;
  bool reset_weight = false;  // true: back to the rule file's weight ("weight": null)
};

// The learned model the checker runs, as moderators see it.
struct ModelStatus {
  std::string source = "built_in";  // "built_in" (shipped) | "trained" (retrained from reports)
  std::optional<int64_t> trained_at;  // when the model file was written (ms since epoch)
  bool can_retrain = false;           // false: the server was started without a model file
  int64_t confirmed_scam = 0;         // confirmed reports a retraining would learn from now
  int64_t confirmed_safe = 0;
  // Filled by RetrainModel: what the new scam head was trained on.
  std::optional<int64_t> examples;
  std::optional<int64_t> reports_used;
};

struct ConfirmOutcome {
  Report report;
  std::vector<ListEntry> added;  // entries this confirmation put on the block list
};

}  // namespace khien::moderation
