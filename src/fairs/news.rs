//! The mail a fair sends: to a company when its booth is decided, and to a resident when a
//! seat freed up for them. Queued in the same transaction as the change it tells of.

use diesel::QueryResult;

use super::booths::Booth;
use super::model::Fair;
use super::tickets::Ticket;
use crate::db::DbConnection;
use crate::mail::{MailKind, text};

pub fn booth_decided(
    conn: &mut DbConnection,
    fair: &Fair,
    booth: &Booth,
    decision: Result<&str, &str>,
    base_url: &str,
) -> QueryResult<()> {
    let Some(user) = booth.applied_by else {
        return Ok(());
    };
    let contact = crate::accounts::directory::contact(conn, user)?;
    let Some(email) = contact.email else {
        return Ok(());
    };
    let lang = contact.locale;
    let name = text::title(&fair.name, text::TITLE_MAX);
    let outcome = match decision {
        Ok(stand) => lang.tf(
            "mail.booth.approved",
            &[("stand", &text::line(stand, text::NAME_MAX))],
        ),
        Err(reason) => lang.tf(
            "mail.booth.rejected",
            &[("reason", &text::quoted(reason, text::NOTE_MAX))],
        ),
    };
    let body = lang.tf(
        "mail.booth.body",
        &[
            ("name", &text::name(&contact.full_name)),
            ("fair", &name),
            ("outcome", &outcome),
            ("link", &format!("{base_url}/perusahaan/bursa-kerja")),
        ],
    );
    crate::mail::enqueue(
        conn,
        MailKind::FairNews,
        email.as_str(),
        &lang.tf("mail.booth.subject", &[("fair", &name)]),
        &text::with_warning(lang, &body),
    )
}

/// A seat freed up and went to this ticket, which waited for it.
pub fn seat_given(
    conn: &mut DbConnection,
    fair: &Fair,
    ticket: &Ticket,
    base_url: &str,
) -> QueryResult<()> {
    let contact = crate::seekers::person(conn, ticket.job_seeker_id)?.contact;
    // A resident registered at the counter without an address sees it on the portal.
    let Some(email) = contact.email else {
        return Ok(());
    };
    let lang = contact.locale;
    let name = text::title(&fair.name, text::TITLE_MAX);
    let body = lang.tf(
        "mail.ticket.promoted.body",
        &[
            ("name", &text::name(&contact.full_name)),
            ("fair", &name),
            (
                "link",
                &format!("{base_url}/pencaker/bursa-kerja/{}", ticket.id),
            ),
        ],
    );
    crate::mail::enqueue(
        conn,
        MailKind::FairNews,
        email.as_str(),
        &lang.tf("mail.ticket.promoted.subject", &[("fair", &name)]),
        &text::with_warning(lang, &body),
    )
}
