use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::mail_outbox;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: i32,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub parked_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// After this many failed attempts a mail is parked for an admin to look at, never dropped.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a worker may hold a claimed mail before another worker may try it.
pub const CLAIM_LEASE: Duration = Duration::minutes(5);

pub fn enqueue(conn: &mut DbConnection, to: &str, subject: &str, body: &str) -> QueryResult<()> {
    let now = Utc::now().naive_utc();
    diesel::insert_into(mail_outbox::table)
        .values((
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

/// Claims up to `limit` due mails by moving their next attempt past the lease, so that a
/// second worker (another instance) skips them. PostgreSQL locks the rows with SKIP LOCKED;
/// SQLite has a single writer, so its transaction alone is enough.
pub fn claim_due(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    let now = Utc::now().naive_utc();
    conn.transaction(|conn| {
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
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
            .set(mail_outbox::next_attempt_at.eq(now + CLAIM_LEASE))
            .execute(conn)?;
        Ok(rows)
    })
}

pub fn mark_sent(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::sent_at.eq(Utc::now().naive_utc()),
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
            mail_outbox::last_error.eq(None::<String>),
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
