//! `/petugas/sinkronisasi/tarikan`: how the pull from the national system stands, and the
//! national records waiting for the data steward: conflicts with a local record (the same
//! NIK with another birth date, the same NIB with another name) to decide, and records that
//! failed the checks, to check again or refuse. Every decision needs a note and is
//! audited; reading the list is audited too when it shows JKP or application records
//! (birth dates, or the personal value that failed a check).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::contract::PullSet;
use super::pull;
use super::pulled::{self, Pulled, Resolution, State};
use crate::audit::{self, Entry, actions};
use crate::web::auth::{DataStaff, DataSteward, Require};
use crate::web::pagination::{Pager, page_number, query_with_page};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

const PATH: &str = "/petugas/sinkronisasi/tarikan";
const PER_PAGE: i64 = 50;
/// The note a decision needs, in characters.
const NOTE_MIN: usize = 5;
const NOTE_MAX: usize = 500;

struct SetView {
    name: String,
    items: String,
    merged: String,
    conflicts: String,
    parked: String,
    last_success: String,
    last_error: String,
}

struct WaitingView {
    id: i32,
    set: String,
    external_id: String,
    conflict: bool,
    problem: String,
    field: String,
    local_value: String,
    national_value: String,
    pulled_at: String,
    /// The decisions offered, as (value, label).
    choices: Vec<(&'static str, String)>,
}

/// A refused decision: the record, the choice and note typed, the message.
struct Refused {
    id: i32,
    resolution: String,
    note: String,
    message: String,
}

#[derive(Template)]
#[template(path = "national/pulled.html")]
struct PulledPage {
    ctx: PageCtx,
    configured: bool,
    sets: Vec<SetView>,
    total: String,
    waiting: Vec<WaitingView>,
    pager: Pager,
    can_act: bool,
    refused: Option<Refused>,
}

fn set_label(lang: Lang, set: PullSet) -> String {
    lang.t(match set {
        PullSet::Vacancies => "national.pull.set.vacancies",
        PullSet::Jkp => "national.pull.set.jkp",
        PullSet::Wlkp => "national.pull.set.wlkp",
        PullSet::Applications => "national.pull.set.applications",
    })
    .into_owned()
}

/// The decisions that mean something for this record.
fn choices(lang: Lang, p: &Pulled) -> Vec<(&'static str, String)> {
    let keys: &[(Resolution, &str)] = match (p.state, p.set) {
        (State::Conflict, PullSet::Jkp) => &[
            (
                Resolution::TakeNational,
                "national.pull.take_national_birth",
            ),
            (Resolution::KeepLocal, "national.pull.keep_local_birth"),
            (Resolution::Rejected, "national.pull.reject"),
        ],
        (State::Conflict, _) => &[
            (Resolution::TakeNational, "national.pull.same_company"),
            (Resolution::Rejected, "national.pull.reject"),
        ],
        _ => &[(Resolution::Rejected, "national.pull.reject")],
    };
    keys.iter()
        .map(|(r, key)| (r.as_str(), lang.t(key).into_owned()))
        .collect()
}

async fn page(
    ctx: PageCtx,
    meta: RequestMeta,
    state: &AppState,
    staff: crate::domain::ids::UserId,
    can_act: bool,
    page_no: i64,
    refused: Option<Refused>,
) -> Result<PulledPage, AppError> {
    let offset = (page_no - 1) * PER_PAGE;
    let (states, counts, (waiting, total)) = state
        .db(move |conn| {
            let waiting = pulled::waiting(conn, offset, PER_PAGE)?;
            // JKP and application records name people: a conflict shows birth dates, a
            // parked record the value that failed (a NIK, an address).
            let personal = waiting
                .0
                .iter()
                .filter(|p| matches!(p.set, PullSet::Jkp | PullSet::Applications))
                .count();
            if personal > 0 {
                audit::record(
                    conn,
                    Entry::new(actions::NATIONAL_PULLED_VIEWED)
                        .actor(staff)
                        .client(&meta)
                        .detail(serde_json::json!({ "personal_records_shown": personal })),
                )?;
            }
            Ok((pulled::states(conn)?, pulled::counts(conn)?, waiting))
        })
        .await?;
    let lang = ctx.lang;
    let count = |set: PullSet, state: State| {
        let n = counts
            .iter()
            .filter(|(s, st, _)| *s == set && *st == state)
            .map(|(_, _, n)| *n)
            .sum::<i64>();
        format::number(lang, n)
    };
    let when = |t: Option<chrono::NaiveDateTime>| {
        t.map_or_else(
            || lang.t("national.never").into_owned(),
            |t| format::day_time(lang, t),
        )
    };
    let sets = states
        .into_iter()
        .map(|s| SetView {
            name: set_label(lang, s.set),
            items: format::number(lang, s.items),
            merged: count(s.set, State::Merged),
            conflicts: count(s.set, State::Conflict),
            parked: count(s.set, State::Parked),
            last_success: when(s.last_success_at),
            last_error: s.last_error.unwrap_or_default(),
        })
        .collect();
    let pages_total = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let pager = Pager::new(&ctx, PATH, page_no, pages_total, |n| {
        query_with_page(&[], n)
    });
    Ok(PulledPage {
        configured: state.settings.sync.is_some(),
        sets,
        total: format::number(lang, total),
        waiting: waiting
            .into_iter()
            .map(|p| WaitingView {
                id: p.id,
                set: set_label(lang, p.set),
                external_id: p.external_id.clone(),
                conflict: p.state == State::Conflict,
                problem: p
                    .problem
                    .as_deref()
                    .map(|k| lang.t(k).into_owned())
                    .unwrap_or_default(),
                field: p.field.clone().unwrap_or_default(),
                local_value: p.local_value.clone().unwrap_or_default(),
                national_value: p.national_value.clone().unwrap_or_default(),
                pulled_at: format::day_time(lang, p.pulled_at),
                choices: choices(lang, &p),
            })
            .collect(),
        pager,
        can_act,
        refused,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    hal: String,
}

pub async fn show(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    staff: Require<DataStaff>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let can_act = staff.user.has_role(crate::domain::Role::DataSteward);
    let page_no = page_number(&query.hal);
    let page = page(ctx, meta, &state, staff.user.id, can_act, page_no, None).await?;
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    note: String,
}

pub async fn decide(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    steward: Require<DataSteward>,
    id: web::Path<i32>,
    form: web::Form<DecideForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let note = form.note.trim().to_owned();
    let resolution = Resolution::parse(&form.resolution);
    let problem = if resolution.is_none() {
        Some("national.pull.error.choose")
    } else if note.chars().count() < NOTE_MIN {
        Some("national.pull.error.note")
    } else if note.chars().count() > NOTE_MAX {
        Some("national.pull.error.note_long")
    } else {
        None
    };
    let user = steward.user.id;
    if let Some(key) = problem {
        let refused = Refused {
            id,
            resolution: form.resolution,
            note: form.note,
            message: ctx.lang.t(key).into_owned(),
        };
        let page = page(ctx, meta, &state, user, true, 1, Some(refused)).await?;
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let resolution = resolution.unwrap_or(Resolution::Rejected);
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let p =
                    pull::resolve(conn, id, resolution, user, &note)?.ok_or(AppError::NotFound)?;
                audit::record(
                    conn,
                    Entry::new(actions::NATIONAL_PULLED_RESOLVED)
                        .actor(user)
                        .subject("sync_pulled", id)
                        .client(&meta)
                        .detail(serde_json::json!({
                            "set": p.set.as_str(),
                            "external_id": p.external_id,
                            "resolution": resolution.as_str(),
                            "note": note,
                        })),
                )?;
                Ok(())
            })
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "national.pull.decided");
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
    let still_parked = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                if !pull::retry(conn, id)? {
                    return Err(AppError::NotFound);
                }
                audit::record(
                    conn,
                    Entry::new(actions::NATIONAL_PULLED_RETRIED)
                        .actor(user)
                        .subject("sync_pulled", id)
                        .client(&meta),
                )?;
                Ok(pulled::find_by_id(conn, id)?.is_some_and(|p| p.state == State::Parked))
            })
        })
        .await?;
    if still_parked {
        session::flash(&session, FlashLevel::Error, "national.pull.still_parked");
    } else {
        session::flash(&session, FlashLevel::Success, "national.pull.retried");
    }
    Ok(redirect(PATH))
}
