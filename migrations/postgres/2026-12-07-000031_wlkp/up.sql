-- WLKP (wajib lapor ketenagakerjaan di perusahaan, UU 7/1981): a company's reports on its
-- workforce, filed on the portal or imported from the national system.
CREATE TABLE ref_wlkp_trigger (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_wlkp_trigger (code) VALUES ('new'), ('annual'), ('moving'), ('closing');
CREATE TABLE ref_wlkp_status (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_wlkp_status (code) VALUES ('draft'), ('submitted'), ('accepted'), ('returned');
CREATE TABLE ref_wlkp_source (code TEXT PRIMARY KEY NOT NULL);
INSERT INTO ref_wlkp_source (code) VALUES ('portal'), ('national');
INSERT INTO ref_mail_kind (code) VALUES ('wlkp_reminder'), ('wlkp_decision');

-- One report per company, period and trigger from the portal; imported ones are keyed by
-- the national side's id. The status is the current one, for queues; every change of it
-- is also a row of wlkp_report_events. `nib` is the NIB at filing (an imported report may
-- name a company the portal does not know: company_id NULL).
CREATE TABLE wlkp_reports (
    id          SERIAL PRIMARY KEY,
    company_id  INTEGER REFERENCES companies (id),
    nib         TEXT NOT NULL,
    period_year INTEGER NOT NULL,
    report_trigger TEXT NOT NULL REFERENCES ref_wlkp_trigger (code),
    source      TEXT NOT NULL REFERENCES ref_wlkp_source (code),
    external_id TEXT,
    status      TEXT NOT NULL REFERENCES ref_wlkp_status (code),
    revision    INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    status_changed_at TIMESTAMP NOT NULL,
    CHECK ((source = 'portal') = (external_id IS NULL))
);
CREATE UNIQUE INDEX wlkp_reports_portal_idx ON wlkp_reports (company_id, period_year, report_trigger) WHERE source = 'portal';
CREATE UNIQUE INDEX wlkp_reports_imported_idx ON wlkp_reports (nib, period_year, report_trigger, source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX wlkp_reports_status_idx ON wlkp_reports (status, status_changed_at);

-- The figures, one row per revision: a submitted revision is never changed; a report
-- returned for correction gets a new revision.
CREATE TABLE wlkp_revisions (
    id           SERIAL PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES wlkp_reports (id),
    revision     INTEGER NOT NULL,
    -- Headcount by sex (l, p) x citizenship (wni, wna) x contract.
    l_wni_pkwtt  INTEGER NOT NULL CHECK (l_wni_pkwtt >= 0),
    l_wni_pkwt   INTEGER NOT NULL CHECK (l_wni_pkwt >= 0),
    l_wni_outsourced INTEGER NOT NULL CHECK (l_wni_outsourced >= 0),
    l_wna_pkwtt  INTEGER NOT NULL CHECK (l_wna_pkwtt >= 0),
    l_wna_pkwt   INTEGER NOT NULL CHECK (l_wna_pkwt >= 0),
    l_wna_outsourced INTEGER NOT NULL CHECK (l_wna_outsourced >= 0),
    p_wni_pkwtt  INTEGER NOT NULL CHECK (p_wni_pkwtt >= 0),
    p_wni_pkwt   INTEGER NOT NULL CHECK (p_wni_pkwt >= 0),
    p_wni_outsourced INTEGER NOT NULL CHECK (p_wni_outsourced >= 0),
    p_wna_pkwtt  INTEGER NOT NULL CHECK (p_wna_pkwtt >= 0),
    p_wna_pkwt   INTEGER NOT NULL CHECK (p_wna_pkwt >= 0),
    p_wna_outsourced INTEGER NOT NULL CHECK (p_wna_outsourced >= 0),
    -- The IPK age groups.
    age_15_19    INTEGER NOT NULL CHECK (age_15_19 >= 0),
    age_20_29    INTEGER NOT NULL CHECK (age_20_29 >= 0),
    age_30_44    INTEGER NOT NULL CHECK (age_30_44 >= 0),
    age_45_54    INTEGER NOT NULL CHECK (age_45_54 >= 0),
    age_55_plus  INTEGER NOT NULL CHECK (age_55_plus >= 0),
    disabled     INTEGER NOT NULL CHECK (disabled >= 0),
    apprentices  INTEGER NOT NULL CHECK (apprentices >= 0),
    lowest_wage  BIGINT,
    bpjs_tk      INTEGER NOT NULL CHECK (bpjs_tk >= 0),
    bpjs_kes     INTEGER NOT NULL CHECK (bpjs_kes >= 0),
    created_at   TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    UNIQUE (report_id, revision)
);

-- Headcount by education level, per revision.
CREATE TABLE wlkp_revision_education (
    revision_id     INTEGER NOT NULL REFERENCES wlkp_revisions (id),
    education_level SMALLINT NOT NULL REFERENCES education_levels (code),
    workers         INTEGER NOT NULL CHECK (workers >= 0),
    PRIMARY KEY (revision_id, education_level)
);

CREATE TABLE wlkp_report_events (
    id            SERIAL PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES wlkp_reports (id),
    revision      INTEGER NOT NULL,
    status        TEXT NOT NULL REFERENCES ref_wlkp_status (code),
    note          TEXT,
    actor_user_id INTEGER REFERENCES users (id),
    occurred_at   TIMESTAMP NOT NULL
);
CREATE INDEX wlkp_report_events_report_idx ON wlkp_report_events (report_id, occurred_at);
CREATE INDEX wlkp_report_events_status_idx ON wlkp_report_events (status, report_id);

-- Reminders sent before a company's due date: one per company, due date and lead time.
CREATE TABLE wlkp_reminders (
    company_id INTEGER NOT NULL REFERENCES companies (id),
    due_on     DATE NOT NULL,
    lead_days  INTEGER NOT NULL,
    queued_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, due_on, lead_days)
);
