DROP TRIGGER programme_version_after_provider;
DROP TRIGGER programme_version_after_delete;
DROP TRIGGER programme_version_after_update;
DROP TRIGGER programme_version_after_insert;
DELETE FROM search_versions WHERE name = 'programmes';
