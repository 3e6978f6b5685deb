// SQL of the moderation module. Every function runs on the caller's connection (inside her
// transaction) and returns plain values; the service does validation and permissions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "moderation/model.h"
#include "store/database.h"

namespace khien::moderation::repository {

Result<void> InsertReport(store::Connection& c, const Report& report);
Result<void> InsertFeedback(store::Connection& c, const std::string& id, const std::string& verdict,
                            bool correct, int64_t at);

// Reports with `status`, newest first. `org_paths` empty: every report; otherwise reports with
// no place or a place under one of the paths.
Result<std::vector<Report>> ListReports(store::Connection& c, const std::string& status,
                                        const std::vector<std::string>& org_paths, bool all, int limit);
// kNotFound when missing or outside the scope (same rule as ListReports).
Result<Report> GetReport(store::Connection& c, const std::string& id,
                         const std::vector<std::string>& org_paths, bool all);
Result<void> MarkConfirmed(store::Connection& c, const std::string& id, const std::string& label,
                           const std::string& by, int64_t at);

// Confirmed reports by label: {scam, safe}.
Result<std::pair<int64_t, int64_t>> CountConfirmed(store::Connection& c);

Result<bool> OrgUnitExists(store::Connection& c, const std::string& code);

Result<std::vector<ListEntry>> ListEntries(store::Connection& c);
// Inserts unless (kind, value, list) exists; returns the entry, or nullopt if it existed.
Result<std::optional<ListEntry>> InsertEntryIfNew(store::Connection& c, const ListEntry& entry);
Result<ListEntry> GetEntry(store::Connection& c, const std::string& id);
Result<void> DeleteEntry(store::Connection& c, const std::string& id);

// Moderators' rule settings, by rule id.
Result<std::vector<RuleSettingRow>> ListRuleSettings(store::Connection& c);
Result<void> UpsertRuleSetting(store::Connection& c, const RuleSettingRow& setting);

// The counter every change to settings or list entries bumps (in its own transaction), and
// that each process compares with what it loaded.
Result<void> BumpSyncVersion(store::Connection& c);
Result<int64_t> SyncVersion(store::Connection& c);

}  // namespace khien::moderation::repository
