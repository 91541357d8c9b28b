-- Exports of the eight data sets (issue 15, items 5 and 6) and the queue of background
-- jobs that write files to download. The queue knows jobs by kind and a JSON of
-- parameters only, so a later kind (the IPK report workbook) is one more code here and
-- one more producer, with no change to the table.
CREATE TABLE ref_file_job_kind (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_file_job_kind (code) VALUES ('export');
CREATE TABLE ref_file_job_status (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_file_job_status (code) VALUES ('waiting'), ('running'), ('done'), ('failed'), ('expired');
CREATE TABLE ref_export_dataset (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_export_dataset (code) VALUES ('job_seekers'), ('vacancies'), ('companies'), ('employed_residents'), ('training'), ('placements'), ('wlkp'), ('jkp');
CREATE TABLE ref_export_format (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_export_format (code) VALUES ('csv'), ('xlsx'), ('jsonl');

CREATE TABLE file_jobs (
    id           SERIAL PRIMARY KEY,
    kind         TEXT NOT NULL REFERENCES ref_file_job_kind (code),
    -- What the kind's producer needs, as JSON (for an export: {"export": id}).
    params       TEXT NOT NULL,
    requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status       TEXT NOT NULL REFERENCES ref_file_job_status (code),
    rows_done    BIGINT NOT NULL DEFAULT 0,
    rows_total   BIGINT NOT NULL DEFAULT 0,
    -- The name the download gets, and the file under the data directory by a name the
    -- portal made (NULL until written and again once removed).
    file_name    TEXT,
    stored_name  TEXT,
    size_bytes   BIGINT,
    -- Why a job failed, as a translation key.
    message      TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    -- Set and renewed while a worker writes; a claim left by a stopped worker goes stale
    -- and is taken again.
    claimed_at   TIMESTAMP,
    finished_at  TIMESTAMP,
    expires_at   TIMESTAMP
);
CREATE INDEX file_jobs_status_idx ON file_jobs (status, id);
CREATE INDEX file_jobs_requester_idx ON file_jobs (requested_by, id);

CREATE TABLE exports (
    id             SERIAL PRIMARY KEY,
    job_id         INTEGER NOT NULL UNIQUE REFERENCES file_jobs (id),
    dataset        TEXT NOT NULL REFERENCES ref_export_dataset (code),
    format         TEXT NOT NULL REFERENCES ref_export_format (code),
    -- The period, by each data set's own date (both ends included), and the kecamatan.
    period_from    DATE,
    period_to      DATE,
    kecamatan_code TEXT,
    -- Personal data in full, asked for with a stated purpose (UU 27/2022).
    unmasked       BOOLEAN NOT NULL DEFAULT FALSE,
    purpose        TEXT,
    requested_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    rows_written   BIGINT,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX exports_requester_idx ON exports (requested_by, id);
