-- Delivered mail keeps no live links: once sent (or parked for good), the outbox row keeps
-- its kind, the recipient's domain and its dates; the subject, the body and the full
-- address are cleared (`pruned_at` says when). `kind` is set by each sender from now on.
ALTER TABLE mail_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
ALTER TABLE mail_outbox ADD COLUMN pruned_at TIMESTAMP;
CREATE INDEX mail_outbox_unpruned_idx ON mail_outbox (id) WHERE pruned_at IS NULL;

-- The link that stops a job alert carries a random token; only its SHA-256 hash is kept,
-- one per digest e-mail, so older e-mails' links keep working. Existing tokens are hashed
-- here, so the links already in inboxes still work. SQLite has no SHA-256 of its own:
-- `sha256_hex` is registered by the portal (src/db/migrate.rs) before it migrates.
-- SQLite cannot drop a UNIQUE column, so job_alerts is rebuilt without it.
CREATE TABLE job_alert_hashed_tokens AS
    SELECT id AS alert_id, sha256_hex(unsubscribe_token) AS token_hash,
           COALESCE(last_sent_at, created_at) AS created_at
    FROM job_alerts;

CREATE TABLE job_alerts_rebuilt (
    id                INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id     INTEGER NOT NULL REFERENCES job_seekers (id),
    -- The search as its query string (`q=kasir&kecamatan=...`), without the page.
    query             TEXT NOT NULL,
    frequency         TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    created_at        TIMESTAMP NOT NULL,
    -- Vacancies published up to this moment have been considered for this alert.
    checked_until     TIMESTAMP NOT NULL,
    next_run_at       TIMESTAMP NOT NULL,
    last_sent_at      TIMESTAMP,
    stopped_at        TIMESTAMP
);
INSERT INTO job_alerts_rebuilt
    (id, job_seeker_id, query, frequency, created_at, checked_until, next_run_at,
     last_sent_at, stopped_at)
    SELECT id, job_seeker_id, query, frequency, created_at, checked_until, next_run_at,
           last_sent_at, stopped_at
    FROM job_alerts;
DROP TABLE job_alerts;
ALTER TABLE job_alerts_rebuilt RENAME TO job_alerts;
CREATE INDEX job_alerts_seeker_idx ON job_alerts (job_seeker_id);
CREATE INDEX job_alerts_due_idx ON job_alerts (next_run_at) WHERE stopped_at IS NULL;

CREATE TABLE job_alert_stop_links (
    id         INTEGER PRIMARY KEY NOT NULL,
    alert_id   INTEGER NOT NULL REFERENCES job_alerts (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX job_alert_stop_links_alert_idx ON job_alert_stop_links (alert_id);
INSERT INTO job_alert_stop_links (alert_id, token_hash, created_at)
    SELECT alert_id, token_hash, created_at FROM job_alert_hashed_tokens;
DROP TABLE job_alert_hashed_tokens;
