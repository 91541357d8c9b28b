-- Company profiles and their verification. The current status is kept on the company for
-- queries; every change of it is also a dated event, so the history is never overwritten.

ALTER TABLE companies ADD COLUMN verification_status TEXT NOT NULL DEFAULT 'pending'
    CHECK (verification_status IN ('pending', 'verified', 'rejected'));
ALTER TABLE companies ADD COLUMN verification_note TEXT;
ALTER TABLE companies ADD COLUMN status_changed_at TIMESTAMP;
-- BPS size bands by number of workers: micro 1-4, small 5-19, medium 20-99, large 100+.
ALTER TABLE companies ADD COLUMN size_band TEXT
    CHECK (size_band IS NULL OR size_band IN ('micro', 'small', 'medium', 'large'));
ALTER TABLE companies ADD COLUMN contact_phone TEXT;
ALTER TABLE companies ADD COLUMN contact_email TEXT;
ALTER TABLE companies ADD COLUMN website TEXT;
ALTER TABLE companies ADD COLUMN description TEXT;
CREATE INDEX companies_verification_idx ON companies (verification_status, status_changed_at);

CREATE TABLE company_events (
    id            INTEGER PRIMARY KEY NOT NULL,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    note          TEXT,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
CREATE INDEX company_events_company_idx ON company_events (company_id, occurred_at);
