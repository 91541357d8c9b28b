//! A resident who comes to the counter without an account: the operator opens one with the
//! resident's name, e-mail and phone, after the resident has read the privacy notice. The
//! resident gets an e-mail to set a password; the operator goes on to fill in the profile.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::Connection;
use serde::Deserialize;

use crate::accounts::NewUser;
use crate::accounts::invitation::{self, Invited, Inviter};
use crate::audit::{self, Entry, actions};
use crate::domain::Role;
use crate::domain::{Email, Phone};
use crate::web::auth::{CounterStaff, Require};
use crate::web::forms::{FieldErrors, check_full_name, parsed};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    /// The resident read the privacy notice and agreed, at the counter.
    #[serde(default)]
    consent: Option<String>,
}

#[derive(Template)]
#[template(path = "seekers/counter_new.html")]
struct NewPage {
    ctx: PageCtx,
    form: RegisterForm,
    errors: FieldErrors,
}

pub async fn form(ctx: PageCtx, _staff: Require<CounterStaff>) -> Result<HttpResponse, AppError> {
    render(
        &NewPage {
            ctx,
            form: RegisterForm::default(),
            errors: FieldErrors::default(),
        },
        StatusCode::OK,
    )
}

pub async fn create(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    form: web::Form<RegisterForm>,
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
    let phone = parsed(
        &mut errors,
        "phone",
        "signup.error.phone",
        Phone::parse(&form.phone),
    );
    if form.consent.is_none() {
        errors.add("consent", "counter.error.consent");
    }
    let (Some(email), Some(phone), true) = (email, phone, errors.is_empty()) else {
        return render(
            &NewPage { ctx, form, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let lang = ctx.lang;
    let (base_url, staff_id) = (state.settings.base_url.clone(), staff.user.id);
    let created = state
        .db(move |conn| {
            Ok(conn.transaction(|conn| {
                let inviter = Inviter {
                    user_id: staff_id,
                    address: &meta.address,
                    lang,
                    base_url: &base_url,
                };
                let new = NewUser {
                    phone: Some(&phone),
                    privacy_consent: true,
                    ..NewUser::staff(&email, &name, "!invited", &[Role::JobSeeker])
                };
                let id = match invitation::invite(conn, &new, &inviter)? {
                    Invited::User(id) => id,
                    Invited::Taken => {
                        return Ok::<_, diesel::result::Error>(Err((
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "counter.error.email_taken",
                        )));
                    }
                    Invited::Throttled => {
                        return Ok(Err((
                            StatusCode::TOO_MANY_REQUESTS,
                            "security_mail.throttled.invitation",
                        )));
                    }
                };
                audit::record(
                    conn,
                    Entry::new(actions::SEEKER_REGISTERED_AT_COUNTER)
                        .actor(staff_id)
                        .subject("user", id)
                        .client(&meta),
                )?;
                Ok(Ok(id))
            })?)
        })
        .await?;
    match created {
        Ok(id) => {
            session::flash(&session, FlashLevel::Success, "counter.registered");
            Ok(redirect(&format!("{}/profil", super::seeker_path(id))))
        }
        Err((status, key)) => {
            let mut errors = FieldErrors::default();
            errors.add("email", key);
            render(&NewPage { ctx, form, errors }, status)
        }
    }
}
