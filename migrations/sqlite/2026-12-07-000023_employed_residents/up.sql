-- Employed residents (penduduk yang bekerja, issue 14): residents known to be working, one
-- row per person and job, from placements on the portal, from lists an employer or the
-- national side gives the Dinas, and from JKP recipients who found work again.

CREATE TABLE ref_employment_source (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_employment_source (code) VALUES ('placement'), ('import'), ('jkp'), ('national');

CREATE TABLE employed_residents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    person_id     INTEGER NOT NULL REFERENCES people (id),
    employer_name TEXT NOT NULL,
    employer_nib  TEXT,
    company_id    INTEGER REFERENCES companies (id),
    job_title     TEXT NOT NULL,
    kbji_code     TEXT,
    kbli_code     TEXT,
    started_on    DATE NOT NULL,
    ended_on      DATE,
    source        TEXT NOT NULL REFERENCES ref_employment_source (code),
    placement_id  INTEGER UNIQUE REFERENCES placements (id),
    -- The job, as two lists naming it would both spell it: the employer (NIB, else the
    -- name), the title and the start, folded to lower case. One row per person and job.
    job_key       TEXT NOT NULL,
    recorded_at   TIMESTAMP NOT NULL,
    UNIQUE (person_id, job_key)
);
CREATE INDEX employed_residents_started_idx ON employed_residents (started_on);

-- The placements already recorded, of profiles that are a confirmed person.
INSERT INTO employed_residents (person_id, employer_name, employer_nib, company_id, job_title,
    kbji_code, kbli_code, started_on, source, placement_id, job_key, recorded_at)
SELECT l.person_id, p.employer_name, c.nib, p.company_id, p.job_title, p.kbji_code,
       c.kbli_section, p.start_date, 'placement', p.id,
       lower(COALESCE(c.nib, p.employer_name)) || '|' || lower(p.job_title) || '|' || CAST(p.start_date AS TEXT),
       p.recorded_at
FROM placements p
JOIN job_seeker_people l ON l.job_seeker_id = p.job_seeker_id AND l.confirmed
LEFT JOIN companies c ON c.id = p.company_id
WHERE p.id IN (
    -- A job placed twice (the same start, title and employer) is one job.
    SELECT MIN(p2.id) FROM placements p2
    JOIN job_seeker_people l2 ON l2.job_seeker_id = p2.job_seeker_id AND l2.confirmed
    LEFT JOIN companies c2 ON c2.id = p2.company_id
    GROUP BY l2.person_id, lower(COALESCE(c2.nib, p2.employer_name)) || '|' || lower(p2.job_title) || '|' || CAST(p2.start_date AS TEXT));
INSERT INTO person_origins (person_id, source, reference, recorded_at)
SELECT e.person_id, 'portal', 'employed:' || e.id, e.recorded_at FROM employed_residents e;
