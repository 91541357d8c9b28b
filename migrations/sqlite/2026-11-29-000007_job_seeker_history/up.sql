-- The rows of the AK/I form (DOMAIN.md §1): education, training and certificates, work
-- experience, languages. A row belongs to one profile and goes with it.

CREATE TABLE job_seeker_education (
    id             INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id  INTEGER NOT NULL REFERENCES job_seekers (id) ON DELETE CASCADE,
    level          SMALLINT NOT NULL REFERENCES education_levels (code),
    institution    TEXT NOT NULL,
    field_of_study TEXT,
    year_completed SMALLINT NOT NULL,
    grade          TEXT
);
CREATE INDEX job_seeker_education_seeker_idx ON job_seeker_education (job_seeker_id);

CREATE TABLE job_seeker_training (
    id            INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    provider      TEXT NOT NULL,
    year          SMALLINT NOT NULL,
    certificate   TEXT
);
CREATE INDEX job_seeker_training_seeker_idx ON job_seeker_training (job_seeker_id);

CREATE TABLE job_seeker_experience (
    id            INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id) ON DELETE CASCADE,
    employer      TEXT NOT NULL,
    position      TEXT NOT NULL,
    year_from     SMALLINT NOT NULL,
    year_to       SMALLINT
);
CREATE INDEX job_seeker_experience_seeker_idx ON job_seeker_experience (job_seeker_id);

CREATE TABLE job_seeker_languages (
    id            INTEGER PRIMARY KEY NOT NULL,
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id) ON DELETE CASCADE,
    language      TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('basic', 'working', 'fluent'))
);
CREATE INDEX job_seeker_languages_seeker_idx ON job_seeker_languages (job_seeker_id);
