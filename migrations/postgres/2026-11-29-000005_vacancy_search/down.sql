DROP INDEX vacancies_board_idx;
DROP INDEX vacancies_search_idx;
ALTER TABLE vacancies DROP COLUMN search_vector;
ALTER TABLE vacancies DROP COLUMN search_text;
