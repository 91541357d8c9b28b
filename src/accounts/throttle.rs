//! Hourly caps on sign-ups and reset requests (and the other requests that send mail),
//! kept in the database so that every instance of the portal sees the same counts.
//! Password checks have their own throttle: [`super::login_throttle`].

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::Email;
use crate::schema::throttle_events;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SignUpAddress,
    ResetAddress,
    ResetAccount,
    /// Notices to the owner of an address somebody tried to sign up with.
    SignUpNoticeRecipient,
    MailAccount,
    MailAddress,
    MailRecipient,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::SignUpAddress => "signup_address",
            Self::ResetAddress => "reset_address",
            Self::ResetAccount => "reset_account",
            Self::SignUpNoticeRecipient => "signup_notice_recipient",
            Self::MailAccount => "mail_account",
            Self::MailAddress => "mail_address",
            Self::MailRecipient => "mail_recipient",
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

// ---------------------------------------------------------------- mail a request sends

/// Mail that someone's request sends (the digests and reminders of the background worker
/// need no limit). Each is capped per hour for the account that asks, for the client
/// address it asks from, and for the address it goes to, so that the portal cannot be
/// used to flood an inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestedMail {
    /// `POST /akun/verifikasi`, the verification link again.
    VerificationResend,
    /// `POST /akun/surel`: a link to the new address, a notice to the old one.
    EmailChange,
    /// A company owner invites a colleague; the account is the company.
    CompanyInvitation,
    /// Staff create an account (staff, provider user, resident at the counter). Dinas
    /// staff share the office's address, so only the account and the recipient count.
    StaffInvitation,
}

impl RequestedMail {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerificationResend => "verify",
            Self::EmailChange => "email_change",
            Self::CompanyInvitation => "company_invite",
            Self::StaffInvitation => "staff_invite",
        }
    }

    /// (per account, per client address) in an hour; `None`: no limit of that kind.
    fn limits(self) -> (i64, Option<i64>) {
        match self {
            Self::VerificationResend => (3, Some(10)),
            Self::EmailChange => (3, Some(10)),
            Self::CompanyInvitation => (10, Some(20)),
            Self::StaffInvitation => (60, None),
        }
    }
}

/// Mails to one inbox in an hour from all requests together.
pub const MAILS_PER_RECIPIENT_PER_HOUR: i64 = 3;

/// Whether a reminder from a background job (WLKP) may go to this inbox now, within the
/// same per-inbox hourly limit as the mail requests cause; counted when it may.
pub fn allow_reminder(conn: &mut DbConnection, recipient: &Email) -> QueryResult<bool> {
    let inbox = recipient.inbox();
    if over_hourly_limit(
        conn,
        Kind::MailRecipient,
        &inbox,
        MAILS_PER_RECIPIENT_PER_HOUR,
    )? {
        return Ok(false);
    }
    record(conn, Kind::MailRecipient, &inbox)?;
    Ok(true)
}

/// Whether a request may send `mail` now. When it may, the mail is counted (call this in
/// the transaction that queues it); when it may not, nothing is counted and nothing must
/// be sent.
pub fn allow_mail(
    conn: &mut DbConnection,
    mail: RequestedMail,
    account: &str,
    address: &str,
    recipient: &Email,
) -> QueryResult<bool> {
    let (per_account, per_address) = mail.limits();
    let account = format!("{}:{account}", mail.as_str());
    let address = format!("{}:{address}", mail.as_str());
    // `siti+1@` and `siti+2@` reach one inbox and count as one.
    let recipient = recipient.inbox();
    let mut checks = vec![
        (Kind::MailAccount, account.as_str(), per_account),
        (
            Kind::MailRecipient,
            recipient.as_str(),
            MAILS_PER_RECIPIENT_PER_HOUR,
        ),
    ];
    if let Some(limit) = per_address {
        checks.push((Kind::MailAddress, address.as_str(), limit));
    }
    for (kind, subject, limit) in &checks {
        if over_hourly_limit(conn, *kind, subject, *limit)? {
            return Ok(false);
        }
    }
    for (kind, subject, _) in &checks {
        record(conn, *kind, subject)?;
    }
    Ok(true)
}
