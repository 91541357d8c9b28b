-- Full-text search of published vacancies. `search_text` is the searchable document (title,
-- description, skills, job title, company), already folded by the application (lower case,
-- no accents, words separated by single spaces) so that SQLite and PostgreSQL tokenise it
-- the same way. The FTS5 index holds published vacancies only: residents never search the
-- rest, and a small index keeps prefix queries fast.

ALTER TABLE vacancies ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER vacancy_fts_after_insert AFTER INSERT ON vacancies
WHEN new.status = 'published'
BEGIN
    INSERT INTO vacancy_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER vacancy_fts_after_update AFTER UPDATE OF status, search_text ON vacancies
BEGIN
    DELETE FROM vacancy_fts WHERE rowid = old.id;
    INSERT INTO vacancy_fts (rowid, search_text)
        SELECT new.id, new.search_text WHERE new.status = 'published';
END;

CREATE TRIGGER vacancy_fts_after_delete AFTER DELETE ON vacancies
BEGIN
    DELETE FROM vacancy_fts WHERE rowid = old.id;
END;

INSERT INTO vacancy_fts (rowid, search_text)
    SELECT id, search_text FROM vacancies WHERE status = 'published';

-- The published vacancies still open, with every column the search filters, counts and
-- sorts on: the search keeps these few columns of every open vacancy in memory and loads
-- them through this index alone. Also serves the expiry job.
CREATE INDEX vacancies_board_idx ON vacancies (
    closes_on, kelurahan_code, kbji_code, education_min, employment_type,
    disability_friendly, published_at, show_wage, wage_min, wage_max, id
) WHERE status = 'published';

-- A counter per searchable kind, moved by any change that can alter what the public
-- search shows, so that every instance knows at the cost of one row when its in-memory
-- copy of the board is stale, whoever made the change.
CREATE TABLE search_versions (
    name    TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO search_versions (name, version) VALUES ('vacancies', 1);

CREATE TRIGGER vacancy_board_after_insert AFTER INSERT ON vacancies
WHEN new.status = 'published'
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'vacancies';
END;

CREATE TRIGGER vacancy_board_after_update AFTER UPDATE ON vacancies
WHEN old.status = 'published' OR new.status = 'published'
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'vacancies';
END;

CREATE TRIGGER vacancy_board_after_delete AFTER DELETE ON vacancies
WHEN old.status = 'published'
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'vacancies';
END;
