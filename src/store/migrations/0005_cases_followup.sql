-- Cases, follow-up (issue 5, round 2): tasks, notes, danger assessment, safety plan, closure
-- with supervisor approval, retention (crypto-shredding). Free text is stored only as
-- XChaCha20-Poly1305 ciphertext under the case's data key, like the identity fields of 0003.
-- Written once for SQLite and PostgreSQL. Times are Unix milliseconds (UTC).
--
-- case_records.status keeps its 0003 CHECK ('open', 'closed'): a pending closure request is a
-- row of case_closures, and the service shows such a case as 'closure_requested'.

ALTER TABLE case_records ADD COLUMN risk_level TEXT;        -- low | medium | high; NULL: not assessed
ALTER TABLE case_records ADD COLUMN closed_at BIGINT;
ALTER TABLE case_records ADD COLUMN closure_reason TEXT;
ALTER TABLE case_records ADD COLUMN purged_at BIGINT;       -- set by `khien cases purge`: keys destroyed
CREATE INDEX case_records_risk ON case_records (risk_level, org_path);
CREATE INDEX case_records_closed ON case_records (status, closed_at);

CREATE TABLE case_tasks (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  title_enc   TEXT NOT NULL,                -- may name people: encrypted
  due         TEXT NOT NULL,                -- 'YYYY-MM-DD' (Vietnam date)
  done        BIGINT NOT NULL DEFAULT 0,
  done_by     TEXT,
  done_at     BIGINT,
  created_by  TEXT NOT NULL REFERENCES users (id),
  created_at  BIGINT NOT NULL
);
CREATE INDEX case_tasks_case ON case_tasks (case_id, due);

CREATE TABLE case_notes (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  author_id  TEXT NOT NULL REFERENCES users (id),
  text_enc   TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);

-- The latest danger assessment of a case; answers are encrypted (they hold health facts such as
-- a pregnancy), the level and score are plain so that lists can filter on them.
CREATE TABLE case_risk (
  case_id      TEXT PRIMARY KEY REFERENCES case_records (id) ON DELETE CASCADE,
  level        TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),
  score        BIGINT NOT NULL,
  answers_enc  TEXT NOT NULL,
  assessed_by  TEXT NOT NULL REFERENCES users (id),
  assessed_at  BIGINT NOT NULL
);

CREATE TABLE case_safety_plans (
  case_id    TEXT PRIMARY KEY REFERENCES case_records (id) ON DELETE CASCADE,
  plan_enc   TEXT NOT NULL,                 -- JSON of the five fields, encrypted as one value
  updated_by TEXT NOT NULL REFERENCES users (id),
  updated_at BIGINT NOT NULL
);

-- Closure requests and decisions; at most one pending request per case.
CREATE TABLE case_closures (
  id            TEXT PRIMARY KEY,
  case_id       TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  reason        TEXT NOT NULL CHECK (reason IN ('needs_met', 'survivor_request', 'moved_away', 'transferred',
                                                'unreachable', 'other')),
  note_enc      TEXT,
  requested_by  TEXT NOT NULL REFERENCES users (id),
  requested_at  BIGINT NOT NULL,
  decision      TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'rejected')),
  decision_note_enc TEXT,
  decided_by    TEXT REFERENCES users (id),
  decided_at    BIGINT
);
CREATE INDEX case_closures_case ON case_closures (case_id, decision);
