ALTER TABLE companies DROP COLUMN revision;
ALTER TABLE vacancies DROP COLUMN revision;
