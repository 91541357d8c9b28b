-- Back to the CHECK lists of migration 000020 (see up.sql).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE regions_rebuilt (
    code        TEXT PRIMARY KEY NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'regency', 'district', 'village')),
    parent_code TEXT REFERENCES regions (code),
    name        TEXT NOT NULL,
    bps_code    TEXT,
    version     TEXT NOT NULL
);
INSERT INTO regions_rebuilt (code, level, parent_code, name, bps_code, version)
    SELECT code, level, parent_code, name, bps_code, version FROM regions;
DROP TABLE regions;
ALTER TABLE regions_rebuilt RENAME TO regions;
CREATE INDEX regions_parent_idx ON regions (parent_code);

CREATE TABLE users_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    locale        TEXT NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
, phone TEXT, email_verified_at TIMESTAMP, privacy_consent_at TIMESTAMP, session_epoch INTEGER NOT NULL DEFAULT 0, must_change_password BOOLEAN NOT NULL DEFAULT FALSE, last_login_at TIMESTAMP, company_id INTEGER REFERENCES companies (id), is_company_owner BOOLEAN NOT NULL DEFAULT FALSE, provider_id INTEGER REFERENCES training_providers (id));
INSERT INTO users_rebuilt (id, email, full_name, password_hash, is_active, locale, created_at, updated_at, phone, email_verified_at, privacy_consent_at, session_epoch, must_change_password, last_login_at, company_id, is_company_owner, provider_id)
    SELECT id, email, full_name, password_hash, is_active, locale, created_at, updated_at, phone, email_verified_at, privacy_consent_at, session_epoch, must_change_password, last_login_at, company_id, is_company_owner, provider_id FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE INDEX users_company_idx ON users (company_id);

CREATE TABLE user_roles_rebuilt (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('job_seeker', 'employer', 'training_provider', 'operator', 'verifier', 'data_steward', 'super_admin')),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_rebuilt (user_id, role, granted_at)
    SELECT user_id, role, granted_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_rebuilt RENAME TO user_roles;
CREATE INDEX user_roles_role_idx ON user_roles (role);

CREATE TABLE companies_rebuilt (
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
, verification_status TEXT NOT NULL DEFAULT 'pending'
    CHECK (verification_status IN ('pending', 'verified', 'rejected')), verification_note TEXT, status_changed_at TIMESTAMP, size_band TEXT
    CHECK (size_band IS NULL OR size_band IN ('micro', 'small', 'medium', 'large')), contact_phone TEXT, contact_email TEXT, website TEXT, description TEXT, revision INTEGER NOT NULL DEFAULT 0);
INSERT INTO companies_rebuilt (id, name, nib, npwp, kbli_section, address, kelurahan_code, regency_code, created_at, updated_at, verification_status, verification_note, status_changed_at, size_band, contact_phone, contact_email, website, description, revision)
    SELECT id, name, nib, npwp, kbli_section, address, kelurahan_code, regency_code, created_at, updated_at, verification_status, verification_note, status_changed_at, size_band, contact_phone, contact_email, website, description, revision FROM companies;
DROP TABLE companies;
ALTER TABLE companies_rebuilt RENAME TO companies;
CREATE UNIQUE INDEX companies_nib_idx ON companies (nib) WHERE nib IS NOT NULL;
CREATE INDEX companies_verification_idx ON companies (verification_status, status_changed_at);

CREATE TABLE company_events_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    note          TEXT,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
INSERT INTO company_events_rebuilt (id, company_id, status, note, actor_user_id, occurred_at)
    SELECT id, company_id, status, note, actor_user_id, occurred_at FROM company_events;
DROP TABLE company_events;
ALTER TABLE company_events_rebuilt RENAME TO company_events;
CREATE INDEX company_events_company_idx ON company_events (company_id, occurred_at);

