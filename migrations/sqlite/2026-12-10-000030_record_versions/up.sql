-- The change feed of the shared data sets (issue 16): each record's latest change, kept by
-- triggers in the writing transaction, so no code path can forget it (`interop::feed`
-- reads it; docs/decisions.md "The change feed"). A record is `deleted` when its row is
-- gone or when the person it is about was anonymised (the account's password hash is
-- '!deleted', set by `accounts::own_data::anonymise_for`): it goes out as a tombstone and
-- never again as data, as the liveness test below is made at every write.

-- `seq` is the rowid with AUTOINCREMENT: a change deletes the record's row and inserts
-- it again, so it gets a rowid above every one ever given (SQLite never reuses them with
-- AUTOINCREMENT). One writer at a time, so the order of `seq` is the order of commits.
CREATE TABLE record_versions (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    dataset    TEXT NOT NULL REFERENCES ref_export_dataset (code),
    record_id  INTEGER NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    deleted    BOOLEAN NOT NULL,
    UNIQUE (dataset, record_id)
);
CREATE INDEX record_versions_page_idx ON record_versions (dataset, seq);
CREATE INDEX record_versions_since_idx ON record_versions (dataset, changed_at);

CREATE TRIGGER feed_job_seekers_insert AFTER INSERT ON job_seekers
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = new.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_job_seekers_update AFTER UPDATE ON job_seekers
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = new.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_job_seekers_delete AFTER DELETE ON job_seekers
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = old.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_ak1_cards_insert AFTER INSERT ON ak1_cards
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = new.job_seeker_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', new.job_seeker_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = new.job_seeker_id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_ak1_cards_update AFTER UPDATE ON ak1_cards
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = new.job_seeker_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', new.job_seeker_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = new.job_seeker_id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_ak1_cards_delete AFTER DELETE ON ak1_cards
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = old.job_seeker_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', old.job_seeker_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = old.job_seeker_id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_job_seeker_people_insert AFTER INSERT ON job_seeker_people
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = new.job_seeker_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', new.job_seeker_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = new.job_seeker_id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_job_seeker_people_update AFTER UPDATE ON job_seeker_people
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = new.job_seeker_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', new.job_seeker_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = new.job_seeker_id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_job_seeker_people_delete AFTER DELETE ON job_seeker_people
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id = old.job_seeker_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('job_seekers', old.job_seeker_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = old.job_seeker_id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_vacancies_insert AFTER INSERT ON vacancies
WHEN new.status <> 'draft'
BEGIN
    DELETE FROM record_versions WHERE dataset = 'vacancies' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('vacancies', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM vacancies fv WHERE fv.id = new.id AND fv.status <> 'draft'));
END;

CREATE TRIGGER feed_vacancies_update AFTER UPDATE ON vacancies
WHEN old.status <> 'draft' OR new.status <> 'draft'
BEGIN
    DELETE FROM record_versions WHERE dataset = 'vacancies' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('vacancies', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM vacancies fv WHERE fv.id = new.id AND fv.status <> 'draft'));
END;

CREATE TRIGGER feed_vacancies_delete AFTER DELETE ON vacancies
WHEN old.status <> 'draft'
BEGIN
    DELETE FROM record_versions WHERE dataset = 'vacancies' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('vacancies', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM vacancies fv WHERE fv.id = old.id AND fv.status <> 'draft'));
END;

CREATE TRIGGER feed_companies_insert AFTER INSERT ON companies
BEGIN
    DELETE FROM record_versions WHERE dataset = 'companies' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('companies', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM companies fc WHERE fc.id = new.id));
END;

CREATE TRIGGER feed_companies_update AFTER UPDATE ON companies
BEGIN
    DELETE FROM record_versions WHERE dataset = 'companies' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('companies', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM companies fc WHERE fc.id = new.id));
END;

CREATE TRIGGER feed_companies_delete AFTER DELETE ON companies
BEGIN
    DELETE FROM record_versions WHERE dataset = 'companies' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('companies', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM companies fc WHERE fc.id = old.id));
END;

CREATE TRIGGER feed_company_kbli_insert AFTER INSERT ON company_kbli
BEGIN
    DELETE FROM record_versions WHERE dataset = 'companies' AND record_id = new.company_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('companies', new.company_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM companies fc WHERE fc.id = new.company_id));
END;

