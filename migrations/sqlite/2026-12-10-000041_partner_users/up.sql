-- Partner users (issue 16, item 2): the ministry's "User Admin" and the like, who sign in
-- to the web portal and read what their partner's grants allow. A user belongs to one
-- partner at most; removing the row ends the access (the account is deactivated too).
INSERT INTO ref_role (code) VALUES ('partner_user');
CREATE TABLE partner_users (
    user_id     INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    added_at    TIMESTAMP NOT NULL,
    added_by    INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX partner_users_partner_idx ON partner_users (partner_id);
