-- Data sharing (issue 16, item 2): the partners of the Dinas, what each may receive and
-- on what legal basis, and the API keys the data steward issues them. A partner is
-- deactivated, never deleted, so the audit log keeps its name; a key keeps only the
-- SHA-256 of its secret.
CREATE TABLE ref_partner_kind (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_partner_kind (code) VALUES ('ministry'), ('province'), ('bpjs'), ('other');
CREATE TABLE ref_masking (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_masking (code) VALUES ('masked'), ('unmasked');

CREATE TABLE partners (
    id             INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL REFERENCES ref_partner_kind (code),
    legal_basis    TEXT NOT NULL,
    contact_name   TEXT NOT NULL,
    contact_email  TEXT NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMP NOT NULL,
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL
);

-- One data set per row: revoking a grant deletes its row (the audit log has the history).
CREATE TABLE partner_grants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    dataset     TEXT NOT NULL REFERENCES ref_export_dataset (code),
    masking     TEXT NOT NULL REFERENCES ref_masking (code),
    granted_at  TIMESTAMP NOT NULL,
    granted_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (partner_id, dataset)
);

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    partner_id    INTEGER NOT NULL REFERENCES partners (id),
    label         TEXT NOT NULL,
    -- Public, shown on pages and used to find the key; the secret is kept only as the
    -- lower-case hex of its SHA-256.
    prefix        TEXT NOT NULL UNIQUE,
    secret_sha256 TEXT NOT NULL,
    -- The last Asia/Jakarta day on which the key works.
    expires_on    DATE NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    revoked_at    TIMESTAMP,
    revoked_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    last_used_at  TIMESTAMP
);
CREATE INDEX api_keys_partner_idx ON api_keys (partner_id, id);

CREATE TABLE api_key_scopes (
    key_id   INTEGER NOT NULL REFERENCES api_keys (id),
    dataset  TEXT NOT NULL REFERENCES ref_export_dataset (code),
    masking  TEXT NOT NULL REFERENCES ref_masking (code),
    PRIMARY KEY (key_id, dataset)
);
