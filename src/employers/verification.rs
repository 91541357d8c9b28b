//! The verifiers' queue of companies: the longest-waiting first, approve, or reject with a
//! reason the company sees. The company's users hear of the decision by e-mail. A decision
//! holds only for the revision of the profile the verifier was shown.

use crate::domain::ids::CompanyId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::facts::FactFields;
use super::profile::{EventView, KbliRow, event_views, kbli_rows};
use super::{Company, InvestmentStatus, LegalForm, VerificationStatus};
use crate::audit::{self, Entry, actions};
use crate::reference::{kbli, regions};
use crate::web::auth::{Require, Verifier};
use crate::web::forms::{FieldErrors, Verdict, check_verdict};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

const QUEUE_SHOWN: i64 = 100;

struct QueueRow {
    id: CompanyId,
    name: String,
    /// A branch's head office.
    branch_of: Option<String>,
    nib: String,
    place: String,
    waiting_since: String,
}

#[derive(Template)]
#[template(path = "employers/verification_queue.html")]
struct QueuePage {
    ctx: PageCtx,
    rows: Vec<QueueRow>,
    count_text: String,
}

/// Where a company is: its kelurahan in Binjai, or its regency elsewhere.
fn place(company: &Company) -> String {
    let code = company
        .kelurahan_code
        .as_deref()
        .unwrap_or(&company.regency_code);
    regions::get(code)
        .map(|r| r.name.to_owned())
        .unwrap_or_else(|| code.to_owned())
}

