//! Signing up and verifying the e-mail address.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::Connection;
use serde::Deserialize;

use super::{MessagePage, token_problem_page};
use crate::accounts::throttle::{self, Kind};
use crate::accounts::tokens::{self, Purpose};
use crate::accounts::{NewUser, Role};
use crate::audit::{self, Entry};
use crate::db::{self, DbConnection};
use crate::web::auth::CurrentUser;
use crate::web::forms::{FieldErrors, looks_like_email, normalise_phone};
use crate::web::respond::{client_address, redirect, render, request_id};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/daftar")
            .route(web::get().to(signup_form))
            .route(web::post().to(signup)),
    )
    .route("/verifikasi/{token}", web::get().to(verify_email))
    .route("/akun/verifikasi", web::post().to(resend_verification));
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct SignupForm {
    full_name: String,
    email: String,
    phone: String,
    password: String,
    password_confirm: String,
    consent: String,
}

#[derive(Template)]
#[template(path = "accounts/signup.html")]
struct SignupPage {
    ctx: PageCtx,
    form: SignupForm,
    errors: FieldErrors,
}

async fn signup_form(ctx: PageCtx, user: Option<CurrentUser>) -> Result<HttpResponse, AppError> {
    if user.is_some() {
        return Ok(redirect("/akun"));
    }
    render(
        &SignupPage {
            ctx,
            form: SignupForm::default(),
            errors: FieldErrors::default(),
        },
        StatusCode::OK,
    )
}

struct ValidSignup {
    full_name: String,
    email: String,
    phone: String,
    password: String,
}

fn validate_signup(form: &SignupForm) -> Result<ValidSignup, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = form.full_name.trim();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        errors.add("full_name", "signup.error.name");
    }
    if !looks_like_email(&form.email) {
        errors.add("email", "signup.error.email");
    }
    let phone = normalise_phone(&form.phone);
    if phone.is_none() {
        errors.add("phone", "signup.error.phone");
    }
    if let Err(e) = crate::accounts::check_password_policy(&form.password) {
        errors.add("password", e.message_key());
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", "signup.error.confirm");
    }
    if form.consent != "on" {
        errors.add("consent", "signup.error.consent");
    }
    errors.into_result(ValidSignup {
        full_name: name.to_owned(),
        email: crate::accounts::normalise_email(&form.email),
        phone: phone.unwrap_or_default(),
        password: form.password.clone(),
    })
}

enum SignupOutcome {
    Created { user_id: i32, epoch: i32 },
    EmailTaken,
    Throttled,
}

const SIGNUPS_PER_ADDRESS_PER_HOUR: i64 = 5;

async fn signup(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<SignupForm>,
) -> Result<HttpResponse, AppError> {
    let mut form = form.into_inner();
    let valid = match validate_signup(&form) {
        Ok(valid) => valid,
        Err(errors) => {
            form.password.clear();
            form.password_confirm.clear();
            return render(
                &SignupPage { ctx, form, errors },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let hash = crate::accounts::hash_password(&valid.password).map_err(AppError::internal)?;
    let address = client_address(&req);
    let rid = request_id(&req);
    let lang = ctx.lang;
    let base_url = state.settings.base_url.clone();
    let outcome = db::run(&state.pool, move |conn| {
        if throttle::over_hourly_limit(
            conn,
            Kind::SignUpAddress,
            &address,
            SIGNUPS_PER_ADDRESS_PER_HOUR,
        )? {
            return Ok(SignupOutcome::Throttled);
        }
        if crate::accounts::find_by_email(conn, &valid.email)?.is_some() {
            return Ok(SignupOutcome::EmailTaken);
        }
        let user_id = conn.transaction(|conn| {
            let user_id = crate::accounts::create_user(
                conn,
                &NewUser {
                    phone: Some(&valid.phone),
                    privacy_consent: true,
                    email_verified: false,
                    ..NewUser::staff(&valid.email, &valid.full_name, &hash, &[Role::JobSeeker])
                },
            )?;
            send_verification(
                conn,
                user_id,
                &valid.email,
                &valid.full_name,
                lang,
                &base_url,
            )?;
            throttle::record(conn, Kind::SignUpAddress, &address)?;
            audit::record(
                conn,
                Entry::new("user.signed_up")
                    .actor(user_id)
                    .subject("user", user_id)
                    .detail(serde_json::json!({ "roles": ["job_seeker"] }))
                    .client(&address, rid),
            )?;
            Ok::<_, diesel::result::Error>(user_id)
        })?;
        Ok(SignupOutcome::Created { user_id, epoch: 0 })
    })
    .await?;
    let (status, field, key) = match outcome {
        SignupOutcome::Created { user_id, epoch } => {
            session::sign_in(&session, user_id, epoch);
            session::flash(&session, FlashLevel::Success, "signup.done");
            return Ok(redirect("/akun"));
        }
        SignupOutcome::EmailTaken => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "email",
            "signup.error.taken",
        ),
        SignupOutcome::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            "form",
            "signup.error.throttled",
        ),
    };
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    form.password.clear();
    form.password_confirm.clear();
    render(&SignupPage { ctx, form, errors }, status)
}

/// Issues a verification link and puts the mail in the outbox (same transaction as the
/// caller's change).
pub(super) fn send_verification(
    conn: &mut DbConnection,
    user_id: i32,
    email: &str,
    name: &str,
    lang: Lang,
    base_url: &str,
) -> diesel::QueryResult<()> {
    let token = tokens::issue(conn, user_id, Purpose::VerifyEmail, None)?;
    let link = format!("{base_url}/verifikasi/{token}");
    crate::mail::enqueue(
        conn,
        email,
        &lang.t("mail.verify.subject"),
        &lang.tf("mail.verify.body", &[("name", name), ("link", &link)]),
    )
}

async fn verify_email(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let result = db::run(&state.pool, move |conn| {
        Ok(conn.transaction(|conn| {
            let result = tokens::consume(conn, &token, Purpose::VerifyEmail)?;
            if let Ok(valid) = &result {
                crate::accounts::mark_email_verified(conn, valid.user_id)?;
                audit::record(
                    conn,
                    Entry::new("user.email_verified")
                        .actor(valid.user_id)
                        .subject("user", valid.user_id),
                )?;
            }
            Ok::<_, diesel::result::Error>(result)
        })?)
    })
    .await?;
    match result {
        Ok(_) => render(
            &MessagePage {
                ctx,
                title_key: "verify.done.title",
                text_key: "verify.done.text",
                link: Some(("/akun", "nav.account")),
            },
            StatusCode::OK,
        ),
        Err(problem) => token_problem_page(ctx, problem, "/akun"),
    }
}

async fn resend_verification(
    state: web::Data<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    if !user.email_verified {
        let base_url = state.settings.base_url.clone();
        db::run(&state.pool, move |conn| {
            Ok(send_verification(
                conn,
                user.id,
                &user.email,
                &user.full_name,
                lang,
                &base_url,
            )?)
        })
        .await?;
    }
    session::flash(&session, FlashLevel::Info, "verify.resent");
    Ok(redirect("/akun"))
}
