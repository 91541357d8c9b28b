DROP INDEX vacancies_external_ref_idx;
ALTER TABLE vacancies DROP COLUMN external_ref;
