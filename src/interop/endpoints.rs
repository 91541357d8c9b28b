//! The handlers of `/api/v1`. Each answers with JSON or a problem (never an HTML page):
//! the session cookie is refused, the key is read and rate-limited, the data set and the
//! query checked, and only then is the database asked who the key is and for the page.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde_json::json;

use super::access::{self, Limits};
use super::ledger::{Ledger, Receipt, Unwritten};
use super::problem::{Kind, Problem};
use super::{query, records};
use crate::domain::calendar;
use crate::exports::Dataset;
use crate::sharing::keys::{self, Caller, Refusal};
use crate::web::AppState;
use crate::web::errors::AppError;
use crate::web::respond::RequestMeta;

/// What the database said about a request.
enum Outcome<T> {
    Refused(Refusal),
    OutOfScope,
    Done(T),
}

/// Reads the key, rate-limits it, and runs `f` with the caller on a pooled connection.
async fn with_caller<T, F>(
    req: &HttpRequest,
    state: &AppState,
    limits: &web::Data<Limits>,
    f: F,
) -> Result<T, Problem>
where
    F: FnOnce(&mut crate::db::DbConnection, &Caller) -> Result<Outcome<T>, AppError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let key = access::presented_key(req)?;
    let meta = RequestMeta::of(req);
    if let Some(wait) = limits.waiting(&meta.address) {
        return Err(Problem::rate_limited(wait.as_secs() + 1));
    }
    let prefix = match access::prefix(key) {
        Ok(prefix) => prefix,
        Err(problem) => {
            limits.failed(&meta.address);
            return Err(problem);
        }
    };
    limits.take(prefix)?;
    let key = key.to_owned();
    let known = limits.clone();
    let outcome = state
        .db(move |conn| {
            let (today, now) = (calendar::today(), Utc::now().naive_utc());
            let caller = match keys::authenticate_known(&known.known, conn, &key, today, now)? {
                Ok(caller) => caller,
                Err(why) => return Ok(Outcome::Refused(why)),
            };
            f(conn, &caller)
        })
        .await;
    match outcome {
        Ok(Outcome::Done(t)) => Ok(t),
        Ok(Outcome::Refused(why)) => {
            limits.failed(&meta.address);
            Err(access::refusal(why))
        }
        Ok(Outcome::OutOfScope) => Err(Problem::new(
            Kind::OutOfScope,
            "The partner's agreement does not cover this data set for this key.",
        )),
        Err(e) => {
            tracing::error!(error = %e, "api request failed");
            Err(Problem::internal())
        }
    }
}

fn json_response(body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(body)
}

fn answer(result: Result<HttpResponse, Problem>) -> HttpResponse {
    result.unwrap_or_else(|p| p.response())
}

/// `GET /api/v1`: who the key belongs to and the data sets it may read.
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    limits: web::Data<Limits>,
) -> HttpResponse {
    let result = with_caller(&req, &state, &limits, |_, caller| {
        let datasets: Vec<_> = Dataset::ALL
            .into_iter()
            .filter_map(|d| {
                caller.masking_for(d).map(|m| {
                    json!({
                        "dataset": records::slug(d),
                        "masking": m.as_str(),
                        "href": format!("/api/v1/{}", records::slug(d)),
                    })
                })
            })
            .collect();
        Ok(Outcome::Done(json!({
            "partner": caller.partner_name,
            "datasets": datasets,
        })))
    })
    .await;
    answer(result.map(|v| json_response(serde_json::to_vec(&v).unwrap_or_default())))
}

/// `GET /api/v1/{dataset}`: a page of the data set's changes after the cursor. It is sent
/// only once the ledger has its count and, for personal data, its audit entry.
pub async fn list(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
    limits: web::Data<Limits>,
    ledger: web::Data<Ledger>,
) -> HttpResponse {
    // The key comes first: without one, nothing about the request is answered.
    if let Err(p) = access::presented_key(&req) {
        return p.response();
    }
    let Some(dataset) = Dataset::from_cli_name(&path) else {
        return Problem::new(
            Kind::NotFound,
            "No such data set; GET /api/v1 lists those the key may read.",
        )
        .response();
    };
    let q = match query::parse(dataset, req.query_string(), Utc::now()) {
        Ok(q) => q,
        Err(p) => return p.response(),
    };
    let meta = RequestMeta::of(&req);
    let result = with_caller(&req, &state, &limits, move |conn, caller| {
        let Some(masking) = caller.masking_for(dataset) else {
            return Ok(Outcome::OutOfScope);
        };
        let page = records::read(conn, dataset, masking, &q)?;
        let receipt = Receipt {
            day: calendar::today(),
            partner_id: caller.partner_id,
            partner_name: caller.partner_name.clone(),
            key_id: caller.key_id,
            dataset,
            masking,
            records: page.records,
            meta,
        };
        Ok(Outcome::Done((page.body, receipt)))
    })
    .await;
    let (body, receipt) = match result {
        Ok(done) => done,
        Err(p) => return p.response(),
    };
    match ledger.write(receipt).await {
        Ok(()) => json_response(body),
        Err(Unwritten::Busy) => Problem::busy().response(),
        Err(Unwritten::Failed) => Problem::internal().response(),
    }
}

/// Any other path under `/api/`: a problem, not the portal's HTML page.
pub async fn not_found() -> HttpResponse {
    Problem::new(
        Kind::NotFound,
        "No such endpoint; see /api/v1/openapi.json.",
    )
    .response()
}
