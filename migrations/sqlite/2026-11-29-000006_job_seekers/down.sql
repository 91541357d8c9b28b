DROP TABLE job_seekers;
