ALTER TABLE job_seekers DROP COLUMN nik_claim;
