DELETE FROM user_roles WHERE role = 'training_provider';
CREATE TABLE user_roles_old (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('job_seeker', 'employer', 'operator', 'verifier', 'data_steward', 'super_admin')),
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_old (user_id, role, granted_at) SELECT user_id, role, granted_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_old RENAME TO user_roles;
CREATE INDEX user_roles_role_idx ON user_roles (role);
ALTER TABLE users DROP COLUMN provider_id;
DROP TABLE training_providers;
