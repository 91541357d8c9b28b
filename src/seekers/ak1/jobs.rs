//! The card's daily work: take lapsed and expired cards off the register (dated the day
//! they stopped counting, whenever the job gets to them) and remind holders of reports
//! coming due. Idempotent, and safe with several instances: each card moves only from the
//! state the query saw, and each reminder is sent once per due date.

use crate::domain::ids::{Ak1CardId, UserId};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use super::model::{self, EventKind, Status, Step};
use super::rules;
use crate::db::DbConnection;
use crate::schema::{ak1_cards, job_seekers};
use crate::web::Lang;

const BATCH: i64 = 200;

/// A card due for a reminder: id, number, due date, the card's last day, and the holder's
/// e-mail (none for a resident registered at the counter without one: their printed slip
/// holds the dates), name, locale.
type Reminder = (
    Ak1CardId,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<crate::domain::Email>,
    String,
    Lang,
);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub lapsed: usize,
    pub expired: usize,
    pub reminded: usize,
}

pub fn run_daily(
    conn: &mut DbConnection,
    today: NaiveDate,
    base_url: &str,
) -> anyhow::Result<Summary> {
    Ok(Summary {
        // Lapses first: a missed report always comes before the end of validity.
        lapsed: lapse_unreported(conn, today)?,
        expired: expire(conn, today)?,
        reminded: remind(conn, today, base_url)?,
    })
}

fn lapse_unreported(conn: &mut DbConnection, today: NaiveDate) -> anyhow::Result<usize> {
    let last_due_still_open = today - Days::new(rules::GRACE_DAYS + 1);
    end_all(
        conn,
        today,
        (Status::Lapsed, EventKind::Lapsed),
        |conn| {
            ak1_cards::table
                .filter(ak1_cards::status.eq(Status::Active.as_str()))
                .filter(ak1_cards::next_report_due.le(last_due_still_open))
                .select((ak1_cards::id, ak1_cards::next_report_due.assume_not_null()))
                .limit(BATCH)
                .load(conn)
        },
        rules::lapses_on,
    )
}

fn expire(conn: &mut DbConnection, today: NaiveDate) -> anyhow::Result<usize> {
    end_all(
        conn,
        today,
        (Status::Expired, EventKind::Expired),
        |conn| {
            ak1_cards::table
                .filter(ak1_cards::status.eq(Status::Active.as_str()))
                .filter(ak1_cards::valid_until.lt(today))
                .select((ak1_cards::id, ak1_cards::valid_until.assume_not_null()))
                .limit(BATCH)
                .load(conn)
        },
        |valid_until| valid_until + Days::new(1),
    )
}

/// Takes every active card `due` finds off the register, batch by batch, each dated by
/// `ended_on` of the date `due` read with it and recorded on `today`.
fn end_all(
    conn: &mut DbConnection,
    today: NaiveDate,
    (to, kind): (Status, EventKind),
    due: impl Fn(&mut DbConnection) -> QueryResult<Vec<(Ak1CardId, NaiveDate)>>,
    ended_on: impl Fn(NaiveDate) -> NaiveDate,
) -> anyhow::Result<usize> {
    let mut done = 0;
    loop {
        let batch = due(conn)?;
        if batch.is_empty() {
            return Ok(done);
        }
        for (id, date) in batch {
            let step = Step {
                on: ended_on(date),
                actor: None,
                note: None,
            };
            if end_if_still_active(conn, id, to, kind, step, today)? {
                done += 1;
            }
        }
    }
}

/// Another instance may have moved the card since it was read: that is not an error.
fn end_if_still_active(
    conn: &mut DbConnection,
    card_id: Ak1CardId,
    to: Status,
    kind: EventKind,
    step: Step,
    today: NaiveDate,
) -> anyhow::Result<bool> {
    match model::end_card(conn, card_id, Status::Active, to, kind, step, today) {
        Ok(()) => Ok(true),
        Err(model::StepError::Refused(_)) => Ok(false),
        Err(model::StepError::Db(e)) => Err(e.into()),
    }
}

fn remind(conn: &mut DbConnection, today: NaiveDate, base_url: &str) -> anyhow::Result<usize> {
    let latest_due = today + Days::new(rules::REMIND_DAYS);
    let mut done = 0;
    loop {
        type Due = (
            Ak1CardId,
            Option<String>,
            Option<NaiveDate>,
            Option<NaiveDate>,
            UserId,
        );
        let cards: Vec<Due> = ak1_cards::table
            .inner_join(job_seekers::table)
            .filter(ak1_cards::status.eq(Status::Active.as_str()))
            .filter(ak1_cards::next_report_due.le(latest_due))
            .filter(ak1_cards::next_report_due.ge(today))
            .filter(
                ak1_cards::reminded_for
                    .is_null()
                    .or(ak1_cards::reminded_for.lt(ak1_cards::next_report_due)),
            )
            .select((
                ak1_cards::id,
                ak1_cards::number,
                ak1_cards::next_report_due,
                ak1_cards::valid_until,
                job_seekers::user_id,
            ))
            .limit(BATCH)
            .load(conn)?;
        let users: Vec<UserId> = cards.iter().map(|c| c.4).collect();
        let contacts = crate::accounts::directory::contacts(conn, &users)?;
        let due: Vec<Reminder> = cards
            .into_iter()
            .filter_map(|(id, number, report_due, until, user)| {
                let c = contacts.get(&user)?.clone();
                Some((
                    id,
                    number,
                    report_due,
                    until,
                    c.email,
                    c.full_name,
                    c.locale,
                ))
            })
            .collect();
        if due.is_empty() {
            return Ok(done);
        }
        for (id, number, report_due, until, email, name, locale) in due {
            let (Some(number), Some(report_due)) = (number, report_due) else {
                continue;
            };
            let lang = locale;
            let link = format!("{base_url}/pencaker/ak1");
            let claimed = crate::db::transaction::<_, diesel::result::Error, _>(conn, |conn| {
                let claimed = diesel::update(
                    ak1_cards::table
                        .find(id)
                        .filter(ak1_cards::next_report_due.eq(report_due)),
                )
                .set(ak1_cards::reminded_for.eq(report_due))
                .execute(conn)?;
                // Claimed even without an address, so that the next batch moves on.
                let Some(email) = email.as_ref().filter(|_| claimed == 1) else {
                    return Ok(false);
                };
                crate::mail::enqueue(
                    conn,
                    crate::mail::MailKind::CardReminder,
                    email,
                    &lang.t("mail.ak1_report.subject"),
                    &lang.tf(
                        "mail.ak1_report.body",
                        &[
                            ("name", &crate::mail::text::name(&name)),
                            ("number", &number),
                            ("due", &crate::web::format::date(lang, report_due)),
                            (
                                "last",
                                &crate::web::format::date(
                                    lang,
                                    match until {
                                        Some(until) => rules::last_report_day(report_due, until),
                                        None => rules::lapses_on(report_due) - Days::new(1),
                                    },
                                ),
                            ),
                            ("link", &link),
                        ],
                    ),
                )?;
                Ok(true)
            })?;
            done += usize::from(claimed);
        }
    }
}
