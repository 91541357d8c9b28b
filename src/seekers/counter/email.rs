//! A resident registered without an e-mail address who now has one: the operator adds it,
//! and the resident is mailed the invitation to set a password. Following it confirms the
//! address; from then on the resident signs in like anyone.

use crate::domain::ids::UserId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::accounts::invitation::{self, Invited, Inviter};
use crate::audit::{self, Entry, actions};
use crate::domain::Email;
use crate::seekers::profile::Owner;
use crate::web::auth::{CounterStaff, Require};
use crate::web::forms::{FieldErrors, parsed};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "seekers/counter_email.html")]
struct EmailPage {
    ctx: PageCtx,
    seeker_page: String,
    full_name: String,
    form: EmailForm,
    errors: FieldErrors,
}

/// The resident's name, or 404 when the account has an address already: there is
/// nothing to add.
async fn without_address(state: &AppState, owner: Owner) -> Result<String, AppError> {
    let user_id = owner.user_id;
    let contact = state
        .db(move |conn| Ok(crate::accounts::directory::contact(conn, user_id)?))
        .await?;
    match contact.email {
        None => Ok(contact.full_name),
        Some(_) => Err(AppError::NotFound),
    }
}

pub async fn form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;
    let full_name = without_address(&state, owner).await?;
    let page = EmailPage {
        seeker_page: super::seeker_path(owner.user_id),
        full_name,
        form: EmailForm::default(),
        errors: FieldErrors::default(),
        ctx,
    };
    render(&page, StatusCode::OK)
}

pub async fn add(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
    form: web::Form<EmailForm>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;
    let full_name = without_address(&state, owner).await?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let again = |ctx, form, errors, status| {
        let page = EmailPage {
            seeker_page: super::seeker_path(owner.user_id),
            full_name: full_name.clone(),
            form,
            errors,
            ctx,
        };
        render(&page, status)
    };
    let Some(email) = parsed(
        &mut errors,
        "email",
        "signup.error.email",
        Email::parse(form.email.trim()),
    ) else {
        return again(ctx, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (lang, base_url, staff_id) = (ctx.lang, state.settings.base_url.clone(), staff.user.id);
    let name = full_name.clone();
    let outcome = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let inviter = Inviter {
                    user_id: staff_id,
                    address: &meta.address,
                    lang,
                    base_url: &base_url,
                };
                let outcome =
                    invitation::add_address(conn, owner.user_id, &email, &name, &inviter)?;
                if let Invited::User(_) = outcome {
                    audit::record(
                        conn,
                        Entry::new(actions::SEEKER_EMAIL_ADDED_AT_COUNTER)
                            .actor(staff_id)
                            .subject("user", owner.user_id)
                            .client(&meta),
                    )?;
                }
                Ok::<_, diesel::result::Error>(outcome)
            })?)
        })
        .await?;
    let (status, key) = match outcome {
        Invited::User(_) => {
            session::flash(&session, FlashLevel::Success, "counter.email.added");
            return Ok(redirect(&super::seeker_path(owner.user_id)));
        }
        Invited::Taken => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "counter.error.email_taken",
        ),
        Invited::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            "security_mail.throttled.invitation",
        ),
    };
    errors.add("email", key);
    again(ctx, form, errors, status)
}
