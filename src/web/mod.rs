//! Shared web plumbing: the application's state, its middleware and routes, errors,
//! language, security headers, static files and the layout's context.

pub mod assets;
pub mod auth;
pub mod client;
pub mod context;
pub mod csrf;
pub mod errors;
pub mod format;
pub mod forms;
pub mod headers;
pub mod i18n;
pub mod input_guard;
pub mod pagination;
pub mod redact;
pub mod respond;
pub mod session;

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::cookie::Key;
use actix_web::dev::{Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{Compress, ErrorHandlers, from_fn};
use actix_web::{App, HttpMessage, web};
use tracing_actix_web::{RequestId, TracingLogger};

pub use context::PageCtx;
pub use errors::AppError;
pub use i18n::Lang;

use crate::config::Settings;
use crate::db::Pool;

/// What every handler can reach. Cheap to clone: the pool and settings are shared.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub figures: Arc<crate::site::FiguresCache>,
    /// The open vacancies' searchable columns, reloaded when they change.
    pub boards: Arc<crate::vacancies::search::BoardCache>,
    /// The open training programmes' searchable columns, reloaded when they change.
    pub programmes: Arc<crate::training::search::ProgrammeCache>,
    /// Signs and encrypts the session cookie.
    pub cookie_key: Key,
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings, cookie_key: Key) -> Self {
        Self {
            boards: Arc::new(crate::vacancies::search::BoardCache::new(
                settings.search_cache_entries,
            )),
            programmes: Arc::new(crate::training::search::ProgrammeCache::new(
                settings.search_cache_entries,
            )),
            pool,
            settings: Arc::new(settings),
            figures: Arc::default(),
            cookie_key,
        }
    }
}

/// Largest form or JSON body accepted; uploads get their own limits where they exist.
const BODY_LIMIT: usize = 256 * 1024;

/// The whole application, as the server and the tests build it.
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let https = state.settings.is_https();
    let key = state.cookie_key.clone();
    App::new()
        .app_data(web::Data::new(state))
        .app_data(web::FormConfig::default().limit(BODY_LIMIT))
        .app_data(web::JsonConfig::default().limit(BODY_LIMIT))
        .configure(crate::site::routes)
        .configure(crate::accounts::routes::routes)
        .configure(crate::accounts::admin::routes)
        .configure(crate::audit::routes)
        .configure(crate::employers::routes)
        .configure(crate::mail::admin::routes)
        .configure(crate::vacancies::routes)
        .configure(crate::seekers::routes)
        .configure(crate::applications::routes)
        .configure(crate::alerts::routes)
        .configure(crate::training::routes)
        .service(web::resource("/static/{name:.+}").route(web::get().to(assets::serve)))
        .default_service(web::to(errors::not_found))
        .wrap(
            ErrorHandlers::new()
                .default_handler_client(errors::render_error_page)
                .default_handler_server(errors::render_error_page),
        )
        .wrap(from_fn(csrf::csrf_guard))
        .wrap(from_fn(input_guard::replace_hidden_controls))
        .wrap(from_fn(auth::load_identity))
        .wrap(session::middleware(key, https))
        .wrap(from_fn(session::remembered_cookie))
        .wrap(headers::security_headers(https))
        .wrap(Compress::default())
        .wrap_fn(|req, srv| {
            // The id in the log is also sent back, so a resident can quote it to the
            // help desk and staff can find the request.
            let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
            let fut = srv.call(req);
            async move {
                let mut res = fut.await?;
                if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                    res.headers_mut()
                        .insert(HeaderName::from_static("x-request-id"), value);
                }
                Ok(res)
            }
        })
        .wrap(TracingLogger::<crate::telemetry::AccessLog>::new())
}
