-- Sign-in through an external OpenID Connect provider (SIAPkerja's single sign-on): which
-- account a provider's subject signs in to. A link is made only by the account's owner,
-- signed in with the password, never by a matching e-mail address; the subject is the
-- provider's opaque id for the person, the only thing kept of them.
CREATE TABLE external_identities (
    id            SERIAL PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    linked_at     TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    UNIQUE (issuer, subject),
    -- One link per provider and account: a second is made after the first is removed.
    UNIQUE (user_id, issuer)
);
