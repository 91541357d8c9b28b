-- Vacancies (lowongan) with the fields Perpres 57/2023 asks of a vacancy report. The
-- current status is kept on the row for queries; every change is also a dated event, and
-- positions filled are events too, so the IPK statistics of any past month can be rebuilt.

CREATE TABLE vacancies (
    id                  SERIAL PRIMARY KEY,
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
);
CREATE INDEX vacancies_company_idx ON vacancies (company_id, status);
CREATE INDEX vacancies_status_idx ON vacancies (status, status_changed_at);
CREATE INDEX vacancies_published_idx ON vacancies (status, published_at);

-- kind 'status': the vacancy moved to `status`. kind 'filled': positions were filled
-- (counts by sex, added to the vacancy's totals).
CREATE TABLE vacancy_events (
    id            SERIAL PRIMARY KEY,
    vacancy_id    INTEGER NOT NULL REFERENCES vacancies (id),
    kind          TEXT NOT NULL CHECK (kind IN ('status', 'filled')),
    status        TEXT NOT NULL,
    note          TEXT,
    filled_male   INTEGER NOT NULL DEFAULT 0,
    filled_female INTEGER NOT NULL DEFAULT 0,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
CREATE INDEX vacancy_events_vacancy_idx ON vacancy_events (vacancy_id, occurred_at);
CREATE INDEX vacancy_events_time_idx ON vacancy_events (occurred_at);
