//! A company's booth at a fair: applied for with the vacancies it brings, approved (with a
//! stand) or refused (with a reason) by the Dinas, or withdrawn by the company.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::model::Fair;
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::ids::{BoothId, CompanyId, JobFairId, UserId, VacancyId};
use crate::employers::VerificationStatus;
use crate::schema::{job_fair_booth_vacancies, job_fair_booths, job_fairs};

choice!(
    BoothStatus in "ref_job_fair_booth_status" {
        Applied => "applied", "booth.status.applied",
        Approved => "approved", "booth.status.approved",
        Rejected => "rejected", "booth.status.rejected",
        Withdrawn => "withdrawn", "booth.status.withdrawn",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_fair_booths)]
pub struct Booth {
    pub id: BoothId,
    pub fair_id: JobFairId,
    pub company_id: CompanyId,
    pub status: BoothStatus,
    pub stand: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub applied_by: Option<UserId>,
    pub applied_at: NaiveDateTime,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<NaiveDateTime>,
}

/// Why a booth application was not taken; each is a message for the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only a company the Dinas verified may have a booth.
    Unverified,
    /// The fair is not published, or its deadline for booths has passed.
    Closed,
    /// None of the vacancies named, or one that is not the company's open vacancy.
    Vacancies,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Unverified => "booth.error.unverified",
            Self::Closed => "booth.error.closed",
            Self::Vacancies => "booth.error.vacancies",
        }
    }
}

pub fn find(conn: &mut DbConnection, id: BoothId) -> QueryResult<Option<Booth>> {
    job_fair_booths::table
        .find(id)
        .select(Booth::as_select())
        .first(conn)
        .optional()
}

pub fn of_company_at(
    conn: &mut DbConnection,
    fair: JobFairId,
    company: CompanyId,
) -> QueryResult<Option<Booth>> {
    job_fair_booths::table
        .filter(job_fair_booths::fair_id.eq(fair))
        .filter(job_fair_booths::company_id.eq(company))
        .select(Booth::as_select())
        .first(conn)
        .optional()
}

/// The vacancies a booth brings.
pub fn vacancies_of(conn: &mut DbConnection, booth: BoothId) -> QueryResult<Vec<VacancyId>> {
    job_fair_booth_vacancies::table
        .filter(job_fair_booth_vacancies::booth_id.eq(booth))
        .order(job_fair_booth_vacancies::vacancy_id)
        .select(job_fair_booth_vacancies::vacancy_id)
        .load(conn)
}

/// Applies for a booth, or changes an application not yet refused: the company, the
/// vacancies it brings (its own, open today) and its note. A refused or withdrawn booth
/// applied for again is waiting again. Called inside a transaction.
pub fn apply(
    conn: &mut DbConnection,
    fair: &Fair,
    company: CompanyId,
    user: UserId,
    vacancies: &[VacancyId],
    note: Option<&str>,
    today: NaiveDate,
) -> QueryResult<Result<BoothId, Refusal>> {
    let verified = crate::employers::find_company(conn, company)?
        .is_some_and(|c| c.status() == VerificationStatus::Verified);
    if !verified {
        return Ok(Err(Refusal::Unverified));
    }
    if !fair.booths_open(today) {
        return Ok(Err(Refusal::Closed));
    }
    let open: Vec<VacancyId> = crate::vacancies::open_among(conn, vacancies, today)?
        .into_iter()
        .filter(|(c, _)| *c == company)
        .map(|(_, v)| v.0)
        .collect();
    if vacancies.is_empty() || open.len() != vacancies.len() {
        return Ok(Err(Refusal::Vacancies));
    }
    let now = Utc::now().naive_utc();
    let id = match of_company_at(conn, fair.id, company)? {
        Some(b) => {
            let status = match b.status {
                BoothStatus::Rejected | BoothStatus::Withdrawn => BoothStatus::Applied,
                kept => kept,
            };
            diesel::update(job_fair_booths::table.find(b.id))
                .set((
                    job_fair_booths::status.eq(status),
                    job_fair_booths::note.eq(note),
                    job_fair_booths::applied_by.eq(user),
                    job_fair_booths::applied_at.eq(now),
                ))
                .execute(conn)?;
            diesel::delete(
                job_fair_booth_vacancies::table.filter(job_fair_booth_vacancies::booth_id.eq(b.id)),
            )
            .execute(conn)?;
            b.id
        }
        None => diesel::insert_into(job_fair_booths::table)
            .values((
                job_fair_booths::fair_id.eq(fair.id),
                job_fair_booths::company_id.eq(company),
                job_fair_booths::status.eq(BoothStatus::Applied),
                job_fair_booths::note.eq(note),
                job_fair_booths::applied_by.eq(user),
                job_fair_booths::applied_at.eq(now),
            ))
            .returning(job_fair_booths::id)
            .get_result(conn)?,
    };
    for v in &open {
        diesel::insert_into(job_fair_booth_vacancies::table)
            .values((
                job_fair_booth_vacancies::booth_id.eq(id),
                job_fair_booth_vacancies::vacancy_id.eq(v),
            ))
            .execute(conn)?;
    }
    Ok(Ok(id))
}

