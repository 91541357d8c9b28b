//! A placement found outside the portal, recorded by an operator at the counter: the
//! resident reports that they started work (or the employer returns the AK/I card).

use crate::domain::ids::{CompanyId, JobSeekerId, JobTitleId, UserId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::placement::{self, Kind, NewPlacement};
use crate::audit::{self, Entry, actions};
use crate::domain::{KbjiCode, KbliCode, Rupiah};
use crate::employers::forms::{Choice, ChoiceGroup, CompanyChoices};
use crate::seekers::counter_path;
use crate::web::auth::{CounterStaff, Require};
use crate::web::forms::{FieldErrors, check_line};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Deserialize, Default)]
pub struct PlacementForm {
    #[serde(default)]
    employer: String,
    #[serde(default)]
    nib: String,
    #[serde(default)]
    kbli_section: String,
    #[serde(default)]
    job_title_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    wage: String,
}

#[derive(Template)]
#[template(path = "applications/counter_placement.html")]
struct PlacementPage {
    ctx: PageCtx,
    user_id: UserId,
    name: String,
    form: PlacementForm,
    errors: FieldErrors,
    job_titles: Vec<ChoiceGroup>,
    sections: Vec<Choice>,
    kinds: [Kind; 3],
}

struct Valid {
    employer: String,
    /// The company the NIB names, when the portal knows it: its section is the one counted.
    company: Option<CompanyId>,
    kbli_section: Option<KbliCode>,
    job_title_id: JobTitleId,
    kind: Kind,
    start: NaiveDate,
    wage: Option<Rupiah>,
}

/// The employer as the form names it: a NIB (13 digits) that may name a company of the
/// portal, and otherwise the KBLI section the IPK counts the placement under.
fn employer_section(
    form: &PlacementForm,
    company_by_nib: impl FnOnce(&str) -> Option<CompanyId>,
    errors: &mut FieldErrors,
) -> (Option<CompanyId>, Option<KbliCode>) {
    let company = match form.nib.trim() {
        "" => None,
        raw => match crate::employers::parse_nib(raw) {
            Some(nib) => company_by_nib(&nib),
            None => {
                errors.add("nib", "placement.error.nib");
                return (None, None);
            }
        },
    };
    if company.is_some() {
        return (company, None);
    }
    let section = KbliCode::parse(&form.kbli_section)
        .ok()
        .filter(|k| k.is_section() && crate::reference::kbli::section(k.as_str()).is_some());
    if section.is_none() {
        errors.add("kbli_section", "placement.error.kbli_section");
    }
    (None, section)
}

fn validate(
    form: &PlacementForm,
    today: NaiveDate,
    mut title_exists: impl FnMut(JobTitleId) -> bool,
    company_by_nib: impl FnOnce(&str) -> Option<CompanyId>,
) -> Result<Valid, FieldErrors> {
    let mut errors = FieldErrors::default();
    let employer = form.employer.trim().to_owned();
    if check_line(&mut errors, "employer", &employer)
        && !(2..=200).contains(&employer.chars().count())
    {
        errors.add("employer", "placement.error.employer");
    }
    let (company, kbli_section) = employer_section(form, company_by_nib, &mut errors);
    let job_title_id = form
        .job_title_id
        .trim()
        .parse::<JobTitleId>()
        .ok()
        .filter(|id| title_exists(*id));
    if job_title_id.is_none() {
        errors.add("job_title_id", "placement.error.job_title");
    }
    let kind = Kind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "placement.error.kind");
    }
    let start = NaiveDate::parse_from_str(form.start.trim(), "%Y-%m-%d").ok();
    match start {
        None => errors.add("start", "placement.error.start"),
        Some(d) if d < today - Days::new(366) || d > today + Days::new(90) => {
            errors.add("start", "placement.error.start_range")
        }
        Some(_) => {}
    }
    let wage = match form.wage.trim() {
        "" => None,
        raw => {
            let w = Rupiah::parse(raw);
            if w.is_err() {
                errors.add("wage", "vacancy.error.wage");
            }
            w.ok()
        }
    };
    match (errors.is_empty(), job_title_id, kind, start) {
        (true, Some(job_title_id), Some(kind), Some(start)) => Ok(Valid {
            employer,
            company,
            kbli_section,
            job_title_id,
            kind,
            start,
            wage,
        }),
        _ => Err(errors),
    }
}

