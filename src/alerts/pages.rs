//! The seeker's alerts (`/pencaker/peringatan`): saved from any search, listed, deleted;
//! and the unsubscribe page an e-mail links to, which needs no login.

use crate::domain::ids::JobAlertId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::model::{self, Frequency};
use crate::web::auth::{JobSeeker, Require};
use crate::web::format::day;
use crate::web::respond::{redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Deserialize, Default)]
pub struct NewAlert {
    #[serde(default)]
    kueri: String,
    #[serde(default)]
    frekuensi: String,
}

pub struct AlertView {
    pub id: JobAlertId,
    pub label: String,
    pub frequency_key: &'static str,
    pub since: String,
    pub last_sent: Option<String>,
    pub search_link: String,
}

#[derive(Template)]
#[template(path = "alerts/list.html")]
struct ListPage {
    ctx: PageCtx,
    alerts: Vec<AlertView>,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let alerts = state
        .db(
            move |conn| match crate::seekers::find_by_user(conn, user_id)? {
                Some(p) => Ok(model::of_seeker(conn, p.id)?),
                None => Ok(Vec::new()),
            },
        )
        .await?;
    let lang = ctx.lang;
    let alerts = alerts
        .into_iter()
        .map(|a| AlertView {
            id: a.id,
            label: model::describe(&a.search(), lang),
            frequency_key: a.frequency().label_key(),
            since: day(lang, a.created_at),
            last_sent: a.last_sent_at.map(|t| day(lang, t)),
            search_link: if a.query.is_empty() {
                "/lowongan".into()
            } else {
                format!("/lowongan?{}", a.query)
            },
        })
        .collect();
    render(&ListPage { ctx, alerts }, StatusCode::OK)
}

/// Saved from the search page's form; any mistake goes back there with its message.
pub async fn create(
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    form: web::Form<NewAlert>,
) -> Result<HttpResponse, AppError> {
    let query = model::normalise(&form.kueri);
    let back = if query.is_empty() {
        "/lowongan".to_owned()
    } else {
        format!("/lowongan?{query}")
    };
    // A digest to an address nobody confirmed could be mail to a stranger.
    if !seeker.user.email_verified {
        session::flash(&session, FlashLevel::Error, "alert.error.unverified");
        return Ok(redirect(&back));
    }
    let Some(frequency) = Frequency::parse(&form.frekuensi) else {
        session::flash(&session, FlashLevel::Error, "alert.error.frequency");
        return Ok(redirect(&back));
    };
    let user_id = seeker.user.id;
    let refusal = state
        .db(move |conn| {
            let seeker_id = crate::seekers::history::ensure_profile(conn, user_id)?;
            if let Some(r) = model::check_new(conn, seeker_id, &query)? {
                return Ok(Some(r));
            }
            model::create(conn, seeker_id, &query, frequency)?;
            Ok(None)
        })
        .await?;
    match refusal {
        Some(r) => {
            session::flash(&session, FlashLevel::Error, r.message_key());
            Ok(redirect(&back))
        }
        None => {
            session::flash(&session, FlashLevel::Success, "alert.saved");
            Ok(redirect("/pencaker/peringatan"))
        }
    }
}

pub async fn remove(
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    id: web::Path<JobAlertId>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let id = id.into_inner();
    state
        .db(move |conn| {
            let profile = crate::seekers::find_by_user(conn, user_id)?.ok_or(AppError::NotFound)?;
            // Another seeker's alert is simply not found.
            if !model::of_seeker(conn, profile.id)?
                .iter()
                .any(|a| a.id == id)
            {
                return Err(AppError::NotFound);
            }
            model::stop(conn, id)?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "alert.deleted");
    Ok(redirect("/pencaker/peringatan"))
}

#[derive(Template)]
#[template(path = "alerts/unsubscribe.html")]
struct UnsubscribePage {
    ctx: PageCtx,
    token: String,
    label: String,
    stopped: bool,
}

async fn load_by_token(state: &AppState, token: String) -> Result<model::Alert, AppError> {
    // Tokens are URL-safe random strings; anything else cannot be one.
    if token.len() > 100
        || !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::NotFound);
    }
    state
        .db(move |conn| model::find_by_token(conn, &token)?.ok_or(AppError::NotFound))
        .await
}

/// A page with a button rather than a stop on GET: mail scanners open links, people press
/// buttons.
pub async fn confirm(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let alert = load_by_token(&state, token.clone()).await?;
    let page = UnsubscribePage {
        label: model::describe(&alert.search(), ctx.lang),
        stopped: alert.stopped_at.is_some(),
        token,
        ctx,
    };
    render(&page, StatusCode::OK)
}

pub async fn unsubscribe(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let alert = load_by_token(&state, token.clone()).await?;
    let id = alert.id;
    state.db(move |conn| Ok(model::stop(conn, id)?)).await?;
    let page = UnsubscribePage {
        label: model::describe(&alert.search(), ctx.lang),
        stopped: true,
        token,
        ctx,
    };
    render(&page, StatusCode::OK)
}
