//! `/ak1/cek`: anyone holding a card (an employer, another office) checks that it is
//! genuine. The page wants the number and the code printed beside the QR code, and shows
//! only the number, the holder's initials, the status and the dates: never the NIK or the
//! name. A wrong code and an unknown number get the same answer, so the page tells nothing
//! to someone guessing.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::model::{self, Status};
use super::rules;
use crate::domain::Ak1Number;
use crate::web::format::date;
use crate::web::respond::render;
use crate::web::session::constant_time_eq;
use crate::web::{AppError, AppState, PageCtx};

#[derive(Deserialize, Default)]
pub struct Query {
    #[serde(default)]
    nomor: String,
    #[serde(default)]
    kode: String,
}

pub struct Verified {
    pub number: String,
    pub initials: String,
    pub status: Status,
    pub issued_on: String,
    pub valid_until: String,
    pub ended_on: Option<String>,
}

#[derive(Template)]
#[template(path = "seekers/ak1_verify.html")]
struct VerifyPage {
    ctx: PageCtx,
    nomor: String,
    kode: String,
    /// A message key when the input is malformed or matches no card.
    problem: Option<&'static str>,
    card: Option<Verified>,
}

fn normalise_code(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

pub async fn check(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let nomor: String = q.nomor.trim().chars().take(32).collect();
    let kode = normalise_code(&q.kode.chars().take(32).collect::<String>());
    let mut page = VerifyPage {
        nomor: nomor.clone(),
        kode: kode.clone(),
        problem: None,
        card: None,
        ctx,
    };
    if nomor.is_empty() && kode.is_empty() {
        return render(&page, StatusCode::OK);
    }
    let Ok(number) = Ak1Number::parse(&nomor) else {
        page.problem = Some("ak1.verify.bad_number");
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if kode.len() != 8 {
        page.problem = Some("ak1.verify.bad_code");
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let found = state
        .db(move |conn| {
            let Some(card) = model::find_by_number(conn, &number)? else {
                return Ok(None);
            };
            if !constant_time_eq(card.verify_code.as_bytes(), kode.as_bytes()) {
                return Ok(None);
            }
            let name = crate::seekers::person(conn, card.job_seeker_id)?
                .contact
                .full_name;
            Ok(Some((card, name)))
        })
        .await?;
    let lang = page.ctx.lang;
    match found {
        Some((card, name)) => {
            page.card = Some(Verified {
                number: card.number.clone().map(String::from).unwrap_or_default(),
                initials: rules::initials(&name),
                status: card.status(),
                issued_on: card.issued_on.map(|d| date(lang, d)).unwrap_or_default(),
                valid_until: card.valid_until.map(|d| date(lang, d)).unwrap_or_default(),
                ended_on: card.ended_on.map(|d| date(lang, d)),
            });
            render(&page, StatusCode::OK)
        }
        None => {
            page.problem = Some("ak1.verify.not_found");
            render(&page, StatusCode::NOT_FOUND)
        }
    }
}
