-- A vacancy imported from a list keeps the list's own id, unique within its company, so
-- that importing the same list again finds it instead of making another.
ALTER TABLE vacancies ADD COLUMN external_ref TEXT;
CREATE UNIQUE INDEX vacancies_external_ref_idx ON vacancies (company_id, external_ref) WHERE external_ref IS NOT NULL;