CREATE TABLE user_tokens_rebuilt (
    id         INTEGER PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email', 'invite')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email  TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
INSERT INTO user_tokens_rebuilt (id, user_id, purpose, token_hash, new_email, created_at, expires_at, used_at)
    SELECT id, user_id, purpose, token_hash, new_email, created_at, expires_at, used_at FROM user_tokens;
DROP TABLE user_tokens;
ALTER TABLE user_tokens_rebuilt RENAME TO user_tokens;
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

CREATE TABLE vacancies_rebuilt (
    id                  INTEGER PRIMARY KEY NOT NULL,
    company_id          INTEGER NOT NULL REFERENCES companies (id),
    title               TEXT NOT NULL,
    kbji_code           TEXT NOT NULL,
    job_title_id        INTEGER REFERENCES kbji_occupations (id),
    description         TEXT NOT NULL,
    requirements        TEXT NOT NULL,
    education_min       SMALLINT NOT NULL REFERENCES education_levels (code),
    field_of_study      TEXT,
    experience_months   INTEGER NOT NULL DEFAULT 0 CHECK (experience_months >= 0),
    skills              TEXT NOT NULL DEFAULT '',
    employment_type     TEXT NOT NULL
        CHECK (employment_type IN ('pkwtt', 'pkwt', 'part_time', 'internship', 'daily')),
    kelurahan_code      TEXT REFERENCES regions (code),
    regency_code        TEXT NOT NULL REFERENCES regions (code),
    wage_min            BIGINT CHECK (wage_min IS NULL OR wage_min >= 0),
    wage_max            BIGINT CHECK (wage_max IS NULL OR wage_max >= 0),
    show_wage           BOOLEAN NOT NULL DEFAULT TRUE,
    quota_male          INTEGER NOT NULL DEFAULT 0 CHECK (quota_male >= 0),
    quota_female        INTEGER NOT NULL DEFAULT 0 CHECK (quota_female >= 0),
    quota_any           INTEGER NOT NULL DEFAULT 0 CHECK (quota_any >= 0),
    disability_friendly BOOLEAN NOT NULL DEFAULT FALSE,
    age_min             SMALLINT,
    age_max             SMALLINT,
    age_reason          TEXT,
    opens_on            DATE NOT NULL,
    closes_on           DATE NOT NULL,
    status              TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'published', 'rejected', 'closed', 'filled', 'expired')),
    status_note         TEXT,
    status_changed_at   TIMESTAMP NOT NULL,
    filled_male         INTEGER NOT NULL DEFAULT 0,
    filled_female       INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER REFERENCES users (id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    published_at        TIMESTAMP
, search_text TEXT NOT NULL DEFAULT '', revision INTEGER NOT NULL DEFAULT 0);
INSERT INTO vacancies_rebuilt (id, company_id, title, kbji_code, job_title_id, description, requirements, education_min, field_of_study, experience_months, skills, employment_type, kelurahan_code, regency_code, wage_min, wage_max, show_wage, quota_male, quota_female, quota_any, disability_friendly, age_min, age_max, age_reason, opens_on, closes_on, status, status_note, status_changed_at, filled_male, filled_female, created_by, created_at, updated_at, published_at, search_text, revision)
    SELECT id, company_id, title, kbji_code, job_title_id, description, requirements, education_min, field_of_study, experience_months, skills, employment_type, kelurahan_code, regency_code, wage_min, wage_max, show_wage, quota_male, quota_female, quota_any, disability_friendly, age_min, age_max, age_reason, opens_on, closes_on, status, status_note, status_changed_at, filled_male, filled_female, created_by, created_at, updated_at, published_at, search_text, revision FROM vacancies;
