DROP TRIGGER national_vacancies_board_insert;
DROP TRIGGER national_vacancies_board_update;
DROP TRIGGER national_vacancies_board_delete;
DELETE FROM search_versions WHERE name = 'national_vacancies';
