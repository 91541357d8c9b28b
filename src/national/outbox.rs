//! The push queue: one row per shared record, written by the `sync_capture` trigger in the
//! transaction of every change while capture is on (migration `2026-12-12-000010`). A
//! worker claims due rows with a token; the answer lands only on rows that still carry it,
//! so a record changed while its event was on the way is sent again at its new version.
//! Owns `sync_state` and `sync_outbox`.

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::{DbConnection, StoredTime};
use crate::exports::Dataset;
use crate::schema::{sync_outbox, sync_state};

/// A claimed event, as it stood when claimed.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i32,
    pub dataset: Dataset,
    pub record_id: i32,
    pub version: i32,
    pub generation: i32,
    pub deleted: bool,
    pub changed_at: NaiveDateTime,
    pub attempts: i32,
}

/// Events one worker took, and the token that marks them as its own.
#[derive(Debug)]
pub struct Claim {
    pub token: String,
    pub events: Vec<Event>,
}

/// How long a worker may hold claimed events before another may send them (the national
/// side then counts a second copy a duplicate): past the request's timeout twice over, so
/// a live worker's answer lands first; a worker killed mid-push holds its events that long.
pub fn lease(timeout: std::time::Duration) -> Duration {
    Duration::from_std(timeout * 2).unwrap_or(Duration::minutes(2)) + Duration::seconds(10)
}

pub fn capture_on(conn: &mut DbConnection) -> QueryResult<bool> {
    sync_state::table.select(sync_state::capture).first(conn)
}

