//! Signing in and out.

use crate::domain::ids::UserId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::accounts::User;
use crate::accounts::login_throttle::{self, Gate};
use crate::accounts::sessions::{self, EndReason};
use crate::accounts::sso::Sso;
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::Email;
use crate::site::safe_local_path;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: PageCtx,
    email: String,
    next: String,
    remember: bool,
    error_key: Option<String>,
    /// The OpenID Connect provider's name, when one is configured: its button shows.
    sso_name: Option<String>,
}

impl LoginPage {
    fn new(ctx: PageCtx, sso: &Sso, next: String) -> Self {
        Self {
            ctx,
            email: String::new(),
            next,
            remember: false,
            error_key: None,
            sso_name: sso.provider().map(|p| p.name().to_owned()),
        }
    }

    fn respond(&self, sso: &Sso, status: StatusCode) -> Result<HttpResponse, AppError> {
        Ok(super::sso::allow_forms_to_provider(
            render(self, status)?,
            sso,
        ))
    }
}

/// The login page again with a message (a sign-in through the provider that could not
/// start).
pub(super) fn page_with_error(
    ctx: PageCtx,
    sso: &Sso,
    next: String,
    error_key: &str,
) -> Result<HttpResponse, AppError> {
    let mut page = LoginPage::new(ctx, sso, next);
    page.error_key = Some(error_key.to_owned());
    page.respond(sso, StatusCode::SERVICE_UNAVAILABLE)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
}

pub async fn login_form(
    ctx: PageCtx,
    sso: web::Data<Sso>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    let next = safe_local_path(Some(&query.next));
    LoginPage::new(ctx, &sso, next).respond(&sso, StatusCode::OK)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
    /// "Ingat saya": a remembered session outlives the browser (not for staff).
    remember: Option<String>,
}

enum LoginOutcome {
    SignedIn {
        user_id: UserId,
        epoch: i32,
        session: sessions::Started,
    },
    Wrong,
    Deactivated,
    Throttled {
        minutes: i64,
    },
}

fn attempt_login(
    conn: &mut DbConnection,
    email_typed: &str,
    password: &str,
    remember: bool,
    meta: &RequestMeta,
) -> Result<LoginOutcome, AppError> {
    // Text that is no e-mail address names no account, but is throttled all the same, as
    // typed.
    let email = Email::parse(email_typed);
    let account = email.as_ref().map_or(email_typed.trim(), Email::as_str);
    let attempt = match login_throttle::begin(conn, account, &meta.address)? {
        Gate::Open(attempt) => attempt,
        Gate::Wait(wait) => {
            return Ok(LoginOutcome::Throttled {
                minutes: wait.num_minutes() + 1,
            });
        }
    };
    let user = match &email {
        Ok(email) => crate::accounts::find_by_email(conn, email)?,
        Err(_) => None,
    };
    // An unknown account costs the same hash as a known one.
    let password_ok = crate::accounts::verify_password(
        password,
        user.as_ref()
            .map_or(crate::accounts::dummy_hash(), |u| u.password_hash.as_str()),
    );
    match user {
        Some(user) if password_ok && user.is_active => {
            login_throttle::password_correct(conn, attempt)?;
            let session = open_session(conn, &user, remember, meta, None)?;
            if crate::accounts::needs_rehash(&user.password_hash)
                && let Ok(hash) = crate::accounts::hash_password(password)
            {
                crate::accounts::replace_hash(conn, user.id, &hash)?;
            }
            Ok(LoginOutcome::SignedIn {
                user_id: user.id,
                epoch: user.session_epoch,
                session,
            })
        }
        Some(user) if password_ok => {
            login_throttle::password_correct(conn, attempt)?;
            audit::record(
                conn,
                Entry::new(actions::LOGIN_REFUSED_INACTIVE)
                    .subject("user", user.id)
                    .client(meta),
            )?;
            Ok(LoginOutcome::Deactivated)
        }
        user => {
            // The failure was counted when the attempt was claimed. The typed address is
            // not kept: a known account is the entry's subject, and an unknown one is
            // kept only as its domain, so the log never holds an address nobody owns or
            // someone asked to be erased.
            let entry = Entry::new(actions::LOGIN_FAILED)
                .detail(
                    serde_json::json!({ "email_domain": crate::mail::recipient_domain(account) }),
                )
                .client(meta);
            let entry = match &user {
                Some(u) => entry.subject("user", u.id),
                None => entry,
            };
            audit::record(conn, entry)?;
            Ok(LoginOutcome::Wrong)
        }
    }
}

/// Opens a session for an account whose sign-in was proven, by password or through the
/// provider: the last sign-in, the server-side session, and `login.succeeded` with
/// `detail` saying how when it was not the password.
pub(super) fn open_session(
    conn: &mut DbConnection,
    user: &User,
    remember: bool,
    meta: &RequestMeta,
    detail: Option<serde_json::Value>,
) -> diesel::QueryResult<sessions::Started> {
    crate::accounts::record_login(conn, user.id)?;
    let started = sessions::start(conn, user.id, remember)?;
    let entry = Entry::new(actions::LOGIN_SUCCEEDED)
        .actor(user.id)
        .subject("user", user.id)
        .client(meta);
    audit::record(
        conn,
        match detail {
            Some(detail) => entry.detail(detail),
            None => entry,
        },
    )?;
    Ok(started)
}

/// The browser's side of a sign-in: a new cookie for the session, then on to `next`, or
/// to the user's own front page rather than the public one.
pub(super) fn enter(
    req: &HttpRequest,
    session: &Session,
    user_id: UserId,
    epoch: i32,
    started: &sessions::Started,
    next: &str,
) -> HttpResponse {
    session::sign_in(session, user_id, epoch, &started.token);
    session::remember_until(req, started.remember_until);
    redirect(if next == "/" { "/saya" } else { next })
}

pub async fn login(
    req: HttpRequest,
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    session: Session,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = safe_local_path(Some(&form.next));
    let (email, password) = (form.email.clone(), form.password);
    let remember = form.remember.is_some();
    let outcome = state
        .db(move |conn| attempt_login(conn, &email, &password, remember, &meta))
        .await?;
    let (status, error_key) = match outcome {
        LoginOutcome::SignedIn {
            user_id,
            epoch,
            session: started,
        } => {
            return Ok(enter(&req, &session, user_id, epoch, &started, &next));
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
    LoginPage {
        email: form.email,
        remember,
        error_key: Some(error_key),
        ..LoginPage::new(ctx, &sso, next)
    }
    .respond(&sso, status)
}

impl LoginPage {
    fn sso_button(&self) -> String {
        let name = self.sso_name.as_deref().unwrap_or_default();
        self.ctx.tf("sso.sign_in", &[("name", name)])
    }

    /// The error message, with the waiting time filled in for the throttle message.
    fn error_text(&self) -> Option<String> {
        let key = self.error_key.as_deref()?;
        Some(match key.split_once('|') {
            Some((key, minutes)) => self.ctx.tf(key, &[("minutes", minutes)]),
            None => self.ctx.t(key).into_owned(),
        })
    }
}

/// Ends the session on the server, not only in this browser: a copy of the cookie is
/// worthless afterwards.
pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, AppError> {
    if let Some(signed_in) = session::signed_in(&session) {
        state
            .db(move |conn| Ok(sessions::end(conn, &signed_in.token, EndReason::Logout)?))
            .await?;
    }
    session::sign_out(&session);
    session::flash(&session, FlashLevel::Info, "logout.done");
    Ok(redirect("/"))
}
