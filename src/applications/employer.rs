//! The employer's side: each vacancy's applicants by stage, moved one at a time or in bulk
//! with a note the applicants see, and each applicant's profile and CV. An employer sees
//! only people who applied to the company's own vacancies: everything is looked up through
//! the vacancy, scoped to the signed-in user's company.

use crate::domain::ids::{ApplicationId, CompanyId, JobSeekerId, VacancyId};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::model::{self, Application, Error, Move, Refusal, TimelineEntry};
use super::stage::Stage;
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::reference::education::EducationLevel;
use crate::seekers::history::{self, Rows};
use crate::vacancies::{Vacancy, company_of};
use crate::web::auth::{Employer, Require};
use crate::web::format::day;
use crate::web::forms::{FieldErrors, check_lines};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

const NOTE_MAX: usize = 500;

fn education_name(level: Option<i16>, lang: Lang) -> &'static str {
    match (level.and_then(EducationLevel::from_code), lang) {
        (Some(l), Lang::Id) => l.name_id(),
        (Some(l), Lang::En) => l.name_en(),
        (None, _) => "–",
    }
}

/// The move form, as typed: kept and shown again when something in it is wrong.
#[derive(Default)]
struct MoveForm {
    ids: Vec<ApplicationId>,
    stage: String,
    note: String,
    start: String,
}

impl MoveForm {
    /// Repeated `id` fields, which a struct-shaped form cannot hold.
    fn parse(body: &[u8]) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let mut form = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "id" => form.ids.extend(v.parse::<ApplicationId>().ok()),
                "tahap" => form.stage = v,
                "catatan" => form.note = v,
                "mulai" => form.start = v,
                _ => {}
            }
        }
        form.ids.truncate(500);
        form
    }

    fn selected(&self, id: &ApplicationId) -> bool {
        self.ids.contains(id)
    }
}

struct ValidMove {
    ids: Vec<ApplicationId>,
    stage: Stage,
    note: Option<String>,
    start: NaiveDate,
}

fn validate(form: &MoveForm, today: NaiveDate) -> Result<ValidMove, FieldErrors> {
    let mut errors = FieldErrors::default();
    if form.ids.is_empty() {
        errors.add("id", "application.error.none_selected");
    }
    let stage = Stage::parse(&form.stage).filter(|s| Stage::EMPLOYER_MOVES.contains(s));
    if stage.is_none() {
        errors.add("tahap", "application.error.stage");
    }
    let note = form.note.trim();
    if check_lines(&mut errors, "catatan", note) && note.chars().count() > NOTE_MAX {
        errors.add("catatan", "application.error.move_note_long");
    }
    let start = NaiveDate::parse_from_str(form.start.trim(), "%Y-%m-%d").ok();
    let start = match (stage, start) {
        (Some(Stage::Accepted), None) => {
            errors.add("mulai", "application.error.start");
            today
        }
        (Some(Stage::Accepted), Some(d))
            if d < today - chrono::Days::new(90) || d > today + chrono::Days::new(366) =>
        {
            errors.add("mulai", "application.error.start_range");
            d
        }
        (_, d) => d.unwrap_or(today),
    };
    match (errors.is_empty(), stage) {
        (true, Some(stage)) => Ok(ValidMove {
            ids: form.ids.clone(),
            stage,
            note: (!note.is_empty()).then(|| note.to_owned()),
            start,
        }),
        _ => Err(errors),
    }
}

pub struct Row {
    pub id: ApplicationId,
    pub name: String,
    pub education: &'static str,
    pub applied: String,
    pub stage: Stage,
    pub note: Option<String>,
    /// How it came, when not on the portal: a badge in the list.
    pub channel: Option<&'static str>,
}

pub struct StageCount {
    pub stage: Stage,
    pub count: i64,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "applications/pipeline.html")]
struct PipelinePage {
    ctx: PageCtx,
    vacancy: Vacancy,
    counts: Vec<StageCount>,
    rows: Vec<Row>,
    filter: Option<Stage>,
    moves: [Stage; 5],
    form: MoveForm,
    errors: FieldErrors,
    today: String,
}

#[derive(Deserialize)]
pub struct Filter {
    tahap: Option<String>,
}

/// The company's own vacancy, or 404 whatever the id.
fn own_vacancy(
    conn: &mut DbConnection,
    id: VacancyId,
    company_id: CompanyId,
) -> Result<Vacancy, AppError> {
    crate::vacancies::find_for_company(conn, id, company_id)?.ok_or(AppError::NotFound)
}

