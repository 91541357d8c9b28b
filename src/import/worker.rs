//! The background side of an import: claim one run at a time, check it or write it, and
//! keep the uploaded files no longer than needed. A failure marks the run failed with why;
//! a worker that stops mid-run leaves a claim that goes stale and is taken again, and as a
//! write is one transaction, taking it again writes it once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::Duration;
use diesel::QueryResult;

use super::engine::{Counts, Problem, Sink, WriteError};
use super::reader::{OpenError, Table};
use super::runs::{self, Run, Status, Task};
use crate::audit::{self, Entry, actions};
use crate::db::{DbConnection, Pool};
use crate::domain::ids::ImportRunId;

/// The folder of uploaded files, under the data directory.
pub const FOLDER: &str = "imports";
/// How long an uploaded file is kept when its run does not finish.
pub const KEEP_FILES_DAYS: i64 = 7;
/// A claim not renewed for this long belongs to a worker that stopped. A write renews no
/// claim while its one transaction runs, so this is well above the longest write.
const STALE_AFTER_MINUTES: i64 = 30;
/// Problems are stored in batches of this many, each batch one transaction.
const PROBLEM_BATCH: usize = 500;

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join(FOLDER)
}

/// Only names the portal made are joined to the folder.
pub fn is_stored_name(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(ext, "csv" | "xlsx")
        && !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Rows written so far by runs being written in this process. A write is one transaction,
/// which no other connection sees until it commits, so its progress is kept here.
static WRITING: Mutex<BTreeMap<ImportRunId, u32>> = Mutex::new(BTreeMap::new());

/// Rows a run being written here has got through, if it is being written here.
pub fn write_progress(id: ImportRunId) -> Option<u32> {
    WRITING.lock().ok().and_then(|m| m.get(&id).copied())
}

fn set_write_progress(id: ImportRunId, rows: Option<u32>) {
    if let Ok(mut m) = WRITING.lock() {
        match rows {
            Some(n) => m.insert(id, n),
            None => m.remove(&id),
        };
    }
}

/// One pass: claims a run and checks or writes it. Returns whether there was one.
pub fn run_once(pool: &Pool, files: &Path) -> QueryResult<bool> {
    let mut conn = pool.get().map_err(pool_error)?;
    let stale_before = chrono::Utc::now().naive_utc() - Duration::minutes(STALE_AFTER_MINUTES);
    let Some((run, task)) = runs::claim_next(&mut conn, stale_before)? else {
        return Ok(false);
    };
    let from = match task {
        Task::Check => Status::Checking,
        Task::Write => Status::Writing,
    };
    let outcome = match task {
        Task::Check => check(pool, &mut conn, &run, files),
        Task::Write => write(&mut conn, &run, files),
    };
    let failed = match outcome {
        Ok(None) => return Ok(true),
        Ok(Some(reason)) => reason,
        Err(e) => {
            tracing::error!(run = run.id.get(), error = %e, "import run failed");
            "import.message.internal"
        }
    };
    if let Some(file) = runs::fail(&mut conn, run.id, from, failed)? {
        remove_file(files, file);
    }
    Ok(true)
}

fn pool_error(e: impl std::fmt::Display) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("no database connection: {e}").into())
}

fn open(run: &Run, files: &Path) -> Result<Table, &'static str> {
    let Some(name) = run.stored_name.as_deref().filter(|n| is_stored_name(n)) else {
        return Err("import.message.file_gone");
    };
    match Table::open_path(&files.join(name)) {
        Ok(table) => Ok(table),
        Err(OpenError::File(e)) => Err(e.message_key()),
        Err(OpenError::Io(e)) => {
            tracing::warn!(run = run.id.get(), error = %e, "an uploaded file cannot be read");
            Err("import.message.file_gone")
        }
    }
}

/// Where a check's problems and progress go: the run's rows, through a connection of its
/// own (the engine's connection is busy reading the file's lookups).
struct RunSink<'a> {
    conn: &'a mut DbConnection,
    run: ImportRunId,
    pending: Vec<Problem>,
}

