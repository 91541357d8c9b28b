DROP TABLE sharing_out_log;
