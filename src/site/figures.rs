//! The headline figures and the board on the home page.
//!
//! Each feature adds its own figure here as it lands (open vacancies, placements, training
//! places); a figure is only shown once the data behind it exists. The figures are the same
//! for every visitor and change slowly, so they are counted at most once a minute per
//! process: counting on every visit made the home page the slowest page of the site
//! (docs/benchmarks.md).

use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::Role;
use crate::vacancies::search::{self, BoardCache, Facets, Hit, Search};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub label_key: &'static str,
    pub value: i64,
}

fn count_active_with_role(conn: &mut DbConnection, role: Role) -> QueryResult<i64> {
    crate::accounts::directory::count_active_with_role(conn, role)
}

/// What the home page shows of the board: the figures, the newest open vacancies, and how
/// many are open in each kecamatan and job group.
#[derive(Debug, Clone, Default)]
pub struct Headline {
    pub figures: Vec<Figure>,
    pub newest: Vec<Hit>,
    pub facets: Facets,
}

/// Newest open vacancies on the home page.
const NEWEST: usize = 6;

pub fn headline(conn: &mut DbConnection, boards: &BoardCache) -> QueryResult<Headline> {
    let board = search::run(
        conn,
        boards,
        &Search::default(),
        chrono::Utc::now().naive_utc(),
    )?;
    let mut figures = vec![Figure {
        label_key: "home.figures.open_vacancies",
        value: board.total,
    }];
    figures.extend(headline_figures(conn)?);
    let mut newest = board.hits;
    newest.truncate(NEWEST);
    Ok(Headline {
        figures,
        newest,
        facets: board.facets,
    })
}

pub fn headline_figures(conn: &mut DbConnection) -> QueryResult<Vec<Figure>> {
    let seekers = count_active_with_role(conn, Role::JobSeeker)?;
    let employers = count_active_with_role(conn, Role::Employer)?;
    Ok(vec![
        Figure {
            label_key: "home.figures.job_seekers",
            value: seekers,
        },
        Figure {
            label_key: "home.figures.employers",
            value: employers,
        },
        Figure {
            label_key: "home.figures.kelurahan",
            value: crate::reference::regions::binjai_kelurahan().count() as i64,
        },
    ])
}

const MAX_AGE: Duration = Duration::from_secs(60);

/// The last counted headline and when it was counted.
#[derive(Default)]
pub struct FiguresCache {
    latest: RwLock<Option<(Instant, Headline)>>,
    /// One count at a time: when the minute is up, a crowd of visitors must not all count.
    counting: Mutex<()>,
}

impl FiguresCache {
    /// The kept headline while it is less than a minute old.
    pub fn fresh(&self) -> Option<Headline> {
        let guard = self.latest.read().ok()?;
        let (at, headline) = guard.as_ref()?;
        (at.elapsed() < MAX_AGE).then(|| headline.clone())
    }

    /// The kept headline however old, while another request is counting a new one; `None`
    /// when nobody is counting (so this request should) or nothing was ever counted.
    pub fn stale_while_counting(&self) -> Option<Headline> {
        if self.counting.try_lock().is_ok() {
            return None;
        }
        let guard = self.latest.read().ok()?;
        guard.as_ref().map(|(_, headline)| headline.clone())
    }

    /// A fresh headline: counted here, or by the request that was counting when this one
    /// arrived.
    pub fn fresh_or_recount(
        &self,
        conn: &mut DbConnection,
        boards: &BoardCache,
    ) -> QueryResult<Headline> {
        let _counting = self.counting.lock().unwrap_or_else(|e| e.into_inner());
        match self.fresh() {
            Some(headline) => Ok(headline),
            None => self.recount(conn, boards),
        }
    }

    /// Counts again and keeps the result.
    pub fn recount(&self, conn: &mut DbConnection, boards: &BoardCache) -> QueryResult<Headline> {
        let fresh = headline(conn, boards)?;
        if let Ok(mut guard) = self.latest.write() {
            *guard = Some((Instant::now(), fresh.clone()));
        }
        Ok(fresh)
    }
}
