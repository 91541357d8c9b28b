//! PLACEHOLDER on the `api` branch only: replaced by the feed helper's module at merge.
use crate::db::DbConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub record_id: i32,
    pub changed_at: chrono::NaiveDateTime,
    pub deleted: bool,
}

pub fn page(
    _conn: &mut DbConnection,
    _dataset: crate::exports::Dataset,
    _after: i64,
    _since: Option<chrono::NaiveDateTime>,
    _limit: i64,
) -> diesel::QueryResult<Vec<Change>> {
    Ok(Vec::new())
}
