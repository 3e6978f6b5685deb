// Plain types of the cases domain. Identity fields travel in plaintext only between the
// service and its callers; they are encrypted before they reach the repository.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace khien::cases {

// Identifying fields: encrypted at rest, hidden unless the caller may see identity.
struct Identity {
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<std::string> address;   // exact address
  std::optional<std::string> contact;   // reporter's contact
};

struct NewCase {
  std::string org_unit;                  // commune code (or a village under it)
  Identity identity;
  std::string sex = "unknown";           // female | male | other | unknown
  std::optional<int64_t> birth_year;
  std::optional<std::string> ethnicity;
  bool disability = false;
  std::optional<std::string> report_code; // optional: the public report this case comes from (reporter's code)
  std::optional<std::string> report_id;   // or its id from the triage queue
};

struct CasePatch {
  std::optional<Identity> identity;      // fields present replace; "" clears
  std::optional<std::string> sex;
  std::optional<int64_t> birth_year;
  std::optional<std::string> ethnicity;
  std::optional<bool> disability;
  std::optional<bool> high_risk;
  std::optional<std::string> owner_username;  // reassign (supervisor only)
  std::optional<std::vector<std::string>> assigned_usernames;  // replace the assignment list
};

struct Incident {
  std::string id;
  std::string occurred_on;               // YYYY-MM-DD
  std::optional<std::string> place_type;
  std::string core_type;
  std::vector<std::string> context_flags;
  std::vector<std::string> dv_acts;
  std::optional<std::string> perpetrator_relation;
  std::optional<std::string> perpetrator_sex;
  std::optional<std::string> perpetrator_age_group;
  std::optional<int64_t> survivor_age;   // derived from birth year and date
  bool child_under_16 = false;           // derived: Vietnamese law
  bool child_under_18 = false;           // derived: GBVIMS
  int64_t created_at = 0;
};

struct NewIncident {
  std::string occurred_on;
  std::optional<std::string> place_type;
  std::optional<std::string> core_type;  // either core_type or wizard answers
  std::vector<bool> wizard_answers;
  std::vector<std::string> context_flags;
  std::vector<std::string> dv_acts;
  std::optional<std::string> perpetrator_relation;
  std::optional<std::string> perpetrator_sex;
  std::optional<std::string> perpetrator_age_group;
};

struct Consent {
  std::string purpose;                   // services | referral | statistics | share_identity
  std::string provider;                  // org code for referral; "" otherwise
  bool granted = false;
  int64_t recorded_at = 0;
};

