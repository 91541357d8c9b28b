//! The employer's WLKP pages: the company's reports, the form to file or correct one, and a
//! report with its history. Only the company's own reports are found; another company's
//! is the 404 page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::figures::{FigureFields, Figures};
use super::model::{self, Filing, Refused, Report, Status, StepError, Trigger};
use super::view::{EventView, FigureView, ReportLine, event_views, report_lines};
use crate::domain::calendar;
use crate::domain::ids::{CompanyId, WlkpReportId};
use crate::employers::{self, facts};
use crate::web::auth::{Employer, Require};
use crate::web::forms::FieldErrors;
use crate::web::respond::{redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx, format};

fn company_of(employer: &Require<Employer>) -> Result<CompanyId, AppError> {
    employer.user.company_id.ok_or(AppError::Forbidden)
}

#[derive(Template)]
#[template(path = "wlkp/employer_list.html")]
struct ListPage {
    ctx: PageCtx,
    reports: Vec<ReportLine>,
    due: String,
    overdue: bool,
    missing: Vec<&'static str>,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let (reports, due, missing) = state
        .db(move |conn| {
            let company = employers::find_company(conn, company_id)?.ok_or(AppError::NotFound)?;
            let codes = employers::kbli::current(conn, company_id)?;
            let due = super::due::due_for(conn, company_id)?;
            Ok((
                model::of_company(conn, company_id)?,
                due,
                facts::missing_for_wlkp(&company, codes.as_ref()),
            ))
        })
        .await?;
    let lang = ctx.lang;
    // A report waiting for the Dinas is the company's part done.
    let waiting = reports.iter().any(|r| r.status == Status::Submitted);
    let page = ListPage {
        reports: report_lines(lang, reports, &Default::default()),
        due: due.map(|d| format::date(lang, d)).unwrap_or_default(),
        overdue: !waiting && due.is_some_and(|d| d < calendar::today()),
        missing,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// The period, trigger and action as typed, beside the figures.
#[derive(Default, Clone)]
pub struct ReportForm {
    pub period_year: String,
    pub trigger: String,
    /// `kirim` to submit, anything else to keep as a draft.
    pub action: String,
    pub figures: FigureFields,
}

impl ReportForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            period_year: get("period_year"),
            trigger: get("trigger"),
            action: get("aksi"),
            figures: FigureFields::from_pairs(pairs),
        }
    }

    fn submits(&self) -> bool {
        self.action == "kirim"
    }
}

#[derive(Template)]
#[template(path = "wlkp/employer_form.html")]
struct FormPage {
    ctx: PageCtx,
    /// Set when correcting an existing report.
    report: Option<ReportSummary>,
    form: ReportForm,
    view: FigureView,
    errors: FieldErrors,
    triggers: [Trigger; 4],
    missing: Vec<&'static str>,
    events: Vec<EventView>,
    revisions: Vec<RevisionView>,
    /// A new report, a draft or a returned one: the employer may change it.
    editable: bool,
}

pub struct ReportSummary {
    pub id: WlkpReportId,
    pub period: i32,
    pub trigger_key: &'static str,
    pub source_key: &'static str,
    pub status: Status,
    pub revision: i32,
    /// The note of the latest return, while the report is returned.
    pub returned_note: Option<String>,
}

pub struct RevisionView {
    pub revision: i32,
    pub total: i32,
    pub submitted: String,
    pub view: FigureView,
}

pub fn summary_of(report: &Report, events: &[model::Event]) -> ReportSummary {
    ReportSummary {
        id: report.id,
        period: report.period_year,
        trigger_key: report.report_trigger.label_key(),
        source_key: report.source.label_key(),
        status: report.status,
        revision: report.revision,
        returned_note: (report.status == Status::Returned)
            .then(|| {
                events
                    .iter()
                    .rev()
                    .find(|e| e.status == Status::Returned)
                    .and_then(|e| e.note.clone())
            })
            .flatten(),
    }
}

