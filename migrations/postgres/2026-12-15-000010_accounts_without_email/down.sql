DROP INDEX users_phone_idx;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
DROP TRIGGER feed_users_seekers_update ON users;
CREATE TRIGGER feed_users_seekers_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('job_seekers', 'id',
        'SELECT id FROM job_seekers WHERE user_id = ANY($1)');
DROP TRIGGER feed_users_training_update ON users;
CREATE TRIGGER feed_users_training_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('training', 'id',
        'SELECT e.id FROM training_enrolments e JOIN job_seekers s ON s.id = e.job_seeker_id WHERE s.user_id = ANY($1)');
DROP TRIGGER feed_users_placements_update ON users;
CREATE TRIGGER feed_users_placements_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('placements', 'id',
        'SELECT p.id FROM placements p JOIN job_seekers s ON s.id = p.job_seeker_id WHERE s.user_id = ANY($1)');
