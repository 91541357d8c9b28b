ALTER TABLE job_seekers DROP COLUMN photo_file;
DROP TABLE ak1_serials;
DROP TABLE ak1_events;
DROP TABLE ak1_cards;
