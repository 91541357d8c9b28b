//! When a company's next yearly WLKP report is due, the overdue list, and the reminders.
//!
//! The rule (docs/decisions.md, "WLKP"): one year after the date its last report was
//! accepted (for a national record, the date it was reported there); a company that never
//! filed is due on the first 31 January after it registered on the portal; one whose last
//! accepted report was a closing one is due nothing. Reminders go
//! 30 and 7 days before, once per company, due date and lead time.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::model::{Status, Trigger};
use crate::db::DbConnection;
use crate::domain::calendar;
use crate::domain::ids::CompanyId;
use crate::employers::{self, CompanyBrief};
use crate::schema::{wlkp_reminders, wlkp_report_events, wlkp_reports};

/// Days before the due date on which a reminder goes, the earliest first.
pub const REMIND_DAYS: [i64; 2] = [30, 7];

/// A company's next due date.
pub fn due_date(last_accepted: Option<NaiveDate>, registered_on: NaiveDate) -> NaiveDate {
    match last_accepted {
        // 29 February falls back to 28 February.
        Some(day) => day.checked_add_months(Months::new(12)).unwrap_or(day),
        None => {
            let this_year = NaiveDate::from_ymd_opt(registered_on.year(), 1, 31);
            match this_year.filter(|d| *d > registered_on) {
                Some(d) => d,
                None => NaiveDate::from_ymd_opt(registered_on.year() + 1, 1, 31)
                    .unwrap_or(registered_on),
            }
        }
    }
}

/// A verified company and its due date.
pub struct Due {
    pub company: CompanyBrief,
    pub due_on: NaiveDate,
    /// A report is waiting for staff: the company has done its part.
    pub waiting: bool,
}

/// Every verified company with its due date, but those whose last accepted report says
/// they closed down.
pub fn due_dates(conn: &mut DbConnection) -> QueryResult<Vec<Due>> {
    let companies = employers::verified_companies(conn)?;
    due_of(conn, companies, None)
}

/// The due date of one company, if it is verified and has not closed down.
pub fn due_for(conn: &mut DbConnection, company: CompanyId) -> QueryResult<Option<NaiveDate>> {
    let companies: Vec<CompanyBrief> = employers::verified_companies(conn)?
        .into_iter()
        .filter(|c| c.id == company)
        .collect();
    Ok(due_of(conn, companies, Some(company))?
        .into_iter()
        .next()
        .map(|d| d.due_on))
}

fn due_of(
    conn: &mut DbConnection,
    companies: Vec<CompanyBrief>,
    only: Option<CompanyId>,
) -> QueryResult<Vec<Due>> {
    let mut accepted = wlkp_report_events::table
        .inner_join(wlkp_reports::table)
        .filter(wlkp_report_events::status.eq(Status::Accepted.as_str()))
        .filter(wlkp_reports::company_id.is_not_null())
        .select((
            wlkp_reports::company_id,
            wlkp_reports::report_trigger,
            wlkp_report_events::occurred_at,
        ))
        .into_boxed();
    let mut waiting = wlkp_reports::table
        .filter(wlkp_reports::status.eq(Status::Submitted.as_str()))
        .select(wlkp_reports::company_id)
        .into_boxed();
    if let Some(company) = only {
        accepted = accepted.filter(wlkp_reports::company_id.eq(company));
        waiting = waiting.filter(wlkp_reports::company_id.eq(company));
    }
    let accepted: Vec<(Option<CompanyId>, Trigger, NaiveDateTime)> = accepted.load(conn)?;
    // The latest accepted report of each company, and what it was for.
    let mut last: HashMap<CompanyId, (NaiveDateTime, Trigger)> = HashMap::new();
    for (company, trigger, at) in accepted {
        let Some(company) = company else { continue };
        let entry = last.entry(company).or_insert((at, trigger));
        if at > entry.0 {
            *entry = (at, trigger);
        }
    }
    let waiting: Vec<Option<CompanyId>> = waiting.load(conn)?;
    Ok(companies
        .into_iter()
        .filter(|c| last.get(&c.id).is_none_or(|l| l.1 != Trigger::Closing))
        .map(|company| Due {
            due_on: due_date(
                last.get(&company.id).map(|l| calendar::date_of(l.0)),
                calendar::date_of(company.created_at),
            ),
            waiting: waiting.contains(&Some(company.id)),
            company,
        })
        .collect())
}

