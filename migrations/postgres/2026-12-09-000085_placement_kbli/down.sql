ALTER TABLE placements DROP COLUMN kbli_section;
