-- Accounts: companies and their users, e-mail and reset tokens, the mail outbox, throttling.

CREATE TABLE companies (
    id             INTEGER PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    nib            TEXT,
    npwp           TEXT,
    kbli_section   TEXT NOT NULL REFERENCES kbli_sections (code),
    address        TEXT NOT NULL,
    kelurahan_code TEXT REFERENCES regions (code),
    regency_code   TEXT NOT NULL REFERENCES regions (code),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX companies_nib_idx ON companies (nib) WHERE nib IS NOT NULL;

ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;
ALTER TABLE users ADD COLUMN privacy_consent_at TIMESTAMP;
-- Raised on password change and deactivation: sessions carrying an older value end.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMP;
ALTER TABLE users ADD COLUMN company_id INTEGER REFERENCES companies (id);
ALTER TABLE users ADD COLUMN is_company_owner BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX users_company_idx ON users (company_id);

-- Single-use links. Only a hash of the token is stored: a database leak gives no live link.
CREATE TABLE user_tokens (
    id         INTEGER PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email', 'invite')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email  TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- Mail waits here until the worker has handed it to the SMTP server.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    parked_at       TIMESTAMP,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND parked_at IS NULL;

-- Failed logins, sign-ups and reset requests, counted per account or client address.
CREATE TABLE throttle_events (
    id          INTEGER PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX throttle_events_lookup_idx ON throttle_events (kind, subject, occurred_at);
