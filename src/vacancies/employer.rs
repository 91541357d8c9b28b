//! The employer's vacancies: list, write, send for review, edit, close. Every query is
//! limited to the employer's own company.

use crate::domain::ids::{CompanyId, JobTitleId, VacancyId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::forms::{VacancyForm, validate};
use super::{EmploymentType, Vacancy, VacancyContent, VacancyStatus};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::employers::forms::{ChoiceGroup, CompanyChoices};
use crate::reference::education::EducationLevel;
use crate::reference::kbji;
use crate::web::auth::{Employer, Require};
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

pub(crate) fn company_of(employer: &Require<Employer>) -> Result<CompanyId, AppError> {
    employer.user.company_id.ok_or(AppError::Forbidden)
}

// ---------------------------------------------------------------- list

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    q: String,
}

struct Row {
    id: VacancyId,
    title: String,
    status: VacancyStatus,
    note: Option<String>,
    positions: i32,
    closes_on: String,
    /// Applications, and how many of them no one has looked at yet.
    applicants: (i64, i64),
}

#[derive(Template)]
#[template(path = "vacancies/employer_list.html")]
struct ListPage {
    ctx: PageCtx,
    /// Until the company is verified its vacancies wait: the page says so.
    company_pending: bool,
    company_rejected: bool,
    rows: Vec<Row>,
    statuses: [VacancyStatus; 7],
    selected: String,
    q: String,
    any_published: bool,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let status = VacancyStatus::parse(&query.status);
    let (company, vacancies, applicants) = state
        .db(move |conn| {
            let company =
                crate::employers::find_company(conn, company_id)?.ok_or(AppError::NotFound)?;
            let vacancies = super::list_for_company(conn, company_id, status)?;
            let ids: Vec<VacancyId> = vacancies.iter().map(|v| v.id).collect();
            let applicants = crate::applications::model::applicant_counts(conn, &ids)?;
            Ok((company, vacancies, applicants))
        })
        .await?;
    let lang = ctx.lang;
    // A company has tens of vacancies, not thousands: the title filter runs here.
    let needle = query.q.trim().to_lowercase();
    let rows: Vec<Row> = vacancies
        .iter()
        .filter(|v| needle.is_empty() || v.title.to_lowercase().contains(&needle))
        .map(|v| Row {
            id: v.id,
            title: v.title.clone(),
            status: v.status(),
            note: v.status_note.clone(),
            positions: v.positions(),
            closes_on: format::date(lang, v.closes_on),
            applicants: applicants.get(&v.id).copied().unwrap_or_default(),
        })
        .collect();
    let page = ListPage {
        ctx,
        company_pending: company.verification_status
            == crate::employers::VerificationStatus::Pending,
        company_rejected: company.verification_status
            == crate::employers::VerificationStatus::Rejected,
        any_published: rows.iter().any(|r| r.status == VacancyStatus::Published),
        rows,
        statuses: VacancyStatus::ALL,
        selected: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        q: query.q.chars().take(100).collect(),
    };
    render(&page, StatusCode::OK)
}

// ---------------------------------------------------------------- the form

struct EducationChoice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "vacancies/form.html")]
struct FormPage {
    ctx: PageCtx,
    /// None for a new vacancy.
    vacancy: Option<(VacancyId, VacancyStatus, Option<String>)>,
    form: VacancyForm,
    errors: FieldErrors,
    job_titles: Vec<ChoiceGroup>,
    educations: Vec<EducationChoice>,
    types: [EmploymentType; 5],
    places: CompanyChoices,
}

/// The job titles from the database, grouped by KBJI major group.
pub(crate) fn job_title_groups(
    conn: &mut DbConnection,
    lang: Lang,
) -> QueryResult<Vec<ChoiceGroup>> {
    let rows = crate::reference::job_titles(conn)?;
    Ok(kbji::MAJOR_GROUPS
        .iter()
        .map(|g| ChoiceGroup {
            label: g.name(lang),
            choices: rows
                .iter()
                .filter(|(_, code, _, _)| code.major_group() == g.code)
                .map(
                    |(id, code, title_id, title_en)| crate::employers::forms::Choice {
                        code: id.to_string(),
                        name: format!(
                            "{} ({code})",
                            if lang == Lang::En { title_en } else { title_id }
                        ),
                    },
                )
                .collect(),
        })
        .collect())
}

