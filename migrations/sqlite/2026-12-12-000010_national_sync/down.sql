CREATE TABLE sharing_out_log_old (
    day         DATE NOT NULL,
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    via         TEXT NOT NULL CHECK (via IN ('key', 'user')),
    via_id      INTEGER NOT NULL,
    dataset     TEXT NOT NULL REFERENCES ref_export_dataset (code),
    unmasked    BOOLEAN NOT NULL,
    requests    BIGINT NOT NULL,
    records     BIGINT NOT NULL,
    PRIMARY KEY (day, partner_id, via, via_id, dataset, unmasked)
);
INSERT INTO sharing_out_log_old SELECT * FROM sharing_out_log WHERE via <> 'sync';
DROP TABLE sharing_out_log;
ALTER TABLE sharing_out_log_old RENAME TO sharing_out_log;
DROP TRIGGER exchange_log_no_delete;
DROP TRIGGER exchange_log_no_update;
DROP TABLE exchange_log_head;
DROP TABLE exchange_log;
DROP TRIGGER sync_capture;
DROP TABLE sync_outbox;
DROP TABLE sync_state;
