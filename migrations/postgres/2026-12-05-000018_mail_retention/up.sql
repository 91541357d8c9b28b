-- Delivered mail keeps no live links: once sent (or parked for good), the outbox row keeps
-- its kind, the recipient's domain and its dates; the subject, the body and the full
-- address are cleared (`pruned_at` says when). `kind` is set by each sender from now on.
ALTER TABLE mail_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
ALTER TABLE mail_outbox ADD COLUMN pruned_at TIMESTAMP;
CREATE INDEX mail_outbox_unpruned_idx ON mail_outbox (id) WHERE pruned_at IS NULL;

-- The link that stops a job alert carries a random token; only its SHA-256 hash is kept,
-- one per digest e-mail, so older e-mails' links keep working. Existing tokens are hashed
-- here, so the links already in inboxes still work.
CREATE TABLE job_alert_stop_links (
    id         SERIAL PRIMARY KEY,
    alert_id   INTEGER NOT NULL REFERENCES job_alerts (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX job_alert_stop_links_alert_idx ON job_alert_stop_links (alert_id);
INSERT INTO job_alert_stop_links (alert_id, token_hash, created_at)
    SELECT id, encode(sha256(convert_to(unsubscribe_token, 'UTF8')), 'hex'),
           COALESCE(last_sent_at, created_at)
    FROM job_alerts;
ALTER TABLE job_alerts DROP COLUMN unsubscribe_token;
