//! The change feed of the eight shared data sets: each record's latest change, with a
//! `seq` that only rises, so a consumer pages by `seq` and a record changed while it pages
//! moves to the end and is seen again. Triggers on the owners' tables keep
//! `record_versions` in the writing transaction (migration `2026-12-10-000030`); this
//! module only reads it. A record whose row is gone, or whose person was anonymised, is
//! `deleted`: the API sends it as a tombstone.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, StoredTime};
use crate::exports::Dataset;
use crate::schema::record_versions;

/// One record's latest change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub record_id: i32,
    pub changed_at: NaiveDateTime,
    pub deleted: bool,
}

diesel::define_sql_function!(
    /// PostgreSQL only (migration `2026-12-11-000010`): the lowest `seq` a transaction still
    /// running anywhere on the server can write. Only rows below it are served: a
    /// transaction still running has a higher id, hence (by how `seq` is made from it) a
    /// higher `seq` than any row served, so its rows land above every consumer's cursor
    /// when it commits. The snapshot is the whole cluster's, so a long transaction anywhere
    /// holds the feed back until it ends (rows are late, never lost). SQLite has one
    /// writer: the order of `seq` is the order of commits.
    fn feed_horizon() -> diesel::sql_types::BigInt
);

/// Changes of one data set after `after` (a seq; 0 for the start), changed at or after
/// `since` when given, in seq order, at most `limit`; on PostgreSQL only those below
/// [`feed_horizon`], so a late commit is never skipped by a consumer who already paged
/// past its seq. Each of the four shapes is a plain statement, prepared once per
/// connection.
pub fn page(
    conn: &mut DbConnection,
    dataset: Dataset,
    after: i64,
    since: Option<NaiveDateTime>,
    limit: i64,
) -> QueryResult<Vec<Change>> {
    let settled = matches!(conn, DbConnection::Pg(_));
    let base = record_versions::table
        .filter(record_versions::dataset.eq(dataset.as_str()))
        .filter(record_versions::seq.gt(after));
    macro_rules! load {
        ($q:expr) => {
            $q.order(record_versions::seq)
                .limit(limit)
                .select((
                    record_versions::seq,
                    record_versions::record_id,
                    record_versions::changed_at,
                    record_versions::deleted,
                ))
                .load::<(i64, i32, StoredTime, bool)>(conn)
        };
    }
    let rows = match (since, settled) {
        (None, false) => load!(base)?,
        (None, true) => load!(base.filter(record_versions::seq.lt(feed_horizon())))?,
        (Some(since), false) => load!(base.filter(record_versions::changed_at.ge(since)))?,
        (Some(since), true) => load!(
            base.filter(record_versions::changed_at.ge(since))
                .filter(record_versions::seq.lt(feed_horizon()))
        )?,
    };
    Ok(rows
        .into_iter()
        .map(|(seq, record_id, changed_at, deleted)| Change {
            seq,
            record_id,
            changed_at: changed_at.0,
            deleted,
        })
        .collect())
}

/// The highest seq a consumer can be at now for the data set (for an empty page's next
/// cursor); 0 when none.
pub fn head(conn: &mut DbConnection, dataset: Dataset) -> QueryResult<i64> {
    let settled = matches!(conn, DbConnection::Pg(_));
    let q = record_versions::table.filter(record_versions::dataset.eq(dataset.as_str()));
    let top: Option<i64> = if settled {
        q.filter(record_versions::seq.lt(feed_horizon()))
            .select(diesel::dsl::max(record_versions::seq))
            .first(conn)?
    } else {
        q.select(diesel::dsl::max(record_versions::seq))
            .first(conn)?
    };
    Ok(top.unwrap_or(0))
}
