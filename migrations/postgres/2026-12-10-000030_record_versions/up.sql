-- The change feed of the shared data sets (issue 16): each record's latest change, kept by
-- triggers in the writing transaction, so no code path can forget it (`interop::feed`
-- reads it; docs/decisions.md "The change feed"). A record is `deleted` when its row is
-- gone or when the person it is about was anonymised (the account's password hash is
-- '!deleted', set by `accounts::own_data::anonymise_for`): it goes out as a tombstone and
-- never again as data, as the liveness test below is made at every write.

-- `seq` orders changes by the transaction that made them, then by a sequence: the high
-- bits are the writing transaction's id (xid8), the low 24 bits a sequence. A transaction
-- that is still running has a higher id than every transaction whose rows the feed has
-- served (the feed serves only rows of transactions older than every running one,
-- `interop::feed`), so a late commit always lands above a consumer's cursor. With a plain
-- sequence a transaction could take a low number, commit after a higher number was
-- served, and be skipped. 24 bits allow 16 million changes in one transaction (the
-- back-fill of the large data is about one million); 39 bits of transaction ids last
-- more than 500 billion transactions.
CREATE SEQUENCE record_versions_seq;
CREATE FUNCTION feed_next_seq() RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT (pg_current_xact_id()::text::bigint << 24) | (nextval('record_versions_seq') & 16777215)
$$;

CREATE TABLE record_versions (
    dataset    TEXT NOT NULL REFERENCES ref_export_dataset (code),
    record_id  INTEGER NOT NULL,
    seq        BIGINT NOT NULL UNIQUE DEFAULT feed_next_seq(),
    changed_at TIMESTAMP NOT NULL,
    deleted    BOOLEAN NOT NULL,
    xid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (dataset, record_id)
);
CREATE INDEX record_versions_page_idx ON record_versions (dataset, seq);
CREATE INDEX record_versions_since_idx ON record_versions (dataset, changed_at);

-- Whether record `i` of data set `d` is there to be shared. PL/pgSQL rather than SQL
-- functions, so each statement's plan is kept for the session (a bulk import runs these
-- once a row).
CREATE FUNCTION feed_live(d text, i integer) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
    CASE d
    WHEN 'job_seekers' THEN
        RETURN EXISTS (SELECT 1 FROM job_seekers fs JOIN users fu ON fu.id = fs.user_id WHERE fs.id = i AND fu.password_hash <> '!deleted');
    WHEN 'vacancies' THEN
        RETURN EXISTS (SELECT 1 FROM vacancies fv WHERE fv.id = i AND fv.status <> 'draft');
    WHEN 'companies' THEN
        RETURN EXISTS (SELECT 1 FROM companies fc WHERE fc.id = i);
    WHEN 'employed_residents' THEN
        RETURN EXISTS (SELECT 1 FROM employed_residents fr WHERE fr.id = i);
    WHEN 'training' THEN
        RETURN EXISTS (SELECT 1 FROM training_enrolments fe JOIN job_seekers fs ON fs.id = fe.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fe.id = i AND fu.password_hash <> '!deleted');
    WHEN 'placements' THEN
        RETURN EXISTS (SELECT 1 FROM placements fp JOIN job_seekers fs ON fs.id = fp.job_seeker_id JOIN users fu ON fu.id = fs.user_id WHERE fp.id = i AND fu.password_hash <> '!deleted');
    WHEN 'wlkp' THEN
        RETURN EXISTS (SELECT 1 FROM wlkp_reports fw WHERE fw.id = i);
    WHEN 'jkp' THEN
        RETURN EXISTS (SELECT 1 FROM jkp_recipients fj WHERE fj.id = i);
    END CASE;
END
$$;

