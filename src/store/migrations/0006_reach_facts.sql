-- Reach: a change counter for the in-process indicator cache (src/reach/fact_cache.h).
--
-- Every write that changes an activity or its facts (participations, tallies) bumps the one
-- counter row and records which activity changed, in the same transaction. The UPDATE takes
-- the row's lock until commit, so versions become visible in commit order (a sequence would
-- not: on PostgreSQL a later number can commit first). A serve process that sees a larger
-- version than its cache reloads only the activities logged in between; '*' means "reload
-- everything" (bulk loads such as `khien demo --scale`).
CREATE TABLE reach_fact_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO reach_fact_version (id, version) VALUES (1, 0);

CREATE TABLE reach_fact_changes (
  version     BIGINT NOT NULL,
  activity_id TEXT NOT NULL,
  PRIMARY KEY (version, activity_id)
);
