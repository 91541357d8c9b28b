-- Full-text search of published vacancies. `search_text` is the searchable document (title,
-- description, skills, job title, company), already folded by the application (lower case,
-- no accents, words separated by single spaces) so that SQLite and PostgreSQL tokenise it
-- the same way; the 'simple' configuration neither stems nor drops stop words, as FTS5 does
-- not either.
--
-- The tsvectors of published vacancies live in a narrow table of their own, kept by a
-- trigger, rather than in a generated column of `vacancies`: a keyword search reads every
-- matching row, and on the large data the matches of a common word lay one to a page across
-- a 110 MB table (1,900 pages for 2,000 matches, 14.5 ms) where the narrow table of the
-- ~12,000 open vacancies holds them in 530 pages of 4 MB (3.4 ms). Word positions are
-- stripped (nothing ranks or searches phrases), which cuts the table to 3 MB and a search
-- by another fifth. Fast update is off: the index is read far more often than written, and
-- a pending list would be scanned by every search until the next vacuum.

ALTER TABLE vacancies ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE TABLE vacancy_search (
    vacancy_id INTEGER PRIMARY KEY REFERENCES vacancies (id) ON DELETE CASCADE,
    document   tsvector NOT NULL
);
CREATE INDEX vacancy_search_idx ON vacancy_search USING GIN (document) WITH (fastupdate = off);

CREATE FUNCTION sync_vacancy_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM vacancy_search WHERE vacancy_id = OLD.id;
    END IF;
    IF NEW.status = 'published' THEN
        INSERT INTO vacancy_search (vacancy_id, document)
            VALUES (NEW.id, strip(to_tsvector('simple', NEW.search_text)));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER vacancy_search_after_insert AFTER INSERT ON vacancies
    FOR EACH ROW WHEN (new.status = 'published') EXECUTE FUNCTION sync_vacancy_search();
CREATE TRIGGER vacancy_search_after_update AFTER UPDATE OF status, search_text ON vacancies
    FOR EACH ROW WHEN (old.status IS DISTINCT FROM new.status
                       OR old.search_text IS DISTINCT FROM new.search_text)
    EXECUTE FUNCTION sync_vacancy_search();

INSERT INTO vacancy_search (vacancy_id, document)
    SELECT id, strip(to_tsvector('simple', search_text)) FROM vacancies WHERE status = 'published';

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
