//! Signing off a report (issue 15, item 2): the data steward signs the forms of a period
//! that has ended; who and when are kept with the forms and their figures exactly as
//! signed (table `ipk_signoffs`). Signing closes the period's months, so their figures as
//! reported never change. A late entry dated in them is a correction counted in the month
//! it was recorded in; once there are corrections, the period can be signed again as a new
//! version, restated with the corrections in their own months, beside the old one.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::form::Form;
use super::grid::{Figures, Ledger};
use super::period::{self, Period};
use super::tables::Basis;
use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::schema::{ipk_facts, ipk_signoffs};

/// The forms and their figures, as signed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Content {
    pub forms: Vec<Form>,
    pub figures: Vec<Figures>,
}

/// A signed version of a period's report.
#[derive(Debug, Clone)]
pub struct Signed {
    pub version: i32,
    pub restated: bool,
    pub corrections: i64,
    pub signed_by: Option<UserId>,
    pub signed_at: NaiveDateTime,
    pub content: Content,
}

/// Why a period cannot be signed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSignable {
    /// A month of it has not ended.
    NotOver,
    /// It was signed and no correction for it was recorded since.
    NothingNew,
}

impl NotSignable {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::NotOver => "ipk.signoff.error.not_over",
            Self::NothingNew => "ipk.signoff.error.nothing_new",
        }
    }
}

type Row = (i32, String, i64, Option<UserId>, NaiveDateTime, String);

/// Every signed version of the period, the first first.
pub fn versions(conn: &mut DbConnection, period: Period) -> QueryResult<Vec<Signed>> {
    let rows: Vec<Row> = ipk_signoffs::table
        .filter(ipk_signoffs::period_from.eq(period.from.key()))
        .filter(ipk_signoffs::period_to.eq(period.to.key()))
        .order(ipk_signoffs::version)
        .select((
            ipk_signoffs::version,
            ipk_signoffs::basis,
            ipk_signoffs::corrections,
            ipk_signoffs::signed_by,
            ipk_signoffs::signed_at,
            ipk_signoffs::content,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(version, basis, corrections, signed_by, signed_at, content)| {
                let content = serde_json::from_str(&content)
                    .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
                Ok(Signed {
                    version,
                    restated: basis == "restated",
                    corrections,
                    signed_by,
                    signed_at,
                    content,
                })
            },
        )
        .collect()
}

/// Corrections dated in the period recorded after `since` (after the period was first
/// counted when `None`).
pub fn corrections_since(
    conn: &mut DbConnection,
    period: Period,
    since: Option<NaiveDateTime>,
) -> QueryResult<i64> {
    let mut query = ipk_facts::table
        .filter(ipk_facts::correction.eq(true))
        .filter(ipk_facts::occurred_on.ge(period.first_day()))
        .filter(ipk_facts::occurred_on.lt(period.end()))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(ipk_facts::recorded_at.gt(since));
    }
    query.count().get_result(conn)
}

/// The figures of `forms` for the period, as reported or restated.
pub fn figures(
    conn: &mut DbConnection,
    period: Period,
    forms: &[Form],
    basis: Basis,
) -> QueryResult<Vec<Figures>> {
    let mut ledger = Ledger::new(conn, period.from, period.to, basis);
    forms.iter().map(|form| ledger.figures(form)).collect()
}

/// Signs the period's report: closes its months (the first time) and keeps the forms with
/// their figures. Returns the version signed.
pub fn sign(
    conn: &mut DbConnection,
    period: Period,
    forms: &[Form],
    by: Option<UserId>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Result<i32, NotSignable>> {
    if !period.is_over(today) {
        return Ok(Err(NotSignable::NotOver));
    }
    crate::db::transaction(conn, |conn| {
        let earlier = versions(conn, period)?;
        let last = earlier.last();
        let corrections = corrections_since(conn, period, last.map(|s| s.signed_at))?;
        if last.is_some() && corrections == 0 {
            return Ok(Err(NotSignable::NothingNew));
        }
        if !period::is_closed(conn, period.to)? {
            // Ended, and not closed: closing cannot be refused.
            let _ = period::close(conn, period.to, by, today, now)?;
        }
        let basis = if last.is_some() {
            Basis::Restated
        } else {
            Basis::Reported
        };
        let content = Content {
            forms: forms.to_vec(),
            figures: figures(conn, period, forms, basis)?,
        };
        let version = last.map_or(1, |s| s.version + 1);
        diesel::insert_into(ipk_signoffs::table)
            .values((
                ipk_signoffs::period_from.eq(period.from.key()),
                ipk_signoffs::period_to.eq(period.to.key()),
                ipk_signoffs::version.eq(version),
                ipk_signoffs::basis.eq(match basis {
                    Basis::Reported => "reported",
                    Basis::Restated => "restated",
                }),
                ipk_signoffs::corrections.eq(corrections),
                ipk_signoffs::signed_by.eq(by),
                ipk_signoffs::signed_at.eq(now),
                ipk_signoffs::content.eq(serde_json::to_string(&content).unwrap_or_default()),
            ))
            .execute(conn)?;
        Ok(Ok(version))
    })
}

/// The periods signed, the latest first, each with its number of versions.
pub fn signed_periods(conn: &mut DbConnection) -> QueryResult<Vec<(Period, i64)>> {
    let rows: Vec<(i32, i32, i64)> = ipk_signoffs::table
        .group_by((ipk_signoffs::period_from, ipk_signoffs::period_to))
        .select((
            ipk_signoffs::period_from,
            ipk_signoffs::period_to,
            diesel::dsl::count_star(),
        ))
        .order((ipk_signoffs::period_to.desc(), ipk_signoffs::period_from))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(from, to, n)| {
            Some((
                Period {
                    from: period::Month::from_key(from)?,
                    to: period::Month::from_key(to)?,
                },
                n,
            ))
        })
        .collect())
}