-- Records `ids` of data set `d` changed now: each gets a new seq.
CREATE FUNCTION feed_touch(d text, ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT d, t.i, now() AT TIME ZONE 'UTC', NOT feed_live(d, t.i)
    FROM (SELECT DISTINCT unnest(ids) AS i) t WHERE t.i IS NOT NULL ORDER BY t.i
    ON CONFLICT (dataset, record_id) DO UPDATE
    SET seq = EXCLUDED.seq, changed_at = EXCLUDED.changed_at, deleted = EXCLUDED.deleted,
        xid = EXCLUDED.xid;
END
$$;

-- The trigger of every source table: arguments (data set, the key column of the changed
-- row, and optionally a query of the record ids from the keys, `$1`); without the query
-- the key is the record id.
CREATE FUNCTION feed_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys integer[] := '{}';
    ids integer[];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        keys := keys || (to_jsonb(OLD) ->> TG_ARGV[1])::integer;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        keys := keys || (to_jsonb(NEW) ->> TG_ARGV[1])::integer;
    END IF;
    IF TG_NARGS > 2 THEN
        EXECUTE 'SELECT array_agg(id) FROM (' || TG_ARGV[2] || ') q' INTO ids USING keys;
    ELSE
        ids := keys;
    END IF;
    PERFORM feed_touch(TG_ARGV[0], ids);
    RETURN NULL;
END
$$;

CREATE TRIGGER feed_job_seekers_insert AFTER INSERT ON job_seekers
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'id');
CREATE TRIGGER feed_job_seekers_update AFTER UPDATE ON job_seekers
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'id');
CREATE TRIGGER feed_job_seekers_delete AFTER DELETE ON job_seekers
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'id');
CREATE TRIGGER feed_ak1_cards_insert AFTER INSERT ON ak1_cards
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'job_seeker_id');
CREATE TRIGGER feed_ak1_cards_update AFTER UPDATE ON ak1_cards
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'job_seeker_id');
CREATE TRIGGER feed_ak1_cards_delete AFTER DELETE ON ak1_cards
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'job_seeker_id');
CREATE TRIGGER feed_job_seeker_people_insert AFTER INSERT ON job_seeker_people
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'job_seeker_id');
CREATE TRIGGER feed_job_seeker_people_update AFTER UPDATE ON job_seeker_people
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'job_seeker_id');
CREATE TRIGGER feed_job_seeker_people_delete AFTER DELETE ON job_seeker_people
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'job_seeker_id');
CREATE TRIGGER feed_vacancies_insert AFTER INSERT ON vacancies
    FOR EACH ROW WHEN (new.status <> 'draft')
    EXECUTE FUNCTION feed_changed('vacancies', 'id');
CREATE TRIGGER feed_vacancies_update AFTER UPDATE ON vacancies
    FOR EACH ROW WHEN (old.status <> 'draft' OR new.status <> 'draft')
    EXECUTE FUNCTION feed_changed('vacancies', 'id');
CREATE TRIGGER feed_vacancies_delete AFTER DELETE ON vacancies
    FOR EACH ROW WHEN (old.status <> 'draft')
    EXECUTE FUNCTION feed_changed('vacancies', 'id');