pub fn revision_views(
    lang: crate::web::Lang,
    revisions: Vec<model::Revision>,
) -> Vec<RevisionView> {
    revisions
        .into_iter()
        .map(|r| RevisionView {
            revision: r.revision,
            total: r.figures.total(),
            submitted: r
                .submitted_at
                .map(|at| format::day_time(lang, at))
                .unwrap_or_default(),
            view: FigureView::new(lang, &r.figures.fields()),
        })
        .collect()
}

/// What a form page needs from the database for a company (and a report, if any).
struct Loaded {
    missing: Vec<&'static str>,
    report: Option<(Report, Vec<model::Event>, Vec<model::Revision>)>,
}

async fn load(
    state: &AppState,
    company_id: CompanyId,
    report: Option<WlkpReportId>,
) -> Result<Loaded, AppError> {
    state
        .db(move |conn| {
            let company = employers::find_company(conn, company_id)?.ok_or(AppError::NotFound)?;
            let codes = employers::kbli::current(conn, company_id)?;
            let missing = facts::missing_for_wlkp(&company, codes.as_ref());
            let report = match report {
                Some(id) => {
                    let report =
                        model::find_for_company(conn, id, company_id)?.ok_or(AppError::NotFound)?;
                    let events = model::events(conn, id)?;
                    let revisions = model::revisions(conn, id)?;
                    Some((report, events, revisions))
                }
                None => None,
            };
            Ok(Loaded { missing, report })
        })
        .await
}

