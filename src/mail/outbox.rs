use crate::domain::ids::MailId;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::code::stored_code;
use crate::schema::mail_outbox;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: MailId,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub parked_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub kind: MailKind,
    pub pruned_at: Option<NaiveDateTime>,
}

stored_code! {
    /// What a mail is about: kept after its text is cleared, so the outbox still tells what
    /// was sent.
    pub enum MailKind in "ref_mail_kind" {
        VerifyEmail = "verify_email",
        SignUpNotice = "signup_notice",
        ResetPassword = "reset_password",
        ForcedReset = "forced_reset",
        PasswordChanged = "password_changed",
        ChangeEmail = "change_email",
        EmailChangeNotice = "email_change_notice",
        Invitation = "invitation",
        CompanyDecision = "company_decision",
        VacancyDecision = "vacancy_decision",
        ApplicationNews = "application_news",
        EnrolmentNews = "enrolment_news",
        JobAlert = "job_alert",
        CardReminder = "card_reminder",
        WlkpReminder = "wlkp_reminder",
        WlkpDecision = "wlkp_decision",
        /// The e-mailed check that a known person is the resident who typed their NIK.
        PersonCheck = "person_check",
        /// A job fair's news: a seat freed for someone waiting, a booth decided.
        FairNews = "fair_news",
        /// Rows queued before kinds were kept (migration 000018).
        Other = "other",
    }
}

/// After this many failed attempts a mail is parked for an admin to look at, never dropped.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a worker may hold a claimed mail before another worker may try it.
pub const CLAIM_LEASE: Duration = Duration::minutes(5);

pub fn enqueue(
    conn: &mut DbConnection,
    kind: MailKind,
    to: &str,
    subject: &str,
    body: &str,
) -> QueryResult<()> {
    let now = Utc::now().naive_utc();
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::kind.eq(kind.as_str()),
            mail_outbox::to_address.eq(to),
            mail_outbox::subject.eq(subject),
            mail_outbox::body_text.eq(body),
            mail_outbox::created_at.eq(now),
            mail_outbox::attempts.eq(0),
            mail_outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn pending_count(conn: &mut DbConnection) -> QueryResult<i64> {
    mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::parked_at.is_null())
        .count()
        .get_result(conn)
}

/// How the queue stands, for the super admins' page.
pub struct QueueCounts {
    pub waiting: i64,
    /// Parked after repeated failures: someone must act.
    pub parked: i64,
    pub sent_last_day: i64,
}

pub fn queue_counts(conn: &mut DbConnection) -> QueryResult<QueueCounts> {
    let unsent = mail_outbox::table.filter(mail_outbox::sent_at.is_null());
    let since = Utc::now().naive_utc() - Duration::hours(24);
    Ok(QueueCounts {
        waiting: unsent
            .filter(mail_outbox::parked_at.is_null())
            .count()
            .get_result(conn)?,
        parked: unsent
            .filter(mail_outbox::parked_at.is_not_null())
            .count()
            .get_result(conn)?,
        sent_last_day: mail_outbox::table
            .filter(mail_outbox::sent_at.gt(since))
            .count()
            .get_result(conn)?,
    })
}

/// Mail not sent yet, parked first (they need someone to act), at most `limit`.
pub fn unsent(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .order((mail_outbox::parked_at.desc(), mail_outbox::id))
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Sends a parked mail on its way again, from its first attempt. False when the mail is
/// not parked, was sent, or its text was cleared after the retention.
pub fn unpark(conn: &mut DbConnection, id: MailId) -> QueryResult<bool> {
    let updated = diesel::update(
        mail_outbox::table
            .find(id)
            .filter(mail_outbox::parked_at.is_not_null())
            .filter(mail_outbox::sent_at.is_null())
            .filter(mail_outbox::pruned_at.is_null()),
    )
    .set((
        mail_outbox::parked_at.eq(None::<NaiveDateTime>),
        mail_outbox::attempts.eq(0),
        mail_outbox::next_attempt_at.eq(Utc::now().naive_utc()),
    ))
    .execute(conn)?;
    Ok(updated > 0)
}

/// Claims up to `limit` due mails by moving their next attempt past the lease, so that a
/// second worker (another instance) skips them. PostgreSQL locks the rows with SKIP LOCKED;
/// SQLite has a single writer, so its transaction alone is enough.
pub fn claim_due(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    let now = Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        // A macro, not a value: the select clause's type names the backend.
        macro_rules! due {
            () => {
                mail_outbox::table
                    .filter(mail_outbox::sent_at.is_null())
                    .filter(mail_outbox::parked_at.is_null())
                    .filter(mail_outbox::next_attempt_at.le(now))
                    .order(mail_outbox::next_attempt_at)
                    .limit(limit)
                    .select(OutboxRow::as_select())
            };
        }
        let rows: Vec<OutboxRow> = match conn {
            DbConnection::Pg(c) => due!().for_update().skip_locked().load(c)?,
            DbConnection::Sqlite(c) => due!().load(c)?,
        };
        let ids: Vec<MailId> = rows.iter().map(|r| r.id).collect();
        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
            .set(mail_outbox::next_attempt_at.eq(now + CLAIM_LEASE))
            .execute(conn)?;
        Ok(rows)
    })
}

