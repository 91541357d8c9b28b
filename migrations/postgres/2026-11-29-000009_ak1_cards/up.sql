-- The AK/I card (kartu tanda bukti pendaftaran pencari kerja, DOMAIN.md §1) and the job-seeker
-- register it stands for. A card is asked for, then verified and issued by an operator (or
-- issued at the counter straight away); it is valid two years and its holder reports every
-- six months while unplaced. The register is the set of active cards, and every way in or
-- out of it is a dated row in ak1_events, so that any past month's IPK figures can be rebuilt.
-- `status` and the dates on the card are the current state, kept for queries; the events are
-- the history and are never changed.

CREATE TABLE ak1_cards (
    id              SERIAL PRIMARY KEY,
    job_seeker_id   INTEGER NOT NULL REFERENCES job_seekers (id),
    -- 1275-YYYY-NNNNNN, given when issued (docs/decisions.md).
    number          TEXT UNIQUE,
    -- Printed beside the QR code: the public verification page wants it with the number, so
    -- that nobody can walk the register by counting numbers.
    verify_code     TEXT NOT NULL,
    status          TEXT NOT NULL
        CHECK (status IN ('requested', 'declined', 'active', 'placed', 'expired', 'lapsed', 'withdrawn')),
    requested_at    TIMESTAMP NOT NULL,
    issued_on       DATE,
    issued_by       INTEGER REFERENCES users (id),
    valid_until     DATE,
    -- The next six-monthly report; NULL when none is due before the card expires.
    next_report_due DATE,
    reports_made    SMALLINT NOT NULL DEFAULT 0,
    -- The report due date a reminder was sent for, so that the job sends each one once.
    reminded_for    DATE,
    ended_on        DATE,
    end_note        TEXT,
    updated_at      TIMESTAMP NOT NULL,
    CHECK (status NOT IN ('active', 'placed', 'expired', 'lapsed')
           OR (number IS NOT NULL AND issued_on IS NOT NULL AND valid_until IS NOT NULL))
);
-- One open card (asked for or active) per job seeker.
CREATE UNIQUE INDEX ak1_cards_open_idx ON ak1_cards (job_seeker_id)
    WHERE status IN ('requested', 'active');
CREATE INDEX ak1_cards_seeker_idx ON ak1_cards (job_seeker_id);
CREATE INDEX ak1_cards_queue_idx ON ak1_cards (requested_at) WHERE status = 'requested';
CREATE INDEX ak1_cards_due_idx ON ak1_cards (next_report_due) WHERE status = 'active';
CREATE INDEX ak1_cards_valid_idx ON ak1_cards (valid_until) WHERE status = 'active';

CREATE TABLE ak1_events (
    id            SERIAL PRIMARY KEY,
    card_id       INTEGER NOT NULL REFERENCES ak1_cards (id),
    kind          TEXT NOT NULL
        CHECK (kind IN ('requested', 'declined', 'issued', 'reported', 'placed', 'expired', 'lapsed', 'withdrawn')),
    occurred_on   DATE NOT NULL,
    recorded_at   TIMESTAMP NOT NULL,
    -- The operator who acted; NULL for the holder's own steps and the daily job.
    actor_user_id INTEGER REFERENCES users (id),
    note          TEXT
);
CREATE INDEX ak1_events_card_idx ON ak1_events (card_id);
CREATE INDEX ak1_events_kind_idx ON ak1_events (kind, occurred_on);

-- The last serial given per year of issue. Taken by an upsert in the issuing transaction,
-- so two operators issuing at once get different numbers on either backend.
CREATE TABLE ak1_serials (
    year        INTEGER PRIMARY KEY NOT NULL,
    last_serial INTEGER NOT NULL
);

-- The holder's passport photo for the card (3x4), optional: a JPEG or PNG kept under the
-- data directory by a random name, like the CV.
ALTER TABLE job_seekers ADD COLUMN photo_file TEXT;
