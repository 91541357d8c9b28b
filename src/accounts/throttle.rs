//! Hourly caps on sign-ups and reset requests (and the other requests that send mail),
//! kept in the database so that every instance of the portal sees the same counts.
//! Password checks have their own throttle: [`super::login_throttle`].

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::throttle_events;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SignUpAddress,
    ResetAddress,
    ResetAccount,
    /// Notices to the owner of an address somebody tried to sign up with.
    SignUpNoticeRecipient,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::SignUpAddress => "signup_address",
            Self::ResetAddress => "reset_address",
            Self::ResetAccount => "reset_account",
            Self::SignUpNoticeRecipient => "signup_notice_recipient",
        }
    }
}

pub fn record(conn: &mut DbConnection, kind: Kind, subject: &str) -> QueryResult<()> {
    diesel::insert_into(throttle_events::table)
        .values((
            throttle_events::kind.eq(kind.as_str()),
            throttle_events::subject.eq(subject),
            throttle_events::occurred_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

fn recent(
    conn: &mut DbConnection,
    kind: Kind,
    subject: &str,
    window: Duration,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    let since = Utc::now().naive_utc() - window;
    throttle_events::table
        .filter(throttle_events::kind.eq(kind.as_str()))
        .filter(throttle_events::subject.eq(subject))
        .filter(throttle_events::occurred_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(throttle_events::occurred_at),
        ))
        .first(conn)
}

/// Whether `kind` has reached `limit` events for `subject` within the last hour.
pub fn over_hourly_limit(
    conn: &mut DbConnection,
    kind: Kind,
    subject: &str,
    limit: i64,
) -> QueryResult<bool> {
    Ok(recent(conn, kind, subject, Duration::hours(1))?.0 >= limit)
}

/// Drops events too old to matter; run by the background worker.
pub fn prune(conn: &mut DbConnection) -> QueryResult<usize> {
    let before = Utc::now().naive_utc() - Duration::days(1);
    diesel::delete(throttle_events::table.filter(throttle_events::occurred_at.lt(before)))
        .execute(conn)
}
