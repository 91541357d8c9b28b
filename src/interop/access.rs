//! Who may call the API and how often: an API key in `Authorization: Bearer`, never the
//! portal's session cookie, and a token bucket per key.
//!
//! A request that carries the session cookie is refused before its key is read, so the
//! CSRF exemption of `/api/` can never turn a signed-in browser into an API client (a page
//! on another site could otherwise make the browser send the cookie). The buckets live in
//! memory, per process: counting in the database would cost a write per request (see
//! docs/decisions.md, "The sharing API"). With N instances a key gets N times the rate.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use actix_web::http::header;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::problem::{Kind, Problem};
use crate::sharing::keys::{self, Refusal};
use crate::web::session::SESSION_COOKIE;

/// Refused keys from one address before it must wait: a partner's misconfigured program
/// learns from the 401, a scanner is slowed to a trickle.
const FAILURES_PER_MINUTE: u32 = 20;
/// Addresses remembered as waiting; past this the expired ones are dropped.
const MAX_BLOCKED: usize = 10_000;

/// The rate limits of one process, shared by its workers, and the callers of the keys it
/// read recently.
pub struct Limits {
    pub known: keys::KnownKeys,
    per_key: DefaultKeyedRateLimiter<String>,
    failures: DefaultKeyedRateLimiter<String>,
    /// Addresses whose failures ran out, until when.
    blocked: Mutex<HashMap<String, Instant>>,
    clock: DefaultClock,
}

impl Limits {
    /// `per_second` requests a second per key, with bursts of three seconds' worth (a
    /// partner's sync fetches pages back to back).
    pub fn new(per_second: u32) -> Self {
        let rate = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = rate.saturating_mul(NonZeroU32::new(3).unwrap_or(NonZeroU32::MIN));
        let failures = NonZeroU32::new(FAILURES_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        Self {
            known: keys::KnownKeys::default(),
            per_key: DefaultKeyedRateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
            failures: DefaultKeyedRateLimiter::keyed(Quota::per_minute(failures)),
            blocked: Mutex::new(HashMap::new()),
            clock: DefaultClock::default(),
        }
    }

    /// Takes a request from the key's bucket (by its public prefix), or says how long to wait.
    pub fn take(&self, prefix: &str) -> Result<(), Problem> {
        if self.per_key.len() > MAX_BLOCKED {
            self.per_key.retain_recent();
        }
        self.per_key
            .check_key(&prefix.to_owned())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now());
                Problem::rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
            })
    }

    /// Whether the address must still wait after its failures, and how long.
    pub fn waiting(&self, address: &str) -> Option<Duration> {
        let blocked = self.blocked.lock().ok()?;
        let until = blocked.get(address)?;
        until.checked_duration_since(Instant::now())
    }

    /// Counts a refused key from the address; past the allowance the address waits.
    pub fn failed(&self, address: &str) {
        if let Err(not_until) = self.failures.check_key(&address.to_owned()) {
            let wait = not_until.wait_time_from(self.clock.now());
            if let Ok(mut blocked) = self.blocked.lock() {
                if blocked.len() >= MAX_BLOCKED {
                    let now = Instant::now();
                    blocked.retain(|_, until| *until > now);
                }
                blocked.insert(address.to_owned(), Instant::now() + wait);
            }
        }
    }
}

/// The key a request presents, after refusing the session cookie.
pub fn presented_key(req: &HttpRequest) -> Result<&str, Problem> {
    if req.cookie(SESSION_COOKIE).is_some() {
        return Err(Problem::new(
            Kind::CookieRefused,
            "Requests to /api must not carry the portal's session cookie; send only an API key.",
        ));
    }
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            Problem::new(
                Kind::KeyMissing,
                "Send the key the Dinas gave you as: Authorization: Bearer sibuser_...",
            )
        })?;
    let (scheme, key) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || key.trim().is_empty() {
        return Err(Problem::new(
            Kind::KeyMissing,
            "Only the Bearer scheme is accepted: Authorization: Bearer sibuser_...",
        ));
    }
    Ok(key.trim())
}

/// The public prefix of a key of the right shape, for its bucket.
pub fn prefix(key: &str) -> Result<&str, Problem> {
    keys::prefix_of(key).ok_or_else(|| refusal(Refusal::Malformed))
}

/// Why a key is refused, as a problem. Unknown and malformed keys read alike, so that a
/// guess learns nothing.
pub fn refusal(why: Refusal) -> Problem {
    let detail = match why {
        Refusal::Malformed | Refusal::Unknown => "The key is not known to the portal.",
        Refusal::Expired => "The key has expired; ask the Dinas's data steward for a new one.",
        Refusal::Revoked => "The key was revoked.",
        Refusal::PartnerInactive => "The partner's data sharing is suspended.",
    };
    Problem::new(Kind::KeyRefused, detail)
}
