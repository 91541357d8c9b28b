DROP TABLE vacancy_events;
DROP TABLE vacancies;