/// The Dinas's decision on a booth still waiting or approved: approved with its stand, or
/// refused with the reason the company is told. False when the booth was no longer open
/// to a decision (withdrawn meanwhile).
pub fn decide(
    conn: &mut DbConnection,
    booth: BoothId,
    decision: Result<&str, &str>,
    actor: UserId,
) -> QueryResult<bool> {
    let (status, stand, reason) = match decision {
        Ok(stand) => (BoothStatus::Approved, Some(stand), None),
        Err(reason) => (BoothStatus::Rejected, None, Some(reason)),
    };
    diesel::update(
        job_fair_booths::table
            .find(booth)
            .filter(job_fair_booths::status.eq_any([
                BoothStatus::Applied.as_str(),
                BoothStatus::Approved.as_str(),
            ])),
    )
    .set((
        job_fair_booths::status.eq(status),
        job_fair_booths::stand.eq(stand),
        job_fair_booths::reason.eq(reason),
        job_fair_booths::decided_by.eq(actor),
        job_fair_booths::decided_at.eq(Utc::now().naive_utc()),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The company takes its booth back.
pub fn withdraw(conn: &mut DbConnection, booth: BoothId) -> QueryResult<bool> {
    diesel::update(
        job_fair_booths::table
            .find(booth)
            .filter(job_fair_booths::status.eq_any([
                BoothStatus::Applied.as_str(),
                BoothStatus::Approved.as_str(),
            ])),
    )
    .set(job_fair_booths::status.eq(BoothStatus::Withdrawn))
    .execute(conn)
    .map(|n| n == 1)
}

/// Every booth of a fair, waiting ones first, then by stand.
pub fn of_fair(conn: &mut DbConnection, fair: JobFairId) -> QueryResult<Vec<Booth>> {
    let mut rows: Vec<Booth> = job_fair_booths::table
        .filter(job_fair_booths::fair_id.eq(fair))
        .order(job_fair_booths::applied_at.asc())
        .select(Booth::as_select())
        .load(conn)?;
    rows.sort_by_key(|b| (b.status != BoothStatus::Applied, b.stand.clone(), b.id));
    Ok(rows)
}

/// The vacancies of each of these booths.
pub fn vacancies_of_booths(
    conn: &mut DbConnection,
    booths: &[BoothId],
) -> QueryResult<HashMap<BoothId, Vec<VacancyId>>> {
    let rows: Vec<(BoothId, VacancyId)> = job_fair_booth_vacancies::table
        .filter(job_fair_booth_vacancies::booth_id.eq_any(booths))
        .select((
            job_fair_booth_vacancies::booth_id,
            job_fair_booth_vacancies::vacancy_id,
        ))
        .load(conn)?;
    let mut out: HashMap<BoothId, Vec<VacancyId>> = HashMap::new();
    for (b, v) in rows {
        out.entry(b).or_default().push(v);
    }
    Ok(out)
}

/// A company's booths, the latest fair first, with the fair's name and dates.
pub fn of_company(
    conn: &mut DbConnection,
    company: CompanyId,
) -> QueryResult<Vec<(Booth, String, NaiveDate, NaiveDate)>> {
    job_fair_booths::table
        .inner_join(job_fairs::table)
        .filter(job_fair_booths::company_id.eq(company))
        .order(job_fairs::starts_on.desc())
        .select((
            Booth::as_select(),
            job_fairs::name,
            job_fairs::starts_on,
            job_fairs::ends_on,
        ))
        .load(conn)
}

/// The fair each of these vacancies is brought to, for the search and the vacancy's page:
/// an approved booth at a published fair that has not ended (the soonest, if several).
pub fn fairs_of_vacancies(
    conn: &mut DbConnection,
    vacancies: &[VacancyId],
    today: NaiveDate,
) -> QueryResult<HashMap<VacancyId, (JobFairId, String)>> {
    let rows: Vec<(VacancyId, JobFairId, String)> = job_fair_booth_vacancies::table
        .inner_join(job_fair_booths::table.inner_join(job_fairs::table))
        .filter(job_fair_booth_vacancies::vacancy_id.eq_any(vacancies))
        .filter(job_fair_booths::status.eq(BoothStatus::Approved.as_str()))
        .filter(job_fairs::status.eq(super::Status::Published.as_str()))
        .filter(job_fairs::ends_on.ge(today))
        .order(job_fairs::starts_on.desc())
        .select((
            job_fair_booth_vacancies::vacancy_id,
            job_fairs::id,
            job_fairs::name,
        ))
        .load(conn)?;
    // Soonest last, so that it is the one kept.
    Ok(rows.into_iter().map(|(v, f, n)| (v, (f, n))).collect())
}

/// How many booths wait for a decision, for each fair.
pub fn waiting_counts(conn: &mut DbConnection) -> QueryResult<HashMap<JobFairId, i64>> {
    use diesel::dsl::count_star;
    let rows: Vec<(JobFairId, i64)> = job_fair_booths::table
        .filter(job_fair_booths::status.eq(BoothStatus::Applied.as_str()))
        .group_by(job_fair_booths::fair_id)
        .select((job_fair_booths::fair_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
