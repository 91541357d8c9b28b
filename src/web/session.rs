//! The signed and encrypted cookie session, what it holds, and flash messages.
//!
//! The session holds only ids and small tokens: who is signed in (user id, the user's
//! session epoch and the token of the server-side session), the CSRF token, and a flash
//! message for the next page. Whether a sign-in still stands is decided on the server
//! (`accounts::sessions`); the cookie alone proves nothing after sign-out or timeout.

use crate::domain::ids::UserId;
use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionMiddleware};
use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, Key, SameSite, time};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};
use base64::Engine as _;
use chrono::{NaiveDateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};

pub const SESSION_COOKIE: &str = "sibuser";
const USER_KEY: &str = "uid";
const EPOCH_KEY: &str = "epoch";
const TOKEN_KEY: &str = "sid";
const CSRF_KEY: &str = "csrf";
const FLASH_KEY: &str = "flash";

/// The cookie ends with the browser unless the session is remembered, in which case
/// [`remembered_cookie`] gives it the session's own end.
pub fn middleware(key: Key, https: bool) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(SESSION_COOKIE.to_owned())
        .cookie_secure(https)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(BrowserSession::default())
        .build()
}

/// Put in a request's extensions when its session is remembered: when the cookie ends.
#[derive(Debug, Clone, Copy)]
pub struct RememberUntil(pub NaiveDateTime);

/// Marks the request's session cookie as remembered until `until`.
pub fn remember_until(req: &HttpRequest, until: Option<NaiveDateTime>) {
    match until {
        Some(until) => {
            req.extensions_mut().insert(RememberUntil(until));
        }
        None => {
            req.extensions_mut().remove::<RememberUntil>();
        }
    }
}

/// Gives the session cookie a `Max-Age` up to the session's end when the session is
/// remembered; the cookie store itself only writes browser-session cookies. Wraps the
/// session middleware, so it sees every cookie that middleware writes.
pub async fn remembered_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let Some(RememberUntil(until)) = res.request().extensions().get::<RememberUntil>().copied()
    else {
        return Ok(res);
    };
    let seconds = (until - Utc::now().naive_utc()).num_seconds().max(0);
    let headers = res.headers_mut();
    let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).cloned().collect();
    headers.remove(header::SET_COOKIE);
    for value in cookies {
        let rewritten = value
            .to_str()
            .ok()
            .and_then(|raw| Cookie::parse(raw.to_owned()).ok())
            // A removal (empty value) stays a removal.
            .filter(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
            .and_then(|mut c| {
                c.set_max_age(time::Duration::seconds(seconds));
                HeaderValue::from_str(&c.encoded().to_string()).ok()
            });
        headers.append(header::SET_COOKIE, rewritten.unwrap_or(value));
    }
    Ok(res)
}

/// 32 random bytes, URL-safe base64: for CSRF tokens and e-mailed links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // ThreadRng is a CSPRNG seeded and regularly reseeded from the operating system.
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the cookie says about who is signed in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: UserId,
    pub epoch: i32,
    /// The token of the server-side session.
    pub token: String,
}

/// The signed-in user's id, the epoch the session was made in and the session's token.
/// Cookies made before sessions were kept on the server have no token and sign in nobody.
pub fn signed_in(session: &Session) -> Option<SignedIn> {
    Some(SignedIn {
        user_id: session.get::<UserId>(USER_KEY).ok().flatten()?,
        epoch: session.get::<i32>(EPOCH_KEY).ok().flatten()?,
        token: session.get::<String>(TOKEN_KEY).ok().flatten()?,
    })
}

/// Starts a new session for the user with the token of its server-side session: a new
/// cookie, so a session fixed before sign-in is worthless after it.
pub fn sign_in(session: &Session, user_id: UserId, epoch: i32, token: &str) {
    session.renew();
    session.remove(CSRF_KEY);
    let _ = session.insert(USER_KEY, user_id);
    let _ = session.insert(EPOCH_KEY, epoch);
    let _ = session.insert(TOKEN_KEY, token);
}

/// Ends the sign-in. The session is emptied and renewed rather than purged, so a flash
/// message set afterwards still reaches the next page.
pub fn sign_out(session: &Session) {
    session.clear();
    session.renew();
}

/// The session's CSRF token, made on first use.
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(CSRF_KEY) {
        return token;
    }
    let token = random_token();
    let _ = session.insert(CSRF_KEY, &token);
    token
}

pub fn expected_csrf_token(session: &Session) -> Option<String> {
    session.get::<String>(CSRF_KEY).ok().flatten()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashLevel {
    Success,
    Info,
    Error,
}

impl FlashLevel {
    pub fn css_class(self) -> &'static str {
        match self {
            Self::Success => "flash flash-success",
            Self::Info => "flash flash-info",
            Self::Error => "flash flash-error",
        }
    }
}

/// A message for the next page, kept as a translation key so it shows in the language of
/// the page that displays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub level: FlashLevel,
    pub key: String,
}

pub fn flash(session: &Session, level: FlashLevel, key: &str) {
    let _ = session.insert(
        FLASH_KEY,
        Flash {
            level,
            key: key.to_owned(),
        },
    );
}

pub fn take_flash(session: &Session) -> Option<Flash> {
    let flash = session.get::<Flash>(FLASH_KEY).ok().flatten()?;
    session.remove(FLASH_KEY);
    Some(flash)
}

/// Compares two secrets in time that depends only on their length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
