//! Errors of the API as RFC 9457 problem details: `application/problem+json` with a stable
//! `type` URI per kind of problem, so a partner's program can branch on it and a person
//! reading the body learns what to change. The English `title` is fixed per type; the
//! `detail` says what was wrong with this request, never with data from the records.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use serde::Serialize;
use utoipa::ToSchema;

/// One kind of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request carried the portal's session cookie: the API is for keys only.
    CookieRefused,
    /// No `Authorization: Bearer` key.
    KeyMissing,
    /// A key that is malformed, unknown, expired, revoked, or whose partner is inactive.
    KeyRefused,
    /// A valid key without a scope for the data set.
    OutOfScope,
    /// A query parameter the endpoint does not know, or given twice.
    UnknownParameter,
    /// A query parameter with a value it cannot take.
    InvalidParameter,
    /// The query string is longer than any valid one.
    QueryTooLong,
    /// No such data set or endpoint.
    NotFound,
    /// Too many requests for the key (or failed attempts from the address).
    RateLimited,
    /// The portal failed; the request id in the log says where.
    Internal,
    /// The portal cannot log more reads just now: the page was not sent.
    Busy,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::CookieRefused,
        Kind::KeyMissing,
        Kind::KeyRefused,
        Kind::OutOfScope,
        Kind::UnknownParameter,
        Kind::InvalidParameter,
        Kind::QueryTooLong,
        Kind::NotFound,
        Kind::RateLimited,
        Kind::Internal,
        Kind::Busy,
    ];

    /// The last segment of the `type` URI (`/api/v1/problems/<slug>`).
    pub fn slug(self) -> &'static str {
        match self {
            Kind::CookieRefused => "cookie-refused",
            Kind::KeyMissing => "key-missing",
            Kind::KeyRefused => "key-refused",
            Kind::OutOfScope => "out-of-scope",
            Kind::UnknownParameter => "unknown-parameter",
            Kind::InvalidParameter => "invalid-parameter",
            Kind::QueryTooLong => "query-too-long",
            Kind::NotFound => "not-found",
            Kind::RateLimited => "rate-limited",
            Kind::Internal => "internal",
            Kind::Busy => "busy",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Kind::CookieRefused | Kind::KeyMissing | Kind::KeyRefused => StatusCode::UNAUTHORIZED,
            Kind::OutOfScope => StatusCode::FORBIDDEN,
            Kind::UnknownParameter | Kind::InvalidParameter | Kind::QueryTooLong => {
                StatusCode::BAD_REQUEST
            }
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Kind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::CookieRefused => "The API does not accept the portal's session cookie",
            Kind::KeyMissing => "An API key is required",
            Kind::KeyRefused => "The API key is not valid",
            Kind::OutOfScope => "The API key has no scope for this data set",
            Kind::UnknownParameter => "Unknown query parameter",
            Kind::InvalidParameter => "Invalid query parameter",
            Kind::QueryTooLong => "Query string too long",
            Kind::NotFound => "Not found",
            Kind::RateLimited => "Too many requests",
            Kind::Internal => "Internal error",
            Kind::Busy => "The portal is busy",
        }
    }

    /// The `type` URI: relative to the portal, where the documentation page explains it.
    pub fn uri(self) -> String {
        format!("/dokumentasi-api#problem-{}", self.slug())
    }
}

/// A problem details object (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; stable across versions of the portal.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    /// What was wrong with this request.
    pub detail: String,
    /// The parameter at fault, for 400 problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    #[serde(skip)]
    status_code: StatusCode,
    #[serde(skip)]
    retry_after: Option<u64>,
    #[serde(skip)]
    challenge: bool,
}

impl Problem {
    pub fn new(kind: Kind, detail: impl Into<String>) -> Self {
        Self {
            kind: kind.uri(),
            title: kind.title(),
            status: kind.status().as_u16(),
            detail: detail.into(),
            parameter: None,
            status_code: kind.status(),
            retry_after: None,
            challenge: matches!(kind, Kind::KeyMissing | Kind::KeyRefused),
        }
    }

    /// A 400 about one query parameter.
    pub fn parameter(kind: Kind, parameter: &str, detail: impl Into<String>) -> Self {
        let mut p = Self::new(kind, detail);
        p.parameter = Some(parameter.chars().take(64).collect());
        p
    }

    /// A 429 that says when to come back.
    pub fn rate_limited(seconds: u64) -> Self {
        let mut p = Self::new(
            Kind::RateLimited,
            format!("Wait {seconds} s before the next request."),
        );
        p.retry_after = Some(seconds.max(1));
        p
    }

    /// A 503: more pages are waiting for their logs than the database keeps up with.
    pub fn busy() -> Self {
        let mut p = Self::new(
            Kind::Busy,
            "Too many pages are being sent just now; try again after Retry-After seconds.",
        );
        p.retry_after = Some(1);
        p
    }

    pub fn internal() -> Self {
        Self::new(
            Kind::Internal,
            "The request failed on the portal; quote the X-Request-Id header to the Dinas.",
        )
    }

    pub fn response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code);
        res.content_type("application/problem+json")
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        if let Some(seconds) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if self.challenge {
            res.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sibuser\""),
            ));
        }
        res.body(serde_json::to_vec(self).unwrap_or_default())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.title, self.detail)
    }
}

impl actix_web::ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        self.status_code
    }

    fn error_response(&self) -> HttpResponse {
        self.response()
    }
}
