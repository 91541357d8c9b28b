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

-- Published vacancies still open with every column the search filters, counts and sorts
-- on, for index-only scans when there is no keyword. Also serves the expiry job.
CREATE INDEX vacancies_board_idx ON vacancies (closes_on) INCLUDE (
    kelurahan_code, kbji_code, education_min, employment_type, disability_friendly,
    published_at, show_wage, wage_min, wage_max, id
) WHERE status = 'published';
