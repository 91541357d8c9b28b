-- The search keeps the open national vacancies in memory (`national::vacancies::Open`), as
-- it keeps the portal's own: any change moves their row of `search_versions`, and each
-- search reads that one row to know whether its copy is stale.
INSERT INTO search_versions (name, version) VALUES ('national_vacancies', 1);
CREATE FUNCTION bump_national_vacancies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'national_vacancies';
    RETURN NULL;
END
$$;
CREATE TRIGGER national_vacancies_board AFTER INSERT OR UPDATE OR DELETE ON national_vacancies
FOR EACH STATEMENT EXECUTE FUNCTION bump_national_vacancies();
