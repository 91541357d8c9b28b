//! The board: every open vacancy's searchable columns (place, job group, education,
//! employment type, disability, dates, shown wage), kept in memory by each instance.
//!
//! Counting results per filter value in SQL took six grouped scans of the matched rows per
//! search and kept the large data's search page near 400 requests a second; over a few
//! thousand small structs in memory it is one pass (docs/benchmarks.md). The copy is
//! never stale: a trigger moves `search_versions` whenever a published vacancy changes,
//! and each search reads that one row first, so a change made by any instance, a worker or
//! a script is seen by the next search everywhere.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::EmploymentType;
use super::search::{Count, Facets, PER_PAGE, POSTED_WITHIN, Place, Search, Sort};
use crate::db::DbConnection;
use crate::reference::education::EducationLevel;
use crate::reference::{kbji, regions};
use crate::schema::{search_versions, vacancies};

/// One open vacancy as the search sees it.
#[derive(Debug, Clone)]
struct Entry {
    id: i32,
    place: Place,
    /// The KBJI major group, 0 to 9.
    group: u8,
    /// The 4-digit KBJI unit group.
    kbji: [u8; 4],
    education: i16,
    employment_type: EmploymentType,
    disability_friendly: bool,
    published_at: NaiveDateTime,
    closes_on: NaiveDate,
    /// The monthly wage residents see (the top of the range); none when hidden or not
    /// given, so that neither a filter nor the order can reveal a hidden wage.
    wage: Option<i64>,
}

/// The open vacancies at one version, newest first.
pub struct Board {
    version: i64,
    loaded_on: NaiveDate,
    entries: Vec<Entry>,
    position: HashMap<i32, u32>,
}

type BoardRow = (
    i32,
    Option<String>,
    String,
    i16,
    String,
    bool,
    Option<NaiveDateTime>,
    NaiveDate,
    bool,
    Option<i64>,
    Option<i64>,
);

fn version(conn: &mut DbConnection) -> QueryResult<i64> {
    search_versions::table
        .find("vacancies")
        .select(search_versions::version)
        .first(conn)
}

