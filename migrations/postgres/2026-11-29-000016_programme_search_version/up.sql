-- A version for the programme search, moved by any change to what it shows (a programme's
-- searchable columns, its provider's name, kind or switch), so that each instance keeps
-- the open programmes and recent keyword matches in memory and knows at the cost of one
-- row when they are stale. The vacancy search beside which they are shown is read far more
-- often than programmes change (docs/benchmarks.md). Statement triggers: a bulk insert
-- moves the version once.

INSERT INTO search_versions (name, version) VALUES ('programmes', 1);

CREATE FUNCTION bump_programme_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_versions SET version = version + 1 WHERE name = 'programmes';
    RETURN NULL;
END;
$$;

CREATE TRIGGER programme_version_after_insert AFTER INSERT ON training_programmes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_programme_search();
CREATE TRIGGER programme_version_after_update AFTER UPDATE OF
    status, title, field, provider_id, cost, kelurahan_code, regency_code, starts_on, ends_on,
    hours, mode, quota, registration_opens_on, registration_closes_on, search_text
    ON training_programmes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_programme_search();
CREATE TRIGGER programme_version_after_delete AFTER DELETE ON training_programmes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_programme_search();
CREATE TRIGGER programme_version_after_provider AFTER UPDATE OF name, kind, is_active
    ON training_providers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_programme_search();