type RowData = (
    ApplicationId,
    String,
    Option<i16>,
    chrono::NaiveDateTime,
    Stage,
    Option<String>,
    crate::applications::Channel,
);

/// Which pipeline: the company's vacancy, and the stage shown (all when none).
#[derive(Clone, Copy)]
struct Which {
    company_id: CompanyId,
    vacancy_id: VacancyId,
    filter: Option<Stage>,
}

async fn render_pipeline(
    ctx: PageCtx,
    state: &AppState,
    which: Which,
    form: MoveForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let Which {
        company_id,
        vacancy_id,
        filter,
    } = which;
    let (vacancy, counts, rows) = state
        .db(move |conn| {
            let vacancy = own_vacancy(conn, vacancy_id, company_id)?;
            let counts = model::stage_counts(conn, vacancy_id)?;
            let applied = model::of_vacancy(conn, vacancy_id, filter, 500)?;
            let seekers: Vec<JobSeekerId> = applied.iter().map(|a| a.job_seeker_id).collect();
            let people = crate::seekers::people(conn, &seekers)?;
            let rows: Vec<RowData> = applied
                .into_iter()
                .filter_map(|a| {
                    let who = people.get(&a.job_seeker_id)?;
                    Some((
                        a.id,
                        who.contact.full_name.clone(),
                        who.education_level,
                        a.applied_at,
                        a.stage,
                        a.note,
                        a.channel,
                    ))
                })
                .collect();
            Ok((vacancy, counts, rows))
        })
        .await?;
    let page = PipelinePage {
        counts: Stage::ALL
            .into_iter()
            .map(|stage| StageCount {
                stage,
                count: counts
                    .iter()
                    .find(|(s, _)| s == stage.as_str())
                    .map_or(0, |c| c.1),
                current: filter == Some(stage),
            })
            .collect(),
        rows: rows
            .into_iter()
            .map(|(id, name, level, at, stage, note, channel)| Row {
                id,
                name,
                education: education_name(level, lang),
                applied: day(lang, at),
                stage,
                note,
                channel: (channel != crate::applications::Channel::Portal)
                    .then(|| channel.label_key()),
            })
            .collect(),
        filter,
        moves: Stage::EMPLOYER_MOVES,
        today: crate::domain::calendar::today().to_string(),
        vacancy,
        form,
        errors,
        ctx,
    };
    render(&page, status)
}

