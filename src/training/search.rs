//! The public search of training programmes: what a shareable search URL means, and how it
//! is answered.
//!
//! Only published programmes whose registration has not closed, of active providers, are
//! found. The keyword goes through [`crate::db::fulltext`] as the vacancy search's does, so
//! SQLite (FTS5) and PostgreSQL (tsvector) find the same rows. Open programmes are few (tens
//! to hundreds): their few filter columns are kept in memory by [`ProgrammeCache`] with the
//! recent keyword matches, and the filters, counts, order and page are worked out here
//! (docs/decisions.md, "Programme search").

use crate::domain::ids::ProgrammeId;
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use super::programmes::{FIELDS, Status};
use super::providers::Kind;
use crate::db::DbConnection;
use crate::db::fulltext::{Index, Terms};
use crate::domain::Rupiah;
use crate::schema::{training_programmes as tp, training_providers};
use crate::search::facets::{self, Listing, Misfits, Tally};
use crate::search::place::PlaceTally;
use crate::search::query::{self, KEYWORD, PAGE};
pub use crate::search::{Count, Place};
use crate::search::{Indexed, Paging, Pairs, Query, SearchCache, Snapshot};

/// Open programmes are a few hundred at most; links stop well past them, at page 50.
pub const PAGING: Paging = Paging::new(20, 50);
/// The "starts within" choices, in days from today.
pub const STARTS_WITHIN: [u64; 3] = [30, 60, 90];

/// Free of charge, or paid by the participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    Free,
    Paid,
}

impl Cost {
    pub const ALL: [Cost; 2] = [Self::Free, Self::Paid];

    pub fn code(self) -> &'static str {
        match self {
            Self::Free => "gratis",
            Self::Paid => "berbayar",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Free => "programme.cost.free",
            Self::Paid => "programme.cost.paid",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == raw)
    }

    fn of(cost: Option<i64>) -> Self {
        if cost.is_some() {
            Self::Paid
        } else {
            Self::Free
        }
    }
}

/// A search as its URL states it. Parsing never fails: a value that means nothing is
/// dropped, and the page says what it searched for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    pub keyword: String,
    /// A vocational field's code, from [`FIELDS`].
    pub field: Option<&'static str>,
    pub kind: Option<Kind>,
    pub cost: Option<Cost>,
    /// Programmes starting within this many days from today.
    pub starts_within: Option<u64>,
    pub place: Option<Place>,
    pub page: i64,
}

impl Search {
    /// Only a keyword, first page: what another page links to.
    pub fn keyword(keyword: &str) -> Self {
        Self {
            keyword: keyword.chars().take(query::MAX_KEYWORD_CHARS).collect(),
            page: 1,
            ..Self::default()
        }
    }

    /// From a raw query string. Repeated keys keep their first value.
    pub fn from_query(raw: &str) -> Self {
        let mut search = Search {
            page: 1,
            ..Search::default()
        };
        for (key, value) in query::decode(raw) {
            let value = value.as_str();
            match key.as_str() {
                KEYWORD => search.keyword = query::keyword(value),
                "kejuruan" => {
                    search.field = FIELDS.iter().map(|f| f.0).find(|c| *c == value);
                }
                "lembaga" => search.kind = Kind::parse(value),
                "biaya" => search.cost = Cost::parse(value),
                "mulai" => {
                    search.starts_within = value.parse().ok().filter(|d| STARTS_WITHIN.contains(d));
                }
                "kecamatan" => search.place = Place::parse(value),
                PAGE => search.page = PAGING.page(value),
                _ => {}
            }
        }
        search
    }

    /// Whether anything narrows the search.
    pub fn is_filtered(&self) -> bool {
        !self.pairs().is_empty()
    }
}

impl Query for Search {
    /// The canonical, shareable form, with only the filters that are set.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        Pairs::keyword(&self.keyword)
            .with("kejuruan", self.field)
            .with("lembaga", self.kind.map(Kind::as_str))
            .with("biaya", self.cost.map(Cost::code))
            .with("mulai", self.starts_within)
            .with("kecamatan", self.place.map(Place::code))
            .build()
    }

    fn keyword(&self) -> &str {
        &self.keyword
    }

    fn page(&self) -> i64 {
        self.page
    }
}

/// The number of results each filter value would give, the others staying as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    /// Every field in [`FIELDS`] order.
    pub fields: Vec<Count<&'static str>>,
    pub kinds: Vec<Count<Kind>>,
    pub costs: Vec<Count<Cost>>,
    /// Programmes starting within each of [`STARTS_WITHIN`] days (each count includes the
    /// sooner ones).
    pub starts_within: Vec<Count<u64>>,
    pub places: Vec<Count<Place>>,
}

