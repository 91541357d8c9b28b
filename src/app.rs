//! The portal put together, above the features: the state every handler reaches, the
//! features' shared caches, the middleware, and the route table of `routes.rs`.

use actix_web::body::MessageBody;
use actix_web::cookie::Key;
use actix_web::dev::{Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpMessage, web};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::config::Settings;
use crate::dashboard::DashboardCache;
use crate::db::Pool;
use crate::interop::access::Limits as ApiLimits;
use crate::interop::ledger::Ledger as ApiLedger;
use crate::open_data::OpenDataCache;
use crate::site::FiguresCache;
use crate::training::search::ProgrammeCache;
use crate::vacancies::search::BoardCache;
use crate::web::{AppState, compress, csrf, errors, head, headers, input_guard, routing, session};

/// Everything the application holds across requests. Made once per process and cloned
/// into each worker, so the caches are shared by all of them.
#[derive(Clone)]
pub struct Portal {
    pub state: AppState,
    /// The open vacancies' searchable columns, reloaded when they change.
    boards: web::Data<BoardCache>,
    /// The open training programmes' searchable columns, reloaded when they change.
    programmes: web::Data<ProgrammeCache>,
    /// The open national vacancies (Karirhub's, pulled), for the box beside the search.
    national_vacancies: web::Data<crate::national::vacancies::NationalCache>,
    /// The home page's headline figures.
    figures: web::Data<FiguresCache>,
    /// The dashboard's sums of the IPK ledger, until it grows.
    dashboard: web::Data<DashboardCache>,
    /// The open data sets' tables, until another month is closed.
    open_data: web::Data<OpenDataCache>,
    /// The API's rate limits per key, shared by the workers.
    api_limits: web::Data<ApiLimits>,
    /// The writer of the API's out-log counts and audit entries, in batches.
    api_ledger: web::Data<ApiLedger>,
    /// The OpenID Connect provider residents and staff may sign in with, if any, with its
    /// discovery document once read.
    sso: web::Data<crate::accounts::sso::Sso>,
    /// The staff's queues as last counted, for the counts beside the menu entries.
    queues: web::Data<crate::home::QueueCache>,
}

impl Portal {
    pub fn new(pool: Pool, settings: Settings, cookie_key: Key) -> Self {
        Self {
            boards: web::Data::new(BoardCache::new(settings.search_cache_entries)),
            programmes: web::Data::new(ProgrammeCache::new(settings.search_cache_entries)),
            national_vacancies: web::Data::new(crate::national::vacancies::NationalCache::new(
                settings.search_cache_entries,
            )),
            figures: web::Data::new(FiguresCache::default()),
            dashboard: web::Data::new(DashboardCache::default()),
            open_data: web::Data::new(OpenDataCache::default()),
            api_limits: web::Data::new(ApiLimits::new(settings.api_rate_per_second)),
            api_ledger: web::Data::new(ApiLedger::start(pool.clone())),
            sso: web::Data::new(
                crate::accounts::sso::Sso::new(settings.oidc.as_ref()).unwrap_or_else(|e| {
                    // Only a TLS setup that cannot be built: sign-in by password goes on.
                    tracing::error!(error = %e, "sign-in through the OpenID Connect provider is off");
                    crate::accounts::sso::Sso::default()
                }),
            ),
            queues: web::Data::new(crate::home::QueueCache::default()),
            state: AppState::new(pool, settings, cookie_key),
        }
    }
}

/// Largest form or JSON body accepted; uploads get their own limits where they exist.
const BODY_LIMIT: usize = 256 * 1024;

/// The whole application, as the server and the tests build it.
pub fn build_app(
    portal: Portal,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let Portal {
        state,
        boards,
        programmes,
        national_vacancies,
        figures,
        dashboard,
        open_data,
        api_limits,
        api_ledger,
        sso,
        queues,
    } = portal;
    let https = state.settings.is_https();
    let key = state.cookie_key.clone();
    App::new()
        .app_data(web::Data::new(state))
        .app_data(boards)
        .app_data(programmes)
        .app_data(national_vacancies)
        .app_data(figures)
        .app_data(dashboard)
        .app_data(open_data)
        .app_data(api_limits)
        .app_data(api_ledger)
        .app_data(sso)
        .app_data(queues)
        .app_data(web::FormConfig::default().limit(BODY_LIMIT))
        .app_data(web::JsonConfig::default().limit(BODY_LIMIT))
        .configure(|cfg| routing::register(cfg, crate::routes::table()))
        .default_service(web::to(errors::not_found))
        .wrap(
            ErrorHandlers::new()
                .default_handler_client(errors::render_error_page)
                .default_handler_server(errors::render_error_page),
        )
        .wrap(from_fn(csrf::csrf_guard))
        .wrap(from_fn(input_guard::replace_hidden_controls))
        .wrap(from_fn(crate::home::count_for_menu))
        .wrap(from_fn(crate::accounts::load_identity))
        .wrap(session::middleware(key, https))
        .wrap(from_fn(session::remembered_cookie))
        .wrap(headers::security_headers(https))
        .wrap(from_fn(compress::gzip_responses))
        .wrap(from_fn(head::answer_as_get))
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
