//! The owner of a company account invites colleagues and switches them off when they
//! leave. Every query is limited to the owner's own company.

use crate::domain::ids::{CompanyId, UserId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::accounts::NewUser;
use crate::accounts::throttle::{self, RequestedMail};
use crate::accounts::tokens::{self, LinkMail, Purpose};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::Email;
use crate::domain::Role;
use crate::employers::VerificationStatus;
use crate::mail::{MailKind, text};
use crate::web::auth::{CompanyOwner, Require};
use crate::web::forms::{FieldErrors, check_full_name, parsed};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

use crate::accounts::directory::CompanyMember as Colleague;

fn colleagues(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Vec<Colleague>> {
    crate::accounts::directory::company_members(conn, company_id)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    full_name: String,
    email: String,
}

#[derive(Template)]
#[template(path = "employers/users.html")]
struct UsersPage {
    ctx: PageCtx,
    company: String,
    /// Only a company the Dinas has verified may invite: its name is then known to be real.
    verified: bool,
    colleagues: Vec<Colleague>,
    me: UserId,
    form: InviteForm,
    errors: FieldErrors,
}

async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    owner: &Require<CompanyOwner>,
    form: InviteForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let company_id = owner.user.company_id.ok_or(AppError::Forbidden)?;
    let (company, colleagues) = state
        .db(move |conn| {
            let company =
                crate::employers::find_company(conn, company_id)?.ok_or(AppError::NotFound)?;
            Ok((company, colleagues(conn, company_id)?))
        })
        .await?;
    let page = UsersPage {
        ctx,
        verified: company.status() == VerificationStatus::Verified,
        company: company.name,
        colleagues,
        me: owner.user.id,
        form,
        errors,
    };
    render(&page, status)
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    owner: Require<CompanyOwner>,
) -> Result<HttpResponse, AppError> {
    render_page(
        ctx,
        &state,
        &owner,
        InviteForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn invite(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    owner: Require<CompanyOwner>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = check_full_name(&mut errors, &form.full_name);
    let email = parsed(
        &mut errors,
        "email",
        "signup.error.email",
        Email::parse(&form.email),
    );
    let (Some(email), true) = (email, errors.is_empty()) else {
        return render_page(
            ctx,
            &state,
            &owner,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let company_id = owner.user.company_id.ok_or(AppError::Forbidden)?;
    let lang = ctx.lang;
    let (base_url, owner_id) = (state.settings.base_url.clone(), owner.user.id);
    let inviter = owner.user.full_name.clone();
    let outcome = state
        .db(move |conn| {
            let company =
                crate::employers::find_company(conn, company_id)?.ok_or(AppError::NotFound)?;
            if company.status() != VerificationStatus::Verified {
                return Ok(Invite::Unverified);
            }
            if crate::accounts::find_by_email(conn, &email)?.is_some() {
                return Ok(Invite::Taken);
            }
            Ok(crate::db::transaction(conn, |conn| {
                if !throttle::allow_mail(
                    conn,
                    RequestedMail::CompanyInvitation,
                    &company_id.to_string(),
                    &meta.address,
                    &email,
                )? {
                    return Ok::<_, diesel::result::Error>(Invite::Throttled);
                }
                let id = crate::accounts::create_user(
                    conn,
                    &NewUser {
                        company_id: Some(company_id),
                        email_verified: false,
                        ..NewUser::staff(&email, &name, "!invited", &[Role::Employer])
                    },
                )?;
                send_invitation(
                    conn,
                    id,
                    &Invitation {
                        email: &email,
                        name: &name,
                        inviter: &inviter,
                        company: &company.name,
                    },
                    lang,
                    &base_url,
                )?;
                audit::record(
                    conn,
                    Entry::new(actions::COMPANY_USER_INVITED)
                        .actor(owner_id)
                        .subject("user", id)
                        .detail(serde_json::json!({ "company_id": company_id }))
                        .client(&meta),
                )?;
                Ok(Invite::Sent)
            })?)
        })
        .await?;
    let (status, field, key) = match outcome {
        Invite::Sent => {
            session::flash(&session, FlashLevel::Success, "company_users.invited");
            return Ok(redirect("/perusahaan/pengguna"));
        }
        Invite::Taken => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "email",
            "signup.error.taken",
        ),
        Invite::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            "email",
            "security_mail.throttled.invitation",
        ),
        Invite::Unverified => (
            StatusCode::FORBIDDEN,
            "form",
            "security_mail.invite.unverified",
        ),
    };
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    render_page(ctx, &state, &owner, form, errors, status).await
}

enum Invite {
    Sent,
    Taken,
    Throttled,
    Unverified,
}

struct Invitation<'a> {
    email: &'a str,
    name: &'a str,
    inviter: &'a str,
    company: &'a str,
}

/// The invitation link, in words that show whose words are whose: the names are quoted as
/// the inviter wrote them, and the Dinas says only what it always says.
fn send_invitation(
    conn: &mut DbConnection,
    user_id: UserId,
    invitation: &Invitation<'_>,
    lang: Lang,
    base_url: &str,
) -> QueryResult<()> {
    let inviter = text::quoted_name(invitation.inviter);
    let company = text::quoted(invitation.company, text::TITLE_MAX);
    let invitee = text::quoted_name(invitation.name);
    tokens::mail_link(
        conn,
        user_id,
        Purpose::Invite,
        None,
        LinkMail {
            kind: MailKind::Invitation,
            to: invitation.email,
            name: invitation.name,
            lang,
            base_url,
            subject_key: "security_mail.invite_company.subject",
            body_key: "security_mail.invite_company.body",
            more: &[
                ("inviter", &inviter),
                ("company", &company),
                ("invitee", &invitee),
            ],
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    active: String,
}

pub async fn change_status(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    owner: Require<CompanyOwner>,
    id: web::Path<UserId>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let active = form.active == "1";
    let company_id = owner.user.company_id.ok_or(AppError::Forbidden)?;
    let owner_id = owner.user.id;
    if id == owner_id {
        session::flash(&session, FlashLevel::Error, "admin.error.self_deactivate");
        return Ok(redirect("/perusahaan/pengguna"));
    }
    state
        .db(move |conn| {
            // Another company's user is simply not found: nothing reveals that it exists.
            let colleague = crate::accounts::directory::company_member(conn, company_id, id)?
                .ok_or(AppError::NotFound)?;
            crate::db::transaction(conn, |conn| {
                crate::accounts::admin::set_active(conn, colleague, active)?;
                let action = if active {
                    actions::COMPANY_USER_REACTIVATED
                } else {
                    actions::COMPANY_USER_DEACTIVATED
                };
                audit::record(
                    conn,
                    Entry::new(action)
                        .actor(owner_id)
                        .subject("user", colleague)
                        .detail(serde_json::json!({ "company_id": company_id }))
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    let key = if active {
        "admin.reactivated"
    } else {
        "admin.deactivated"
    };
    session::flash(&session, FlashLevel::Success, key);
    Ok(redirect("/perusahaan/pengguna"))
}
