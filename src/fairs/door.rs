//! The fair's door (`/petugas/bursa-kerja/{id}/pintu`): an operator checks a visitor in by
//! scanning the ticket's QR code with the phone's camera or typing its number. Each
//! refusal says why: a number that is no ticket, a ticket for another fair, one used
//! already (and when), one given back or still waiting, a fair not open today.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::model::{self, Fair};
use super::staff::dates;
use super::tickets::{self, TicketStatus};
use crate::domain::ids::JobFairId;
use crate::web::auth::{FairStaff, Require};
use crate::web::forms::FieldErrors;
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx};

/// What the door just did, shown above the form.
pub enum Outcome {
    /// Checked in: the visitor's name, to compare with the KTP.
    In {
        name: String,
        number: String,
    },
    Refused(String),
}

#[derive(Template)]
#[template(path = "fairs/door.html")]
struct DoorPage {
    ctx: PageCtx,
    fair: Fair,
    dates: String,
    open_today: bool,
    held: i64,
    inside: i64,
    outcome: Option<Outcome>,
    /// The number as typed, kept after a refusal.
    typed: String,
    errors: FieldErrors,
}

fn open_today(fair: &Fair) -> bool {
    let today = crate::domain::calendar::today();
    fair.is_published() && fair.starts_on <= today && today <= fair.ends_on
}

async fn page(
    ctx: PageCtx,
    state: &AppState,
    id: JobFairId,
    outcome: Option<Outcome>,
    typed: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (fair, (held, inside)) = state
        .db(move |conn| {
            let fair = model::find(conn, id)?.ok_or(AppError::NotFound)?;
            Ok((fair, tickets::door_counts(conn, id)?))
        })
        .await?;
    let mut errors = FieldErrors::default();
    if matches!(outcome, Some(Outcome::Refused(_))) {
        // The message itself is the outcome panel's; the field is marked for the reader.
        errors.add("number", "door.error.see_above");
    }
    let mut res = render(
        &DoorPage {
            dates: dates(ctx.lang, &fair),
            open_today: open_today(&fair),
            ctx,
            fair,
            held,
            inside,
            outcome,
            typed,
            errors,
        },
        status,
    )?;
    crate::web::headers::allow_camera(&mut res);
    Ok(res)
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _user: Require<FairStaff>,
    id: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    page(
        ctx,
        &state,
        id.into_inner(),
        None,
        String::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NumberForm {
    number: String,
}

/// Why a number did not let its holder in, with what the message needs.
enum Refusal {
    Unknown,
    OtherFair(String),
    Used(NaiveDateTime),
    Waiting,
    Cancelled,
    Closed,
}

pub async fn check_in(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<FairStaff>,
    id: web::Path<JobFairId>,
    form: web::Form<NumberForm>,
) -> Result<HttpResponse, AppError> {
    let fair_id = id.into_inner();
    let typed = form.into_inner().number;
    let number = tickets::normalise_number(&typed);
    let actor = user.user.id;
    let looked = number.clone();
    let result = state
        .db(move |conn| {
            let fair = model::find(conn, fair_id)?.ok_or(AppError::NotFound)?;
            if !open_today(&fair) {
                return Ok(Err(Refusal::Closed));
            }
            let Some(ticket) = tickets::find_by_number(conn, &looked)? else {
                return Ok(Err(Refusal::Unknown));
            };
            if ticket.fair_id != fair_id {
                let other = model::find(conn, ticket.fair_id)?
                    .map(|f| f.name)
                    .unwrap_or_default();
                return Ok(Err(Refusal::OtherFair(other)));
            }
            let done =
                crate::db::transaction(conn, |conn| tickets::check_in(conn, &ticket, actor))?;
            if !done {
                // Read again: a second door may have just let the same ticket in.
                let now = tickets::find(conn, ticket.id)?.ok_or(AppError::NotFound)?;
                return Ok(Err(match (now.checked_in_at, now.status) {
                    (Some(at), _) => Refusal::Used(at),
                    (None, TicketStatus::Waitlisted) => Refusal::Waiting,
                    (None, _) => Refusal::Cancelled,
                }));
            }
            let name = crate::seekers::person(conn, ticket.job_seeker_id)?
                .contact
                .full_name;
            Ok(Ok(name))
        })
        .await?;
    let lang = ctx.lang;
    let (outcome, typed, status) = match result {
        Ok(name) => (Outcome::In { name, number }, String::new(), StatusCode::OK),
        Err(refusal) => {
            let status = match refusal {
                Refusal::Used(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let message = match refusal {
                Refusal::Unknown => ctx.tf("door.error.unknown", &[("number", &number)]),
                Refusal::OtherFair(name) => ctx.tf("door.error.other_fair", &[("fair", &name)]),
                Refusal::Used(at) => ctx.tf(
                    "door.error.used",
                    &[("time", &crate::web::format::day_time(lang, at))],
                ),
                Refusal::Waiting => ctx.t("door.error.waiting").into_owned(),
                Refusal::Cancelled => ctx.t("door.error.cancelled").into_owned(),
                Refusal::Closed => ctx.t("door.error.closed").into_owned(),
            };
            (Outcome::Refused(message), typed, status)
        }
    };
    page(ctx, &state, fair_id, Some(outcome), typed, status).await
}
