DELETE FROM mail_outbox WHERE kind = 'person_check';
DELETE FROM ref_mail_kind WHERE code = 'person_check';
DROP TABLE person_link_checks;