async fn render_form(
    ctx: PageCtx,
    state: &AppState,
    company_id: CompanyId,
    report: Option<WlkpReportId>,
    form: Option<ReportForm>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let loaded = load(state, company_id, report).await?;
    let lang = ctx.lang;
    let (summary, events, revisions, stored) = match loaded.report {
        Some((report, events, revisions)) => {
            let stored = revisions
                .iter()
                .find(|r| r.revision == report.revision)
                .map(|r| r.figures);
            (
                Some(summary_of(&report, &events)),
                event_views(lang, events),
                revision_views(lang, revisions),
                stored,
            )
        }
        None => (None, Vec::new(), Vec::new(), None),
    };
    let form = form.unwrap_or_else(|| ReportForm {
        period_year: summary
            .as_ref()
            .map(|s| s.period.to_string())
            .unwrap_or_else(|| (chrono::Datelike::year(&calendar::today()) - 1).to_string()),
        trigger: Trigger::Annual.as_str().to_owned(),
        action: String::new(),
        figures: stored.map(|f| f.fields()).unwrap_or_default(),
    });
    let page = FormPage {
        editable: summary
            .as_ref()
            .is_none_or(|r| matches!(r.status, Status::Draft | Status::Returned)),
        view: FigureView::new(lang, &form.figures),
        report: summary,
        form,
        errors,
        triggers: Trigger::ALL,
        missing: loaded.missing,
        events,
        revisions,
        ctx,
    };
    render(&page, status)
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    render_form(
        ctx,
        &state,
        company_id,
        None,
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
    id: web::Path<WlkpReportId>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    render_form(
        ctx,
        &state,
        company_id,
        Some(id.into_inner()),
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The period a report may be for: from 2000 to this year.
fn check_period(raw: &str, errors: &mut FieldErrors) -> Option<i32> {
    let this_year = chrono::Datelike::year(&calendar::today());
    match raw.trim().parse::<i32>() {
        Ok(year) if (2000..=this_year).contains(&year) => Some(year),
        _ => {
            errors.add("period_year", "wlkp.error.period");
            None
        }
    }
}

enum Saved {
    Done(WlkpReportId, bool),
    Exists,
    NotNow,
}

fn saved(result: model::Step<(WlkpReportId, bool)>) -> Result<Saved, AppError> {
    match result {
        Ok((id, submitted)) => Ok(Saved::Done(id, submitted)),
        Err(StepError::Refused(Refused::Exists(_))) => Ok(Saved::Exists),
        Err(StepError::Refused(Refused::NotNow)) => Ok(Saved::NotNow),
        Err(StepError::Db(e)) => Err(e.into()),
    }
}

/// Checks the figures, and for a submission that the company's profile is complete.
fn check(form: &ReportForm, missing: &[&'static str], errors: &mut FieldErrors) -> Option<Figures> {
    let figures = form.figures.check(errors);
    if form.submits() && !missing.is_empty() {
        errors.add("profile", "wlkp.error.profile_incomplete");
    }
    figures
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let form = ReportForm::from_pairs(&form.into_inner());
    let mut errors = FieldErrors::default();
    let period = check_period(&form.period_year, &mut errors);
    let trigger = Trigger::parse(form.trigger.trim());
    if trigger.is_none() {
        errors.add("trigger", "wlkp.error.trigger");
    }
    let loaded = load(&state, company_id, None).await?;
    let figures = check(&form, &loaded.missing, &mut errors);
    let (Some(period), Some(trigger), Some(figures), true) =
        (period, trigger, figures, errors.is_empty())
    else {
        return render_form(
            ctx,
            &state,
            company_id,
            None,
            Some(form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = employer.user.id;
    let submit = form.submits();
    let outcome = state
        .db(move |conn| {
            let company = employers::find_company(conn, company_id)?.ok_or(AppError::NotFound)?;
            let nib = company.nib.unwrap_or_default();
            let result = crate::db::transaction(conn, |conn| {
                model::create(
                    conn,
                    &Filing {
                        company: company_id,
                        nib: &nib,
                        period_year: period,
                        trigger,
                        figures: &figures,
                    },
                    actor,
                )
                .and_then(|id| {
                    if submit {
                        let report =
                            model::find(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
                        model::submit(conn, &report, actor)?;
                    }
                    Ok((id, submit))
                })
            });
            saved(result)
        })
        .await?;
    finish(ctx, &state, &session, company_id, None, form, outcome).await
}

pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    id: web::Path<WlkpReportId>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let id = id.into_inner();
    let form = ReportForm::from_pairs(&form.into_inner());
    let loaded = load(&state, company_id, Some(id)).await?;
    let mut errors = FieldErrors::default();
    let figures = check(&form, &loaded.missing, &mut errors);
    let (Some(figures), true) = (figures, errors.is_empty()) else {
        return render_form(
            ctx,
            &state,
            company_id,
            Some(id),
            Some(form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = employer.user.id;
    let submit = form.submits();
    let outcome = state
        .db(move |conn| {
            let report =
                model::find_for_company(conn, id, company_id)?.ok_or(AppError::NotFound)?;
            let result = crate::db::transaction(conn, |conn| {
                model::save(conn, &report, &figures, actor).and_then(|()| {
                    if submit {
                        // Saving may have opened a new revision: submit the report as it is now.
                        let report =
                            model::find(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
                        model::submit(conn, &report, actor)?;
                    }
                    Ok((id, submit))
                })
            });
            saved(result)
        })
        .await?;
    finish(ctx, &state, &session, company_id, Some(id), form, outcome).await
}

async fn finish(
    ctx: PageCtx,
    state: &AppState,
    session: &Session,
    company_id: CompanyId,
    report: Option<WlkpReportId>,
    form: ReportForm,
    outcome: Saved,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Saved::Done(id, submitted) => {
            let key = if submitted {
                "wlkp.flash.submitted"
            } else {
                "wlkp.flash.saved"
            };
            session::flash(session, FlashLevel::Success, key);
            Ok(redirect(&format!("/perusahaan/wlkp/{id}")))
        }
        Saved::Exists => {
            let mut errors = FieldErrors::default();
            errors.add("trigger", "wlkp.error.exists");
            render_form(
                ctx,
                state,
                company_id,
                report,
                Some(form),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Saved::NotNow => {
            session::flash(session, FlashLevel::Error, "wlkp.flash.frozen");
            Ok(redirect(&match report {
                Some(id) => format!("/perusahaan/wlkp/{id}"),
                None => "/perusahaan/wlkp".to_owned(),
            }))
        }
    }
}
