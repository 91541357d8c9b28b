//! The background side of the file jobs: claim one, run its kind's producer into a file
//! under the data directory with the progress on the job's row, and remove files a week
//! after they were written. A failure marks the job failed with why; a worker that stops
//! mid-job leaves a claim that goes stale and is taken again.

use std::path::{Path, PathBuf};

use chrono::Duration;
use diesel::prelude::*;

use super::model;
use super::queue::{self, Job, Kind};
use super::run::{self, Count, ExportError};
use crate::audit::{self, Entry, actions};
use crate::db::{DbConnection, Pool};

/// The folder of the files jobs write, under the data directory.
pub const FOLDER: &str = "files";
/// How long a written file can be downloaded.
pub const KEEP_DAYS: i64 = 7;
/// A claim not renewed for this long belongs to a worker that stopped. Progress renews it
/// after every page (a few seconds at most), so this is generous.
const STALE_AFTER_MINUTES: i64 = 15;
/// A job taken over this many times is given up: something in it stops the worker.
const MAX_ATTEMPTS: i32 = 3;

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join(FOLDER)
}

/// Only names the portal made are joined to the folder.
pub fn is_stored_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What a producer made: the name the download gets.
pub struct Produced {
    pub file_name: String,
}

/// Why a producer stopped: a translation key for the user, the cause for the log.
#[derive(Debug)]
pub struct JobError {
    pub message: &'static str,
    pub cause: anyhow::Error,
}

/// Progress of a job: records done and the total; false when the job is no longer this
/// worker's, which stops the producer.
pub type Progress<'a> = dyn FnMut(u64, u64) -> QueryResult<bool> + 'a;

/// Writes a job's file at `path`.
pub type Produce =
    fn(&mut DbConnection, &Job, &Path, &mut Progress<'_>) -> Result<Produced, JobError>;

/// Each kind's producer: the one place a new kind of job is added.
pub fn producer(kind: Kind) -> Produce {
    match kind {
        Kind::Export => produce_export,
    }
}

fn pool_error(e: impl std::fmt::Display) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("no database connection: {e}").into())
}

/// One pass: claims a job and runs it to the end. Returns whether there was one.
pub fn run_once(pool: &Pool, files: &Path) -> QueryResult<bool> {
    let mut conn = pool.get().map_err(pool_error)?;
    let stale_before = chrono::Utc::now().naive_utc() - Duration::minutes(STALE_AFTER_MINUTES);
    let Some(job) = queue::claim_next(&mut conn, stale_before)? else {
        return Ok(false);
    };
    if job.attempts > MAX_ATTEMPTS {
        queue::fail(&mut conn, job.id, "job.message.gave_up")?;
        return Ok(true);
    }
    let stored = crate::web::session::random_token();
    let part = files.join(format!("{stored}-part"));
    let outcome = std::fs::create_dir_all(files)
        .map_err(|e| JobError {
            message: "job.message.disk",
            cause: e.into(),
        })
        .and_then(|()| {
            // Progress goes through a connection of its own: the producer's may hold a
            // read transaction for the whole file.
            let mut progress_conn = pool.get().map_err(|e| JobError {
                message: "job.message.internal",
                cause: anyhow::anyhow!("no database connection: {e}"),
            })?;
            let mut progress =
                |done: u64, total: u64| queue::progress(&mut progress_conn, job.id, done, total);
            producer(job.kind)(&mut conn, &job, &part, &mut progress)
        });
    match outcome {
        Ok(produced) => {
            let target = files.join(&stored);
            let size = std::fs::rename(&part, &target)
                .and_then(|()| std::fs::metadata(&target))
                .map(|m| i64::try_from(m.len()).unwrap_or(i64::MAX));
            match size {
                Ok(size) => {
                    let keep = Duration::days(KEEP_DAYS);
                    if !queue::finish(&mut conn, job.id, &produced.file_name, &stored, size, keep)?
                    {
                        remove_file(files, &stored);
                    }
                }
                Err(e) => {
                    tracing::error!(job = job.id.get(), error = %e, "a written file could not be kept");
                    remove_path(&part);
                    queue::fail(&mut conn, job.id, "job.message.disk")?;
                }
            }
        }
        Err(e) => {
            tracing::error!(job = job.id.get(), error = %e.cause, "a file job failed");
            remove_path(&part);
            queue::fail(&mut conn, job.id, e.message)?;
        }
    }
    Ok(true)
}

fn remove_path(path: &Path) {
    if let Err(e) = std::fs::remove_file(path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "a job's file could not be removed");
    }
}

fn remove_file(files: &Path, name: &str) {
    if is_stored_name(name) {
        remove_path(&files.join(name));
    }
}

/// Removes the files of jobs done more than [`KEEP_DAYS`] ago and marks them expired.
/// Returns how many went.
pub fn remove_expired(conn: &mut DbConnection, files: &Path) -> QueryResult<usize> {
    let mut removed = 0;
    for (id, name) in queue::expired(conn, chrono::Utc::now().naive_utc())? {
        if queue::mark_expired(conn, id)? {
            remove_file(files, &name);
            removed += 1;
        }
    }
    Ok(removed)
}

/// The export kind: reads the export the job writes, streams it to the file inside one
/// read transaction (so the file is the data as it stood at one moment), and records the
/// rows and the audit entry.
fn produce_export(
    conn: &mut DbConnection,
    job: &Job,
    path: &Path,
    progress: &mut Progress<'_>,
) -> Result<Produced, JobError> {
    let internal = |e: diesel::result::Error| JobError {
        message: "job.message.internal",
        cause: e.into(),
    };
    let export = model::of_job(conn, job.id)
        .map_err(internal)?
        .ok_or_else(|| JobError {
            message: "job.message.internal",
            cause: anyhow::anyhow!("job {} has no export", job.id),
        })?;
    let request = export.request();
    let written = run::snapshot(conn, |conn| {
        let total = u64::try_from((super::datasets::provider(request.dataset).count)(
            conn,
            &request.filter,
        )?)
        .unwrap_or(0);
        progress(0, total)?;
        let mut stopped = false;
        let count = run::write(conn, &request, path, &mut |c: Count| {
            if !progress(c.scanned, total)? {
                stopped = true;
                return Err(diesel::result::Error::RollbackTransaction);
            }
            Ok(())
        });
        Ok(count.map_err(|e| (e, stopped)))
    })
    .map_err(internal)?;
    let count = written.map_err(|(e, stopped)| JobError {
        message: match (&e, stopped) {
            (_, true) => "job.message.taken_over",
            (ExportError::Io(_), _) => "job.message.disk",
            (ExportError::Db(_), _) => "job.message.internal",
        },
        cause: e.into(),
    })?;
    crate::db::transaction(conn, |conn| {
        model::set_rows(conn, export.id, count.rows)?;
        let mut entry = Entry::new(actions::EXPORT_WRITTEN)
            .subject("export", export.id)
            .detail(run::audit_detail(&request, Some(count.rows)));
        if let Some(user) = export.requested_by {
            entry = entry.actor(user);
        }
        audit::record(conn, entry)
    })
    .map_err(internal)?;
    Ok(Produced {
        file_name: run::file_name(&request),
    })
}
