-- The old links cannot be recovered from their hashes: each alert gets a new token.
DROP TABLE job_alert_stop_links;
ALTER TABLE job_alerts ADD COLUMN unsubscribe_token TEXT NOT NULL DEFAULT '';
UPDATE job_alerts SET unsubscribe_token = lower(hex(randomblob(32)));
CREATE UNIQUE INDEX job_alerts_unsubscribe_token_idx ON job_alerts (unsubscribe_token);

DROP INDEX mail_outbox_unpruned_idx;
ALTER TABLE mail_outbox DROP COLUMN pruned_at;
ALTER TABLE mail_outbox DROP COLUMN kind;
