//! The queue of file jobs (`file_jobs`): long work that ends in a file to download, run by
//! the background worker with its progress on the row. The queue knows a job by its kind
//! and a JSON of parameters only; what a kind does is its producer's business
//! ([`super::worker::producer`]), so a new kind (the IPK report workbook) is a code in
//! `ref_file_job_kind`, a variant here and a producer, with no change to the queue.
//!
//! A job is claimed in a transaction: PostgreSQL locks the row with `FOR UPDATE SKIP
//! LOCKED`, so another instance's worker passes over it; SQLite has one writer, and the
//! claim is an update conditional on the state read. A claim is renewed with every
//! progress report; one not renewed for a while belongs to a worker that stopped and is
//! taken again, up to a few attempts.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::ids::{FileJobId, UserId};
use crate::schema::file_jobs;

choice!(
    /// What a job makes.
    Kind in "ref_file_job_kind" {
        Export => "export", "job.kind.export",
    }
);

choice!(
    /// Where a job is: waiting for a worker, being written, done (its file can be
    /// downloaded until it expires), failed, or expired (the file is gone).
    Status in "ref_file_job_status" {
        Waiting => "waiting", "job.status.waiting",
        Running => "running", "job.status.running",
        Done => "done", "job.status.done",
        Failed => "failed", "job.status.failed",
        Expired => "expired", "job.status.expired",
    }
);

impl Status {
    /// The worker has yet to finish it: its page follows the progress.
    pub fn is_running(self) -> bool {
        matches!(self, Self::Waiting | Self::Running)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = file_jobs)]
pub struct Job {
    pub id: FileJobId,
    pub kind: Kind,
    pub params: String,
    pub requested_by: Option<UserId>,
    pub status: Status,
    pub rows_done: i64,
    pub rows_total: i64,
    pub file_name: Option<String>,
    pub stored_name: Option<String>,
    pub size_bytes: Option<i64>,
    pub message: Option<String>,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub claimed_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
}

impl Job {
    /// Progress in whole percent, for the bar's text.
    pub fn percent(&self) -> i64 {
        match (self.status, self.rows_total) {
            (Status::Done, _) => 100,
            (_, 0) => 0,
            (_, total) => (self.rows_done.min(total) * 100) / total,
        }
    }