DROP TABLE vacancies;
ALTER TABLE vacancies_rebuilt RENAME TO vacancies;
CREATE INDEX vacancies_board_idx ON vacancies (
    closes_on, kelurahan_code, kbji_code, education_min, employment_type,
    disability_friendly, published_at, show_wage, wage_min, wage_max, id
) WHERE status = 'published';
CREATE INDEX vacancies_company_idx ON vacancies (company_id, status);
CREATE INDEX vacancies_published_idx ON vacancies (status, published_at);
CREATE INDEX vacancies_status_idx ON vacancies (status, status_changed_at);
CREATE TRIGGER vacancy_board_after_delete AFTER DELETE ON vacancies
WHEN old.status = 'published'
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'vacancies';
END;
CREATE TRIGGER vacancy_board_after_insert AFTER INSERT ON vacancies
WHEN new.status = 'published'
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'vacancies';
END;
CREATE TRIGGER vacancy_board_after_update AFTER UPDATE ON vacancies
WHEN old.status = 'published' OR new.status = 'published'
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'vacancies';
END;
CREATE TRIGGER vacancy_fts_after_delete AFTER DELETE ON vacancies
BEGIN
    DELETE FROM vacancy_fts WHERE rowid = old.id;
END;
CREATE TRIGGER vacancy_fts_after_insert AFTER INSERT ON vacancies
WHEN new.status = 'published'
BEGIN
    INSERT INTO vacancy_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER vacancy_fts_after_update AFTER UPDATE OF status, search_text ON vacancies
BEGIN
    DELETE FROM vacancy_fts WHERE rowid = old.id;
    INSERT INTO vacancy_fts (rowid, search_text)
        SELECT new.id, new.search_text WHERE new.status = 'published';
END;

CREATE TABLE vacancy_events_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    vacancy_id    INTEGER NOT NULL REFERENCES vacancies (id),
    kind          TEXT NOT NULL CHECK (kind IN ('status', 'filled')),
    status        TEXT NOT NULL,
    note          TEXT,
    filled_male   INTEGER NOT NULL DEFAULT 0,
    filled_female INTEGER NOT NULL DEFAULT 0,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
INSERT INTO vacancy_events_rebuilt (id, vacancy_id, kind, status, note, filled_male, filled_female, actor_user_id, occurred_at)
    SELECT id, vacancy_id, kind, status, note, filled_male, filled_female, actor_user_id, occurred_at FROM vacancy_events;
DROP TABLE vacancy_events;
ALTER TABLE vacancy_events_rebuilt RENAME TO vacancy_events;
CREATE INDEX vacancy_events_time_idx ON vacancy_events (occurred_at);
CREATE INDEX vacancy_events_vacancy_idx ON vacancy_events (vacancy_id, occurred_at);

CREATE TABLE job_seekers_rebuilt (
    id                   INTEGER PRIMARY KEY NOT NULL,
    user_id              INTEGER NOT NULL UNIQUE REFERENCES users (id),
    nik                  TEXT UNIQUE,
    sex                  TEXT CHECK (sex IN ('L', 'P')),
    birth_place          TEXT,
    birth_date           DATE,
    marital_status       TEXT
        CHECK (marital_status IN ('single', 'married', 'divorced', 'widowed')),
    religion             TEXT
        CHECK (religion IN ('islam', 'protestant', 'catholic', 'hindu', 'buddhist', 'confucian', 'other')),
    address              TEXT,
    kelurahan_code       TEXT REFERENCES regions (code),
    regency_code         TEXT REFERENCES regions (code),
    education_level      SMALLINT REFERENCES education_levels (code),
    field_of_study       TEXT,
    skills               TEXT NOT NULL DEFAULT '',
    desired_job_title_id INTEGER REFERENCES kbji_occupations (id),
    desired_wage         BIGINT CHECK (desired_wage IS NULL OR desired_wage >= 0),
    disability           TEXT,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
, cv_file TEXT, cv_name TEXT, cv_size INTEGER, cv_uploaded_at TIMESTAMP, photo_file TEXT, nik_claim TEXT);
INSERT INTO job_seekers_rebuilt (id, user_id, nik, sex, birth_place, birth_date, marital_status, religion, address, kelurahan_code, regency_code, education_level, field_of_study, skills, desired_job_title_id, desired_wage, disability, created_at, updated_at, cv_file, cv_name, cv_size, cv_uploaded_at, photo_file, nik_claim)
    SELECT id, user_id, nik, sex, birth_place, birth_date, marital_status, religion, address, kelurahan_code, regency_code, education_level, field_of_study, skills, desired_job_title_id, desired_wage, disability, created_at, updated_at, cv_file, cv_name, cv_size, cv_uploaded_at, photo_file, nik_claim FROM job_seekers;
