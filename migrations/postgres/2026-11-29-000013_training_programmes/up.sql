-- Training programmes: what a provider offers, when, where, for whom, and what certificate
-- it leads to. A programme moves draft → published → registration closed → running →
-- finished (or is cancelled); each move is a dated event.

CREATE TABLE training_programmes (
    id                    SERIAL PRIMARY KEY,
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
    updated_at            TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK (registration_closes_on >= registration_opens_on),
    CHECK (registration_closes_on <= starts_on)
);
CREATE INDEX training_programmes_provider_idx ON training_programmes (provider_id);
CREATE INDEX training_programmes_public_idx ON training_programmes (status, starts_on);

-- The KBJI job titles a programme prepares for.
CREATE TABLE training_programme_job_titles (
    programme_id INTEGER NOT NULL REFERENCES training_programmes (id),
    job_title_id INTEGER NOT NULL REFERENCES kbji_occupations (id),
    PRIMARY KEY (programme_id, job_title_id)
);

CREATE TABLE training_programme_events (
    id            SERIAL PRIMARY KEY,
    programme_id  INTEGER NOT NULL REFERENCES training_programmes (id),
    status        TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
CREATE INDEX training_programme_events_idx ON training_programme_events (programme_id);
