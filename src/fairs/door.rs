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
use crate::domain::{Nik, Phone};
use crate::reference::education::EducationLevel;
use crate::seekers::counter::walk_in::WalkIn;
use crate::web::auth::{FairStaff, Require};
use crate::web::forms::{FieldErrors, check_full_name, parsed};
use crate::web::respond::{RequestMeta, render};
use crate::web::{AppError, AppState, Lang, PageCtx};

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
    /// The walk-in form as typed, and its errors.
    walk_in: WalkInForm,
    walk_errors: FieldErrors,
    educations: Vec<(String, &'static str)>,
}

fn open_today(fair: &Fair) -> bool {
    let today = crate::domain::calendar::today();
    fair.is_published() && fair.starts_on <= today && today <= fair.ends_on
}

/// What the page shows besides the fair: the last outcome and the forms as typed.
struct Shown {
    outcome: Option<Outcome>,
    typed: String,
    walk_in: WalkInForm,
    walk_errors: FieldErrors,
}

impl Shown {
    fn empty() -> Self {
        Self {
            outcome: None,
            typed: String::new(),
            walk_in: WalkInForm::default(),
            walk_errors: FieldErrors::default(),
        }
    }
}

async fn page(
    ctx: PageCtx,
    state: &AppState,
    id: JobFairId,
    shown: Shown,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (fair, (held, inside)) = state
        .db(move |conn| {
            let fair = model::find(conn, id)?.ok_or(AppError::NotFound)?;
            Ok((fair, tickets::door_counts(conn, id)?))
        })
        .await?;
    let mut errors = FieldErrors::default();
    if matches!(shown.outcome, Some(Outcome::Refused(_))) && shown.walk_errors.is_empty() {
        // The message itself is the outcome panel's; the field is marked for the reader.
        errors.add("number", "door.error.see_above");
    }
    let lang = ctx.lang;
    let mut res = render(
        &DoorPage {
            dates: dates(lang, &fair),
            open_today: open_today(&fair),
            ctx,
            fair,
            held,
            inside,
            outcome: shown.outcome,
            typed: shown.typed,
            errors,
            walk_in: shown.walk_in,
            walk_errors: shown.walk_errors,
            educations: EducationLevel::ALL
                .iter()
                .map(|e| {
                    (
                        e.code().to_string(),
                        match lang {
                            Lang::Id => e.name_id(),
                            Lang::En => e.name_en(),
                        },
                    )
                })
                .collect(),
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
    page(ctx, &state, id.into_inner(), Shown::empty(), StatusCode::OK).await
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
    /// Every seat is taken: nobody more comes in without a ticket.
    Full,
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
    let (outcome, typed, status) = match result {
        Ok(name) => (Outcome::In { name, number }, String::new(), StatusCode::OK),
        Err(refusal) => {
            let (message, status) = refused(&ctx, refusal, &number);
            (Outcome::Refused(message), typed, status)
        }
    };
    let shown = Shown {
        outcome: Some(outcome),
        typed,
        ..Shown::empty()
    };
    page(ctx, &state, fair_id, shown, status).await
}

/// The message and status of a refusal at the door.
fn refused(ctx: &PageCtx, refusal: Refusal, number: &str) -> (String, StatusCode) {
    let status = match refusal {
        Refusal::Used(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let message = match refusal {
        Refusal::Unknown => ctx.tf("door.error.unknown", &[("number", number)]),
        Refusal::OtherFair(name) => ctx.tf("door.error.other_fair", &[("fair", &name)]),
        Refusal::Used(at) => ctx.tf(
            "door.error.used",
            &[("time", &crate::web::format::day_time(ctx.lang, at))],
        ),
        Refusal::Waiting => ctx.t("door.error.waiting").into_owned(),
        Refusal::Cancelled => ctx.t("door.error.cancelled").into_owned(),
        Refusal::Closed => ctx.t("door.error.closed").into_owned(),
        Refusal::Full => ctx.t("door.error.full").into_owned(),
    };
    (message, status)
}

/// The walk-in form: the NIK always; the rest only for a NIK the portal does not know.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WalkInForm {
    pub nik: String,
    pub full_name: String,
    pub birth_date: String,
    pub phone: String,
    pub education_level: String,
    /// The visitor read the privacy notice and agreed, at the door.
    pub consent: Option<String>,
}

/// Checks what the walk-in of an unknown NIK needs.
fn check_new(f: &WalkInForm, nik: &Nik, errors: &mut FieldErrors) -> Option<WalkIn> {
    let full_name = check_full_name(errors, &f.full_name);
    let birth_date = chrono::NaiveDate::parse_from_str(f.birth_date.trim(), "%Y-%m-%d").ok();
    match birth_date {
        None => errors.add("birth_date", "door.walk_in.error.birth_date"),
        Some(d) if !nik.agrees_with(d, nik.sex()) => {
            errors.add("birth_date", "door.walk_in.error.birth_date_nik")
        }
        Some(_) => {}
    }
    let phone = parsed(
        errors,
        "phone",
        "signup.error.phone",
        Phone::parse(&f.phone),
    );
    let education = f
        .education_level
        .trim()
        .parse::<i16>()
        .ok()
        .and_then(EducationLevel::from_code);
    if education.is_none() {
        errors.add("education_level", "door.walk_in.error.education");
    }
    if f.consent.is_none() {
        errors.add("consent", "counter.error.consent");
    }
    if !errors.is_empty() {
        return None;
    }
    Some(WalkIn {
        full_name,
        phone: phone?,
        nik: nik.clone(),
        birth_date: birth_date?,
        education_level: education?.code(),
    })
}

/// What became of a walk-in.
enum Walked {
    In(String, String),
    Refused(Refusal),
    /// The NIK is new and the rest of the form is missing or wrong.
    Form(FieldErrors),
}

/// Rolls the walk-in's transaction back with what to tell the operator.
enum Undo {
    Because(Walked),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for Undo {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e)
    }
}

pub async fn walk_in(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<FairStaff>,
    id: web::Path<JobFairId>,
    form: web::Form<WalkInForm>,
) -> Result<HttpResponse, AppError> {
    let fair_id = id.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let nik = parsed(
        &mut errors,
        "nik",
        "door.walk_in.error.nik",
        Nik::parse(&form.nik),
    );
    let Some(nik) = nik else {
        let shown = Shown {
            walk_in: form,
            walk_errors: errors,
            ..Shown::empty()
        };
        return page(
            ctx,
            &state,
            fair_id,
            shown,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = user.user.id;
    let checked = form.clone();
    let today = crate::domain::calendar::today();
    let walked = state
        .db(move |conn| {
            let fair = model::find(conn, fair_id)?.ok_or(AppError::NotFound)?;
            if !open_today(&fair) {
                return Ok(Walked::Refused(Refusal::Closed));
            }
            let known = crate::seekers::counter::walk_in::known(conn, &nik)?;
            let new = match known {
                Some(_) => None,
                None => {
                    let mut errors = FieldErrors::default();
                    match check_new(&checked, &nik, &mut errors) {
                        Some(w) => Some(w),
                        None => return Ok(Walked::Form(errors)),
                    }
                }
            };
            // Any refusal undoes everything, the walk-in's new account included.
            let outcome = crate::db::transaction(conn, |conn| {
                let seeker = match (known, &new) {
                    (Some(s), _) => s,
                    (None, Some(w)) => {
                        match crate::seekers::counter::walk_in::register(conn, w, actor, &meta)? {
                            Ok(s) => s,
                            Err((field, key)) => {
                                let mut errors = FieldErrors::default();
                                errors.add(field, key);
                                return Err(Undo::Because(Walked::Form(errors)));
                            }
                        }
                    }
                    (None, None) => return Err(diesel::result::Error::NotFound.into()),
                };
                let ticket = match tickets::of_seeker_at(conn, fair_id, seeker)? {
                    Some(t) if t.status == TicketStatus::Registered => t,
                    _ => match tickets::register(
                        conn,
                        &fair,
                        seeker,
                        tickets::Source::Door,
                        Some(actor),
                        today,
                    )? {
                        Some(tickets::Registration::Registered(t)) => {
                            tickets::find(conn, t)?.ok_or(diesel::result::Error::NotFound)?
                        }
                        Some(tickets::Registration::Already(t)) => {
                            let t =
                                tickets::find(conn, t)?.ok_or(diesel::result::Error::NotFound)?;
                            return Err(Undo::Because(Walked::Refused(match t.status {
                                TicketStatus::Waitlisted => Refusal::Waiting,
                                _ => Refusal::Cancelled,
                            })));
                        }
                        Some(_) => return Err(Undo::Because(Walked::Refused(Refusal::Closed))),
                        None => return Err(Undo::Because(Walked::Refused(Refusal::Full))),
                    },
                };
                if let Some(at) = ticket.checked_in_at {
                    return Err(Undo::Because(Walked::Refused(Refusal::Used(at))));
                }
                if !tickets::check_in(conn, &ticket, actor)? {
                    return Err(Undo::Because(Walked::Refused(Refusal::Cancelled)));
                }
                let name = crate::seekers::person(conn, seeker)?.contact.full_name;
                Ok(Walked::In(name, ticket.number))
            });
            let outcome = match outcome {
                Ok(w) | Err(Undo::Because(w)) => w,
                Err(Undo::Db(e)) => return Err(e.into()),
            };
            Ok(outcome)
        })
        .await?;
    let (shown, status) = match walked {
        Walked::In(name, number) => (
            Shown {
                outcome: Some(Outcome::In { name, number }),
                ..Shown::empty()
            },
            StatusCode::OK,
        ),
        Walked::Refused(refusal) => {
            let (message, status) = refused(&ctx, refusal, "");
            (
                Shown {
                    outcome: Some(Outcome::Refused(message)),
                    walk_in: form,
                    // Marks the NIK field, so the page knows the refusal is the walk-in's.
                    walk_errors: {
                        let mut e = FieldErrors::default();
                        e.add("nik", "door.error.see_above");
                        e
                    },
                    ..Shown::empty()
                },
                status,
            )
        }
        Walked::Form(errors) => (
            Shown {
                walk_in: form,
                walk_errors: errors,
                ..Shown::empty()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    page(ctx, &state, fair_id, shown, status).await
}
