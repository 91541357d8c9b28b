DROP TRIGGER vacancy_board_after_delete ON vacancies;
DROP TRIGGER vacancy_board_after_update ON vacancies;
DROP TRIGGER vacancy_board_after_insert ON vacancies;
DROP FUNCTION bump_vacancy_board();
DROP TABLE search_versions;
DROP INDEX vacancies_board_idx;
DROP INDEX vacancies_search_idx;
ALTER TABLE vacancies DROP COLUMN search_vector;
ALTER TABLE vacancies DROP COLUMN search_text;
