-- Sessions kept on the server, so that signing out ends a session even when a copy of its
-- cookie survives, and so that each session has an absolute lifetime and an idle timeout.
-- The cookie holds a random token; only its SHA-256 hash is stored.
CREATE TABLE user_sessions (
    id           INTEGER PRIMARY KEY NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    token_hash   TEXT NOT NULL UNIQUE,
    remember     BOOLEAN NOT NULL,
    issued_at    TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    -- The absolute end, whatever the use.
    expires_at   TIMESTAMP NOT NULL,
    -- Minutes without a request after which the session is over.
    idle_minutes INTEGER NOT NULL CHECK (idle_minutes > 0),
    ended_at     TIMESTAMP,
    end_reason   TEXT CHECK (end_reason IN ('logout', 'logout_everywhere', 'password', 'deactivated', 'deleted', 'expired', 'idle'))
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id) WHERE ended_at IS NULL;

-- Failed password checks per subject (an address, an account from an address, an account),
-- one row each so that the check and the record are one conditional update.
CREATE TABLE login_throttle (
    subject           TEXT PRIMARY KEY NOT NULL,
    failures          INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until      TIMESTAMP
);
