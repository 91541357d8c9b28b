//! WLKP reports and their lifecycle: draft → submitted → accepted, or returned with a note
//! and then edited into a new revision and submitted again. The report's status is kept on
//! its row for the queues; every change is also a dated row of `wlkp_report_events`. A
//! revision's figures are frozen once submitted.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use super::figures::Figures;
use crate::db::DbConnection;
use crate::domain::Rupiah;
use crate::domain::code::choice;
use crate::domain::ids::{CompanyId, UserId, WlkpReportId, WlkpRevisionId};
use crate::reference::education::EducationLevel;
use crate::schema::{wlkp_report_events, wlkp_reports, wlkp_revision_education, wlkp_revisions};

choice!(
    /// Why a report is filed (UU 7/1981): a new company (within 30 days of founding or
    /// restarting), the yearly report, a move, or closing down.
    Trigger in "ref_wlkp_trigger" {
        New => "new", "wlkp.trigger.new",
        Annual => "annual", "wlkp.trigger.annual",
        Moving => "moving", "wlkp.trigger.moving",
        Closing => "closing", "wlkp.trigger.closing",
    }
);

choice!(
    Status in "ref_wlkp_status" {
        Draft => "draft", "wlkp.status.draft",
        Submitted => "submitted", "wlkp.status.submitted",
        Accepted => "accepted", "wlkp.status.accepted",
        Returned => "returned", "wlkp.status.returned",
    }
);

choice!(
    /// Where a report comes from: filed on this portal, or imported from the national
    /// WLKP system.
    Source in "ref_wlkp_source" {
        Portal => "portal", "wlkp.source.portal",
        National => "national", "wlkp.source.national",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wlkp_reports)]
pub struct Report {
    pub id: WlkpReportId,
    pub company_id: Option<CompanyId>,
    pub nib: String,
    pub period_year: i32,
    pub report_trigger: Trigger,
    pub source: Source,
    pub external_id: Option<String>,
    pub status: Status,
    /// The current revision.
    pub revision: i32,
    pub created_at: NaiveDateTime,
    pub status_changed_at: NaiveDateTime,
}

/// One revision's figures.
#[derive(Debug, Clone)]
pub struct Revision {
    pub id: WlkpRevisionId,
    pub revision: i32,
    pub figures: Figures,
    pub created_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable)]
pub struct Event {
    pub revision: i32,
    pub status: Status,
    pub note: Option<String>,
    pub actor_user_id: Option<UserId>,
    pub occurred_at: NaiveDateTime,
}

/// Why a step was not taken; nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The company has a report for this period and trigger already.
    Exists(WlkpReportId),
    /// The report is not in a state that allows this step (someone moved it on).
    NotNow,
}

#[derive(Debug)]
pub enum StepError {
    Refused(Refused),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for StepError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e)
    }
}

pub type Step<T> = Result<T, StepError>;

fn refused<T>(why: Refused) -> Step<T> {
    Err(StepError::Refused(why))
}

