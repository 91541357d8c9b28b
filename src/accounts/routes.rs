//! Signing in and out, signing up, e-mail verification and password reset.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::Connection;
use serde::Deserialize;

use super::throttle::{self, Kind};
use super::tokens::{self, Purpose, TokenProblem};
use super::{NewUser, Role, SessionUser};
use crate::audit::{self, Entry};
use crate::db::{self, DbConnection};
use crate::site::safe_local_path;
use crate::web::auth::CurrentUser;
use crate::web::forms::{FieldErrors, looks_like_email, normalise_phone};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/masuk")
            .route(web::get().to(login_form))
            .route(web::post().to(login)),
    )
    .route("/keluar", web::post().to(logout))
    .service(
        web::resource("/daftar")
            .route(web::get().to(signup_form))
            .route(web::post().to(signup)),
    )
    .route("/verifikasi/{token}", web::get().to(verify_email))
    .service(
        web::resource("/lupa-sandi")
            .route(web::get().to(forgot_form))
            .route(web::post().to(forgot)),
    )
    .service(
        web::resource("/atur-sandi/{token}")
            .route(web::get().to(reset_form))
            .route(web::post().to(reset)),
    )
    .route("/akun", web::get().to(account))
    .route("/akun/verifikasi", web::post().to(resend_verification));
}

fn render(template: &impl Template, status: StatusCode) -> Result<HttpResponse, AppError> {
    let html = template.render().map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// The client's address, for throttling. The peer address, not a forwarded header, which
/// anyone can write.
fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn request_id(req: &HttpRequest) -> Option<String> {
    use actix_web::HttpMessage;
    req.extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string())
}

// ---------------------------------------------------------------- sign in and out

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: PageCtx,
    email: String,
    next: String,
    error_key: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    next: String,
}

async fn login_form(ctx: PageCtx, query: web::Query<LoginQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_local_path(Some(&query.next));
    render(
        &LoginPage {
            ctx,
            email: String::new(),
            next,
            error_key: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    next: String,
}

enum LoginOutcome {
    SignedIn { user_id: i32, epoch: i32 },
    Wrong,
    Deactivated,
    Throttled { minutes: i64 },
}

fn attempt_login(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    address: &str,
    request_id: Option<String>,
) -> Result<LoginOutcome, AppError> {
    let account = super::normalise_email(email);
    if let Some(wait) = throttle::login_wait(conn, &account, address)? {
        return Ok(LoginOutcome::Throttled {
            minutes: wait.num_minutes() + 1,
        });
    }
    let user = super::find_by_email(conn, &account)?;
    // An unknown account costs the same hash as a known one.
    let password_ok = super::verify_password(
        password,
        user.as_ref()
            .map_or(super::dummy_hash(), |u| u.password_hash.as_str()),
    );
    match user {
        Some(user) if password_ok && user.is_active => {
            throttle::clear_login_failures(conn, &account)?;
            super::record_login(conn, user.id)?;
            if super::needs_rehash(&user.password_hash)
                && let Ok(hash) = super::hash_password(password)
            {
                super::replace_hash(conn, user.id, &hash)?;
            }
            audit::record(
                conn,
                Entry::new("login.succeeded")
                    .actor(user.id)
                    .subject("user", user.id)
                    .client(address, request_id),
            )?;
            Ok(LoginOutcome::SignedIn {
                user_id: user.id,
                epoch: user.session_epoch,
            })
        }
        Some(user) if password_ok => {
            audit::record(
                conn,
                Entry::new("login.refused_inactive")
                    .subject("user", user.id)
                    .client(address, request_id),
            )?;
            Ok(LoginOutcome::Deactivated)
        }
        user => {
            throttle::record_login_failure(conn, &account, address)?;
            let entry = Entry::new("login.failed")
                .detail(serde_json::json!({ "email": account }))
                .client(address, request_id);
            let entry = match &user {
                Some(u) => entry.subject("user", u.id),
                None => entry,
            };
            audit::record(conn, entry)?;
            Ok(LoginOutcome::Wrong)
        }
    }
}

async fn login(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = safe_local_path(Some(&form.next));
    let address = client_address(&req);
    let rid = request_id(&req);
    let (email, password) = (form.email.clone(), form.password);
    let outcome = db::run(&state.pool, move |conn| {
        attempt_login(conn, &email, &password, &address, rid)
    })
    .await?;
    let (status, error_key) = match outcome {
        LoginOutcome::SignedIn { user_id, epoch } => {
            session::sign_in(&session, user_id, epoch);
            let to = if next == "/" {
                "/akun".to_owned()
            } else {
                next
            };
            return Ok(redirect(&to));
        }
        LoginOutcome::Wrong => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "login.error.wrong".to_owned(),
        ),
        LoginOutcome::Deactivated => (StatusCode::FORBIDDEN, "login.error.deactivated".to_owned()),
        LoginOutcome::Throttled { minutes } => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("login.error.throttled|{minutes}"),
        ),
    };
    render(
        &LoginPage {
            ctx,
            email: form.email,
            next,
            error_key: Some(error_key),
        },
        status,
    )
}

