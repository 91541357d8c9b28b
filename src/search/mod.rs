//! The faceted-search engine that every public list of open things uses (vacancies and
//! training programmes today; national vacancies and job fairs next). It knows no feature:
//! a feature brings its entries, its filters and its hits, and gets
//!
//! - [`query`]: a search as a shareable URL, decoded leniently and encoded canonically;
//! - [`facets`]: the one pass over the open entries that finds the results and counts, for
//!   each filter value, the results choosing it would give;
//! - [`paging`]: pages of a result list;
//! - [`cache`]: each instance's copy of the open entries and of the recent keyword matches,
//!   replaced when the database's version of them moves;
//! - [`place`]: where an entry is (a kecamatan of Binjai, or outside), a filter they share;
//! - [`view`]: what every search page shows the same way.
//!
//! The pages' filter panel and pagination are `templates/partials/listing.html`, fed by
//! [`crate::web::filters`] and [`crate::web::pagination`].

pub mod cache;
pub mod facets;
pub mod paging;
pub mod place;
pub mod query;
pub mod view;

pub use cache::{Indexed, SearchCache, Snapshot, Versioned};
pub use facets::{Choice, Count, Listing, Misfits, Tally};
pub use paging::Paging;
pub use place::Place;
pub use query::{Pairs, Query};
pub use view::ListPage;

/// What a search found: how many results, the asked page of them, and the counts per
/// filter value.
#[derive(Debug, Clone)]
pub struct Results<H, F> {
    pub total: i64,
    pub hits: Vec<H>,
    pub facets: F,
    pub paging: Paging,
}

impl<H, F> Results<H, F> {
    /// How many pages the results fill (at least one, at most the last linked page).
    pub fn pages(&self) -> i64 {
        self.paging.pages(self.total)
    }
}

/// The hits with these ids, read by `read` (in any order), in the order of `ids` (the
/// page's order); no read at all for no ids.
pub fn load_in_order<H>(
    ids: &[i32],
    id: impl Fn(&H) -> i32,
    read: impl FnOnce(&[i32]) -> diesel::QueryResult<Vec<H>>,
) -> diesel::QueryResult<Vec<H>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut hits = read(ids)?;
    hits.sort_by_key(|h| ids.iter().position(|i| *i == id(h)));
    Ok(hits)
}
