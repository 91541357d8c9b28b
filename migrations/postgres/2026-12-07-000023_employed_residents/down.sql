DELETE FROM person_origins WHERE reference LIKE 'employed:%';
DROP TABLE employed_residents;
DROP TABLE ref_employment_source;
