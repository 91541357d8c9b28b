-- Training providers (lembaga pelatihan): public vocational training centres (BLK) and
-- private training institutions (LPK). Staff keep the list; a provider's own users manage
-- its programmes, as an employer's users manage its vacancies.

CREATE TABLE training_providers (
    id                   INTEGER PRIMARY KEY NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('blk', 'lpk')),
    -- The accreditation as the certificate states it (for an LPK: grade A, B or C from
    -- LA-LPK), and the certificate's number; both optional.
    accreditation        TEXT,
    accreditation_number TEXT,
    address              TEXT NOT NULL,
    kelurahan_code       TEXT REFERENCES regions (code),
    regency_code         TEXT NOT NULL REFERENCES regions (code),
    phone                TEXT,
    email                TEXT,
    website              TEXT,
    is_active            BOOLEAN NOT NULL DEFAULT TRUE,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX training_providers_name_idx ON training_providers (name);

ALTER TABLE users ADD COLUMN provider_id INTEGER REFERENCES training_providers (id);

-- A provider's users hold the new role. SQLite cannot change a CHECK, so the small roles
-- table is rebuilt with the same columns.
CREATE TABLE user_roles_new (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('job_seeker', 'employer', 'training_provider', 'operator', 'verifier', 'data_steward', 'super_admin')),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_new (user_id, role, granted_at) SELECT user_id, role, granted_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;
CREATE INDEX user_roles_role_idx ON user_roles (role);
