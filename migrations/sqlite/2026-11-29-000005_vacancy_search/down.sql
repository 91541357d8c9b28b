DROP INDEX vacancies_board_idx;
DROP INDEX vacancies_match_idx;
DROP TRIGGER vacancy_fts_after_delete;
DROP TRIGGER vacancy_fts_after_update;
DROP TRIGGER vacancy_fts_after_insert;
DROP TABLE vacancy_fts;
ALTER TABLE vacancies DROP COLUMN search_text;
