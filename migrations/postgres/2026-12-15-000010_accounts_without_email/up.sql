-- A resident served at the counter may have no e-mail address (issue 18, item 7): the phone
-- and the NIK identify them, and a printed slip replaces the mail. UNIQUE still holds for
-- every address given. The feed's triggers compare with IS DISTINCT FROM, which sees a
-- change to or from no address.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
-- The counter finds a resident without an address by phone.
CREATE INDEX users_phone_idx ON users (phone);
DROP TRIGGER feed_users_seekers_update ON users;
CREATE TRIGGER feed_users_seekers_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email IS DISTINCT FROM new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('job_seekers', 'id',
        'SELECT id FROM job_seekers WHERE user_id = ANY($1)');
DROP TRIGGER feed_users_training_update ON users;
CREATE TRIGGER feed_users_training_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email IS DISTINCT FROM new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('training', 'id',
        'SELECT e.id FROM training_enrolments e JOIN job_seekers s ON s.id = e.job_seeker_id WHERE s.user_id = ANY($1)');
DROP TRIGGER feed_users_placements_update ON users;
CREATE TRIGGER feed_users_placements_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email IS DISTINCT FROM new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('placements', 'id',
        'SELECT p.id FROM placements p JOIN job_seekers s ON s.id = p.job_seeker_id WHERE s.user_id = ANY($1)');