type Row = (
    WlkpRevisionId,
    i32,
    (i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32),
    (i32, i32, i32, i32, i32),
    (i32, i32, Option<Rupiah>, i32, i32),
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// A report by id, whoever it belongs to (staff pages, and the owner check after it).
pub fn find(conn: &mut DbConnection, id: WlkpReportId) -> QueryResult<Option<Report>> {
    wlkp_reports::table
        .find(id)
        .select(Report::as_select())
        .first(conn)
        .optional()
}

/// A report of this company, or none: another company's report is as good as missing.
pub fn find_for_company(
    conn: &mut DbConnection,
    id: WlkpReportId,
    company: CompanyId,
) -> QueryResult<Option<Report>> {
    wlkp_reports::table
        .find(id)
        .filter(wlkp_reports::company_id.eq(company))
        .select(Report::as_select())
        .first(conn)
        .optional()
}

/// The company's reports, the latest period first.
pub fn of_company(conn: &mut DbConnection, company: CompanyId) -> QueryResult<Vec<Report>> {
    wlkp_reports::table
        .filter(wlkp_reports::company_id.eq(company))
        .order((
            wlkp_reports::period_year.desc(),
            wlkp_reports::created_at.desc(),
            wlkp_reports::id.desc(),
        ))
        .select(Report::as_select())
        .load(conn)
}

/// Reports waiting for staff, the longest-waiting first.
pub fn queue(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Report>> {
    wlkp_reports::table
        .filter(wlkp_reports::status.eq(Status::Submitted.as_str()))
        .order((
            wlkp_reports::status_changed_at.asc(),
            wlkp_reports::id.asc(),
        ))
        .limit(limit)
        .select(Report::as_select())
        .load(conn)
}

/// How many reports wait for staff.
pub fn count_queue(conn: &mut DbConnection) -> QueryResult<i64> {
    wlkp_reports::table
        .filter(wlkp_reports::status.eq(Status::Submitted.as_str()))
        .count()
        .get_result(conn)
}

/// Every revision of a report, the latest first.
pub fn revisions(conn: &mut DbConnection, report: WlkpReportId) -> QueryResult<Vec<Revision>> {
    Ok(revisions_of(conn, &[report])?
        .into_iter()
        .map(|(_, revision)| revision)
        .collect())
}

/// Every revision of these reports, with its report, the latest of each first.
pub fn revisions_of(
    conn: &mut DbConnection,
    reports: &[WlkpReportId],
) -> QueryResult<Vec<(WlkpReportId, Revision)>> {
    let rows: Vec<(WlkpReportId, Row)> = wlkp_revisions::table
        .filter(wlkp_revisions::report_id.eq_any(reports))
        .order((wlkp_revisions::report_id, wlkp_revisions::revision.desc()))
        .select((
            wlkp_revisions::report_id,
            (
                wlkp_revisions::id,
                wlkp_revisions::revision,
                (
                    wlkp_revisions::l_wni_pkwtt,
                    wlkp_revisions::l_wni_pkwt,
                    wlkp_revisions::l_wni_outsourced,
                    wlkp_revisions::l_wna_pkwtt,
                    wlkp_revisions::l_wna_pkwt,
                    wlkp_revisions::l_wna_outsourced,
                    wlkp_revisions::p_wni_pkwtt,
                    wlkp_revisions::p_wni_pkwt,
                    wlkp_revisions::p_wni_outsourced,
                    wlkp_revisions::p_wna_pkwtt,
                    wlkp_revisions::p_wna_pkwt,
                    wlkp_revisions::p_wna_outsourced,
                ),
                (
                    wlkp_revisions::age_15_19,
                    wlkp_revisions::age_20_29,
                    wlkp_revisions::age_30_44,
                    wlkp_revisions::age_45_54,
                    wlkp_revisions::age_55_plus,
                ),
                (
                    wlkp_revisions::disabled,
                    wlkp_revisions::apprentices,
                    wlkp_revisions::lowest_wage,
                    wlkp_revisions::bpjs_tk,
                    wlkp_revisions::bpjs_kes,
                ),
                wlkp_revisions::created_at,
                wlkp_revisions::submitted_at,
            ),
        ))
        .load(conn)?;
    let ids: Vec<WlkpRevisionId> = rows.iter().map(|r| r.1.0).collect();
    let education: Vec<(WlkpRevisionId, i16, i32)> = wlkp_revision_education::table
        .filter(wlkp_revision_education::revision_id.eq_any(&ids))
        .select((
            wlkp_revision_education::revision_id,
            wlkp_revision_education::education_level,
            wlkp_revision_education::workers,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(report, (id, revision, h, a, o, created_at, submitted_at))| {
                let mut figures = Figures {
                    headcount: [
                        [[h.0, h.1, h.2], [h.3, h.4, h.5]],
                        [[h.6, h.7, h.8], [h.9, h.10, h.11]],
                    ],
                    ages: [a.0, a.1, a.2, a.3, a.4],
                    disabled: o.0,
                    apprentices: o.1,
                    lowest_wage: o.2,
                    bpjs_tk: o.3,
                    bpjs_kes: o.4,
                    ..Figures::default()
                };
                for (_, level, workers) in education.iter().filter(|e| e.0 == id) {
                    if let Some(slot) = usize::try_from(*level)
                        .ok()
                        .and_then(|i| figures.education.get_mut(i))
                    {
                        *slot = *workers;
                    }
                }
                let revision = Revision {
                    id,
                    revision,
                    figures,
                    created_at,
                    submitted_at,
                };
                (report, revision)
            },
        )
        .collect())
}

/// The current revision of a report.
pub fn current_revision(conn: &mut DbConnection, report: &Report) -> QueryResult<Revision> {
    revisions(conn, report.id)?
        .into_iter()
        .find(|r| r.revision == report.revision)
        .ok_or(diesel::result::Error::NotFound)
}

/// The report's events, oldest first.
pub fn events(conn: &mut DbConnection, report: WlkpReportId) -> QueryResult<Vec<Event>> {
    wlkp_report_events::table
        .filter(wlkp_report_events::report_id.eq(report))
        .order((
            wlkp_report_events::occurred_at.asc(),
            wlkp_report_events::id.asc(),
        ))
        .select((
            wlkp_report_events::revision,
            wlkp_report_events::status,
            wlkp_report_events::note,
            wlkp_report_events::actor_user_id,
            wlkp_report_events::occurred_at,
        ))
        .load(conn)
}

pub(super) fn record_event(
    conn: &mut DbConnection,
    report: WlkpReportId,
    revision: i32,
    status: Status,
    note: Option<&str>,
    actor: Option<UserId>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(wlkp_report_events::table)
        .values((
            wlkp_report_events::report_id.eq(report),
            wlkp_report_events::revision.eq(revision),
            wlkp_report_events::status.eq(status.as_str()),
            wlkp_report_events::note.eq(note),
            wlkp_report_events::actor_user_id.eq(actor),
            wlkp_report_events::occurred_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub(super) fn insert_revision(
    conn: &mut DbConnection,
    report: WlkpReportId,
    revision: i32,
    f: &Figures,
    at: NaiveDateTime,
    submitted_at: Option<NaiveDateTime>,
) -> QueryResult<WlkpRevisionId> {
    let h = &f.headcount;
    let id: WlkpRevisionId = diesel::insert_into(wlkp_revisions::table)
        .values((
            wlkp_revisions::report_id.eq(report),
            wlkp_revisions::revision.eq(revision),
            (
                wlkp_revisions::l_wni_pkwtt.eq(h[0][0][0]),
                wlkp_revisions::l_wni_pkwt.eq(h[0][0][1]),
                wlkp_revisions::l_wni_outsourced.eq(h[0][0][2]),
                wlkp_revisions::l_wna_pkwtt.eq(h[0][1][0]),
                wlkp_revisions::l_wna_pkwt.eq(h[0][1][1]),
                wlkp_revisions::l_wna_outsourced.eq(h[0][1][2]),
                wlkp_revisions::p_wni_pkwtt.eq(h[1][0][0]),
                wlkp_revisions::p_wni_pkwt.eq(h[1][0][1]),
                wlkp_revisions::p_wni_outsourced.eq(h[1][0][2]),
                wlkp_revisions::p_wna_pkwtt.eq(h[1][1][0]),
                wlkp_revisions::p_wna_pkwt.eq(h[1][1][1]),
                wlkp_revisions::p_wna_outsourced.eq(h[1][1][2]),
            ),
            (
                wlkp_revisions::age_15_19.eq(f.ages[0]),
                wlkp_revisions::age_20_29.eq(f.ages[1]),
                wlkp_revisions::age_30_44.eq(f.ages[2]),
                wlkp_revisions::age_45_54.eq(f.ages[3]),
                wlkp_revisions::age_55_plus.eq(f.ages[4]),
            ),
            (
                wlkp_revisions::disabled.eq(f.disabled),
                wlkp_revisions::apprentices.eq(f.apprentices),
                wlkp_revisions::lowest_wage.eq(f.lowest_wage),
                wlkp_revisions::bpjs_tk.eq(f.bpjs_tk),
                wlkp_revisions::bpjs_kes.eq(f.bpjs_kes),
            ),
            wlkp_revisions::created_at.eq(at),
            wlkp_revisions::submitted_at.eq(submitted_at),
        ))
        .returning(wlkp_revisions::id)
        .get_result(conn)?;
    write_education(conn, id, f)?;
    Ok(id)
}

fn write_education(conn: &mut DbConnection, id: WlkpRevisionId, f: &Figures) -> QueryResult<()> {
    diesel::delete(
        wlkp_revision_education::table.filter(wlkp_revision_education::revision_id.eq(id)),
    )
    .execute(conn)?;
    for level in EducationLevel::ALL {
        diesel::insert_into(wlkp_revision_education::table)
            .values((
                wlkp_revision_education::revision_id.eq(id),
                wlkp_revision_education::education_level.eq(level.code()),
                wlkp_revision_education::workers.eq(f.education_of(level)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Rewrites a draft revision's figures; a submitted one is never touched.
fn overwrite_draft(conn: &mut DbConnection, id: WlkpRevisionId, f: &Figures) -> Step<()> {
    let h = &f.headcount;
    let changed = diesel::update(
        wlkp_revisions::table
            .find(id)
            .filter(wlkp_revisions::submitted_at.is_null()),
    )
    .set((
        (
            wlkp_revisions::l_wni_pkwtt.eq(h[0][0][0]),
            wlkp_revisions::l_wni_pkwt.eq(h[0][0][1]),
            wlkp_revisions::l_wni_outsourced.eq(h[0][0][2]),
            wlkp_revisions::l_wna_pkwtt.eq(h[0][1][0]),
            wlkp_revisions::l_wna_pkwt.eq(h[0][1][1]),
            wlkp_revisions::l_wna_outsourced.eq(h[0][1][2]),
            wlkp_revisions::p_wni_pkwtt.eq(h[1][0][0]),
            wlkp_revisions::p_wni_pkwt.eq(h[1][0][1]),
            wlkp_revisions::p_wni_outsourced.eq(h[1][0][2]),
            wlkp_revisions::p_wna_pkwtt.eq(h[1][1][0]),
            wlkp_revisions::p_wna_pkwt.eq(h[1][1][1]),
            wlkp_revisions::p_wna_outsourced.eq(h[1][1][2]),
        ),
        (
            wlkp_revisions::age_15_19.eq(f.ages[0]),
            wlkp_revisions::age_20_29.eq(f.ages[1]),
            wlkp_revisions::age_30_44.eq(f.ages[2]),
            wlkp_revisions::age_45_54.eq(f.ages[3]),
            wlkp_revisions::age_55_plus.eq(f.ages[4]),
        ),
        (
            wlkp_revisions::disabled.eq(f.disabled),
            wlkp_revisions::apprentices.eq(f.apprentices),
            wlkp_revisions::lowest_wage.eq(f.lowest_wage),
            wlkp_revisions::bpjs_tk.eq(f.bpjs_tk),
            wlkp_revisions::bpjs_kes.eq(f.bpjs_kes),
        ),
    ))
    .execute(conn)?;
    if changed == 0 {
        return refused(Refused::NotNow);
    }
    write_education(conn, id, f)?;
    Ok(())
}

/// What an employer files: the period, the trigger and the figures.
pub struct Filing<'a> {
    pub company: CompanyId,
    pub nib: &'a str,
    pub period_year: i32,
    pub trigger: Trigger,
    pub figures: &'a Figures,
}

/// Starts a report as a draft, with its first revision and event.
pub fn create(conn: &mut DbConnection, filing: &Filing<'_>, actor: UserId) -> Step<WlkpReportId> {
    crate::db::transaction(conn, |conn| {
        let existing: Option<WlkpReportId> = wlkp_reports::table
            .filter(wlkp_reports::company_id.eq(filing.company))
            .filter(wlkp_reports::source.eq(Source::Portal.as_str()))
            .filter(wlkp_reports::period_year.eq(filing.period_year))
            .filter(wlkp_reports::report_trigger.eq(filing.trigger.as_str()))
            .select(wlkp_reports::id)
            .first(conn)
            .optional()?;
        if let Some(id) = existing {
            return refused(Refused::Exists(id));
        }
        let now = Utc::now().naive_utc();
        let id: WlkpReportId = diesel::insert_into(wlkp_reports::table)
            .values((
                wlkp_reports::company_id.eq(filing.company),
                wlkp_reports::nib.eq(filing.nib),
                wlkp_reports::period_year.eq(filing.period_year),
                wlkp_reports::report_trigger.eq(filing.trigger.as_str()),
                wlkp_reports::source.eq(Source::Portal.as_str()),
                wlkp_reports::status.eq(Status::Draft.as_str()),
                wlkp_reports::revision.eq(1),
                wlkp_reports::created_at.eq(now),
                wlkp_reports::status_changed_at.eq(now),
            ))
            .returning(wlkp_reports::id)
            .get_result(conn)?;
        insert_revision(conn, id, 1, filing.figures, now, None)?;
        record_event(conn, id, 1, Status::Draft, None, Some(actor), now)?;
        Ok(id)
    })
}

/// A change of status: from the one the report was read in, to another, naming the
/// revision it leaves the report at.
struct Move<'a> {
    from: Status,
    to: Status,
    revision: i32,
    note: Option<&'a str>,
}

/// Moves a report from one status to another, only from the one it was read in, with its
/// event.
fn move_status(
    conn: &mut DbConnection,
    report: &Report,
    step: Move<'_>,
    actor: UserId,
    at: NaiveDateTime,
) -> Step<()> {
    let Move {
        from,
        to,
        revision,
        note,
    } = step;
    let moved = diesel::update(
        wlkp_reports::table
            .find(report.id)
            .filter(wlkp_reports::status.eq(from.as_str()))
            .filter(wlkp_reports::revision.eq(report.revision)),
    )
    .set((
        wlkp_reports::status.eq(to.as_str()),
        wlkp_reports::revision.eq(revision),
        wlkp_reports::status_changed_at.eq(at),
    ))
    .execute(conn)?;
    if moved == 0 {
        return refused(Refused::NotNow);
    }
    record_event(conn, report.id, revision, to, note, Some(actor), at)?;
    Ok(())
}

/// Saves the employer's figures: a draft is rewritten; a returned report gets a new
/// revision (the returned one stays as it was) and is a draft again. A submitted or
/// accepted report is frozen.
pub fn save(
    conn: &mut DbConnection,
    report: &Report,
    figures: &Figures,
    actor: UserId,
) -> Step<()> {
    crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        match report.status {
            Status::Draft => {
                let current = current_revision(conn, report)?;
                overwrite_draft(conn, current.id, figures)
            }
            Status::Returned => {
                let next = report.revision + 1;
                move_status(
                    conn,
                    report,
                    Move {
                        from: Status::Returned,
                        to: Status::Draft,
                        revision: next,
                        note: None,
                    },
                    actor,
                    now,
                )?;
                insert_revision(conn, report.id, next, figures, now, None)?;
                Ok(())
            }
            Status::Submitted | Status::Accepted => refused(Refused::NotNow),
        }
    })
}

/// Sends a draft to the Dinas: its figures are frozen from now on.
pub fn submit(conn: &mut DbConnection, report: &Report, actor: UserId) -> Step<()> {
    crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        move_status(
            conn,
            report,
            Move {
                from: Status::Draft,
                to: Status::Submitted,
                revision: report.revision,
                note: None,
            },
            actor,
            now,
        )?;
        diesel::update(
            wlkp_revisions::table
                .filter(wlkp_revisions::report_id.eq(report.id))
                .filter(wlkp_revisions::revision.eq(report.revision)),
        )
        .set(wlkp_revisions::submitted_at.eq(now))
        .execute(conn)?;
        Ok(())
    })
}

/// A verifier's decision on a submitted report: accepted, or returned with a note.
pub fn review(
    conn: &mut DbConnection,
    report: &Report,
    decision: Status,
    note: Option<&str>,
    actor: UserId,
) -> Step<()> {
    if !matches!(decision, Status::Accepted | Status::Returned) {
        return refused(Refused::NotNow);
    }
    crate::db::transaction(conn, |conn| {
        move_status(
            conn,
            report,
            Move {
                from: Status::Submitted,
                to: decision,
                revision: report.revision,
                note,
            },
            actor,
            Utc::now().naive_utc(),
        )
    })
}

/// Reports filed `first..=last` (Binjai dates), each once, on the day it was filed: first
/// submitted on the portal, or accepted from the national system. With the company, for
/// counts by place (the staff dashboard).
pub fn filed_between(
    conn: &mut DbConnection,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
) -> QueryResult<Vec<(chrono::NaiveDate, Option<CompanyId>)>> {
    use diesel::dsl::min;
    let filed: Vec<(WlkpReportId, Option<NaiveDateTime>)> = wlkp_report_events::table
        .filter(
            wlkp_report_events::status
                .eq_any([Status::Submitted.as_str(), Status::Accepted.as_str()]),
        )
        .group_by(wlkp_report_events::report_id)
        .select((
            wlkp_report_events::report_id,
            min(wlkp_report_events::occurred_at),
        ))
        .load(conn)?;
    let companies: std::collections::HashMap<WlkpReportId, Option<CompanyId>> = wlkp_reports::table
        .select((wlkp_reports::id, wlkp_reports::company_id))
        .load::<(WlkpReportId, Option<CompanyId>)>(conn)?
        .into_iter()
        .collect();
    Ok(filed
        .into_iter()
        .filter_map(|(report, at)| {
            let day = crate::domain::calendar::date_of(at?);
            (first..=last)
                .contains(&day)
                .then(|| (day, companies.get(&report).copied().flatten()))
        })
        .collect())
}
