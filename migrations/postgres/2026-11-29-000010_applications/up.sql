-- Applications (lamaran) and placements (penempatan). A job seeker applies once to a
-- published vacancy; the employer moves the application through its stages, each move a
-- dated event with an optional note the applicant sees (an interview's time and place).
-- Acceptance creates a placement; an operator can also record a placement made outside
-- the portal. Placements are what IPK III/1 counts as "placed" and III/8 breaks down by
-- AKL, AKAD and AKAN.

CREATE TABLE applications (
    id            SERIAL PRIMARY KEY,
    vacancy_id    INTEGER NOT NULL REFERENCES vacancies (id),
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id),
    note          TEXT,
    stage         TEXT NOT NULL
        CHECK (stage IN ('received', 'reviewed', 'shortlisted', 'interview', 'accepted', 'rejected', 'withdrawn')),
    applied_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (vacancy_id, job_seeker_id)
);
CREATE INDEX applications_seeker_idx ON applications (job_seeker_id);
CREATE INDEX applications_vacancy_stage_idx ON applications (vacancy_id, stage);

CREATE TABLE application_events (
    id             SERIAL PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    stage          TEXT NOT NULL,
    note           TEXT,
    actor_user_id  INTEGER REFERENCES users (id),
    occurred_at    TIMESTAMP NOT NULL
);
CREATE INDEX application_events_application_idx ON application_events (application_id);

CREATE TABLE placements (
    id             SERIAL PRIMARY KEY,
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
CREATE INDEX placements_seeker_idx ON placements (job_seeker_id);
CREATE INDEX placements_start_idx ON placements (start_date);
