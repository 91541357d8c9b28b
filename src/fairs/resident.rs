//! A resident's side of the fairs: registering from the fair's page, the tickets they hold
//! (`/pencaker/bursa-kerja`), each ticket with its QR code for the door, and giving one back.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::model::{self, Fair};
use super::staff::dates;
use super::tickets::{self, Registration, Source, Ticket, TicketStatus};
use crate::audit::{self, Entry, actions};
use crate::domain::ids::{JobFairId, JobSeekerId, TicketId};
use crate::web::auth::{JobSeeker, Require};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

/// The resident's profile, if they have begun one.
fn seeker_of(
    conn: &mut crate::db::DbConnection,
    user: &Require<JobSeeker>,
) -> Result<Option<JobSeekerId>, AppError> {
    Ok(crate::seekers::find_by_user(conn, user.user.id)?.map(|p| p.id))
}

pub async fn register(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    user: Require<JobSeeker>,
    fair: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let fair_id = fair.into_inner();
    let actor = user.user.id;
    let today = crate::domain::calendar::today();
    let outcome = state
        .db(move |conn| {
            let fair = model::find(conn, fair_id)?
                .filter(Fair::is_published)
                .ok_or(AppError::NotFound)?;
            Ok(crate::db::transaction(conn, |conn| {
                // A ticket hangs on the profile; a resident who has not begun one gets an
                // empty one, as adding a row of their history would.
                let seeker = crate::seekers::history::ensure_profile(conn, actor)?;
                let outcome =
                    tickets::register(conn, &fair, seeker, Source::Online, Some(actor), today)?
                        .unwrap_or(Registration::Closed);
                if let Registration::Registered(t) | Registration::Waitlisted(t) = outcome {
                    audit::record(
                        conn,
                        Entry::new(actions::TICKET_REGISTERED)
                            .actor(actor)
                            .subject("job_fair_ticket", t)
                            .detail(serde_json::json!({ "fair": fair.id }))
                            .client(&meta),
                    )?;
                }
                Ok::<_, diesel::result::Error>(outcome)
            })?)
        })
        .await?;
    let (level, key, to) = match outcome {
        Registration::Registered(t) => (FlashLevel::Success, "ticket.registered", Some(t)),
        Registration::Waitlisted(t) => (FlashLevel::Info, "ticket.waitlisted", Some(t)),
        Registration::Already(t) => (FlashLevel::Info, "ticket.already", Some(t)),
        Registration::Closed => (FlashLevel::Error, "ticket.error.closed", None),
    };
    session::flash(&session, level, key);
    Ok(redirect(&match to {
        Some(t) => format!("/pencaker/bursa-kerja/{t}"),
        None => format!("/bursa-kerja/{fair_id}"),
    }))
}

pub struct Held {
    pub ticket: Ticket,
    pub fair: Fair,
    pub dates: String,
}

#[derive(Template)]
#[template(path = "fairs/mine.html")]
struct MinePage {
    ctx: PageCtx,
    held: Vec<Held>,
}

pub async fn mine(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(move |conn| {
            Ok(match seeker_of(conn, &user)? {
                Some(seeker) => tickets::of_seeker(conn, seeker)?,
                None => Vec::new(),
            })
        })
        .await?;
    let lang = ctx.lang;
    render(
        &MinePage {
            held: rows
                .into_iter()
                .map(|(ticket, fair)| Held {
                    dates: dates(lang, &fair),
                    ticket,
                    fair,
                })
                .collect(),
            ctx,
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "fairs/ticket.html")]
struct TicketPage {
    ctx: PageCtx,
    ticket: Ticket,
    fair: Fair,
    dates: String,
    holder: String,
    qr_svg: String,
    /// Where a waiting registration stands on the list.
    position: Option<i64>,
    may_cancel: bool,
}

fn own_ticket(
    conn: &mut crate::db::DbConnection,
    user: &Require<JobSeeker>,
    id: TicketId,
) -> Result<Ticket, AppError> {
    let seeker = seeker_of(conn, user)?;
    // Another resident's ticket is not found, rather than forbidden: its existence is theirs.
    tickets::find(conn, id)?
        .filter(|t| Some(t.job_seeker_id) == seeker)
        .ok_or(AppError::NotFound)
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<JobSeeker>,
    id: web::Path<TicketId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let holder = user.user.full_name.clone();
    let (ticket, fair, position) = state
        .db(move |conn| {
            let ticket = own_ticket(conn, &user, id)?;
            let fair = model::find(conn, ticket.fair_id)?.ok_or(AppError::NotFound)?;
            let position = match ticket.status {
                TicketStatus::Waitlisted => Some(tickets::waiting_position(conn, &ticket)?),
                _ => None,
            };
            Ok((ticket, fair, position))
        })
        .await?;
    let today = crate::domain::calendar::today();
    render(
        &TicketPage {
            dates: dates(ctx.lang, &fair),
            qr_svg: match ticket.status {
                TicketStatus::Registered => crate::seekers::ak1::print::qr_svg(&ticket.number),
                _ => String::new(),
            },
            may_cancel: ticket.status != TicketStatus::Cancelled
                && ticket.checked_in_at.is_none()
                && !fair.is_over(today),
            holder,
            position,
            ticket,
            fair,
            ctx,
        },
        StatusCode::OK,
    )
}

pub async fn cancel(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    user: Require<JobSeeker>,
    id: web::Path<TicketId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = user.user.id;
    let base_url = state.settings.base_url.clone();
    let done = state
        .db(move |conn| {
            let ticket = own_ticket(conn, &user, id)?;
            let fair = model::find(conn, ticket.fair_id)?.ok_or(AppError::NotFound)?;
            if fair.is_over(crate::domain::calendar::today()) {
                return Ok(false);
            }
            Ok(crate::db::transaction(conn, |conn| {
                let Some(promoted) = tickets::cancel(conn, &ticket, Some(actor))? else {
                    return Ok::<_, diesel::result::Error>(false);
                };
                audit::record(
                    conn,
                    Entry::new(actions::TICKET_CANCELLED)
                        .actor(actor)
                        .subject("job_fair_ticket", ticket.id)
                        .client(&meta),
                )?;
                if let Some(promoted) = promoted {
                    super::news::seat_given(conn, &fair, &promoted, &base_url)?;
                }
                Ok(true)
            })?)
        })
        .await?;
    if done {
        session::flash(&session, FlashLevel::Success, "ticket.cancelled");
    } else {
        session::flash(&session, FlashLevel::Error, "ticket.error.not_cancellable");
    }
    Ok(redirect(&format!("/pencaker/bursa-kerja/{id}")))
}
