DELETE FROM sharing_out_log WHERE via = 'sync';
ALTER TABLE sharing_out_log DROP CONSTRAINT sharing_out_log_via_check;
ALTER TABLE sharing_out_log ADD CONSTRAINT sharing_out_log_via_check
    CHECK (via IN ('key', 'user'));
DROP TABLE exchange_log_head;
DROP TABLE exchange_log;
DROP FUNCTION exchange_log_append_only();
DROP FUNCTION sync_snapshot_xmin();
DROP FUNCTION sync_current_xact_id();
DROP TRIGGER sync_capture ON record_versions;
DROP FUNCTION sync_capture();
DROP TABLE sync_outbox;
DROP TABLE sync_state;
