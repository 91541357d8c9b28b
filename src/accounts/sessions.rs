//! Sessions kept on the server. The cookie carries a random token; the row says whether
//! the session still stands. Signing out ends the row, so a copied cookie replayed later
//! opens nothing, and every session ends at its absolute lifetime or after its idle time.
//!
//! | who | absolute lifetime | idle timeout |
//! |---|---|---|
//! | staff (any staff role) | 12 hours | 30 minutes |
//! | others who ticked "remember me" | 14 days | none beyond the lifetime |
//! | others | 12 hours, in a cookie that ends with the browser | 60 minutes |

use super::tokens::hash;
use crate::domain::ids::{SessionId, UserId};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::model::{load_session_user, roles_of};
use crate::db::DbConnection;
use crate::domain::code::stored_code;
use crate::schema::{user_sessions, users};
use crate::web::auth::SessionUser;

stored_code! {
    /// Why a session ended, as stored.
    pub enum EndReason in "ref_session_end" {
        Logout = "logout",
        LogoutEverywhere = "logout_everywhere",
        Password = "password",
        Deactivated = "deactivated",
        Deleted = "deleted",
        Expired = "expired",
        Idle = "idle",
    }
}

/// How long a session may live and stay unused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    pub absolute: Duration,
    pub idle: Duration,
    /// Whether the cookie outlives the browser.
    pub remember: bool,
}

impl Lifetime {
    pub fn for_user(is_staff: bool, remember: bool) -> Self {
        match (is_staff, remember) {
            (true, _) => Self {
                absolute: Duration::hours(12),
                idle: Duration::minutes(30),
                remember: false,
            },
            (false, true) => Self {
                absolute: Duration::days(14),
                idle: Duration::days(14),
                remember: true,
            },
            (false, false) => Self {
                absolute: Duration::hours(12),
                idle: Duration::minutes(60),
                remember: false,
            },
        }
    }
}

/// A new session: the token for the cookie, and when a remembered cookie should expire.
pub struct Started {
    pub token: String,
    pub remember_until: Option<NaiveDateTime>,
}

/// A session that stands, as a request finds it.
#[derive(Debug, Clone)]
pub struct Active {
    pub id: SessionId,
    pub user_id: UserId,
    /// When a remembered cookie should expire; `None` for a browser-session cookie.
    pub remember_until: Option<NaiveDateTime>,
}

/// Who a cookie signs in, if its session stands and the user is still active with the
/// cookie's epoch; with when a remembered cookie should expire.
pub fn identify(
    conn: &mut DbConnection,
    user_id: UserId,
    epoch: i32,
    token: &str,
) -> QueryResult<Option<(SessionUser, Option<NaiveDateTime>)>> {
    let Some(active) = find_active(conn, token)?.filter(|a| a.user_id == user_id) else {
        return Ok(None);
    };
    Ok(load_session_user(conn, user_id)?
        .filter(|user| user.is_active && user.session_epoch == epoch)
        .map(|user| (user, active.remember_until)))
}

/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// Starts a session for the user; staff get the staff lifetime whatever they ticked.
pub fn start(conn: &mut DbConnection, user_id: UserId, remember: bool) -> QueryResult<Started> {
    let is_staff = roles_of(conn, user_id)?.iter().any(|r| r.is_staff());
    let lifetime = Lifetime::for_user(is_staff, remember);
    let token = crate::web::session::random_token();
    let now = Utc::now().naive_utc();
    let expires_at = now + lifetime.absolute;
    diesel::insert_into(user_sessions::table)
        .values((
            user_sessions::user_id.eq(user_id),
            user_sessions::token_hash.eq(hash(&token)),
            user_sessions::remember.eq(lifetime.remember),
            user_sessions::issued_at.eq(now),
            user_sessions::last_seen_at.eq(now),
            user_sessions::expires_at.eq(expires_at),
            user_sessions::idle_minutes.eq(lifetime.idle.num_minutes() as i32),
        ))
        .execute(conn)?;
    Ok(Started {
        token,
        remember_until: lifetime.remember.then_some(expires_at),
    })
}

type Row = (
    SessionId,
    UserId,
    bool,
    NaiveDateTime,
    NaiveDateTime,
    i32,
    Option<NaiveDateTime>,
);