    /// Whether its file may be downloaded now.
    pub fn downloadable(&self) -> bool {
        self.status == Status::Done && self.stored_name.is_some()
    }
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// A new job, waiting for a worker.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: Kind,
    params: &serde_json::Value,
    requested_by: Option<UserId>,
) -> QueryResult<FileJobId> {
    let now = now();
    diesel::insert_into(file_jobs::table)
        .values((
            file_jobs::kind.eq(kind),
            file_jobs::params.eq(params.to_string()),
            file_jobs::requested_by.eq(requested_by),
            file_jobs::status.eq(Status::Waiting),
            file_jobs::created_at.eq(now),
            file_jobs::updated_at.eq(now),
        ))
        .returning(file_jobs::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: FileJobId) -> QueryResult<Option<Job>> {
    file_jobs::table
        .find(id)
        .select(Job::as_select())
        .first(conn)
        .optional()
}

/// Claims the next job a worker should run: a waiting one, or a running one whose claim
/// is older than `stale_before` (its worker stopped). Counts the attempt.
pub fn claim_next(
    conn: &mut DbConnection,
    stale_before: NaiveDateTime,
) -> QueryResult<Option<Job>> {
    crate::db::transaction(conn, |conn| {
        // A macro, not a value: the select clause's type names the backend.
        macro_rules! next {
            () => {
                file_jobs::table
                    .filter(
                        file_jobs::status.eq(Status::Waiting).or(file_jobs::status
                            .eq(Status::Running)
                            .and(file_jobs::claimed_at.lt(stale_before))),
                    )
                    .order(file_jobs::id)
                    .limit(1)
                    .select((file_jobs::id, file_jobs::status))
            };
        }
        let found: Option<(FileJobId, Status)> = match conn {
            DbConnection::Pg(c) => next!().for_update().skip_locked().first(c).optional()?,
            DbConnection::Sqlite(c) => next!().first(c).optional()?,
        };
        let Some((id, status)) = found else {
            return Ok(None);
        };
        let now = now();
        let claimed = diesel::update(
            file_jobs::table
                .find(id)
                .filter(file_jobs::status.eq(status))
                .filter(
                    file_jobs::claimed_at
                        .is_null()
                        .or(file_jobs::claimed_at.lt(stale_before)),
                ),
        )
        .set((
            file_jobs::status.eq(Status::Running),
            file_jobs::claimed_at.eq(now),
            file_jobs::updated_at.eq(now),
            file_jobs::attempts.eq(file_jobs::attempts + 1),
            file_jobs::rows_done.eq(0),
        ))
        .execute(conn)?;
        if claimed == 1 {
            find(conn, id)
        } else {
            Ok(None)
        }
    })
}

/// Progress of a running job; renews its claim. False when the job is no longer running
/// (another worker took it over), which tells the producer to stop.
pub fn progress(
    conn: &mut DbConnection,
    id: FileJobId,
    done: u64,
    total: u64,
) -> QueryResult<bool> {
    let now = now();
    let changed = diesel::update(
        file_jobs::table
            .find(id)
            .filter(file_jobs::status.eq(Status::Running)),
    )
    .set((
        file_jobs::rows_done.eq(i64::try_from(done).unwrap_or(i64::MAX)),
        file_jobs::rows_total.eq(i64::try_from(total.max(done)).unwrap_or(i64::MAX)),
        file_jobs::claimed_at.eq(now),
        file_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The file is written: it may be downloaded for `keep` from now.
pub fn finish(
    conn: &mut DbConnection,
    id: FileJobId,
    file_name: &str,
    stored_name: &str,
    size_bytes: i64,
    keep: Duration,
) -> QueryResult<bool> {
    let now = now();
    let changed = diesel::update(
        file_jobs::table
            .find(id)
            .filter(file_jobs::status.eq(Status::Running)),
    )
    .set((
        file_jobs::status.eq(Status::Done),
        file_jobs::rows_done.eq(file_jobs::rows_total),
        file_jobs::file_name.eq(file_name),
        file_jobs::stored_name.eq(stored_name),
        file_jobs::size_bytes.eq(size_bytes),
        file_jobs::claimed_at.eq(None::<NaiveDateTime>),
        file_jobs::finished_at.eq(now),
        file_jobs::expires_at.eq(now + keep),
        file_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The job failed, with why (a translation key).
pub fn fail(conn: &mut DbConnection, id: FileJobId, message: &str) -> QueryResult<bool> {
    let now = now();
    let changed = diesel::update(
        file_jobs::table
            .find(id)
            .filter(file_jobs::status.eq_any([Status::Waiting, Status::Running])),
    )
    .set((
        file_jobs::status.eq(Status::Failed),
        file_jobs::message.eq(message),
        file_jobs::claimed_at.eq(None::<NaiveDateTime>),
        file_jobs::finished_at.eq(now),
        file_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Done jobs whose file expired before `now`: (id, stored file).
pub fn expired(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(FileJobId, String)>> {
    let rows: Vec<(FileJobId, Option<String>)> = file_jobs::table
        .filter(file_jobs::status.eq(Status::Done))
        .filter(file_jobs::expires_at.lt(now))
        .select((file_jobs::id, file_jobs::stored_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (id, name.unwrap_or_default()))
        .collect())
}

/// Marks a done job's file as gone.
pub fn mark_expired(conn: &mut DbConnection, id: FileJobId) -> QueryResult<bool> {
    let changed = diesel::update(
        file_jobs::table
            .find(id)
            .filter(file_jobs::status.eq(Status::Done)),
    )
    .set((
        file_jobs::status.eq(Status::Expired),
        file_jobs::stored_name.eq(None::<String>),
        file_jobs::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
