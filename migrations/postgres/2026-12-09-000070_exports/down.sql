DROP TABLE exports;
DROP TABLE file_jobs;
DROP TABLE ref_export_format;
DROP TABLE ref_export_dataset;
DROP TABLE ref_file_job_status;
DROP TABLE ref_file_job_kind;
