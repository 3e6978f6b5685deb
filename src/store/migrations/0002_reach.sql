-- Reach: activities, the participant register, named participations, crowd tallies, targets.
-- Written once for SQLite and PostgreSQL. Times are Unix milliseconds (UTC); activity dates are
-- Vietnam local dates kept as YYYYMMDD integers (`day`) and YYYYMM (`month`) so that periods
-- are computed in Vietnam time without time-zone arithmetic.
--
-- Participations and tallies copy the facts of their activity (place, date, type) and of the
-- person (sex, age group, ethnicity) so that every indicator is one scan of one table in the
-- caller's subtree; the service keeps the copies in step on PATCH, in the same transaction.

CREATE TABLE reach_activities (
  id           TEXT PRIMARY KEY,
  org_code     TEXT NOT NULL REFERENCES org_units (code),
  org_path     TEXT NOT NULL,             -- path of org_code: scope is one range scan
  commune_code TEXT NOT NULL,
  village_code TEXT,
  point_code   TEXT,
  type         TEXT NOT NULL,
  title        TEXT NOT NULL,
  topics       TEXT NOT NULL DEFAULT '',  -- comma-separated slugs (also in reach_activity_topics)
  day          BIGINT NOT NULL,           -- YYYYMMDD, Vietnam local date
  month        BIGINT NOT NULL,           -- YYYYMM
  start_time   TEXT,                      -- HH:MM Vietnam time
  status       TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
  facilitators TEXT NOT NULL DEFAULT '',
  partners     TEXT NOT NULL DEFAULT '',
  notes        TEXT NOT NULL DEFAULT '',
  knowledge_pre_avg  DOUBLE PRECISION,
  knowledge_post_avg DOUBLE PRECISION,
  created_by   TEXT,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE INDEX reach_activities_scope ON reach_activities (org_path, day);
CREATE INDEX reach_activities_day ON reach_activities (day);

CREATE TABLE reach_activity_topics (
  activity_id TEXT NOT NULL REFERENCES reach_activities (id) ON DELETE CASCADE,
  topic       TEXT NOT NULL,
  PRIMARY KEY (activity_id, topic)
);
CREATE INDEX reach_activity_topics_topic ON reach_activity_topics (topic, activity_id);

-- One register per commune: the same woman at two sessions is one row here.
CREATE TABLE reach_people (
  id           TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL REFERENCES org_units (code),
  name         TEXT NOT NULL,             -- NFC as typed
  name_fold    TEXT NOT NULL,             -- text::Fold(name): matching key
  sex          TEXT NOT NULL CHECK (sex IN ('female', 'male')),
  birth_year   BIGINT NOT NULL,
  ethnicity    TEXT NOT NULL,             -- slug (reach/ethnicity.h)
  disability   BIGINT NOT NULL DEFAULT 0,
  village      TEXT NOT NULL DEFAULT '',
  village_fold TEXT NOT NULL DEFAULT '',
  phone        TEXT,
  created_at   BIGINT NOT NULL
);
CREATE INDEX reach_people_match ON reach_people (commune_code, name_fold, birth_year);

CREATE TABLE reach_participations (
  activity_id  TEXT NOT NULL REFERENCES reach_activities (id) ON DELETE CASCADE,
  person_id    TEXT NOT NULL REFERENCES reach_people (id),
  org_path     TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  village_code TEXT,
  point_code   TEXT,
  day          BIGINT NOT NULL,
  month        BIGINT NOT NULL,
  type         TEXT NOT NULL,
  sex          TEXT NOT NULL,
  birth_year   BIGINT NOT NULL,
  age_group    TEXT NOT NULL,
  ethnicity    TEXT NOT NULL,
  ethnic_group TEXT NOT NULL,
  pre_score    DOUBLE PRECISION,
  post_score   DOUBLE PRECISION,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX reach_participations_scope ON reach_participations (org_path, day);
CREATE INDEX reach_participations_person ON reach_participations (person_id);

CREATE TABLE reach_tallies (
  activity_id  TEXT NOT NULL REFERENCES reach_activities (id) ON DELETE CASCADE,
  sex          TEXT NOT NULL,
  age_group    TEXT NOT NULL,
  ethnic_group TEXT NOT NULL,
  count        BIGINT NOT NULL CHECK (count >= 0),
  org_path     TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  village_code TEXT,
  point_code   TEXT,
  day          BIGINT NOT NULL,
  month        BIGINT NOT NULL,
  type         TEXT NOT NULL,
  PRIMARY KEY (activity_id, sex, age_group, ethnic_group)
);
CREATE INDEX reach_tallies_scope ON reach_tallies (org_path, day);

CREATE TABLE reach_targets (
  org_code  TEXT NOT NULL REFERENCES org_units (code),
  year      BIGINT NOT NULL,
  indicator TEXT NOT NULL,
  value     BIGINT NOT NULL CHECK (value >= 0),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (org_code, year, indicator)
);