DROP TABLE job_seekers;
ALTER TABLE job_seekers_rebuilt RENAME TO job_seekers;
CREATE INDEX job_seekers_kelurahan_idx ON job_seekers (kelurahan_code);

CREATE TABLE job_seeker_languages_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id) ON DELETE CASCADE,
    language      TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('basic', 'working', 'fluent'))
);
INSERT INTO job_seeker_languages_rebuilt (id, job_seeker_id, language, level)
    SELECT id, job_seeker_id, language, level FROM job_seeker_languages;
DROP TABLE job_seeker_languages;
ALTER TABLE job_seeker_languages_rebuilt RENAME TO job_seeker_languages;
CREATE INDEX job_seeker_languages_seeker_idx ON job_seeker_languages (job_seeker_id);

CREATE TABLE ak1_cards_rebuilt (
    id              INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id   INTEGER NOT NULL REFERENCES job_seekers (id),
    -- 1275-YYYY-NNNNNN, given when issued (docs/decisions.md).
    number          TEXT UNIQUE,
    -- Printed beside the QR code: the public verification page wants it with the number, so
    -- that nobody can walk the register by counting numbers.
    verify_code     TEXT NOT NULL,
    status          TEXT NOT NULL
        CHECK (status IN ('requested', 'declined', 'active', 'placed', 'expired', 'lapsed', 'withdrawn')),
    requested_at    TIMESTAMP NOT NULL,
    issued_on       DATE,
    issued_by       INTEGER REFERENCES users (id),
    valid_until     DATE,
    -- The next six-monthly report; NULL when none is due before the card expires.
    next_report_due DATE,
    reports_made    SMALLINT NOT NULL DEFAULT 0,
    -- The report due date a reminder was sent for, so that the job sends each one once.
    reminded_for    DATE,
    ended_on        DATE,
    end_note        TEXT,
    updated_at      TIMESTAMP NOT NULL,
    CHECK (status NOT IN ('active', 'placed', 'expired', 'lapsed')
           OR (number IS NOT NULL AND issued_on IS NOT NULL AND valid_until IS NOT NULL))
);
INSERT INTO ak1_cards_rebuilt (id, job_seeker_id, number, verify_code, status, requested_at, issued_on, issued_by, valid_until, next_report_due, reports_made, reminded_for, ended_on, end_note, updated_at)
    SELECT id, job_seeker_id, number, verify_code, status, requested_at, issued_on, issued_by, valid_until, next_report_due, reports_made, reminded_for, ended_on, end_note, updated_at FROM ak1_cards;
DROP TABLE ak1_cards;
ALTER TABLE ak1_cards_rebuilt RENAME TO ak1_cards;
CREATE INDEX ak1_cards_due_idx ON ak1_cards (next_report_due) WHERE status = 'active';
CREATE UNIQUE INDEX ak1_cards_open_idx ON ak1_cards (job_seeker_id)
    WHERE status IN ('requested', 'active');
CREATE INDEX ak1_cards_queue_idx ON ak1_cards (requested_at) WHERE status = 'requested';
CREATE INDEX ak1_cards_seeker_idx ON ak1_cards (job_seeker_id);
CREATE INDEX ak1_cards_valid_idx ON ak1_cards (valid_until) WHERE status = 'active';