impl Board {
    fn load(conn: &mut DbConnection, version: i64, today: NaiveDate) -> QueryResult<Self> {
        let rows: Vec<BoardRow> = vacancies::table
            .filter(vacancies::status.eq(super::VacancyStatus::Published.as_str()))
            .filter(vacancies::closes_on.ge(today))
            .select((
                vacancies::id,
                vacancies::kelurahan_code,
                vacancies::kbji_code,
                vacancies::education_min,
                vacancies::employment_type,
                vacancies::disability_friendly,
                vacancies::published_at,
                vacancies::closes_on,
                vacancies::show_wage,
                vacancies::wage_min,
                vacancies::wage_max,
            ))
            .load(conn)?;
        let mut entries: Vec<Entry> = rows
            .into_iter()
            .map(
                |(
                    id,
                    kel,
                    kbji,
                    education,
                    kind,
                    disability,
                    published,
                    closes,
                    show,
                    min,
                    max,
                )| {
                    Entry {
                        id,
                        place: Place::of_kelurahan(kel.as_deref()),
                        group: kbji
                            .bytes()
                            .next()
                            .map_or(0, |d| d.wrapping_sub(b'0').min(9)),
                        kbji: unit_group(&kbji),
                        education,
                        employment_type: EmploymentType::parse(&kind)
                            .unwrap_or(EmploymentType::Pkwt),
                        disability_friendly: disability,
                        published_at: published.unwrap_or_default(),
                        closes_on: closes,
                        wage: if show { max.or(min) } else { None },
                    }
                },
            )
            .collect();
        entries.sort_unstable_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
        let position = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i as u32))
            .collect();
        Ok(Self {
            version,
            loaded_on: today,
            entries,
            position,
        })
    }

    /// The open vacancies published after `since`, newest first.
    pub fn published_after(&self, since: NaiveDateTime) -> Vec<i32> {
        self.entries
            .iter()
            .take_while(|e| e.published_at > since)
            .map(|e| e.id)
            .collect()
    }

    /// Open vacancies like the given one: the same job title's unit group first, then the
    /// same major group; newest first.
    pub fn similar(&self, id: i32, kbji_code: &str, today: NaiveDate, limit: usize) -> Vec<i32> {
        let code = unit_group(kbji_code);
        let open = || {
            self.entries
                .iter()
                .filter(move |e| e.id != id && e.closes_on >= today)
        };
        open()
            .filter(|e| e.kbji == code)
            .chain(open().filter(|e| e.kbji != code && e.kbji[0] == code[0]))
            .take(limit)
            .map(|e| e.id)
            .collect()
    }

    /// The total, the counts per filter value, and the ids of the asked page in order.
    /// `matched` is the keyword's matches, or `None` when there is no keyword.
    pub fn select(
        &self,
        search: &Search,
        matched: Option<&[i32]>,
        now: NaiveDateTime,
    ) -> (i64, Facets, Vec<i32>) {
        let today = now.date();
        let mut candidates: Vec<u32> = match matched {
            Some(ids) => ids
                .iter()
                .filter_map(|id| self.position.get(id).copied())
                .collect(),
            None => (0..self.entries.len() as u32).collect(),
        };
        // Positions follow the newest-first order.
        candidates.sort_unstable();
        let since: [NaiveDateTime; 3] = POSTED_WITHIN.map(|days| now - Duration::days(days));
        let posted_cut = search.posted_within.map(|days| now - Duration::days(days));
        let mut tally = Tally::default();
        let mut results: Vec<u32> = Vec::new();
        for pos in candidates {
            let e = &self.entries[pos as usize];
            if e.closes_on < today {
                continue;
            }
            if search
                .min_wage
                .is_some_and(|min| e.wage.is_none_or(|w| w < min))
            {
                continue;
            }
            let mut misfits = 0u8;
            if search.place.is_some_and(|p| p != e.place) {
                misfits |= Facet::Place as u8;
            }
            if search
                .group
                .is_some_and(|g| g.code.as_bytes()[0] - b'0' != e.group)
            {
                misfits |= Facet::Group as u8;
            }
            if search.education.is_some_and(|l| e.education > l.code()) {
                misfits |= Facet::Education as u8;
            }
            if search
                .employment_type
                .is_some_and(|t| t != e.employment_type)
            {
                misfits |= Facet::EmploymentType as u8;
            }
            if search.disability_friendly && !e.disability_friendly {
                misfits |= Facet::Disability as u8;
            }
            if posted_cut.is_some_and(|cut| e.published_at < cut) {
                misfits |= Facet::Posted as u8;
            }
            // A vacancy counts for a filter's values when it meets every other filter.
            for facet in Facet::ALL {
                if misfits & !(facet as u8) == 0 {
                    tally.add(facet, e, &since);
                }
            }
            if misfits == 0 {
                results.push(pos);
            }
        }
        let total = results.len() as i64;
        let page = self.page(search, &mut results);
        (total, tally.into_facets(), page)
    }

    fn page(&self, search: &Search, results: &mut [u32]) -> Vec<i32> {
        let offset = search.offset() as usize;
        if offset >= results.len() {
            return Vec::new();
        }
        let end = (offset + PER_PAGE as usize).min(results.len());
        let e = |pos: &u32| &self.entries[*pos as usize];
        // Ties go to the newer vacancy, which is the smaller position.
        match search.sort {
            Sort::Newest => {}
            Sort::ClosingSoon => results.sort_by_key(|p| (e(p).closes_on, *p)),
            Sort::HighestWage => {
                results.sort_by_key(|p| (std::cmp::Reverse(e(p).wage), *p));
            }
        }
        results[offset..end]
            .iter()
            .map(|p| self.entries[*p as usize].id)
            .collect()
    }
}

fn unit_group(code: &str) -> [u8; 4] {
    let mut out = [0; 4];
    for (slot, b) in out.iter_mut().zip(code.bytes()) {
        *slot = b;
    }
    out
}

/// The filters with counts; the discriminant is the filter's bit in a misfit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Place = 1,
    Group = 2,
    Education = 4,
    EmploymentType = 8,
    Disability = 16,
    Posted = 32,
}

impl Facet {
    const ALL: [Facet; 6] = [
        Self::Place,
        Self::Group,
        Self::Education,
        Self::EmploymentType,
        Self::Disability,
        Self::Posted,
    ];
}

#[derive(Default)]
struct Tally {
    places: HashMap<&'static str, i64>,
    groups: [i64; 10],
    education: [i64; EducationLevel::ALL.len()],
    types: [i64; EmploymentType::ALL.len()],
    disability: i64,
    /// Vacancies posted within each of [`POSTED_WITHIN`], in the narrowest bucket.
    posted: [i64; POSTED_WITHIN.len()],
}

impl Tally {
    fn add(&mut self, facet: Facet, e: &Entry, since: &[NaiveDateTime; 3]) {
        match facet {
            Facet::Place => *self.places.entry(e.place.code()).or_default() += 1,
            Facet::Group => self.groups[usize::from(e.group)] += 1,
            Facet::Education => {
                if let Some(slot) = self.education.get_mut(e.education as usize) {
                    *slot += 1;
                }
            }
            Facet::EmploymentType => {
                if let Some(i) = EmploymentType::ALL
                    .iter()
                    .position(|t| *t == e.employment_type)
                {
                    self.types[i] += 1;
                }
            }
            Facet::Disability => self.disability += u8::from(e.disability_friendly) as i64,
            Facet::Posted => {
                if let Some(i) = since.iter().position(|cut| e.published_at >= *cut) {
                    self.posted[i] += 1;
                }
            }
        }
    }

