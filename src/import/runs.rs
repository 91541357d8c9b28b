//! Import runs and their problems: one uploaded file from upload to done. Each status change
//! succeeds only from the status it was read in, so two workers (or a worker and a user's
//! cancel) never both act on one run.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::engine::{Counts, Problem};
use super::kind::Kind;
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::ids::{ImportRunId, UserId};
use crate::schema::{import_problems, import_runs};

choice!(
    /// Where a run is: waiting for the worker, being checked, checked (waiting for the
    /// user), being written, done; or failed, or cancelled by the user.
    Status in "ref_import_status" {
        Waiting => "waiting", "import.status.waiting",
        Checking => "checking", "import.status.checking",
        Checked => "checked", "import.status.checked",
        Writing => "writing", "import.status.writing",
        Done => "done", "import.status.done",
        Failed => "failed", "import.status.failed",
        Cancelled => "cancelled", "import.status.cancelled",
    }
);

impl Status {
    /// The worker has work to do on it: its page follows the progress.
    pub fn is_running(self) -> bool {
        matches!(self, Self::Waiting | Self::Checking | Self::Writing)
    }

    /// Over: its file is no longer needed.
    pub fn is_over(self) -> bool {
        matches!(self, Self::Done | Self::Failed | Self::Cancelled)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_runs)]
pub struct Run {
    pub id: ImportRunId,
    pub kind: Kind,
    pub file_name: String,
    pub stored_name: Option<String>,
    pub size_bytes: i64,
    pub uploaded_by: Option<UserId>,
    pub status: Status,
    pub only_valid: bool,
    pub rows_total: i32,
    pub rows_checked: i32,
    pub rows_bad: i32,
    pub rows_created: i32,
    pub rows_updated: i32,
    pub rows_unchanged: i32,
    pub message: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub claimed_at: Option<NaiveDateTime>,
    pub checked_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

impl Run {
    /// Whether the user may confirm the write now, and with which choice.
    pub fn can_write(&self) -> bool {
        self.status == Status::Checked && self.rows_checked > self.rows_bad
    }

