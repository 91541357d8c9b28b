-- Enrolment in training programmes. A job seeker applies; the provider or the Dinas accepts
-- up to the quota, keeps a waiting list, records attendance, completion with the
-- certificate's number, and drop-outs with their reason. Every status change is a dated
-- event: the outcome figures are counted from the events.

-- The seats held (accepted, completed or dropped out), moved in the same transaction as the
-- enrolment's status. Accepting takes a seat with one conditional UPDATE of this row, so
-- two people accepting at once can never pass the quota; the CHECK is the last guard.
ALTER TABLE training_programmes ADD COLUMN seats_taken INTEGER NOT NULL DEFAULT 0
    CHECK (seats_taken >= 0 AND seats_taken <= quota);

CREATE TABLE training_enrolments (
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
CREATE INDEX training_enrolments_seeker_idx ON training_enrolments (job_seeker_id);
CREATE INDEX training_enrolments_programme_idx ON training_enrolments (programme_id, status);

CREATE TABLE training_enrolment_events (
    id            INTEGER PRIMARY KEY NOT NULL,
    enrolment_id  INTEGER NOT NULL REFERENCES training_enrolments (id),
    status        TEXT NOT NULL,
    note          TEXT,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
CREATE INDEX training_enrolment_events_idx ON training_enrolment_events (enrolment_id);

-- One row per participant and training day that was recorded.
CREATE TABLE training_attendance (
    enrolment_id INTEGER NOT NULL REFERENCES training_enrolments (id),
    day          DATE NOT NULL,
    present      BOOLEAN NOT NULL,
    recorded_by  INTEGER REFERENCES users (id),
    recorded_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (enrolment_id, day)
);
