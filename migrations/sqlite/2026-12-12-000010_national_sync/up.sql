-- The exchange with the national system (issue 17; docs/national-sync.md). `national::outbox`
-- owns `sync_state` and `sync_outbox`, `national::exchange_log` owns `exchange_log` and
-- `exchange_log_head`.

-- One row: whether changes are captured for the push, and the resync generation. Capture
-- starts when a sync endpoint is first configured (with a resync of everything), so a
-- portal that never syncs keeps no queue.
CREATE TABLE sync_state (
    id                 INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    capture            BOOLEAN NOT NULL DEFAULT FALSE,
    -- Rises with every "resync everything": part of each event's idempotency key, so the
    -- national side applies a resent record again instead of counting it a duplicate.
    generation         INTEGER NOT NULL DEFAULT 0,
    resync_started_at  TIMESTAMP,
    resync_total       BIGINT NOT NULL DEFAULT 0,
    last_attempt_at    TIMESTAMP,
    last_success_at    TIMESTAMP,
    last_error         TEXT
);
INSERT INTO sync_state (id) VALUES (1);

-- One row per shared record: its latest change, waiting, delivered or parked. A record
-- changed again before it went out is sent once, at its latest; `version` rises with every
-- change of the record (under the row's lock, so in commit order), and the national side
-- applies an event only when its version is not below the one it holds.
CREATE TABLE sync_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    dataset          TEXT NOT NULL REFERENCES ref_export_dataset (code),
    record_id        INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    generation       INTEGER NOT NULL,
    deleted          BOOLEAN NOT NULL,
    changed_at       TIMESTAMP NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'parked', 'discarded')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    last_error       TEXT,
    parked_at        TIMESTAMP,
    delivered_at     TIMESTAMP,
    -- Set by the worker that took the row; a new change clears it, so a worker's answer
    -- lands only on rows that are still as it sent them.
    claim_token      TEXT,
    UNIQUE (dataset, record_id)
);
CREATE INDEX sync_outbox_due_idx ON sync_outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX sync_outbox_claim_idx ON sync_outbox (claim_token) WHERE claim_token IS NOT NULL;
CREATE INDEX sync_outbox_parked_idx ON sync_outbox (parked_at, id) WHERE state = 'parked';

-- Every feed change of a shared record is a sync event in the same transaction, while
-- capture is on. The feed writes each change as a fresh row (`record_versions`).
CREATE TRIGGER sync_capture AFTER INSERT ON record_versions
WHEN (SELECT capture FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO sync_outbox (dataset, record_id, version, generation, deleted, changed_at, state, attempts, next_attempt_at)
    VALUES (new.dataset, new.record_id, 1, (SELECT generation FROM sync_state WHERE id = 1), new.deleted, new.changed_at, 'pending', 0, new.changed_at)
    ON CONFLICT (dataset, record_id) DO UPDATE SET
        version = sync_outbox.version + 1, generation = excluded.generation,
        deleted = excluded.deleted, changed_at = excluded.changed_at, state = 'pending',
        attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL,
        parked_at = NULL, claim_token = NULL;
END;

-- What was sent to and received from the national system, signed, in a hash chain
-- (X-Road's message log): each entry's hash covers the one before, so no entry can be
-- changed, removed or slipped in without `sibuser sync verify` seeing it.
CREATE TABLE exchange_log (
    seq          BIGINT PRIMARY KEY NOT NULL,
    logged_at    TIMESTAMP NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    kind         TEXT NOT NULL,
    peer         TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    signed_at    TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    signature    TEXT NOT NULL,
    body_sha256  TEXT NOT NULL,
    -- The message as it was sent or received, gzip-compressed.
    body         BLOB NOT NULL,
    prev_hash    TEXT NOT NULL,
    entry_hash   TEXT NOT NULL
);
CREATE INDEX exchange_log_message_idx ON exchange_log (message_id);
CREATE INDEX exchange_log_kind_idx ON exchange_log (kind, logged_at);

-- The chain's end: appending updates this row, so concurrent appends (two instances) queue
-- on its lock instead of both taking the same seq.
CREATE TABLE exchange_log_head (
    id    INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO exchange_log_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER exchange_log_no_update BEFORE UPDATE ON exchange_log
BEGIN
    SELECT RAISE(ABORT, 'the exchange log is append-only');
END;
CREATE TRIGGER exchange_log_no_delete BEFORE DELETE ON exchange_log
BEGIN
    SELECT RAISE(ABORT, 'the exchange log is append-only');
END;

-- The push is a way records leave, counted in the out-log beside keys and partner users.
CREATE TABLE sharing_out_log_new (
    day         DATE NOT NULL,
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    via         TEXT NOT NULL CHECK (via IN ('key', 'user', 'sync')),
    via_id      INTEGER NOT NULL,
    dataset     TEXT NOT NULL REFERENCES ref_export_dataset (code),
    unmasked    BOOLEAN NOT NULL,
    requests    BIGINT NOT NULL,
    records     BIGINT NOT NULL,
    PRIMARY KEY (day, partner_id, via, via_id, dataset, unmasked)
);
INSERT INTO sharing_out_log_new SELECT * FROM sharing_out_log;
DROP TABLE sharing_out_log;
ALTER TABLE sharing_out_log_new RENAME TO sharing_out_log;