async fn render_form(
    ctx: PageCtx,
    state: &AppState,
    vacancy: Option<(VacancyId, VacancyStatus, Option<String>)>,
    form: VacancyForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let job_titles = state
        .db(move |conn| Ok(job_title_groups(conn, lang)?))
        .await?;
    let educations = EducationLevel::ALL
        .iter()
        .map(|e| EducationChoice {
            value: e.code().to_string(),
            label: if lang == Lang::En {
                e.name_en()
            } else {
                e.name_id()
            }
            .to_owned(),
        })
        .collect();
    let page = FormPage {
        places: CompanyChoices::new(lang),
        ctx,
        vacancy,
        form,
        errors,
        job_titles,
        educations,
        types: EmploymentType::ALL,
    };
    render(&page, status)
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let company = state
        .db(move |conn| crate::employers::find_company(conn, company_id)?.ok_or(AppError::NotFound))
        .await?;
    let today = crate::domain::calendar::today();
    let form = VacancyForm::new_for(
        company.kelurahan_code.as_deref(),
        &company.regency_code,
        today,
    );
    render_form(
        ctx,
        &state,
        None,
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Validates the form and looks up the job title's KBJI code.
async fn checked(
    state: &AppState,
    form: &VacancyForm,
) -> Result<Result<VacancyContent, FieldErrors>, AppError> {
    let today = crate::domain::calendar::today();
    let job_title = form.job_title_id.trim().parse::<JobTitleId>().ok();
    let code = match job_title {
        Some(id) => {
            state
                .db(move |conn| Ok(crate::reference::job_title(conn, id)?.map(|t| t.0)))
                .await?
        }
        None => None,
    };
    let mut errors = FieldErrors::default();
    Ok(validate(form, today, code, &mut errors).ok_or(errors))
}

pub async fn create(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    form: web::Form<VacancyForm>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let form = form.into_inner();
    let content = match checked(&state, &form).await? {
        Ok(content) => content,
        Err(errors) => {
            return render_form(
                ctx,
                &state,
                None,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let status = if form.submits() {
        VacancyStatus::Submitted
    } else {
        VacancyStatus::Draft
    };
    let actor = employer.user.id;
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let id = super::create(conn, company_id, &content, status, actor)?;
                audit::record(
                    conn,
                    Entry::new(actions::VACANCY_CREATED)
                        .actor(actor)
                        .subject("vacancy", id)
                        .detail(serde_json::json!({ "status": status.as_str() }))
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    let key = if status == VacancyStatus::Submitted {
        "vacancy.saved.submitted"
    } else {
        "vacancy.saved.draft"
    };
    session::flash(&session, FlashLevel::Success, key);
    Ok(redirect("/perusahaan/lowongan"))
}

async fn load_own(
    state: &AppState,
    id: VacancyId,
    company_id: CompanyId,
) -> Result<Vacancy, AppError> {
    state
        .db(move |conn| super::find_for_company(conn, id, company_id)?.ok_or(AppError::NotFound))
        .await
}

pub async fn edit_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    id: web::Path<VacancyId>,
) -> Result<HttpResponse, AppError> {
    let vacancy = load_own(&state, id.into_inner(), company_of(&employer)?).await?;
    let form = VacancyForm::of(&vacancy);
    let about = Some((vacancy.id, vacancy.status(), vacancy.status_note.clone()));
    render_form(
        ctx,
        &state,
        about,
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Whether two versions differ only in the closing date: moving that date keeps a
/// published vacancy published; any other change sends it back for review.
fn only_closing_date_moved(before: &Vacancy, after: &VacancyContent) -> bool {
    let stored = VacancyContent::from(before);
    VacancyContent {
        closes_on: stored.closes_on,
        ..after.clone()
    } == stored
}

pub async fn update(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    id: web::Path<VacancyId>,
    form: web::Form<VacancyForm>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let vacancy = load_own(&state, id.into_inner(), company_id).await?;
    let id = vacancy.id;
    if !vacancy.status().editable() {
        session::flash(&session, FlashLevel::Error, "vacancy.not_editable");
        return Ok(redirect("/perusahaan/lowongan"));
    }
    let form = form.into_inner();
    let content = match checked(&state, &form).await? {
        Ok(content) => content,
        Err(errors) => {
            let about = Some((id, vacancy.status(), vacancy.status_note.clone()));
            return render_form(
                ctx,
                &state,
                about,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    // What was reviewed is what gets published: any change to a vacancy under review takes
    // it out of the queue, back to a draft unless it is sent again at once (then the review
    // starts over on the new version); a published one is reviewed again unless only its
    // closing date moved.
    let next = match vacancy.status() {
        VacancyStatus::Published if only_closing_date_moved(&vacancy, &content) => None,
        VacancyStatus::Published => Some(VacancyStatus::Submitted),
        VacancyStatus::Submitted if form.submits() => Some(VacancyStatus::Submitted),
        VacancyStatus::Submitted => Some(VacancyStatus::Draft),
        VacancyStatus::Draft | VacancyStatus::Rejected if form.submits() => {
            Some(VacancyStatus::Submitted)
        }
        _ => None,
    };
    let actor = employer.user.id;
    let read = vacancy.clone();
    let saved = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let now = chrono::Utc::now().naive_utc();
                if !super::revise(conn, &read, &content, next, actor, now)? {
                    return Ok(false);
                }
                audit::record(
                    conn,
                    Entry::new(actions::VACANCY_CHANGED)
                        .actor(actor)
                        .subject("vacancy", id)
                        .detail(serde_json::json!({
                            "status": next.map(VacancyStatus::as_str),
                            "revision": read.revision + 1,
                        }))
                        .client(&meta),
                )?;
                Ok::<_, diesel::result::Error>(true)
            })?)
        })
        .await?;
    if !saved {
        session::flash(&session, FlashLevel::Error, "review.vacancy.moved_on");
        return Ok(redirect(&format!("/perusahaan/lowongan/{id}")));
    }
    let key = match (vacancy.status(), next) {
        (VacancyStatus::Published, Some(_)) => "vacancy.saved.back_to_review",
        (VacancyStatus::Submitted, Some(VacancyStatus::Draft)) => "review.vacancy.withdrawn",
        (VacancyStatus::Submitted, Some(_)) => "review.vacancy.resubmitted",
        (_, Some(_)) => "vacancy.saved.submitted",
        _ => "vacancy.saved.changes",
    };
    session::flash(&session, FlashLevel::Success, key);
    Ok(redirect("/perusahaan/lowongan"))
}

pub async fn close(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    id: web::Path<VacancyId>,
) -> Result<HttpResponse, AppError> {
    let vacancy = load_own(&state, id.into_inner(), company_of(&employer)?).await?;
    if vacancy.status() != VacancyStatus::Published {
        session::flash(&session, FlashLevel::Error, "vacancy.not_published");
        return Ok(redirect("/perusahaan/lowongan"));
    }
    let (actor, id) = (employer.user.id, vacancy.id);
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let now = chrono::Utc::now().naive_utc();
                super::set_status(conn, id, VacancyStatus::Closed, None, Some(actor), now)?;
                audit::record(
                    conn,
                    Entry::new(actions::VACANCY_CLOSED)
                        .actor(actor)
                        .subject("vacancy", id)
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "vacancy.closed");
    Ok(redirect("/perusahaan/lowongan"))
}

// ---------------------------------------------------------------- positions filled

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct FillForm {
    laki: String,
    perempuan: String,
}

#[derive(Template)]
#[template(path = "vacancies/fill.html")]
struct FillPage {
    ctx: PageCtx,
    vacancy: Vacancy,
    form: FillForm,
    error: Option<&'static str>,
}

/// Positions can be filled while the vacancy is shown and after it closes (a hire often
/// comes later), not before it was ever published.
fn fillable(status: VacancyStatus) -> bool {
    matches!(
        status,
        VacancyStatus::Published | VacancyStatus::Closed | VacancyStatus::Expired
    )
}

pub async fn fill_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    id: web::Path<VacancyId>,
) -> Result<HttpResponse, AppError> {
    let vacancy = load_own(&state, id.into_inner(), company_of(&employer)?).await?;
    let page = FillPage {
        ctx,
        vacancy,
        form: FillForm::default(),
        error: None,
    };
    render(&page, StatusCode::OK)
}

pub async fn fill(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    id: web::Path<VacancyId>,
    form: web::Form<FillForm>,
) -> Result<HttpResponse, AppError> {
    let vacancy = load_own(&state, id.into_inner(), company_of(&employer)?).await?;
    let form = form.into_inner();
    let count = |raw: &str| -> Option<i32> {
        let raw = raw.trim();
        if raw.is_empty() {
            Some(0)
        } else {
            raw.parse().ok().filter(|n: &i32| (0..=10_000).contains(n))
        }
    };
    let error = if !fillable(vacancy.status()) {
        Some("vacancy.fill.error.status")
    } else {
        match (count(&form.laki), count(&form.perempuan)) {
            (Some(male), Some(female)) => super::check_fill(&vacancy, male, female),
            _ => Some("vacancy.fill.error.number"),
        }
    };
    if error.is_some() {
        let page = FillPage {
            ctx,
            vacancy,
            form,
            error,
        };
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (male, female) = (
        count(&form.laki).unwrap_or(0),
        count(&form.perempuan).unwrap_or(0),
    );
    let actor = employer.user.id;
    let id = vacancy.id;
    let read = vacancy.clone();
    let filled = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let now = chrono::Utc::now().naive_utc();
                let all_taken = match super::record_filled(conn, &read, male, female, actor, now)? {
                    super::Fill::Recorded { all_taken } => all_taken,
                    super::Fill::Refused(key) => return Ok(Err(key)),
                };
                audit::record(
                    conn,
                    Entry::new(actions::VACANCY_FILLED)
                        .actor(actor)
                        .subject("vacancy", id)
                        .detail(serde_json::json!({ "male": male, "female": female }))
                        .client(&meta),
                )?;
                Ok::<_, diesel::result::Error>(Ok(all_taken))
            })?)
        })
        .await?;
    let all_taken = match filled {
        Ok(all_taken) => all_taken,
        Err(key) => {
            let page = FillPage {
                ctx,
                vacancy,
                form,
                error: Some(key),
            };
            return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let key = if all_taken {
        "vacancy.fill.all_taken"
    } else {
        "vacancy.fill.saved"
    };
    session::flash(&session, FlashLevel::Success, key);
    Ok(redirect("/perusahaan/lowongan"))
}

/// Closes every selected vacancy of the company that is published; others are left alone.
pub async fn close_many(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    // Repeated `id` fields, which a struct-shaped form cannot hold.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let ids: Vec<VacancyId> = pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .take(500)
        .collect();
    let actor = employer.user.id;
    let closed = state
        .db(move |conn| {
            let mut closed = 0;
            for id in ids {
                let Some(vacancy) = super::find_for_company(conn, id, company_id)? else {
                    continue;
                };
                if vacancy.status() != VacancyStatus::Published {
                    continue;
                }
                crate::db::transaction(conn, |conn| {
                    let now = chrono::Utc::now().naive_utc();
                    super::set_status(conn, id, VacancyStatus::Closed, None, Some(actor), now)?;
                    audit::record(
                        conn,
                        Entry::new(actions::VACANCY_CLOSED)
                            .actor(actor)
                            .subject("vacancy", id)
                            .client(&meta),
                    )
                })?;
                closed += 1;
            }
            Ok(closed)
        })
        .await?;
    let key = if closed == 0 {
        "vacancy.closed_none"
    } else {
        "vacancy.closed_many"
    };
    session::flash(&session, FlashLevel::Success, key);
    Ok(redirect("/perusahaan/lowongan"))
}