async fn render_form(
    ctx: PageCtx,
    state: &AppState,
    user_id: UserId,
    form: PlacementForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let (name, job_titles) = state
        .db(move |conn| {
            let name = crate::accounts::directory::contact(conn, user_id)?.full_name;
            Ok((name, crate::vacancies::job_title_groups(conn, lang)?))
        })
        .await?;
    let page = PlacementPage {
        user_id,
        name,
        form,
        errors,
        job_titles,
        sections: CompanyChoices::new(lang).sections,
        kinds: Kind::ALL,
        ctx,
    };
    render(&page, status)
}

/// The resident's job-seeker profile id, or 404 for an account that is no job seeker.
async fn seeker_of(state: &AppState, user_id: UserId) -> Result<JobSeekerId, AppError> {
    state
        .db(move |conn| {
            if !crate::seekers::is_job_seeker(conn, user_id)? {
                return Err(AppError::NotFound);
            }
            Ok(crate::seekers::history::ensure_profile(conn, user_id)?)
        })
        .await
}

pub async fn form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let user_id = user_id.into_inner();
    seeker_of(&state, user_id).await?;
    let form = PlacementForm {
        kind: Kind::Akl.as_str().into(),
        start: crate::domain::calendar::today().to_string(),
        ..PlacementForm::default()
    };
    render_form(
        ctx,
        &state,
        user_id,
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn record(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
    form: web::Form<PlacementForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = user_id.into_inner();
    let seeker_id = seeker_of(&state, user_id).await?;
    let form = form.into_inner();
    let today = crate::domain::calendar::today();
    let nib = crate::employers::parse_nib(&form.nib);
    let (titles, counted, known_company) = state
        .db(move |conn| {
            let titles: Vec<(JobTitleId, String, KbjiCode)> = crate::reference::job_titles(conn)?
                .into_iter()
                .map(|(id, code, title, _)| (id, title, code))
                .collect();
            // The IPK counts a placement by the person's sex, age group and education: a
            // profile without them would be counted under a guess.
            let counted = crate::seekers::find(conn, seeker_id)?.is_some_and(|p| {
                p.sex.is_some() && p.birth_date.is_some() && p.education_level.is_some()
            });
            let company = match nib {
                Some(nib) => crate::employers::head_office_by_nib(conn, &nib)?,
                None => None,
            };
            Ok((titles, counted, company))
        })
        .await?;
    let title_exists = |id| {
        titles
            .iter()
            .any(|t: &(JobTitleId, String, KbjiCode)| t.0 == id)
    };
    let checked = validate(&form, today, title_exists, |_| known_company).and_then(|v| {
        if counted {
            Ok(v)
        } else {
            let mut errors = FieldErrors::default();
            errors.add("profile", "placement.error.profile");
            Err(errors)
        }
    });
    let valid = match checked {
        Ok(v) => v,
        Err(errors) => {
            return render_form(
                ctx,
                &state,
                user_id,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (title, code) = titles
        .into_iter()
        .find(|t| t.0 == valid.job_title_id)
        .map(|t| (t.1, Some(t.2)))
        .unwrap_or_default();
    let actor = staff.user.id;
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let id = placement::record(
                    conn,
                    &NewPlacement {
                        job_seeker_id: seeker_id,
                        application_id: None,
                        vacancy_id: None,
                        company_id: valid.company,
                        employer_name: &valid.employer,
                        job_title: &title,
                        job_title_id: Some(valid.job_title_id),
                        kbji_code: code.as_ref(),
                        kind: valid.kind,
                        start_date: valid.start,
                        monthly_wage: valid.wage,
                        recorded_by: Some(actor),
                        kbli_section: valid.kbli_section.clone(),
                    },
                    today,
                )?;
                audit::record(
                    conn,
                    Entry::new(actions::PLACEMENT_RECORDED)
                        .actor(actor)
                        .subject("placement", id)
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "placement.recorded");
    Ok(redirect(&counter_path(user_id)))
}
