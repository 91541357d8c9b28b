DELETE FROM user_roles WHERE role = 'training_provider';
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
    CHECK (role IN ('job_seeker', 'employer', 'operator', 'verifier', 'data_steward', 'super_admin'));
ALTER TABLE users DROP COLUMN provider_id;
DROP TABLE training_providers;
