//! The staff's queues: cards asked for at the counter, companies and vacancies waiting for
//! a verifier, WLKP reports waiting for review. Counted for the staff's home page, and kept
//! for half a minute for the counts beside the menu entries on every page they open.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::web::AppState;
use crate::web::auth::{SessionUser, access};
use crate::web::badges::{self, Badges};

/// How long the menu's counts may lag behind the queues. The home page always counts.
const FRESH_FOR: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Queues {
    pub cards_requested: i64,
    pub companies_pending: i64,
    pub vacancies_pending: i64,
    pub wlkp_pending: i64,
}

impl Queues {
    pub fn count(conn: &mut DbConnection) -> QueryResult<Self> {
        Ok(Self {
            cards_requested: crate::seekers::ak1::model::count_requested(conn)?,
            companies_pending: crate::employers::count_pending_companies(conn)?,
            vacancies_pending: crate::vacancies::count_submitted(conn)?,
            wlkp_pending: crate::wlkp::model::count_queue(conn)?,
        })
    }

    /// The counts the menu shows this user: only the queues the route table lets them work.
    pub fn badges(&self, user: &SessionUser) -> Badges {
        let mut shown = Vec::new();
        if access::COUNTER_STAFF.allows(user) {
            shown.push(("counter", self.cards_requested));
        }
        if access::VERIFIER.allows(user) {
            shown.push((
                "verification",
                self.companies_pending + self.vacancies_pending,
            ));
            shown.push(("wlkp_staff", self.wlkp_pending));
        }
        Badges::new(shown)
    }
}

/// The counts last taken, shared by the requests of one instance.
#[derive(Default)]
pub struct QueueCache {
    kept: Mutex<Option<(Instant, Queues)>>,
}

impl QueueCache {
    fn fresh(&self) -> Option<Queues> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, queues)| queues)
    }

    /// Keeps counts just taken, so the next pages' menus agree with the home page.
    pub fn keep(&self, queues: Queues) {
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), queues));
    }
}

/// Middleware: for staff who work a queue, puts its counts on the request for the menu.
/// Counting fails quietly: a menu without counts is better than a page that does not open.
pub async fn count_for_menu(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let works_a_queue =
        |u: &SessionUser| access::COUNTER_STAFF.allows(u) || access::VERIFIER.allows(u);
    if req.method() == actix_web::http::Method::GET
        && !req.path().starts_with("/static/")
        && let Some(user) = crate::web::auth::current(req.request()).filter(works_a_queue)
        && let Some(cache) = req.app_data::<web::Data<QueueCache>>().cloned()
        && let Some(state) = req.app_data::<web::Data<AppState>>().cloned()
    {
        let queues = match cache.fresh() {
            Some(queues) => Some(queues),
            None => match state.db(|conn| Ok(Queues::count(conn)?)).await {
                Ok(queues) => {
                    cache.keep(queues);
                    Some(queues)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "counting the staff's queues for the menu failed");
                    None
                }
            },
        };
        if let Some(queues) = queues {
            badges::attach(&req, queues.badges(&user));
        }
    }
    next.call(req).await
}