CREATE TRIGGER feed_companies_insert AFTER INSERT ON companies
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('companies', 'id');
CREATE TRIGGER feed_companies_update AFTER UPDATE ON companies
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('companies', 'id');
CREATE TRIGGER feed_companies_delete AFTER DELETE ON companies
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('companies', 'id');
CREATE TRIGGER feed_company_kbli_insert AFTER INSERT ON company_kbli
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('companies', 'company_id');
CREATE TRIGGER feed_company_kbli_update AFTER UPDATE ON company_kbli
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('companies', 'company_id');
CREATE TRIGGER feed_company_kbli_delete AFTER DELETE ON company_kbli
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('companies', 'company_id');
CREATE TRIGGER feed_employed_residents_insert AFTER INSERT ON employed_residents
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('employed_residents', 'id');
CREATE TRIGGER feed_employed_residents_update AFTER UPDATE ON employed_residents
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('employed_residents', 'id');
CREATE TRIGGER feed_employed_residents_delete AFTER DELETE ON employed_residents
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('employed_residents', 'id');
CREATE TRIGGER feed_training_enrolments_insert AFTER INSERT ON training_enrolments
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('training', 'id');
CREATE TRIGGER feed_training_enrolments_update AFTER UPDATE ON training_enrolments
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('training', 'id');
CREATE TRIGGER feed_training_enrolments_delete AFTER DELETE ON training_enrolments
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('training', 'id');
CREATE TRIGGER feed_placements_insert AFTER INSERT ON placements
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('placements', 'id');
CREATE TRIGGER feed_placements_update AFTER UPDATE ON placements
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('placements', 'id');
CREATE TRIGGER feed_placements_delete AFTER DELETE ON placements
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('placements', 'id');
CREATE TRIGGER feed_wlkp_reports_insert AFTER INSERT ON wlkp_reports
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'id');
CREATE TRIGGER feed_wlkp_reports_update AFTER UPDATE ON wlkp_reports
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'id');
CREATE TRIGGER feed_wlkp_reports_delete AFTER DELETE ON wlkp_reports
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'id');
CREATE TRIGGER feed_wlkp_revisions_insert AFTER INSERT ON wlkp_revisions
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'report_id');
CREATE TRIGGER feed_wlkp_revisions_update AFTER UPDATE ON wlkp_revisions
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'report_id');
CREATE TRIGGER feed_wlkp_revisions_delete AFTER DELETE ON wlkp_revisions
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'report_id');
CREATE TRIGGER feed_jkp_recipients_insert AFTER INSERT ON jkp_recipients
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('jkp', 'id');
CREATE TRIGGER feed_jkp_recipients_update AFTER UPDATE ON jkp_recipients
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('jkp', 'id');
CREATE TRIGGER feed_jkp_recipients_delete AFTER DELETE ON jkp_recipients
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('jkp', 'id');
CREATE TRIGGER feed_jkp_events_insert AFTER INSERT ON jkp_events
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('jkp', 'recipient_id');
CREATE TRIGGER feed_jkp_events_update AFTER UPDATE ON jkp_events
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('jkp', 'recipient_id');
CREATE TRIGGER feed_jkp_events_delete AFTER DELETE ON jkp_events
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('jkp', 'recipient_id');
CREATE TRIGGER feed_wlkp_education_insert AFTER INSERT ON wlkp_revision_education
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'revision_id',
        'SELECT report_id AS id FROM wlkp_revisions WHERE id = ANY($1)');
CREATE TRIGGER feed_wlkp_education_update AFTER UPDATE ON wlkp_revision_education
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'revision_id',
        'SELECT report_id AS id FROM wlkp_revisions WHERE id = ANY($1)');
CREATE TRIGGER feed_wlkp_education_delete AFTER DELETE ON wlkp_revision_education
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('wlkp', 'revision_id',
        'SELECT report_id AS id FROM wlkp_revisions WHERE id = ANY($1)');
CREATE TRIGGER feed_users_seekers_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('job_seekers', 'id',
        'SELECT id FROM job_seekers WHERE user_id = ANY($1)');
CREATE TRIGGER feed_users_training_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('training', 'id',
        'SELECT e.id FROM training_enrolments e JOIN job_seekers s ON s.id = e.job_seeker_id WHERE s.user_id = ANY($1)');
CREATE TRIGGER feed_users_placements_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (old.full_name <> new.full_name OR old.email <> new.email OR old.phone IS DISTINCT FROM new.phone)
    EXECUTE FUNCTION feed_changed('placements', 'id',
        'SELECT p.id FROM placements p JOIN job_seekers s ON s.id = p.job_seeker_id WHERE s.user_id = ANY($1)');
CREATE TRIGGER feed_seekers_training_update AFTER UPDATE ON job_seekers
    FOR EACH ROW WHEN (old.nik IS DISTINCT FROM new.nik OR old.sex IS DISTINCT FROM new.sex OR old.birth_date IS DISTINCT FROM new.birth_date OR old.education_level IS DISTINCT FROM new.education_level OR old.kelurahan_code IS DISTINCT FROM new.kelurahan_code OR old.regency_code IS DISTINCT FROM new.regency_code)
    EXECUTE FUNCTION feed_changed('training', 'id',
        'SELECT id FROM training_enrolments WHERE job_seeker_id = ANY($1)');
CREATE TRIGGER feed_seekers_placements_update AFTER UPDATE ON job_seekers
    FOR EACH ROW WHEN (old.nik IS DISTINCT FROM new.nik OR old.sex IS DISTINCT FROM new.sex OR old.birth_date IS DISTINCT FROM new.birth_date OR old.education_level IS DISTINCT FROM new.education_level OR old.kelurahan_code IS DISTINCT FROM new.kelurahan_code OR old.regency_code IS DISTINCT FROM new.regency_code)
    EXECUTE FUNCTION feed_changed('placements', 'id',
        'SELECT id FROM placements WHERE job_seeker_id = ANY($1)');
