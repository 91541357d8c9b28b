//! The verifiers' queue of vacancies: the longest-waiting first, publish, or reject with a
//! reason. Only a verified company's vacancy can be published, and a decision holds only
//! for the revision the verifier was shown: an edit made meanwhile is never published unseen.

use crate::domain::ids::VacancyId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::view::{Facts, facts};
use super::{Vacancy, VacancyStatus};
use crate::audit::{self, Entry, actions};
use crate::employers::VerificationStatus;
use crate::web::auth::{Require, Verifier};
use crate::web::forms::{FieldErrors, Verdict, check_verdict};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx, format};

struct QueueRow {
    id: VacancyId,
    title: String,
    company: String,
    company_verified: bool,
    positions: i32,
    waiting_since: String,
}

#[derive(Template)]
#[template(path = "vacancies/moderation_queue.html")]
struct QueuePage {
    ctx: PageCtx,
    rows: Vec<QueueRow>,
}

pub async fn queue(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(|conn| Ok(super::submitted_queue(conn, 200)?))
        .await?;
    let lang = ctx.lang;
    let rows = rows
        .into_iter()
        .map(|(v, company, status)| QueueRow {
            id: v.id,
            title: v.title.clone(),
            company,
            company_verified: status == VerificationStatus::Verified.as_str(),
            positions: v.positions(),
            waiting_since: format::day(lang, v.status_changed_at),
        })
        .collect();
    render(&QueuePage { ctx, rows }, StatusCode::OK)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecisionForm {
    keputusan: String,
    alasan: String,
    /// The revision the verifier was shown.
    revisi: String,
}

#[derive(Template)]
#[template(path = "vacancies/moderation_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    vacancy: Vacancy,
    status: VacancyStatus,
    company: String,
    company_verified: bool,
    facts: Facts,
    form: DecisionForm,
    errors: FieldErrors,
}

async fn render_detail(
    ctx: PageCtx,
    state: &AppState,
    id: VacancyId,
    form: DecisionForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (vacancy, company) = state
        .db(move |conn| {
            let vacancy = super::find(conn, id)?.ok_or(AppError::NotFound)?;
            let company = crate::employers::find_company(conn, vacancy.company_id)?
                .ok_or(AppError::NotFound)?;
            Ok((vacancy, company))
        })
        .await?;
    let page = DetailPage {
        status: vacancy.status(),
        facts: facts(&vacancy, ctx.lang),
        company: company.name.clone(),
        company_verified: company.status() == VerificationStatus::Verified,
        ctx,
        vacancy,
        form,
        errors,
    };
    render(&page, status)
}

pub async fn detail(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
    id: web::Path<VacancyId>,
) -> Result<HttpResponse, AppError> {
    let form = DecisionForm::default();
    render_detail(
        ctx,
        &state,
        id.into_inner(),
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

enum Outcome {
    Done(VacancyStatus),
    AlreadyDecided,
    /// Edited since the verifier opened it: the decision would be about another version.
    Changed,
    CompanyNotVerified,
    ClosingDatePassed,
}

pub async fn decide(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    verifier: Require<Verifier>,
    id: web::Path<VacancyId>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let reason = form.alasan.trim().to_owned();
    let mut errors = FieldErrors::default();
    let decision =
        check_verdict(&mut errors, &form.keputusan, "tayangkan", &reason).map(|v| match v {
            Verdict::Approve => VacancyStatus::Published,
            Verdict::Reject => VacancyStatus::Rejected,
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
    let (lang, base_url) = (ctx.lang, state.settings.base_url.clone());
    let outcome = state
        .db(move |conn| {
            let vacancy = super::find(conn, id)?.ok_or(AppError::NotFound)?;
            let Some(revision) = seen.filter(|r| *r == vacancy.revision) else {
                return Ok(Outcome::Changed);
            };
            if vacancy.status() != VacancyStatus::Submitted {
                return Ok(Outcome::AlreadyDecided);
            }
            let company = crate::employers::find_company(conn, vacancy.company_id)?
                .ok_or(AppError::NotFound)?;
            if decision == VacancyStatus::Published {
                if company.status() != VerificationStatus::Verified {
                    return Ok(Outcome::CompanyNotVerified);
                }
                if vacancy.closes_on < crate::domain::calendar::today() {
                    return Ok(Outcome::ClosingDatePassed);
                }
            }
            let note = Some(reason.as_str()).filter(|r| !r.is_empty());
            Ok(crate::db::transaction(conn, |conn| {
                // The checks above read a moment ago; this holds them to the same version.
                let now = chrono::Utc::now().naive_utc();
                if !super::decide(conn, id, revision, decision, note, actor, now)? {
                    return Ok(Outcome::Changed);
                }
                let (subject, body, action) = match decision {
                    VacancyStatus::Published => (
                        "mail.vacancy_published.subject",
                        "mail.vacancy_published.body",
                        actions::VACANCY_PUBLISHED,
                    ),
                    _ => (
                        "mail.vacancy_rejected.subject",
                        "mail.vacancy_rejected.body",
                        actions::VACANCY_REJECTED,
                    ),
                };
                let link = format!("{base_url}/perusahaan/lowongan/{id}");
                for (email, name) in crate::employers::company_user_emails(conn, company.id)? {
                    use crate::mail::text;
                    crate::mail::enqueue(
                        conn,
                        crate::mail::MailKind::VacancyDecision,
                        &email,
                        &lang.t(subject),
                        &lang.tf(
                            body,
                            &[
                                ("name", &text::name(&name)),
                                ("title", &text::title(&vacancy.title, text::TITLE_MAX)),
                                ("reason", &text::title(&reason, text::NOTE_MAX)),
                                ("link", &link),
                            ],
                        ),
                    )?;
                }
                audit::record(
                    conn,
                    Entry::new(action)
                        .actor(actor)
                        .subject("vacancy", id)
                        .detail(serde_json::json!({ "reason": note, "revision": revision }))
                        .client(&meta),
                )?;
                Ok::<_, diesel::result::Error>(Outcome::Done(decision))
            })?)
        })
        .await?;
    let (level, key) = match outcome {
        Outcome::Done(VacancyStatus::Published) => (FlashLevel::Success, "moderation.published"),
        Outcome::Done(_) => (FlashLevel::Success, "moderation.rejected"),
        Outcome::AlreadyDecided => (FlashLevel::Error, "moderation.already_decided"),
        Outcome::Changed => {
            // Back to the vacancy as it is now, to look again.
            session::flash(&session, FlashLevel::Error, "review.vacancy.changed");
            return Ok(redirect(&format!("/petugas/verifikasi/lowongan/{id}")));
        }
        Outcome::CompanyNotVerified => (FlashLevel::Error, "moderation.company_not_verified"),
        Outcome::ClosingDatePassed => (FlashLevel::Error, "moderation.closing_date_passed"),
    };
    session::flash(&session, level, key);
    Ok(redirect("/petugas/verifikasi/lowongan"))
}