CREATE TRIGGER feed_company_kbli_update AFTER UPDATE ON company_kbli
BEGIN
    DELETE FROM record_versions WHERE dataset = 'companies' AND record_id = new.company_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('companies', new.company_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM companies fc WHERE fc.id = new.company_id));
END;

CREATE TRIGGER feed_company_kbli_delete AFTER DELETE ON company_kbli
BEGIN
    DELETE FROM record_versions WHERE dataset = 'companies' AND record_id = old.company_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('companies', old.company_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM companies fc WHERE fc.id = old.company_id));
END;

CREATE TRIGGER feed_employed_residents_insert AFTER INSERT ON employed_residents
BEGIN
    DELETE FROM record_versions WHERE dataset = 'employed_residents' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('employed_residents', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM employed_residents fr WHERE fr.id = new.id));
END;

CREATE TRIGGER feed_employed_residents_update AFTER UPDATE ON employed_residents
BEGIN
    DELETE FROM record_versions WHERE dataset = 'employed_residents' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('employed_residents', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM employed_residents fr WHERE fr.id = new.id));
END;

CREATE TRIGGER feed_employed_residents_delete AFTER DELETE ON employed_residents
BEGIN
    DELETE FROM record_versions WHERE dataset = 'employed_residents' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('employed_residents', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM employed_residents fr WHERE fr.id = old.id));
END;

CREATE TRIGGER feed_training_enrolments_insert AFTER INSERT ON training_enrolments
BEGIN
    DELETE FROM record_versions WHERE dataset = 'training' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('training', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = new.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_training_enrolments_update AFTER UPDATE ON training_enrolments
BEGIN
    DELETE FROM record_versions WHERE dataset = 'training' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('training', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = new.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_training_enrolments_delete AFTER DELETE ON training_enrolments
BEGIN
    DELETE FROM record_versions WHERE dataset = 'training' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('training', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = old.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_placements_insert AFTER INSERT ON placements
BEGIN
    DELETE FROM record_versions WHERE dataset = 'placements' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('placements', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = new.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_placements_update AFTER UPDATE ON placements
BEGIN
    DELETE FROM record_versions WHERE dataset = 'placements' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('placements', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = new.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_placements_delete AFTER DELETE ON placements
BEGIN
    DELETE FROM record_versions WHERE dataset = 'placements' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('placements', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = old.id AND fu.password_hash <> '!deleted'));
END;

CREATE TRIGGER feed_wlkp_reports_insert AFTER INSERT ON wlkp_reports
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('wlkp', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = new.id));
END;

CREATE TRIGGER feed_wlkp_reports_update AFTER UPDATE ON wlkp_reports
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('wlkp', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = new.id));
END;

CREATE TRIGGER feed_wlkp_reports_delete AFTER DELETE ON wlkp_reports
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('wlkp', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = old.id));
END;

CREATE TRIGGER feed_wlkp_revisions_insert AFTER INSERT ON wlkp_revisions
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id = new.report_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('wlkp', new.report_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = new.report_id));
END;

CREATE TRIGGER feed_wlkp_revisions_update AFTER UPDATE ON wlkp_revisions
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id = new.report_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('wlkp', new.report_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = new.report_id));
END;

CREATE TRIGGER feed_wlkp_revisions_delete AFTER DELETE ON wlkp_revisions
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id = old.report_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('wlkp', old.report_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = old.report_id));
END;

CREATE TRIGGER feed_jkp_recipients_insert AFTER INSERT ON jkp_recipients
BEGIN
    DELETE FROM record_versions WHERE dataset = 'jkp' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('jkp', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = new.id));
END;

CREATE TRIGGER feed_jkp_recipients_update AFTER UPDATE ON jkp_recipients
BEGIN
    DELETE FROM record_versions WHERE dataset = 'jkp' AND record_id = new.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('jkp', new.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = new.id));
END;

CREATE TRIGGER feed_jkp_recipients_delete AFTER DELETE ON jkp_recipients
BEGIN
    DELETE FROM record_versions WHERE dataset = 'jkp' AND record_id = old.id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('jkp', old.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = old.id));
END;

CREATE TRIGGER feed_jkp_events_insert AFTER INSERT ON jkp_events
BEGIN
    DELETE FROM record_versions WHERE dataset = 'jkp' AND record_id = new.recipient_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('jkp', new.recipient_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = new.recipient_id));
END;