pub async fn queue(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
) -> Result<HttpResponse, AppError> {
    let (companies, total, heads) = state
        .db(|conn| {
            let companies = super::pending_companies(conn, QUEUE_SHOWN)?;
            let heads: Vec<CompanyId> = companies.iter().filter_map(|c| c.head_office_id).collect();
            Ok((
                companies,
                super::count_pending_companies(conn)?,
                super::company_names(conn, &heads)?,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let rows = companies
        .iter()
        .map(|c| QueueRow {
            id: c.id,
            name: c.name.clone(),
            branch_of: c.head_office_id.and_then(|h| heads.get(&h).cloned()),
            nib: c.nib.clone().unwrap_or_default(),
            place: place(c),
            waiting_since: c
                .status_changed_at
                .map(|at| format::day(lang, at))
                .unwrap_or_default(),
        })
        .collect();
    let page = QueuePage {
        count_text: ctx.tf(
            "verification.count",
            &[("count", &format::number(lang, total))],
        ),
        ctx,
        rows,
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecisionForm {
    keputusan: String,
    alasan: String,
    /// The revision of the profile the verifier was shown.
    revisi: String,
}

#[derive(Template)]
#[template(path = "employers/verification_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    company: Company,
    status: VerificationStatus,
    section: String,
    place: String,
    history: Vec<EventView>,
    form: DecisionForm,
    errors: FieldErrors,
    founded_on: String,
    facts: FactFields,
    fact_errors: FieldErrors,
    legal_forms: [LegalForm; 9],
    investment_statuses: [InvestmentStatus; 2],
    head_office: Option<(CompanyId, String)>,
    branches: Vec<(CompanyId, String)>,
    kbli_history: Vec<KbliRow>,
}

async fn render_detail(
    ctx: PageCtx,
    state: &AppState,
    id: CompanyId,
    form: DecisionForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render_page(ctx, state, id, (form, errors), None, status).await
}

/// The company page; `facts` is the WLKP facts form as typed, with its mistakes.
async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    id: CompanyId,
    (form, errors): (DecisionForm, FieldErrors),
    facts: Option<(FactFields, FieldErrors)>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (company, events, head_office, branches, periods, codes) = state
        .db(move |conn| {
            let company = super::find_company(conn, id)?.ok_or(AppError::NotFound)?;
            let head_office = match company.head_office_id {
                Some(head) => super::find_company(conn, head)?.map(|h| (h.id, h.name)),
                None => None,
            };
            let branches = super::branches::branches_of(conn, id)?
                .into_iter()
                .map(|b| (b.id, b.name))
                .collect();
            let periods = super::kbli::history(conn, id)?;
            let codes = super::kbli::current(conn, id)?;
            Ok((
                company,
                super::company_events(conn, id)?,
                head_office,
                branches,
                periods,
                codes,
            ))
        })
        .await?;
    let english = ctx.lang == Lang::En;
    let section = kbli::section(&company.kbli_section)
        .map(|s| format!("{} {}", s.code, if english { s.name_en } else { s.name_id }))
        .unwrap_or_else(|| company.kbli_section.to_string());
    let (facts, fact_errors) = facts.unwrap_or_else(|| {
        (
            FactFields::of(&company, codes.as_ref()),
            FieldErrors::default(),
        )
    });
    let page = DetailPage {
        facts,
        fact_errors,
        legal_forms: LegalForm::ALL,
        investment_statuses: InvestmentStatus::ALL,
        founded_on: company
            .founded_on
            .map(|d| format::date(ctx.lang, d))
            .unwrap_or_default(),
        head_office,
        branches,
        kbli_history: kbli_rows(ctx.lang, periods),
        status: company.status(),
        place: place(&company),
        history: event_views(ctx.lang, events),
        ctx,
        company,
        section,
        form,
        errors,
    };
    render(&page, status)
}

pub async fn detail(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
    id: web::Path<CompanyId>,
) -> Result<HttpResponse, AppError> {
    render_detail(
        ctx,
        &state,
        id.into_inner(),
        DecisionForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn decide(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    verifier: Require<Verifier>,
    id: web::Path<CompanyId>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let reason = form.alasan.trim().to_owned();
    let decision =
        check_verdict(&mut errors, &form.keputusan, "setujui", &reason).map(|v| match v {
            Verdict::Approve => VerificationStatus::Verified,
            Verdict::Reject => VerificationStatus::Rejected,
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
            let company = super::find_company(conn, id)?.ok_or(AppError::NotFound)?;
            let Some(revision) = seen.filter(|r| *r == company.revision) else {
                return Ok(Outcome::Changed);
            };
            // Two verifiers may open the same company; the first decision stands.
            if company.status() != VerificationStatus::Pending {
                return Ok(Outcome::AlreadyDecided);
            }
            let note = Some(reason.as_str()).filter(|r| !r.is_empty());
            Ok(crate::db::transaction(conn, |conn| {
                if !super::decide(conn, id, revision, decision, note, actor)? {
                    return Ok(Outcome::Changed);
                }
                let (subject, body) = match decision {
                    VerificationStatus::Verified => (
                        "mail.company_verified.subject",
                        "mail.company_verified.body",
                    ),
                    _ => (
                        "mail.company_rejected.subject",
                        "mail.company_rejected.body",
                    ),
                };
                let link = format!("{base_url}/perusahaan/profil");
                for (email, name) in super::company_user_emails(conn, id)? {
                    use crate::mail::text;
                    crate::mail::enqueue(
                        conn,
                        crate::mail::MailKind::CompanyDecision,
                        &email,
                        &lang.t(subject),
                        &lang.tf(
                            body,
                            &[
                                ("name", &text::name(&name)),
                                ("company", &text::title(&company.name, text::TITLE_MAX)),
                                ("reason", &text::title(&reason, text::NOTE_MAX)),
                                ("link", &link),
                            ],
                        ),
                    )?;
                }
                let action = match decision {
                    VerificationStatus::Verified => actions::COMPANY_VERIFIED,
                    _ => actions::COMPANY_REJECTED,
                };
                audit::record(
                    conn,
                    Entry::new(action)
                        .actor(actor)
                        .subject("company", id)
                        .detail(serde_json::json!({ "reason": note, "revision": revision }))
                        .client(&meta),
                )?;
                Ok::<_, diesel::result::Error>(Outcome::Decided)
            })?)
        })
        .await?;
    let (level, key) = match outcome {
        Outcome::AlreadyDecided => (FlashLevel::Error, "verification.already_decided"),
        Outcome::Changed => {
            // Back to the profile as it is now, to look again.
            session::flash(&session, FlashLevel::Error, "review.company.changed");
            return Ok(redirect(&format!("/petugas/verifikasi/perusahaan/{id}")));
        }
        Outcome::Decided if decision == VerificationStatus::Verified => {
            (FlashLevel::Success, "verification.approved")
        }
        Outcome::Decided => (FlashLevel::Success, "verification.rejected"),
    };
    session::flash(&session, level, key);
    Ok(redirect("/petugas/verifikasi/perusahaan"))
}

enum Outcome {
    Decided,
    AlreadyDecided,
    /// Changed since the verifier opened it: the decision would be about another version.
    Changed,
}

/// A verifier sets the company's WLKP facts (legal form, PMA/PMDN, NPP, founding date,
/// KBLI codes); the section follows the main KBLI code.
pub async fn set_facts(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    verifier: Require<Verifier>,
    id: web::Path<CompanyId>,
    form: web::Form<FactFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let mut fact_errors = FieldErrors::default();
    let facts = form.check(&mut fact_errors);
    if !fact_errors.is_empty() {
        return render_page(
            ctx,
            &state,
            id,
            (DecisionForm::default(), FieldErrors::default()),
            Some((form, fact_errors)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let actor = verifier.user.id;
    let found = state
        .db(move |conn| Ok(super::set_wlkp_facts(conn, id, &facts, actor, &meta)?))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    session::flash(&session, FlashLevel::Success, "company.facts.saved");
    Ok(redirect(&format!("/petugas/verifikasi/perusahaan/{id}")))
}
