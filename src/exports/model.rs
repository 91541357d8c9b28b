//! Exports as asked for (`exports`): the data set, format, filters and purpose, who asked,
//! and how many rows the file got; each with the file job that writes it. A user sees only
//! their own.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::queue::{self, Job, Kind};
use super::request::Request;
use super::{Dataset, Filter, Format};
use crate::db::DbConnection;
use crate::domain::ids::{ExportId, FileJobId, UserId};
use crate::schema::{exports, file_jobs};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = exports)]
pub struct Export {
    pub id: ExportId,
    pub job_id: FileJobId,
    pub dataset: Dataset,
    pub format: Format,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub kecamatan_code: Option<String>,
    pub unmasked: bool,
    pub purpose: Option<String>,
    pub requested_by: Option<UserId>,
    pub rows_written: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl Export {
    /// The request as it was made. A kecamatan no longer known (the region list changed)
    /// selects nothing rather than everything.
    pub fn request(&self) -> Request {
        let kecamatan = self
            .kecamatan_code
            .as_deref()
            .map(|code| super::filter::kecamatan(code).map_or("-", |r| r.code));
        Request {
            dataset: self.dataset,
            format: self.format,
            filter: Filter {
                from: self.period_from,
                to: self.period_to,
                kecamatan,
            },
            unmasked: self.unmasked,
            purpose: self.purpose.clone(),
        }
    }
}

/// Records the request and queues its job, in one transaction.
pub fn create(
    conn: &mut DbConnection,
    request: &Request,
    user: UserId,
) -> QueryResult<(ExportId, FileJobId)> {
    crate::db::transaction(conn, |conn| {
        // The export row is the job's parameters: its producer reads it by the job's id.
        let job = queue::enqueue(conn, Kind::Export, &serde_json::json!({}), Some(user))?;
        let id = diesel::insert_into(exports::table)
            .values((
                exports::job_id.eq(job),
                exports::dataset.eq(request.dataset),
                exports::format.eq(request.format),
                exports::period_from.eq(request.filter.from),
                exports::period_to.eq(request.filter.to),
                exports::kecamatan_code.eq(request.filter.kecamatan),
                exports::unmasked.eq(request.unmasked),
                exports::purpose.eq(request.purpose.as_deref()),
                exports::requested_by.eq(user),
                exports::created_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .returning(exports::id)
            .get_result(conn)?;
        Ok((id, job))
    })
}

/// The export a job writes.
pub fn of_job(conn: &mut DbConnection, job: FileJobId) -> QueryResult<Option<Export>> {
    exports::table
        .filter(exports::job_id.eq(job))
        .select(Export::as_select())
        .first(conn)
        .optional()
}

/// An export of this user with its job; another user's is simply not found.
pub fn find_of(
    conn: &mut DbConnection,
    id: ExportId,
    user: UserId,
) -> QueryResult<Option<(Export, Job)>> {
    exports::table
        .inner_join(file_jobs::table)
        .filter(exports::id.eq(id))
        .filter(exports::requested_by.eq(user))
        .select((Export::as_select(), Job::as_select()))
        .first(conn)
        .optional()
}

/// The user's exports with their jobs, newest first.
pub fn list_of(
    conn: &mut DbConnection,
    user: UserId,
    limit: i64,
) -> QueryResult<Vec<(Export, Job)>> {
    exports::table
        .inner_join(file_jobs::table)
        .filter(exports::requested_by.eq(user))
        .order(exports::id.desc())
        .limit(limit)
        .select((Export::as_select(), Job::as_select()))
        .load(conn)
}

/// The rows the file got.
pub fn set_rows(conn: &mut DbConnection, id: ExportId, rows: u64) -> QueryResult<()> {
    diesel::update(exports::table.find(id))
        .set(exports::rows_written.eq(i64::try_from(rows).unwrap_or(i64::MAX)))
        .execute(conn)
        .map(|_| ())
}
