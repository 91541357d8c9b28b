DROP INDEX vacancies_closing_idx;
DROP INDEX vacancies_search_idx;
ALTER TABLE vacancies DROP COLUMN search_vector;
ALTER TABLE vacancies DROP COLUMN search_text;
