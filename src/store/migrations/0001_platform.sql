-- Platform: administrative tree, accounts, sessions, login throttling, audit chain.
-- Written once for SQLite and PostgreSQL. Times are Unix milliseconds (UTC).

CREATE TABLE org_units (
  code        TEXT PRIMARY KEY,            -- official statistics code, or generated for villages/points
  parent_code TEXT REFERENCES org_units(code),
  level       TEXT NOT NULL CHECK (level IN ('province', 'commune', 'village', 'point')),
  kind        TEXT,                        -- points: command_point, trusted_address, school, club, other
  name        TEXT NOT NULL,               -- NFC, as officially spelled
  name_fold   TEXT NOT NULL,               -- text::Fold(name): the search key
  full_name   TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  path        TEXT NOT NULL UNIQUE,        -- '/66/24250/' codes from the root: subtree = one range scan
  created_at  BIGINT NOT NULL,
  created_by  TEXT
);
CREATE INDEX org_units_parent ON org_units (parent_code, name_fold);
CREATE INDEX org_units_name_fold ON org_units (name_fold);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,      -- lower case ASCII
  display_name  TEXT NOT NULL,
  display_fold  TEXT NOT NULL,
  password_hash TEXT NOT NULL,             -- Argon2id encoded string (libsodium crypto_pwhash_str)
  role          TEXT NOT NULL,
  lang          TEXT NOT NULL DEFAULT 'vi',
  disabled      BIGINT NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

CREATE TABLE user_org_units (
  user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  org_code TEXT NOT NULL REFERENCES org_units (code),
  PRIMARY KEY (user_id, org_code)
);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,           -- SHA-256 of the bearer token; the token itself is never stored
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, shared by every `khien serve` process on the same database: throttling and
-- lockout are decided from these rows, never from one process's memory.
CREATE TABLE login_failures (
  throttle_key TEXT NOT NULL,              -- 'user:<username>' or 'ip:<keyed hash of the address>'
  at           BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, at);

-- One append-only, hash-chained log for security events and (later) case access.
-- hash = BLAKE2b(prev_hash | seq | at | actor | action | target | org | detail).
CREATE TABLE audit_log (
  seq         BIGINT PRIMARY KEY,
  at          BIGINT NOT NULL,
  actor_id    TEXT,
  action      TEXT NOT NULL,
  target_type TEXT,
  target_id   TEXT,
  org_code    TEXT,
  detail      TEXT NOT NULL DEFAULT '{}',  -- JSON; never survivor identity, passwords or tokens
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, seq);

-- The newest entry, so that deleting the tail of the chain is detected too.
CREATE TABLE audit_head (
  id   BIGINT PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'genesis');
