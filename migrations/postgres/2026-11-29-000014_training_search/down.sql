DROP TRIGGER programme_search_after_update ON training_programmes;
DROP TRIGGER programme_search_after_insert ON training_programmes;
DROP FUNCTION sync_programme_search();
DROP TABLE programme_search;
ALTER TABLE training_programmes DROP COLUMN search_text;
