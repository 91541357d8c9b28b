//! The signed and encrypted cookie session, what it holds, and flash messages.
//!
//! The session holds only ids and small tokens: who is signed in (user id and the user's
//! session epoch), the CSRF token, and a flash message for the next page.

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionMiddleware};
use actix_web::cookie::{Key, SameSite, time::Duration};
use base64::Engine as _;
use rand::RngCore;
use serde::{Deserialize, Serialize};

pub const SESSION_COOKIE: &str = "sibuser";
const USER_KEY: &str = "uid";
const EPOCH_KEY: &str = "epoch";
const CSRF_KEY: &str = "csrf";
const FLASH_KEY: &str = "flash";

/// A session lives at most two weeks without use; signing in renews it.
const SESSION_TTL: Duration = Duration::days(14);

pub fn middleware(key: Key, https: bool) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(SESSION_COOKIE.to_owned())
        .cookie_secure(https)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(PersistentSession::default().session_ttl(SESSION_TTL))
        .build()
}

/// 32 random bytes, URL-safe base64: for CSRF tokens and e-mailed links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // ThreadRng is a CSPRNG seeded and regularly reseeded from the operating system.
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The signed-in user's id and the epoch the session was made in.
pub fn signed_in(session: &Session) -> Option<(i32, i32)> {
    let uid = session.get::<i32>(USER_KEY).ok().flatten()?;
    let epoch = session.get::<i32>(EPOCH_KEY).ok().flatten()?;
    Some((uid, epoch))
}

/// Starts a new session for the user: a new cookie, so a session fixed before sign-in is
/// worthless after it.
pub fn sign_in(session: &Session, user_id: i32, epoch: i32) {
    session.renew();
    session.remove(CSRF_KEY);
    let _ = session.insert(USER_KEY, user_id);
    let _ = session.insert(EPOCH_KEY, epoch);
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
