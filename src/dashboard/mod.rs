//! The staff dashboard (`/petugas/dasbor`): the month-by-month picture of the labour
//! market over three years, for every role of the Dinas's staff. Job seekers registered
//! (AK/I cards issued) and on the register, open positions and placements from the IPK
//! ledger; training completions, JKP follow-ups and WLKP reports filed from their owners.
//! Narrowed by kecamatan and by sex, drawn as SVG charts on the server, each with its table.
//!
//! Aggregates only: no person is named, so reading it writes nothing to the audit log.

mod figures;
mod pages;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::QueryResult;

use crate::db::DbConnection;
use crate::ipk::Month;

pub use figures::{Figures, Measure, Who, kecamatan_of};
pub use pages::page;

/// The ledger's part of the figures, kept while the ledger has not grown: summing years of
/// facts is the dashboard's one slow step, and a fact once written never changes.
#[derive(Default)]
pub struct DashboardCache {
    kept: Mutex<Option<Kept>>,
}

struct Kept {
    window: (Month, Month),
    newest: Option<i32>,
    at: Instant,
    figures: Arc<Figures>,
}

/// Counted again after this long even if no fact was added: on PostgreSQL a fact with a
/// lower id can commit after a higher one was read, and this bounds how long it is missed.
const MAX_AGE: Duration = Duration::from_secs(600);

impl DashboardCache {
    /// Every measure for months `first..=last`.
    pub fn figures(
        &self,
        conn: &mut DbConnection,
        first: Month,
        last: Month,
    ) -> QueryResult<Figures> {
        let newest = crate::ipk::series::newest_fact(conn)?;
        let ledger = {
            // One count at a time: the others wait for it rather than count too.
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            match kept.as_ref() {
                Some(k)
                    if k.window == (first, last)
                        && k.newest == newest
                        && k.at.elapsed() < MAX_AGE =>
                {
                    k.figures.clone()
                }
                _ => {
                    let figures = Arc::new(figures::from_ledger(conn, first, last)?);
                    *kept = Some(Kept {
                        window: (first, last),
                        newest,
                        at: Instant::now(),
                        figures: figures.clone(),
                    });
                    figures
                }
            }
        };
        figures::count(conn, first, last, &ledger)
    }
}
