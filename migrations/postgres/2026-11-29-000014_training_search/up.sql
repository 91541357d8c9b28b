-- Full-text search of published training programmes, as for vacancies (000005):
-- `search_text` is the searchable document (title, field in both languages, description,
-- requirements, provider, job titles), already folded by the application so that SQLite
-- and PostgreSQL tokenise it the same way; the 'simple' configuration neither stems nor
-- drops stop words, as FTS5 does not either. The stripped tsvectors of published programmes
-- live in a narrow table kept by a trigger, as `vacancy_search` does, so both kinds of
-- search read the same way.

ALTER TABLE training_programmes ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE TABLE programme_search (
    programme_id INTEGER PRIMARY KEY REFERENCES training_programmes (id) ON DELETE CASCADE,
    document     tsvector NOT NULL
);
CREATE INDEX programme_search_idx ON programme_search USING GIN (document) WITH (fastupdate = off);

CREATE FUNCTION sync_programme_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM programme_search WHERE programme_id = OLD.id;
    END IF;
    IF NEW.status = 'published' THEN
        INSERT INTO programme_search (programme_id, document)
            VALUES (NEW.id, strip(to_tsvector('simple', NEW.search_text)));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER programme_search_after_insert AFTER INSERT ON training_programmes
    FOR EACH ROW WHEN (new.status = 'published') EXECUTE FUNCTION sync_programme_search();
CREATE TRIGGER programme_search_after_update AFTER UPDATE OF status, search_text ON training_programmes
    FOR EACH ROW WHEN (old.status IS DISTINCT FROM new.status
                       OR old.search_text IS DISTINCT FROM new.search_text)
    EXECUTE FUNCTION sync_programme_search();

INSERT INTO programme_search (programme_id, document)
    SELECT id, strip(to_tsvector('simple', search_text))
    FROM training_programmes WHERE status = 'published';