impl LoginPage {
    /// The error message, with the waiting time filled in for the throttle message.
    fn error_text(&self) -> Option<String> {
        let key = self.error_key.as_deref()?;
        Some(match key.split_once('|') {
            Some((key, minutes)) => self.ctx.tf(key, &[("minutes", minutes)]),
            None => self.ctx.t(key).into_owned(),
        })
    }
}

async fn logout(session: Session) -> HttpResponse {
    session::sign_out(&session);
    session::flash(&session, FlashLevel::Info, "logout.done");
    redirect("/")
}

// ---------------------------------------------------------------- sign up

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
    if let Err(e) = super::check_password_policy(&form.password) {
        errors.add("password", e.message_key());
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", "signup.error.confirm");
    }
    if form.consent != "on" {
        errors.add("consent", "signup.error.consent");
    }
    errors.into_result(ValidSignup {
        full_name: name.to_owned(),
        email: super::normalise_email(&form.email),
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
    let hash = super::hash_password(&valid.password).map_err(AppError::internal)?;
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
        if super::find_by_email(conn, &valid.email)?.is_some() {
            return Ok(SignupOutcome::EmailTaken);
        }
        let user_id = conn.transaction(|conn| {
            let user_id = super::create_user(
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
fn send_verification(
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

// ---------------------------------------------------------------- verification

#[derive(Template)]
#[template(path = "accounts/message.html")]
struct MessagePage {
    ctx: PageCtx,
    title_key: &'static str,
    text_key: &'static str,
    link: Option<(&'static str, &'static str)>,
}

fn token_problem_page(
    ctx: PageCtx,
    problem: TokenProblem,
    retry: &'static str,
) -> Result<HttpResponse, AppError> {
    let text_key = match problem {
        TokenProblem::Unknown => "token.unknown",
        TokenProblem::Used => "token.used",
        TokenProblem::Expired => "token.expired",
    };
    render(
        &MessagePage {
            ctx,
            title_key: "token.title",
            text_key,
            link: Some((retry, "token.retry")),
        },
        StatusCode::GONE,
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
                super::mark_email_verified(conn, valid.user_id)?;
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

// ---------------------------------------------------------------- password reset

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    ctx: PageCtx,
    email: String,
    errors: FieldErrors,
}

async fn forgot_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    render(
        &ForgotPage {
            ctx,
            email: String::new(),
            errors: FieldErrors::default(),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotForm {
    email: String,
}

const RESETS_PER_ADDRESS_PER_HOUR: i64 = 5;
const RESETS_PER_ACCOUNT_PER_HOUR: i64 = 3;

async fn forgot(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let email = form.into_inner().email;
    if !looks_like_email(&email) {
        let mut errors = FieldErrors::default();
        errors.add("email", "signup.error.email");
        return render(
            &ForgotPage { ctx, email, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let address = client_address(&req);
    let lang = ctx.lang;
    let base_url = state.settings.base_url.clone();
    let account = super::normalise_email(&email);
    let throttled = db::run(&state.pool, move |conn| {
        if throttle::over_hourly_limit(
            conn,
            Kind::ResetAddress,
            &address,
            RESETS_PER_ADDRESS_PER_HOUR,
        )? {
            return Ok(true);
        }
        throttle::record(conn, Kind::ResetAddress, &address)?;
        // Over the per-account limit nothing is sent, but the answer stays the same, so it
        // says nothing about whether the account exists.
        if throttle::over_hourly_limit(
            conn,
            Kind::ResetAccount,
            &account,
            RESETS_PER_ACCOUNT_PER_HOUR,
        )? {
            return Ok(false);
        }
        throttle::record(conn, Kind::ResetAccount, &account)?;
        if let Some(user) = super::find_by_email(conn, &account)?.filter(|u| u.is_active) {
            conn.transaction(|conn| {
                let token = tokens::issue(conn, user.id, Purpose::ResetPassword, None)?;
                let link = format!("{base_url}/atur-sandi/{token}");
                crate::mail::enqueue(
                    conn,
                    &user.email,
                    &lang.t("mail.reset.subject"),
                    &lang.tf(
                        "mail.reset.body",
                        &[("name", &user.full_name), ("link", &link)],
                    ),
                )?;
                audit::record(
                    conn,
                    Entry::new("password.reset_requested").subject("user", user.id),
                )
            })?;
        }
        Ok(false)
    })
    .await?;
    if throttled {
        let mut errors = FieldErrors::default();
        errors.add("email", "forgot.error.throttled");
        return render(
            &ForgotPage { ctx, email, errors },
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    render(
        &MessagePage {
            ctx,
            title_key: "forgot.sent.title",
            text_key: "forgot.sent.text",
            link: Some(("/masuk", "nav.login")),
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    ctx: PageCtx,
    token: String,
    errors: FieldErrors,
}

async fn reset_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let check_token = token.clone();
    let checked = db::run(&state.pool, move |conn| {
        Ok(tokens::check(conn, &check_token, Purpose::ResetPassword)?)
    })
    .await?;
    match checked {
        Ok(_) => render(
            &ResetPage {
                ctx,
                token,
                errors: FieldErrors::default(),
            },
            StatusCode::OK,
        ),
        Err(problem) => token_problem_page(ctx, problem, "/lupa-sandi"),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    password: String,
    password_confirm: String,
}

async fn reset(
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    if let Err(e) = super::check_password_policy(&form.password) {
        errors.add("password", e.message_key());
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", "signup.error.confirm");
    }
    if !errors.is_empty() {
        return render(
            &ResetPage { ctx, token, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let hash = super::hash_password(&form.password).map_err(AppError::internal)?;
    let lang = ctx.lang;
    let result = db::run(&state.pool, move |conn| {
        Ok(conn.transaction(|conn| {
            let result = tokens::consume(conn, &token, Purpose::ResetPassword)?;
            if let Ok(valid) = &result {
                super::set_password(conn, valid.user_id, &hash)?;
                if let Some(user) = super::find_by_id(conn, valid.user_id)? {
                    crate::mail::enqueue(
                        conn,
                        &user.email,
                        &lang.t("mail.password_changed.subject"),
                        &lang.tf("mail.password_changed.body", &[("name", &user.full_name)]),
                    )?;
                }
                audit::record(
                    conn,
                    Entry::new("password.reset")
                        .actor(valid.user_id)
                        .subject("user", valid.user_id),
                )?;
            }
            Ok::<_, diesel::result::Error>(result)
        })?)
    })
    .await?;
    match result {
        Ok(_) => {
            // Every session ended with the new epoch; this browser signs in afresh.
            session::sign_out(&session);
            session::flash(&session, FlashLevel::Success, "reset.done");
            Ok(redirect("/masuk"))
        }
        Err(problem) => token_problem_page(ctx, problem, "/lupa-sandi"),
    }
}

// ---------------------------------------------------------------- own account

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    ctx: PageCtx,
    user: SessionUser,
}

async fn account(ctx: PageCtx, CurrentUser(user): CurrentUser) -> Result<HttpResponse, AppError> {
    render(&AccountPage { ctx, user }, StatusCode::OK)
}
