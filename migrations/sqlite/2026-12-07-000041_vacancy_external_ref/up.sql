-- A vacancy imported from a list keeps the list's own id, unique within its company, so
-- that importing the same list again finds it instead of making another.
ALTER TABLE vacancies ADD COLUMN external_ref TEXT;
-- The list's id leads: an import looks up a batch of ids at once, which the index then
-- finds directly (led by the company, PostgreSQL read every vacancy of the company).
CREATE UNIQUE INDEX vacancies_external_ref_idx ON vacancies (external_ref, company_id) WHERE external_ref IS NOT NULL;
