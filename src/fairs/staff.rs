//! The Dinas's pages of its fairs (`/petugas/bursa-kerja`): every fair with its tickets and
//! waiting booths, the form that creates and changes one, and the booths to decide.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::booths::{self, Booth, BoothStatus};
use super::model::{self, Fair, FairForm, Mode, Status};
use crate::audit::{self, Entry, actions};
use crate::domain::ids::{BoothId, CompanyId, JobFairId, VacancyId};
use crate::employers::forms::{ChoiceGroup, kelurahan_groups};
use crate::web::auth::{BoothReview, FairStaff, Require};
use crate::web::format::date;
use crate::web::forms::{FieldErrors, check_line};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

pub struct Row {
    pub id: JobFairId,
    pub name: String,
    pub dates: String,
    pub status: Status,
    pub seats: String,
    pub waiting_booths: i64,
}

#[derive(Template)]
#[template(path = "fairs/staff_list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
    may_create: bool,
}

/// "10–11 Maret 2027", or one day.
pub fn dates(lang: Lang, f: &Fair) -> String {
    dates_between(lang, f.starts_on, f.ends_on)
}

/// As [`dates`], for a fair known by its first and last day only.
pub fn dates_between(lang: Lang, starts: NaiveDate, ends: NaiveDate) -> String {
    if starts == ends {
        date(lang, starts)
    } else {
        format!("{} – {}", date(lang, starts), date(lang, ends))
    }
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<BoothReview>,
) -> Result<HttpResponse, AppError> {
    let (fairs, waiting) = state
        .db(|conn| Ok((model::staff_list(conn)?, booths::waiting_counts(conn)?)))
        .await?;
    let lang = ctx.lang;
    let page = ListPage {
        rows: fairs
            .into_iter()
            .map(|f| Row {
                dates: dates(lang, &f),
                seats: format!("{} / {}", f.seats_taken, f.capacity),
                waiting_booths: waiting.get(&f.id).copied().unwrap_or(0),
                id: f.id,
                status: f.status,
                name: f.name,
            })
            .collect(),
        may_create: crate::web::auth::access::FAIR_STAFF.allows(&user.user),
        ctx,
    };
    render(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "fairs/form.html")]
struct FormPage {
    ctx: PageCtx,
    fair: Option<Fair>,
    form: FairForm,
    errors: FieldErrors,
    modes: &'static [Mode],
    statuses: &'static [Status],
    kelurahan: Vec<ChoiceGroup>,
}

impl FormPage {
    fn new(ctx: PageCtx, fair: Option<Fair>, form: FairForm, errors: FieldErrors) -> Self {
        Self {
            ctx,
            fair,
            form,
            errors,
            modes: &Mode::ALL,
            statuses: &Status::ALL,
            kelurahan: kelurahan_groups(),
        }
    }

    fn action(&self) -> String {
        match &self.fair {
            Some(f) => format!("/petugas/bursa-kerja/{}", f.id),
            None => "/petugas/bursa-kerja/baru".into(),
        }
    }
}

pub async fn new_form(ctx: PageCtx, _user: Require<FairStaff>) -> Result<HttpResponse, AppError> {
    render(
        &FormPage::new(ctx, None, FairForm::new_fair(), FieldErrors::default()),
        StatusCode::OK,
    )
}

pub async fn create(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<FairStaff>,
    form: web::Form<FairForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let Some(valid) = model::validate(&form, 0, &mut errors) else {
        return render(
            &FormPage::new(ctx, None, form, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let actor = user.user.id;
    let id = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let id = model::create(conn, &valid, actor)?;
                audit::record(
                    conn,
                    Entry::new(actions::FAIR_CREATED)
                        .actor(actor)
                        .subject("job_fair", id)
                        .client(&meta),
                )?;
                Ok::<_, diesel::result::Error>(id)
            })?)
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "fair.saved");
    Ok(redirect(&format!("/petugas/bursa-kerja/{id}")))
}

