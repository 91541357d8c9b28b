//! The data steward's side of the partner portal: adding and removing a partner's users on
//! the partner's page, and `/petugas/mitra/log`, what went out to whom by day.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::PartnerId;
use super::out_log::{self, Via};
use super::pages::{LIST, Refused, now, refuse};
use super::partners::{self, Actor};
use super::users::{self, UserForm};
use crate::accounts::invitation::Inviter;
use crate::domain::calendar;
use crate::domain::ids::UserId;
use crate::web::auth::{DataStaff, DataSteward, Require};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::{AppError, AppState, PageCtx, format};

pub async fn add_user(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<PartnerId>,
    form: web::Form<UserForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let named = match form.check() {
        Ok(named) => named,
        Err(key) => return refuse(ctx, &state, id, Refused::user(form, key)).await,
    };
    let (lang, user) = (ctx.lang, steward.user.id);
    let base_url = state.settings.base_url.clone();
    let added = state
        .db(move |conn| {
            partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let by = Actor { user, meta: &meta };
            let inviter = Inviter {
                user_id: user,
                address: &meta.address,
                lang,
                base_url: &base_url,
            };
            let (name, email) = &named;
            Ok(users::add(conn, id, (name, email), &inviter, &by, now())?)
        })
        .await?;
    match added.refusal() {
        None => Ok(redirect(&format!("{LIST}/{id}"))),
        Some(key) => refuse(ctx, &state, id, Refused::user(form, key)).await,
    }
}

pub async fn remove_user(
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    path: web::Path<(PartnerId, UserId)>,
) -> Result<HttpResponse, AppError> {
    let (id, member) = path.into_inner();
    let user = steward.user.id;
    state
        .db(move |conn| {
            partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let by = Actor { user, meta: &meta };
            Ok(users::remove(conn, id, member, &by)?)
        })
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}

/// The period and partner of the log page, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    dari: String,
    sampai: String,
    mitra: String,
}

/// The longest period one page shows.
const MAX_DAYS: u64 = 366;
/// The period shown when none is asked for: the last 30 WIB days, today included.
const DEFAULT_DAYS: u64 = 30;

impl LogQuery {
    /// The period and partner asked for, or the translation key of what is wrong.
    fn check(
        &self,
        today: NaiveDate,
    ) -> Result<(NaiveDate, NaiveDate, Option<PartnerId>), &'static str> {
        let date = |raw: &str, default: NaiveDate| match raw.trim() {
            "" => Ok(default),
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| "sharing_portal.log.error.date"),
        };
        let to = date(&self.sampai, today)?;
        let from = date(
            &self.dari,
            to.checked_sub_days(Days::new(DEFAULT_DAYS - 1))
                .unwrap_or(to),
        )?;
        if from > to {
            return Err("sharing_portal.log.error.order");
        }
        if to.signed_duration_since(from).num_days() >= MAX_DAYS as i64 {
            return Err("sharing_portal.log.error.too_long");
        }
        let partner = match self.mitra.trim() {
            "" => None,
            raw => Some(
                raw.parse::<PartnerId>()
                    .map_err(|_| "sharing_portal.log.error.partner")?,
            ),
        };
        Ok((from, to, partner))
    }
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct LogRow {
    day: String,
    partner: String,
    way: String,
    name: String,
    dataset: String,
    masking: String,
    requests: String,
    records: String,
}

#[derive(Template)]
#[template(path = "sharing/out_log.html")]
struct LogPage {
    ctx: PageCtx,
    from: String,
    to: String,
    partners: Vec<Choice>,
    rows: Vec<LogRow>,
    total_requests: String,
    total_records: String,
    message: Option<String>,
}

pub async fn log(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<DataStaff>,
    query: web::Query<LogQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let today = calendar::today();
    let asked = query.check(today);
    let (lines, all) = state
        .db(move |conn| {
            let all = partners::list(conn, today)?;
            let lines = match asked {
                Ok((from, to, partner)) => out_log::for_days(conn, from, to, partner)?,
                Err(_) => Vec::new(),
            };
            Ok((lines, all))
        })
        .await?;
    let lang = ctx.lang;
    let chosen = query.mitra.trim();
    let partners = all
        .into_iter()
        .map(|r| Choice {
            selected: r.partner.id.to_string() == chosen,
            value: r.partner.id.to_string(),
            label: r.partner.name,
        })
        .collect();
    let (requests, records) = lines
        .iter()
        .fold((0, 0), |(q, r), l| (q + l.requests, r + l.records));
    let rows = lines
        .into_iter()
        .map(|l| LogRow {
            day: format::date(lang, l.day),
            partner: l.partner_name,
            way: lang
                .t(match l.via {
                    Via::Key(_) => "sharing_portal.log.via_key",
                    Via::User(_) => "sharing_portal.log.via_user",
                    Via::Sync => "sharing_portal.log.via_sync",
                })
                .into_owned(),
            name: l.via_name,
            dataset: lang.t(l.dataset.label_key()).into_owned(),
            masking: lang
                .t(if l.unmasked {
                    "sharing_portal.log.unmasked"
                } else {
                    "sharing_portal.log.masked"
                })
                .into_owned(),
            requests: format::number(lang, l.requests),
            records: format::number(lang, l.records),
        })
        .collect();
    let (from, to, message, status) = match asked {
        Ok((from, to, _)) => (from.to_string(), to.to_string(), None, StatusCode::OK),
        Err(key) => (
            crate::web::forms::date_input_value(&query.dari),
            crate::web::forms::date_input_value(&query.sampai),
            Some(lang.t(key).into_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let page = LogPage {
        from,
        to,
        partners,
        rows,
        total_requests: format::number(lang, requests),
        total_records: format::number(lang, records),
        message,
        ctx,
    };
    render(&page, status)
}
