//! Logging: human-readable lines by default, JSON lines for log collectors.
//! Every line of a request carries its request id (tracing-actix-web's root span).

use actix_web::HttpMessage;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(format: LogFormat, filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The root span of every request (with its request id), and one log line when it ends:
/// info for answers, error for 5xx. A redirect to the login page or a 404 is not an error
/// of the portal, so it is not logged as one.
pub struct AccessLog;

impl tracing_actix_web::RootSpanBuilder for AccessLog {
    /// The default root span would write the whole URL and believe any `Forwarded`
    /// header; this one writes the redacted target and the address the throttles use.
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use tracing::field::Empty;
        let client_ip = crate::web::respond::client_address(request.request());
        let pattern = request.match_pattern();
        let target = crate::web::redact::target_for_log(
            request.path(),
            request.query_string(),
            pattern.as_deref(),
        );
        let route = pattern.unwrap_or_else(|| "default".into());
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        let user_agent = request
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = %client_ip,
            http.user_agent = %user_agent,
            http.target = %target,
            http.status_code = Empty,
            otel.kind = "server",
            otel.status_code = Empty,
            request_id = %request_id,
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span.clone(), outcome);
        if !status.is_server_error() {
            // The default marks any handler error (a redirect to the login page) as failed.
            span.record("otel.status_code", "OK");
        }
        let _entered = span.enter();
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), "request failed");
        } else {
            tracing::info!(status = status.as_u16(), "request");
        }
    }
}
