DROP TABLE import_problems;
DROP TABLE import_runs;
DROP TABLE ref_import_status;
DROP TABLE ref_import_kind;