CREATE TABLE ak1_events_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    card_id       INTEGER NOT NULL REFERENCES ak1_cards (id),
    kind          TEXT NOT NULL
        CHECK (kind IN ('requested', 'declined', 'issued', 'reported', 'placed', 'expired', 'lapsed', 'withdrawn')),
    occurred_on   DATE NOT NULL,
    recorded_at   TIMESTAMP NOT NULL,
    -- The operator who acted; NULL for the holder's own steps and the daily job.
    actor_user_id INTEGER REFERENCES users (id),
    note          TEXT
);
INSERT INTO ak1_events_rebuilt (id, card_id, kind, occurred_on, recorded_at, actor_user_id, note)
    SELECT id, card_id, kind, occurred_on, recorded_at, actor_user_id, note FROM ak1_events;
DROP TABLE ak1_events;
ALTER TABLE ak1_events_rebuilt RENAME TO ak1_events;
CREATE INDEX ak1_events_card_idx ON ak1_events (card_id);
CREATE INDEX ak1_events_kind_idx ON ak1_events (kind, occurred_on);

CREATE TABLE applications_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    vacancy_id    INTEGER NOT NULL REFERENCES vacancies (id),
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id),
    note          TEXT,
    stage         TEXT NOT NULL
        CHECK (stage IN ('received', 'reviewed', 'shortlisted', 'interview', 'accepted', 'rejected', 'withdrawn')),
    applied_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (vacancy_id, job_seeker_id)
);
INSERT INTO applications_rebuilt (id, vacancy_id, job_seeker_id, note, stage, applied_at, updated_at)
    SELECT id, vacancy_id, job_seeker_id, note, stage, applied_at, updated_at FROM applications;
DROP TABLE applications;
ALTER TABLE applications_rebuilt RENAME TO applications;
CREATE INDEX applications_seeker_idx ON applications (job_seeker_id);
CREATE INDEX applications_vacancy_stage_idx ON applications (vacancy_id, stage);

CREATE TABLE application_events_rebuilt (
    id             INTEGER PRIMARY KEY NOT NULL,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    stage          TEXT NOT NULL,
    note           TEXT,
    actor_user_id  INTEGER REFERENCES users (id),
    occurred_at    TIMESTAMP NOT NULL
);
INSERT INTO application_events_rebuilt (id, application_id, stage, note, actor_user_id, occurred_at)
    SELECT id, application_id, stage, note, actor_user_id, occurred_at FROM application_events;
DROP TABLE application_events;
ALTER TABLE application_events_rebuilt RENAME TO application_events;
CREATE INDEX application_events_application_idx ON application_events (application_id);

CREATE TABLE placements_rebuilt (
    id             INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id  INTEGER NOT NULL REFERENCES job_seekers (id),
    -- Set for placements through the portal; an outside placement names the employer.
    application_id INTEGER UNIQUE REFERENCES applications (id),
    vacancy_id     INTEGER REFERENCES vacancies (id),
    company_id     INTEGER REFERENCES companies (id),
    employer_name  TEXT NOT NULL,
    job_title      TEXT NOT NULL,
    job_title_id   INTEGER REFERENCES kbji_occupations (id),
    kbji_code      TEXT,
    -- Where the work is: the IPK's AKL (within North Sumatra), AKAD (another province) or
    -- AKAN (abroad).
    kind           TEXT NOT NULL CHECK (kind IN ('AKL', 'AKAD', 'AKAN')),
    start_date     DATE NOT NULL,
    monthly_wage   BIGINT CHECK (monthly_wage IS NULL OR monthly_wage >= 0),
    recorded_by    INTEGER REFERENCES users (id),
    recorded_at    TIMESTAMP NOT NULL
);
INSERT INTO placements_rebuilt (id, job_seeker_id, application_id, vacancy_id, company_id, employer_name, job_title, job_title_id, kbji_code, kind, start_date, monthly_wage, recorded_by, recorded_at)
    SELECT id, job_seeker_id, application_id, vacancy_id, company_id, employer_name, job_title, job_title_id, kbji_code, kind, start_date, monthly_wage, recorded_by, recorded_at FROM placements;
