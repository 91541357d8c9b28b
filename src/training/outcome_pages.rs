//! The outcome figures of programmes over a period: a provider's own (`/lembaga/hasil`) and
//! every provider's for the Dinas (`/petugas/pelatihan/hasil`). A programme belongs to the
//! period its last day falls in, since its outcomes are known only once it ends.

use crate::domain::ids::{ProgrammeId, ProviderId};
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::outcomes::{self, Figures};
use super::programmes::{self, Programme};
use crate::db::DbConnection;
use crate::web::auth::{Provider, Require, TrainingStaff};
use crate::web::format::date;
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx};

/// The first year offered; programmes before the portal existed are not in it.
const FIRST_YEAR: i32 = 2020;

/// A period as its URL states it: a year, optionally one quarter of it. Nonsense is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub quarter: Option<u32>,
}

impl Period {
    pub fn from_query(query: &str, today: NaiveDate) -> (Self, Option<ProviderId>) {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_owned())
        };
        let year = value("tahun")
            .and_then(|v| v.parse().ok())
            .filter(|y| (FIRST_YEAR..=today.year() + 1).contains(y))
            .unwrap_or(today.year());
        let quarter = value("triwulan")
            .and_then(|v| v.parse().ok())
            .filter(|q| (1..=4).contains(q));
        let provider = value("lembaga").and_then(|v| v.parse().ok());
        (Self { year, quarter }, provider)
    }

    /// The first and last day.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let (first_month, last_month) = match self.quarter {
            Some(q) => (q * 3 - 2, q * 3),
            None => (1, 12),
        };
        let first = NaiveDate::from_ymd_opt(self.year, first_month, 1).unwrap_or_default();
        let next = if last_month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, last_month + 1, 1)
        };
        (first, next.and_then(|d| d.pred_opt()).unwrap_or(first))
    }
}

pub struct Line {
    pub id: ProgrammeId,
    pub title: String,
    pub provider: String,
    pub ended: String,
    pub status_key: &'static str,
    pub figures: Figures,
}

#[derive(Template)]
#[template(path = "training/outcomes.html")]
struct OutcomesPage {
    ctx: PageCtx,
    action: String,
    staff: bool,
    /// Each choice with whether it is the one shown.
    years: Vec<(i32, bool)>,
    quarters: Vec<(u32, bool)>,
    providers: Vec<(ProviderId, String, bool)>,
    period_text: String,
    lines: Vec<Line>,
    total: Figures,
    rate: String,
}

type Found = (
    Vec<(Programme, String)>,
    HashMap<ProgrammeId, Figures>,
    Vec<(ProviderId, String)>,
);

fn load(
    conn: &mut DbConnection,
    period: Period,
    provider: Option<ProviderId>,
    list_providers: bool,
) -> QueryResult<Found> {
    let rows = programmes::ended_between(conn, period.days(), provider)?;
    let ids: Vec<ProgrammeId> = rows.iter().map(|r| r.0.id).collect();
    let figures = outcomes::of_programmes(conn, &ids)?;
    let providers = if list_providers {
        super::providers::names(conn)?
    } else {
        Vec::new()
    };
    Ok((rows, figures, providers))
}

async fn show(
    ctx: PageCtx,
    state: &AppState,
    query: &str,
    own: Option<ProviderId>,
) -> Result<HttpResponse, AppError> {
    let today = crate::domain::calendar::today();
    let (period, asked) = Period::from_query(query, today);
    let staff = own.is_none();
    // A provider only ever sees its own programmes, whatever the URL asks.
    let provider = own.or(asked);
    let (rows, figures, providers) = state
        .db(move |conn| Ok(load(conn, period, provider, staff)?))
        .await?;
    let lang = ctx.lang;
    let mut total = Figures::default();
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(p, provider)| {
            let f = figures.get(&p.id).copied().unwrap_or_default();
            total.add(&f);
            Line {
                id: p.id,
                status_key: p.status().label_key(),
                ended: date(lang, p.ends_on),
                title: p.title,
                provider,
                figures: f,
            }
        })
        .collect();
    let (first, last) = period.days();
    let page = OutcomesPage {
        action: if staff {
            "/petugas/pelatihan/hasil".into()
        } else {
            "/lembaga/hasil".into()
        },
        years: (FIRST_YEAR..=today.year() + 1)
            .rev()
            .map(|y| (y, y == period.year))
            .collect(),
        quarters: (1..=4).map(|q| (q, period.quarter == Some(q))).collect(),
        providers: providers
            .into_iter()
            .map(|(id, name)| (id, name, provider == Some(id)))
            .collect(),
        period_text: ctx.tf(
            "outcome.period",
            &[("first", &date(lang, first)), ("last", &date(lang, last))],
        ),
        rate: total
            .completion_rate()
            .map(|r| format!("{r}%"))
            .unwrap_or_else(|| "–".into()),
        lines,
        total,
        staff,
        ctx,
    };
    render(&page, StatusCode::OK)
}

pub async fn provider_page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Provider>,
) -> Result<HttpResponse, AppError> {
    let own = user.user.provider_id.ok_or(AppError::Forbidden)?;
    show(ctx, &state, req.query_string(), Some(own)).await
}

pub async fn staff_page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    _user: Require<TrainingStaff>,
) -> Result<HttpResponse, AppError> {
    show(ctx, &state, req.query_string(), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_year_or_a_quarter_and_nonsense_falls_back() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let (p, provider) = Period::from_query("tahun=2025&triwulan=4&lembaga=3", today);
        assert_eq!(
            p,
            Period {
                year: 2025,
                quarter: Some(4)
            }
        );
        assert_eq!(provider, Some(ProviderId::new(3)));
        assert_eq!(
            p.days(),
            (
                NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
                NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
            )
        );
        let (p, provider) = Period::from_query("tahun=1900&triwulan=9&lembaga=x", today);
        assert_eq!(
            p,
            Period {
                year: 2026,
                quarter: None
            }
        );
        assert_eq!(provider, None);
        assert_eq!(
            Period {
                year: 2024,
                quarter: Some(1)
            }
            .days()
            .1,
            NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()
        );
    }
}
