//! The throttle in front of every password check: signing in, and the current password
//! asked for before a new password, a new e-mail address or deleting the account.
//!
//! A check is counted against three subjects, each with its own allowance of failures per
//! hour:
//!
//! | subject | free failures | what it stops |
//! |---|---|---|
//! | the account, from one address | 5 | guessing one account's password |
//! | the client address | 20 | one address trying many accounts |
//! | the account, from anywhere | 50 | guessing spread over many addresses |
//!
//! Past its allowance a subject is locked for 1, 2, 4 ... up to 60 minutes after each
//! further failure. Because the account is counted per address, one attacker guessing a
//! named account locks only their own address out of it: the owner signing in from
//! another address still gets in (only a guess from 50 addresses in one hour locks the
//! account everywhere, and then for minutes, not for good).
//!
//! The check and the record are one step: before the password is hashed, each subject's
//! row is claimed by a conditional update (compare-and-set on the failure count and
//! window), which counts the attempt as a failure in advance and locks the subject when
//! the attempt uses up its allowance. Concurrent attempts therefore cannot all pass a
//! check made before any of them is recorded; a correct password gives the attempt back.
//! Unknown accounts are counted the same way, so the throttle tells nothing about which
//! accounts exist. Subjects are stored as SHA-256 hashes: the table holds no e-mail address
//! or client address.

use crate::domain::ids::UserId;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::login_throttle;

const WINDOW: Duration = Duration::hours(1);
const MAX_LOCK_MINUTES: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    AccountFromAddress,
    Address,
    Account,
}

impl Subject {
    fn free_failures(self) -> i32 {
        match self {
            Self::AccountFromAddress => 5,
            Self::Address => 20,
            Self::Account => 50,
        }
    }

    fn key(self, account: &str, address: &str) -> String {
        let raw = match self {
            Self::AccountFromAddress => format!("account-address\0{account}\0{address}"),
            Self::Address => format!("address\0{address}"),
            Self::Account => format!("account\0{account}"),
        };
        super::tokens::hash(&raw)
    }
}

/// The outcome of asking to check a password.
#[derive(Debug)]
pub enum Gate {
    /// Go ahead and check it; tell [`password_correct`] if it was right.
    Open(Attempt),
    /// Too many failures: wait this long.
    Wait(Duration),
}

/// A password check under way, counted as a failure until it proves correct.
#[derive(Debug)]
pub struct Attempt {
    claimed: Vec<(Subject, String)>,
}

/// Claims a password check for `account` (the normalised e-mail address) from `address`.
pub fn begin(conn: &mut DbConnection, account: &str, address: &str) -> QueryResult<Gate> {
    let subjects = [
        Subject::AccountFromAddress,
        Subject::Address,
        Subject::Account,
    ];
    let keys: Vec<(Subject, String)> = subjects
        .iter()
        .map(|s| (*s, s.key(account, address)))
        .collect();
    // A locked subject refuses before anything is counted.
    let now = Utc::now().naive_utc();
    let mut wait = Duration::zero();
    for (_, key) in &keys {
        if let Some(until) = locked_until(conn, key)?
            && until > now
        {
            wait = wait.max(until - now);
        }
    }
    if wait > Duration::zero() {
        return Ok(Gate::Wait(wait));
    }
    let mut claimed = Vec::with_capacity(keys.len());
    for (subject, key) in keys {
        match claim(conn, subject, &key)? {
            Ok(()) => claimed.push((subject, key)),
            Err(wait) => {
                // Lost a race with another attempt that used up the allowance: what was
                // claimed stays counted, as the attempt it stands for was made.
                return Ok(Gate::Wait(wait));
            }
        }
    }
    Ok(Gate::Open(Attempt { claimed }))
}

