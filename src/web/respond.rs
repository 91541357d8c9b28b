//! Small helpers every handler uses to answer.

use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;

use super::AppError;

/// Renders a page with a status (422 for a form with errors, 429 when throttled...).
/// Pages that show a form or personal data are not cached.
pub fn render(template: &impl Template, status: StatusCode) -> Result<HttpResponse, AppError> {
    let html = template.render().map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// 303 See Other: after a form, the browser fetches the next page with GET.
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// The client's address, for throttling, the audit log and the access log: the peer, or
/// what a trusted proxy says (see [`super::client`]).
pub fn client_address(req: &HttpRequest) -> String {
    match req.app_data::<actix_web::web::Data<super::AppState>>() {
        Some(state) => super::client::resolve(req, &state.settings.trusted_proxies),
        None => super::client::resolve(req, &Default::default()),
    }
}

/// Where a request came from, for the audit log and the throttles: the client's address
/// (behind a trusted proxy, the one it reports) and the id the request's log lines carry.
/// Handlers take it as an argument.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub address: String,
    pub request_id: Option<String>,
}

impl RequestMeta {
    pub fn of(req: &HttpRequest) -> Self {
        Self {
            address: client_address(req),
            request_id: request_id(req),
        }
    }
}

impl FromRequest for RequestMeta {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Self::of(req)))
    }
}

/// The request id that the log lines of this request carry.
pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string())
}
