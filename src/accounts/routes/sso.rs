//! Signing in with the external OpenID Connect provider (SIAPkerja), and linking it to an
//! account. Both leave for the provider from a form (CSRF token, and for a link the
//! current password: a stolen session must not add a way in that outlives it) and come
//! back to one callback, which the browser's session tells what to do.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::MessagePage;
use super::account::{self, Entered};
use crate::accounts::external::{self, Linking};
use crate::accounts::sessions;
use crate::accounts::sso::{Pending, Provider, Purpose, Sso, SsoError};
use crate::audit::{self, Entry, actions};
use crate::domain::ids::UserId;
use crate::site::safe_local_path;
use crate::web::auth::CurrentUser;
use crate::web::forms::FieldErrors;
use crate::web::headers::content_security_policy_with_form_target;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

/// The session's key for the flow under way.
const PENDING_KEY: &str = "sso";

fn configured(sso: &Sso) -> Result<&Provider, AppError> {
    sso.provider().ok_or(AppError::NotFound)
}

/// A page with a form that leaves for the provider: its policy lets forms go there too
/// (browsers check `form-action` on the redirect that follows the form).
pub fn allow_forms_to_provider(mut res: HttpResponse, sso: &Sso) -> HttpResponse {
    if let Some(origin) = sso.provider().and_then(|p| origin_of(p.issuer()))
        && let Ok(value) = HeaderValue::from_str(&content_security_policy_with_form_target(&origin))
    {
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    res
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// Asks the provider where to go (blocking, for the discovery document) and keeps the
/// flow in the session.
async fn leave_for_provider(
    sso: web::Data<Sso>,
    session: &Session,
    purpose: Purpose,
    next: String,
) -> Result<Result<HttpResponse, SsoError>, AppError> {
    let started = web::block(move || {
        let provider = sso.provider().expect("checked by the caller");
        provider.begin(purpose, next)
    })
    .await
    .map_err(AppError::internal)?;
    Ok(started.map(|(url, pending)| {
        let _ = session.insert(PENDING_KEY, pending);
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, url))
            .finish()
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    next: String,
}

/// `POST /masuk/sso`: off to the provider to sign in.
pub async fn sign_in(
    ctx: PageCtx,
    sso: web::Data<Sso>,
    session: Session,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    configured(&sso)?;
    if ctx.user.is_some() {
        return Ok(redirect("/saya"));
    }
    let next = safe_local_path(Some(&form.next));
    match leave_for_provider(sso.clone(), &session, Purpose::SignIn, next.clone()).await? {
        Ok(res) => Ok(res),
        Err(e) => {
            tracing::warn!(error = %e, "sign-in through the provider could not start");
            super::login::page_with_error(ctx, &sso, next, "sso.error.unreachable")
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkForm {
    current_password: String,
}

/// `POST /akun/sso`: off to the provider to link it, after the password is checked.
pub async fn link(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    session: Session,
    CurrentUser(user): CurrentUser,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    configured(&sso)?;
    let password = form.into_inner().current_password;
    let problem = match account::current_password(&state, &req, user.id, password).await? {
        Some(key) => Some(key),
        None => match leave_for_provider(
            sso.clone(),
            &session,
            Purpose::Link(user.id),
            "/akun".into(),
        )
        .await?
        {
            Ok(res) => return Ok(res),
            Err(e) => {
                tracing::warn!(error = %e, "linking the provider could not start");
                Some("sso.error.unreachable")
            }
        },
    };
    let mut errors = FieldErrors::default();
    if let Some(key) = problem {
        errors.add("sso_password", key);
    }
    let status = if problem == Some("sso.error.unreachable") {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    account::render_page(ctx, &state, &sso, user, None::<Entered>, errors, status).await
}

/// `POST /akun/sso/lepas`: the account no longer signs in through the provider.
pub async fn unlink(
    meta: RequestMeta,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    let issuer = configured(&sso)?.issuer().to_owned();
    let removed = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let removed = external::unlink(conn, user.id, &issuer)?;
                if removed {
                    audit::record(
                        conn,
                        Entry::new(actions::SSO_UNLINKED)
                            .actor(user.id)
                            .subject("user", user.id)
                            .detail(serde_json::json!({ "issuer": issuer }))
                            .client(&meta),
                    )?;
                }
                Ok::<_, diesel::result::Error>(removed)
            })
            .map_err(AppError::from)
        })
        .await?;
    if removed {
        session::flash(&session, FlashLevel::Success, "sso.unlinked");
    }
    Ok(redirect("/akun"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Callback {
    code: String,
    state: String,
    error: String,
}

/// What the callback found, once the provider's answer is checked.
enum Outcome {
    SignedIn {
        user_id: UserId,
        epoch: i32,
        started: sessions::Started,
    },
    NotLinked,
    Deactivated,
    /// The account that asked for a link is no longer the one signed in.
    SessionChanged,
    Linked(Linking),
}

/// `GET /masuk/sso/kembali`: the provider sends the browser back with a code.
pub async fn callback(
    req: HttpRequest,
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    session: Session,
    query: web::Query<Callback>,
) -> Result<HttpResponse, AppError> {
    let provider = configured(&sso)?;
    let issuer = provider.issuer().to_owned();
    let query = query.into_inner();
    // The flow is used once, whatever comes of it.
    let pending = session.get::<Pending>(PENDING_KEY).ok().flatten();
    session.remove(PENDING_KEY);
    let Some(pending) = pending.filter(|p| p.answers(&query.state)) else {
        return message(
            ctx,
            "sso.expired.title",
            "sso.expired.text",
            StatusCode::BAD_REQUEST,
        );
    };
    let back = match pending.purpose {
        Purpose::SignIn => "/masuk",
        Purpose::Link(_) => "/akun",
    };
    if !query.error.is_empty() || query.code.is_empty() {
        // Most often the person chose not to sign in at the provider.
        session::flash(&session, FlashLevel::Info, "sso.cancelled");
        return Ok(redirect(back));
    }
    let checked = {
        let sso = sso.clone();
        let pending = pending.clone();
        web::block(move || {
            let provider = sso.provider().expect("configured");
            provider.finish(&pending, &query.code)
        })
        .await
        .map_err(AppError::internal)?
    };
    let subject = match checked {
        Ok(subject) => subject,
        Err(e) => {
            tracing::warn!(error = %e, "a sign-in through the provider was refused");
            let text = match e {
                SsoError::Unreachable(_) => "sso.error.unreachable",
                SsoError::Refused(_) => "sso.error.refused",
            };
            return message(ctx, "sso.error.title", text, StatusCode::BAD_GATEWAY);
        }
    };
    let signed_in_now = session::signed_in(&session).map(|s| s.user_id);
    let purpose = pending.purpose;
    let outcome = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| match purpose {
                Purpose::SignIn => sign_in_subject(conn, &issuer, &subject, &meta),
                Purpose::Link(user_id) => {
                    // The account that asked must still be the one signed in.
                    if signed_in_now != Some(user_id) {
                        return Ok(Outcome::SessionChanged);
                    }
                    let linking = external::link(conn, user_id, &issuer, &subject)?;
                    if linking == Linking::Linked {
                        audit::record(
                            conn,
                            Entry::new(actions::SSO_LINKED)
                                .actor(user_id)
                                .subject("user", user_id)
                                .detail(serde_json::json!({ "issuer": issuer }))
                                .client(&meta),
                        )?;
                    }
                    Ok(Outcome::Linked(linking))
                }
            })
            .map_err(AppError::from)
        })
        .await?;
    match outcome {
        Outcome::SignedIn {
            user_id,
            epoch,
            started,
        } => Ok(super::login::enter(
            &req,
            &session,
            user_id,
            epoch,
            &started,
            &pending.next,
        )),
        Outcome::NotLinked => message(
            ctx,
            "sso.not_linked.title",
            "sso.not_linked.text",
            StatusCode::FORBIDDEN,
        ),
        Outcome::SessionChanged => message(
            ctx,
            "sso.expired.title",
            "sso.expired.text",
            StatusCode::BAD_REQUEST,
        ),
        Outcome::Deactivated => message(
            ctx,
            "sso.error.title",
            "login.error.deactivated",
            StatusCode::FORBIDDEN,
        ),
        Outcome::Linked(linking) => {
            let (level, key) = match linking {
                Linking::Linked => (FlashLevel::Success, "sso.linked"),
                Linking::AlreadyLinked => (FlashLevel::Info, "sso.already_linked"),
                Linking::TakenByAnother => (FlashLevel::Error, "sso.taken"),
                Linking::AccountHasAnother => (FlashLevel::Error, "sso.has_another"),
            };
            session::flash(&session, level, key);
            Ok(redirect("/akun"))
        }
    }
}

/// The account the provider's subject signs in to, signed in as a password would.
fn sign_in_subject(
    conn: &mut crate::db::DbConnection,
    issuer: &str,
    subject: &str,
    meta: &RequestMeta,
) -> Result<Outcome, diesel::result::Error> {
    let Some(user_id) = external::sign_in_account(conn, issuer, subject)? else {
        audit::record(
            conn,
            Entry::new(actions::LOGIN_SSO_UNLINKED)
                .detail(serde_json::json!({ "issuer": issuer }))
                .client(meta),
        )?;
        return Ok(Outcome::NotLinked);
    };
    let user =
        crate::accounts::find_by_id(conn, user_id)?.ok_or(diesel::result::Error::NotFound)?;
    if !user.is_active {
        audit::record(
            conn,
            Entry::new(actions::LOGIN_REFUSED_INACTIVE)
                .subject("user", user.id)
                .detail(serde_json::json!({ "via": "sso" }))
                .client(meta),
        )?;
        return Ok(Outcome::Deactivated);
    }
    // Never remembered: "remember me" is a choice made on our form.
    let started = super::login::open_session(
        conn,
        &user,
        false,
        meta,
        Some(serde_json::json!({ "via": "sso", "issuer": issuer })),
    )?;
    Ok(Outcome::SignedIn {
        user_id: user.id,
        epoch: user.session_epoch,
        started,
    })
}

fn message(
    ctx: PageCtx,
    title_key: &'static str,
    text_key: &'static str,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render(
        &MessagePage {
            ctx,
            title_key,
            text_key,
            link: Some(("/masuk", "sso.back_to_login")),
        },
        status,
    )
}
