//! Interviews at a company's booth (`/perusahaan/bursa-kerja/{id}/wawancara`): the
//! employer scans or types the visitor's ticket, names the vacancy talked about, and the
//! interview is recorded; with a vacancy it becomes an application in the employer's
//! pipeline with the fair as its channel, which is how a placement comes from a fair.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::booths::{self, Booth, BoothStatus};
use super::model::{self, Fair};
use super::staff::dates;
use super::tickets::{self, TicketStatus};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::ids::{
    ApplicationId, BoothId, CompanyId, InterviewId, JobFairId, JobSeekerId, TicketId, UserId,
    VacancyId,
};
use crate::schema::{job_fair_interviews, job_fair_tickets};
use crate::vacancies::company_of;
use crate::web::auth::{Employer, Require};
use crate::web::forms::{FieldErrors, check_lines};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

/// An interview as the booth's list shows it.
pub struct Row {
    pub id: InterviewId,
    pub number: String,
    pub name: String,
    pub vacancy: Option<String>,
    pub application: Option<ApplicationId>,
    pub vacancy_id: Option<VacancyId>,
    pub recorded_at: NaiveDateTime,
}

fn booth_of(
    conn: &mut DbConnection,
    fair: JobFairId,
    company: CompanyId,
) -> Result<(Fair, Booth), AppError> {
    let fair = model::find(conn, fair)?.ok_or(AppError::NotFound)?;
    // Only a company with an approved booth interviews at the fair.
    let booth = booths::of_company_at(conn, fair.id, company)?
        .filter(|b| b.status == BoothStatus::Approved)
        .ok_or(AppError::NotFound)?;
    Ok((fair, booth))
}

