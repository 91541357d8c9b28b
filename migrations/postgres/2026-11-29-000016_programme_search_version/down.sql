DROP TRIGGER programme_version_after_provider ON training_providers;
DROP TRIGGER programme_version_after_delete ON training_programmes;
DROP TRIGGER programme_version_after_update ON training_programmes;
DROP TRIGGER programme_version_after_insert ON training_programmes;
DROP FUNCTION bump_programme_search();
DELETE FROM search_versions WHERE name = 'programmes';
