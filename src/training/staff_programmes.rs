//! Every provider's programmes for the Dinas (`/petugas/pelatihan/program`), filtered by
//! status, provider and the year they start, with the seats taken and the enrolments
//! waiting for a decision; each leads to the programme's participants.

use crate::domain::ids::{ProgrammeId, ProviderId};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Datelike;

use super::programmes::{self, Programme, StaffFilter, Status};
use crate::web::auth::{Require, TrainingStaff};
use crate::web::format::date;
use crate::web::pagination::{page_number, query_with_page};
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx};

const PER_PAGE: i64 = 50;

pub struct Row {
    pub id: ProgrammeId,
    pub title: String,
    pub provider: String,
    pub status: Status,
    pub dates: String,
    pub seats: String,
    pub pending: i64,
}

#[derive(Template)]
#[template(path = "training/staff_programmes.html")]
struct ListPage {
    ctx: PageCtx,
    statuses: Vec<(&'static str, &'static str, bool)>,
    providers: Vec<(ProviderId, String, bool)>,
    years: Vec<(i32, bool)>,
    rows: Vec<Row>,
    total_text: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

struct Filters {
    status: Option<Status>,
    provider: Option<ProviderId>,
    year: Option<i32>,
    page: i64,
}

impl Filters {
    fn parse(query: &str) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        Self {
            status: Status::parse(&value("status")),
            provider: value("lembaga").parse().ok(),
            year: value("tahun")
                .parse()
                .ok()
                .filter(|y| (2000..=2100).contains(y)),
            page: page_number(&value("hal")),
        }
    }

    fn link(&self, page: i64) -> String {
        let provider = self.provider.map(|p| p.to_string()).unwrap_or_default();
        let year = self.year.map(|y| y.to_string()).unwrap_or_default();
        let status = self.status.map(Status::as_str).unwrap_or_default();
        format!(
            "/petugas/pelatihan/program?{}",
            query_with_page(
                &[("status", status), ("lembaga", &provider), ("tahun", &year)],
                page
            )
        )
    }
}

type Found = (
    Vec<(Programme, String)>,
    i64,
    std::collections::HashMap<ProgrammeId, i64>,
    Vec<(ProviderId, String)>,
);

pub async fn list(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    _user: Require<TrainingStaff>,
) -> Result<HttpResponse, AppError> {
    let f = Filters::parse(req.query_string());
    let (status, provider, year, page) = (f.status, f.provider, f.year, f.page);
    let (rows, total, pending, providers): Found = state
        .db(move |conn| {
            let filter = StaffFilter {
                status,
                provider,
                year,
            };
            let (rows, total) = programmes::staff_page(conn, filter, page, PER_PAGE)?;
            let ids: Vec<ProgrammeId> = rows.iter().map(|r| r.0.id).collect();
            let pending = super::enrolment::pending_counts(conn, &ids)?;
            let providers = super::providers::names(conn)?;
            Ok((rows, total, pending, providers))
        })
        .await?;
    let lang = ctx.lang;
    let this_year = crate::domain::calendar::today().year();
    let page = ListPage {
        statuses: Status::ALL
            .iter()
            .filter(|s| **s != Status::Draft)
            .map(|s| (s.as_str(), s.label_key(), status == Some(*s)))
            .collect(),
        providers: providers
            .into_iter()
            .map(|(id, name)| (id, name, provider == Some(id)))
            .collect(),
        years: (2020..=this_year + 1)
            .rev()
            .map(|y| (y, year == Some(y)))
            .collect(),
        rows: rows
            .into_iter()
            .map(|(p, provider)| Row {
                pending: pending.get(&p.id).copied().unwrap_or(0),
                status: p.status(),
                dates: format!("{} – {}", date(lang, p.starts_on), date(lang, p.ends_on)),
                seats: format!("{} / {}", p.seats_taken, p.quota),
                id: p.id,
                title: p.title,
                provider,
            })
            .collect(),
        total_text: ctx.tf(
            "programme.staff.total",
            &[("count", &crate::web::format::number(lang, total))],
        ),
        prev_href: (f.page > 1).then(|| f.link(f.page - 1)),
        next_href: (f.page * PER_PAGE < total).then(|| f.link(f.page + 1)),
        ctx,
    };
    render(&page, StatusCode::OK)
}
