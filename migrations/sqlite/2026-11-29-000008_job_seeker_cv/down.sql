ALTER TABLE job_seekers DROP COLUMN cv_uploaded_at;
ALTER TABLE job_seekers DROP COLUMN cv_size;
ALTER TABLE job_seekers DROP COLUMN cv_name;
ALTER TABLE job_seekers DROP COLUMN cv_file;
