DROP TABLE national_vacancies;
DROP TABLE sync_pulled;
DROP TABLE sync_pull_state;
