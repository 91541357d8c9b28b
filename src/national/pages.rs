//! `/petugas/sinkronisasi`: how the push to the national system stands (the data steward
//! acts, the super admin reads): queue depth, the last attempt and success, the share of
//! pushes without a receipt in the last day, parked events with their error, retry and
//! discard (with a reason, audited), and "resync everything" with its progress.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::{exchange_log, outbox};
use crate::audit::{self, Entry, actions};
use crate::web::auth::{DataStaff, DataSteward, Require};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

const PATH: &str = "/petugas/sinkronisasi";
/// Parked events shown; the count above the table says how many there are.
const SHOWN: i64 = 200;
/// The longest reason kept for a discard.
const REASON_MAX: usize = 500;

struct ParkedView {
    id: i32,
    dataset: String,
    record_id: i32,
    version: i32,
    attempts: i32,
    parked_at: String,
    error: String,
}

#[derive(Template)]
#[template(path = "national/status.html")]
struct StatusPage {
    ctx: PageCtx,
    configured: bool,
    endpoint: String,
    capture: bool,
    pending: String,
    due: String,
    parked_count: String,
    delivered: String,
    oldest: String,
    last_attempt: String,
    last_success: String,
    last_error: String,
    failure_rate: String,
    pushes_day: String,
    resync: Option<ResyncView>,
    log_entries: String,
    parked: Vec<ParkedView>,
    can_act: bool,
    /// A refused discard: the event, what was typed, and the message.
    refused: Option<(i32, String, String)>,
}

struct ResyncView {
    started: String,
    total: String,
    /// Percent sent of the records the resync queued.
    done_percent: i64,
    remaining: String,
}

fn when(lang: Lang, at: Option<chrono::NaiveDateTime>) -> String {
    at.map_or_else(
        || lang.t("national.never").into_owned(),
        |t| format::day_time(lang, t),
    )
}

async fn page(
    ctx: PageCtx,
    state: &AppState,
    can_act: bool,
    refused: Option<(i32, String, String)>,
) -> Result<StatusPage, AppError> {
    let now = Utc::now().naive_utc();
    let (st, counts, parked, (entries, _), (sent, answered)) = state
        .db(move |conn| {
            Ok((
                outbox::state(conn)?,
                outbox::counts(conn, now)?,
                outbox::parked(conn, SHOWN)?,
                exchange_log::summary(conn)?,
                exchange_log::pushes_since(conn, now - Duration::hours(24))?,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let sync = state.settings.sync.as_ref();
    let resync = st.resync_started_at.map(|started| {
        let remaining = counts.pending.min(st.resync_total);
        let done = st.resync_total - remaining;
        ResyncView {
            started: format::day_time(lang, started),
            total: format::number(lang, st.resync_total),
            done_percent: if st.resync_total > 0 {
                done * 100 / st.resync_total
            } else {
                100
            },
            remaining: format::number(lang, remaining),
        }
    });
    let failure_rate = if sent > 0 {
        format!("{} %", (sent - answered.min(sent)) * 100 / sent)
    } else {
        "–".to_owned()
    };
    Ok(StatusPage {
        configured: sync.is_some(),
        endpoint: sync.map(|s| s.url.clone()).unwrap_or_default(),
        capture: st.capture,
        pending: format::number(lang, counts.pending),
        due: format::number(lang, counts.due),
        parked_count: format::number(lang, counts.parked),
        delivered: format::number(lang, counts.delivered),
        oldest: when(lang, counts.oldest_pending),
        last_attempt: when(lang, st.last_attempt_at),
        last_success: when(lang, st.last_success_at),
        last_error: st.last_error.unwrap_or_default(),
        failure_rate,
        pushes_day: format::number(lang, sent),
        resync,
        log_entries: format::number(lang, entries),
        parked: parked
            .into_iter()
            .map(|p| ParkedView {
                id: p.id,
                dataset: lang.t(p.dataset.label_key()).into_owned(),
                record_id: p.record_id,
                version: p.version,
                attempts: p.attempts,
                parked_at: when(lang, p.parked_at),
                error: p.error,
            })
            .collect(),
        can_act,
        refused,
        ctx,
    })
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<DataStaff>,
) -> Result<HttpResponse, AppError> {
    let can_act = staff.user.has_role(crate::domain::Role::DataSteward);
    render(&page(ctx, &state, can_act, None).await?, StatusCode::OK)
}

pub async fn resync(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    steward: Require<DataSteward>,
) -> Result<HttpResponse, AppError> {
    let user = steward.user.id;
    state
        .db(move |conn| {
            let queued = outbox::resync(conn)?;
            audit::record(
                conn,
                Entry::new(actions::NATIONAL_RESYNC)
                    .actor(user)
                    .client(&meta)
                    .detail(serde_json::json!({ "queued": queued })),
            )?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "national.resync_started");
    Ok(redirect(PATH))
}

pub async fn retry(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    steward: Require<DataSteward>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user = steward.user.id;
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                if !outbox::retry(conn, id, Utc::now().naive_utc())? {
                    return Err(AppError::NotFound);
                }
                audit::record(
                    conn,
                    Entry::new(actions::NATIONAL_EVENT_RETRIED)
                        .actor(user)
                        .subject("sync_event", id)
                        .client(&meta),
                )?;
                Ok(())
            })
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "national.retried");
    Ok(redirect(PATH))
}

#[derive(Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    reason: String,
}

pub async fn discard(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    steward: Require<DataSteward>,
    id: web::Path<i32>,
    form: web::Form<DiscardForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let reason = form.into_inner().reason;
    let trimmed = reason.trim().to_owned();
    let problem = if trimmed.chars().count() < 5 {
        Some("national.error.reason")
    } else if trimmed.chars().count() > REASON_MAX {
        Some("national.error.reason_long")
    } else {
        None
    };
    if let Some(key) = problem {
        let message = ctx.lang.t(key).into_owned();
        let page = page(ctx, &state, true, Some((id, reason, message))).await?;
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let user = steward.user.id;
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let (dataset, record_id, version) =
                    outbox::find_parked(conn, id)?.ok_or(AppError::NotFound)?;
                outbox::discard(conn, id)?;
                audit::record(
                    conn,
                    Entry::new(actions::NATIONAL_EVENT_DISCARDED)
                        .actor(user)
                        .subject("sync_event", id)
                        .client(&meta)
                        .detail(serde_json::json!({
                            "dataset": dataset.as_str(),
                            "record_id": record_id,
                            "version": version,
                            "reason": trimmed,
                        })),
                )?;
                Ok(())
            })
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "national.discarded");
    Ok(redirect(PATH))
}
