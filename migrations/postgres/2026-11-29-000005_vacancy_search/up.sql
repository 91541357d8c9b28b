-- Full-text search of published vacancies. `search_text` is the searchable document (title,
-- description, skills, job title, company), already folded by the application (lower case,
-- no accents, words separated by single spaces) so that SQLite and PostgreSQL tokenise it
-- the same way; the 'simple' configuration neither stems nor drops stop words, as FTS5 does
-- not either. The GIN index covers published vacancies only, the only ones residents search.

ALTER TABLE vacancies ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE vacancies ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX vacancies_search_idx ON vacancies USING GIN (search_vector)
    WHERE status = 'published';

-- The published vacancies still open, with every column the search filters, counts and
-- sorts on: the search keeps these few columns of every open vacancy in memory and loads
-- them through this index alone. Also serves the expiry job.
CREATE INDEX vacancies_board_idx ON vacancies (closes_on) INCLUDE (
    kelurahan_code, kbji_code, education_min, employment_type, disability_friendly,
    published_at, show_wage, wage_min, wage_max, id
) WHERE status = 'published';

-- A counter per searchable kind, moved by any change that can alter what the public
-- search shows, so that every instance knows at the cost of one row when its in-memory
-- copy of the board is stale, whoever made the change.
CREATE TABLE search_versions (
    name    TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO search_versions (name, version) VALUES ('vacancies', 1);

CREATE FUNCTION bump_vacancy_board() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'vacancies';
    RETURN NULL;
END;
$$;

CREATE TRIGGER vacancy_board_after_insert AFTER INSERT ON vacancies
    FOR EACH ROW WHEN (new.status = 'published') EXECUTE FUNCTION bump_vacancy_board();
CREATE TRIGGER vacancy_board_after_update AFTER UPDATE ON vacancies
    FOR EACH ROW WHEN (old.status = 'published' OR new.status = 'published')
    EXECUTE FUNCTION bump_vacancy_board();
CREATE TRIGGER vacancy_board_after_delete AFTER DELETE ON vacancies
    FOR EACH ROW WHEN (old.status = 'published') EXECUTE FUNCTION bump_vacancy_board();
