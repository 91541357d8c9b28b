DROP TABLE training_attendance;
DROP TABLE training_enrolment_events;
DROP TABLE training_enrolments;
ALTER TABLE training_programmes DROP COLUMN seats_taken;
