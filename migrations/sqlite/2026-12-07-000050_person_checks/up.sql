-- E-mailed checks of a waiting link between a profile and a person the Dinas knew from
-- elsewhere: the link goes to the address on the person's record, and opening it while
-- signed in to the profile's account confirms the link. Only the token's hash is kept.
CREATE TABLE person_link_checks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    job_seeker_id INTEGER NOT NULL REFERENCES job_seekers (id) ON DELETE CASCADE,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    sent_at       TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    used_at       TIMESTAMP
);
CREATE INDEX person_link_checks_seeker_idx ON person_link_checks (job_seeker_id, sent_at);
CREATE INDEX person_link_checks_person_idx ON person_link_checks (person_id);

INSERT INTO ref_mail_kind (code) VALUES ('person_check');
