-- PostgreSQL's feed_horizon(): SQLite has one writer, and its feed needs no horizon
-- (`interop::feed`). The migration is here so both backends count the same versions.
SELECT 1;
