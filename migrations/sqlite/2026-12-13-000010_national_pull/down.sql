DROP INDEX applications_external_idx;
ALTER TABLE applications DROP COLUMN external_id;
ALTER TABLE applications DROP COLUMN channel;
DROP TABLE ref_application_channel;
DROP TABLE national_vacancies;
DROP TABLE sync_pulled;
DROP TABLE sync_pull_state;
