//! Residents' tickets to a fair. A ticket holds a seat of the fair's capacity; beyond it a
//! registration waits, and a seat given back goes to the one who waited longest. Each move
//! is a dated event with the visitor's sex, age group, education and kelurahan as they
//! were that day, which the fair's report counts.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use rand::Rng;

use super::model::{self, Fair};
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::ids::{JobFairId, JobSeekerId, TicketId, UserId};
use crate::domain::{AgeGroup, Sex};
use crate::schema::{job_fair_ticket_events, job_fair_tickets, job_fairs};

choice!(
    TicketStatus in "ref_job_fair_ticket_status" {
        Registered => "registered", "ticket.status.registered",
        Waitlisted => "waitlisted", "ticket.status.waitlisted",
        Cancelled => "cancelled", "ticket.status.cancelled",
    }
);

choice!(
    /// Where a ticket was made: by the resident on the portal, or by an operator at the door.
    Source in "ref_job_fair_ticket_source" {
        Online => "online", "ticket.source.online",
        Door => "door", "ticket.source.door",
    }
);

choice!(
    EventKind in "ref_job_fair_ticket_event" {
        Registered => "registered", "ticket.event.registered",
        Waitlisted => "waitlisted", "ticket.event.waitlisted",
        Promoted => "promoted", "ticket.event.promoted",
        Cancelled => "cancelled", "ticket.event.cancelled",
        CheckedIn => "checked_in", "ticket.event.checked_in",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_fair_tickets)]
pub struct Ticket {
    pub id: TicketId,
    pub fair_id: JobFairId,
    pub job_seeker_id: JobSeekerId,
    pub number: String,
    pub status: TicketStatus,
    pub source: Source,
    pub registered_at: NaiveDateTime,
    pub checked_in_at: Option<NaiveDateTime>,
    pub checked_in_by: Option<UserId>,
}

/// What came of a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// A ticket with a seat.
    Registered(TicketId),
    /// The fair is full: the resident waits for a seat.
    Waitlisted(TicketId),
    /// The resident already holds a ticket (or a place on the list) for this fair.
    Already(TicketId),
    /// The fair is not open to registration (a draft, cancelled, or over).
    Closed,
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed
/// from a crumpled printout: no 0, O, 1, I or L.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// "BK7-K3M9QX": the fair's id, so a ticket shown at the wrong fair is told apart from a
/// mistyped one, and six random characters (about 890 million), so numbers cannot be
/// guessed.
fn new_number(fair: JobFairId) -> String {
    number_from(fair, &mut rand::rng())
}

/// A ticket number drawn from `rng` (the demo draws from its own, to be the same each time).
pub(crate) fn number_from(fair: JobFairId, rng: &mut impl Rng) -> String {
    let tail: String = (0..6)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("BK{fair}-{tail}")
}

/// A ticket number as typed at the door: spaces and case forgiven.
pub fn normalise_number(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// The fair id a ticket number names, if it has the shape of one.
pub fn fair_of_number(number: &str) -> Option<JobFairId> {
    let rest = number.strip_prefix("BK")?;
    let (id, tail) = rest.split_once('-')?;
    (tail.len() == 6 && tail.bytes().all(|b| ALPHABET.contains(&b)))
        .then(|| id.parse().ok())
        .flatten()
}

/// The values the fair's report groups visitors by, as they are today.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub sex: Option<Sex>,
    pub age_group: Option<AgeGroup>,
    pub education: Option<i16>,
    pub kelurahan_code: Option<String>,
}

pub fn snapshot(
    conn: &mut DbConnection,
    seeker: JobSeekerId,
    on: NaiveDate,
) -> QueryResult<Snapshot> {
    Ok(match crate::seekers::find(conn, seeker)? {
        Some(p) => Snapshot {
            sex: p.sex,
            age_group: p.birth_date.and_then(|b| AgeGroup::of(b, on)),
            education: p.education_level,
            kelurahan_code: p.kelurahan_code,
        },
        None => Snapshot::default(),
    })
}

