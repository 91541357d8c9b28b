//! AK/I cards and their events. Every change of a card's status writes its dated event in
//! the same transaction, so the register of any past day can be rebuilt from the events.

use crate::domain::ids::{Ak1CardId, JobSeekerId, UserId};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::rules::{self, ReportWindow};
use crate::db::DbConnection;
use crate::domain::Ak1Number;
use crate::domain::code::choice;
use crate::schema::{ak1_cards, ak1_events, ak1_serials};

choice!(
    Status in "ref_ak1_status" {
        /// Asked for; an operator has yet to verify the profile.
        Requested => "requested", "ak1.status.requested",
        /// The operator did not issue it (the note says why); the seeker may ask again.
        Declined => "declined", "ak1.status.declined",
        /// On the register.
        Active => "active", "ak1.status.active",
        /// Off the register: the holder found work.
        Placed => "placed", "ak1.status.placed",
        /// Off the register: two years passed.
        Expired => "expired", "ak1.status.expired",
        /// Off the register: a six-monthly report was missed.
        Lapsed => "lapsed", "ak1.status.lapsed",
        /// Off the register (or never on it): withdrawn by the holder or an operator.
        Withdrawn => "withdrawn", "ak1.status.withdrawn",
    }
);

impl Status {
    /// Requested and active cards are open: a seeker has at most one.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Requested | Self::Active)
    }
}

choice!(
    /// What happened to a card; the events' `kind`.
    EventKind in "ref_ak1_event" {
        Requested => "requested", "ak1.event.requested",
        Declined => "declined", "ak1.event.declined",
        Issued => "issued", "ak1.event.issued",
        Reported => "reported", "ak1.event.reported",
        Placed => "placed", "ak1.event.placed",
        Expired => "expired", "ak1.event.expired",
        Lapsed => "lapsed", "ak1.event.lapsed",
        Withdrawn => "withdrawn", "ak1.event.withdrawn",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ak1_cards)]
pub struct Card {
    pub id: Ak1CardId,
    pub job_seeker_id: JobSeekerId,
    pub number: Option<Ak1Number>,
    pub verify_code: String,
    pub status: Status,
    pub requested_at: NaiveDateTime,
    pub issued_on: Option<NaiveDate>,
    pub issued_by: Option<UserId>,
    pub valid_until: Option<NaiveDate>,
    pub next_report_due: Option<NaiveDate>,
    pub reports_made: i16,
    pub reminded_for: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_note: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl Card {
    pub fn status(&self) -> Status {
        self.status
    }

    /// Where the holder stands with the next report, if one is due.
    pub fn report_window(&self, today: NaiveDate) -> Option<(NaiveDate, ReportWindow)> {
        if self.status() != Status::Active {
            return None;
        }
        self.next_report_due
            .map(|due| (due, rules::report_window(due, today)))
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ak1_events)]
pub struct Event {
    pub id: i32,
    pub card_id: Ak1CardId,
    pub kind: EventKind,
    pub occurred_on: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub actor_user_id: Option<UserId>,
    pub note: Option<String>,
}

/// Why a step on a card could not be taken; each has its message for the person asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The seeker already has a card asked for or active.
    AlreadyOpen,
    /// The card is not in the state the step needs (another operator was quicker, or the
    /// page was old).
    WrongState,
    /// The report window has not opened yet.
    TooEarly(NaiveDate),
    /// No report is due on this card.
    NothingDue,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::AlreadyOpen => "ak1.error.already_open",
            Self::WrongState => "ak1.error.wrong_state",
            Self::TooEarly(_) => "ak1.error.too_early",
            Self::NothingDue => "ak1.error.nothing_due",
        }
    }
}

/// A failed step: refused for a reason the user can act on, or a database error.
#[derive(Debug)]
pub enum StepError {
    Refused(Refusal),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for StepError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e)
    }
}

