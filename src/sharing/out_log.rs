//! What went out to whom, by day: per Asia/Jakarta day, partner, way (an API key or a
//! partner user), data set and masking, the requests answered and the records in them.
//! The partner portal calls [`count`] after each answered page, the API's ledger
//! (`interop::ledger`) once per batch of pages; the data steward reads [`for_days`] on
//! `/petugas/mitra/log`. Owns `sharing_out_log`.
//!
//! A count, not a row per request: the API's target is thousands of pages a second, and
//! the audit log already holds each read of unmasked personal data.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::{ApiKeyId, Dataset, PartnerId};
use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::schema::{api_keys, partners, sharing_out_log as log};

/// The way records went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    Key(ApiKeyId),
    User(UserId),
    /// The push to the national system (`national::push`).
    Sync,
}

impl Via {
    fn stored(self) -> (&'static str, i32) {
        match self {
            Self::Key(id) => ("key", id.get()),
            Self::User(id) => ("user", id.get()),
            Self::Sync => ("sync", 0),
        }
    }

    fn from_stored(via: &str, id: i32) -> Self {
        match via {
            "key" => Self::Key(ApiKeyId::new(id)),
            "sync" => Self::Sync,
            _ => Self::User(UserId::new(id)),
        }
    }
}

/// What a count is kept by: one row per Asia/Jakarta day, partner, way, data set and
/// masking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Channel {
    pub day: NaiveDate,
    pub partner: PartnerId,
    pub via: Via,
    pub dataset: Dataset,
    pub unmasked: bool,
}

/// Counts `requests` answered requests that sent `records` records in all on `channel`:
/// the first count of the day inserts its row, the next add to it.
pub fn count(
    conn: &mut DbConnection,
    channel: Channel,
    requests: u64,
    records: u64,
) -> QueryResult<()> {
    let (way, way_id) = channel.via.stored();
    let requests = i64::try_from(requests).unwrap_or(i64::MAX);
    let records = i64::try_from(records).unwrap_or(i64::MAX);
    crate::with_backend!(conn, |c| diesel::insert_into(log::table)
        .values((
            log::day.eq(channel.day),
            log::partner_id.eq(channel.partner),
            log::via.eq(way),
            log::via_id.eq(way_id),
            log::dataset.eq(channel.dataset),
            log::unmasked.eq(channel.unmasked),
            log::requests.eq(requests),
            log::records.eq(records),
        ))
        .on_conflict((
            log::day,
            log::partner_id,
            log::via,
            log::via_id,
            log::dataset,
            log::unmasked,
        ))
        .do_update()
        .set((
            log::requests.eq(log::requests + excluded(log::requests)),
            log::records.eq(log::records + excluded(log::records)),
        ))
        .execute(c))
    .map(|_| ())
}

/// One row of the log, with the names the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub day: NaiveDate,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub via: Via,
    /// A key's label and public prefix, or a user's name (empty for a deleted account).
    pub via_name: String,
    pub dataset: Dataset,
    pub unmasked: bool,
    pub requests: i64,
    pub records: i64,
}

/// The log from `from` to `to` (both included), newest day first, for one partner or all.
pub fn for_days(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    partner: Option<PartnerId>,
) -> QueryResult<Vec<Line>> {
    let mut query = log::table
        .inner_join(partners::table)
        .filter(log::day.ge(from))
        .filter(log::day.le(to))
        .into_boxed();
    if let Some(partner) = partner {
        query = query.filter(log::partner_id.eq(partner));
    }
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        NaiveDate,
        PartnerId,
        String,
        String,
        i32,
        Dataset,
        bool,
        i64,
        i64,
    )> = query
        .select((
            log::day,
            log::partner_id,
            partners::name,
            log::via,
            log::via_id,
            log::dataset,
            log::unmasked,
            log::requests,
            log::records,
        ))
        .order((
            log::day.desc(),
            partners::name,
            log::via,
            log::via_id,
            log::dataset,
            log::unmasked,
        ))
        .load(conn)?;
    let names = via_names(conn, rows.iter().map(|r| Via::from_stored(&r.3, r.4)))?;
    Ok(rows
        .into_iter()
        .map(
            |(day, partner_id, partner_name, way, way_id, dataset, unmasked, requests, records)| {
                let via = Via::from_stored(&way, way_id);
                Line {
                    day,
                    partner_id,
                    partner_name,
                    via_name: names.get(&via).cloned().unwrap_or_default(),
                    via,
                    dataset,
                    unmasked,
                    requests,
                    records,
                }
            },
        )
        .collect())
}

/// The names of keys (label and prefix) and users, two queries for the whole page.
fn via_names(
    conn: &mut DbConnection,
    ways: impl Iterator<Item = Via>,
) -> QueryResult<HashMap<Via, String>> {
    let (mut keys, mut users) = (Vec::new(), Vec::new());
    for via in ways {
        match via {
            Via::Key(id) if !keys.contains(&id) => keys.push(id),
            Via::User(id) if !users.contains(&id) => users.push(id),
            _ => {}
        }
    }
    let mut names = HashMap::new();
    let labelled: Vec<(ApiKeyId, String, String)> = api_keys::table
        .filter(api_keys::id.eq_any(&keys))
        .select((api_keys::id, api_keys::label, api_keys::prefix))
        .load(conn)?;
    for (id, label, prefix) in labelled {
        names.insert(Via::Key(id), format!("{label} (sibuser_{prefix}_…)"));
    }
    for (id, contact) in crate::accounts::directory::contacts(conn, &users)? {
        names.insert(Via::User(id), contact.full_name);
    }
    Ok(names)
}