impl RunSink<'_> {
    fn flush(&mut self) -> QueryResult<()> {
        if !self.pending.is_empty() {
            runs::add_problems(self.conn, self.run, &self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }
}

impl Sink for RunSink<'_> {
    fn problem(&mut self, problem: Problem) -> QueryResult<()> {
        self.pending.push(problem);
        if self.pending.len() >= PROBLEM_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn progress(&mut self, counts: &Counts) -> QueryResult<()> {
        self.flush()?;
        runs::record_progress(self.conn, self.run, counts)
    }
}

/// Checks a run; `Some(reason)` when the file cannot be read at all.
fn check(
    pool: &Pool,
    conn: &mut DbConnection,
    run: &Run,
    files: &Path,
) -> QueryResult<Option<&'static str>> {
    let importer = super::importer(run.kind);
    let table = match open(run, files) {
        Ok(t) => t,
        Err(reason) => {
            // An unreadable file is the file's problem, shown on the preview like any other.
            runs::add_problems(
                conn,
                run.id,
                &[Problem {
                    line: 0,
                    column: None,
                    reason,
                    detail: None,
                }],
            )?;
            let counts = Counts {
                file_refused: true,
                ..Counts::default()
            };
            runs::finish_check(conn, run.id, &counts)?;
            return Ok(None);
        }
    };
    let mut sink_conn = pool.get().map_err(pool_error)?;
    let mut sink = RunSink {
        conn: &mut sink_conn,
        run: run.id,
        pending: Vec::new(),
    };
    let counts = importer.check(conn, table, &mut sink)?;
    sink.flush()?;
    runs::finish_check(conn, run.id, &counts)?;
    Ok(None)
}

/// Progress of a write, kept in memory (see [`WRITING`]); problems found again are kept
/// to replace the check's if the write is refused.
struct WriteSink {
    run: ImportRunId,
    problems: Vec<Problem>,
}

impl Sink for WriteSink {
    fn problem(&mut self, problem: Problem) -> QueryResult<()> {
        self.problems.push(problem);
        Ok(())
    }

    fn progress(&mut self, counts: &Counts) -> QueryResult<()> {
        set_write_progress(self.run, Some(counts.rows));
        Ok(())
    }
}

fn write(conn: &mut DbConnection, run: &Run, files: &Path) -> QueryResult<Option<&'static str>> {
    let importer = super::importer(run.kind);
    let table = match open(run, files) {
        Ok(t) => t,
        Err(reason) => return Ok(Some(reason)),
    };
    let mut sink = WriteSink {
        run: run.id,
        problems: Vec::new(),
    };
    set_write_progress(run.id, Some(0));
    let written = importer.write(conn, table, run.uploaded_by, run.only_valid, &mut sink);
    set_write_progress(run.id, None);
    match written {
        Ok(counts) => {
            let mut entry = Entry::new(actions::IMPORT_WRITTEN)
                .subject("import_run", run.id)
                .detail(serde_json::json!({
                    "kind": run.kind.as_str(),
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "bad": counts.bad,
                }));
            if let Some(user) = run.uploaded_by {
                entry = entry.actor(user);
            }
            audit::record(conn, entry)?;
            if let Some(file) = runs::finish_write(conn, run.id, &counts)? {
                remove_file(files, file);
            }
            Ok(None)
        }
        Err(WriteError::BadRows(_)) => {
            // Something changed since the check (a company no longer verified, say): the
            // rows as they are now replace the check's list, and nothing was written.
            runs::replace_problems(conn, run.id, &sink.problems)?;
            Ok(Some("import.message.changed"))
        }
        Err(WriteError::Db(e)) => Err(e),
    }
}

fn remove_file(files: &Path, name: Option<String>) {
    let Some(name) = name.filter(|n| is_stored_name(n)) else {
        return;
    };
    if let Err(e) = std::fs::remove_file(files.join(name))
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "an uploaded import file could not be removed");
    }
}

/// Removes uploaded files older than [`KEEP_FILES_DAYS`]; a run still waiting for them is
/// cancelled. Returns how many files went.
pub fn remove_old_files(conn: &mut DbConnection, files: &Path) -> QueryResult<usize> {
    let before = chrono::Utc::now().naive_utc() - Duration::days(KEEP_FILES_DAYS);
    let mut removed = 0;
    for (id, status, name) in runs::old_files(conn, before)? {
        if runs::expire(conn, id, status)? {
            remove_file(files, Some(name));
            removed += 1;
        }
    }
    Ok(removed)
}