pub(super) fn record(
    conn: &mut DbConnection,
    ticket: &Ticket,
    kind: EventKind,
    actor: Option<UserId>,
) -> QueryResult<()> {
    let now = Utc::now().naive_utc();
    let s = snapshot(conn, ticket.job_seeker_id, crate::domain::calendar::today())?;
    diesel::insert_into(job_fair_ticket_events::table)
        .values((
            job_fair_ticket_events::ticket_id.eq(ticket.id),
            job_fair_ticket_events::kind.eq(kind),
            job_fair_ticket_events::sex.eq(s.sex),
            job_fair_ticket_events::age_group.eq(s.age_group),
            job_fair_ticket_events::education.eq(s.education),
            job_fair_ticket_events::kelurahan_code.eq(s.kelurahan_code),
            job_fair_ticket_events::actor_user_id.eq(actor),
            job_fair_ticket_events::occurred_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConnection, id: TicketId) -> QueryResult<Option<Ticket>> {
    job_fair_tickets::table
        .find(id)
        .select(Ticket::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_number(conn: &mut DbConnection, number: &str) -> QueryResult<Option<Ticket>> {
    job_fair_tickets::table
        .filter(job_fair_tickets::number.eq(number))
        .select(Ticket::as_select())
        .first(conn)
        .optional()
}

pub fn of_seeker_at(
    conn: &mut DbConnection,
    fair: JobFairId,
    seeker: JobSeekerId,
) -> QueryResult<Option<Ticket>> {
    job_fair_tickets::table
        .filter(job_fair_tickets::fair_id.eq(fair))
        .filter(job_fair_tickets::job_seeker_id.eq(seeker))
        .select(Ticket::as_select())
        .first(conn)
        .optional()
}

/// Registers a job seeker for a fair: a seat if one is left, else the waiting list (or,
/// at the door, where nobody waits, `None` when the fair is full). Called inside a
/// transaction.
pub fn register(
    conn: &mut DbConnection,
    fair: &Fair,
    seeker: JobSeekerId,
    source: Source,
    actor: Option<UserId>,
    today: NaiveDate,
) -> QueryResult<Option<Registration>> {
    if !fair.registration_open(today) {
        return Ok(Some(Registration::Closed));
    }
    model::hold(conn, fair.id)?;
    let existing = of_seeker_at(conn, fair.id, seeker)?;
    if let Some(t) = &existing
        && t.status != TicketStatus::Cancelled
    {
        return Ok(Some(Registration::Already(t.id)));
    }
    let seated = model::take_seat(conn, fair.id)?;
    if !seated && source == Source::Door {
        return Ok(None);
    }
    let status = if seated {
        TicketStatus::Registered
    } else {
        TicketStatus::Waitlisted
    };
    let now = Utc::now().naive_utc();
    let ticket = match existing {
        // A cancelled ticket registered again keeps its number.
        Some(t) => {
            diesel::update(job_fair_tickets::table.find(t.id))
                .set((
                    job_fair_tickets::status.eq(status),
                    job_fair_tickets::source.eq(source),
                    job_fair_tickets::registered_at.eq(now),
                ))
                .execute(conn)?;
            Ticket {
                status,
                source,
                registered_at: now,
                ..t
            }
        }
        None => insert(conn, fair.id, seeker, status, source, now)?,
    };
    record(
        conn,
        &ticket,
        if seated {
            EventKind::Registered
        } else {
            EventKind::Waitlisted
        },
        actor,
    )?;
    Ok(Some(if seated {
        Registration::Registered(ticket.id)
    } else {
        Registration::Waitlisted(ticket.id)
    }))
}

fn insert(
    conn: &mut DbConnection,
    fair: JobFairId,
    seeker: JobSeekerId,
    status: TicketStatus,
    source: Source,
    now: NaiveDateTime,
) -> QueryResult<Ticket> {
    // A clash of six random characters within the unique index is all but impossible;
    // a savepoint lets the rare one try another number. (The same resident twice cannot
    // clash here: `register` holds the fair's row first.)
    let mut tries = 0;
    loop {
        tries += 1;
        let number = new_number(fair);
        let inserted = crate::db::transaction(conn, |conn| {
            diesel::insert_into(job_fair_tickets::table)
                .values((
                    job_fair_tickets::fair_id.eq(fair),
                    job_fair_tickets::job_seeker_id.eq(seeker),
                    job_fair_tickets::number.eq(&number),
                    job_fair_tickets::status.eq(status),
                    job_fair_tickets::source.eq(source),
                    job_fair_tickets::registered_at.eq(now),
                ))
                .returning(job_fair_tickets::id)
                .get_result::<TicketId>(conn)
        });
        match inserted {
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) if tries < 5 => continue,
            Err(e) => return Err(e),
            Ok(id) => {
                return Ok(Ticket {
                    id,
                    fair_id: fair,
                    job_seeker_id: seeker,
                    number,
                    status,
                    source,
                    registered_at: now,
                    checked_in_at: None,
                    checked_in_by: None,
                });
            }
        }
    }
}

/// The resident gives the ticket back (or leaves the waiting list). A seat given back goes
/// to the one who waited longest, who is returned to be told. `None` when the ticket was
/// not open to cancelling (cancelled already, or used at the door). Called inside a
/// transaction.
pub fn cancel(
    conn: &mut DbConnection,
    ticket: &Ticket,
    actor: Option<UserId>,
) -> QueryResult<Option<Option<Ticket>>> {
    if ticket.status == TicketStatus::Cancelled || ticket.checked_in_at.is_some() {
        return Ok(None);
    }
    let changed = diesel::update(
        job_fair_tickets::table
            .find(ticket.id)
            .filter(job_fair_tickets::status.eq(ticket.status))
            .filter(job_fair_tickets::checked_in_at.is_null()),
    )
    .set(job_fair_tickets::status.eq(TicketStatus::Cancelled))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    record(conn, ticket, EventKind::Cancelled, actor)?;
    if ticket.status != TicketStatus::Registered {
        return Ok(Some(None));
    }
    model::free_seat(conn, ticket.fair_id)?;
    let next = job_fair_tickets::table
        .filter(job_fair_tickets::fair_id.eq(ticket.fair_id))
        .filter(job_fair_tickets::status.eq(TicketStatus::Waitlisted))
        .order((
            job_fair_tickets::registered_at.asc(),
            job_fair_tickets::id.asc(),
        ))
        .select(Ticket::as_select())
        .first(conn)
        .optional()?;
    let Some(next) = next else {
        return Ok(Some(None));
    };
    if !model::take_seat(conn, ticket.fair_id)? {
        return Ok(Some(None));
    }
    diesel::update(job_fair_tickets::table.find(next.id))
        .set(job_fair_tickets::status.eq(TicketStatus::Registered))
        .execute(conn)?;
    let promoted = Ticket {
        status: TicketStatus::Registered,
        ..next
    };
    record(conn, &promoted, EventKind::Promoted, None)?;
    Ok(Some(Some(promoted)))
}

/// Records the visitor at the door: once, and only for a ticket holding a seat. False
/// when the ticket was used or changed meanwhile (two doors scanning one ticket at once).
/// Called inside a transaction.
pub fn check_in(conn: &mut DbConnection, ticket: &Ticket, actor: UserId) -> QueryResult<bool> {
    let now = Utc::now().naive_utc();
    let changed = diesel::update(
        job_fair_tickets::table
            .find(ticket.id)
            .filter(job_fair_tickets::status.eq(TicketStatus::Registered))
            .filter(job_fair_tickets::checked_in_at.is_null()),
    )
    .set((
        job_fair_tickets::checked_in_at.eq(now),
        job_fair_tickets::checked_in_by.eq(actor),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    record(conn, ticket, EventKind::CheckedIn, Some(actor))?;
    Ok(true)
}

/// How many of a fair's tickets hold a seat, and how many of those came through the door.
pub fn door_counts(conn: &mut DbConnection, fair: JobFairId) -> QueryResult<(i64, i64)> {
    let held: i64 = job_fair_tickets::table
        .filter(job_fair_tickets::fair_id.eq(fair))
        .filter(job_fair_tickets::status.eq(TicketStatus::Registered))
        .count()
        .get_result(conn)?;
    let inside: i64 = job_fair_tickets::table
        .filter(job_fair_tickets::fair_id.eq(fair))
        .filter(job_fair_tickets::checked_in_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok((held, inside))
}

/// How many of a fair's tickets were made at the door.
pub fn walk_in_count(conn: &mut DbConnection, fair: JobFairId) -> QueryResult<i64> {
    job_fair_tickets::table
        .filter(job_fair_tickets::fair_id.eq(fair))
        .filter(job_fair_tickets::source.eq(Source::Door))
        .filter(job_fair_tickets::checked_in_at.is_not_null())
        .count()
        .get_result(conn)
}

/// The check-in events of a fair with the values they were recorded with, for its report.
pub fn check_ins(conn: &mut DbConnection, fair: JobFairId) -> QueryResult<Vec<CheckIn>> {
    job_fair_ticket_events::table
        .inner_join(job_fair_tickets::table)
        .filter(job_fair_tickets::fair_id.eq(fair))
        .filter(job_fair_ticket_events::kind.eq(EventKind::CheckedIn))
        .select((
            job_fair_tickets::job_seeker_id,
            job_fair_ticket_events::sex,
            job_fair_ticket_events::age_group,
            job_fair_ticket_events::education,
        ))
        .load(conn)
}

/// A visitor as the door recorded them.
pub type CheckIn = (JobSeekerId, Option<String>, Option<String>, Option<i16>);

/// A resident's tickets with their fairs, the soonest fair first.
pub fn of_seeker(conn: &mut DbConnection, seeker: JobSeekerId) -> QueryResult<Vec<(Ticket, Fair)>> {
    job_fair_tickets::table
        .inner_join(job_fairs::table)
        .filter(job_fair_tickets::job_seeker_id.eq(seeker))
        .order((job_fairs::starts_on.desc(), job_fair_tickets::id.desc()))
        .select((Ticket::as_select(), Fair::as_select()))
        .load(conn)
}

/// Where a waiting registration stands on the list: 1 for the next to get a seat.
pub fn waiting_position(conn: &mut DbConnection, ticket: &Ticket) -> QueryResult<i64> {
    let ahead: i64 = job_fair_tickets::table
        .filter(job_fair_tickets::fair_id.eq(ticket.fair_id))
        .filter(job_fair_tickets::status.eq(TicketStatus::Waitlisted))
        .filter(
            job_fair_tickets::registered_at.lt(ticket.registered_at).or(
                job_fair_tickets::registered_at
                    .eq(ticket.registered_at)
                    .and(job_fair_tickets::id.lt(ticket.id)),
            ),
        )
        .count()
        .get_result(conn)?;
    Ok(ahead + 1)
}

/// How many tickets of a fair wait for a seat.
pub fn waiting_count(conn: &mut DbConnection, fair: JobFairId) -> QueryResult<i64> {
    job_fair_tickets::table
        .filter(job_fair_tickets::fair_id.eq(fair))
        .filter(job_fair_tickets::status.eq(TicketStatus::Waitlisted))
        .count()
        .get_result(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_number_names_its_fair_and_reads_back() {
        let n = new_number(JobFairId::new(7));
        assert!(n.starts_with("BK7-"), "{n}");
        assert_eq!(fair_of_number(&n), Some(JobFairId::new(7)));
        assert_eq!(normalise_number(&format!(" {} ", n.to_lowercase())), n);
    }

    #[test]
    fn a_number_typed_at_the_door_is_read_whatever_its_case_and_spaces() {
        assert_eq!(normalise_number("bk12 - k3m9qx "), "BK12-K3M9QX");
        assert_eq!(fair_of_number("BK12-K3M9QX"), Some(JobFairId::new(12)));
        assert_eq!(fair_of_number("BK12-K3M9Q0"), None, "0 is never issued");
        assert_eq!(fair_of_number("AK12-K3M9QX"), None);
        assert_eq!(fair_of_number("BK12-K3M9"), None);
    }
}
