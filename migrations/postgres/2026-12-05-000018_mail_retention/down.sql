-- The old links cannot be recovered from their hashes: each alert gets a new token.
ALTER TABLE job_alerts ADD COLUMN unsubscribe_token TEXT;
UPDATE job_alerts SET unsubscribe_token = md5(random()::text || id::text || clock_timestamp()::text);
ALTER TABLE job_alerts ALTER COLUMN unsubscribe_token SET NOT NULL;
ALTER TABLE job_alerts ADD CONSTRAINT job_alerts_unsubscribe_token_key UNIQUE (unsubscribe_token);
DROP TABLE job_alert_stop_links;

DROP INDEX mail_outbox_unpruned_idx;
ALTER TABLE mail_outbox DROP COLUMN pruned_at;
ALTER TABLE mail_outbox DROP COLUMN kind;