pub async fn pipeline(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    id: web::Path<VacancyId>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let filter = filter.tahap.as_deref().and_then(Stage::parse);
    render_pipeline(
        ctx,
        &state,
        Which {
            company_id: company_of(&employer)?,
            vacancy_id: id.into_inner(),
            filter,
        },
        MoveForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Moves every selected application that may move; the rest are left as they are and the
/// message says so.
pub async fn move_many(
    req: HttpRequest,
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    id: web::Path<VacancyId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let vacancy_id = id.into_inner();
    let form = MoveForm::parse(&body);
    let now = chrono::Utc::now().naive_utc();
    let today = crate::domain::calendar::date_of(now);
    let valid = match validate(&form, today) {
        Ok(v) => v,
        Err(errors) => {
            return render_pipeline(
                ctx,
                &state,
                Which {
                    company_id,
                    vacancy_id,
                    filter: None,
                },
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let actor = employer.user.id;
    let base_url = state.settings.base_url.clone();
    let (moved, skipped, full, incomplete) = state
        .db(move |conn| {
            own_vacancy(conn, vacancy_id, company_id)?;
            let (mut moved, mut skipped, mut full, mut incomplete) = (0, 0, 0, 0);
            for app_id in valid.ids {
                // Ids of other vacancies' applications are skipped, never moved.
                let Some(app) = model::find(conn, app_id)?.filter(|a| a.vacancy_id == vacancy_id)
                else {
                    skipped += 1;
                    continue;
                };
                let mv = Move {
                    to: valid.stage,
                    note: valid.note.as_deref(),
                    actor,
                    start_date: valid.start,
                    now,
                    base_url: &base_url,
                };
                match model::move_to(conn, &app, &mv) {
                    Ok(()) => {
                        audit::record(
                            conn,
                            Entry::new(actions::APPLICATION_MOVED)
                                .actor(actor)
                                .subject("application", app_id)
                                .detail(serde_json::json!({ "stage": valid.stage.as_str() }))
                                .client(&meta),
                        )?;
                        moved += 1;
                    }
                    Err(Error::Refused(Refusal::Full)) => full += 1,
                    Err(Error::Refused(Refusal::Incomplete)) => incomplete += 1,
                    Err(Error::Refused(_)) => skipped += 1,
                    Err(Error::Db(e)) => return Err(e.into()),
                }
            }
            Ok((moved, skipped, full, incomplete))
        })
        .await?;
    let session = actix_session::SessionExt::get_session(&req);
    let (level, key) = match (moved, skipped, full) {
        (_, _, f) if f > 0 => (FlashLevel::Error, "application.error.full"),
        _ if incomplete > 0 => (FlashLevel::Error, "application.error.incomplete"),
        (0, _, _) => (FlashLevel::Error, "application.moved_none"),
        (_, 0, _) => (FlashLevel::Success, "application.moved"),
        _ => (FlashLevel::Success, "application.moved_some"),
    };
    session::flash(&session, level, key);
    Ok(redirect(&format!(
        "/perusahaan/lowongan/{vacancy_id}/pelamar"
    )))
}

/// The application, if it is for this company's vacancy `vacancy_id`.
fn own_application(
    conn: &mut DbConnection,
    company_id: CompanyId,
    vacancy_id: VacancyId,
    app_id: ApplicationId,
) -> Result<(Vacancy, Application), AppError> {
    let vacancy = own_vacancy(conn, vacancy_id, company_id)?;
    let app = model::find(conn, app_id)?
        .filter(|a| a.vacancy_id == vacancy.id)
        .ok_or(AppError::NotFound)?;
    Ok((vacancy, app))
}

#[derive(Template)]
#[template(path = "applications/applicant.html")]
struct ApplicantPage {
    ctx: PageCtx,
    vacancy: Vacancy,
    app: Application,
    stage: Stage,
    name: String,
    email: Option<crate::domain::Email>,
    phone: String,
    education: String,
    skills: String,
    rows: Rows,
    has_cv: bool,
    timeline: Vec<TimelineEntry>,
    moves: [Stage; 5],
    form: MoveForm,
    errors: FieldErrors,
    today: String,
}

pub async fn applicant(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    path: web::Path<(VacancyId, ApplicationId)>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let (vacancy_id, app_id) = path.into_inner();
    let lang = ctx.lang;
    let (vacancy, app, seeker, who, rows, events) = state
        .db(move |conn| {
            let (vacancy, app) = own_application(conn, company_id, vacancy_id, app_id)?;
            let seeker =
                crate::seekers::find(conn, app.job_seeker_id)?.ok_or(AppError::NotFound)?;
            let contact = crate::accounts::directory::contact(conn, seeker.user_id)?;
            let who: (
                String,
                Option<crate::domain::Email>,
                Option<crate::domain::Phone>,
            ) = (contact.full_name, contact.email, contact.phone);
            let rows = history::rows(conn, seeker.id, lang == Lang::En)?;
            let events = model::events_of(conn, &[app.id])?;
            Ok((vacancy, app, seeker, who, rows, events))
        })
        .await?;
    let education = match seeker.field_of_study.as_deref() {
        Some(f) if !f.is_empty() => {
            format!("{} ({f})", education_name(seeker.education_level, lang))
        }
        _ => education_name(seeker.education_level, lang).to_owned(),
    };
    let page = ApplicantPage {
        stage: app.stage(),
        name: who.0,
        email: who.1,
        phone: who.2.map_or_else(|| "–".into(), String::from),
        education,
        skills: seeker.skills.clone(),
        rows,
        // Once withdrawn, the CV is no longer the employer's to read.
        has_cv: seeker.cv_file.is_some() && app.stage() != Stage::Withdrawn,
        timeline: events.iter().map(|e| e.entry(lang)).collect(),
        moves: Stage::EMPLOYER_MOVES,
        form: MoveForm {
            ids: vec![app.id],
            ..MoveForm::default()
        },
        errors: FieldErrors::default(),
        today: crate::domain::calendar::today().to_string(),
        vacancy,
        app,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// The applicant's CV, for the company they applied to; every download is logged.
pub async fn cv(
    req: HttpRequest,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    path: web::Path<(VacancyId, ApplicationId)>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let (vacancy_id, app_id) = path.into_inner();
    let owner = state
        .db(move |conn| {
            let (_, app) = own_application(conn, company_id, vacancy_id, app_id)?;
            if app.stage() == Stage::Withdrawn {
                return Err(AppError::NotFound);
            }
            let owner = crate::seekers::find(conn, app.job_seeker_id)?.ok_or(AppError::NotFound)?;
            Ok(owner.user_id)
        })
        .await?;
    crate::seekers::cv::send(&req, &state, owner, employer.user.id).await
}
