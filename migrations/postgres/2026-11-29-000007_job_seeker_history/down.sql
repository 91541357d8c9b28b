DROP TABLE job_seeker_languages;
DROP TABLE job_seeker_experience;
DROP TABLE job_seeker_training;
DROP TABLE job_seeker_education;
