-- Full-text search of published training programmes, as for vacancies (000005):
-- `search_text` is the searchable document (title, field in both languages, description,
-- requirements, provider, job titles), already folded by the application so that SQLite
-- and PostgreSQL tokenise it the same way. The FTS5 index holds published programmes only.

ALTER TABLE training_programmes ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE programme_fts USING fts5(
    search_text,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER programme_fts_after_insert AFTER INSERT ON training_programmes
WHEN new.status = 'published'
BEGIN
    INSERT INTO programme_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER programme_fts_after_update AFTER UPDATE OF status, search_text ON training_programmes
BEGIN
    DELETE FROM programme_fts WHERE rowid = old.id;
    INSERT INTO programme_fts (rowid, search_text)
        SELECT new.id, new.search_text WHERE new.status = 'published';
END;

CREATE TRIGGER programme_fts_after_delete AFTER DELETE ON training_programmes
BEGIN
    DELETE FROM programme_fts WHERE rowid = old.id;
END;

INSERT INTO programme_fts (rowid, search_text)
    SELECT id, search_text FROM training_programmes WHERE status = 'published';

