-- Training providers (lembaga pelatihan): public vocational training centres (BLK) and
-- private training institutions (LPK). Staff keep the list; a provider's own users manage
-- its programmes, as an employer's users manage its vacancies.

CREATE TABLE training_providers (
    id                   SERIAL PRIMARY KEY,
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

-- A provider's users hold the new role.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
    CHECK (role IN ('job_seeker', 'employer', 'training_provider', 'operator', 'verifier', 'data_steward', 'super_admin'));
