-- Only possible while no application came from a fair.
DROP INDEX applications_job_fair_idx;
ALTER TABLE applications DROP CONSTRAINT applications_job_fair_check;
ALTER TABLE applications DROP COLUMN job_fair_id;
DELETE FROM ref_application_channel WHERE code = 'job_fair';
DROP TABLE job_fair_interviews;
DROP TABLE job_fair_ticket_events;
DROP TABLE job_fair_tickets;
DROP TABLE job_fair_booth_vacancies;
DROP TABLE job_fair_booths;
DROP TABLE job_fairs;
DROP TABLE ref_job_fair_ticket_event;
DROP TABLE ref_job_fair_ticket_source;
DROP TABLE ref_job_fair_ticket_status;
DROP TABLE ref_job_fair_booth_status;
DROP TABLE ref_job_fair_status;
DROP TABLE ref_job_fair_mode;
DELETE FROM ref_mail_kind WHERE code = 'fair_news';