/// One open programme as the search sees it.
#[derive(Debug, Clone)]
struct Entry {
    id: i32,
    /// Index into [`FIELDS`]; past its end for a field no longer listed.
    field: usize,
    kind: Kind,
    cost: Cost,
    place: Place,
    starts_on: NaiveDate,
    closes_on: NaiveDate,
}

// The filters with counts, each a bit of the misfit mask.
const FIELD: usize = 0;
const KIND: usize = 1;
const COST: usize = 2;
const STARTS: usize = 3;
const PLACE: usize = 4;

#[derive(Default)]
struct Counts {
    fields: [i64; FIELDS.len()],
    kinds: [i64; Kind::ALL.len()],
    costs: [i64; Cost::ALL.len()],
    /// In the narrowest bucket each programme fits.
    starts: [i64; STARTS_WITHIN.len()],
    places: PlaceTally,
    /// The last start day of each of [`STARTS_WITHIN`].
    start_cuts: [NaiveDate; STARTS_WITHIN.len()],
}

impl Tally<Entry> for Counts {
    const FACETS: usize = 5;

    fn add(&mut self, facet: usize, e: &Entry) {
        match facet {
            FIELD => {
                if let Some(slot) = self.fields.get_mut(e.field) {
                    *slot += 1;
                }
            }
            KIND => {
                if let Some(i) = Kind::ALL.iter().position(|k| *k == e.kind) {
                    self.kinds[i] += 1;
                }
            }
            COST => {
                if let Some(i) = Cost::ALL.iter().position(|c| *c == e.cost) {
                    self.costs[i] += 1;
                }
            }
            STARTS => {
                if let Some(i) = self.start_cuts.iter().position(|cut| e.starts_on <= *cut) {
                    self.starts[i] += 1;
                }
            }
            PLACE => self.places.add(e.place),
            _ => {}
        }
    }
}

impl Counts {
    fn into_facets(self) -> Facets {
        Facets {
            fields: Count::each(FIELDS.iter().map(|f| f.0), self.fields),
            kinds: Count::each(Kind::ALL, self.kinds),
            costs: Count::each(Cost::ALL, self.costs),
            starts_within: Count::running(STARTS_WITHIN, self.starts),
            places: self.places.into_counts(),
        }
    }
}

/// The open programmes, as the search holds them.
pub struct Programmes {
    listing: Listing<Entry>,
}

type EntryRow = (
    i32,
    String,
    Kind,
    Option<i64>,
    Option<String>,
    NaiveDate,
    NaiveDate,
);

impl Indexed for Programmes {
    /// Published programmes' search text, kept by triggers (migration 000014).
    const INDEX: Index = Index {
        pg_table: "programme_search",
        pg_id: "programme_id",
        fts5_table: "programme_fts",
    };
}

impl Snapshot for Programmes {
    const VERSION_ROW: &'static str = "programmes";

    /// Every programme open for search today: published, registration not yet closed, of
    /// a provider that is still active.
    fn load(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Self> {
        let rows: Vec<EntryRow> = tp::table
            .inner_join(training_providers::table)
            .filter(tp::status.eq(Status::Published.as_str()))
            .filter(tp::registration_closes_on.ge(today))
            .filter(training_providers::is_active.eq(true))
            .select((
                tp::id,
                tp::field,
                training_providers::kind,
                tp::cost,
                tp::kelurahan_code,
                tp::starts_on,
                tp::registration_closes_on,
            ))
            .load(conn)?;
        let entries = rows
            .into_iter()
            .map(|(id, field, kind, cost, kel, starts_on, closes_on)| Entry {
                id,
                field: FIELDS
                    .iter()
                    .position(|f| f.0 == field)
                    .unwrap_or(FIELDS.len()),
                kind,
                cost: Cost::of(cost),
                place: Place::of_kelurahan(kel.as_deref()),
                starts_on,
                closes_on,
            })
            .collect();
        Ok(Self::new(entries))
    }
}

impl Programmes {
    fn new(entries: Vec<Entry>) -> Self {
        Self {
            listing: Listing::new(entries, |e| e.id),
        }
    }