    pub fn can_cancel(&self) -> bool {
        matches!(self.status, Status::Waiting | Status::Checked)
    }
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A new run, waiting for the worker.
pub fn create(
    conn: &mut DbConnection,
    kind: Kind,
    file_name: &str,
    stored_name: &str,
    size_bytes: i64,
    uploaded_by: UserId,
) -> QueryResult<ImportRunId> {
    let now = now();
    diesel::insert_into(import_runs::table)
        .values((
            import_runs::kind.eq(kind),
            import_runs::file_name.eq(file_name),
            import_runs::stored_name.eq(stored_name),
            import_runs::size_bytes.eq(size_bytes),
            import_runs::uploaded_by.eq(uploaded_by),
            import_runs::status.eq(Status::Waiting),
            import_runs::created_at.eq(now),
            import_runs::updated_at.eq(now),
        ))
        .returning(import_runs::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: ImportRunId) -> QueryResult<Option<Run>> {
    import_runs::table
        .find(id)
        .select(Run::as_select())
        .first(conn)
        .optional()
}

/// A run of this user; another user's run is simply not found.
pub fn find_of(conn: &mut DbConnection, id: ImportRunId, user: UserId) -> QueryResult<Option<Run>> {
    import_runs::table
        .find(id)
        .filter(import_runs::uploaded_by.eq(user))
        .select(Run::as_select())
        .first(conn)
        .optional()
}

/// The user's runs, newest first.
pub fn list_of(conn: &mut DbConnection, user: UserId, limit: i64) -> QueryResult<Vec<Run>> {
    import_runs::table
        .filter(import_runs::uploaded_by.eq(user))
        .order(import_runs::id.desc())
        .limit(limit)
        .select(Run::as_select())
        .load(conn)
}

/// One stored problem: line, column, reason key, detail.
pub type StoredProblem = (i32, Option<String>, String, Option<String>);

/// A page of the run's problems, in line order, and how many there are.
pub fn problems(
    conn: &mut DbConnection,
    id: ImportRunId,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<StoredProblem>, i64)> {
    let rows = import_problems::table
        .filter(import_problems::run_id.eq(id))
        .order((import_problems::line, import_problems::id))
        .offset(offset)
        .limit(limit)
        .select((
            import_problems::line,
            import_problems::column_name,
            import_problems::reason,
            import_problems::detail,
        ))
        .load(conn)?;
    let total = import_problems::table
        .filter(import_problems::run_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((rows, total))
}

/// The user confirms a checked run: the worker writes it next. A run with bad rows only
/// with `only_valid`; false when the run is not (or no longer) checked and writable.
pub fn confirm(conn: &mut DbConnection, run: &Run, only_valid: bool) -> QueryResult<bool> {
    if !run.can_write() || (run.rows_bad > 0 && !only_valid) {
        return Ok(false);
    }
    let changed = diesel::update(
        import_runs::table
            .find(run.id)
            .filter(import_runs::status.eq(Status::Checked)),
    )
    .set((
        import_runs::status.eq(Status::Writing),
        import_runs::only_valid.eq(only_valid),
        import_runs::claimed_at.eq(None::<NaiveDateTime>),
        import_runs::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Cancels a run that waits (for the worker or for the user); returns its stored file to
/// remove, or `None` when it could not be cancelled.
pub fn cancel(conn: &mut DbConnection, run: &Run) -> QueryResult<Option<Option<String>>> {
    if !run.can_cancel() {
        return Ok(None);
    }
    end(conn, run.id, run.status, Status::Cancelled, None)
}

/// Ends a run in `to` from `from`, forgetting its file; returns the file to remove.
fn end(
    conn: &mut DbConnection,
    id: ImportRunId,
    from: Status,
    to: Status,
    message: Option<&str>,
) -> QueryResult<Option<Option<String>>> {
    crate::db::transaction(conn, |conn| {
        let stored: Option<Option<String>> = import_runs::table
            .find(id)
            .filter(import_runs::status.eq(from))
            .select(import_runs::stored_name)
            .first(conn)
            .optional()?;
        let Some(stored) = stored else {
            return Ok(None);
        };
        let now = now();
        diesel::update(
            import_runs::table
                .find(id)
                .filter(import_runs::status.eq(from)),
        )
        .set((
            import_runs::status.eq(to),
            import_runs::message.eq(message),
            import_runs::stored_name.eq(None::<String>),
            import_runs::claimed_at.eq(None::<NaiveDateTime>),
            import_runs::finished_at.eq(now),
            import_runs::updated_at.eq(now),
        ))
        .execute(conn)?;
        Ok(Some(stored))
    })
}

/// What the worker took on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Check,
    Write,
}

/// Claims the next run that needs the worker: a waiting one (to check) or a confirmed one
/// (to write), or one whose worker stopped (its claim older than `stale_before`). Each claim
/// is a conditional update, so that of several workers only one gets a run.
pub fn claim_next(
    conn: &mut DbConnection,
    stale_before: NaiveDateTime,
) -> QueryResult<Option<(Run, Task)>> {
    let candidates: Vec<(ImportRunId, Status)> = import_runs::table
        .filter(
            import_runs::status
                .eq(Status::Waiting)
                .or(import_runs::status
                    .eq(Status::Writing)
                    .and(import_runs::claimed_at.is_null()))
                .or(import_runs::status
                    .eq_any([Status::Checking, Status::Writing])
                    .and(import_runs::claimed_at.lt(stale_before))),
        )
        .order(import_runs::id)
        .limit(5)
        .select((import_runs::id, import_runs::status))
        .load(conn)?;
    for (id, status) in candidates {
        let (next, task) = match status {
            Status::Waiting | Status::Checking => (Status::Checking, Task::Check),
            _ => (Status::Writing, Task::Write),
        };
        let now = now();
        let claimed = diesel::update(
            import_runs::table
                .find(id)
                .filter(import_runs::status.eq(status))
                .filter(
                    import_runs::claimed_at
                        .is_null()
                        .or(import_runs::claimed_at.lt(stale_before)),
                ),
        )
        .set((
            import_runs::status.eq(next),
            import_runs::claimed_at.eq(now),
            import_runs::updated_at.eq(now),
        ))
        .execute(conn)?;
        if claimed == 1 {
            if task == Task::Check {
                // A check taken over from a stopped worker starts again from the top.
                diesel::delete(import_problems::table.filter(import_problems::run_id.eq(id)))
                    .execute(conn)?;
            }
            return Ok(find(conn, id)?.map(|run| (run, task)));
        }
    }
    Ok(None)
}

/// The check's progress; also renews the claim, so a long check is not taken as stopped.
pub fn record_progress(conn: &mut DbConnection, id: ImportRunId, c: &Counts) -> QueryResult<()> {
    let now = now();
    diesel::update(import_runs::table.find(id))
        .set((
            import_runs::rows_checked.eq(count(c.rows)),
            import_runs::rows_bad.eq(count(c.bad)),
            import_runs::rows_total.eq(count(c.known_rows.unwrap_or(c.rows).max(c.rows))),
            import_runs::claimed_at.eq(now),
            import_runs::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn add_problems(
    conn: &mut DbConnection,
    id: ImportRunId,
    found: &[Problem],
) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        for p in found {
            diesel::insert_into(import_problems::table)
                .values((
                    import_problems::run_id.eq(id),
                    import_problems::line.eq(count(p.line)),
                    import_problems::column_name.eq(p.column.as_deref()),
                    import_problems::reason.eq(p.reason),
                    import_problems::detail.eq(p.detail.as_deref()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// The check is over: the counts, and the run waits for the user.
pub fn finish_check(conn: &mut DbConnection, id: ImportRunId, c: &Counts) -> QueryResult<bool> {
    let now = now();
    let bad = if c.file_refused { c.bad.max(1) } else { c.bad };
    diesel::update(
        import_runs::table
            .find(id)
            .filter(import_runs::status.eq(Status::Checking)),
    )
    .set((
        import_runs::status.eq(Status::Checked),
        import_runs::rows_total.eq(count(c.rows)),
        import_runs::rows_checked.eq(count(c.rows)),
        import_runs::rows_bad.eq(count(bad)),
        import_runs::claimed_at.eq(None::<NaiveDateTime>),
        import_runs::checked_at.eq(now),
        import_runs::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The write is over: the counts; returns the file to remove.
pub fn finish_write(
    conn: &mut DbConnection,
    id: ImportRunId,
    c: &Counts,
) -> QueryResult<Option<Option<String>>> {
    crate::db::transaction(conn, |conn| {
        let ended = end(conn, id, Status::Writing, Status::Done, None)?;
        if ended.is_some() {
            diesel::update(import_runs::table.find(id))
                .set((
                    import_runs::rows_created.eq(count(c.created)),
                    import_runs::rows_updated.eq(count(c.updated)),
                    import_runs::rows_unchanged.eq(count(c.unchanged)),
                ))
                .execute(conn)?;
        }
        Ok(ended)
    })
}

/// The run failed, with why (a translation key); returns the file to remove.
pub fn fail(
    conn: &mut DbConnection,
    id: ImportRunId,
    from: Status,
    message: &str,
) -> QueryResult<Option<Option<String>>> {
    end(conn, id, from, Status::Failed, Some(message))
}

/// Runs whose file was uploaded before `before` and is still kept: (id, status, file).
pub fn old_files(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> QueryResult<Vec<(ImportRunId, Status, String)>> {
    let rows: Vec<(ImportRunId, Status, Option<String>)> = import_runs::table
        .filter(import_runs::stored_name.is_not_null())
        .filter(import_runs::created_at.lt(before))
        .select((
            import_runs::id,
            import_runs::status,
            import_runs::stored_name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, s, f)| f.map(|f| (id, s, f)))
        .collect())
}

/// A run whose file is removed after the retention: one still waiting is cancelled, with
/// why; returns whether it changed.
pub fn expire(conn: &mut DbConnection, id: ImportRunId, status: Status) -> QueryResult<bool> {
    if status.is_running() && status != Status::Waiting {
        // Being checked or written right now: the next pass takes it.
        return Ok(false);
    }
    if status.is_over() {
        diesel::update(
            import_runs::table
                .find(id)
                .filter(import_runs::status.eq(status)),
        )
        .set(import_runs::stored_name.eq(None::<String>))
        .execute(conn)?;
        return Ok(true);
    }
    Ok(end(
        conn,
        id,
        status,
        Status::Cancelled,
        Some("import.message.expired"),
    )?
    .is_some())
}

/// The run's problems as a later pass found them, in place of the earlier list.
pub fn replace_problems(
    conn: &mut DbConnection,
    id: ImportRunId,
    found: &[Problem],
) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        diesel::delete(import_problems::table.filter(import_problems::run_id.eq(id)))
            .execute(conn)?;
        add_problems(conn, id, found)
    })
}