CREATE TRIGGER feed_people_seekers_update AFTER UPDATE ON people
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('job_seekers', 'id',
        'SELECT job_seeker_id AS id FROM job_seeker_people WHERE person_id = ANY($1)');
CREATE TRIGGER feed_people_employed_update AFTER UPDATE ON people
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('employed_residents', 'id',
        'SELECT id FROM employed_residents WHERE person_id = ANY($1)');
CREATE TRIGGER feed_people_jkp_update AFTER UPDATE ON people
    FOR EACH ROW
    EXECUTE FUNCTION feed_changed('jkp', 'id',
        'SELECT id FROM jkp_recipients WHERE person_id = ANY($1)');
CREATE TRIGGER feed_programmes_training_update AFTER UPDATE ON training_programmes
    FOR EACH ROW WHEN (old.title <> new.title OR old.field <> new.field OR old.starts_on <> new.starts_on OR old.ends_on <> new.ends_on OR old.hours <> new.hours OR old.mode <> new.mode OR old.funding <> new.funding OR old.certificate <> new.certificate OR old.provider_id <> new.provider_id)
    EXECUTE FUNCTION feed_changed('training', 'id',
        'SELECT id FROM training_enrolments WHERE programme_id = ANY($1)');
CREATE TRIGGER feed_companies_vacancies_update AFTER UPDATE ON companies
    FOR EACH ROW WHEN (old.name <> new.name OR old.nib IS DISTINCT FROM new.nib OR old.kbli_section <> new.kbli_section OR old.kelurahan_code IS DISTINCT FROM new.kelurahan_code OR old.regency_code <> new.regency_code)
    EXECUTE FUNCTION feed_changed('vacancies', 'id',
        'SELECT id FROM vacancies WHERE company_id = ANY($1) AND status <> ''draft''');
CREATE TRIGGER feed_companies_placements_update AFTER UPDATE ON companies
    FOR EACH ROW WHEN (old.name <> new.name OR old.nib IS DISTINCT FROM new.nib OR old.kbli_section <> new.kbli_section OR old.kelurahan_code IS DISTINCT FROM new.kelurahan_code OR old.regency_code <> new.regency_code)
    EXECUTE FUNCTION feed_changed('placements', 'id',
        'SELECT id FROM placements WHERE company_id = ANY($1)');
CREATE TRIGGER feed_companies_wlkp_update AFTER UPDATE ON companies
    FOR EACH ROW WHEN (old.name <> new.name OR old.nib IS DISTINCT FROM new.nib OR old.kbli_section <> new.kbli_section OR old.kelurahan_code IS DISTINCT FROM new.kelurahan_code OR old.regency_code <> new.regency_code)
    EXECUTE FUNCTION feed_changed('wlkp', 'id',
        'SELECT id FROM wlkp_reports WHERE company_id = ANY($1)');

-- The records there are now, each data set in id order.
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'job_seekers', t.id, t.at, NOT feed_live('job_seekers', t.id)
    FROM (SELECT id, updated_at AS at FROM job_seekers) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'vacancies', t.id, t.at, NOT feed_live('vacancies', t.id)
    FROM (SELECT id, updated_at AS at FROM vacancies WHERE status <> 'draft') t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'companies', t.id, t.at, NOT feed_live('companies', t.id)
    FROM (SELECT id, updated_at AS at FROM companies) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'employed_residents', t.id, t.at, NOT feed_live('employed_residents', t.id)
    FROM (SELECT id, recorded_at AS at FROM employed_residents) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'training', t.id, t.at, NOT feed_live('training', t.id)
    FROM (SELECT id, updated_at AS at FROM training_enrolments) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'placements', t.id, t.at, NOT feed_live('placements', t.id)
    FROM (SELECT id, recorded_at AS at FROM placements) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'wlkp', t.id, t.at, NOT feed_live('wlkp', t.id)
    FROM (SELECT id, status_changed_at AS at FROM wlkp_reports) t ORDER BY t.id;
INSERT INTO record_versions (dataset, record_id, changed_at, deleted)
    SELECT 'jkp', t.id, t.at, NOT feed_live('jkp', t.id)
    FROM (SELECT id, recorded_at AS at FROM jkp_recipients) t ORDER BY t.id;
