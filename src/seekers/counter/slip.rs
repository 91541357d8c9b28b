//! The slip the counter prints for a resident: the card's number and dates, the next report
//! and how to reach the office. For a resident without an e-mail address it stands in for
//! the mail they cannot get (the report reminders); anyone may take one home.

use crate::domain::ids::UserId;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::audit::{self, Entry, actions};
use crate::seekers::ak1::holder::Holder;
use crate::seekers::ak1::view::CardView;
use crate::seekers::profile::Owner;
use crate::web::auth::{CounterStaff, Require};
use crate::web::respond::{RequestMeta, render};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Template)]
#[template(path = "seekers/counter_slip.html")]
struct SlipPage {
    ctx: PageCtx,
    seeker_page: String,
    full_name: String,
    /// Masked: a slip can be lost, and the number on it is enough to find the resident.
    nik: String,
    phone: String,
    has_email: bool,
    /// The open card, if any.
    card: Option<CardView>,
    missing: Vec<&'static str>,
    printed_on: String,
}

pub async fn show(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;
    let (user_id, staff_id) = (owner.user_id, staff.user.id);
    let holder = state
        .db(move |conn| {
            let holder = Holder::load(conn, user_id)?;
            audit::record(
                conn,
                Entry::new(actions::SEEKER_PROFILE_VIEWED)
                    .actor(staff_id)
                    .subject("user", user_id)
                    .client(&meta),
            )?;
            Ok(holder)
        })
        .await?;
    let today = crate::domain::calendar::today();
    let card = holder
        .open_card()
        .map(|c| CardView::new(c, &holder.events, ctx.lang, today));
    let nik = holder.profile.as_ref().and_then(|p| p.nik.as_ref());
    let nik = super::find::masked(nik.map(|n| n.as_str()));
    let page = SlipPage {
        seeker_page: super::seeker_path(user_id),
        full_name: holder.full_name,
        nik,
        phone: holder
            .phone
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| "–".into()),
        has_email: holder.email.is_some(),
        card,
        missing: holder.missing,
        printed_on: crate::web::format::date(ctx.lang, today),
        ctx,
    };
    render(&page, StatusCode::OK)
}
