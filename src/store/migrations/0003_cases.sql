-- Cases: survivor records, incidents, consent, referrals, public reports.
-- Identifying fields are stored only as XChaCha20-Poly1305 ciphertext (hex of nonce|ciphertext)
-- under a per-case data key; the data key is stored wrapped by the master key, which never
-- enters the database. `key_id` names the master key that wrapped it (a hash, not the key).
-- Written once for SQLite and PostgreSQL. Times are Unix milliseconds (UTC).

CREATE TABLE case_records (
  id               TEXT PRIMARY KEY,
  survivor_code    TEXT NOT NULL UNIQUE,   -- 'DL-7K3Q9': shown in lists instead of a name
  org_code         TEXT NOT NULL REFERENCES org_units (code),
  org_path         TEXT NOT NULL,          -- copy of org_units.path: scope is one range scan
  owner_id         TEXT NOT NULL REFERENCES users (id),
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  sex              TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
  birth_year       BIGINT,
  ethnicity        TEXT,
  disability       BIGINT NOT NULL DEFAULT 0,
  village_code     TEXT REFERENCES org_units (code),
  key_id           TEXT NOT NULL,          -- which master key wrapped data_key
  data_key         TEXT NOT NULL,          -- wrapped per-case key
  name_enc         TEXT,
  phone_enc        TEXT,
  address_enc      TEXT,
  contact_enc      TEXT,                   -- reporter's contact
  blind_index      TEXT,                   -- keyed BLAKE2b of folded name + birth year
  source_report_id TEXT,
  high_risk        BIGINT NOT NULL DEFAULT 0,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX case_records_path ON case_records (org_path, created_at);
CREATE INDEX case_records_owner ON case_records (owner_id, created_at);
CREATE INDEX case_records_blind ON case_records (blind_index);

CREATE TABLE case_assignments (
  case_id TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_assignments_user ON case_assignments (user_id);

CREATE TABLE case_incidents (
  id                     TEXT PRIMARY KEY,
  case_id                TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  occurred_on            TEXT NOT NULL,    -- 'YYYY-MM-DD'
  place_type             TEXT,
  core_type              TEXT NOT NULL,
  context_flags          TEXT NOT NULL DEFAULT '',  -- comma-separated flag names
  dv_acts                TEXT NOT NULL DEFAULT '',  -- comma-separated act ids
  perpetrator_relation   TEXT,
  perpetrator_sex        TEXT,
  perpetrator_age_group  TEXT,
  survivor_age           BIGINT,
  child_under_16         BIGINT NOT NULL DEFAULT 0,
  child_under_18         BIGINT NOT NULL DEFAULT 0,
  created_by             TEXT NOT NULL,
  created_at             BIGINT NOT NULL
);
CREATE INDEX case_incidents_case ON case_incidents (case_id, occurred_on);

-- One row per purpose (services, referral, statistics, share_identity) and provider
-- ('' when the purpose has none). The newest decision replaces the old one.
CREATE TABLE case_consents (
  case_id       TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  purpose       TEXT NOT NULL CHECK (purpose IN ('services', 'referral', 'statistics', 'share_identity')),
  provider_code TEXT NOT NULL DEFAULT '',
  granted       BIGINT NOT NULL,
  recorded_by   TEXT NOT NULL,
  recorded_at   BIGINT NOT NULL,
  PRIMARY KEY (case_id, purpose, provider_code)
);

CREATE TABLE case_referrals (
  id              TEXT PRIMARY KEY,
  case_id         TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  provider_code   TEXT NOT NULL REFERENCES org_units (code),
  provider_path   TEXT NOT NULL,
  service         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'completed')),
  share_identity  BIGINT NOT NULL DEFAULT 0,
  override_reason TEXT,                    -- set when a supervisor referred without consent
  created_by      TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX case_referrals_case ON case_referrals (case_id);
CREATE INDEX case_referrals_provider ON case_referrals (provider_path, status);

-- Emergency access outside need-to-know; each grant is also an audit event.
CREATE TABLE case_break_glass (
  case_id    TEXT NOT NULL REFERENCES case_records (id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users (id),
  reason     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX case_break_glass_user ON case_break_glass (user_id, case_id, expires_at);

-- Public reports. No IP address is stored; the code is kept only as a keyed hash and the PIN
-- as an Argon2id string. Description and contact are encrypted like case identity fields.
CREATE TABLE public_reports (
  id              TEXT PRIMARY KEY,
  code_hash       TEXT NOT NULL UNIQUE,
  pin_hash        TEXT NOT NULL,
  org_code        TEXT REFERENCES org_units (code),
  org_path        TEXT NOT NULL,           -- commune, or province when the commune is unknown
  anonymous       BIGINT NOT NULL,
  about           TEXT NOT NULL CHECK (about IN ('myself', 'someone_else')),
  key_id          TEXT NOT NULL,
  data_key        TEXT NOT NULL,
  description_enc TEXT NOT NULL,
  contact_enc     TEXT,
  status          TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_progress', 'closed')),
  case_id         TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX public_reports_path ON public_reports (org_path, status, created_at);

-- Failed report look-ups (wrong code or PIN), shared by every server process, like login_failures.
CREATE TABLE report_lookup_failures (
  throttle_key TEXT NOT NULL,              -- 'code:<hash>' or 'ip:<keyed hash>'
  at           BIGINT NOT NULL
);
CREATE INDEX report_lookup_failures_key ON report_lookup_failures (throttle_key, at);
