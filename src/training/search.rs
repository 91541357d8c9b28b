//! The public search of training programmes: what a shareable search URL means, and how it
//! is answered.
//!
//! Only published programmes whose registration has not closed, of active providers, are
//! found. The keyword goes through [`crate::db::fulltext`] as the vacancy search's does, so
//! SQLite (FTS5) and PostgreSQL (tsvector) find the same rows. Open programmes are few (tens
//! to hundreds): their few filter columns are kept in memory by [`ProgrammeCache`] with the
//! recent keyword matches, and the filters, counts, order and page are worked out here
//! (docs/decisions.md, "Programme search").

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use super::programmes::{FIELDS, Status};
use super::providers::Kind;
use crate::db::DbConnection;
use crate::db::fulltext::{self, Index, Terms};
use crate::reference::regions;
use crate::schema::{training_programmes as tp, training_providers};
pub use crate::vacancies::search::{Count, Place};

/// Published programmes' search text, kept by triggers (migration 000014).
const PROGRAMMES: Index = Index {
    pg_table: "programme_search",
    pg_id: "programme_id",
    fts5_table: "programme_fts",
};

pub const PER_PAGE: i64 = 20;
/// Open programmes are a few hundred at most; links stop well past them.
pub const MAX_PAGE: i64 = 50;
/// The shown keyword is cut to this many characters; the search itself uses a few words.
const MAX_KEYWORD_CHARS: usize = 200;
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
            keyword: keyword.chars().take(MAX_KEYWORD_CHARS).collect(),
            page: 1,
            ..Self::default()
        }
    }

    /// From a raw query string. Repeated keys keep their first value.
    pub fn from_query(query: &str) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let mut search = Search {
            page: 1,
            ..Search::default()
        };
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in &pairs {
            if seen.contains(&key.as_str()) {
                continue;
            }
            seen.push(key);
            let value = value.trim();
            match key.as_str() {
                "q" => search.keyword = crate::web::forms::search_keyword(value, MAX_KEYWORD_CHARS),
                "kejuruan" => {
                    search.field = FIELDS.iter().map(|f| f.0).find(|c| *c == value);
                }
                "lembaga" => search.kind = Kind::parse(value),
                "biaya" => search.cost = Cost::parse(value),
                "mulai" => {
                    search.starts_within = value.parse().ok().filter(|d| STARTS_WITHIN.contains(d));
                }
                "kecamatan" => search.place = Place::parse(value),
                "hal" => {
                    search.page = crate::web::pagination::page_number(value).min(MAX_PAGE);
                }
                _ => {}
            }
        }
        search
    }

    /// The query string that means this search (page left out): the canonical, shareable
    /// form, with only the filters that are set.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.keyword.trim().is_empty() {
            pairs.push(("q", self.keyword.trim().to_owned()));
        }
        if let Some(field) = self.field {
            pairs.push(("kejuruan", field.to_owned()));
        }
        if let Some(kind) = self.kind {
            pairs.push(("lembaga", kind.as_str().to_owned()));
        }
        if let Some(cost) = self.cost {
            pairs.push(("biaya", cost.code().to_owned()));
        }
        if let Some(days) = self.starts_within {
            pairs.push(("mulai", days.to_string()));
        }
        if let Some(place) = self.place {
            pairs.push(("kecamatan", place.code().to_owned()));
        }
        pairs
    }

    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self.pairs()).unwrap_or_default()
    }

    /// The same search on another page.
    pub fn page_query(&self, page: i64) -> String {
        let mut pairs = self.pairs();
        if page > 1 {
            pairs.push(("hal", page.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// Whether anything narrows the search.
    pub fn is_filtered(&self) -> bool {
        !self.pairs().is_empty()
    }

    fn offset(&self) -> usize {
        ((self.page.clamp(1, MAX_PAGE) - 1) * PER_PAGE) as usize
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

/// The filters with counts; the discriminant is the filter's bit in a misfit mask.
#[derive(Debug, Clone, Copy)]
enum Facet {
    Field = 1,
    Kind = 2,
    Cost = 4,
    Starts = 8,
    Place = 16,
}

impl Facet {
    const ALL: [Facet; 5] = [
        Self::Field,
        Self::Kind,
        Self::Cost,
        Self::Starts,
        Self::Place,
    ];
}

#[derive(Default)]
struct Tally {
    fields: [i64; FIELDS.len()],
    kinds: [i64; Kind::ALL.len()],
    costs: [i64; Cost::ALL.len()],
    /// In the narrowest bucket each programme fits.
    starts: [i64; STARTS_WITHIN.len()],
    places: Vec<(Place, i64)>,
}

impl Tally {
    fn add(&mut self, facet: Facet, e: &Entry, start_cuts: &[NaiveDate; 3]) {
        match facet {
            Facet::Field => {
                if let Some(slot) = self.fields.get_mut(e.field) {
                    *slot += 1;
                }
            }
            Facet::Kind => {
                if let Some(i) = Kind::ALL.iter().position(|k| *k == e.kind) {
                    self.kinds[i] += 1;
                }
            }
            Facet::Cost => {
                if let Some(i) = Cost::ALL.iter().position(|c| *c == e.cost) {
                    self.costs[i] += 1;
                }
            }
            Facet::Starts => {
                if let Some(i) = start_cuts.iter().position(|cut| e.starts_on <= *cut) {
                    self.starts[i] += 1;
                }
            }
            Facet::Place => match self.places.iter_mut().find(|(p, _)| *p == e.place) {
                Some((_, n)) => *n += 1,
                None => self.places.push((e.place, 1)),
            },
        }
    }

    fn into_facets(self) -> Facets {
        let mut running = 0;
        let starts_within = STARTS_WITHIN
            .iter()
            .zip(self.starts)
            .map(|(days, n)| {
                running += n;
                Count {
                    value: *days,
                    count: running,
                }
            })
            .collect();
        let places = regions::binjai_kecamatan()
            .map(Place::Kecamatan)
            .chain([Place::Outside])
            .map(|place| Count {
                value: place,
                count: self
                    .places
                    .iter()
                    .find(|(p, _)| *p == place)
                    .map_or(0, |(_, n)| *n),
            })
            .collect();
        Facets {
            fields: FIELDS
                .iter()
                .zip(self.fields)
                .map(|(f, count)| Count { value: f.0, count })
                .collect(),
            kinds: Kind::ALL
                .iter()
                .zip(self.kinds)
                .map(|(k, count)| Count { value: *k, count })
                .collect(),
            costs: Cost::ALL
                .iter()
                .zip(self.costs)
                .map(|(c, count)| Count { value: *c, count })
                .collect(),
            starts_within,
            places,
        }
    }
}

type EntryRow = (
    i32,
    String,
    String,
    Option<i64>,
    Option<String>,
    NaiveDate,
    NaiveDate,
);

/// Every programme open for search today: published, registration not yet closed, of a
/// provider that is still active.
fn open_entries(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<Entry>> {
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
    Ok(rows
        .into_iter()
        .map(|(id, field, kind, cost, kel, starts_on, closes_on)| Entry {
            id,
            field: FIELDS
                .iter()
                .position(|f| f.0 == field)
                .unwrap_or(FIELDS.len()),
            kind: Kind::parse(&kind).unwrap_or(Kind::Lpk),
            cost: Cost::of(cost),
            place: Place::of_kelurahan(kel.as_deref()),
            starts_on,
            closes_on,
        })
        .collect())
}

/// The total, the counts per filter value, and every result's id in order: registration
/// closing soonest first, then the earliest start, then the oldest programme.
fn select(
    entries: &[Entry],
    search: &Search,
    matched: Option<&HashSet<i32>>,
    today: NaiveDate,
) -> (Facets, Vec<i32>) {
    let cuts: [NaiveDate; 3] = STARTS_WITHIN.map(|days| today + Days::new(days));
    let starts_cut = search.starts_within.map(|days| today + Days::new(days));
    let mut tally = Tally::default();
    let mut results: Vec<&Entry> = Vec::new();
    for e in entries {
        if matched.is_some_and(|m| !m.contains(&e.id)) {
            continue;
        }
        let mut misfits = 0u8;
        if search
            .field
            .is_some_and(|f| FIELDS.get(e.field).is_none_or(|x| x.0 != f))
        {
            misfits |= Facet::Field as u8;
        }
        if search.kind.is_some_and(|k| k != e.kind) {
            misfits |= Facet::Kind as u8;
        }
        if search.cost.is_some_and(|c| c != e.cost) {
            misfits |= Facet::Cost as u8;
        }
        if starts_cut.is_some_and(|cut| e.starts_on > cut) {
            misfits |= Facet::Starts as u8;
        }
        if search.place.is_some_and(|p| p != e.place) {
            misfits |= Facet::Place as u8;
        }
        // A programme counts for a filter's values when it meets every other filter.
        for facet in Facet::ALL {
            if misfits & !(facet as u8) == 0 {
                tally.add(facet, e, &cuts);
            }
        }
        if misfits == 0 {
            results.push(e);
        }
    }
    results.sort_unstable_by_key(|e| (e.closes_on, e.starts_on, e.id));
    (tally.into_facets(), results.iter().map(|e| e.id).collect())
}

/// One found programme, with what a result list shows.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: i32,
    pub title: String,
    pub provider_name: String,
    pub provider_kind: Kind,
    pub field: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i32,
    pub mode: String,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub cost: Option<i64>,
    pub quota: i32,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
}

#[derive(Debug, Clone, Default)]
pub struct Results {
    pub total: i64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

impl Results {
    pub fn pages(&self) -> i64 {
        ((self.total + PER_PAGE - 1) / PER_PAGE).clamp(1, MAX_PAGE)
    }
}

/// Each instance's copy of the open programmes' filter columns, with the keyword matches
/// and vacancy-page previews found at the same version. It is replaced when the
/// `programmes` row of `search_versions` moves (triggers move it on any change the search
/// shows) or the day turns (registrations close at midnight). Without it, the box of
/// programmes beside every vacancy search cost half of that page's throughput
/// (docs/benchmarks.md).
pub struct ProgrammeCache {
    capacity: usize,
    kept: Mutex<Kept>,
}

/// How many open programmes match, and the first few of them.
pub type Preview = (i64, Vec<Hit>);

#[derive(Default)]
struct Kept {
    version: i64,
    day: Option<NaiveDate>,
    entries: Arc<Vec<Entry>>,
    matches: HashMap<String, Arc<HashSet<i32>>>,
    previews: HashMap<(String, usize), Arc<Preview>>,
}

impl ProgrammeCache {
    /// With room for `capacity` keywords (0: match every search afresh).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            kept: Mutex::new(Kept::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The open programmes as the database has them now, and their version.
    fn entries(
        &self,
        conn: &mut DbConnection,
        today: NaiveDate,
    ) -> QueryResult<(i64, Arc<Vec<Entry>>)> {
        let version: i64 = crate::schema::search_versions::table
            .find("programmes")
            .select(crate::schema::search_versions::version)
            .first(conn)?;
        {
            let kept = self.lock();
            if kept.version == version && kept.day == Some(today) {
                return Ok((version, kept.entries.clone()));
            }
        }
        let entries = Arc::new(open_entries(conn, today)?);
        let mut kept = self.lock();
        *kept = Kept {
            version,
            day: Some(today),
            entries: entries.clone(),
            ..Kept::default()
        };
        Ok((version, entries))
    }

    fn matched(
        &self,
        conn: &mut DbConnection,
        version: i64,
        keyword: &str,
    ) -> QueryResult<Option<Arc<HashSet<i32>>>> {
        let terms = Terms::parse(keyword);
        if terms.is_empty() {
            return Ok(None);
        }
        let key = terms.fts5();
        if let Some(m) = self.lock().matches.get(&key).filter(|_| self.capacity > 0) {
            return Ok(Some(m.clone()));
        }
        let found: Arc<HashSet<i32>> = Arc::new(
            fulltext::matching_ids(conn, &PROGRAMMES, &terms)?
                .into_iter()
                .collect(),
        );
        let mut kept = self.lock();
        // Only what was found at the version still kept; when full, start again rather
        // than track ages: the common words come back at once.
        if self.capacity > 0 && kept.version == version {
            if kept.matches.len() >= self.capacity {
                kept.matches.clear();
            }
            kept.matches.insert(key, found.clone());
        }
        Ok(Some(found))
    }
}

/// Runs a search: the page's programmes, the total and the counts per filter value.
pub fn run(
    conn: &mut DbConnection,
    cache: &ProgrammeCache,
    search: &Search,
    today: NaiveDate,
) -> QueryResult<Results> {
    let (version, entries) = cache.entries(conn, today)?;
    let matched = cache.matched(conn, version, &search.keyword)?;
    let (facets, ids) = select(&entries, search, matched.as_deref(), today);
    let offset = search.offset().min(ids.len());
    let end = (offset + PER_PAGE as usize).min(ids.len());
    Ok(Results {
        total: ids.len() as i64,
        hits: load_hits(conn, &ids[offset..end])?,
        facets,
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
    let (version, entries) = cache.entries(conn, today)?;
    let key = (terms.fts5(), limit);
    if let Some(p) = cache
        .lock()
        .previews
        .get(&key)
        .filter(|_| cache.capacity > 0)
    {
        return Ok(p.clone());
    }
    let found = match cache.matched(conn, version, keyword)? {
        Some(m) if !m.is_empty() => {
            let (_, ids) = select(&entries, &Search::keyword(keyword), Some(&m), today);
            let first = &ids[..ids.len().min(limit)];
            (ids.len() as i64, load_hits(conn, first)?)
        }
        _ => (0, Vec::new()),
    };
    let found = Arc::new(found);
    let mut kept = cache.lock();
    if cache.capacity > 0 && kept.version == version {
        if kept.previews.len() >= cache.capacity {
            kept.previews.clear();
        }
        kept.previews.insert(key, found.clone());
    }
    Ok(found)
}

/// The ids of every programme open for search today, for the sitemap.
pub fn open_ids(
    conn: &mut DbConnection,
    cache: &ProgrammeCache,
    today: NaiveDate,
) -> QueryResult<Vec<i32>> {
    let (_, entries) = cache.entries(conn, today)?;
    let (_, ids) = select(&entries, &Search::keyword(""), None, today);
    Ok(ids)
}

type HitRow = (
    (i32, String, String, String, String),
    (NaiveDate, NaiveDate, i32, String, Option<String>, String),
    (Option<i64>, i32, NaiveDate, NaiveDate),
);

/// These programmes, in this order.
fn load_hits(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<Hit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
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
    let mut hits: Vec<Hit> = rows
        .into_iter()
        .map(|(a, b, c)| Hit {
            id: a.0,
            title: a.1,
            provider_name: a.2,
            provider_kind: Kind::parse(&a.3).unwrap_or(Kind::Lpk),
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
        .collect();
    hits.sort_by_key(|h| ids.iter().position(|id| *id == h.id));
    Ok(hits)
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
            MAX_PAGE,
            "deep pages stop at the last linked page"
        );
        let long = Search::from_query(&format!("q={}", "a".repeat(10_000)));
        assert_eq!(long.keyword.len(), MAX_KEYWORD_CHARS);
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
        let entries = [
            entry(1, "las", Kind::Blk, Cost::Free, "2027-03-20", "2027-03-01"),
            entry(2, "las", Kind::Lpk, Cost::Paid, "2027-01-20", "2027-01-10"),
            entry(3, "ti", Kind::Blk, Cost::Free, "2027-01-25", "2027-01-10"),
            entry(4, "las", Kind::Blk, Cost::Free, "2027-01-15", "2027-01-10"),
        ];
        let (facets, ids) = select(&entries, &Search::keyword(""), None, today);
        assert_eq!(ids, [4, 2, 3, 1], "closing, then starting, soonest first");
        let starts: Vec<i64> = facets.starts_within.iter().map(|c| c.count).collect();
        assert_eq!(starts, [3, 3, 4]);

        let s = Search::from_query("kejuruan=las&lembaga=blk");
        let (facets, ids) = select(&entries, &s, None, today);
        assert_eq!(ids, [4, 1]);
        let count =
            |v: &[Count<&'static str>], f: &str| v.iter().find(|c| c.value == f).map(|c| c.count);
        // Choosing another field keeps "BLK": the BLK's IT programme.
        assert_eq!(count(&facets.fields, "ti"), Some(1));
        assert_eq!(count(&facets.fields, "las"), Some(2));
        // Choosing another kind keeps "welding": the LPK's welding programme.
        let kinds: Vec<i64> = facets.kinds.iter().map(|c| c.count).collect();
        assert_eq!(kinds, [2, 1]);
        let matched: HashSet<i32> = [1, 3].into();
        let (_, ids) = select(&entries, &Search::keyword("x"), Some(&matched), today);
        assert_eq!(ids, [3, 1]);
    }
}
