DROP TABLE training_programme_events;
DROP TABLE training_programme_job_titles;
DROP TABLE training_programmes;
