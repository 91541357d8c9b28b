//! Each instance's copy of the open entries of one kind, replaced when the database says
//! they changed, with the keyword matches (and any other answers) found at that version.
//!
//! The copy is never stale: triggers move the kind's row of `search_versions` whenever an
//! entry the search shows changes, and each search reads that one row first, so a change
//! made by any instance, a worker or a script is seen by the next search everywhere. A new
//! day needs a new copy too: entries that closed yesterday leave the list.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, RwLock};

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::fulltext::{self, Index, Terms};
use crate::schema::search_versions;

/// The open entries of one kind, as a search holds them in memory.
pub trait Snapshot: Sized {
    /// The row of `search_versions` that moves when they change.
    const VERSION_ROW: &'static str;

    /// Everything open for search on `today`.
    fn load(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Self>;
}

/// Entries whose keyword goes through a full-text index.
pub trait Indexed: Snapshot {
    const INDEX: Index;
}

/// A snapshot with the version and day it was loaded at.
pub struct Versioned<S> {
    pub version: i64,
    pub day: NaiveDate,
    pub data: S,
}

impl<S> Deref for Versioned<S> {
    type Target = S;
    fn deref(&self) -> &S {
        &self.data
    }
}

/// The open entries of `S` and, at their version, the keyword matches and answers of type
/// `A` (for example a preview another page shows) that searches found.
pub struct SearchCache<S, A = ()> {
    current: RwLock<Option<Arc<Versioned<S>>>>,
    /// One load at a time; the others wait for it rather than load the same rows again.
    loading: Mutex<()>,
    /// People search for the same few words ("admin", "kasir", "las") over and over, and
    /// the answer only changes with the version; on PostgreSQL the match is most of a
    /// search's cost (docs/benchmarks.md).
    matches: Memo<Arc<Vec<i32>>>,
    answers: Memo<Arc<A>>,
}

impl<S, A> Default for SearchCache<S, A> {
    fn default() -> Self {
        Self::new(0)
    }
}

impl<S, A> SearchCache<S, A> {
    /// With room for `capacity` keywords (0: match every search afresh).
    pub fn new(capacity: usize) -> Self {
        Self {
            current: RwLock::new(None),
            loading: Mutex::new(()),
            matches: Memo::new(capacity),
            answers: Memo::new(capacity),
        }
    }

    fn kept(&self, version: i64, today: NaiveDate) -> Option<Arc<Versioned<S>>> {
        let guard = self.current.read().ok()?;
        let kept = guard.as_ref()?;
        (kept.version == version && kept.day == today).then(|| kept.clone())
    }

    /// The answer kept under `key` at the snapshot's version, or `compute`'s (kept).
    pub fn answer(
        &self,
        snapshot: &Versioned<S>,
        key: String,
        compute: impl FnOnce() -> QueryResult<A>,
    ) -> QueryResult<Arc<A>> {
        self.answers
            .get_or(snapshot.version, key, || compute().map(Arc::new))
    }
}

impl<S: Snapshot, A> SearchCache<S, A> {
    /// The open entries as the database has them now.
    pub fn current(
        &self,
        conn: &mut DbConnection,
        today: NaiveDate,
    ) -> QueryResult<Arc<Versioned<S>>> {
        let version: i64 = search_versions::table
            .find(S::VERSION_ROW)
            .select(search_versions::version)
            .first(conn)?;
        if let Some(kept) = self.kept(version, today) {
            return Ok(kept);
        }
        let _loading = self.loading.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = self.kept(version, today) {
            return Ok(kept);
        }
        let loaded = Arc::new(Versioned {
            version,
            day: today,
            data: S::load(conn, today)?,
        });
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(loaded.clone());
        }
        Ok(loaded)
    }
}

impl<S: Indexed, A> SearchCache<S, A> {
    /// The ids matching `terms` at the snapshot's version.
    pub fn matches(
        &self,
        conn: &mut DbConnection,
        snapshot: &Versioned<S>,
        terms: &Terms,
    ) -> QueryResult<Arc<Vec<i32>>> {
        self.matches.get_or(snapshot.version, terms.fts5(), || {
            fulltext::matching_ids(conn, &S::INDEX, terms).map(Arc::new)
        })
    }

    /// The ids matching the keyword, or `None` when it has no words to search for.
    pub fn keyword_matches(
        &self,
        conn: &mut DbConnection,
        snapshot: &Versioned<S>,
        keyword: &str,
    ) -> QueryResult<Option<Arc<Vec<i32>>>> {
        let terms = Terms::parse(keyword);
        if terms.is_empty() {
            return Ok(None);
        }
        self.matches(conn, snapshot, &terms).map(Some)
    }
}

/// Answers by key, kept for one version at a time.
struct Memo<V> {
    capacity: usize,
    kept: Mutex<(i64, HashMap<String, V>)>,
}

impl<V: Clone> Memo<V> {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            kept: Mutex::new((0, HashMap::new())),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (i64, HashMap<String, V>)> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get_or(
        &self,
        version: i64,
        key: String,
        find: impl FnOnce() -> QueryResult<V>,
    ) -> QueryResult<V> {
        {
            let mut kept = self.lock();
            if kept.0 != version {
                *kept = (version, HashMap::new());
            }
            if let Some(found) = kept.1.get(&key) {
                return Ok(found.clone());
            }
        }
        // Found outside the lock: a slow match never holds up other searches.
        let found = find()?;
        let mut kept = self.lock();
        // Only what was found at the version still kept; when full, start again rather
        // than track ages: the common words come back at once.
        if self.capacity > 0 && kept.0 == version {
            if kept.1.len() >= self.capacity {
                kept.1.clear();
            }
            kept.1.insert(key, found.clone());
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(memo: &Memo<i32>, version: i64, key: &str, calls: &mut i32) -> i32 {
        memo.get_or(version, key.to_owned(), || {
            *calls += 1;
            Ok(*calls)
        })
        .unwrap()
    }

    #[test]
    fn answers_are_kept_for_their_version_only() {
        let memo = Memo::new(2);
        let mut calls = 0;
        assert_eq!(counted(&memo, 1, "kasir", &mut calls), 1);
        assert_eq!(counted(&memo, 1, "kasir", &mut calls), 1, "kept");
        assert_eq!(
            counted(&memo, 2, "kasir", &mut calls),
            2,
            "a new version asks again"
        );
        assert_eq!(counted(&memo, 2, "las", &mut calls), 3);
        assert_eq!(
            counted(&memo, 2, "admin", &mut calls),
            4,
            "full: starts again"
        );
        assert_eq!(counted(&memo, 2, "admin", &mut calls), 4);
        assert_eq!(counted(&memo, 2, "kasir", &mut calls), 5);
    }

    #[test]
    fn no_room_keeps_nothing() {
        let memo = Memo::new(0);
        let mut calls = 0;
        counted(&memo, 1, "kasir", &mut calls);
        assert_eq!(counted(&memo, 1, "kasir", &mut calls), 2);
    }
}
