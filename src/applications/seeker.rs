//! The seeker's side: apply to a vacancy with an optional note, follow every application on
//! one page with its timeline, and withdraw before a decision.

use crate::domain::ids::{ApplicationId, VacancyId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::model::{self, Error, Refusal, TimelineEntry};
use super::stage::{Stage, StepState};
use crate::audit::{self, Entry, actions};
use crate::seekers::ak1::holder::Holder;
use crate::web::auth::SessionUser;
use crate::web::auth::{JobSeeker, Require};
use crate::web::format::day;
use crate::web::forms::{FieldErrors, check_lines};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

const NOTE_MAX: usize = 1000;

#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    catatan: String,
}

/// Why the form is not offered, with what the seeker can do about it.
enum Problem {
    /// The e-mail address is not confirmed: the company's answers would go nowhere.
    Unverified,
    Incomplete(Vec<&'static str>),
    Closed,
    Twice,
}

#[derive(Template)]
#[template(path = "applications/apply.html")]
struct ApplyPage {
    ctx: PageCtx,
    vacancy_id: VacancyId,
    title: String,
    company: String,
    problem: Option<Problem>,
    form: ApplyForm,
    /// The note's message, if it was refused (the form's only field).
    errors: FieldErrors,
}

struct Context {
    vacancy: crate::vacancies::Vacancy,
    company: String,
    holder: Holder,
    email_verified: bool,
}

async fn load(
    state: &AppState,
    user: &SessionUser,
    vacancy_id: VacancyId,
) -> Result<Context, AppError> {
    let (user_id, email_verified) = (user.id, user.email_verified);
    state
        .db(move |conn| {
            let vacancy = crate::vacancies::find(conn, vacancy_id)?.ok_or(AppError::NotFound)?;
            // Only vacancies the public could ever see; drafts stay the company's business.
            if matches!(
                vacancy.status(),
                crate::vacancies::VacancyStatus::Draft
                    | crate::vacancies::VacancyStatus::Submitted
                    | crate::vacancies::VacancyStatus::Rejected
            ) {
                return Err(AppError::NotFound);
            }
            let company = crate::employers::find_company(conn, vacancy.company_id)?
                .ok_or(AppError::NotFound)?
                .name;
            let holder = Holder::load(conn, user_id)?;
            Ok(Context {
                vacancy,
                company,
                holder,
                email_verified,
            })
        })
        .await
}

/// What stands in the way of applying, in the order the seeker should hear it.
fn problem_of(c: &Context, twice: bool) -> Option<Problem> {
    let today = crate::domain::calendar::today();
    if twice {
        Some(Problem::Twice)
    } else if !c.vacancy.is_open(today) {
        Some(Problem::Closed)
    } else if !c.email_verified {
        Some(Problem::Unverified)
    } else if !c.holder.missing.is_empty() {
        Some(Problem::Incomplete(c.holder.missing.clone()))
    } else {
        None
    }
}

async fn already_applied(state: &AppState, c: &Context) -> Result<bool, AppError> {
    let Some(seeker) = c.holder.profile.as_ref().map(|p| p.id) else {
        return Ok(false);
    };
    let vacancy = c.vacancy.id;
    state
        .db(move |conn| Ok(model::find_by_seeker(conn, seeker, vacancy)?.is_some()))
        .await
}

fn status_of(problem: &Option<Problem>) -> StatusCode {
    match problem {
        None => StatusCode::OK,
        Some(Problem::Unverified) => StatusCode::FORBIDDEN,
        Some(Problem::Incomplete(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        Some(Problem::Closed | Problem::Twice) => StatusCode::CONFLICT,
    }
}

pub async fn form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
    id: web::Path<VacancyId>,
) -> Result<HttpResponse, AppError> {
    let c = load(&state, &seeker.user, id.into_inner()).await?;
    let twice = already_applied(&state, &c).await?;
    let problem = problem_of(&c, twice);
    let status = status_of(&problem);
    let page = ApplyPage {
        vacancy_id: c.vacancy.id,
        title: c.vacancy.title,
        company: c.company,
        problem,
        form: ApplyForm::default(),
        errors: FieldErrors::default(),
        ctx,
    };
    render(&page, status)
}

pub async fn apply(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    id: web::Path<VacancyId>,
    form: web::Form<ApplyForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let user_id = seeker.user.id;
    let c = load(&state, &seeker.user, id.into_inner()).await?;
    let twice = already_applied(&state, &c).await?;
    let page = |ctx, problem: Option<Problem>, form, note_error: Option<&'static str>| {
        let status = match (&problem, note_error) {
            (None, Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => status_of(&problem),
        };
        let mut errors = FieldErrors::default();
        if let Some(key) = note_error {
            errors.add("catatan", key);
        }
        let page = ApplyPage {
            vacancy_id: c.vacancy.id,
            title: c.vacancy.title.clone(),
            company: c.company.clone(),
            problem,
            form,
            errors,
            ctx,
        };
        render(&page, status)
    };
    if let Some(problem) = problem_of(&c, twice) {
        return page(ctx, Some(problem), form, None);
    }
    let note = form.catatan.trim().to_owned();
    if !check_lines(&mut FieldErrors::default(), "catatan", &note) {
        return page(ctx, None, form, Some("form.error.hidden_characters"));
    }
    if note.chars().count() > NOTE_MAX {
        return page(ctx, None, form, Some("application.error.note_long"));
    }
    let Some(seeker_id) = c.holder.profile.as_ref().map(|p| p.id) else {
        return page(
            ctx,
            Some(Problem::Incomplete(c.holder.missing.clone())),
            form,
            None,
        );
    };
    let vacancy = c.vacancy.clone();

    let today = crate::domain::calendar::today();
    let result = state
        .db(move |conn| {
            let note = (!note.is_empty()).then_some(note.as_str());
            // The application and its audit entry stand or fall together: a server killed
            // between the two would leave an application nobody is recorded as sending.
            crate::db::transaction(conn, |conn| {
                match model::apply(conn, seeker_id, &vacancy, note, user_id, today) {
                    Ok(id) => {
                        audit::record(
                            conn,
                            Entry::new(actions::APPLICATION_SUBMITTED)
                                .actor(user_id)
                                .subject("application", id)
                                .client(&meta),
                        )?;
                        Ok(Ok(id))
                    }
                    Err(Error::Refused(r)) => Ok(Err(r)),
                    Err(Error::Db(e)) => Err(AppError::from(e)),
                }
            })
        })
        .await?;
    match result {
        Ok(_) => {
            session::flash(&session, FlashLevel::Success, "application.sent");
            Ok(redirect("/pencaker/lamaran"))
        }
        Err(Refusal::AlreadyApplied(_)) => page(ctx, Some(Problem::Twice), form, None),
        Err(_) => page(ctx, Some(Problem::Closed), form, None),
    }
}

pub struct MyApplication {
    pub id: ApplicationId,
    pub vacancy_id: VacancyId,
    pub title: String,
    pub company: String,
    pub applied: String,
    pub stage: Stage,
    pub note: Option<String>,
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Template)]
#[template(path = "applications/mine.html")]
struct MinePage {
    ctx: PageCtx,
    applications: Vec<MyApplication>,
}

pub async fn mine(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let lang = ctx.lang;
    let (rows, events) = state
        .db(move |conn| {
            let Some(profile) = crate::seekers::find_by_user(conn, user_id)? else {
                return Ok((Vec::new(), Vec::new()));
            };
            let applied = model::of_seeker(conn, profile.id)?;
            let vacancies: Vec<VacancyId> = applied.iter().map(|a| a.vacancy_id).collect();
            let headings = crate::vacancies::headings(conn, &vacancies)?;
            let rows: Vec<(model::Application, String, String)> = applied
                .into_iter()
                .filter_map(|a| {
                    let (title, company) = headings.get(&a.vacancy_id).cloned()?;
                    Some((a, title, company))
                })
                .collect();
            let ids: Vec<ApplicationId> = rows.iter().map(|r| r.0.id).collect();
            let events = model::events_of(conn, &ids)?;
            Ok((rows, events))
        })
        .await?;
    let applications = rows
        .into_iter()
        .map(|(a, title, company)| MyApplication {
            timeline: events
                .iter()
                .filter(|e| e.application_id == a.id)
                .map(|e| e.entry(lang))
                .collect(),
            id: a.id,
            vacancy_id: a.vacancy_id,
            applied: day(lang, a.applied_at),
            stage: a.stage(),
            note: a.note,
            title,
            company,
        })
        .collect();
    render(&MinePage { ctx, applications }, StatusCode::OK)
}

pub async fn withdraw(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let id = id.into_inner();

    let outcome = state
        .db(move |conn| {
            let profile = crate::seekers::find_by_user(conn, user_id)?.ok_or(AppError::NotFound)?;
            // Another seeker's application is simply not found.
            let app = model::find(conn, id)?
                .filter(|a| a.job_seeker_id == profile.id)
                .ok_or(AppError::NotFound)?;
            match model::withdraw(conn, &app, user_id) {
                Ok(()) => {
                    audit::record(
                        conn,
                        Entry::new(actions::APPLICATION_WITHDRAWN)
                            .actor(user_id)
                            .subject("application", id)
                            .client(&meta),
                    )?;
                    Ok(true)
                }
                Err(Error::Refused(_)) => Ok(false),
                Err(Error::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    if outcome {
        session::flash(&session, FlashLevel::Success, "application.withdrawn");
    } else {
        session::flash(&session, FlashLevel::Error, "application.error.decided");
    }
    Ok(redirect("/pencaker/lamaran"))
}