    /// The counts per filter value, and every result's id in order: registration closing
    /// soonest first, then the earliest start, then the oldest programme. `matched` is the
    /// keyword's matches, or `None` when there is no keyword.
    fn select(
        &self,
        search: &Search,
        matched: Option<&[i32]>,
        today: NaiveDate,
    ) -> (Facets, Vec<i32>) {
        let starts_cut = search.starts_within.map(|days| today + Days::new(days));
        let mut tally = Counts {
            start_cuts: STARTS_WITHIN.map(|days| today + Days::new(days)),
            ..Counts::default()
        };
        let candidates = self.listing.candidates(matched);
        let mut results = facets::select(self.listing.at_positions(&candidates), &mut tally, |e| {
            let mut misfits = Misfits::default();
            misfits.mark(
                FIELD,
                search
                    .field
                    .is_some_and(|f| FIELDS.get(e.field).is_none_or(|x| x.0 != f)),
            );
            misfits.mark(KIND, search.kind.is_some_and(|k| k != e.kind));
            misfits.mark(COST, search.cost.is_some_and(|c| c != e.cost));
            misfits.mark(STARTS, starts_cut.is_some_and(|cut| e.starts_on > cut));
            misfits.mark(PLACE, search.place.is_some_and(|p| p != e.place));
            Some(misfits)
        });
        let e = |pos: &u32| self.listing.at(*pos);
        results.sort_unstable_by_key(|p| (e(p).closes_on, e(p).starts_on, e(p).id));
        (
            tally.into_facets(),
            results.iter().map(|p| e(p).id).collect(),
        )
    }
}

/// One found programme, with what a result list shows.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: ProgrammeId,
    pub title: String,
    pub provider_name: String,
    pub provider_kind: Kind,
    pub field: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i32,
    pub mode: crate::training::programmes::Mode,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub cost: Option<Rupiah>,
    pub quota: i32,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
}

pub type Results = crate::search::Results<Hit, Facets>;

/// Each instance's copy of the open programmes' filter columns, with the keyword matches
/// and vacancy-page previews found at the same version. It is replaced when the
/// `programmes` row of `search_versions` moves (triggers move it on any change the search
/// shows) or the day turns (registrations close at midnight). Without it, the box of
/// programmes beside every vacancy search cost half of that page's throughput
/// (docs/benchmarks.md).
pub type ProgrammeCache = SearchCache<Programmes, Preview>;

/// How many open programmes match, and the first few of them.
pub type Preview = (i64, Vec<Hit>);

/// Runs a search: the page's programmes, the total and the counts per filter value.
pub fn run(
    conn: &mut DbConnection,
    cache: &ProgrammeCache,
    search: &Search,
    today: NaiveDate,
) -> QueryResult<Results> {
    let programmes = cache.current(conn, today)?;
    let matched = cache.keyword_matches(conn, &programmes, &search.keyword)?;
    let (facets, ids) = programmes.select(search, matched.as_deref().map(Vec::as_slice), today);
    Ok(Results {
        total: ids.len() as i64,
        hits: load_hits(conn, PAGING.slice(search.page, &ids))?,
        facets,
        paging: PAGING,
    })
}

/// How many open programmes match a keyword, and the first `limit` of them: what the
/// vacancy search shows beside its results.
pub fn preview(
    conn: &mut DbConnection,
    cache: &ProgrammeCache,
    keyword: &str,
    today: NaiveDate,
    limit: usize,
) -> QueryResult<Arc<Preview>> {
    let terms = Terms::parse(keyword);
    if terms.is_empty() {
        return Ok(Arc::new((0, Vec::new())));
    }
    let programmes = cache.current(conn, today)?;
    cache.answer(&programmes, format!("{limit} {}", terms.fts5()), || {
        let matched = cache.matches(conn, &programmes, &terms)?;
        if matched.is_empty() {
            return Ok((0, Vec::new()));
        }
        let (_, ids) = programmes.select(&Search::keyword(keyword), Some(&matched), today);
        let first = &ids[..ids.len().min(limit)];
        Ok((ids.len() as i64, load_hits(conn, first)?))
    })
}

/// The ids of every programme open for search today, for the sitemap.
pub fn open_ids(
    conn: &mut DbConnection,
    cache: &ProgrammeCache,
    today: NaiveDate,
) -> QueryResult<Vec<ProgrammeId>> {
    let programmes = cache.current(conn, today)?;
    let (_, ids) = programmes.select(&Search::keyword(""), None, today);
    Ok(ids.into_iter().map(ProgrammeId::new).collect())
}

type HitRow = (
    (ProgrammeId, String, String, Kind, String),
    (
        NaiveDate,
        NaiveDate,
        i32,
        super::programmes::Mode,
        Option<String>,
        String,
    ),
    (Option<Rupiah>, i32, NaiveDate, NaiveDate),
);

