//! What the pull has seen (docs/national-sync.md §4): where each set stands
//! (`sync_pull_state`: the national side's cursor, a lease so that one instance pulls a set
//! at a time, how the last pull went), and each national record by its external id
//! (`sync_pulled`): the local record it became, or why it waits for the data steward.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::contract::PullSet;
use crate::db::{DbConnection, StoredTime};
use crate::domain::ids::UserId;
use crate::schema::{sync_pull_state, sync_pulled};

/// Takes the set for one pull until `now + lease`; false when another instance holds it.
pub fn take(
    conn: &mut DbConnection,
    set: PullSet,
    token: &str,
    lease: Duration,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    ensure(conn, set)?;
    let n = diesel::update(
        sync_pull_state::table
            .filter(sync_pull_state::set_name.eq(set.as_str()))
            .filter(
                sync_pull_state::lease_until
                    .is_null()
                    .or(sync_pull_state::lease_until.lt(now))
                    .or(sync_pull_state::lease_token.eq(token)),
            ),
    )
    .set((
        sync_pull_state::lease_token.eq(token),
        sync_pull_state::lease_until.eq(now + lease),
        sync_pull_state::last_attempt_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

fn ensure(conn: &mut DbConnection, set: PullSet) -> QueryResult<()> {
    let known: i64 = sync_pull_state::table
        .filter(sync_pull_state::set_name.eq(set.as_str()))
        .count()
        .get_result(conn)?;
    if known == 0 {
        // Two instances starting together: the second insert fails on the key, and the
        // row is there all the same.
        let _ = diesel::insert_into(sync_pull_state::table)
            .values(sync_pull_state::set_name.eq(set.as_str()))
            .execute(conn);
    }
    Ok(())
}

/// Where the last answer stopped.
pub fn cursor(conn: &mut DbConnection, set: PullSet) -> QueryResult<Option<String>> {
    Ok(sync_pull_state::table
        .filter(sync_pull_state::set_name.eq(set.as_str()))
        .select(sync_pull_state::cursor)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// An answer was applied: the next pull continues after it.
pub fn advance(
    conn: &mut DbConnection,
    set: PullSet,
    token: &str,
    cursor: Option<&str>,
    items: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        sync_pull_state::table
            .filter(sync_pull_state::set_name.eq(set.as_str()))
            .filter(sync_pull_state::lease_token.eq(token)),
    )
    .set((
        sync_pull_state::cursor.eq(cursor),
        sync_pull_state::items.eq(sync_pull_state::items + items),
        sync_pull_state::last_success_at.eq(now),
        sync_pull_state::last_error.eq(None::<String>),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Ends the pull of a set: the lease goes, with the error when it failed.
pub fn release(
    conn: &mut DbConnection,
    set: PullSet,
    token: &str,
    error: Option<&str>,
) -> QueryResult<()> {
    let q = sync_pull_state::table
        .filter(sync_pull_state::set_name.eq(set.as_str()))
        .filter(sync_pull_state::lease_token.eq(token));
    match error {
        Some(e) => diesel::update(q)
            .set((
                sync_pull_state::lease_token.eq(None::<String>),
                sync_pull_state::lease_until.eq(None::<NaiveDateTime>),
                sync_pull_state::last_error.eq(e),
            ))
            .execute(conn),
        None => diesel::update(q)
            .set((
                sync_pull_state::lease_token.eq(None::<String>),
                sync_pull_state::lease_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn),
    }
    .map(|_| ())
}

/// How the pull of one set stands, for the sync page and `sibuser sync status`.
#[derive(Debug, Clone)]
pub struct SetState {
    pub set: PullSet,
    pub items: i64,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_success_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

pub fn states(conn: &mut DbConnection) -> QueryResult<Vec<SetState>> {
    type Row = (
        String,
        i64,
        Option<StoredTime>,
        Option<StoredTime>,
        Option<String>,
    );
    let rows: Vec<Row> = sync_pull_state::table
        .select((
            sync_pull_state::set_name,
            sync_pull_state::items,
            sync_pull_state::last_attempt_at,
            sync_pull_state::last_success_at,
            sync_pull_state::last_error,
        ))
        .load(conn)?;
    Ok(PullSet::ALL
        .into_iter()
        .map(|set| {
            let row = rows.iter().find(|r| r.0 == set.as_str());
            SetState {
                set,
                items: row.map_or(0, |r| r.1),
                last_attempt_at: row.and_then(|r| r.2.map(|t| t.0)),
                last_success_at: row.and_then(|r| r.3.map(|t| t.0)),
                last_error: row.and_then(|r| r.4.clone()),
            }
        })
        .collect())
}

/// Where a national record stands in the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// It is the local record `local_id` (made from it, or found by NIK or NIB).
    Merged,
    /// It names a local record that disagrees (field, local and national values): the data
    /// steward decides.
    Conflict,
    /// It failed the checks (problem, field): nothing was written.
    Parked,
    /// The data steward refused it: later versions are not applied either.
    Rejected,
    /// The national side withdrew it; the local record stays (statistics of past months
    /// never change).
    Withdrawn,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Merged => "merged",
            Self::Conflict => "conflict",
            Self::Parked => "parked",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    fn parse(raw: &str) -> Self {
        match raw {
            "merged" => Self::Merged,
            "conflict" => Self::Conflict,
            "rejected" => Self::Rejected,
            "withdrawn" => Self::Withdrawn,
            _ => Self::Parked,
        }
    }
}

/// The data steward's decision on a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The national side is right: merge, its facts replacing ours.
    TakeNational,
    /// The same person or company, and ours is right: merge, keeping our facts.
    KeepLocal,
    /// Not the same, or wrong: not merged, now or in later versions.
    Rejected,
}

impl Resolution {
    pub const ALL: [Resolution; 3] = [Self::TakeNational, Self::KeepLocal, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TakeNational => "take_national",
            Self::KeepLocal => "keep_local",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// One national record as the pull left it.
#[derive(Debug, Clone)]
pub struct Pulled {
    pub id: i32,
    pub set: PullSet,
    pub external_id: String,
    pub version: i64,
    pub state: State,
    pub local_id: Option<i32>,
    /// The national record, while it waits.
    pub record: Option<String>,
    /// A translation key: why it waits.
    pub problem: Option<String>,
    pub field: Option<String>,
    pub local_value: Option<String>,
    pub national_value: Option<String>,
    pub resolution: Option<Resolution>,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolution_note: Option<String>,
    pub pulled_at: NaiveDateTime,
}

type Row = (
    (
        i32,
        String,
        String,
        i64,
        String,
        Option<i32>,
        Option<String>,
    ),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    (
        Option<String>,
        Option<UserId>,
        Option<StoredTime>,
        Option<String>,
        StoredTime,
    ),
);

macro_rules! columns {
    () => {
        (
            (
                sync_pulled::id,
                sync_pulled::set_name,
                sync_pulled::external_id,
                sync_pulled::version,
                sync_pulled::state,
                sync_pulled::local_id,
                sync_pulled::record,
            ),
            (
                sync_pulled::problem,
                sync_pulled::field,
                sync_pulled::local_value,
                sync_pulled::national_value,
            ),
            (
                sync_pulled::resolution,
                sync_pulled::resolved_by,
                sync_pulled::resolved_at,
                sync_pulled::resolution_note,
                sync_pulled::pulled_at,
            ),
        )
    };
}

fn from_row((a, b, c): Row) -> Option<Pulled> {
    Some(Pulled {
        id: a.0,
        set: PullSet::parse(&a.1)?,
        external_id: a.2,
        version: a.3,
        state: State::parse(&a.4),
        local_id: a.5,
        record: a.6,
        problem: b.0,
        field: b.1,
        local_value: b.2,
        national_value: b.3,
        resolution: c.0.as_deref().and_then(Resolution::parse),
        resolved_by: c.1,
        resolved_at: c.2.map(|t| t.0),
        resolution_note: c.3,
        pulled_at: c.4.0,
    })
}

pub fn find(
    conn: &mut DbConnection,
    set: PullSet,
    external_id: &str,
) -> QueryResult<Option<Pulled>> {
    let row: Option<Row> = sync_pulled::table
        .filter(sync_pulled::set_name.eq(set.as_str()))
        .filter(sync_pulled::external_id.eq(external_id))
        .select(columns!())
        .first(conn)
        .optional()?;
    Ok(row.and_then(from_row))
}

pub fn find_by_id(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Pulled>> {
    let row: Option<Row> = sync_pulled::table
        .find(id)
        .select(columns!())
        .first(conn)
        .optional()?;
    Ok(row.and_then(from_row))
}

/// Why a record waits: what the page shows.
#[derive(Debug, Clone, Default)]
pub struct Waiting {
    pub problem: &'static str,
    pub field: Option<String>,
    pub local_value: Option<String>,
    pub national_value: Option<String>,
}

/// What became of a national record this time.
#[derive(Debug, Clone)]
pub enum Landing {
    Merged(i32),
    Conflict(Waiting),
    Parked(Waiting),
    Withdrawn,
}

/// Writes where a national record stands after this pull; `record` is kept only while it
/// waits. A decision the data steward made stays with it.
pub fn land(
    conn: &mut DbConnection,
    set: PullSet,
    external_id: &str,
    version: i64,
    record: &str,
    landing: &Landing,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (state, local_id, waiting) = match landing {
        Landing::Merged(id) => (State::Merged, Some(*id), None),
        Landing::Conflict(w) => (State::Conflict, None, Some(w)),
        Landing::Parked(w) => (State::Parked, None, Some(w)),
        Landing::Withdrawn => (State::Withdrawn, None, None),
    };
    let record = waiting.map(|_| record);
    let values = (
        sync_pulled::version.eq(version),
        sync_pulled::state.eq(state.as_str()),
        sync_pulled::record.eq(record),
        sync_pulled::problem.eq(waiting.map(|w| w.problem)),
        sync_pulled::field.eq(waiting.and_then(|w| w.field.as_deref())),
        sync_pulled::local_value.eq(waiting.and_then(|w| w.local_value.as_deref())),
        sync_pulled::national_value.eq(waiting.and_then(|w| w.national_value.as_deref())),
        sync_pulled::pulled_at.eq(now),
    );
    let q = sync_pulled::table
        .filter(sync_pulled::set_name.eq(set.as_str()))
        .filter(sync_pulled::external_id.eq(external_id));
    let updated = match local_id {
        // A withdrawn or waiting record keeps the local record it had become.
        Some(id) => diesel::update(q)
            .set((values, sync_pulled::local_id.eq(id)))
            .execute(conn)?,
        None => diesel::update(q).set(values).execute(conn)?,
    };
    if updated == 0 {
        diesel::insert_into(sync_pulled::table)
            .values((
                sync_pulled::set_name.eq(set.as_str()),
                sync_pulled::external_id.eq(external_id),
                values,
                sync_pulled::local_id.eq(local_id),
                sync_pulled::first_pulled_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records the data steward's decision on a waiting record; false when it no longer waits.
pub fn resolve(
    conn: &mut DbConnection,
    id: i32,
    resolution: Resolution,
    by: UserId,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let q = sync_pulled::table
        .filter(sync_pulled::id.eq(id))
        .filter(sync_pulled::state.eq_any([State::Conflict.as_str(), State::Parked.as_str()]));
    let set = (
        sync_pulled::resolution.eq(resolution.as_str()),
        sync_pulled::resolved_by.eq(by),
        sync_pulled::resolved_at.eq(now),
        sync_pulled::resolution_note.eq(note),
    );
    let n = if resolution == Resolution::Rejected {
        diesel::update(q)
            .set((
                set,
                sync_pulled::state.eq(State::Rejected.as_str()),
                sync_pulled::record.eq(None::<String>),
            ))
            .execute(conn)?
    } else {
        diesel::update(q).set(set).execute(conn)?
    };
    Ok(n == 1)
}

/// Records waiting for the data steward (conflicts and parked), latest first.
pub fn waiting(
    conn: &mut DbConnection,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Pulled>, i64)> {
    let states = [State::Conflict.as_str(), State::Parked.as_str()];
    let total = sync_pulled::table
        .filter(sync_pulled::state.eq_any(states))
        .count()
        .get_result(conn)?;
    let rows: Vec<Row> = sync_pulled::table
        .filter(sync_pulled::state.eq_any(states))
        .order((sync_pulled::pulled_at.desc(), sync_pulled::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(columns!())
        .load(conn)?;
    Ok((rows.into_iter().filter_map(from_row).collect(), total))
}

/// How many national records stand in each state, by set.
pub fn counts(conn: &mut DbConnection) -> QueryResult<Vec<(PullSet, State, i64)>> {
    let rows: Vec<(String, String, i64)> = sync_pulled::table
        .group_by((sync_pulled::set_name, sync_pulled::state))
        .select((
            sync_pulled::set_name,
            sync_pulled::state,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(set, state, n)| Some((PullSet::parse(&set)?, State::parse(&state), n)))
        .collect())
}
