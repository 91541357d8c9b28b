//! Signing in and out.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::accounts::throttle::{self};
use crate::audit::{self, Entry, actions};
use crate::db::{self, DbConnection};
use crate::site::safe_local_path;
use crate::web::respond::{client_address, redirect, render, request_id};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/masuk")
            .route(web::get().to(login_form))
            .route(web::post().to(login)),
    )
    .route("/keluar", web::post().to(logout));
}

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
    let account = crate::accounts::normalise_email(email);
    if let Some(wait) = throttle::login_wait(conn, &account, address)? {
        return Ok(LoginOutcome::Throttled {
            minutes: wait.num_minutes() + 1,
        });
    }
    let user = crate::accounts::find_by_email(conn, &account)?;
    // An unknown account costs the same hash as a known one.
    let password_ok = crate::accounts::verify_password(
        password,
        user.as_ref()
            .map_or(crate::accounts::dummy_hash(), |u| u.password_hash.as_str()),
    );
    match user {
        Some(user) if password_ok && user.is_active => {
            throttle::clear_login_failures(conn, &account)?;
            crate::accounts::record_login(conn, user.id)?;
            if crate::accounts::needs_rehash(&user.password_hash)
                && let Ok(hash) = crate::accounts::hash_password(password)
            {
                crate::accounts::replace_hash(conn, user.id, &hash)?;
            }
            audit::record(
                conn,
                Entry::new(actions::LOGIN_SUCCEEDED)
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
                Entry::new(actions::LOGIN_REFUSED_INACTIVE)
                    .subject("user", user.id)
                    .client(address, request_id),
            )?;
            Ok(LoginOutcome::Deactivated)
        }
        user => {
            throttle::record_login_failure(conn, &account, address)?;
            let entry = Entry::new(actions::LOGIN_FAILED)
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
