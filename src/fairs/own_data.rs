//! The fairs' part of a person's own data: their tickets with each move. Erasure gives back
//! the tickets to fairs still to come (a freed seat goes to the next one waiting); the
//! tickets of fairs held stay, as the profile they hang on is anonymised, because the
//! fairs' reports count them.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{Value, json};

use super::tickets::{self, Ticket, TicketStatus};
use crate::db::DbConnection;
use crate::personal_data::Subject;
use crate::schema::job_fair_ticket_events;

pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let Some(seeker) = subject.seeker else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (t, fair) in tickets::of_seeker(conn, seeker)? {
        let events: Vec<(String, chrono::NaiveDateTime)> = job_fair_ticket_events::table
            .filter(job_fair_ticket_events::ticket_id.eq(t.id))
            .order(job_fair_ticket_events::id)
            .select((
                job_fair_ticket_events::kind,
                job_fair_ticket_events::occurred_at,
            ))
            .load(conn)?;
        out.push(json!({
            "fair": fair.name,
            "fair_dates": [fair.starts_on, fair.ends_on],
            "number": t.number,
            "status": t.status.as_str(),
            "made": t.source.as_str(),
            "registered_at": t.registered_at,
            "checked_in_at": t.checked_in_at,
            "history": events
                .into_iter()
                .map(|(kind, at)| json!({ "event": kind, "at": at }))
                .collect::<Vec<_>>(),
        }));
    }
    Ok(vec![("job_fair_tickets", Value::Array(out))])
}

pub fn anonymise_for(
    conn: &mut DbConnection,
    subject: &Subject,
    today: NaiveDate,
) -> QueryResult<()> {
    let Some(seeker) = subject.seeker else {
        return Ok(());
    };
    let open: Vec<Ticket> = tickets::of_seeker(conn, seeker)?
        .into_iter()
        .filter(|(t, fair)| t.status != TicketStatus::Cancelled && !fair.is_over(today))
        .map(|(t, _)| t)
        .collect();
    for t in open {
        // The resident who gets the seat is not mailed from inside an erasure: their
        // ticket page shows it, as it does for a resident without an address.
        tickets::cancel(conn, &t, None)?;
    }
    Ok(())
}
