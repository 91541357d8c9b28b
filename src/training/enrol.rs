//! A job seeker's side of enrolment: enrol in a programme (`/pelatihan/{id}/daftar`), see
//! their programmes with attendance and certificates (`/pencaker/pelatihan`), and withdraw
//! before the programme starts.

use crate::domain::ids::{EnrolmentId, ProgrammeId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::enrolment::{self, Enrolment, Error, Refusal, Status};
use super::programmes::{self, Programme, Status as ProgrammeStatus};
use crate::audit::{self, Entry, actions};
use crate::seekers::ak1::holder::Holder;
use crate::web::auth::SessionUser;
use crate::web::auth::{JobSeeker, Require};
use crate::web::format::{date, day};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

/// What stands in the way of enrolling, in the order the seeker should hear it.
enum Problem {
    /// The e-mail address is not confirmed: the provider's answers would go nowhere.
    Unverified,
    Incomplete(Vec<&'static str>),
    Refused(Refusal),
}

#[derive(Template)]
#[template(path = "training/enrol.html")]
struct EnrolPage {
    ctx: PageCtx,
    programme_id: ProgrammeId,
    title: String,
    provider: String,
    dates: String,
    window: String,
    seats: String,
    problem: Option<Problem>,
    /// Every seat is taken: the form offers the waiting list instead.
    full: bool,
}

struct Context {
    programme: Programme,
    provider: String,
    provider_active: bool,
    holder: Holder,
    earlier: Option<Enrolment>,
    email_verified: bool,
}

async fn load(state: &AppState, user: &SessionUser, id: ProgrammeId) -> Result<Context, AppError> {
    let (user_id, email_verified) = (user.id, user.email_verified);
    state
        .db(move |conn| {
            let programme = programmes::find(conn, id)?.ok_or(AppError::NotFound)?;
            // Drafts are the provider's business only.
            if programme.status() == ProgrammeStatus::Draft {
                return Err(AppError::NotFound);
            }
            let (provider, provider_active) =
                super::providers::name_and_active(conn, programme.provider_id)?;
            let holder = Holder::load(conn, user_id)?;
            let earlier = match &holder.profile {
                Some(p) => enrolment::find_by_seeker(conn, id, p.id)?,
                None => None,
            };
            Ok(Context {
                programme,
                provider,
                provider_active,
                holder,
                earlier,
                email_verified,
            })
        })
        .await
}

fn problem_of(c: &Context, today: NaiveDate) -> Option<Problem> {
    let p = &c.programme;
    if c.earlier.is_some() {
        return Some(Problem::Refused(Refusal::Twice));
    }
    if !c.provider_active || !enrolment::registration_open(p, today) {
        return Some(Problem::Refused(Refusal::NotOpen));
    }
    if !c.email_verified {
        return Some(Problem::Unverified);
    }
    if !c.holder.missing.is_empty() {
        return Some(Problem::Incomplete(c.holder.missing.clone()));
    }
    let profile = c.holder.profile.as_ref()?;
    enrolment::eligibility(p, profile.education_level, profile.birth_date)
        .err()
        .map(Problem::Refused)
}

fn status_of(problem: &Option<Problem>) -> StatusCode {
    match problem {
        None => StatusCode::OK,
        Some(Problem::Unverified) => StatusCode::FORBIDDEN,
        Some(Problem::Incomplete(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        Some(Problem::Refused(Refusal::Education | Refusal::Age)) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(Problem::Refused(_)) => StatusCode::CONFLICT,
    }
}

fn page(ctx: PageCtx, c: &Context, problem: Option<Problem>) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let p = &c.programme;
    let status = status_of(&problem);
    let page = EnrolPage {
        programme_id: p.id,
        title: p.title.clone(),
        provider: c.provider.clone(),
        dates: format!("{} – {}", date(lang, p.starts_on), date(lang, p.ends_on)),
        window: ctx.tf(
            "enrolment.window",
            &[
                ("opens", &date(lang, p.registration_opens_on)),
                ("closes", &date(lang, p.registration_closes_on)),
            ],
        ),
        seats: super::view::seats(&ctx, p),
        full: p.seats_taken >= p.quota,
        problem,
        ctx,
    };
    render(&page, status)
}

pub async fn form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
    id: web::Path<ProgrammeId>,
) -> Result<HttpResponse, AppError> {
    let c = load(&state, &seeker.user, id.into_inner()).await?;
    let problem = problem_of(&c, crate::domain::calendar::today());
    page(ctx, &c, problem)
}

#[derive(Deserialize, Default)]
pub struct EnrolForm {
    /// "1" when the seeker asks for the waiting list of a full programme.
    #[serde(default)]
    tunggu: String,
}

pub async fn enrol(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    id: web::Path<ProgrammeId>,
    form: web::Form<EnrolForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let mut c = load(&state, &seeker.user, id.into_inner()).await?;
    let today = crate::domain::calendar::today();
    if let Some(problem) = problem_of(&c, today) {
        return page(ctx, &c, Some(problem));
    }
    let Some(seeker_id) = c.holder.profile.as_ref().map(|p| p.id) else {
        return page(ctx, &c, Some(Problem::Incomplete(c.holder.missing.clone())));
    };
    let wait = form.tunggu == "1";
    let programme = c.programme.clone();

    let result = state
        .db(move |conn| {
            match enrolment::enrol(conn, &programme, seeker_id, wait, user_id, today) {
                Ok((id, status)) => {
                    audit::record(
                        conn,
                        Entry::new(actions::ENROLMENT_SUBMITTED)
                            .actor(user_id)
                            .subject("training_enrolment", id)
                            .client(&meta),
                    )?;
                    Ok(Ok(status))
                }
                Err(Error::Refused(r)) => {
                    // Shown with the seats as they are now.
                    let fresh = programmes::find(conn, programme.id)?;
                    Ok(Err((r, fresh)))
                }
                Err(Error::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match result {
        Ok(Status::Waitlisted) => {
            session::flash(&session, FlashLevel::Success, "enrolment.sent.waitlisted");
            Ok(redirect("/pencaker/pelatihan"))
        }
        Ok(_) => {
            session::flash(&session, FlashLevel::Success, "enrolment.sent");
            Ok(redirect("/pencaker/pelatihan"))
        }
        Err((refusal, fresh)) => {
            if let Some(p) = fresh {
                c.programme = p;
            }
            page(ctx, &c, Some(Problem::Refused(refusal)))
        }
    }
}

pub struct MyEnrolment {
    pub id: EnrolmentId,
    pub programme_id: ProgrammeId,
    pub title: String,
    pub provider: String,
    pub dates: String,
    pub status: Status,
    pub reason: Option<String>,
    pub certificate: Option<String>,
    pub attendance: Option<String>,
    pub may_withdraw: bool,
    pub timeline: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "training/mine.html")]
struct MinePage {
    ctx: PageCtx,
    enrolments: Vec<MyEnrolment>,
}

pub async fn mine(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let lang = ctx.lang;
    let (rows, events, attendance) = state
        .db(move |conn| {
            let Some(profile) = crate::seekers::find_by_user(conn, user_id)? else {
                return Ok((Vec::new(), Vec::new(), Vec::new()));
            };
            let rows = enrolment::of_seeker(conn, profile.id)?;
            let ids: Vec<EnrolmentId> = rows.iter().map(|r| r.0.id).collect();
            let events = enrolment::events_of(conn, &ids)?;
            let attendance = enrolment::attendance_of(conn, &ids, None)?;
            Ok((rows, events, attendance))
        })
        .await?;
    let today = crate::domain::calendar::today();
    let enrolments = rows
        .into_iter()
        .map(|(e, p, provider)| {
            let status = e.status();
            MyEnrolment {
                attendance: super::view::attendance(&ctx, &attendance, e.id),
                timeline: events
                    .iter()
                    .filter(|ev| ev.enrolment_id == e.id)
                    .map(|ev| (ev.status.label_key(), day(lang, ev.occurred_at)))
                    .collect(),
                may_withdraw: enrolment::may_withdraw(&p, status, today),
                id: e.id,
                programme_id: p.id,
                title: p.title,
                provider,
                dates: format!("{} – {}", date(lang, p.starts_on), date(lang, p.ends_on)),
                status,
                reason: e.reason,
                certificate: e.certificate_number,
            }
        })
        .collect();
    render(&MinePage { ctx, enrolments }, StatusCode::OK)
}

pub async fn withdraw(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    id: web::Path<EnrolmentId>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let id = id.into_inner();

    let today = crate::domain::calendar::today();
    let done = state
        .db(move |conn| {
            let profile = crate::seekers::find_by_user(conn, user_id)?.ok_or(AppError::NotFound)?;
            // Another seeker's enrolment is simply not found.
            let e = enrolment::find(conn, id)?
                .filter(|e| e.job_seeker_id == profile.id)
                .ok_or(AppError::NotFound)?;
            let p = programmes::find(conn, e.programme_id)?.ok_or(AppError::NotFound)?;
            match enrolment::withdraw(conn, &p, &e, Some(user_id), today) {
                Ok(()) => {
                    audit::record(
                        conn,
                        Entry::new(actions::ENROLMENT_WITHDRAWN)
                            .actor(user_id)
                            .subject("training_enrolment", id)
                            .client(&meta),
                    )?;
                    Ok(true)
                }
                Err(Error::Refused(_)) => Ok(false),
                Err(Error::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    if done {
        session::flash(&session, FlashLevel::Success, "enrolment.withdrawn");
    } else {
        session::flash(&session, FlashLevel::Error, "enrolment.error.not_allowed");
    }
    Ok(redirect("/pencaker/pelatihan"))
}