DROP TABLE placements;
ALTER TABLE placements_rebuilt RENAME TO placements;
CREATE INDEX placements_seeker_idx ON placements (job_seeker_id);
CREATE INDEX placements_start_idx ON placements (start_date);

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
INSERT INTO job_alerts_rebuilt (id, job_seeker_id, query, frequency, created_at, checked_until, next_run_at, last_sent_at, stopped_at)
    SELECT id, job_seeker_id, query, frequency, created_at, checked_until, next_run_at, last_sent_at, stopped_at FROM job_alerts;
DROP TABLE job_alerts;
ALTER TABLE job_alerts_rebuilt RENAME TO job_alerts;
CREATE INDEX job_alerts_due_idx ON job_alerts (next_run_at) WHERE stopped_at IS NULL;
CREATE INDEX job_alerts_seeker_idx ON job_alerts (job_seeker_id);

CREATE TABLE training_providers_rebuilt (
    id                   INTEGER PRIMARY KEY NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('blk', 'lpk')),
    -- The accreditation as the certificate states it (for an LPK: grade A, B or C from
    -- LA-LPK), and the certificate's number; both optional.
    accreditation        TEXT,
    accreditation_number TEXT,
    address              TEXT NOT NULL,
    kelurahan_code       TEXT REFERENCES regions (code),
    regency_code         TEXT NOT NULL REFERENCES regions (code),
    phone                TEXT,
    email                TEXT,
    website              TEXT,
    is_active            BOOLEAN NOT NULL DEFAULT TRUE,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
INSERT INTO training_providers_rebuilt (id, name, kind, accreditation, accreditation_number, address, kelurahan_code, regency_code, phone, email, website, is_active, created_at, updated_at)
    SELECT id, name, kind, accreditation, accreditation_number, address, kelurahan_code, regency_code, phone, email, website, is_active, created_at, updated_at FROM training_providers;
DROP TABLE training_providers;
ALTER TABLE training_providers_rebuilt RENAME TO training_providers;
CREATE INDEX training_providers_name_idx ON training_providers (name);
CREATE TRIGGER programme_version_after_provider AFTER UPDATE OF name, kind, is_active
ON training_providers
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'programmes';
END;

CREATE TABLE training_programmes_rebuilt (
    id                    INTEGER PRIMARY KEY NOT NULL,
    provider_id           INTEGER NOT NULL REFERENCES training_providers (id),
    title                 TEXT NOT NULL,
    -- The vocational field (kejuruan), from the list in training::fields.
    field                 TEXT NOT NULL,
    description           TEXT NOT NULL,
    requirements          TEXT NOT NULL DEFAULT '',
    education_min         SMALLINT NOT NULL REFERENCES education_levels (code),
    age_min               SMALLINT,
    age_max               SMALLINT,
    age_reason            TEXT,
    starts_on             DATE NOT NULL,
    ends_on               DATE NOT NULL,
    hours                 INTEGER NOT NULL CHECK (hours > 0),
    mode                  TEXT NOT NULL CHECK (mode IN ('in_person', 'online', 'mixed')),
    place                 TEXT NOT NULL,
    kelurahan_code        TEXT REFERENCES regions (code),
    regency_code          TEXT NOT NULL REFERENCES regions (code),
    quota                 INTEGER NOT NULL CHECK (quota > 0),
    -- NULL is free of charge.
    cost                  BIGINT CHECK (cost IS NULL OR cost > 0),
    funding               TEXT NOT NULL CHECK (funding IN ('apbn', 'apbd', 'company', 'self', 'other')),
    registration_opens_on DATE NOT NULL,
    registration_closes_on DATE NOT NULL,
    certificate           TEXT NOT NULL CHECK (certificate IN ('none', 'attendance', 'bnsp')),
    status                TEXT NOT NULL
        CHECK (status IN ('draft', 'published', 'registration_closed', 'running', 'finished', 'cancelled')),
    created_by            INTEGER REFERENCES users (id),
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL, search_text TEXT NOT NULL DEFAULT '', seats_taken INTEGER NOT NULL DEFAULT 0
    CHECK (seats_taken >= 0 AND seats_taken <= quota),
    CHECK (ends_on >= starts_on),
    CHECK (registration_closes_on >= registration_opens_on),
    CHECK (registration_closes_on <= starts_on)
);
INSERT INTO training_programmes_rebuilt (id, provider_id, title, field, description, requirements, education_min, age_min, age_max, age_reason, starts_on, ends_on, hours, mode, place, kelurahan_code, regency_code, quota, cost, funding, registration_opens_on, registration_closes_on, certificate, status, created_by, created_at, updated_at, search_text, seats_taken)
    SELECT id, provider_id, title, field, description, requirements, education_min, age_min, age_max, age_reason, starts_on, ends_on, hours, mode, place, kelurahan_code, regency_code, quota, cost, funding, registration_opens_on, registration_closes_on, certificate, status, created_by, created_at, updated_at, search_text, seats_taken FROM training_programmes;