pub async fn edit_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _user: Require<FairStaff>,
    id: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let fair = state
        .db(move |conn| Ok(model::find(conn, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let form = FairForm::of(&fair);
    render(
        &FormPage::new(ctx, Some(fair), form, FieldErrors::default()),
        StatusCode::OK,
    )
}

pub async fn update(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<FairStaff>,
    id: web::Path<JobFairId>,
    form: web::Form<FairForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let actor = user.user.id;
    let checked = form.clone();
    let outcome = state
        .db(move |conn| {
            let Some(fair) = model::find(conn, id)? else {
                return Ok(None);
            };
            let mut errors = FieldErrors::default();
            let Some(valid) = model::validate(&checked, fair.seats_taken, &mut errors) else {
                return Ok(Some((fair, errors)));
            };
            let saved = crate::db::transaction(conn, |conn| {
                if !model::update(conn, id, &valid)? {
                    return Ok::<_, diesel::result::Error>(false);
                }
                audit::record(
                    conn,
                    Entry::new(actions::FAIR_CHANGED)
                        .actor(actor)
                        .subject("job_fair", id)
                        .detail(serde_json::json!({ "status": valid.status.as_str() }))
                        .client(&meta),
                )?;
                Ok(true)
            })?;
            if !saved {
                // Tickets were given out between reading the fair and saving it.
                let fair = model::find(conn, id)?.ok_or(AppError::NotFound)?;
                errors.add("capacity", "fair.error.capacity_below_taken");
                return Ok(Some((fair, errors)));
            }
            Ok(Some((fair, errors)))
        })
        .await?;
    let Some((fair, errors)) = outcome else {
        return Err(AppError::NotFound);
    };
    if !errors.is_empty() {
        return render(
            &FormPage::new(ctx, Some(fair), form, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    session::flash(&session, FlashLevel::Success, "fair.saved");
    Ok(redirect(&format!("/petugas/bursa-kerja/{id}")))
}

pub struct BoothRow {
    pub booth: Booth,
    pub company: String,
    pub verified: bool,
    pub vacancies: Vec<(VacancyId, String)>,
}

#[derive(Template)]
#[template(path = "fairs/staff_booths.html")]
struct BoothsPage {
    ctx: PageCtx,
    fair: Fair,
    dates: String,
    rows: Vec<BoothRow>,
    may_edit: bool,
    errors: FieldErrors,
    /// The booth whose decision failed its checks, with what was typed.
    failed: Option<(BoothId, DecisionForm)>,
}

impl BoothsPage {
    fn new(
        ctx: PageCtx,
        user: &Require<BoothReview>,
        (fair, rows): Loaded,
        errors: FieldErrors,
        failed: Option<(BoothId, DecisionForm)>,
    ) -> Self {
        Self {
            dates: dates(ctx.lang, &fair),
            may_edit: crate::web::auth::access::FAIR_STAFF.allows(&user.user),
            ctx,
            fair,
            rows,
            errors,
            failed,
        }
    }

    fn typed(&self, booth: &BoothId, field: &str) -> String {
        match &self.failed {
            Some((id, f)) if id == booth => match field {
                "stand" => f.stand.clone(),
                _ => f.reason.clone(),
            },
            _ => String::new(),
        }
    }

    fn failed_here(&self, booth: &BoothId) -> bool {
        matches!(&self.failed, Some((id, _)) if id == booth)
    }
}

type Loaded = (Fair, Vec<BoothRow>);

fn load_booths(conn: &mut crate::db::DbConnection, id: JobFairId) -> Result<Loaded, AppError> {
    let fair = model::find(conn, id)?.ok_or(AppError::NotFound)?;
    let rows = booths::of_fair(conn, id)?;
    let ids: Vec<BoothId> = rows.iter().map(|b| b.id).collect();
    let mut vacancies = booths::vacancies_of_booths(conn, &ids)?;
    let all: Vec<VacancyId> = vacancies.values().flatten().copied().collect();
    let headings = crate::vacancies::headings(conn, &all)?;
    let companies: Vec<CompanyId> = rows.iter().map(|b| b.company_id).collect();
    let verified: std::collections::HashSet<CompanyId> =
        crate::employers::verified_among(conn, &companies)?;
    let names = crate::employers::company_names(conn, &companies)?;
    let rows = rows
        .into_iter()
        .map(|b| BoothRow {
            company: names.get(&b.company_id).cloned().unwrap_or_default(),
            verified: verified.contains(&b.company_id),
            vacancies: vacancies
                .remove(&b.id)
                .unwrap_or_default()
                .into_iter()
                .map(|v| {
                    let title = headings.get(&v).map(|h| h.0.clone()).unwrap_or_default();
                    (v, title)
                })
                .collect(),
            booth: b,
        })
        .collect();
    Ok((fair, rows))
}

pub async fn booths_page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<BoothReview>,
    id: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let loaded = state.db(move |conn| load_booths(conn, id)).await?;
    render(
        &BoothsPage::new(ctx, &user, loaded, FieldErrors::default(), None),
        StatusCode::OK,
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    /// "approve" or "reject".
    decision: String,
    stand: String,
    reason: String,
}

pub async fn decide(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<BoothReview>,
    path: web::Path<(JobFairId, BoothId)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (fair_id, booth_id) = path.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let (stand, reason) = (form.stand.trim().to_owned(), form.reason.trim().to_owned());
    let approve = match form.decision.as_str() {
        "approve" => {
            if check_line(&mut errors, "stand", &stand)
                && !(1..=30).contains(&stand.chars().count())
            {
                errors.add("stand", "booth.error.stand");
            }
            true
        }
        "reject" => {
            if check_line(&mut errors, "reason", &reason)
                && !(10..=500).contains(&reason.chars().count())
            {
                errors.add("reason", "booth.error.reason");
            }
            false
        }
        _ => {
            errors.add("decision", "booth.error.decision");
            false
        }
    };
    if !errors.is_empty() {
        let loaded = state.db(move |conn| load_booths(conn, fair_id)).await?;
        if !loaded.1.iter().any(|r| r.booth.id == booth_id) {
            return Err(AppError::NotFound);
        }
        return render(
            &BoothsPage::new(ctx, &user, loaded, errors, Some((booth_id, form))),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let actor = user.user.id;
    let base_url = state.settings.base_url.clone();
    let outcome = state
        .db(move |conn| {
            let booth = booths::find(conn, booth_id)?
                .filter(|b| b.fair_id == fair_id)
                .ok_or(AppError::NotFound)?;
            let fair = model::find(conn, fair_id)?.ok_or(AppError::NotFound)?;
            // A company whose verification was withdrawn since it applied gets no booth.
            let verified = crate::employers::verified_among(conn, &[booth.company_id])?;
            if approve && verified.is_empty() {
                return Ok(Err("booth.error.unverified"));
            }
            Ok(crate::db::transaction(conn, |conn| {
                let decision = if approve {
                    Ok(stand.as_str())
                } else {
                    Err(reason.as_str())
                };
                if !booths::decide(conn, booth.id, decision, actor)? {
                    return Ok::<_, diesel::result::Error>(Err("booth.error.not_open"));
                }
                audit::record(
                    conn,
                    Entry::new(actions::BOOTH_DECIDED)
                        .actor(actor)
                        .subject("job_fair_booth", booth.id)
                        .detail(serde_json::json!({
                            "fair": fair.id,
                            "company": booth.company_id,
                            "approved": approve,
                        }))
                        .client(&meta),
                )?;
                super::news::booth_decided(conn, &fair, &booth, decision, &base_url)?;
                Ok(Ok(if approve {
                    "booth.approved"
                } else {
                    "booth.rejected"
                }))
            })?)
        })
        .await?;
    match outcome {
        Ok(key) => session::flash(&session, FlashLevel::Success, key),
        Err(key) => session::flash(&session, FlashLevel::Error, key),
    }
    Ok(redirect(&format!("/petugas/bursa-kerja/{fair_id}/stan")))
}

impl BoothRow {
    pub fn open_to_decision(&self) -> bool {
        matches!(
            self.booth.status,
            BoothStatus::Applied | BoothStatus::Approved
        )
    }
}