CREATE TRIGGER feed_jkp_events_update AFTER UPDATE ON jkp_events
BEGIN
    DELETE FROM record_versions WHERE dataset = 'jkp' AND record_id = new.recipient_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('jkp', new.recipient_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = new.recipient_id));
END;

CREATE TRIGGER feed_jkp_events_delete AFTER DELETE ON jkp_events
BEGIN
    DELETE FROM record_versions WHERE dataset = 'jkp' AND record_id = old.recipient_id;
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        VALUES ('jkp', old.recipient_id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = old.recipient_id));
END;

CREATE TRIGGER feed_wlkp_education_insert AFTER INSERT ON wlkp_revision_education
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id IN (SELECT report_id AS id FROM wlkp_revisions WHERE id = new.revision_id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'wlkp', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = t.id)
        FROM (SELECT report_id AS id FROM wlkp_revisions WHERE id = new.revision_id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_wlkp_education_update AFTER UPDATE ON wlkp_revision_education
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id IN (SELECT report_id AS id FROM wlkp_revisions WHERE id = new.revision_id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'wlkp', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = t.id)
        FROM (SELECT report_id AS id FROM wlkp_revisions WHERE id = new.revision_id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_wlkp_education_delete AFTER DELETE ON wlkp_revision_education
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id IN (SELECT report_id AS id FROM wlkp_revisions WHERE id = old.revision_id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'wlkp', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = t.id)
        FROM (SELECT report_id AS id FROM wlkp_revisions WHERE id = old.revision_id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_users_seekers_update AFTER UPDATE ON users
WHEN old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id IN (SELECT id FROM job_seekers WHERE user_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'job_seekers', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT id FROM job_seekers WHERE user_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_users_training_update AFTER UPDATE ON users
WHEN old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM record_versions WHERE dataset = 'training' AND record_id IN (SELECT e.id FROM training_enrolments e JOIN job_seekers s ON s.id = e.job_seeker_id WHERE s.user_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'training', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT e.id FROM training_enrolments e JOIN job_seekers s ON s.id = e.job_seeker_id WHERE s.user_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_users_placements_update AFTER UPDATE ON users
WHEN old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM record_versions WHERE dataset = 'placements' AND record_id IN (SELECT p.id FROM placements p JOIN job_seekers s ON s.id = p.job_seeker_id WHERE s.user_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'placements', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT p.id FROM placements p JOIN job_seekers s ON s.id = p.job_seeker_id WHERE s.user_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_seekers_training_update AFTER UPDATE ON job_seekers
WHEN old.nik IS NOT new.nik OR old.sex IS NOT new.sex OR old.birth_date IS NOT new.birth_date OR old.education_level IS NOT new.education_level OR old.kelurahan_code IS NOT new.kelurahan_code OR old.regency_code IS NOT new.regency_code
BEGIN
    DELETE FROM record_versions WHERE dataset = 'training' AND record_id IN (SELECT id FROM training_enrolments WHERE job_seeker_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'training', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT id FROM training_enrolments WHERE job_seeker_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_seekers_placements_update AFTER UPDATE ON job_seekers
WHEN old.nik IS NOT new.nik OR old.sex IS NOT new.sex OR old.birth_date IS NOT new.birth_date OR old.education_level IS NOT new.education_level OR old.kelurahan_code IS NOT new.kelurahan_code OR old.regency_code IS NOT new.regency_code
BEGIN
    DELETE FROM record_versions WHERE dataset = 'placements' AND record_id IN (SELECT id FROM placements WHERE job_seeker_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'placements', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT id FROM placements WHERE job_seeker_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_people_seekers_update AFTER UPDATE ON people
BEGIN
    DELETE FROM record_versions WHERE dataset = 'job_seekers' AND record_id IN (SELECT job_seeker_id AS id FROM job_seeker_people WHERE person_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'job_seekers', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT job_seeker_id AS id FROM job_seeker_people WHERE person_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_people_employed_update AFTER UPDATE ON people
BEGIN
    DELETE FROM record_versions WHERE dataset = 'employed_residents' AND record_id IN (SELECT id FROM employed_residents WHERE person_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'employed_residents', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM employed_residents fr WHERE fr.id = t.id)
        FROM (SELECT id FROM employed_residents WHERE person_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_people_jkp_update AFTER UPDATE ON people
BEGIN
    DELETE FROM record_versions WHERE dataset = 'jkp' AND record_id IN (SELECT id FROM jkp_recipients WHERE person_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'jkp', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = t.id)
        FROM (SELECT id FROM jkp_recipients WHERE person_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_programmes_training_update AFTER UPDATE ON training_programmes
WHEN old.title <> new.title OR old.field <> new.field OR old.starts_on <> new.starts_on OR old.ends_on <> new.ends_on OR old.hours <> new.hours OR old.mode <> new.mode OR old.funding <> new.funding OR old.certificate <> new.certificate OR old.provider_id <> new.provider_id
BEGIN
    DELETE FROM record_versions WHERE dataset = 'training' AND record_id IN (SELECT id FROM training_enrolments WHERE programme_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'training', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT id FROM training_enrolments WHERE programme_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_companies_vacancies_update AFTER UPDATE ON companies
WHEN old.name <> new.name OR old.nib IS NOT new.nib OR old.kbli_section <> new.kbli_section OR old.kelurahan_code IS NOT new.kelurahan_code OR old.regency_code <> new.regency_code
BEGIN
    DELETE FROM record_versions WHERE dataset = 'vacancies' AND record_id IN (SELECT id FROM vacancies WHERE company_id = new.id AND status <> 'draft');
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'vacancies', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM vacancies fv WHERE fv.id = t.id AND fv.status <> 'draft')
        FROM (SELECT id FROM vacancies WHERE company_id = new.id AND status <> 'draft') t ORDER BY t.id;
END;

CREATE TRIGGER feed_companies_placements_update AFTER UPDATE ON companies
WHEN old.name <> new.name OR old.nib IS NOT new.nib OR old.kbli_section <> new.kbli_section OR old.kelurahan_code IS NOT new.kelurahan_code OR old.regency_code <> new.regency_code
BEGIN
    DELETE FROM record_versions WHERE dataset = 'placements' AND record_id IN (SELECT id FROM placements WHERE company_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'placements', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = t.id AND fu.password_hash <> '!deleted')
        FROM (SELECT id FROM placements WHERE company_id = new.id) t ORDER BY t.id;
END;

CREATE TRIGGER feed_companies_wlkp_update AFTER UPDATE ON companies
WHEN old.name <> new.name OR old.nib IS NOT new.nib OR old.kbli_section <> new.kbli_section OR old.kelurahan_code IS NOT new.kelurahan_code OR old.regency_code <> new.regency_code
BEGIN
    DELETE FROM record_versions WHERE dataset = 'wlkp' AND record_id IN (SELECT id FROM wlkp_reports WHERE company_id = new.id);
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
        SELECT 'wlkp', t.id, strftime('%Y-%m-%d %H:%M:%f', 'now'), NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = t.id)
        FROM (SELECT id FROM wlkp_reports WHERE company_id = new.id) t ORDER BY t.id;
END;

-- The records there are now, each data set in id order.
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'job_seekers', t.id, t.at, NOT EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = t.id AND fu.password_hash <> '!deleted')
    FROM (SELECT id, updated_at AS at FROM job_seekers) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'vacancies', t.id, t.at, NOT EXISTS (SELECT 1 FROM vacancies fv WHERE fv.id = t.id AND fv.status <> 'draft')
    FROM (SELECT id, updated_at AS at FROM vacancies WHERE status <> 'draft') t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'companies', t.id, t.at, NOT EXISTS (SELECT 1 FROM companies fc WHERE fc.id = t.id)
    FROM (SELECT id, updated_at AS at FROM companies) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'employed_residents', t.id, t.at, NOT EXISTS (SELECT 1 FROM employed_residents fr WHERE fr.id = t.id)
    FROM (SELECT id, recorded_at AS at FROM employed_residents) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'training', t.id, t.at, NOT EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = t.id AND fu.password_hash <> '!deleted')
    FROM (SELECT id, updated_at AS at FROM training_enrolments) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'placements', t.id, t.at, NOT EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = t.id AND fu.password_hash <> '!deleted')
    FROM (SELECT id, recorded_at AS at FROM placements) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'wlkp', t.id, t.at, NOT EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = t.id)
    FROM (SELECT id, status_changed_at AS at FROM wlkp_reports) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'jkp', t.id, t.at, NOT EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = t.id)
    FROM (SELECT id, recorded_at AS at FROM jkp_recipients) t ORDER BY t.id;