/// Turns capture on when it is off, then queues every shared record (a resync), so that
/// connecting the portal sends everything it holds. Returns the records queued, or None
/// when capture was already on.
pub fn start_capture(conn: &mut DbConnection) -> QueryResult<Option<i64>> {
    let xid = crate::db::transaction(conn, |conn| {
        let turned = diesel::update(sync_state::table.filter(sync_state::capture.eq(false)))
            .set(sync_state::capture.eq(true))
            .execute(conn)?;
        if turned == 0 {
            return QueryResult::Ok(None);
        }
        Ok(Some(match conn {
            DbConnection::Pg(_) => diesel::select(current_xact_id()).get_result::<i64>(conn)?,
            DbConnection::Sqlite(_) => 0,
        }))
    })?;
    let Some(xid) = xid else { return Ok(None) };
    if matches!(conn, DbConnection::Pg(_)) {
        // A change whose trigger ran before capture was on but that commits after the copy
        // below read the feed would be in neither: wait until every transaction older than
        // the switch has ended (a minute at most; a resync from the page catches the rest).
        let waited = std::time::Instant::now();
        while waited.elapsed() < std::time::Duration::from_secs(60) {
            let horizon: i64 = diesel::select(snapshot_xmin()).get_result(conn)?;
            if horizon > xid {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    resync(conn).map(Some)
}

diesel::define_sql_function!(
    /// PostgreSQL: this transaction's id.
    #[sql_name = "sync_current_xact_id"]
    fn current_xact_id() -> diesel::sql_types::BigInt
);
diesel::define_sql_function!(
    /// PostgreSQL: the oldest transaction id still running.
    #[sql_name = "sync_snapshot_xmin"]
    fn snapshot_xmin() -> diesel::sql_types::BigInt
);

/// "Resync everything": every record in the change feed is queued again under a new
/// generation (so the national side applies it again rather than count a duplicate).
/// Returns how many.
pub fn resync(conn: &mut DbConnection) -> QueryResult<i64> {
    crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        let generation: i32 = diesel::update(sync_state::table)
            .set(sync_state::generation.eq(sync_state::generation + 1))
            .returning(sync_state::generation)
            .get_result(conn)?;
        // One statement over the feed: at a million records, a round trip per record
        // would take minutes.
        let sql = "INSERT INTO sync_outbox (dataset, record_id, version, generation, deleted, changed_at, state, attempts, next_attempt_at) \
             SELECT dataset, record_id, 1, $1, deleted, changed_at, 'pending', 0, $2 FROM record_versions WHERE true \
             ON CONFLICT (dataset, record_id) DO UPDATE SET \
                version = sync_outbox.version + 1, generation = excluded.generation, deleted = excluded.deleted, \
                changed_at = excluded.changed_at, state = 'pending', attempts = 0, \
                next_attempt_at = excluded.next_attempt_at, last_error = NULL, parked_at = NULL, claim_token = NULL";
        let sql = match conn {
            DbConnection::Sqlite(_) => sql.replace("$1", "?").replace("$2", "?"),
            DbConnection::Pg(_) => sql.to_owned(),
        };
        let copied = diesel::sql_query(sql)
            .bind::<diesel::sql_types::Integer, _>(generation)
            .bind::<diesel::sql_types::Timestamp, _>(now)
            .execute(conn)?;
        diesel::update(sync_state::table)
            .set((
                sync_state::resync_started_at.eq(now),
                sync_state::resync_total.eq(copied as i64),
            ))
            .execute(conn)?;
        Ok(copied as i64)
    })
}

/// Claims up to `limit` due events of `datasets`, oldest first. PostgreSQL locks the rows
/// with SKIP LOCKED, so another instance takes others; SQLite has one writer.
pub fn claim(
    conn: &mut DbConnection,
    datasets: &[Dataset],
    limit: i64,
    lease: Duration,
    now: NaiveDateTime,
) -> QueryResult<Option<Claim>> {
    if datasets.is_empty() {
        return Ok(None);
    }
    let token = crate::web::session::random_token();
    // PostgreSQL's own transaction: the SQLite arm below has its own way.
    #[allow(clippy::disallowed_methods)]
    let claimed = match conn {
        DbConnection::Pg(c) => c.transaction(|c| {
            let ids: Vec<i32> = sync_outbox::table
                .filter(sync_outbox::state.eq("pending"))
                .filter(sync_outbox::next_attempt_at.le(now))
                .filter(sync_outbox::dataset.eq_any(datasets))
                .order((sync_outbox::next_attempt_at, sync_outbox::id))
                .limit(limit)
                .select(sync_outbox::id)
                .for_update()
                .skip_locked()
                .load(c)?;
            if ids.is_empty() {
                return QueryResult::Ok(0);
            }
            diesel::update(sync_outbox::table.filter(sync_outbox::id.eq_any(&ids)))
                .set((
                    sync_outbox::claim_token.eq(&token),
                    sync_outbox::next_attempt_at.eq(now + lease),
                ))
                .execute(c)
        })?,
        // One statement, so it asks for the write lock first: a read that turns into a
        // write fails at once (not after the busy timeout) when another instance wrote
        // in between.
        DbConnection::Sqlite(c) => {
            let names: Vec<&str> = datasets.iter().map(|d| d.as_str()).collect();
            diesel::sql_query(
                "UPDATE sync_outbox SET claim_token = ?, next_attempt_at = ? WHERE id IN \
                 (SELECT id FROM sync_outbox WHERE state = 'pending' AND next_attempt_at <= ? \
                  AND dataset IN (SELECT value FROM json_each(?)) \
                  ORDER BY next_attempt_at, id LIMIT ?)",
            )
            .bind::<diesel::sql_types::Text, _>(&token)
            .bind::<diesel::sql_types::Timestamp, _>(now + lease)
            .bind::<diesel::sql_types::Timestamp, _>(now)
            .bind::<diesel::sql_types::Text, _>(serde_json::to_string(&names).unwrap_or_default())
            .bind::<diesel::sql_types::BigInt, _>(limit)
            .execute(c)?
        }
    };
    if claimed == 0 {
        return Ok(None);
    }
    type Row = (i32, Dataset, i32, i32, i32, bool, StoredTime, i32);
    let rows: Vec<Row> = sync_outbox::table
        .filter(sync_outbox::claim_token.eq(&token))
        .order((sync_outbox::next_attempt_at, sync_outbox::id))
        .select((
            sync_outbox::id,
            sync_outbox::dataset,
            sync_outbox::record_id,
            sync_outbox::version,
            sync_outbox::generation,
            sync_outbox::deleted,
            sync_outbox::changed_at,
            sync_outbox::attempts,
        ))
        .load(conn)?;
    Ok(Some(Claim {
        token,
        events: rows
            .into_iter()
            .map(
                |(id, dataset, record_id, version, generation, deleted, changed_at, attempts)| {
                    Event {
                        id,
                        dataset,
                        record_id,
                        version,
                        generation,
                        deleted,
                        changed_at: changed_at.0,
                        attempts,
                    }
                },
            )
            .collect(),
    }))
}

/// What became of one claimed event.
#[derive(Debug, Clone)]
pub enum Settled {
    Delivered,
    /// Refused for what it holds: parked at once with the reason.
    Parked(String),
    /// Not answered: tried again later, parked after `max_attempts`.
    Retry(String),
}

/// Records the answer to a claim: `exceptions` are the events not delivered; the rest
/// were. Only rows still carrying the claim's token change.
pub fn settle(
    conn: &mut DbConnection,
    claim: &Claim,
    exceptions: &[(i32, Settled)],
    retry: Retry,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        for (id, settled) in exceptions {
            let mine = sync_outbox::table
                .filter(sync_outbox::id.eq(id))
                .filter(sync_outbox::claim_token.eq(&claim.token));
            match settled {
                Settled::Delivered => {}
                Settled::Parked(reason) => {
                    diesel::update(mine)
                        .set((
                            sync_outbox::state.eq("parked"),
                            sync_outbox::parked_at.eq(now),
                            sync_outbox::last_error.eq(reason),
                            sync_outbox::attempts.eq(sync_outbox::attempts + 1),
                            sync_outbox::claim_token.eq(None::<String>),
                        ))
                        .execute(conn)?;
                }
                Settled::Retry(reason) => {
                    retry_rows(conn, claim, Some(*id), reason, retry, now)?;
                }
            }
        }
        diesel::update(sync_outbox::table.filter(sync_outbox::claim_token.eq(&claim.token)))
            .set((
                sync_outbox::state.eq("delivered"),
                sync_outbox::delivered_at.eq(now),
                sync_outbox::attempts.eq(0),
                sync_outbox::last_error.eq(None::<String>),
                sync_outbox::claim_token.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::update(sync_state::table)
            .set((
                sync_state::last_attempt_at.eq(now),
                sync_state::last_success_at.eq(now),
                sync_state::last_error.eq(None::<String>),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// The whole claim failed (no usable answer): every event is tried again after a backoff,
/// or parked at its `max_attempts`-th failure.
pub fn fail(
    conn: &mut DbConnection,
    claim: &Claim,
    reason: &str,
    retry: Retry,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        retry_rows(conn, claim, None, reason, retry, now)?;
        diesel::update(sync_state::table)
            .set((
                sync_state::last_attempt_at.eq(now),
                sync_state::last_error.eq(reason),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// How a claim's failures are retried.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Failed attempts before an event is parked.
    pub max_attempts: i32,
    /// The longest wait before jitter.
    pub max_backoff: Duration,
}

/// One more failed attempt for the claim's rows (or one of them): parked at the
/// `max_attempts`-th, otherwise due again after [`backoff`].
fn retry_rows(
    conn: &mut DbConnection,
    claim: &Claim,
    only: Option<i32>,
    reason: &str,
    retry: Retry,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let max_attempts = retry.max_attempts;
    let tried = claim.events.iter().map(|e| e.attempts).max().unwrap_or(0);
    let next = now + backoff(tried, retry.max_backoff);
    let mine = sync_outbox::table.filter(sync_outbox::claim_token.eq(&claim.token));
    macro_rules! run {
        ($rows:expr) => {{
            // Parking clears the token first, so the second statement leaves those rows be.
            diesel::update($rows.filter(sync_outbox::attempts.ge(max_attempts - 1)))
                .set((
                    sync_outbox::state.eq("parked"),
                    sync_outbox::parked_at.eq(now),
                    sync_outbox::last_error.eq(reason),
                    sync_outbox::attempts.eq(sync_outbox::attempts + 1),
                    sync_outbox::claim_token.eq(None::<String>),
                ))
                .execute(conn)?;
            diesel::update($rows)
                .set((
                    sync_outbox::attempts.eq(sync_outbox::attempts + 1),
                    sync_outbox::next_attempt_at.eq(next),
                    sync_outbox::last_error.eq(reason),
                    sync_outbox::claim_token.eq(None::<String>),
                ))
                .execute(conn)?;
        }};
    }
    match only {
        Some(id) => run!(mine.filter(sync_outbox::id.eq(id))),
        None => run!(mine),
    }
    Ok(())
}

/// Backoff after the n-th failed attempt: 2^n seconds (at most `cap`), with up to half
/// again of random jitter, so that instances and records do not all retry at once.
pub fn backoff(attempts: i32, cap: Duration) -> Duration {
    use rand::Rng as _;
    let base = (1i64 << attempts.clamp(0, 20)) * 1_000;
    let base = base.min(cap.num_milliseconds().max(1));
    let jitter = rand::rng().random_range(0..=base / 2);
    Duration::milliseconds(base + jitter)
}

/// How the queue stands.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub pending: i64,
    pub due: i64,
    pub parked: i64,
    pub delivered: i64,
    pub oldest_pending: Option<NaiveDateTime>,
}

pub fn counts(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Counts> {
    let by_state: Vec<(String, i64)> = sync_outbox::table
        .group_by(sync_outbox::state)
        .select((sync_outbox::state, diesel::dsl::count_star()))
        .load(conn)?;
    let mut c = Counts::default();
    for (state, n) in by_state {
        match state.as_str() {
            "pending" => c.pending = n,
            "parked" => c.parked = n,
            "delivered" => c.delivered = n,
            _ => {}
        }
    }
    c.due = sync_outbox::table
        .filter(sync_outbox::state.eq("pending"))
        .filter(sync_outbox::next_attempt_at.le(now))
        .count()
        .get_result(conn)?;
    c.oldest_pending = sync_outbox::table
        .filter(sync_outbox::state.eq("pending"))
        .select(diesel::dsl::min(sync_outbox::changed_at))
        .first::<Option<StoredTime>>(conn)?
        .map(|t| t.0);
    Ok(c)
}

/// The state row, for the status page and `sibuser sync status`.
#[derive(Debug, Clone)]
pub struct State {
    pub capture: bool,
    pub generation: i32,
    pub resync_started_at: Option<NaiveDateTime>,
    pub resync_total: i64,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_success_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

pub fn state(conn: &mut DbConnection) -> QueryResult<State> {
    #[allow(clippy::type_complexity)]
    let row: (
        bool,
        i32,
        Option<StoredTime>,
        i64,
        Option<StoredTime>,
        Option<StoredTime>,
        Option<String>,
    ) = sync_state::table
        .select((
            sync_state::capture,
            sync_state::generation,
            sync_state::resync_started_at,
            sync_state::resync_total,
            sync_state::last_attempt_at,
            sync_state::last_success_at,
            sync_state::last_error,
        ))
        .first(conn)?;
    Ok(State {
        capture: row.0,
        generation: row.1,
        resync_started_at: row.2.map(|t| t.0),
        resync_total: row.3,
        last_attempt_at: row.4.map(|t| t.0),
        last_success_at: row.5.map(|t| t.0),
        last_error: row.6,
    })
}

/// A parked event, for the data steward.
#[derive(Debug, Clone)]
pub struct Parked {
    pub id: i32,
    pub dataset: Dataset,
    pub record_id: i32,
    pub version: i32,
    pub attempts: i32,
    pub parked_at: Option<NaiveDateTime>,
    pub error: String,
}

/// Parked events, latest first, at most `limit`.
pub fn parked(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Parked>> {
    type Row = (
        i32,
        Dataset,
        i32,
        i32,
        i32,
        Option<StoredTime>,
        Option<String>,
    );
    let rows: Vec<Row> = sync_outbox::table
        .filter(sync_outbox::state.eq("parked"))
        .order((sync_outbox::parked_at.desc(), sync_outbox::id.desc()))
        .limit(limit)
        .select((
            sync_outbox::id,
            sync_outbox::dataset,
            sync_outbox::record_id,
            sync_outbox::version,
            sync_outbox::attempts,
            sync_outbox::parked_at,
            sync_outbox::last_error,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, dataset, record_id, version, attempts, parked_at, error)| Parked {
                id,
                dataset,
                record_id,
                version,
                attempts,
                parked_at: parked_at.map(|t| t.0),
                error: error.unwrap_or_default(),
            },
        )
        .collect())
}

/// A parked event's data set and record, when it is parked.
pub fn find_parked(conn: &mut DbConnection, id: i32) -> QueryResult<Option<(Dataset, i32, i32)>> {
    sync_outbox::table
        .filter(sync_outbox::id.eq(id))
        .filter(sync_outbox::state.eq("parked"))
        .select((
            sync_outbox::dataset,
            sync_outbox::record_id,
            sync_outbox::version,
        ))
        .first(conn)
        .optional()
}

/// Sends a parked event on its way again, from its first attempt; false when it is not
/// parked (any more).
pub fn retry(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        sync_outbox::table
            .filter(sync_outbox::id.eq(id))
            .filter(sync_outbox::state.eq("parked")),
    )
    .set((
        sync_outbox::state.eq("pending"),
        sync_outbox::attempts.eq(0),
        sync_outbox::next_attempt_at.eq(now),
        sync_outbox::parked_at.eq(None::<NaiveDateTime>),
        sync_outbox::claim_token.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

/// Gives a parked event up: it is not sent, until the record changes again (a new
/// version is queued as usual). False when it is not parked (any more).
pub fn discard(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    let n = diesel::update(
        sync_outbox::table
            .filter(sync_outbox::id.eq(id))
            .filter(sync_outbox::state.eq("parked")),
    )
    .set((
        sync_outbox::state.eq("discarded"),
        sync_outbox::claim_token.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(n > 0)
}
