-- Job fairs (bursa kerja, issue 20). The Dinas creates a fair; companies apply for a booth
-- with the vacancies they bring and staff approve it; residents register (up to the fair's
-- capacity, then a waiting list, as in training) and get a ticket whose number is in its
-- QR code; at the door an operator checks them in, or registers a walk-in by NIK; employers
-- record interviews at their booth against the ticket. An application made at the fair
-- carries it as its channel, and so does the placement that follows.

CREATE TABLE ref_job_fair_mode (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_job_fair_mode (code) VALUES ('on_site'), ('online'), ('mixed');
CREATE TABLE ref_job_fair_status (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_job_fair_status (code) VALUES ('draft'), ('published'), ('cancelled');
CREATE TABLE ref_job_fair_booth_status (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_job_fair_booth_status (code) VALUES ('applied'), ('approved'), ('rejected'), ('withdrawn');
CREATE TABLE ref_job_fair_ticket_status (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_job_fair_ticket_status (code) VALUES ('registered'), ('waitlisted'), ('cancelled');
CREATE TABLE ref_job_fair_ticket_source (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_job_fair_ticket_source (code) VALUES ('online'), ('door');
CREATE TABLE ref_job_fair_ticket_event (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_job_fair_ticket_event (code) VALUES
    ('registered'), ('waitlisted'), ('promoted'), ('cancelled'), ('checked_in');
-- News of a fair: a seat freed for someone waiting, a booth decided, a fair cancelled.
INSERT INTO ref_mail_kind (code) VALUES ('fair_news');

CREATE TABLE job_fairs (
    id             SERIAL PRIMARY KEY,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL,
    starts_on      DATE NOT NULL,
    ends_on        DATE NOT NULL,
    -- The hours of each day, in WIB.
    opens_at       TIME NOT NULL,
    closes_at      TIME NOT NULL,
    mode           TEXT NOT NULL REFERENCES ref_job_fair_mode (code),
    -- The place (a hall, a campus), or the platform of an online fair.
    venue          TEXT NOT NULL,
    -- The kelurahan of a fair held in Binjai; none for an online one.
    kelurahan_code TEXT REFERENCES regions (code),
    online_url     TEXT,
    -- Tickets the fair gives out, online and at the door; registrations beyond wait.
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    -- Tickets held (registered, not cancelled), moved in the same transaction as a ticket's
    -- status by one conditional UPDATE, so that two registering at once cannot pass the
    -- capacity; the CHECK is the last guard.
    seats_taken    INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= capacity),
    -- Companies apply for a booth until this day.
    booth_deadline DATE NOT NULL,
    status         TEXT NOT NULL REFERENCES ref_job_fair_status (code),
    created_by     INTEGER REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK (booth_deadline <= ends_on)
);
CREATE INDEX job_fairs_dates_idx ON job_fairs (status, ends_on);

CREATE TABLE job_fair_booths (
    id         SERIAL PRIMARY KEY,
    fair_id    INTEGER NOT NULL REFERENCES job_fairs (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    status     TEXT NOT NULL REFERENCES ref_job_fair_booth_status (code),
    -- The stand's number or name, given when the booth is approved.
    stand      TEXT,
    -- What the company asks of the Dinas (space, power), and why a booth was refused.
    note       TEXT,
    reason     TEXT,
    applied_by INTEGER REFERENCES users (id),
    applied_at TIMESTAMP NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TIMESTAMP,
    UNIQUE (fair_id, company_id)
);
CREATE INDEX job_fair_booths_company_idx ON job_fair_booths (company_id);

-- The vacancies a company brings to its booth.
CREATE TABLE job_fair_booth_vacancies (
    booth_id   INTEGER NOT NULL REFERENCES job_fair_booths (id),
    vacancy_id INTEGER NOT NULL REFERENCES vacancies (id),
    PRIMARY KEY (booth_id, vacancy_id)
);
CREATE INDEX job_fair_booth_vacancies_vacancy_idx ON job_fair_booth_vacancies (vacancy_id);

CREATE TABLE job_fair_tickets (
    id            SERIAL PRIMARY KEY,
    fair_id       INTEGER NOT NULL REFERENCES job_fairs (id),
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id),
    -- Printed on the ticket and held in its QR code: the fair's id and six random letters
    -- and digits ("BK7-K3M9QX"), typed at the door when there is no camera.
    number        TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL REFERENCES ref_job_fair_ticket_status (code),
    source        TEXT NOT NULL REFERENCES ref_job_fair_ticket_source (code),
    registered_at TIMESTAMP NOT NULL,
    checked_in_at TIMESTAMP,
    checked_in_by INTEGER REFERENCES users (id),
    UNIQUE (fair_id, job_seeker_id)
);
CREATE INDEX job_fair_tickets_seeker_idx ON job_fair_tickets (job_seeker_id);
CREATE INDEX job_fair_tickets_fair_idx ON job_fair_tickets (fair_id, status, registered_at);

-- Each move of a ticket, with the visitor's sex, age group, education and kelurahan as they
-- were that day: the fair's report counts visitors from the check-ins.
CREATE TABLE job_fair_ticket_events (
    id             SERIAL PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES job_fair_tickets (id),
    kind           TEXT NOT NULL REFERENCES ref_job_fair_ticket_event (code),
    sex            TEXT REFERENCES ref_sex (code),
    age_group      TEXT REFERENCES ref_age_group (code),
    education      SMALLINT REFERENCES education_levels (code),
    kelurahan_code TEXT REFERENCES regions (code),
    actor_user_id  INTEGER REFERENCES users (id),
    occurred_at    TIMESTAMP NOT NULL
);
CREATE INDEX job_fair_ticket_events_ticket_idx ON job_fair_ticket_events (ticket_id, kind);

-- An interview at a booth, against the visitor's ticket, for one of the booth's vacancies
-- (or none, a talk about the company); the application it made, if any.
CREATE TABLE job_fair_interviews (
    id             SERIAL PRIMARY KEY,
    booth_id       INTEGER NOT NULL REFERENCES job_fair_booths (id),
    ticket_id      INTEGER NOT NULL REFERENCES job_fair_tickets (id),
    vacancy_id     INTEGER REFERENCES vacancies (id),
    application_id INTEGER REFERENCES applications (id),
    note           TEXT,
    recorded_by    INTEGER REFERENCES users (id),
    recorded_at    TIMESTAMP NOT NULL
);
CREATE INDEX job_fair_interviews_booth_idx ON job_fair_interviews (booth_id);
CREATE INDEX job_fair_interviews_ticket_idx ON job_fair_interviews (ticket_id);

-- An application made at a fair: the channel 'job_fair' and the fair.
INSERT INTO ref_application_channel (code) VALUES ('job_fair');
ALTER TABLE applications ADD COLUMN job_fair_id INTEGER REFERENCES job_fairs (id);
ALTER TABLE applications ADD CONSTRAINT applications_job_fair_check
    CHECK ((channel = 'job_fair') = (job_fair_id IS NOT NULL));
CREATE INDEX applications_job_fair_idx ON applications (job_fair_id) WHERE job_fair_id IS NOT NULL;
