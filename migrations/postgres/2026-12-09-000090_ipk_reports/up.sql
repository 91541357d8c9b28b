-- The stock on the register at the end of each closed month, by every group the IPK tables
-- use (issue 15): a closed month never changes, so its stock is kept once and the tables
-- of later months start from it instead of summing every fact ever recorded.
CREATE TABLE ipk_stocks (
    id           SERIAL PRIMARY KEY NOT NULL,
    period       INTEGER NOT NULL,
    -- 'seekers' or 'positions'.
    stock        TEXT NOT NULL,
    age_group    TEXT,
    education    SMALLINT,
    kbji_major   TEXT,
    kbli_section TEXT,
    male         BIGINT NOT NULL,
    female       BIGINT NOT NULL,
    either       BIGINT NOT NULL
);
CREATE INDEX ipk_stocks_period_idx ON ipk_stocks (stock, period);

-- IPK reports signed off: who, when, and the forms with their figures as signed. A later
-- version of the same period (after corrections) is a new row beside the old one.
CREATE TABLE ipk_signoffs (
    id           SERIAL PRIMARY KEY NOT NULL,
    period_from  INTEGER NOT NULL,
    period_to    INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    -- 'reported' (version 1) or 'restated' (later versions, corrections included).
    basis        TEXT NOT NULL,
    -- Corrections dated in the period recorded since the version before.
    corrections  BIGINT NOT NULL,
    signed_by    INTEGER REFERENCES users (id),
    signed_at    TIMESTAMP NOT NULL,
    content      TEXT NOT NULL,
    UNIQUE (period_from, period_to, version)
);
