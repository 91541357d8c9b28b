//! WLKP reports from the national system (wajiblapor.kemnaker.go.id), keyed by NIB: they
//! sit beside the ones filed here, marked by their source. The import framework's `wlkp`
//! kind checks each row with [`check`] and writes it with [`record_imported_within`].

use chrono::NaiveDate;
use diesel::prelude::*;

use super::figures::Figures;
use super::model::{
    Report, Source, Status, Trigger, current_revision, insert_revision, record_event,
};
use crate::db::DbConnection;
use crate::domain::calendar;
use crate::domain::ids::WlkpReportId;
use crate::schema::wlkp_reports;
use crate::web::forms::FieldErrors;

/// One national report, as the import read it.
#[derive(Debug, Clone)]
pub struct ImportedReport {
    /// The NIB, 13 digits.
    pub nib: String,
    pub period_year: i32,
    pub trigger: Trigger,
    /// The national system's id of the report.
    pub external_id: String,
    /// When it was reported there: the report counts as accepted from that date.
    pub reported_on: NaiveDate,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Recorded(WlkpReportId),
    /// The same report (NIB, period, trigger, external id) is here already with the same
    /// figures: nothing changed.
    AlreadyRecorded(WlkpReportId),
    /// The same report is here with other figures (the national side corrected it): the
    /// new figures are its next revision, accepted; the earlier ones are kept.
    Revised(WlkpReportId),
    /// The figures break a rule: the translation keys by field, nothing written.
    Refused(Vec<(&'static str, &'static str)>),
}

/// The rules a national report must meet, each broken one as (field, translation key): the
/// NIB's shape, the period, the figures' totals, the national id, the reporting date.
pub fn check(report: &ImportedReport) -> Vec<(&'static str, &'static str)> {
    let mut errors = FieldErrors::default();
    if crate::employers::parse_nib(&report.nib).as_deref() != Some(report.nib.as_str()) {
        errors.add("nib", "company.error.nib");
    }
    let this_year = chrono::Datelike::year(&calendar::today());
    if !(2000..=this_year).contains(&report.period_year) {
        errors.add("period_year", "wlkp.error.period");
    }
    report.figures.check_totals(&mut errors);
    if report.external_id.trim().is_empty() {
        errors.add("external_id", "wlkp.error.external_id");
    }
    if report.reported_on > calendar::today() {
        errors.add("reported_on", "wlkp.error.reported_future");
    }
    errors.into_pairs()
}

/// Records a national report once, whatever the number of imports of it. A NIB the
/// portal knows links it to that head office; an unknown one is kept with its NIB only.
pub fn record_imported(conn: &mut DbConnection, report: &ImportedReport) -> QueryResult<Outcome> {
    crate::db::transaction(conn, |conn| record_imported_within(conn, report))
}

/// [`record_imported`] inside a transaction the caller holds (a bulk import's: no
/// savepoint per row).
pub fn record_imported_within(
    conn: &mut DbConnection,
    report: &ImportedReport,
) -> QueryResult<Outcome> {
    let errors = check(report);
    if !errors.is_empty() {
        return Ok(Outcome::Refused(errors));
    }
    let at = calendar::start_of(report.reported_on);
    let existing: Option<Report> = wlkp_reports::table
        .filter(wlkp_reports::nib.eq(&report.nib))
        .filter(wlkp_reports::period_year.eq(report.period_year))
        .filter(wlkp_reports::report_trigger.eq(report.trigger.as_str()))
        .filter(wlkp_reports::source.eq(Source::National.as_str()))
        .filter(wlkp_reports::external_id.eq(report.external_id.trim()))
        .select(Report::as_select())
        .first(conn)
        .optional()?;
    if let Some(known) = existing {
        if current_revision(conn, &known)?.figures == report.figures {
            return Ok(Outcome::AlreadyRecorded(known.id));
        }
        let next = known.revision + 1;
        insert_revision(conn, known.id, next, &report.figures, at, Some(at))?;
        diesel::update(wlkp_reports::table.find(known.id))
            .set((
                wlkp_reports::revision.eq(next),
                wlkp_reports::status_changed_at.eq(at),
            ))
            .execute(conn)?;
        record_event(conn, known.id, next, Status::Accepted, None, None, at)?;
        return Ok(Outcome::Revised(known.id));
    }
    let company = crate::employers::head_office_by_nib(conn, &report.nib)?;
    let id: WlkpReportId = diesel::insert_into(wlkp_reports::table)
        .values((
            wlkp_reports::company_id.eq(company),
            wlkp_reports::nib.eq(&report.nib),
            wlkp_reports::period_year.eq(report.period_year),
            wlkp_reports::report_trigger.eq(report.trigger.as_str()),
            wlkp_reports::source.eq(Source::National.as_str()),
            wlkp_reports::external_id.eq(report.external_id.trim()),
            wlkp_reports::status.eq(Status::Accepted.as_str()),
            wlkp_reports::revision.eq(1),
            wlkp_reports::created_at.eq(chrono::Utc::now().naive_utc()),
            wlkp_reports::status_changed_at.eq(at),
        ))
        .returning(wlkp_reports::id)
        .get_result(conn)?;
    insert_revision(conn, id, 1, &report.figures, at, Some(at))?;
    record_event(conn, id, 1, Status::Accepted, None, None, at)?;
    Ok(Outcome::Recorded(id))
}