struct Referral {
  std::string id;
  std::string case_id;
  std::string provider;                  // org code of the provider
  std::string service;                   // police | health | legal_aid | shelter | psychosocial | hotline_111 | peoples_committee
  std::string status;                    // sent | accepted | declined | completed
  bool share_identity = false;
  bool consent_overridden = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewReferral {
  std::string provider;
  std::string service;
  bool share_identity = false;
  std::optional<std::string> override_reason;  // supervisor only, when consent is missing
};

// A follow-up task. The title is free text (it may name people): encrypted at rest.
struct Task {
  std::string id;
  std::string case_id;
  std::string survivor_code;             // filled in task lists (home page), not in the case view
  std::string title;
  std::string due;                       // YYYY-MM-DD, a Vietnam date
  bool done = false;
  bool overdue = false;                  // !done && due < today in Vietnam (UTC+7)
  std::string created_by;                // username
  int64_t created_at = 0;
  std::optional<int64_t> done_at;
};

struct TaskQuery {
  std::string scope = "mine";            // mine: cases she owns or is assigned
  std::optional<bool> overdue;           // filter; nullopt: all open and done tasks
  int limit = 200;
};

struct Note {
  std::string id;
  std::string author;                    // username
  int64_t at = 0;
  std::string text;
};

struct RiskAssessment {
  std::string level;                     // low | medium | high
  int64_t score = 0;
  std::vector<std::pair<std::string, bool>> answers;  // item id → answer, as given
  int64_t assessed_at = 0;
  std::string assessed_by;               // username
};

struct SafetyPlan {
  std::string safe_places;
  std::string trusted_contacts;
  std::string warning_signs;
  std::string emergency_steps;
  std::string documents;
  int64_t updated_at = 0;
  std::string updated_by;                // username
};

// A closure request waiting for a supervisor.
struct PendingClosure {
  std::string id;
  std::string reason;
  std::optional<std::string> note;       // shown to the case team and the supervisor
  std::string requested_by;              // username
  int64_t requested_at = 0;
};

// What the caller sees of a case. `identity` is empty unless `identity_visible`.
struct CaseView {
  std::string id;
  std::string survivor_code;
  std::string org_code;
  std::string status;                    // open | closure_requested | closed
  std::string sex;
  std::optional<int64_t> birth_year;
  std::optional<std::string> ethnicity;
  bool disability = false;
  bool high_risk = false;
  bool owned = false;                    // the caller owns it
  bool identity_visible = false;
  std::string access;                    // why she may see it: owner | assigned | supervisor | referral | break_glass
  Identity identity;
  std::vector<Incident> incidents;
  std::vector<Consent> consents;
  std::vector<Referral> referrals;
  std::vector<std::string> possible_duplicates;  // survivor codes sharing the blind index
  // Follow-up (case team only, except risk and closure which the supervisor sees too).
  std::vector<Task> tasks;               // by due date
  std::vector<Note> notes;               // newest first
  std::optional<RiskAssessment> risk;
  std::optional<SafetyPlan> safety_plan;
  std::optional<PendingClosure> closure; // status == closure_requested
  std::optional<int64_t> closed_at;
  std::optional<std::string> closure_reason;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct CaseSummary {
  std::string id;
  std::string survivor_code;
  std::string org_code;
  std::string status;                    // open | closure_requested | closed
  bool high_risk = false;
  std::optional<std::string> risk_level; // low | medium | high; nullopt: not assessed
  int64_t created_at = 0;
};

struct CaseListQuery {
  std::optional<std::string> status;     // open | closure_requested | closed
  std::optional<std::string> risk;       // low | medium | high
  int limit = 50;                        // 1..200
  std::optional<std::string> before;     // created_at|id cursor (not implemented yet: newest first)
};

struct AccessLogEntry {
  int64_t at = 0;
  std::string actor_id;
  std::string action;
  std::string detail_json;
};

struct NewReport {
  std::optional<std::string> org_unit;   // null: unknown, goes to the province queue
  bool anonymous = true;
  std::string about = "myself";          // myself | someone_else
  std::string description;
  std::optional<std::string> contact;    // only when !anonymous
};

struct ReportReceipt {
  std::string code;                      // shown once; stored only as a keyed hash
  std::string pin;                       // shown once; stored only as Argon2id
};

// A public report in the commune's triage queue.
struct TriageItem {
  std::string id;
  std::optional<std::string> org_code;
  bool anonymous = true;
  std::string about;
  std::string description;                // decrypted for staff of the report's place
  std::optional<std::string> contact;
  std::string status;
  std::optional<std::string> case_id;
  int64_t created_at = 0;
};

struct ReportStatus {
  std::string status;                    // received | in_progress | closed
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Statistics: one dimension, counts as text so that suppressed cells read "<5".
struct StatsQuery {
  std::string org;                       // province or commune code
  std::optional<std::string> from;       // YYYY-MM-DD (incident date), inclusive
  std::optional<std::string> to;         // inclusive
  std::string by = "core_type";          // core_type | sex | age_group | ethnicity | commune | context | referral_status
};

struct StatsCell {
  std::string key;
  int64_t count = 0;
  bool suppressed = false;
};

struct Stats {
  std::string org;
  std::string by;
  bool suppression_applied = false;
  std::vector<StatsCell> cells;
  StatsCell total;
};

}  // namespace khien::cases
