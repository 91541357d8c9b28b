-- The IPK ledger (issue 15): one row a flow the IPK tables count, with what they group it
-- by as it was when it happened. No foreign key into the records counted: erasing a person
-- leaves the statistics. See src/ipk/mod.rs.
CREATE TABLE ref_age_group (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_age_group (code) VALUES ('15-19'), ('20-29'), ('30-44'), ('45-54'), ('55+');
CREATE TABLE ref_ipk_flow (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_ipk_flow (code) VALUES ('seeker_registered'), ('seeker_placed'), ('seeker_removed'),
    ('vacancy_registered'), ('vacancy_filled'), ('vacancy_removed'), ('placement');
CREATE TABLE ref_ipk_reason (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_ipk_reason (code) VALUES ('expired'), ('lapsed'), ('withdrawn'),
    ('vacancy_expired'), ('vacancy_closed'), ('fewer_positions');

CREATE TABLE ipk_facts (
    id             SERIAL PRIMARY KEY NOT NULL,
    flow           TEXT NOT NULL REFERENCES ref_ipk_flow (code),
    reason         TEXT REFERENCES ref_ipk_reason (code),
    -- 'ak1:17', 'vacancy:4', 'placement:9': which record, without a key into it.
    subject        TEXT NOT NULL,
    occurred_on    DATE NOT NULL,
    -- The month it is counted in (yyyymm): its own, or the current one when its own was
    -- closed already (then correction is true).
    period         INTEGER NOT NULL,
    correction     BOOLEAN NOT NULL DEFAULT FALSE,
    male           INTEGER NOT NULL,
    female         INTEGER NOT NULL,
    either         INTEGER NOT NULL,
    age_group      TEXT REFERENCES ref_age_group (code),
    education      SMALLINT,
    field_of_study TEXT,
    kbji_code      TEXT,
    kbji_major     TEXT,
    kbli_section   TEXT,
    kelurahan_code TEXT,
    regency_code   TEXT,
    inter_work     TEXT,
    channel        TEXT,
    recorded_at    TIMESTAMP NOT NULL
);
CREATE INDEX ipk_facts_period_idx ON ipk_facts (flow, period);
CREATE INDEX ipk_facts_subject_idx ON ipk_facts (subject);

-- Months signed off: facts dated in them later are counted in the current month.
CREATE TABLE ipk_closed_months (
    period     INTEGER PRIMARY KEY NOT NULL,
    closed_at  TIMESTAMP NOT NULL,
    closed_by  INTEGER REFERENCES users (id)
);

-- Backfills of the ledger from records made before it, run once at start-up.
CREATE TABLE ipk_backfills (name TEXT PRIMARY KEY NOT NULL);
INSERT INTO ipk_backfills (name) VALUES ('ak1_cards'), ('vacancies'), ('placements');