DROP TABLE training_programmes;
ALTER TABLE training_programmes_rebuilt RENAME TO training_programmes;
CREATE INDEX training_programmes_provider_idx ON training_programmes (provider_id);
CREATE INDEX training_programmes_public_idx ON training_programmes (status, starts_on);
CREATE TRIGGER programme_fts_after_delete AFTER DELETE ON training_programmes
BEGIN
    DELETE FROM programme_fts WHERE rowid = old.id;
END;
CREATE TRIGGER programme_fts_after_insert AFTER INSERT ON training_programmes
WHEN new.status = 'published'
BEGIN
    INSERT INTO programme_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER programme_fts_after_update AFTER UPDATE OF status, search_text ON training_programmes
BEGIN
    DELETE FROM programme_fts WHERE rowid = old.id;
    INSERT INTO programme_fts (rowid, search_text)
        SELECT new.id, new.search_text WHERE new.status = 'published';
END;
CREATE TRIGGER programme_version_after_delete AFTER DELETE ON training_programmes
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'programmes';
END;
CREATE TRIGGER programme_version_after_insert AFTER INSERT ON training_programmes
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'programmes';
END;
CREATE TRIGGER programme_version_after_update AFTER UPDATE OF
    status, title, field, provider_id, cost, kelurahan_code, regency_code, starts_on, ends_on,
    hours, mode, quota, registration_opens_on, registration_closes_on, search_text
ON training_programmes
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'programmes';
END;

CREATE TABLE training_programme_events_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    programme_id  INTEGER NOT NULL REFERENCES training_programmes (id),
    status        TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
INSERT INTO training_programme_events_rebuilt (id, programme_id, status, actor_user_id, occurred_at)
    SELECT id, programme_id, status, actor_user_id, occurred_at FROM training_programme_events;
DROP TABLE training_programme_events;
ALTER TABLE training_programme_events_rebuilt RENAME TO training_programme_events;
CREATE INDEX training_programme_events_idx ON training_programme_events (programme_id);

CREATE TABLE training_enrolments_rebuilt (
    id                 INTEGER PRIMARY KEY NOT NULL,
    programme_id       INTEGER NOT NULL REFERENCES training_programmes (id),
    job_seeker_id      INTEGER NOT NULL REFERENCES job_seekers (id),
    status             TEXT NOT NULL CHECK (status IN
        ('applied', 'waitlisted', 'accepted', 'rejected', 'withdrawn', 'completed', 'dropped_out')),
    -- The reason for a refusal or a drop-out, as the resident is told.
    reason             TEXT,
    certificate_number TEXT,
    applied_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (programme_id, job_seeker_id),
    UNIQUE (programme_id, certificate_number)
);
INSERT INTO training_enrolments_rebuilt (id, programme_id, job_seeker_id, status, reason, certificate_number, applied_at, updated_at)
    SELECT id, programme_id, job_seeker_id, status, reason, certificate_number, applied_at, updated_at FROM training_enrolments;
DROP TABLE training_enrolments;
ALTER TABLE training_enrolments_rebuilt RENAME TO training_enrolments;
CREATE INDEX training_enrolments_programme_idx ON training_enrolments (programme_id, status);
CREATE INDEX training_enrolments_seeker_idx ON training_enrolments (job_seeker_id);