/// Companies whose due date has passed without a report waiting for staff, the longest
/// overdue first.
pub fn overdue(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<Due>> {
    let mut late: Vec<Due> = due_dates(conn)?
        .into_iter()
        .filter(|d| d.due_on < today && !d.waiting)
        .collect();
    late.sort_by_key(|d| (d.due_on, d.company.id));
    Ok(late)
}

/// Queues the reminders due today (through the mail outbox, within the per-inbox mail
/// limit); each is queued once per company, due date and lead time, however often this
/// runs. Returns how many companies were reminded.
pub fn remind(conn: &mut DbConnection, today: NaiveDate, base_url: &str) -> anyhow::Result<usize> {
    let mut reminded = 0;
    for due in due_dates(conn)? {
        let days_left = (due.due_on - today).num_days();
        if due.waiting || days_left < 0 {
            continue;
        }
        // The nearest lead time reached: a company first seen 5 days before is reminded
        // once, not twice.
        let Some(lead) = REMIND_DAYS.iter().rev().find(|lead| days_left <= **lead) else {
            continue;
        };
        if remind_one(conn, &due, *lead, base_url)? {
            reminded += 1;
        }
    }
    Ok(reminded)
}

fn remind_one(
    conn: &mut DbConnection,
    due: &Due,
    lead: i64,
    base_url: &str,
) -> anyhow::Result<bool> {
    let lead_days = i32::try_from(lead)?;
    let sent: bool = diesel::select(diesel::dsl::exists(
        wlkp_reminders::table
            .filter(wlkp_reminders::company_id.eq(due.company.id))
            .filter(wlkp_reminders::due_on.eq(due.due_on))
            .filter(wlkp_reminders::lead_days.eq(lead_days)),
    ))
    .get_result(conn)?;
    if sent {
        return Ok(false);
    }
    let recipients = crate::accounts::directory::company_contacts_to_mail(conn, due.company.id)?;
    if recipients.is_empty() {
        return Ok(false);
    }
    let link = format!("{base_url}/perusahaan/wlkp");
    let outcome = crate::db::transaction::<_, diesel::result::Error, _>(conn, |conn| {
        // Another instance may claim the same reminder at the same moment: the key
        // refuses the second, and its transaction queues nothing.
        diesel::insert_into(wlkp_reminders::table)
            .values((
                wlkp_reminders::company_id.eq(due.company.id),
                wlkp_reminders::due_on.eq(due.due_on),
                wlkp_reminders::lead_days.eq(lead_days),
                wlkp_reminders::queued_at.eq(Utc::now().naive_utc()),
            ))
            .execute(conn)?;
        let mut queued = false;
        for contact in &recipients {
            // Company users sign in by e-mail; the query keeps only those with one.
            let Some(email) = &contact.email else {
                continue;
            };
            if !crate::accounts::throttle::allow_reminder(conn, email)? {
                continue;
            }
            let lang = contact.locale;
            crate::mail::enqueue(
                conn,
                crate::mail::MailKind::WlkpReminder,
                email,
                &lang.t("mail.wlkp_reminder.subject"),
                &lang.tf(
                    "mail.wlkp_reminder.body",
                    &[
                        ("name", &crate::mail::text::name(&contact.full_name)),
                        (
                            "company",
                            &crate::mail::text::title(
                                &due.company.name,
                                crate::mail::text::TITLE_MAX,
                            ),
                        ),
                        ("due", &crate::web::format::date(lang, due.due_on)),
                        ("link", &link),
                    ],
                ),
            )?;
            queued = true;
        }
        if !queued {
            // Every inbox is at its limit: try again on a later run.
            return Err(diesel::result::Error::RollbackTransaction);
        }
        Ok(())
    });
    match outcome {
        Ok(()) => Ok(true),
        Err(diesel::result::Error::RollbackTransaction)
        | Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_year_after_the_last_accepted_report() {
        assert_eq!(
            due_date(Some(d(2025, 3, 14)), d(2020, 1, 1)),
            d(2026, 3, 14)
        );
        assert_eq!(
            due_date(Some(d(2024, 2, 29)), d(2020, 1, 1)),
            d(2025, 2, 28)
        );
    }

    #[test]
    fn never_filed_is_due_on_the_next_31_january() {
        assert_eq!(due_date(None, d(2025, 6, 1)), d(2026, 1, 31));
        assert_eq!(due_date(None, d(2026, 1, 10)), d(2026, 1, 31));
        assert_eq!(due_date(None, d(2026, 1, 31)), d(2027, 1, 31));
    }
}
