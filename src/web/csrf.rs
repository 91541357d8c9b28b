//! CSRF protection: every state-changing request from a page carries the session's token.
//!
//! The token travels as the `csrf_token` field of a form, the `X-CSRF-Token` header (for
//! scripts), or the `csrf_token` query parameter (for multipart uploads, whose body is not
//! read here). A missing or wrong token gets the 403 page and the handler never runs.
//! `/api/` is exempt: it authenticates with API keys, not cookies.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

use super::errors::error_page;
use super::session::{constant_time_eq, expected_csrf_token};

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

pub async fn csrf_guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    let safe = matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if safe || req.path().starts_with("/api/") {
        return Ok(next.call(req).await?.map_into_left_body());
    }

    let expected = expected_csrf_token(&req.get_session());
    let mut supplied = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| field_in(req.query_string().as_bytes()));
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if supplied.is_none() && is_form {
        // Read the form to find the token, then put the body back for the handler.
        let body = req.extract::<Bytes>().await?;
        supplied = field_in(&body);
        req.set_payload(payload_of(body));
    }

    let valid = match (expected, supplied) {
        (Some(expected), Some(supplied)) => {
            constant_time_eq(expected.as_bytes(), supplied.as_bytes())
        }
        _ => false,
    };
    if !valid {
        tracing::warn!(path = %req.path(), "request refused: missing or wrong CSRF token");
        let page = error_page(req.request(), StatusCode::FORBIDDEN);
        return Ok(req.into_response(page).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn field_in(urlencoded: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(urlencoded)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

fn payload_of(body: Bytes) -> Payload {
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    Payload::from(payload)
}
