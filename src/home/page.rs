//! `/saya`: the page every sign-in lands on.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::queues::{QueueCache, Queues};
use super::sections::{EmployerHome, ProviderProgramme, SeekerHome, StewardHome};
use crate::web::auth::CurrentUser;
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx};

#[derive(Template)]
#[template(path = "home/page.html")]
struct HomePage {
    ctx: PageCtx,
    greeting: String,
    seeker: Option<SeekerHome>,
    employer: Option<EmployerHome>,
    /// Set for a provider's user: their programmes.
    programmes: Option<Vec<ProviderProgramme>>,
    /// Set for staff who work a queue.
    queues: Option<Queues>,
    steward: Option<StewardHome>,
}

pub async fn page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    cache: web::Data<QueueCache>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let user = user.0;
    let lang = ctx.lang;
    let today = crate::domain::calendar::today();
    let (seeker, employer, provider, works_queue, steward) = (
        ctx.is_job_seeker(),
        user.company_id,
        user.provider_id,
        ctx.is_counter_staff() || ctx.is_verifier(),
        ctx.is_data_staff(),
    );
    let user_id = user.id;
    let (seeker, employer, programmes, queues, steward) = state
        .db(move |conn| {
            Ok((
                seeker
                    .then(|| SeekerHome::load(conn, user_id, lang, today))
                    .transpose()?,
                match employer {
                    Some(company) => EmployerHome::load(conn, company)?,
                    None => None,
                },
                provider
                    .map(|p| super::sections::provider_programmes(conn, p))
                    .transpose()?,
                works_queue.then(|| Queues::count(conn)).transpose()?,
                steward.then(|| StewardHome::load(conn)).transpose()?,
            ))
        })
        .await?;
    let ctx = match queues {
        Some(queues) => {
            cache.keep(queues);
            ctx.with_badges(queues.badges(&user))
        }
        None => ctx,
    };
    let page = HomePage {
        greeting: ctx.tf("my_home.greeting", &[("name", &user.full_name)]),
        ctx,
        seeker,
        employer,
        programmes,
        queues,
        steward,
    };
    render(&page, StatusCode::OK)
}
