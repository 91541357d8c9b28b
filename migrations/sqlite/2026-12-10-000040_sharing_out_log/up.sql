-- What went out to whom, by day (issue 16, item 2): one row per Asia/Jakarta day, partner,
-- way (an API key or a partner user's web session), data set and masking, counting the
-- requests answered and the records in them. Kept as an upsert by `sharing::out_log`.
-- `via_id` is an `api_keys` or `users` id by `via`; it has no foreign key, so the counts
-- outlive a deleted account.
CREATE TABLE sharing_out_log (
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
