// ModerationService: what people report from the check page, their "this was wrong" feedback,
// the moderators' report queue and the block/allow list entries kept in the database.
//
// Public calls (SubmitReport, RecordFeedback) take no caller: they are anonymous and store no
// address, user agent or account. Every other call takes the caller and requires
// Permission::kModerateSafety (admin, media_member); a media member sees reports without a
// place and those from her own org units' subtrees; an admin sees all. A report outside her
// scope is kNotFound, exactly like one that does not exist.
//
// Lists and rule settings: the entries in the database are the checker's dynamic lists, and
// the rule settings (on/off, weight) are applied to its rules. LoadLists (at start) and every
// change rebuild them and swap them into the Checker, so the next check sees them without a
// restart. Every change also bumps a version counter in the database (same transaction);
// SyncIfStale, called on the request path, compares it with the loaded version at most once
// per `sync_interval_ms` and reloads when another process changed something.
//
// The model: with a model file (SetModelFile), RetrainModel trains the scam head again on the
// curated examples plus every confirmed report (safety::RetrainWithReports), writes the file
// and swaps the model into the checker; it bumps the version counter too, so other processes
// serving the same file reload it on their next sync (the file's modification time tells).
//
// Confirmations and list changes are audited in the same transaction as the change; a
// retraining is audited before its model file is moved into place and used.
//
// Ownership: holds references to the Database and the Checker, which must outlive it.
// Thread-safety: safe from many threads. Blocking (database): never call on an io thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "access/access.h"
#include "base/result.h"
#include "moderation/model.h"
#include "safety/checker.h"
#include "safety/classifier.h"
#include "store/database.h"

namespace khien::moderation {

inline constexpr size_t kMaxReportBytes = 64 * 1024;

class ModerationService {
 public:
  // `now_millis` is the clock (tests pass a fixed one).
  ModerationService(store::Database& db, safety::Checker& checker,
                    std::function<int64_t()> now_millis = {}, int64_t sync_interval_ms = 2000);

  // Reads the list entries and rule settings and hands them to the checker. Call at start.
  Result<void> LoadLists();

  // Reloads lists and rule settings when the database's version counter moved since they
  // were loaded (another process changed them). Reads the counter at most once per sync
  // interval, on one thread; other calls return at once. Errors: the database's.
  Result<void> SyncIfStale();

  // Stores a reported message (NFC) with the checker's verdict and categories now; status
  // pending. Errors: kInvalidInput (empty text, unknown org unit, unknown verdict),
  // kPayloadTooLarge (over 64 KiB), kMalformed (invalid UTF-8). Returns the report id.
  Result<std::string> SubmitReport(const NewReport& input);

  // Stores only the verdict shown and whether it was right. kInvalidInput for an unknown verdict.
  Result<void> RecordFeedback(const std::string& verdict, bool correct);

  // The queue: reports with `status` ("pending" | "confirmed"), newest first, at most `limit`.
  Result<std::vector<Report>> ListReports(const access::Principal& caller, const std::string& status,
                                          int limit);

  // Confirms a pending report as "scam" or "safe". On "scam" the phone numbers, domains and
  // bank accounts the checker extracts from the text go on the block list (official and
  // allowed domains excepted). Errors: kForbidden, kNotFound, kInvalidInput (label),
  // kConflict (already confirmed).
  Result<ConfirmOutcome> ConfirmReport(const access::Principal& caller, const std::string& id,
                                       const std::string& label);

  Result<std::vector<ListEntry>> ListEntries(const access::Principal& caller);
  // Errors: kInvalidInput (kind, list, or a value that is not one), kConflict (already listed).
  Result<ListEntry> AddEntry(const access::Principal& caller, const NewListEntry& input);
  Result<void> DeleteEntry(const access::Principal& caller, const std::string& id);

  // Every rule of the running checker with its setting, in rule-file order.
  Result<std::vector<RuleView>> ListRules(const access::Principal& caller);
  // Switches a rule on or off and/or sets its weight; audited; the running checker uses it
  // at once. Errors: kForbidden, kNotFound (no such rule), kInvalidInput (nothing to change,
  // weight not a number in [-20, 20]).
  Result<RuleView> UpdateRule(const access::Principal& caller, const std::string& id,
                              const RuleChange& change);

  // Where a retrained model is saved and read back (the file `khien serve --model` loaded, or
  // will create), and the rules whose hits it learns from (as the checker was created with;
  // its classifier options are ignored). Call before serving. Without it RetrainModel is kConflict.
  void SetModelFile(std::string path, safety::CheckerOptions rules);
  Result<ModelStatus> GetModelStatus(const access::Principal& caller);
  // Retrains as above and returns the new status. Audited with counts only (never texts).
  // Errors: kForbidden; kConflict (no model file; another retraining running); the database's;
  // kInternal when the file cannot be written (the running model stays).
  Result<ModelStatus> RetrainModel(const access::Principal& caller);

 private:
  // Rebuilds the checker's dynamic lists and rule settings from the database.
  Result<void> RefreshLists();

  store::Database& db_;
  safety::Checker& checker_;
  std::function<int64_t()> now_;
  const int64_t sync_interval_ms_;
  std::mutex refresh_mutex_;  // serialises RefreshLists so the newest read is swapped in last
  std::atomic<int64_t> loaded_version_{-1};  // the sync version RefreshLists last applied
  std::atomic<int64_t> next_sync_at_{0};     // SyncIfStale reads the counter from then on
  // The model file; set once before serving, then only read.
  std::string model_path_;
  safety::CheckerOptions model_rules_;
  std::mutex retrain_mutex_;                   // one retraining at a time
  std::atomic<int64_t> model_file_time_{-1};   // mtime of the model file last loaded or written
  // Reloads the model file when its modification time differs from the one loaded.
  Result<void> ReloadModelIfChanged();
};

// Every confirmed report as a training example: "scam" positive, "safe" negative. What
// RetrainModel and `khien safety train --from-reports` learn from.
Result<std::vector<safety::LabelledText>> ConfirmedReportExamples(store::Database& db);

// Normalises a list value of `kind`: phone → "0xxxxxxxxx", domain → lower-case ASCII host
// (a URL counts by its host), account → its digits. kInvalidInput naming "value" otherwise.
Result<std::string> NormalizeListValue(const std::string& kind, const std::string& value);

}  // namespace khien::moderation
