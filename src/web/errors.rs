//! Errors become pages in the layout (or JSON under `/api/`); causes go to the log only.
//!
//! Handlers return [`AppError`], which produces a bare status. The [`render_error_page`]
//! middleware handler then turns any error status that is not already a page into the
//! error page in the user's language, so extractor failures (a malformed query string,
//! a wrong method) get the same treatment as the handlers' own errors.

use std::fmt;

use actix_web::body::EitherBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use tracing_actix_web::RequestId;

use super::context::PageCtx;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    BadRequest,
    /// Not signed in: go to the login page, then back to this path.
    LoginRequired(String),
    /// Something failed on our side; the cause, with its chain of sources, is logged and
    /// never shown.
    Internal(anyhow::Error),
    /// No database connection right now (too busy, or the database is down): try again
    /// shortly.
    Unavailable(crate::db::Unavailable),
    /// The disk is full: nothing was saved, the person may try again later, and an
    /// operator must act.
    StorageFull(anyhow::Error),
}

impl AppError {
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }

    /// A failed write: a full disk (or quota) is told apart, the rest is internal.
    pub fn from_io(e: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Self::StorageFull(e.into()),
            _ => Self::internal(e),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => f.write_str("not found"),
            Self::Forbidden => f.write_str("forbidden"),
            Self::BadRequest => f.write_str("bad request"),
            Self::LoginRequired(_) => f.write_str("login required"),
            Self::Internal(cause) => write!(f, "internal error: {cause:#}"),
            Self::Unavailable(cause) => write!(f, "unavailable: {cause}"),
            Self::StorageFull(cause) => write!(f, "storage full: {cause:#}"),
        }
    }
}

impl std::error::Error for AppError {}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Self::NotFound,
            other => Self::internal(other),
        }
    }
}

impl From<crate::db::Unavailable> for AppError {
    fn from(e: crate::db::Unavailable) -> Self {
        Self::Unavailable(e)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::LoginRequired(_) => StatusCode::SEE_OTHER,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            // `{:#}` writes the whole chain: "rendering failed: no such field".
            tracing::error!(cause = format!("{cause:#}"), "request failed");
        }
        if let Self::StorageFull(cause) = self {
            tracing::error!(
                cause = format!("{cause:#}"),
                "request refused: storage full"
            );
        }
        if let Self::Unavailable(cause) = self {
            match cause {
                crate::db::Unavailable::Busy(_) => {
                    tracing::warn!(%cause, "request refused: too busy");
                }
                crate::db::Unavailable::Down(_) => {
                    tracing::warn!(%cause, "request refused: database unavailable");
                }
            }
            return HttpResponse::ServiceUnavailable()
                .insert_header((header::RETRY_AFTER, "5"))
                .content_type("text/plain; charset=utf-8")
                .body("Service Unavailable");
        }
        if let Self::LoginRequired(next) = self {
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/masuk?{query}")))
                .finish();
        }
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.status_code().canonical_reason().unwrap_or("error"))
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: u16,
    title_key: &'static str,
    message_key: &'static str,
    request_id: Option<String>,
}

fn keys_for(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::NOT_FOUND => ("error.404.title", "error.404.message"),
        StatusCode::FORBIDDEN => ("error.403.title", "error.403.message"),
        StatusCode::METHOD_NOT_ALLOWED => ("error.405.title", "error.405.message"),
        StatusCode::PAYLOAD_TOO_LARGE => ("error.413.title", "error.413.message"),
        StatusCode::TOO_MANY_REQUESTS => ("error.429.title", "error.429.message"),
        StatusCode::SERVICE_UNAVAILABLE => ("error.503.title", "error.503.message"),
        StatusCode::INSUFFICIENT_STORAGE => ("error.507.title", "error.507.message"),
        s if s.is_server_error() => ("error.500.title", "error.500.message"),
        _ => ("error.400.title", "error.400.message"),
    }
}

/// Renders the error page for a status, in the request's language.
pub fn error_page(req: &HttpRequest, status: StatusCode) -> HttpResponse {
    let (title_key, message_key) = keys_for(status);
    let request_id = status
        .is_server_error()
        .then(|| req.extensions().get::<RequestId>().map(|id| id.to_string()))
        .flatten();
    let page = ErrorPage {
        ctx: PageCtx::from_request(req),
        status: status.as_u16(),
        title_key,
        message_key,
        request_id,
    };
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body(status.canonical_reason().unwrap_or("error"))
        }
    }
}

/// The error-handler middleware's hook: replaces a bare error response with the page.
pub fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // A page, or a JSON answer (the readiness check's 503 says why), is already what the
    // client asked for.
    let already_a_page = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.as_bytes();
        v.starts_with(b"text/html") || v.starts_with(b"application/json")
    });
    if already_a_page || res.request().path().starts_with("/api/") {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, old) = res.into_parts();
    let mut page = error_page(&req, status);
    // Keep what the original response told the client (Allow on 405, Retry-After on 429).
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = old.headers().get(&name) {
            page.headers_mut().insert(name, v.clone());
        }
    }
    page.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let res = ServiceResponse::new(req, page);
    Ok(ErrorHandlerResponse::Response(res.map_into_right_body()))
}

/// The page for any URL no route matches.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    error_page(&req, StatusCode::NOT_FOUND)
}

pub type ErrorBody<B> = EitherBody<B>;
