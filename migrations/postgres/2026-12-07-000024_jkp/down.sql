DELETE FROM person_origins WHERE reference LIKE 'jkp:%';
DROP TABLE jkp_events;
DROP TABLE jkp_recipients;
DROP TABLE ref_jkp_counselling_result;
DROP TABLE ref_jkp_event_kind;
DROP TABLE ref_jkp_termination_reason;
DROP TABLE ref_jkp_source;