impl From<Refusal> for StepError {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

/// Who took a step: an operator, or nobody (the holder's own step, or the daily job).
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The day the step is dated, which is the day it is taken; only the end of a card may
    /// be dated earlier (the start of work, the day the daily job's rule names), and its
    /// caller then gives the day it is recorded as well.
    pub on: NaiveDate,
    pub actor: Option<UserId>,
    pub note: Option<&'a str>,
}

pub fn find(conn: &mut DbConnection, card_id: Ak1CardId) -> QueryResult<Option<Card>> {
    ak1_cards::table
        .find(card_id)
        .select(Card::as_select())
        .first(conn)
        .optional()
}

/// The seeker's cards, newest first.
pub fn cards_of(conn: &mut DbConnection, job_seeker_id: JobSeekerId) -> QueryResult<Vec<Card>> {
    ak1_cards::table
        .filter(ak1_cards::job_seeker_id.eq(job_seeker_id))
        .order(ak1_cards::id.desc())
        .select(Card::as_select())
        .load(conn)
}

/// How many cards wait for an operator at the counter.
pub fn count_requested(conn: &mut DbConnection) -> QueryResult<i64> {
    ak1_cards::table
        .filter(ak1_cards::status.eq(Status::Requested.as_str()))
        .count()
        .get_result(conn)
}

/// Takes a name out of the notes staff wrote on the seeker's cards and their events, as
/// when the person's account is deleted.
pub fn erase_name(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    name: &str,
    erased: &str,
) -> QueryResult<()> {
    use crate::db::replace;
    let cards = ak1_cards::table
        .filter(ak1_cards::job_seeker_id.eq(job_seeker_id))
        .select(ak1_cards::id);
    diesel::update(
        ak1_cards::table
            .filter(ak1_cards::job_seeker_id.eq(job_seeker_id))
            .filter(ak1_cards::end_note.is_not_null()),
    )
    .set(
        ak1_cards::end_note
            .eq(replace(ak1_cards::end_note.assume_not_null(), name, erased).nullable()),
    )
    .execute(conn)?;
    diesel::update(
        ak1_events::table
            .filter(ak1_events::card_id.eq_any(cards))
            .filter(ak1_events::note.is_not_null()),
    )
    .set(ak1_events::note.eq(replace(ak1_events::note.assume_not_null(), name, erased).nullable()))
    .execute(conn)
    .map(|_| ())
}

pub fn events_of(conn: &mut DbConnection, card_ids: &[Ak1CardId]) -> QueryResult<Vec<Event>> {
    ak1_events::table
        .filter(ak1_events::card_id.eq_any(card_ids))
        .order((ak1_events::occurred_on.desc(), ak1_events::id.desc()))
        .select(Event::as_select())
        .load(conn)
}

pub fn find_by_number(conn: &mut DbConnection, number: &Ak1Number) -> QueryResult<Option<Card>> {
    ak1_cards::table
        .filter(ak1_cards::number.eq(number))
        .select(Card::as_select())
        .first(conn)
        .optional()
}