fn rows(conn: &mut DbConnection, booth: BoothId) -> QueryResult<Vec<Row>> {
    #[allow(clippy::type_complexity)]
    let found: Vec<(
        InterviewId,
        String,
        JobSeekerId,
        Option<VacancyId>,
        Option<ApplicationId>,
        NaiveDateTime,
    )> = job_fair_interviews::table
        .inner_join(job_fair_tickets::table)
        .filter(job_fair_interviews::booth_id.eq(booth))
        .order(job_fair_interviews::id.desc())
        .select((
            job_fair_interviews::id,
            job_fair_tickets::number,
            job_fair_tickets::job_seeker_id,
            job_fair_interviews::vacancy_id,
            job_fair_interviews::application_id,
            job_fair_interviews::recorded_at,
        ))
        .load(conn)?;
    let seekers: Vec<JobSeekerId> = found.iter().map(|r| r.2).collect();
    let people = crate::seekers::people(conn, &seekers)?;
    let vacancies: Vec<VacancyId> = found.iter().filter_map(|r| r.3).collect();
    let headings = crate::vacancies::headings(conn, &vacancies)?;
    Ok(found
        .into_iter()
        .map(|(id, number, seeker, vacancy, application, at)| Row {
            id,
            number,
            name: people
                .get(&seeker)
                .map(|p| p.contact.full_name.clone())
                .unwrap_or_default(),
            vacancy: vacancy.and_then(|v| headings.get(&v).map(|h| h.0.clone())),
            vacancy_id: vacancy,
            application,
            recorded_at: at,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "fairs/interviews.html")]
struct InterviewsPage {
    ctx: PageCtx,
    fair: Fair,
    dates: String,
    booth: Booth,
    vacancies: Vec<(VacancyId, String)>,
    rows: Vec<Row>,
    form: InterviewForm,
    errors: FieldErrors,
}

impl InterviewsPage {
    fn when(&self, at: &NaiveDateTime) -> String {
        crate::web::format::day_time(self.ctx.lang, *at)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InterviewForm {
    pub number: String,
    pub vacancy: String,
    pub note: String,
}

struct Loaded {
    fair: Fair,
    booth: Booth,
    vacancies: Vec<(VacancyId, String)>,
    rows: Vec<Row>,
}

fn load(conn: &mut DbConnection, fair: JobFairId, company: CompanyId) -> Result<Loaded, AppError> {
    let (fair, booth) = booth_of(conn, fair, company)?;
    let brought = booths::vacancies_of(conn, booth.id)?;
    let headings = crate::vacancies::headings(conn, &brought)?;
    let mut vacancies: Vec<(VacancyId, String)> = brought
        .into_iter()
        .filter_map(|v| headings.get(&v).map(|h| (v, h.0.clone())))
        .collect();
    vacancies.sort_by(|a, b| a.1.cmp(&b.1));
    let rows = rows(conn, booth.id)?;
    Ok(Loaded {
        fair,
        booth,
        vacancies,
        rows,
    })
}

async fn show_page(
    ctx: PageCtx,
    state: &AppState,
    fair: JobFairId,
    company: CompanyId,
    form: InterviewForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let l = state.db(move |conn| load(conn, fair, company)).await?;
    let mut res = render(
        &InterviewsPage {
            dates: dates(ctx.lang, &l.fair),
            ctx,
            fair: l.fair,
            booth: l.booth,
            vacancies: l.vacancies,
            rows: l.rows,
            form,
            errors,
        },
        status,
    )?;
    crate::web::headers::allow_camera(&mut res);
    Ok(res)
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Employer>,
    fair: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let company = company_of(&user)?;
    show_page(
        ctx,
        &state,
        fair.into_inner(),
        company,
        InterviewForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Records the interview (and the application a vacancy makes of it). Called inside a
/// transaction; `Err` is the field and the message for the employer.
#[allow(clippy::too_many_arguments)]
fn record(
    conn: &mut DbConnection,
    fair: &Fair,
    booth: &Booth,
    ticket: TicketId,
    seeker: JobSeekerId,
    vacancy: Option<VacancyId>,
    note: Option<&str>,
    actor: UserId,
) -> Result<Result<InterviewId, (&'static str, &'static str)>, crate::applications::model::Error> {
    let today = crate::domain::calendar::today();
    let application = match vacancy {
        Some(v) => {
            let Some(found) = crate::vacancies::find(conn, v)? else {
                return Ok(Err(("vacancy", "interview.error.vacancy")));
            };
            match crate::applications::model::receive_at_fair(
                conn, seeker, &found, fair.id, actor, today,
            ) {
                Ok(
                    crate::applications::model::Forwarded::Received(a)
                    | crate::applications::model::Forwarded::Known(a),
                ) => Some(a),
                Err(crate::applications::model::Error::Refused(_)) => {
                    return Ok(Err(("vacancy", "interview.error.vacancy_closed")));
                }
                Err(e) => return Err(e),
            }
        }
        None => None,
    };
    let id = diesel::insert_into(job_fair_interviews::table)
        .values((
            job_fair_interviews::booth_id.eq(booth.id),
            job_fair_interviews::ticket_id.eq(ticket),
            job_fair_interviews::vacancy_id.eq(vacancy),
            job_fair_interviews::application_id.eq(application),
            job_fair_interviews::note.eq(note),
            job_fair_interviews::recorded_by.eq(actor),
            job_fair_interviews::recorded_at.eq(Utc::now().naive_utc()),
        ))
        .returning(job_fair_interviews::id)
        .get_result(conn)?;
    Ok(Ok(id))
}

pub async fn create(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Employer>,
    fair: web::Path<JobFairId>,
    form: web::Form<InterviewForm>,
) -> Result<HttpResponse, AppError> {
    let company = company_of(&user)?;
    let fair_id = fair.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let note = form.note.trim().to_owned();
    if check_lines(&mut errors, "note", &note) && note.chars().count() > 500 {
        errors.add("note", "interview.error.note");
    }
    let vacancy: Option<VacancyId> = match form.vacancy.trim() {
        "" => None,
        raw => match raw.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.add("vacancy", "interview.error.vacancy");
                None
            }
        },
    };
    let number = tickets::normalise_number(&form.number);
    if number.is_empty() {
        errors.add("number", "interview.error.number");
    }
    if !errors.is_empty() {
        return show_page(
            ctx,
            &state,
            fair_id,
            company,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let actor = user.user.id;
    let outcome = state
        .db(move |conn| {
            let (fair, booth) = booth_of(conn, fair_id, company)?;
            let Some(ticket) = tickets::find_by_number(conn, &number)? else {
                return Ok(Err(("number", "interview.error.unknown")));
            };
            if ticket.fair_id != fair.id {
                return Ok(Err(("number", "interview.error.other_fair")));
            }
            if ticket.status != TicketStatus::Registered {
                return Ok(Err(("number", "interview.error.not_registered")));
            }
            if let Some(v) = vacancy
                && !booths::vacancies_of(conn, booth.id)?.contains(&v)
            {
                return Ok(Err(("vacancy", "interview.error.vacancy")));
            }
            let note = (!note.is_empty()).then_some(note.as_str());
            let recorded = crate::db::transaction(conn, |conn| {
                let id = match record(
                    conn,
                    &fair,
                    &booth,
                    ticket.id,
                    ticket.job_seeker_id,
                    vacancy,
                    note,
                    actor,
                )? {
                    Ok(id) => id,
                    Err(refusal) => return Ok(Err(refusal)),
                };
                audit::record(
                    conn,
                    Entry::new(actions::INTERVIEW_RECORDED)
                        .actor(actor)
                        .subject("job_fair_interview", id)
                        .detail(serde_json::json!({ "fair": fair.id, "vacancy": vacancy }))
                        .client(&meta),
                )?;
                Ok::<_, crate::applications::model::Error>(Ok(id))
            });
            match recorded {
                Ok(r) => Ok(r),
                Err(crate::applications::model::Error::Refused(_)) => {
                    Ok(Err(("vacancy", "interview.error.vacancy_closed")))
                }
                Err(crate::applications::model::Error::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match outcome {
        Ok(_) => {
            session::flash(&session, FlashLevel::Success, "interview.recorded");
            Ok(redirect(&format!(
                "/perusahaan/bursa-kerja/{fair_id}/wawancara"
            )))
        }
        Err((field, key)) => {
            let mut errors = FieldErrors::default();
            errors.add(field, key);
            show_page(
                ctx,
                &state,
                fair_id,
                company,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
