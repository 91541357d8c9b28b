//! The branch pages: a head office's owner, or a verifier for any head office, lists its
//! branches and registers one with its first user (see `branches`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::branches::{self, NewBranch, Registered};
use super::forms::{CompanyChoices, check_place};
use super::{Company, VerificationStatus};
use crate::accounts::invitation::Inviter;
use crate::audit::{self, Entry, actions};
use crate::domain::Email;
use crate::domain::ids::CompanyId;
use crate::reference::regions;
use crate::web::auth::{CompanyOwner, Require, Verifier};
use crate::web::forms::{FieldErrors, check_full_name, check_line, check_lines, parsed};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BranchForm {
    branch_name: String,
    location: String,
    regency_code: String,
    address: String,
    full_name: String,
    email: String,
}

impl BranchForm {
    fn outside_binjai(&self) -> bool {
        self.location == super::forms::OUTSIDE_BINJAI
    }
}

pub struct BranchRow {
    pub name: String,
    pub place: String,
    pub status: VerificationStatus,
}

#[derive(Template)]
#[template(path = "employers/branches.html")]
struct BranchesPage {
    ctx: PageCtx,
    head_office: String,
    /// Where the form posts: the owner's page or the verifier's.
    action: String,
    /// Whether this company may have branches (a head office with a NIB).
    allowed: bool,
    branches: Vec<BranchRow>,
    form: BranchForm,
    errors: FieldErrors,
    choices: CompanyChoices,
}

fn place(company: &Company) -> String {
    let code = company
        .kelurahan_code
        .as_deref()
        .unwrap_or(&company.regency_code);
    regions::get(code)
        .map(|r| r.name.to_owned())
        .unwrap_or_else(|| code.to_owned())
}

async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    head: CompanyId,
    action: String,
    form: BranchForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (company, rows) = state
        .db(move |conn| {
            let company = super::find_company(conn, head)?.ok_or(AppError::NotFound)?;
            Ok((company, branches::branches_of(conn, head)?))
        })
        .await?;
    let page = BranchesPage {
        allowed: company.head_office_id.is_none() && company.nib.is_some(),
        head_office: company.name,
        action,
        branches: rows
            .iter()
            .map(|b| BranchRow {
                name: b.name.clone(),
                place: place(b),
                status: b.status(),
            })
            .collect(),
        choices: CompanyChoices::new(ctx.lang),
        form,
        errors,
        ctx,
    };
    render(&page, status)
}

fn own_path() -> String {
    "/perusahaan/cabang".to_owned()
}

fn staff_path(head: CompanyId) -> String {
    format!("/petugas/perusahaan/{head}/cabang")
}

pub async fn own_list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    owner: Require<CompanyOwner>,
) -> Result<HttpResponse, AppError> {
    let head = owner.user.company_id.ok_or(AppError::Forbidden)?;
    let form = BranchForm::default();
    render_page(
        ctx,
        &state,
        head,
        own_path(),
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn staff_list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _verifier: Require<Verifier>,
    head: web::Path<CompanyId>,
) -> Result<HttpResponse, AppError> {
    let head = head.into_inner();
    let form = BranchForm::default();
    render_page(
        ctx,
        &state,
        head,
        staff_path(head),
        form,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn own_register(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    owner: Require<CompanyOwner>,
    form: web::Form<BranchForm>,
) -> Result<HttpResponse, AppError> {
    let head = owner.user.company_id.ok_or(AppError::Forbidden)?;
    register(
        meta,
        ctx,
        &state,
        &session,
        head,
        owner.user.id,
        own_path(),
        form.into_inner(),
    )
    .await
}

pub async fn staff_register(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    verifier: Require<Verifier>,
    head: web::Path<CompanyId>,
    form: web::Form<BranchForm>,
) -> Result<HttpResponse, AppError> {
    let head = head.into_inner();
    let path = staff_path(head);
    register(
        meta,
        ctx,
        &state,
        &session,
        head,
        verifier.user.id,
        path,
        form.into_inner(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn register(
    meta: RequestMeta,
    ctx: PageCtx,
    state: &AppState,
    session: &Session,
    head: CompanyId,
    actor: crate::domain::ids::UserId,
    path: String,
    form: BranchForm,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let name = form.branch_name.trim().to_owned();
    if check_line(&mut errors, "branch_name", &name) && !(2..=150).contains(&name.chars().count()) {
        errors.add("branch_name", "company.error.name");
    }
    let (kelurahan, regency) = check_place(
        &form.location,
        &form.regency_code,
        "company.error.location",
        &mut errors,
    );
    let address = form.address.trim().to_owned();
    if check_lines(&mut errors, "address", &address)
        && !(5..=300).contains(&address.chars().count())
    {
        errors.add("address", "company.error.address");
    }
    let owner_name = check_full_name(&mut errors, &form.full_name);
    let email = parsed(
        &mut errors,
        "email",
        "signup.error.email",
        Email::parse(&form.email),
    );
    let (Some(regency), Some(email), true) = (regency, email, errors.is_empty()) else {
        return render_page(
            ctx,
            state,
            head,
            path,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let lang = ctx.lang;
    let base_url = state.settings.base_url.clone();
    let outcome = state
        .db(move |conn| {
            let inviter = Inviter {
                user_id: actor,
                address: &meta.address,
                lang,
                base_url: &base_url,
            };
            let branch = NewBranch {
                name: &name,
                address: &address,
                kelurahan_code: kelurahan,
                regency_code: regency,
                owner_email: &email,
                owner_name: &owner_name,
            };
            let outcome = branches::register(conn, head, &branch, &inviter)?;
            if let Registered::Branch(id) = outcome {
                audit::record(
                    conn,
                    Entry::new(actions::BRANCH_REGISTERED)
                        .actor(actor)
                        .subject("company", id)
                        .detail(serde_json::json!({ "head_office_id": head }))
                        .client(&meta),
                )?;
            }
            Ok(outcome)
        })
        .await?;
    let (status, field, key) = match outcome {
        Registered::Branch(_) => {
            session::flash(session, FlashLevel::Success, "branches.registered");
            return Ok(redirect(&path));
        }
        Registered::NotAHeadOffice => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "form",
            "branches.error.not_head_office",
        ),
        Registered::Taken => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "email",
            "signup.error.taken",
        ),
        Registered::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            "email",
            "security_mail.throttled.invitation",
        ),
    };
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    render_page(ctx, state, head, path, form, errors, status).await
}
