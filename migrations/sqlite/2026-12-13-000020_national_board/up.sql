-- The search keeps the open national vacancies in memory (`national::vacancies::Open`), as
-- it keeps the portal's own: any change moves their row of `search_versions`, and each
-- search reads that one row to know whether its copy is stale.
INSERT INTO search_versions (name, version) VALUES ('national_vacancies', 1);
CREATE TRIGGER national_vacancies_board_insert AFTER INSERT ON national_vacancies
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'national_vacancies';
END;
CREATE TRIGGER national_vacancies_board_update AFTER UPDATE ON national_vacancies
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'national_vacancies';
END;
CREATE TRIGGER national_vacancies_board_delete AFTER DELETE ON national_vacancies
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'national_vacancies';
END;