/// Records a delivery; with no retention the text goes in the same statement, so a sent
/// mail's links never outlive its delivery in the database.
pub fn mark_sent(conn: &mut DbConnection, row: &OutboxRow, retention: Duration) -> QueryResult<()> {
    let now = Utc::now().naive_utc();
    diesel::update(mail_outbox::table.find(row.id))
        .set((
            mail_outbox::sent_at.eq(now),
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
            mail_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    if retention <= Duration::zero() {
        clear(conn, row.id, &row.to_address, None, now)?;
    }
    Ok(())
}

/// A parked mail keeps its text at least this long, so that a super admin who has fixed
/// the SMTP settings can still send it; by then every link it carries has expired anyway
/// (an invitation, the longest, lives 7 days).
pub const PARKED_KEEP: Duration = Duration::days(7);

const PRUNE_BATCH: i64 = 500;

/// The part after the `@`: all that a cleared mail says about its recipient.
pub fn recipient_domain(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, domain)| domain)
}

/// Clears a mail's text and address; a parked mail's error (which SMTP servers often write
/// with the address in it) keeps only the domain too.
fn clear(
    conn: &mut DbConnection,
    id: MailId,
    to: &str,
    error: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let domain = recipient_domain(to);
    let error = error.map(|e| {
        if to.is_empty() {
            e.to_owned()
        } else {
            e.replace(to, &format!("…@{domain}"))
        }
    });
    diesel::update(
        mail_outbox::table
            .find(id)
            .filter(mail_outbox::pruned_at.is_null()),
    )
    .set((
        mail_outbox::to_address.eq(domain),
        mail_outbox::subject.eq(""),
        mail_outbox::body_text.eq(""),
        mail_outbox::last_error.eq(error),
        mail_outbox::pruned_at.eq(now),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Clears the subject, text and full address of mail delivered longer than `retention` ago,
/// and of mail parked longer than the retention (and `PARKED_KEEP`); returns how many.
pub fn prune(conn: &mut DbConnection, retention: Duration) -> QueryResult<usize> {
    let now = Utc::now().naive_utc();
    let sent_before = now - retention.max(Duration::zero());
    let parked_before = now - retention.max(PARKED_KEEP);
    let mut cleared = 0;
    loop {
        let rows: Vec<(MailId, String, Option<String>)> = mail_outbox::table
            .filter(mail_outbox::pruned_at.is_null())
            .filter(
                mail_outbox::sent_at.le(sent_before).or(mail_outbox::sent_at
                    .is_null()
                    .and(mail_outbox::parked_at.le(parked_before))),
            )
            .order(mail_outbox::id)
            .limit(PRUNE_BATCH)
            .select((
                mail_outbox::id,
                mail_outbox::to_address,
                mail_outbox::last_error,
            ))
            .load(conn)?;
        if rows.is_empty() {
            return Ok(cleared);
        }
        crate::db::transaction(conn, |conn| {
            for (id, to, error) in &rows {
                clear(conn, *id, to, error.as_deref(), now)?;
            }
            QueryResult::Ok(())
        })?;
        cleared += rows.len();
    }
}

/// Gives claimed mails back to the queue, due now and with their attempts as they were:
/// the server could not be reached, which says nothing about these mails. The error stays
/// on them for the super admins' queue page.
pub fn release(conn: &mut DbConnection, ids: &[MailId], error: &str) -> QueryResult<()> {
    diesel::update(
        mail_outbox::table
            .filter(mail_outbox::id.eq_any(ids))
            .filter(mail_outbox::sent_at.is_null()),
    )
    .set((
        mail_outbox::next_attempt_at.eq(Utc::now().naive_utc()),
        mail_outbox::last_error.eq(error),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Backoff after the n-th failure: 1, 2, 4 ... minutes, at most 2 hours.
pub fn backoff(attempts: i32) -> Duration {
    Duration::minutes((1i64 << attempts.clamp(0, 7)).min(120))
}

pub fn mark_failed(conn: &mut DbConnection, row: &OutboxRow, error: &str) -> QueryResult<()> {
    let now = Utc::now().naive_utc();
    let attempts = row.attempts + 1;
    let parked = (attempts >= MAX_ATTEMPTS).then_some(now);
    diesel::update(mail_outbox::table.find(row.id))
        .set((
            mail_outbox::attempts.eq(attempts),
            mail_outbox::next_attempt_at.eq(now + backoff(attempts - 1)),
            mail_outbox::last_error.eq(error),
            mail_outbox::parked_at.eq(parked),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A person's erasure: mail to their address goes, sent or not, and their name is taken out
/// of mail still waiting to reach someone else (an employer told of an application, a
/// provider of an enrolment), with `erased` in its place. Mail carries the name as
/// `text::name` made it safe, so that form is replaced too.
pub fn forget(
    conn: &mut DbConnection,
    address: &str,
    name: Option<&str>,
    erased: &str,
) -> QueryResult<()> {
    use crate::db::replace;
    if let Some(name) = name {
        let in_mail = super::text::name(name);
        for form in [name, in_mail.as_str()] {
            diesel::update(mail_outbox::table.filter(mail_outbox::sent_at.is_null()))
                .set((
                    mail_outbox::subject.eq(replace(mail_outbox::subject, form, erased)),
                    mail_outbox::body_text.eq(replace(mail_outbox::body_text, form, erased)),
                ))
                .execute(conn)?;
        }
    }
    diesel::delete(mail_outbox::table.filter(mail_outbox::to_address.eq(address)))
        .execute(conn)
        .map(|_| ())
}
