-- SQLite cannot drop a column that holds a foreign key, so `companies` is rebuilt as it was
-- after migration 000021 (https://sqlite.org/lang_altertable.html#otheralter). It fails
-- (and changes nothing) while branches share a NIB with their head office.
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE company_kbli;
CREATE TABLE companies_rebuilt (
    id             INTEGER PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    nib            TEXT,
    npwp           TEXT,
    kbli_section   TEXT NOT NULL REFERENCES kbli_sections (code),
    address        TEXT NOT NULL,
    kelurahan_code TEXT REFERENCES regions (code),
    regency_code   TEXT NOT NULL REFERENCES regions (code),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
, verification_status TEXT NOT NULL DEFAULT 'pending', verification_note TEXT, status_changed_at TIMESTAMP, size_band TEXT, contact_phone TEXT, contact_email TEXT, website TEXT, description TEXT, revision INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (verification_status) REFERENCES ref_verification_status (code),
    FOREIGN KEY (size_band) REFERENCES ref_size_band (code)
);
INSERT INTO companies_rebuilt (id, name, nib, npwp, kbli_section, address, kelurahan_code, regency_code, created_at, updated_at, verification_status, verification_note, status_changed_at, size_band, contact_phone, contact_email, website, description, revision)
    SELECT id, name, nib, npwp, kbli_section, address, kelurahan_code, regency_code, created_at, updated_at, verification_status, verification_note, status_changed_at, size_band, contact_phone, contact_email, website, description, revision FROM companies;
DROP TABLE companies;
ALTER TABLE companies_rebuilt RENAME TO companies;
CREATE UNIQUE INDEX companies_nib_idx ON companies (nib) WHERE nib IS NOT NULL;
CREATE INDEX companies_verification_idx ON companies (verification_status, status_changed_at);
DROP TABLE ref_investment_status;
DROP TABLE ref_legal_form;
CREATE TEMP TABLE fk_check (rows_breaking_a_foreign_key INTEGER NOT NULL
    CHECK (rows_breaking_a_foreign_key = 0));
INSERT INTO fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
