-- A resident served at the counter may have no e-mail address (issue 18, item 7): the phone
-- and the NIK identify them, and a printed slip replaces the mail. `users.email` becomes
-- optional; UNIQUE still holds for every address given (NULLs never clash).
--
-- SQLite cannot drop a NOT NULL, so the table is rebuilt by SQLite's documented procedure
-- (https://sqlite.org/lang_altertable.html#otheralter), as migration 000021 did: foreign
-- keys off, new table, copy, drop, rename, index and triggers again, then a foreign-key
-- check before COMMIT, in a transaction of its own (metadata.toml). The feed's triggers
-- compare the address with IS NOT, which sees a change to or from no address.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE users_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    email         TEXT UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    locale        TEXT NOT NULL DEFAULT 'id',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    phone TEXT,
    email_verified_at TIMESTAMP,
    privacy_consent_at TIMESTAMP,
    session_epoch INTEGER NOT NULL DEFAULT 0,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at TIMESTAMP,
    company_id INTEGER REFERENCES companies (id),
    is_company_owner BOOLEAN NOT NULL DEFAULT FALSE,
    provider_id INTEGER REFERENCES training_providers (id),
    FOREIGN KEY (locale) REFERENCES ref_locale (code)
);
INSERT INTO users_rebuilt (id, email, full_name, password_hash, is_active, locale, created_at, updated_at, phone, email_verified_at, privacy_consent_at, session_epoch, must_change_password, last_login_at, company_id, is_company_owner, provider_id)
    SELECT id, email, full_name, password_hash, is_active, locale, created_at, updated_at, phone, email_verified_at, privacy_consent_at, session_epoch, must_change_password, last_login_at, company_id, is_company_owner, provider_id FROM users;
DROP TABLE users;
-- Other tables' triggers name `users` in their bodies: the legacy rename leaves them be
-- (they find the new table by that name), where the modern one stops at the missing table.
PRAGMA legacy_alter_table = ON;
ALTER TABLE users_rebuilt RENAME TO users;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX users_company_idx ON users (company_id);
-- The counter finds a resident without an address by phone.
CREATE INDEX users_phone_idx ON users (phone);

CREATE TRIGGER feed_users_seekers_update AFTER UPDATE ON users
WHEN old.full_name <> new.full_name OR old.email IS NOT new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id IN (SELECT id FROM job_seekers WHERE user_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'job_seekers', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT id FROM job_seekers WHERE user_id = new.id) t ORDER BY t.id;
END;
CREATE TRIGGER feed_users_training_update AFTER UPDATE ON users
WHEN old.full_name <> new.full_name OR old.email IS NOT new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM record_versions WHERE dataset = 'training' AND record_id IN (SELECT e.id FROM training_enrolments e JOIN job_seekers s ON s.id = e.job_seeker_id WHERE s.user_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'training', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT e.id FROM training_enrolments e JOIN job_seekers s ON s.id = e.job_seeker_id WHERE s.user_id = new.id) t ORDER BY t.id;
END;
CREATE TRIGGER feed_users_placements_update AFTER UPDATE ON users
WHEN old.full_name <> new.full_name OR old.email IS NOT new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM record_versions WHERE dataset = 'placements' AND record_id IN (SELECT p.id FROM placements p JOIN job_seekers s ON s.id = p.job_seeker_id WHERE s.user_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'placements', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT p.id FROM placements p JOIN job_seekers s ON s.id = p.job_seeker_id WHERE s.user_id = new.id) t ORDER BY t.id;
END;

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
