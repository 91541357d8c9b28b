-- JKP recipients (jaminan kehilangan pekerjaan, PP 37/2021 as amended by PP 6/2025; issue
-- 14): workers who lost their job, from the lists BPJS Ketenagakerjaan or the national side
-- send the Dinas, and the Dinas's follow-up of each as dated events. Restricted personal
-- data: only operators and the data steward see it, and every view is in the audit log.

CREATE TABLE ref_jkp_source (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_jkp_source (code) VALUES ('bpjs'), ('national');

-- Why the job ended, as the PHK is reported to BPJS Ketenagakerjaan.
CREATE TABLE ref_jkp_termination_reason (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_jkp_termination_reason (code) VALUES
    ('efficiency'), ('closure'), ('bankruptcy'), ('merger'), ('force_majeure'),
    ('contract_ended'), ('other');

CREATE TABLE ref_jkp_event_kind (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_jkp_event_kind (code) VALUES
    ('counselled'), ('referred_vacancy'), ('referred_training'), ('reemployed');

-- What career counselling (bimbingan jabatan) recommended.
CREATE TABLE ref_jkp_counselling_result (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_jkp_counselling_result (code) VALUES
    ('job_search'), ('training'), ('self_employment'), ('not_ready');

CREATE TABLE jkp_recipients (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    person_id          INTEGER NOT NULL REFERENCES people (id),
    last_employer_name TEXT NOT NULL,
    last_employer_nib  TEXT,
    terminated_on      DATE NOT NULL,
    termination_reason TEXT NOT NULL REFERENCES ref_jkp_termination_reason (code),
    benefit_from       DATE,
    benefit_until      DATE,
    source             TEXT NOT NULL REFERENCES ref_jkp_source (code),
    recorded_at        TIMESTAMP NOT NULL,
    -- One loss of work per person and date: a list sent twice adds nothing.
    UNIQUE (person_id, terminated_on)
);
CREATE INDEX jkp_recipients_terminated_idx ON jkp_recipients (terminated_on);

CREATE TABLE jkp_events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    recipient_id       INTEGER NOT NULL REFERENCES jkp_recipients (id),
    kind               TEXT NOT NULL REFERENCES ref_jkp_event_kind (code),
    occurred_on        DATE NOT NULL,
    officer_user_id    INTEGER REFERENCES users (id),
    counselling_result TEXT REFERENCES ref_jkp_counselling_result (code),
    vacancy_id         INTEGER REFERENCES vacancies (id),
    programme_id       INTEGER REFERENCES training_programmes (id),
    employment_id      INTEGER REFERENCES employed_residents (id),
    note               TEXT,
    recorded_at        TIMESTAMP NOT NULL
);
CREATE INDEX jkp_events_recipient_idx ON jkp_events (recipient_id);
