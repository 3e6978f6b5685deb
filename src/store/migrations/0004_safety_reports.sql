-- Safety checker surfaces: messages people chose to report (with consent), "this was wrong"
-- feedback, and the block/allow list entries moderators manage. Written once for SQLite and
-- PostgreSQL. Times are Unix milliseconds (UTC).
--
-- Privacy: a check stores nothing. A report stores the text only because the person ticked
-- consent; no address, no user agent, no account. Feedback stores only the verdict shown.

CREATE TABLE safety_reports (
  id          TEXT PRIMARY KEY,
  text        TEXT NOT NULL,                 -- NFC, at most 64 KiB
  verdict     TEXT NOT NULL CHECK (verdict IN ('safe', 'caution', 'danger')),  -- checker, at report time
  categories  TEXT NOT NULL DEFAULT '',      -- comma-separated categories flagged at report time
  shown_verdict TEXT CHECK (shown_verdict IN ('safe', 'caution', 'danger')),    -- what the page showed
  org_code    TEXT REFERENCES org_units (code),
  status      TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
  label       TEXT CHECK (label IN ('scam', 'safe')),  -- set on confirmation
  decided_by  TEXT REFERENCES users (id),
  decided_at  BIGINT,
  created_at  BIGINT NOT NULL
);
CREATE INDEX safety_reports_queue ON safety_reports (status, created_at);

CREATE TABLE safety_feedback (
  id          TEXT PRIMARY KEY,
  verdict     TEXT NOT NULL CHECK (verdict IN ('safe', 'caution', 'danger')),
  correct     BIGINT NOT NULL CHECK (correct IN (0, 1)),
  created_at  BIGINT NOT NULL                -- rounded down to the hour
);

CREATE TABLE safety_list_entries (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('phone', 'domain', 'account')),
  value         TEXT NOT NULL,               -- normalised: phone 0xxxxxxxxx, ASCII host, digits
  list          TEXT NOT NULL CHECK (list IN ('block', 'allow')),
  source_report TEXT REFERENCES safety_reports (id),
  created_by    TEXT REFERENCES users (id),
  created_at    BIGINT NOT NULL,
  UNIQUE (kind, value, list)
);