CREATE TABLE training_enrolment_events_rebuilt (
    id            INTEGER PRIMARY KEY NOT NULL,
    enrolment_id  INTEGER NOT NULL REFERENCES training_enrolments (id),
    status        TEXT NOT NULL,
    note          TEXT,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
INSERT INTO training_enrolment_events_rebuilt (id, enrolment_id, status, note, actor_user_id, occurred_at)
    SELECT id, enrolment_id, status, note, actor_user_id, occurred_at FROM training_enrolment_events;
DROP TABLE training_enrolment_events;
ALTER TABLE training_enrolment_events_rebuilt RENAME TO training_enrolment_events;
CREATE INDEX training_enrolment_events_idx ON training_enrolment_events (enrolment_id);

CREATE TABLE user_sessions_rebuilt (
    id           INTEGER PRIMARY KEY NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    token_hash   TEXT NOT NULL UNIQUE,
    remember     BOOLEAN NOT NULL,
    issued_at    TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    -- The absolute end, whatever the use.
    expires_at   TIMESTAMP NOT NULL,
    -- Minutes without a request after which the session is over.
    idle_minutes INTEGER NOT NULL CHECK (idle_minutes > 0),
    ended_at     TIMESTAMP,
    end_reason   TEXT CHECK (end_reason IN ('logout', 'logout_everywhere', 'password', 'deactivated', 'deleted', 'expired', 'idle'))
);
INSERT INTO user_sessions_rebuilt (id, user_id, token_hash, remember, issued_at, last_seen_at, expires_at, idle_minutes, ended_at, end_reason)
    SELECT id, user_id, token_hash, remember, issued_at, last_seen_at, expires_at, idle_minutes, ended_at, end_reason FROM user_sessions;
DROP TABLE user_sessions;
ALTER TABLE user_sessions_rebuilt RENAME TO user_sessions;
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE mail_outbox_rebuilt (
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
, kind TEXT NOT NULL DEFAULT 'other', pruned_at TIMESTAMP);
INSERT INTO mail_outbox_rebuilt (id, to_address, subject, body_text, created_at, attempts, next_attempt_at, sent_at, parked_at, last_error, kind, pruned_at)
    SELECT id, to_address, subject, body_text, created_at, attempts, next_attempt_at, sent_at, parked_at, last_error, kind, pruned_at FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_rebuilt RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND parked_at IS NULL;
CREATE INDEX mail_outbox_unpruned_idx ON mail_outbox (id) WHERE pruned_at IS NULL;

DROP TABLE ref_region_level;
DROP TABLE ref_locale;
DROP TABLE ref_role;
DROP TABLE ref_size_band;
DROP TABLE ref_verification_status;
DROP TABLE ref_token_purpose;
DROP TABLE ref_employment_type;
DROP TABLE ref_vacancy_status;
DROP TABLE ref_vacancy_event;
DROP TABLE ref_sex;
DROP TABLE ref_marital_status;
DROP TABLE ref_religion;
DROP TABLE ref_language_level;
DROP TABLE ref_ak1_status;
DROP TABLE ref_ak1_event;
DROP TABLE ref_application_stage;
DROP TABLE ref_placement_kind;
DROP TABLE ref_alert_frequency;
DROP TABLE ref_provider_kind;
DROP TABLE ref_programme_mode;
DROP TABLE ref_programme_funding;
DROP TABLE ref_programme_certificate;
DROP TABLE ref_programme_status;
DROP TABLE ref_enrolment_status;
DROP TABLE ref_session_end;
DROP TABLE ref_mail_kind;

-- Any row that breaks a foreign key (a code outside its list, or a dangling id) fails
-- the migration here, before anything is committed.
CREATE TEMP TABLE fk_check (rows_breaking_a_foreign_key INTEGER NOT NULL
    CHECK (rows_breaking_a_foreign_key = 0));
INSERT INTO fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
