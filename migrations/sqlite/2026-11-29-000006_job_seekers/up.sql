-- Job seekers' profiles: the AK/I registration form (DOMAIN.md §1). One per job-seeker
-- account, filled in step by step, so everything but the account link may be empty until
-- the seeker (or an operator at the counter) completes it. NIK, birth date and disability
-- are personal data (UU 27/2022): shown only to the roles that need them.

CREATE TABLE job_seekers (
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
);
CREATE INDEX job_seekers_kelurahan_idx ON job_seekers (kelurahan_code);
