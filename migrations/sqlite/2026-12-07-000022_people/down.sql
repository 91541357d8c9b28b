DROP TABLE job_seeker_people;
DROP TABLE person_origins;
DROP TABLE people;
DROP TABLE ref_person_source;
