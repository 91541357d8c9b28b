-- Fails while branches share a NIB with their head office: remove them first.
DROP TABLE company_kbli;
DROP INDEX companies_head_office_idx;
DROP INDEX companies_nib_idx;
CREATE UNIQUE INDEX companies_nib_idx ON companies (nib) WHERE nib IS NOT NULL;
ALTER TABLE companies DROP COLUMN head_office_id;
ALTER TABLE companies DROP COLUMN founded_on;
ALTER TABLE companies DROP COLUMN npp;
ALTER TABLE companies DROP COLUMN investment_status;
ALTER TABLE companies DROP COLUMN legal_form;
DROP TABLE ref_investment_status;
DROP TABLE ref_legal_form;
