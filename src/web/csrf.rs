//! CSRF protection: every state-changing request from a page carries the session's token.
//!
//! The token travels as the `csrf_token` field of a form (for a multipart upload, its first
//! field, read here without reading the file behind it), or the `X-CSRF-Token` header (for
//! scripts). Never in the URL, where it would reach logs and the browser history. A missing
//! or wrong token gets the 403 page and the handler never runs.
//! `/api/` is exempt: it authenticates with API keys, not cookies.

use actix_session::SessionExt;
use actix_web::HttpMessage as _;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use std::cell::RefCell;
use std::rc::Rc;
use std::task::Poll;

use actix_http::BoxedPayloadStream;
use actix_web::web::{Bytes, BytesMut};

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
        .map(str::to_owned);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if supplied.is_none() && content_type.starts_with("application/x-www-form-urlencoded") {
        // Read the form to find the token, then put the body back for the handler.
        let body = req.extract::<Bytes>().await?;
        supplied = field_in(&body);
        req.set_payload(payload_of(body));
    }
    if supplied.is_none() && content_type.starts_with("multipart/form-data") {
        supplied = first_multipart_field(&mut req).await;
    }

    let valid = match (expected, supplied) {
        (Some(expected), Some(supplied)) => {
            constant_time_eq(expected.as_bytes(), supplied.as_bytes())
        }
        _ => false,
    };
    if !valid {
        // The request's span carries the (redacted) target: a path can hold an e-mailed token.
        tracing::warn!("request refused: missing or wrong CSRF token");
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

/// The longest token read from a multipart body; ours are 43 characters.
const MAX_TOKEN_LEN: usize = 128;

/// The value of a multipart body's first field when it is the token. Only the bytes up to
/// the end of that field are read; they are put back in front of the rest of the body, so
/// the handler reads the whole upload as sent, within its own limits.
async fn first_multipart_field(req: &mut ServiceRequest) -> Option<String> {
    use futures_util::StreamExt as _;

    let shared = Rc::new(RefCell::new(req.take_payload()));
    let seen = Rc::new(RefCell::new(BytesMut::new()));
    let token = {
        let (source, record) = (shared.clone(), seen.clone());
        let tee = futures_util::stream::poll_fn(move |cx| {
            let polled = source.borrow_mut().poll_next_unpin(cx);
            if let Poll::Ready(Some(Ok(chunk))) = &polled {
                record.borrow_mut().extend_from_slice(chunk);
            }
            polled
        });
        let mut multipart = actix_multipart::Multipart::new(req.headers(), tee);
        match multipart.next().await {
            Some(Ok(mut field)) if field.name() == Some(FIELD) => {
                let mut value = Vec::new();
                while let Some(Ok(chunk)) = field.next().await {
                    value.extend_from_slice(&chunk);
                    if value.len() > MAX_TOKEN_LEN {
                        break;
                    }
                }
                String::from_utf8(value).ok()
            }
            _ => None,
        }
    };
    let head = seen.take().freeze();
    let rest = futures_util::stream::poll_fn(move |cx| shared.borrow_mut().poll_next_unpin(cx));
    let body: BoxedPayloadStream =
        Box::pin(futures_util::stream::once(async move { Ok(head) }).chain(rest));
    req.set_payload(Payload::from(body));
    token
}

fn payload_of(body: Bytes) -> Payload {
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    Payload::from(payload)
}
