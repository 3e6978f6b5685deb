-- Cases statistics without joins (issue 5 benchmark: province statistics over 100,000 cases).
-- Each incident carries a copy of what the statistics count by — the case's org path, sex,
-- ethnicity and whether the survivor consented to statistics — kept in step by
-- src/cases/repository.cc (incident insert, case update, consent, purge). One covering index
-- then answers a province's counts in one range scan. Written once for SQLite and PostgreSQL.

ALTER TABLE case_incidents ADD COLUMN org_path TEXT NOT NULL DEFAULT '';
ALTER TABLE case_incidents ADD COLUMN sex TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE case_incidents ADD COLUMN ethnicity TEXT;
ALTER TABLE case_incidents ADD COLUMN counted BIGINT NOT NULL DEFAULT 0;

UPDATE case_incidents SET
  org_path = (SELECT c.org_path FROM case_records c WHERE c.id = case_incidents.case_id),
  sex = (SELECT c.sex FROM case_records c WHERE c.id = case_incidents.case_id),
  ethnicity = (SELECT c.ethnicity FROM case_records c WHERE c.id = case_incidents.case_id),
  counted = CASE WHEN EXISTS (SELECT 1 FROM case_consents s WHERE s.case_id = case_incidents.case_id AND
                              s.purpose = 'statistics' AND s.provider_code = '' AND s.granted = 1) THEN 1 ELSE 0 END;

CREATE INDEX case_incidents_stats ON case_incidents (counted, org_path, occurred_on, core_type);