/// These programmes, in this order.
fn load_hits(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<Hit>> {
    crate::search::load_in_order(ids, |h: &Hit| h.id.get(), |ids| read_hits(conn, ids))
}

fn read_hits(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<Hit>> {
    let rows: Vec<HitRow> = tp::table
        .inner_join(training_providers::table)
        .filter(tp::id.eq_any(ids))
        .select((
            (
                tp::id,
                tp::title,
                training_providers::name,
                training_providers::kind,
                tp::field,
            ),
            (
                tp::starts_on,
                tp::ends_on,
                tp::hours,
                tp::mode,
                tp::kelurahan_code,
                tp::regency_code,
            ),
            (
                tp::cost,
                tp::quota,
                tp::registration_opens_on,
                tp::registration_closes_on,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, b, c)| Hit {
            id: a.0,
            title: a.1,
            provider_name: a.2,
            provider_kind: a.3,
            field: a.4,
            starts_on: b.0,
            ends_on: b.1,
            hours: b.2,
            mode: b.3,
            kelurahan_code: b.4,
            regency_code: b.5,
            cost: c.0,
            quota: c.1,
            registration_opens_on: c.2,
            registration_closes_on: c.3,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn nonsense_parameters_are_dropped() {
        let s = Search::from_query(
            "q=%3Cb%3Elas&kejuruan=sihir&lembaga=pt&biaya=murah&mulai=45\
             &kecamatan=99&hal=-5&hal=7&extra=1",
        );
        assert_eq!(s.keyword, "<b>las");
        assert_eq!(s.field, None);
        assert_eq!(s.kind, None);
        assert_eq!(s.cost, None);
        assert_eq!(s.starts_within, None);
        assert_eq!(s.place, None);
        assert_eq!(s.page, 1);
        assert_eq!(s.query_string(), "q=%3Cb%3Elas");
        assert_eq!(Search::from_query("&&=&hal"), Search::keyword(""));
    }

    #[test]
    fn a_full_search_survives_its_own_url() {
        let raw = "q=las+listrik&kejuruan=las&lembaga=blk&biaya=gratis&mulai=60\
                   &kecamatan=12.75.01";
        let s = Search::from_query(&format!("{raw}&hal=3"));
        assert_eq!(s.page, 3);
        assert_eq!(s.field, Some("las"));
        assert_eq!(s.kind, Some(Kind::Blk));
        assert_eq!(s.cost, Some(Cost::Free));
        assert_eq!(s.starts_within, Some(60));
        assert!(s.is_filtered());
        assert_eq!(s.query_string(), raw);
        assert_eq!(Search::from_query(&s.page_query(3)), s);
        assert_eq!(s.page_query(1), raw, "page 1 is the plain URL");
        assert_eq!(
            Search::from_query("kecamatan=luar&lembaga=lpk&lembaga=blk").place,
            Some(Place::Outside)
        );
        assert_eq!(
            Search::from_query("lembaga=lpk&lembaga=blk").kind,
            Some(Kind::Lpk),
            "the first of a repeated key counts"
        );
        assert!(!Search::from_query("hal=2").is_filtered());
        assert_eq!(
            Search::from_query("hal=99999").page,
            PAGING.max_page,
            "deep pages stop at the last linked page"
        );
        let long = Search::from_query(&format!("q={}", "a".repeat(10_000)));
        assert_eq!(long.keyword.len(), query::MAX_KEYWORD_CHARS);
    }

    fn entry(id: i32, field: &str, kind: Kind, cost: Cost, starts: &str, closes: &str) -> Entry {
        Entry {
            id,
            field: FIELDS.iter().position(|f| f.0 == field).unwrap(),
            kind,
            cost,
            place: Place::Outside,
            starts_on: day(starts),
            closes_on: day(closes),
        }
    }

    #[test]
    fn counts_keep_the_other_filters_and_results_close_soonest_first() {
        let today = day("2027-01-01");
        let programmes = Programmes::new(vec![
            entry(1, "las", Kind::Blk, Cost::Free, "2027-03-20", "2027-03-01"),
            entry(2, "las", Kind::Lpk, Cost::Paid, "2027-01-20", "2027-01-10"),
            entry(3, "ti", Kind::Blk, Cost::Free, "2027-01-25", "2027-01-10"),
            entry(4, "las", Kind::Blk, Cost::Free, "2027-01-15", "2027-01-10"),
        ]);
        let select = |s: &Search, matched: Option<&[i32]>| programmes.select(s, matched, today);
        let (facets, ids) = select(&Search::keyword(""), None);
        assert_eq!(ids, [4, 2, 3, 1], "closing, then starting, soonest first");
        let starts: Vec<i64> = facets.starts_within.iter().map(|c| c.count).collect();
        assert_eq!(starts, [3, 3, 4]);

        let s = Search::from_query("kejuruan=las&lembaga=blk");
        let (facets, ids) = select(&s, None);
        assert_eq!(ids, [4, 1]);
        let count =
            |v: &[Count<&'static str>], f: &str| v.iter().find(|c| c.value == f).map(|c| c.count);
        // Choosing another field keeps "BLK": the BLK's IT programme.
        assert_eq!(count(&facets.fields, "ti"), Some(1));
        assert_eq!(count(&facets.fields, "las"), Some(2));
        // Choosing another kind keeps "welding": the LPK's welding programme.
        let kinds: Vec<i64> = facets.kinds.iter().map(|c| c.count).collect();
        assert_eq!(kinds, [2, 1]);
        let (_, ids) = select(&Search::keyword("x"), Some(&[3, 1]));
        assert_eq!(ids, [3, 1]);
    }
}