fn record(
    conn: &mut DbConnection,
    card_id: Ak1CardId,
    kind: EventKind,
    step: Step,
) -> QueryResult<()> {
    diesel::insert_into(ak1_events::table)
        .values((
            ak1_events::card_id.eq(card_id),
            ak1_events::kind.eq(kind.as_str()),
            ak1_events::occurred_on.eq(step.on),
            ak1_events::recorded_at.eq(Utc::now().naive_utc()),
            ak1_events::actor_user_id.eq(step.actor),
            ak1_events::note.eq(step.note),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Eight letters and digits, without the ones that read alike (0/O, 1/I/L), to type from
/// a printed card.
fn verify_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The seeker asks for a card. The caller has checked that the profile is complete.
pub fn request(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    step: Step,
) -> Result<Ak1CardId, StepError> {
    crate::db::transaction::<_, StepError, _>(conn, |conn| {
        let open: i64 = ak1_cards::table
            .filter(ak1_cards::job_seeker_id.eq(job_seeker_id))
            .filter(ak1_cards::status.eq_any(["requested", "active"]))
            .count()
            .get_result(conn)?;
        if open > 0 {
            return Err(Refusal::AlreadyOpen.into());
        }
        let now = Utc::now().naive_utc();
        // The partial unique index stops a second open card if two requests race.
        let id = diesel::insert_into(ak1_cards::table)
            .values((
                ak1_cards::job_seeker_id.eq(job_seeker_id),
                ak1_cards::verify_code.eq(verify_code()),
                ak1_cards::status.eq(Status::Requested.as_str()),
                ak1_cards::requested_at.eq(now),
                ak1_cards::updated_at.eq(now),
            ))
            .returning(ak1_cards::id)
            .get_result(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => StepError::Refused(Refusal::AlreadyOpen),
                e => StepError::Db(e),
            })?;
        record(conn, id, EventKind::Requested, step)?;
        Ok(id)
    })
}

/// Takes the next serial of the year: an upsert, so that concurrent issues serialise on
/// the year's row on either backend.
fn next_serial(conn: &mut DbConnection, year: i32) -> QueryResult<i32> {
    // A macro, not a value: the upsert's type names the backend.
    macro_rules! take {
        () => {
            diesel::insert_into(ak1_serials::table)
                .values((ak1_serials::year.eq(year), ak1_serials::last_serial.eq(1)))
                .on_conflict(ak1_serials::year)
                .do_update()
                .set(ak1_serials::last_serial.eq(ak1_serials::last_serial + 1))
                .returning(ak1_serials::last_serial)
        };
    }
    match conn {
        DbConnection::Pg(c) => take!().get_result(c),
        DbConnection::Sqlite(c) => take!().get_result(c),
    }
}

/// Moves a card from `from` to `to`, or refuses if it is no longer in `from`.
fn transition(
    conn: &mut DbConnection,
    card_id: Ak1CardId,
    from: Status,
    to: Status,
) -> Result<(), StepError> {
    let n = diesel::update(
        ak1_cards::table
            .find(card_id)
            .filter(ak1_cards::status.eq(from.as_str())),
    )
    .set((
        ak1_cards::status.eq(to.as_str()),
        ak1_cards::updated_at.eq(Utc::now().naive_utc()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(Refusal::WrongState.into());
    }
    Ok(())
}

/// An operator verified the profile and issues the card: it gets its number, is valid two
/// years and enters the register. Returns the number.
pub fn issue(
    conn: &mut DbConnection,
    card_id: Ak1CardId,
    step: Step,
) -> Result<Ak1Number, StepError> {
    crate::db::transaction::<_, StepError, _>(conn, |conn| {
        // A card no longer asked for rolls the serial back with the rest.
        let serial = next_serial(conn, step.on.year())?;
        let number = rules::card_number(step.on.year(), serial).ok_or_else(|| {
            diesel::result::Error::SerializationError("the year's card serials are used up".into())
        })?;
        let n = diesel::update(
            ak1_cards::table
                .find(card_id)
                .filter(ak1_cards::status.eq(Status::Requested.as_str())),
        )
        .set((
            ak1_cards::status.eq(Status::Active.as_str()),
            ak1_cards::number.eq(&number),
            ak1_cards::issued_on.eq(step.on),
            ak1_cards::issued_by.eq(step.actor),
            ak1_cards::valid_until.eq(rules::valid_until(step.on)),
            ak1_cards::next_report_due.eq(rules::first_report_due(step.on)),
            ak1_cards::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(Refusal::WrongState.into());
        }
        record(conn, card_id, EventKind::Issued, step)?;
        let seeker: JobSeekerId = ak1_cards::table
            .find(card_id)
            .select(ak1_cards::job_seeker_id)
            .first(conn)?;
        super::facts::issued(conn, card_id, seeker, step.on, step.on)?;
        Ok(number)
    })
}

/// An operator at the counter asks for and issues the card in one go, for a resident whose
/// documents are in front of them. Returns the card and its number.
pub fn issue_at_counter(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    step: Step,
) -> Result<(Ak1CardId, Ak1Number), StepError> {
    crate::db::transaction::<_, StepError, _>(conn, |conn| {
        let id = request(conn, job_seeker_id, Step { note: None, ..step })?;
        Ok((id, issue(conn, id, step)?))
    })
}

/// The operator does not issue the card; the note tells the seeker what to put right.
pub fn decline(conn: &mut DbConnection, card_id: Ak1CardId, step: Step) -> Result<(), StepError> {
    end_card(
        conn,
        card_id,
        Status::Requested,
        Status::Declined,
        EventKind::Declined,
        step,
        step.on,
    )
}

/// The holder (or an operator) withdraws a request or takes an active card off the register.
pub fn withdraw(conn: &mut DbConnection, card_id: Ak1CardId, step: Step) -> Result<(), StepError> {
    crate::db::transaction::<_, StepError, _>(conn, |conn| {
        let from = find(conn, card_id)?
            .map(|c| c.status())
            .filter(|s| s.is_open())
            .ok_or(Refusal::WrongState)?;
        end_card(
            conn,
            card_id,
            from,
            Status::Withdrawn,
            EventKind::Withdrawn,
            step,
            step.on,
        )
    })
}

/// The holder found work: the card leaves the register, dated `step.on` and recorded on
/// `today`. Called by placements; a seeker without an active card is placed without a card
/// event.
pub fn mark_placed(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    step: Step,
    today: NaiveDate,
) -> Result<bool, StepError> {
    let active: Option<Ak1CardId> = ak1_cards::table
        .filter(ak1_cards::job_seeker_id.eq(job_seeker_id))
        .filter(ak1_cards::status.eq(Status::Active.as_str()))
        .select(ak1_cards::id)
        .first(conn)
        .optional()?;
    match active {
        Some(id) => {
            end_card(
                conn,
                id,
                Status::Active,
                Status::Placed,
                EventKind::Placed,
                step,
                today,
            )?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Takes a card off the register with its event dated `step.on`, recorded on `today`.
pub(super) fn end_card(
    conn: &mut DbConnection,
    card_id: Ak1CardId,
    from: Status,
    to: Status,
    kind: EventKind,
    step: Step,
    today: NaiveDate,
) -> Result<(), StepError> {
    crate::db::transaction::<_, StepError, _>(conn, |conn| {
        transition(conn, card_id, from, to)?;
        diesel::update(ak1_cards::table.find(card_id))
            .set((
                ak1_cards::ended_on.eq(step.on),
                ak1_cards::end_note.eq(step.note),
                ak1_cards::next_report_due.eq(None::<NaiveDate>),
            ))
            .execute(conn)?;
        record(conn, card_id, kind, step)?;
        super::facts::ended(conn, card_id, kind, step.on, today)?;
        Ok(())
    })
}

/// The holder reports that they are still looking for work (online, or at the counter).
pub fn report(conn: &mut DbConnection, card_id: Ak1CardId, step: Step) -> Result<(), StepError> {
    crate::db::transaction::<_, StepError, _>(conn, |conn| {
        let card = find(conn, card_id)?.ok_or(Refusal::WrongState)?;
        if card.status() != Status::Active {
            return Err(Refusal::WrongState.into());
        }
        let (Some(due), Some(issued)) = (card.next_report_due, card.issued_on) else {
            return Err(Refusal::NothingDue.into());
        };
        match rules::report_window(due, step.on) {
            ReportWindow::NotYet(opens) => return Err(Refusal::TooEarly(opens).into()),
            // The daily job has not run yet; the card is as good as lapsed.
            ReportWindow::Missed => return Err(Refusal::WrongState.into()),
            ReportWindow::Open => {}
        }
        // Past its last day the card is as good as expired, whatever is due.
        if card.valid_until.is_some_and(|until| step.on > until) {
            return Err(Refusal::WrongState.into());
        }
        let n = diesel::update(
            ak1_cards::table
                .find(card_id)
                .filter(ak1_cards::next_report_due.eq(due)),
        )
        .set((
            ak1_cards::next_report_due.eq(rules::report_due_after(issued, due)),
            ak1_cards::reports_made.eq(ak1_cards::reports_made + 1),
            ak1_cards::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(Refusal::WrongState.into());
        }
        record(conn, card_id, EventKind::Reported, step)?;
        Ok(())
    })
}

/// A card the Dinas issued before the portal, from its old register: it keeps its own
/// number and dates.
#[derive(Debug, Clone)]
pub struct PastCard {
    pub number: Ak1Number,
    pub issued_on: NaiveDate,
    /// Active, or how it left the register.
    pub status: Status,
    /// The day it left the register; `None` while active.
    pub ended_on: Option<NaiveDate>,
}

impl PastCard {
    /// The report an active card's holder makes next, seen on `today`: the first due date
    /// whose grace period has not passed, as if the old register's holder had reported on
    /// time (an active card there was kept up to date). With the count of reports before it.
    pub fn next_report(&self, today: NaiveDate) -> (Option<NaiveDate>, i16) {
        if self.status != Status::Active {
            return (None, 0);
        }
        let mut due = rules::first_report_due(self.issued_on);
        let mut made = 0;
        while let Some(d) = due.filter(|d| rules::lapses_on(*d) <= today) {
            due = rules::report_due_after(self.issued_on, d);
            made += 1;
        }
        (due, made)
    }
}

/// Records a card from the Dinas's old register for the seeker, with its dated events (the
/// issue, and how it ended), unless a card with its number is already stored: returns
/// whether it was added. The year's serial moves past the card's, so that no card issued
/// later takes its number. The caller checked that an active card is the seeker's only
/// open one; `actor` is who imported it, on `today`.
pub fn record_past(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    card: &PastCard,
    actor: Option<UserId>,
    today: NaiveDate,
) -> QueryResult<bool> {
    if find_by_number(conn, &card.number)?.is_some() {
        return Ok(false);
    }
    let now = Utc::now().naive_utc();
    let (next_report_due, reports_made) = card.next_report(today);
    let id: Ak1CardId = diesel::insert_into(ak1_cards::table)
        .values((
            ak1_cards::job_seeker_id.eq(job_seeker_id),
            ak1_cards::number.eq(&card.number),
            ak1_cards::verify_code.eq(verify_code()),
            ak1_cards::status.eq(card.status.as_str()),
            ak1_cards::requested_at.eq(crate::domain::calendar::start_of(card.issued_on)),
            ak1_cards::issued_on.eq(card.issued_on),
            ak1_cards::valid_until.eq(rules::valid_until(card.issued_on)),
            ak1_cards::next_report_due.eq(next_report_due),
            ak1_cards::reports_made.eq(reports_made),
            ak1_cards::ended_on.eq(card.ended_on),
            ak1_cards::updated_at.eq(now),
        ))
        .returning(ak1_cards::id)
        .get_result(conn)?;
    let step = |on| Step {
        on,
        actor,
        note: None,
    };
    record(conn, id, EventKind::Issued, step(card.issued_on))?;
    super::facts::issued(conn, id, job_seeker_id, card.issued_on, today)?;
    if let Some((kind, on)) = super::facts::ending(card.status, card.ended_on) {
        record(conn, id, kind, step(on))?;
        super::facts::ended(conn, id, kind, on, today)?;
    }
    if let Some(serial) = card.number.serial() {
        let year = card.issued_on.year();
        let last: Option<i32> = ak1_serials::table
            .find(year)
            .select(ak1_serials::last_serial)
            .first(conn)
            .optional()?;
        match last {
            None => {
                diesel::insert_into(ak1_serials::table)
                    .values((
                        ak1_serials::year.eq(year),
                        ak1_serials::last_serial.eq(serial),
                    ))
                    .execute(conn)?;
            }
            Some(last) if last < serial => {
                diesel::update(ak1_serials::table.find(year))
                    .set(ak1_serials::last_serial.eq(serial))
                    .execute(conn)?;
            }
            Some(_) => {}
        }
    }
    Ok(true)
}
