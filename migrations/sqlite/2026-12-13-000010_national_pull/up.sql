-- The pull from the national system (issue 17, docs/national-sync.md §4). `national::pulled`
-- owns `sync_pull_state` and `sync_pulled`; `national::vacancies` owns `national_vacancies`.

-- Where each pulled set stands: the national side's cursor, and how the last pull went.
CREATE TABLE sync_pull_state (
    set_name         TEXT PRIMARY KEY NOT NULL
                     CHECK (set_name IN ('vacancies', 'jkp', 'wlkp', 'applications')),
    cursor           TEXT,
    -- One puller at a time per set (two server instances): the one whose token is here
    -- until then.
    lease_token      TEXT,
    lease_until      TIMESTAMP,
    items            BIGINT NOT NULL DEFAULT 0,
    last_attempt_at  TIMESTAMP,
    last_success_at  TIMESTAMP,
    last_error       TEXT
);

-- One row per national record the pull has seen: which local record it became (merged by
-- its external id, so a record pulled again is never a second one), or why it waits for the
-- data steward: a conflict with a local record (the same NIK with another birth date, the
-- same NIB with another name) or a record that failed the checks. A waiting record's JSON
-- is kept until it is resolved, so that resolving it applies exactly what was pulled.
CREATE TABLE sync_pulled (
    id               INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    set_name         TEXT NOT NULL,
    external_id      TEXT NOT NULL,
    version          BIGINT NOT NULL,
    state            TEXT NOT NULL
                     CHECK (state IN ('merged', 'conflict', 'parked', 'rejected', 'withdrawn')),
    local_id         INTEGER,
    record           TEXT,
    -- A translation key, and the field and values it is about.
    problem          TEXT,
    field            TEXT,
    local_value      TEXT,
    national_value   TEXT,
    resolution       TEXT CHECK (resolution IN ('take_national', 'keep_local', 'rejected')),
    resolved_by      INTEGER REFERENCES users (id),
    resolved_at      TIMESTAMP,
    resolution_note  TEXT,
    first_pulled_at  TIMESTAMP NOT NULL,
    pulled_at        TIMESTAMP NOT NULL,
    UNIQUE (set_name, external_id)
);
CREATE INDEX sync_pulled_waiting_idx ON sync_pulled (pulled_at, id)
    WHERE state IN ('conflict', 'parked');

-- Vacancies of the national job board (Karirhub) located in Kota Binjai. They have no local
-- company, quota or review: they are shown in the search with their source and a link to
-- the original, where a resident applies.
CREATE TABLE national_vacancies (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    external_id          TEXT NOT NULL UNIQUE,
    version              BIGINT NOT NULL,
    source               TEXT NOT NULL,
    url                  TEXT NOT NULL,
    title                TEXT NOT NULL,
    employer_name        TEXT NOT NULL,
    employer_nib         TEXT,
    kbji_code            TEXT NOT NULL,
    kbji_version         TEXT NOT NULL,
    kelurahan_code       TEXT,
    regency_code         TEXT NOT NULL,
    employment_type      TEXT REFERENCES ref_employment_type (code),
    education_min        SMALLINT,
    wage_min             BIGINT,
    wage_max             BIGINT,
    positions            INTEGER,
    disability_friendly  BOOLEAN NOT NULL,
    opens_on             DATE NOT NULL,
    closes_on            DATE NOT NULL,
    withdrawn_at         TIMESTAMP,
    pulled_at            TIMESTAMP NOT NULL
);
CREATE INDEX national_vacancies_open_idx ON national_vacancies (closes_on)
    WHERE withdrawn_at IS NULL;

-- Applications forwarded from the national job board (Karirhub) with the resident's consent
-- (§5): the channel an application came by, counted in the statistics, and the national
-- side's id of a forwarded one, so that a pull brings it once.
CREATE TABLE ref_application_channel (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_application_channel (code) VALUES ('portal'), ('karirhub');
-- SQLite adds no column with a foreign key and a default: the same list as a CHECK.
ALTER TABLE applications ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal'
    CHECK (channel IN ('portal', 'karirhub'));
ALTER TABLE applications ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX applications_external_idx ON applications (channel, external_id)
    WHERE external_id IS NOT NULL;
