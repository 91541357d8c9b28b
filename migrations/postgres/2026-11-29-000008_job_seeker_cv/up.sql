-- The job seeker's CV: a PDF kept under the data directory (never the web root) by a random
-- name; the row keeps that name, the name it was uploaded with (for display), its size and
-- when it came.
ALTER TABLE job_seekers ADD COLUMN cv_file TEXT;
ALTER TABLE job_seekers ADD COLUMN cv_name TEXT;
ALTER TABLE job_seekers ADD COLUMN cv_size INTEGER;
ALTER TABLE job_seekers ADD COLUMN cv_uploaded_at TIMESTAMP;