/// The session behind a cookie's token, if it still stands. A session found past its
/// lifetime or idle time is ended on the spot, with the reason.
pub fn find_active(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Active>> {
    let row: Option<Row> = user_sessions::table
        .filter(user_sessions::token_hash.eq(hash(token)))
        .select((
            user_sessions::id,
            user_sessions::user_id,
            user_sessions::remember,
            user_sessions::last_seen_at,
            user_sessions::expires_at,
            user_sessions::idle_minutes,
            user_sessions::ended_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, user_id, remember, last_seen, expires_at, idle_minutes, ended_at)) = row else {
        return Ok(None);
    };
    if ended_at.is_some() {
        return Ok(None);
    }
    let now = Utc::now().naive_utc();
    let over = if now >= expires_at {
        Some(EndReason::Expired)
    } else if now - last_seen >= Duration::minutes(i64::from(idle_minutes)) {
        Some(EndReason::Idle)
    } else {
        None
    };
    if let Some(reason) = over {
        end_by_id(conn, id, reason)?;
        return Ok(None);
    }
    if now - last_seen >= TOUCH_EVERY {
        diesel::update(user_sessions::table.find(id))
            .set(user_sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(Active {
        id,
        user_id,
        remember_until: remember.then_some(expires_at),
    }))
}

type Ended = (
    diesel::dsl::Eq<user_sessions::ended_at, NaiveDateTime>,
    diesel::dsl::Eq<user_sessions::end_reason, &'static str>,
);

/// The columns that end a session now, for `reason`.
fn ended_now(reason: EndReason) -> Ended {
    (
        user_sessions::ended_at.eq(Utc::now().naive_utc()),
        user_sessions::end_reason.eq(reason.as_str()),
    )
}

/// Ends the session behind a cookie's token (signing out).
pub fn end(conn: &mut DbConnection, token: &str, reason: EndReason) -> QueryResult<()> {
    diesel::update(
        user_sessions::table
            .filter(user_sessions::token_hash.eq(hash(token)))
            .filter(user_sessions::ended_at.is_null()),
    )
    .set(ended_now(reason))
    .execute(conn)
    .map(|_| ())
}

fn end_by_id(conn: &mut DbConnection, id: SessionId, reason: EndReason) -> QueryResult<()> {
    diesel::update(
        user_sessions::table
            .find(id)
            .filter(user_sessions::ended_at.is_null()),
    )
    .set(ended_now(reason))
    .execute(conn)
    .map(|_| ())
}

/// Ends every standing session of a user ("sign out everywhere", a new password,
/// deactivation, deletion): the one way to do it, for every module. Returns how many
/// session rows were ended.
pub fn end_all(conn: &mut DbConnection, user_id: UserId, reason: EndReason) -> QueryResult<usize> {
    // Every cookie carries the epoch it was signed in with; moving it ends a session even
    // where a row was missed (a cookie older than the row, a row pruned early).
    diesel::update(users::table.find(user_id))
        .set(users::session_epoch.eq(users::session_epoch + 1))
        .execute(conn)?;
    diesel::update(
        user_sessions::table
            .filter(user_sessions::user_id.eq(user_id))
            .filter(user_sessions::ended_at.is_null()),
    )
    .set(ended_now(reason))
    .execute(conn)
}

/// The user's sessions that have not ended, for the account page.
pub fn count_standing(conn: &mut DbConnection, user_id: UserId) -> QueryResult<i64> {
    let now = Utc::now().naive_utc();
    user_sessions::table
        .filter(user_sessions::user_id.eq(user_id))
        .filter(user_sessions::ended_at.is_null())
        .filter(user_sessions::expires_at.gt(now))
        .count()
        .get_result(conn)
}

/// Drops sessions that ended or expired more than 30 days ago; run by the background
/// worker. The month kept lets an incident be traced to the session that made it.
pub fn prune(conn: &mut DbConnection) -> QueryResult<usize> {
    let before = Utc::now().naive_utc() - Duration::days(30);
    diesel::delete(
        user_sessions::table.filter(
            user_sessions::expires_at
                .lt(before)
                .or(user_sessions::ended_at.lt(before)),
        ),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_sessions_are_short_whatever_they_tick() {
        let staff = Lifetime::for_user(true, true);
        assert_eq!(staff.absolute, Duration::hours(12));
        assert_eq!(staff.idle, Duration::minutes(30));
        assert!(!staff.remember);
        let remembered = Lifetime::for_user(false, true);
        assert_eq!(remembered.absolute, Duration::days(14));
        assert!(remembered.remember);
        assert!(!Lifetime::for_user(false, false).remember);
    }
}
