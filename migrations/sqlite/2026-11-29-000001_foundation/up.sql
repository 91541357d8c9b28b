-- Foundation: settings kept by the application, reference data, users and the audit log.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Kemendagri region codes (dotted, e.g. 12.75.01.1008). BPS codes differ and are kept apart.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'regency', 'district', 'village')),
    parent_code TEXT REFERENCES regions (code),
    name        TEXT NOT NULL,
    bps_code    TEXT,
    version     TEXT NOT NULL
);
CREATE INDEX regions_parent_idx ON regions (parent_code);

CREATE TABLE kbji_major_groups (
    code    TEXT PRIMARY KEY NOT NULL,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    version TEXT NOT NULL
);

CREATE TABLE kbji_occupations (
    id       INTEGER PRIMARY KEY NOT NULL,
    code     TEXT NOT NULL,
    title_id TEXT NOT NULL UNIQUE,
    title_en TEXT NOT NULL,
    version  TEXT NOT NULL
);
CREATE INDEX kbji_occupations_code_idx ON kbji_occupations (code);

CREATE TABLE kbli_sections (
    code    TEXT PRIMARY KEY NOT NULL,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    version TEXT NOT NULL
);

CREATE TABLE kbli_divisions (
    code         TEXT PRIMARY KEY NOT NULL,
    section_code TEXT NOT NULL REFERENCES kbli_sections (code),
    name_id      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    version      TEXT NOT NULL
);

CREATE TABLE education_levels (
    code      SMALLINT PRIMARY KEY NOT NULL,
    name_id   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    ipk_group TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    locale        TEXT NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE user_roles (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('job_seeker', 'employer', 'operator', 'verifier', 'data_steward', 'super_admin')),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE INDEX user_roles_role_idx ON user_roles (role);

-- Append-only: the application has no update or delete path, and the database refuses one.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY NOT NULL,
    occurred_at   TIMESTAMP NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    action        TEXT NOT NULL,
    subject_type  TEXT,
    subject_id    TEXT,
    detail        TEXT,
    client_ip     TEXT,
    request_id    TEXT
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
