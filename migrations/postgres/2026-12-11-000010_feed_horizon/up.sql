-- The feed's horizon as one function, so the API's page query is a plain statement that
-- the connection prepares once (a literal fragment made diesel parse and plan it anew on
-- every request: two round trips instead of one). A change is settled when its transaction
-- is older than every one still running; `seq` carries that transaction's id in its high
-- bits (`feed_next_seq`), so `seq < feed_horizon()` is `xid < pg_snapshot_xmin(...)`.
CREATE FUNCTION feed_horizon() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 24
$$;