    fn into_facets(self) -> Facets {
        let places = regions::binjai_kecamatan()
            .map(Place::Kecamatan)
            .chain([Place::Outside])
            .map(|place| Count {
                value: place,
                count: self.places.get(place.code()).copied().unwrap_or(0),
            })
            .collect();
        // Someone with a level qualifies for every vacancy asking for it or for less.
        let mut running = 0;
        let education = EducationLevel::ALL
            .iter()
            .map(|level| {
                running += self.education[level.code() as usize];
                Count {
                    value: *level,
                    count: running,
                }
            })
            .collect();
        let mut running = 0;
        let posted_within = POSTED_WITHIN
            .iter()
            .enumerate()
            .map(|(i, days)| {
                running += self.posted[i];
                Count {
                    value: *days,
                    count: running,
                }
            })
            .collect();
        Facets {
            places,
            groups: kbji::MAJOR_GROUPS
                .iter()
                .enumerate()
                .map(|(i, group)| Count {
                    value: group,
                    count: self.groups[i],
                })
                .collect(),
            education,
            employment_types: EmploymentType::ALL
                .iter()
                .enumerate()
                .map(|(i, t)| Count {
                    value: *t,
                    count: self.types[i],
                })
                .collect(),
            disability_friendly: self.disability,
            posted_within,
        }
    }
}

/// Each instance's copy of the board, replaced when the database says it changed, and the
/// keyword matches found at that version.
#[derive(Default)]
pub struct BoardCache {
    current: RwLock<Option<Arc<Board>>>,
    /// One load at a time; the others wait for it rather than load the same rows again.
    loading: Mutex<()>,
    matches: Mutex<Matches>,
}

/// Keyword matches at one board version. People search for the same few words ("admin",
/// "kasir", "staf") over and over, and the answer only changes with the version; on
/// PostgreSQL the match is most of a search's cost (docs/benchmarks.md).
#[derive(Default)]
struct Matches {
    capacity: usize,
    version: i64,
    by_terms: HashMap<String, Arc<Vec<i32>>>,
}

impl BoardCache {
    /// With room for `capacity` keyword matches (0: match every search afresh).
    pub fn new(capacity: usize) -> Self {
        Self {
            matches: Mutex::new(Matches {
                capacity,
                ..Matches::default()
            }),
            ..Self::default()
        }
    }

    /// The ids matching `key` at the board's version, from the cache or from `find`.
    pub fn matches(
        &self,
        board: &Board,
        key: &str,
        find: impl FnOnce() -> QueryResult<Vec<i32>>,
    ) -> QueryResult<Arc<Vec<i32>>> {
        {
            let mut kept = self.matches.lock().unwrap_or_else(|e| e.into_inner());
            if kept.version != board.version {
                kept.version = board.version;
                kept.by_terms.clear();
            }
            if let Some(ids) = kept.by_terms.get(key) {
                return Ok(ids.clone());
            }
        }
        // Matched outside the lock: a slow match never holds up other searches.
        let ids = Arc::new(find()?);
        let mut kept = self.matches.lock().unwrap_or_else(|e| e.into_inner());
        if kept.capacity > 0 && kept.version == board.version {
            // Full: start again rather than track ages; the common words come back at once.
            if kept.by_terms.len() >= kept.capacity {
                kept.by_terms.clear();
            }
            kept.by_terms.insert(key.to_owned(), ids.clone());
        }
        Ok(ids)
    }

    fn kept(&self, version: i64, today: NaiveDate) -> Option<Arc<Board>> {
        let guard = self.current.read().ok()?;
        let board = guard.as_ref()?;
        // A new day needs a new load too: vacancies that closed yesterday leave the board.
        let fresh = board.version == version && board.loaded_on == today;
        fresh.then(|| board.clone())
    }

    /// The board as the database has it now.
    pub fn current(&self, conn: &mut DbConnection) -> QueryResult<Arc<Board>> {
        let today = chrono::Utc::now().date_naive();
        let version = version(conn)?;
        if let Some(board) = self.kept(version, today) {
            return Ok(board);
        }
        let _loading = self.loading.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(board) = self.kept(version, today) {
            return Ok(board);
        }
        let board = Arc::new(Board::load(conn, version, today)?);
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(board.clone());
        }
        Ok(board)
    }
}
