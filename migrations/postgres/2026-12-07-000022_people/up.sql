-- People by NIK (issue 14): a resident the Dinas knows of, with or without an account. A
-- job-seeker profile, an employed-resident record and a JKP record all point here, so one
-- person is one row however many lists name them.

-- Where a person's facts came from, from least to most trusted: the resident's own word on
-- the portal, a list imported by the Dinas, an operator with the KTP in hand, the national
-- side (Dukcapil-checked). See docs/decisions.md, "People by NIK".
CREATE TABLE ref_person_source (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_person_source (code) VALUES ('portal'), ('import'), ('counter'), ('national');

CREATE TABLE people (
    id             SERIAL PRIMARY KEY NOT NULL,
    nik            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    sex            TEXT REFERENCES ref_sex (code),
    birth_date     DATE,
    kelurahan_code TEXT REFERENCES regions (code),
    regency_code   TEXT REFERENCES regions (code),
    email          TEXT,
    phone          TEXT,
    -- The source of the facts as they stand: a less trusted source never overwrites them.
    source         TEXT NOT NULL REFERENCES ref_person_source (code),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

-- Every source that named the person, once each, with when it first did.
CREATE TABLE person_origins (
    id          SERIAL PRIMARY KEY NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    source      TEXT NOT NULL REFERENCES ref_person_source (code),
    reference   TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (person_id, source, reference)
);

-- The person a job-seeker profile is. A link is confirmed at once when the NIK was new, or
-- when an operator saw the KTP; a profile whose NIK names a person already known from
-- elsewhere waits, unconfirmed, for the counter or an e-mailed check. A table of its own
-- (owned by `seekers`) rather than columns on job_seekers, so that SQLite can drop it again.
CREATE TABLE job_seeker_people (
    job_seeker_id INTEGER PRIMARY KEY NOT NULL REFERENCES job_seekers (id),
    person_id     INTEGER NOT NULL REFERENCES people (id),
    confirmed     BOOLEAN NOT NULL,
    linked_at     TIMESTAMP NOT NULL,
    -- The operator who confirmed it at the counter; NULL for the portal and e-mail.
    confirmed_by  INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX job_seeker_people_person_idx ON job_seeker_people (person_id) WHERE confirmed;
CREATE INDEX job_seeker_people_pending_idx ON job_seeker_people (person_id);

-- Profiles that already hold a NIK become people: from the counter when an operator opened
-- the account, otherwise from the portal.
INSERT INTO people (nik, name, sex, birth_date, kelurahan_code, regency_code, source, created_at, updated_at)
SELECT js.nik, u.full_name, js.sex, js.birth_date, js.kelurahan_code, js.regency_code,
       CASE WHEN EXISTS (SELECT 1 FROM audit_log a
                         WHERE a.action = 'seeker.registered_at_counter'
                           AND a.subject_type = 'user'
                           AND a.subject_id = CAST(js.user_id AS TEXT))
            THEN 'counter' ELSE 'portal' END,
       js.created_at, js.updated_at
FROM job_seekers js JOIN users u ON u.id = js.user_id
WHERE js.nik IS NOT NULL;
INSERT INTO job_seeker_people (job_seeker_id, person_id, confirmed, linked_at)
SELECT js.id, p.id, TRUE, js.created_at FROM job_seekers js JOIN people p ON p.nik = js.nik;
INSERT INTO person_origins (person_id, source, reference, recorded_at)
SELECT l.person_id, p.source, 'job_seeker:' || l.job_seeker_id, l.linked_at
FROM job_seeker_people l JOIN people p ON p.id = l.person_id;
