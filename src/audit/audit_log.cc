#include "audit/audit_log.h"

#include <sodium.h>

#include <string_view>

#include "base/ids.h"

namespace khien::audit {
namespace {

std::string ChainHash(const std::string& prev_hash, int64_t seq, int64_t at, const Event& e) {
  // Unit separators keep field boundaries unambiguous.
  std::string material = prev_hash;
  for (const std::string& part :
       {std::to_string(seq), std::to_string(at), e.actor_id, e.action, e.target_type, e.target_id,
        e.org_code, e.detail_json}) {
    material.push_back('\x1f');
    material += part;
  }
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(material.data()),
                     material.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace

Result<void> Append(store::Connection& c, const Event& event) {
  // PostgreSQL: the row lock serialises appenders across processes. SQLite has one writer.
  const char* head_sql = c.dialect() == store::Dialect::kPostgres
                             ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                             : "SELECT seq, hash FROM audit_head WHERE id = 1";
  KHIEN_ASSIGN_OR_RETURN(store::Rows head, c.Query(head_sql));
  if (head.empty()) return Error::Internal("audit_head row missing");
  const int64_t seq = head[0].Int(0) + 1;
  const std::string prev = head[0].Text(1);
  const int64_t at = NowMillis();
  const std::string hash = ChainHash(prev, seq, at, event);
  KHIEN_RETURN_IF_ERROR(c.Execute(
      "INSERT INTO audit_log (seq, at, actor_id, action, target_type, target_id, org_code, detail, "
      "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {seq, at, event.actor_id, event.action, event.target_type, event.target_id, event.org_code,
       event.detail_json, prev, hash}));
  KHIEN_RETURN_IF_ERROR(
      c.Execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", {seq, hash}));
  return Ok();
}

Result<VerifyReport> Verify(store::Database& db) {
  return store::ReadValue<VerifyReport>(db, [](store::Connection& c) -> Result<VerifyReport> {
    VerifyReport report;
    std::string prev = "genesis";
    int64_t expected_seq = 1;
    auto fail = [&](int64_t seq, std::string problem) {
      report.intact = false;
      report.first_bad_seq = seq;
      report.problem = std::move(problem);
    };
    // Pages keep memory flat on long chains.
    constexpr int64_t kPage = 5000;
    for (;;) {
      KHIEN_ASSIGN_OR_RETURN(
          store::Rows rows,
          c.Query("SELECT seq, at, actor_id, action, target_type, target_id, org_code, detail, "
                  "prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                  {expected_seq - 1, kPage}));
      for (size_t i = 0; i < rows.size(); ++i) {
        store::Row r = rows[i];
        const int64_t seq = r.Int(0);
        Event e{r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)};
        if (seq != expected_seq) {
          fail(expected_seq, "entry " + std::to_string(expected_seq) + " is missing");
          return report;
        }
        if (r.Text(8) != prev) {
          fail(seq, "entry " + std::to_string(seq) + " does not follow the previous entry");
          return report;
        }
        const std::string hash = ChainHash(prev, seq, r.Int(1), e);
        if (hash != r.Text(9)) {
          fail(seq, "entry " + std::to_string(seq) + " was altered");
          return report;
        }
        prev = hash;
        ++expected_seq;
        ++report.entries;
      }
      if (rows.size() < static_cast<size_t>(kPage)) break;
    }
    KHIEN_ASSIGN_OR_RETURN(store::Rows head, c.Query("SELECT seq, hash FROM audit_head WHERE id = 1"));
    if (head.empty() || head[0].Int(0) != expected_seq - 1 || head[0].Text(1) != prev) {
      fail(expected_seq, "the newest entries were removed (chain ends at " +
                             std::to_string(expected_seq - 1) + ")");
    }
    return report;
  });
}

Result<std::vector<Entry>> ForTarget(store::Connection& c, const std::string& target_type,
                                     const std::string& target_id, int limit) {
  KHIEN_ASSIGN_OR_RETURN(
      store::Rows rows,
      c.Query("SELECT seq, at, actor_id, action, target_type, target_id, org_code, detail "
              "FROM audit_log WHERE target_type = $1 AND target_id = $2 ORDER BY seq DESC LIMIT $3",
              {target_type, target_id, static_cast<int64_t>(limit)}));
  std::vector<Entry> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    store::Row r = rows[i];
    out.push_back({r.Int(0), r.Int(1), {r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)}});
  }
  return out;
}

}  // namespace khien::audit
