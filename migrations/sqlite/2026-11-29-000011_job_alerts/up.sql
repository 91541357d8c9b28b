-- Job alerts: a job seeker saves a search and gets the vacancies published since the last
-- digest, daily or weekly. The unsubscribe link carries `unsubscribe_token`, so it works
-- without signing in; it can only stop this one alert.

CREATE TABLE job_alerts (
    id                INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id     INTEGER NOT NULL REFERENCES job_seekers (id),
    -- The search as its query string (`q=kasir&kecamatan=...`), without the page.
    query             TEXT NOT NULL,
    frequency         TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    unsubscribe_token TEXT NOT NULL UNIQUE,
    created_at        TIMESTAMP NOT NULL,
    -- Vacancies published up to this moment have been considered for this alert.
    checked_until     TIMESTAMP NOT NULL,
    next_run_at       TIMESTAMP NOT NULL,
    last_sent_at      TIMESTAMP,
    stopped_at        TIMESTAMP
);
CREATE INDEX job_alerts_seeker_idx ON job_alerts (job_seeker_id);
CREATE INDEX job_alerts_due_idx ON job_alerts (next_run_at) WHERE stopped_at IS NULL;
