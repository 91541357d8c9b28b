-- Bulk imports (issue 14): each uploaded file is a run that the background worker checks
-- and, once the user confirms, writes in one transaction. Every bad cell is a problem row,
-- shown page by page on the preview. The kinds and statuses are closed lists (domain::code).
CREATE TABLE ref_import_kind (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_import_kind (code) VALUES ('job_seekers'), ('companies'), ('vacancies'), ('employed_residents'), ('jkp'), ('wlkp');
CREATE TABLE ref_import_status (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_import_status (code) VALUES ('waiting'), ('checking'), ('checked'), ('writing'), ('done'), ('failed'), ('cancelled');

CREATE TABLE import_runs (
    id             INTEGER PRIMARY KEY NOT NULL,
    kind           TEXT NOT NULL REFERENCES ref_import_kind (code),
    -- The name the file was uploaded with, for display only (never a path).
    file_name      TEXT NOT NULL,
    -- The file under the data directory, by a name the portal made; NULL once removed.
    stored_name    TEXT,
    size_bytes     BIGINT NOT NULL,
    uploaded_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status         TEXT NOT NULL REFERENCES ref_import_status (code),
    -- The user chose to write the valid rows of a file that has bad ones.
    only_valid     BOOLEAN NOT NULL DEFAULT FALSE,
    rows_total     INTEGER NOT NULL DEFAULT 0,
    rows_checked   INTEGER NOT NULL DEFAULT 0,
    rows_bad       INTEGER NOT NULL DEFAULT 0,
    rows_created   INTEGER NOT NULL DEFAULT 0,
    rows_updated   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    -- Why a run failed or was cancelled, as a translation key.
    message        TEXT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    -- Set while a worker checks or writes the run; a claim left by a stopped worker goes
    -- stale and is taken again.
    claimed_at     TIMESTAMP,
    checked_at     TIMESTAMP,
    finished_at    TIMESTAMP
);
CREATE INDEX import_runs_status_idx ON import_runs (status);
CREATE INDEX import_runs_uploader_idx ON import_runs (uploaded_by, id);

CREATE TABLE import_problems (
    id          INTEGER PRIMARY KEY NOT NULL,
    run_id      INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
    -- The line as the user's spreadsheet shows it: the header is line 1.
    line        INTEGER NOT NULL,
    -- The column's name in the template; NULL for a problem of the whole file or row.
    column_name TEXT,
    -- A translation key, and the value it names (a line number, a header) if any.
    reason      TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX import_problems_run_idx ON import_problems (run_id, line, id);
