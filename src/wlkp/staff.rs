//! The verifiers' WLKP pages: the queue of submitted reports, a report with the review
//! form (accept, or return with a note the employer sees), the overdue companies, and a
//! company's reports.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::employer::{ReportSummary, RevisionView, revision_views};
use super::model::{self, Refused, Status, StepError};
use super::view::{EventView, ReportLine, event_views, report_lines};
use crate::audit::{self, Entry, actions};
use crate::domain::calendar;
use crate::domain::ids::{CompanyId, WlkpReportId};
use crate::employers;
use crate::web::auth::{Require, Verifier};
use crate::web::forms::{FieldErrors, Verdict, check_verdict};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx, format};

const QUEUE_SHOWN: i64 = 200;

#[derive(Template)]
#[template(path = "wlkp/staff_queue.html")]
struct QueuePage {
    ctx: PageCtx,
    reports: Vec<ReportLine>,
}

pub async fn queue(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
) -> Result<HttpResponse, AppError> {
    let (reports, names) = state
        .db(|conn| {
            let reports = model::queue(conn, QUEUE_SHOWN)?;
            let ids: Vec<CompanyId> = reports.iter().filter_map(|r| r.company_id).collect();
            Ok((reports, employers::company_names(conn, &ids)?))
        })
        .await?;
    let page = QueuePage {
        reports: report_lines(ctx.lang, reports, &names),
        ctx,
    };
    render(&page, StatusCode::OK)
}

pub struct OverdueLine {
    pub company_id: CompanyId,
    pub name: String,
    pub nib: String,
    pub due: String,
    pub days_late: i64,
}

#[derive(Template)]
#[template(path = "wlkp/staff_overdue.html")]
struct OverduePage {
    ctx: PageCtx,
    companies: Vec<OverdueLine>,
}

pub async fn overdue(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
) -> Result<HttpResponse, AppError> {
    let today = calendar::today();
    let late = state
        .db(move |conn| Ok(super::due::overdue(conn, today)?))
        .await?;
    let lang = ctx.lang;
    let page = OverduePage {
        companies: late
            .into_iter()
            .map(|d| OverdueLine {
                company_id: d.company.id,
                name: d.company.name,
                nib: d.company.nib.unwrap_or_default(),
                due: format::date(lang, d.due_on),
                days_late: (today - d.due_on).num_days(),
            })
            .collect(),
        ctx,
    };
    render(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "wlkp/staff_company.html")]
struct CompanyPage {
    ctx: PageCtx,
    company_id: CompanyId,
    name: String,
    due: String,
    reports: Vec<ReportLine>,
}

pub async fn company(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
    id: web::Path<CompanyId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (company, reports, due) = state
        .db(move |conn| {
            let company = employers::find_company(conn, id)?.ok_or(AppError::NotFound)?;
            let due = super::due::due_for(conn, id)?;
            Ok((company, model::of_company(conn, id)?, due))
        })
        .await?;
    let lang = ctx.lang;
    let names = [(company.id, company.name.clone())].into_iter().collect();
    let page = CompanyPage {
        company_id: company.id,
        name: company.name,
        due: due.map(|d| format::date(lang, d)).unwrap_or_default(),
        reports: report_lines(lang, reports, &names),
        ctx,
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ReviewForm {
    keputusan: String,
    alasan: String,
    /// The revision the verifier was shown.
    revisi: String,
}

#[derive(Template)]
#[template(path = "wlkp/staff_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    report: ReportSummary,
    company_id: Option<CompanyId>,
    company: String,
    nib: String,
    external_id: Option<String>,
    events: Vec<EventView>,
    revisions: Vec<RevisionView>,
    form: ReviewForm,
    errors: FieldErrors,
}

async fn render_detail(
    ctx: PageCtx,
    state: &AppState,
    id: WlkpReportId,
    form: ReviewForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (report, events, revisions, company) = state
        .db(move |conn| {
            let report = model::find(conn, id)?.ok_or(AppError::NotFound)?;
            let company = match report.company_id {
                Some(c) => employers::find_company(conn, c)?.map(|c| c.name),
                None => None,
            };
            Ok((
                report,
                model::events(conn, id)?,
                model::revisions(conn, id)?,
                company,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let page = DetailPage {
        report: super::employer::summary_of(&report, &events),
        company_id: report.company_id,
        company: company.unwrap_or_else(|| format!("NIB {}", report.nib)),
        nib: report.nib.clone(),
        external_id: report.external_id.clone(),
        events: event_views(lang, events),
        revisions: revision_views(lang, revisions),
        form,
        errors,
        ctx,
    };
    render(&page, status)
}

pub async fn detail(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
    id: web::Path<WlkpReportId>,
) -> Result<HttpResponse, AppError> {
    render_detail(
        ctx,
        &state,
        id.into_inner(),
        ReviewForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

enum Reviewed {
    Done,
    /// Decided by someone else, or resubmitted as another revision, since the page opened.
    MovedOn,
}

pub async fn decide(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    verifier: Require<Verifier>,
    id: web::Path<WlkpReportId>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let note = form.alasan.trim().to_owned();
    let decision = check_verdict(&mut errors, &form.keputusan, "terima", &note).map(|v| match v {
        Verdict::Approve => Status::Accepted,
        Verdict::Reject => Status::Returned,
    });
    let Some(decision) = decision else {
        return render_detail(
            ctx,
            &state,
            id,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let seen = form.revisi.trim().parse::<i32>().ok();
    let actor = verifier.user.id;
    let lang = ctx.lang;
    let base_url = state.settings.base_url.clone();
    let outcome = state
        .db(move |conn| {
            let report = model::find(conn, id)?.ok_or(AppError::NotFound)?;
            if seen != Some(report.revision) {
                return Ok(Reviewed::MovedOn);
            }
            let note = Some(note.as_str()).filter(|n| !n.is_empty());
            let result = crate::db::transaction(conn, |conn| {
                model::review(conn, &report, decision, note, actor)?;
                if let Some(company) = report.company_id {
                    super::mail::decision(conn, company, &report, decision, note, lang, &base_url)?;
                }
                audit::record(
                    conn,
                    Entry::new(actions::WLKP_REVIEWED)
                        .actor(actor)
                        .subject("wlkp_report", id)
                        .detail(serde_json::json!({
                            "decision": decision.as_str(),
                            "revision": report.revision,
                        }))
                        .client(&meta),
                )?;
                Ok::<_, StepError>(())
            });
            match result {
                Ok(()) => Ok(Reviewed::Done),
                Err(StepError::Refused(Refused::NotNow | Refused::Exists(_))) => {
                    Ok(Reviewed::MovedOn)
                }
                Err(StepError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match outcome {
        Reviewed::Done => {
            let key = if decision == Status::Accepted {
                "wlkp.flash.accepted"
            } else {
                "wlkp.flash.returned"
            };
            session::flash(&session, FlashLevel::Success, key);
            Ok(redirect("/petugas/wlkp"))
        }
        Reviewed::MovedOn => {
            session::flash(&session, FlashLevel::Error, "wlkp.flash.moved_on");
            Ok(redirect(&format!("/petugas/wlkp/{id}")))
        }
    }
}
