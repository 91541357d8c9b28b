//! A resident who comes to the counter without an account: the operator opens one with the
//! resident's name, phone and, if they have one, e-mail, after the resident has read the
//! privacy notice. With an address the resident gets an e-mail to set a password; without
//! one the phone (and later the NIK) identifies them, and the counter prints a slip in place
//! of the mail. Either way the operator goes on to fill in the profile.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::accounts::invitation::{self, Invited, Inviter};
use crate::accounts::{NewUser, directory};
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
    // E-mail is optional here: many who come to the counter have none.
    let email = match form.email.trim() {
        "" => None,
        raw => parsed(
            &mut errors,
            "email",
            "signup.error.email",
            Email::parse(raw),
        ),
    };
    let phone = parsed(
        &mut errors,
        "phone",
        "signup.error.phone",
        Phone::parse(&form.phone),
    );
    if form.consent.is_none() {
        errors.add("consent", "counter.error.consent");
    }
    let (Some(phone), true) = (phone, errors.is_empty()) else {
        return render(
            &NewPage { ctx, form, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let lang = ctx.lang;
    let (base_url, staff_id) = (state.settings.base_url.clone(), staff.user.id);
    let created = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let inviter = Inviter {
                    user_id: staff_id,
                    address: &meta.address,
                    lang,
                    base_url: &base_url,
                };
                let id = match &email {
                    Some(email) => {
                        let new = NewUser {
                            phone: Some(&phone),
                            privacy_consent: true,
                            ..NewUser::staff(email, &name, "!invited", &[Role::JobSeeker])
                        };
                        match invitation::invite(conn, email, &new, &inviter)? {
                            Invited::User(id) => id,
                            Invited::Taken => {
                                return Ok::<_, diesel::result::Error>(Err((
                                    StatusCode::UNPROCESSABLE_ENTITY,
                                    "email",
                                    "counter.error.email_taken",
                                )));
                            }
                            Invited::Throttled => {
                                return Ok(Err((
                                    StatusCode::TOO_MANY_REQUESTS,
                                    "email",
                                    "security_mail.throttled.invitation",
                                )));
                            }
                        }
                    }
                    None => {
                        // Without an address the phone is what finds the resident again:
                        // it must not lead to two people. The operator may be told; the
                        // search finds the one who has it.
                        if directory::phone_taken_by_job_seeker(conn, &phone)? {
                            return Ok(Err((
                                StatusCode::UNPROCESSABLE_ENTITY,
                                "phone",
                                "counter.error.phone_taken",
                            )));
                        }
                        let new = NewUser::without_email(&name, &phone, &[Role::JobSeeker]);
                        crate::accounts::create_user(conn, &new)?
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
            let done = if form.email.trim().is_empty() {
                "counter.registered_without_email"
            } else {
                "counter.registered"
            };
            session::flash(&session, FlashLevel::Success, done);
            Ok(redirect(&format!("{}/profil", super::seeker_path(id))))
        }
        Err((status, field, key)) => {
            let mut errors = FieldErrors::default();
            errors.add(field, key);
            render(&NewPage { ctx, form, errors }, status)
        }
    }
}
