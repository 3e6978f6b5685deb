-- Moderators' settings for the safety checker's rules (on/off, weight), and one version
-- counter for everything the checker reads from the database (these settings and the
-- block/allow list entries). Every change bumps the counter in its own transaction; each
-- `serve` process compares it with the version it loaded at most every few seconds and
-- reloads when it moved, so processes sharing one PostgreSQL agree within seconds.
-- Written once for SQLite and PostgreSQL. Times are Unix milliseconds (UTC).

CREATE TABLE safety_rule_settings (
  rule_id     TEXT PRIMARY KEY,               -- a rule id from rules/*.toml
  enabled     BIGINT NOT NULL CHECK (enabled IN (0, 1)),
  weight      DOUBLE PRECISION,               -- NULL: the rule file's weight
  updated_by  TEXT REFERENCES users (id),
  updated_at  BIGINT NOT NULL
);

CREATE TABLE safety_sync (
  id       BIGINT PRIMARY KEY CHECK (id = 1),
  version  BIGINT NOT NULL
);
INSERT INTO safety_sync (id, version) VALUES (1, 0);
