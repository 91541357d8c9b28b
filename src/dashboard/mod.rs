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
use crate::ipk::series::MonthlyRow;

pub use figures::{Figures, Measure, Who, kecamatan_of};
pub use pages::page;

/// The ledger's part of the figures, kept while the ledger has not grown: summing years of
/// facts is the dashboard's one slow step, and a fact once written never changes.
///
/// The sums of closed months are kept apart, until another month is closed: a closed month
/// takes no more facts, so when the ledger grows only the months after it are summed
/// again (a month or two of facts instead of years).
#[derive(Default)]
pub struct DashboardCache {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The sums of every month through the latest closed one.
    closed: Option<(Month, Arc<Vec<MonthlyRow>>)>,
    figures: Option<KeptFigures>,
}

struct KeptFigures {
    window: (Month, Month),
    through: Option<Month>,
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
        let through = crate::ipk::period::closed_through(conn)?.filter(|m| *m < last);
        let ledger = {
            // One count at a time: the others wait for it rather than count too.
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            match kept.figures.as_ref() {
                Some(k)
                    if k.window == (first, last)
                        && k.through == through
                        && k.newest == newest
                        && k.at.elapsed() < MAX_AGE =>
                {
                    k.figures.clone()
                }
                _ => {
                    let closed = match (through, kept.closed.take()) {
                        (Some(t), Some((m, rows))) if m == t => Some((t, rows)),
                        (Some(t), _) => Some((t, Arc::new(figures::ledger_sums(conn, None, t)?))),
                        (None, _) => None,
                    };
                    let open = figures::ledger_sums(conn, through.map(Month::next), last)?;
                    let closed_rows = closed.as_ref().map(|(_, rows)| rows.iter());
                    let ledger = Arc::new(figures::ledger_figures(
                        first,
                        last,
                        closed_rows.into_iter().flatten().chain(&open),
                    ));
                    kept.closed = closed;
                    kept.figures = Some(KeptFigures {
                        window: (first, last),
                        through,
                        newest,
                        at: Instant::now(),
                        figures: ledger.clone(),
                    });
                    ledger
                }
            }
        };
        figures::count(conn, first, last, &ledger)
    }
}
