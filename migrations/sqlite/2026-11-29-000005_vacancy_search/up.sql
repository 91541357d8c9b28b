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

-- Narrow indexes over published vacancies holding every column the search filters, counts
-- and sorts on, so that neither the counts nor the ordering touch the wide rows (each
-- carries its description and search text). The search names them with INDEXED BY: with a
-- keyword it starts from the FTS5 matches and looks each one up by id; without one it
-- walks the published vacancies still open. The second also serves the expiry job.
CREATE INDEX vacancies_match_idx ON vacancies (
    id, closes_on, kelurahan_code, kbji_code, education_min, employment_type,
    disability_friendly, published_at, show_wage, wage_min, wage_max
) WHERE status = 'published';
CREATE INDEX vacancies_board_idx ON vacancies (
    closes_on, kelurahan_code, kbji_code, education_min, employment_type,
    disability_friendly, published_at, show_wage, wage_min, wage_max, id
) WHERE status = 'published';