/// The password was right: the attempt is not a failure. The account's counts start
/// again; the address keeps its other failures (one address trying many accounts stays
/// throttled).
pub fn password_correct(conn: &mut DbConnection, attempt: Attempt) -> QueryResult<()> {
    for (subject, key) in attempt.claimed {
        let target = login_throttle::table.filter(login_throttle::subject.eq(&key));
        match subject {
            Subject::AccountFromAddress | Subject::Account => {
                diesel::delete(target).execute(conn)?;
            }
            Subject::Address => {
                diesel::update(target.filter(login_throttle::failures.gt(0)))
                    .set(login_throttle::failures.eq(login_throttle::failures - 1))
                    .execute(conn)?;
                diesel::update(
                    login_throttle::table
                        .filter(login_throttle::subject.eq(&key))
                        .filter(login_throttle::failures.lt(subject.free_failures())),
                )
                .set(login_throttle::locked_until.eq(None::<NaiveDateTime>))
                .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// What the current password asked for before a sensitive change turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrentPassword {
    Correct,
    Wrong,
    /// Too many wrong ones: wait.
    Throttled,
}

impl CurrentPassword {
    /// The message for the password field when it is not [`CurrentPassword::Correct`].
    pub fn error_key(self) -> Option<&'static str> {
        match self {
            Self::Correct => None,
            Self::Wrong => Some("account.error.current_password"),
            Self::Throttled => Some("account.error.current_password_throttled"),
        }
    }
}

/// Checks a signed-in user's current password (before a new password, a new e-mail
/// address, deleting the account) behind the same throttle as signing in, so a stolen
/// session cannot be used to guess the password.
pub fn check_current_password(
    conn: &mut DbConnection,
    user_id: UserId,
    password: &str,
    address: &str,
) -> QueryResult<CurrentPassword> {
    let user = super::find_by_id(conn, user_id)?.ok_or(diesel::result::Error::NotFound)?;
    // Only an account with an address can be signed in to, and so hold a password.
    let Some(email) = user.email.as_ref() else {
        return Ok(CurrentPassword::Wrong);
    };
    let attempt = match begin(conn, email, address)? {
        Gate::Open(attempt) => attempt,
        Gate::Wait(_) => return Ok(CurrentPassword::Throttled),
    };
    if super::verify_password(password, &user.password_hash) {
        password_correct(conn, attempt)?;
        Ok(CurrentPassword::Correct)
    } else {
        Ok(CurrentPassword::Wrong)
    }
}

fn locked_until(conn: &mut DbConnection, key: &str) -> QueryResult<Option<NaiveDateTime>> {
    Ok(login_throttle::table
        .find(key)
        .select(login_throttle::locked_until)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}

/// How long a subject is locked after its `failures`-th failure, if at all.
fn lock_for(subject: Subject, failures: i32) -> Option<Duration> {
    let over = failures - subject.free_failures();
    (over >= 0).then(|| Duration::minutes((1i64 << over.min(6)).min(MAX_LOCK_MINUTES)))
}

/// Counts one attempt against a subject, unless it is locked (then: how long to wait).
fn claim(
    conn: &mut DbConnection,
    subject: Subject,
    key: &str,
) -> QueryResult<Result<(), Duration>> {
    // Each round either changes the row or sees it changed by a concurrent attempt; a few
    // rounds settle any realistic contention.
    for _ in 0..8 {
        let now = Utc::now().naive_utc();
        let row: Option<(i32, NaiveDateTime, Option<NaiveDateTime>)> = login_throttle::table
            .find(key)
            .select((
                login_throttle::failures,
                login_throttle::window_started_at,
                login_throttle::locked_until,
            ))
            .first(conn)
            .optional()?;
        let Some((failures, started, locked)) = row else {
            let lock = lock_for(subject, 1).map(|d| now + d);
            // A macro, not a value: the upsert's type names the backend.
            macro_rules! insert {
                () => {
                    diesel::insert_into(login_throttle::table)
                        .values((
                            login_throttle::subject.eq(key),
                            login_throttle::failures.eq(1),
                            login_throttle::window_started_at.eq(now),
                            login_throttle::locked_until.eq(lock),
                        ))
                        .on_conflict_do_nothing()
                };
            }
            let inserted = match conn {
                DbConnection::Pg(c) => insert!().execute(c)?,
                DbConnection::Sqlite(c) => insert!().execute(c)?,
            };
            if inserted == 1 {
                return Ok(Ok(()));
            }
            continue;
        };
        if let Some(until) = locked
            && until > now
        {
            return Ok(Err(until - now));
        }
        let (next, next_start) = if now - started >= WINDOW {
            (1, now)
        } else {
            (failures + 1, started)
        };
        let lock = lock_for(subject, next).map(|d| now + d);
        let changed = diesel::update(
            login_throttle::table
                .filter(login_throttle::subject.eq(key))
                .filter(login_throttle::failures.eq(failures))
                .filter(login_throttle::window_started_at.eq(started)),
        )
        .set((
            login_throttle::failures.eq(next),
            login_throttle::window_started_at.eq(next_start),
            login_throttle::locked_until.eq(lock),
        ))
        .execute(conn)?;
        if changed == 1 {
            return Ok(Ok(()));
        }
    }
    // Contention this heavy on one subject is itself an attack: make it wait a little.
    Ok(Err(Duration::minutes(1)))
}

/// Drops rows whose window and lock are over; run by the background worker.
pub fn prune(conn: &mut DbConnection) -> QueryResult<usize> {
    let now = Utc::now().naive_utc();
    diesel::delete(
        login_throttle::table
            .filter(login_throttle::window_started_at.lt(now - WINDOW))
            .filter(
                login_throttle::locked_until
                    .is_null()
                    .or(login_throttle::locked_until.lt(now)),
            ),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_start_at_the_allowance_and_double_up_to_an_hour() {
        let s = Subject::AccountFromAddress;
        assert_eq!(lock_for(s, 4), None);
        assert_eq!(lock_for(s, 5), Some(Duration::minutes(1)));
        assert_eq!(lock_for(s, 6), Some(Duration::minutes(2)));
        assert_eq!(lock_for(s, 10), Some(Duration::minutes(32)));
        assert_eq!(lock_for(s, 11), Some(Duration::minutes(60)));
        assert_eq!(lock_for(s, 500), Some(Duration::minutes(60)));
        assert_eq!(lock_for(Subject::Address, 19), None);
    }

    #[test]
    fn subjects_are_hashed_apart() {
        let a = Subject::AccountFromAddress.key("a@b.c", "1.2.3.4");
        assert_eq!(a.len(), 64);
        assert!(!a.contains("a@b.c"));
        assert_ne!(a, Subject::Account.key("a@b.c", "1.2.3.4"));
        assert_ne!(a, Subject::AccountFromAddress.key("a@b.c", "1.2.3.5"));
    }
}
