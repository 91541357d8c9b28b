-- Only possible while no application came from a fair: back to the channel's CHECK.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE applications_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    vacancy_id    INTEGER NOT NULL REFERENCES vacancies (id),
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id),
    note          TEXT,
    stage         TEXT NOT NULL,
    applied_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL, channel TEXT NOT NULL DEFAULT 'portal'
    CHECK (channel IN ('portal', 'karirhub')), external_id TEXT,
    UNIQUE (vacancy_id, job_seeker_id),
    FOREIGN KEY (stage) REFERENCES ref_application_stage (code)
);
INSERT INTO applications_rebuilt (id, vacancy_id, job_seeker_id, note, stage, applied_at, updated_at, channel, external_id)
    SELECT id, vacancy_id, job_seeker_id, note, stage, applied_at, updated_at, channel, external_id FROM applications;
DROP TABLE applications;
PRAGMA legacy_alter_table = ON;
ALTER TABLE applications_rebuilt RENAME TO applications;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX applications_seeker_idx ON applications (job_seeker_id);
CREATE INDEX applications_vacancy_stage_idx ON applications (vacancy_id, stage);
CREATE UNIQUE INDEX applications_external_idx ON applications (channel, external_id)
    WHERE external_id IS NOT NULL;
DELETE FROM ref_application_channel WHERE code = 'job_fair';
DROP TABLE job_fair_interviews;
DROP TABLE job_fair_ticket_events;
DROP TABLE job_fair_tickets;
DROP TABLE job_fair_booth_vacancies;
DROP TABLE job_fair_booths;
DROP TABLE job_fairs;
DROP TABLE ref_job_fair_ticket_event;
DROP TABLE ref_job_fair_ticket_source;
DROP TABLE ref_job_fair_ticket_status;
DROP TABLE ref_job_fair_booth_status;
DROP TABLE ref_job_fair_status;
DROP TABLE ref_job_fair_mode;
DELETE FROM ref_mail_kind WHERE code = 'fair_news';
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
