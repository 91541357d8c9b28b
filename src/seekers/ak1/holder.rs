//! `/pencaker/ak1`: the seeker asks for the card, follows it, reports every six months and
//! prints it.

use crate::domain::ids::{Ak1CardId, UserId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use super::model::{self, Refusal, Step, StepError};
use super::view::{self, CardView};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::seekers::{forms, model as profiles};
use crate::web::auth::{JobSeeker, Require};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::steps::StepState;
use crate::web::{AppError, AppState, PageCtx};

/// What the card pages need about a seeker: the profile, what it still lacks, the cards.
pub struct Holder {
    pub profile: Option<profiles::Profile>,
    pub full_name: String,
    pub email: Option<crate::domain::Email>,
    pub phone: Option<crate::domain::Phone>,
    pub missing: Vec<&'static str>,
    pub cards: Vec<model::Card>,
    pub events: Vec<model::Event>,
}

impl Holder {
    pub fn load(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Self> {
        let profile = profiles::find_by_user(conn, user_id)?;
        let crate::accounts::directory::Contact {
            full_name,
            email,
            phone,
            ..
        } = crate::accounts::directory::contact(conn, user_id)?;
        let cards = match &profile {
            Some(p) => model::cards_of(conn, p.id)?,
            None => Vec::new(),
        };
        let ids: Vec<Ak1CardId> = cards.iter().map(|c| c.id).collect();
        let events = model::events_of(conn, &ids)?;
        Ok(Self {
            missing: forms::missing(profile.as_ref(), phone.as_deref()),
            profile,
            full_name,
            email,
            phone,
            cards,
            events,
        })
    }

    /// The card asked for or on the register, if any.
    pub fn open_card(&self) -> Option<&model::Card> {
        self.cards.iter().find(|c| c.status().is_open())
    }
}

#[derive(Template)]
#[template(path = "seekers/ak1.html")]
struct CardPage {
    ctx: PageCtx,
    missing: Vec<&'static str>,
    /// The open card, or else the latest one.
    current: Option<CardView>,
    earlier: Vec<CardView>,
    can_ask: bool,
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let holder = state
        .db(move |conn| Ok(Holder::load(conn, user_id)?))
        .await?;
    let today = crate::domain::calendar::today();
    let mut cards = view::cards(&holder.cards, &holder.events, ctx.lang, today);
    let current = (!cards.is_empty()).then(|| cards.remove(0));
    let can_ask = holder.missing.is_empty() && holder.open_card().is_none();
    let page = CardPage {
        missing: holder.missing,
        current,
        earlier: cards,
        can_ask,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// The message for a refused step, as a flash on the card page.
pub fn flash_refusal(session: &Session, refusal: Refusal) {
    session::flash(session, FlashLevel::Error, refusal.message_key());
}

enum Asked {
    Done,
    Incomplete,
    Refused(Refusal),
}

pub async fn ask(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;

    let today = crate::domain::calendar::today();
    let asked = state
        .db(move |conn| {
            let holder = Holder::load(conn, user_id)?;
            let Some(profile) = holder.profile.filter(|_| holder.missing.is_empty()) else {
                return Ok(Asked::Incomplete);
            };
            let step = Step {
                on: today,
                actor: None,
                note: None,
            };
            match model::request(conn, profile.id, step) {
                Ok(card_id) => {
                    audit::record(
                        conn,
                        Entry::new(actions::AK1_REQUESTED)
                            .actor(user_id)
                            .subject("ak1_card", card_id)
                            .client(&meta),
                    )?;
                    Ok(Asked::Done)
                }
                Err(StepError::Refused(r)) => Ok(Asked::Refused(r)),
                Err(StepError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match asked {
        Asked::Done => session::flash(&session, FlashLevel::Success, "ak1.requested"),
        Asked::Incomplete => session::flash(&session, FlashLevel::Error, "ak1.error.incomplete"),
        Asked::Refused(r) => flash_refusal(&session, r),
    }
    Ok(redirect("/pencaker/ak1"))
}

/// Runs a step on the seeker's open card and goes back to the card page with its outcome.
async fn on_open_card(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    user_id: UserId,
    action: &'static str,
    success_key: &'static str,
    step_fn: fn(&mut DbConnection, Ak1CardId, Step) -> Result<(), StepError>,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);

    let today = crate::domain::calendar::today();
    let outcome = state
        .db(move |conn| {
            let holder = Holder::load(conn, user_id)?;
            let Some(card) = holder.open_card() else {
                return Ok(Err(Refusal::WrongState));
            };
            let card_id = card.id;
            let step = Step {
                on: today,
                actor: None,
                note: None,
            };
            crate::db::transaction(conn, |conn| match step_fn(conn, card_id, step) {
                Ok(()) => {
                    audit::record(
                        conn,
                        Entry::new(action)
                            .actor(user_id)
                            .subject("ak1_card", card_id)
                            .client(&meta),
                    )?;
                    Ok(Ok(()))
                }
                Err(StepError::Refused(r)) => Ok(Err(r)),
                Err(StepError::Db(e)) => Err(AppError::from(e)),
            })
        })
        .await?;
    match outcome {
        Ok(()) => session::flash(&session, FlashLevel::Success, success_key),
        Err(r) => flash_refusal(&session, r),
    }
    Ok(redirect("/pencaker/ak1"))
}

pub async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    on_open_card(
        req,
        state,
        session,
        seeker.user.id,
        actions::AK1_REPORTED,
        "ak1.reported",
        model::report,
    )
    .await
}

/// The seeker withdraws a request not yet decided. An active card is taken off the
/// register only at the counter, where the reason is recorded.
pub async fn cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    on_open_card(
        req,
        state,
        session,
        seeker.user.id,
        actions::AK1_WITHDRAWN,
        "ak1.cancelled",
        |conn, card_id, step| {
            let card = model::find(conn, card_id)?.ok_or(Refusal::WrongState)?;
            if !matches!(card.status(), model::Status::Requested) {
                return Err(Refusal::WrongState.into());
            }
            model::withdraw(conn, card_id, step)
        },
    )
    .await
}
