-- What WLKP needs to know of a company: its legal form, investment status, BPJS
-- Ketenagakerjaan NPP, founding date, head office (a branch shares the head office's NIB)
-- and its 5-digit KBLI 2020 codes with their history. Existing companies get NULL for all
-- of it: unknown, never a guess.

CREATE TABLE ref_legal_form (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_legal_form (code) VALUES ('pt'), ('cv'), ('firma'), ('koperasi'), ('yayasan'), ('perorangan'), ('bumn'), ('bumd'), ('other');
CREATE TABLE ref_investment_status (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_investment_status (code) VALUES ('pma'), ('pmdn');

ALTER TABLE companies ADD COLUMN legal_form TEXT REFERENCES ref_legal_form (code);
ALTER TABLE companies ADD COLUMN investment_status TEXT REFERENCES ref_investment_status (code);
ALTER TABLE companies ADD COLUMN npp TEXT;
ALTER TABLE companies ADD COLUMN founded_on DATE;
ALTER TABLE companies ADD COLUMN head_office_id INTEGER REFERENCES companies (id);

-- One head office per NIB; its branches carry the same NIB.
DROP INDEX companies_nib_idx;
CREATE UNIQUE INDEX companies_nib_idx ON companies (nib) WHERE nib IS NOT NULL AND head_office_id IS NULL;
CREATE INDEX companies_head_office_idx ON companies (head_office_id) WHERE head_office_id IS NOT NULL;

-- A company's 5-digit KBLI codes. A row is never rewritten but to close it: a change
-- closes the old row (valid_to, exclusive, a WIB date) and opens a new one, so the code a
-- company had on any past date can be read back for that month's statistics.
CREATE TABLE company_kbli (
    id            SERIAL PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    code          TEXT NOT NULL,
    is_primary    BOOLEAN NOT NULL,
    valid_from    DATE NOT NULL,
    valid_to      DATE,
    actor_user_id INTEGER REFERENCES users (id),
    recorded_at   TIMESTAMP NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX company_kbli_company_idx ON company_kbli (company_id, valid_from);
CREATE UNIQUE INDEX company_kbli_one_primary_idx ON company_kbli (company_id) WHERE is_primary AND valid_to IS NULL;
CREATE UNIQUE INDEX company_kbli_open_code_idx ON company_kbli (company_id, code) WHERE valid_to IS NULL;
