DROP TRIGGER programme_fts_after_delete;
DROP TRIGGER programme_fts_after_update;
DROP TRIGGER programme_fts_after_insert;
DROP TABLE programme_fts;
ALTER TABLE training_programmes DROP COLUMN search_text;
