DROP TRIGGER national_vacancies_board ON national_vacancies;
DROP FUNCTION bump_national_vacancies();
DELETE FROM search_versions WHERE name = 'national_vacancies';
