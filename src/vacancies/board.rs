//! The board: every open vacancy's searchable columns (place, job group, education,
//! employment type, disability, dates, shown wage), kept in memory by each instance in a
//! [`crate::search::SearchCache`] and searched by the engine in [`crate::search`].
//!
//! Counting results per filter value in SQL took six grouped scans of the matched rows per
//! search and kept the large data's search page near 400 requests a second; over a few
//! thousand small structs in memory it is one pass (docs/benchmarks.md).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::EmploymentType;
use super::search::{Facets, PAGING, POSTED_WITHIN, Search, Sort};
use crate::db::DbConnection;
use crate::db::fulltext::Index;
use crate::domain::{KbjiCode, Rupiah};
use crate::reference::education::EducationLevel;
use crate::reference::kbji;
use crate::schema::vacancies;
use crate::search::facets::{self, Count, Listing, Misfits, Tally};
use crate::search::place::{Place, PlaceTally};
use crate::search::{Indexed, SearchCache, Snapshot};

/// Each instance's copy of the board, and the keyword matches found at its version.
pub type BoardCache = SearchCache<Board>;

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
    wage: Option<Rupiah>,
}

/// The open vacancies, newest first.
pub struct Board {
    listing: Listing<Entry>,
}

type BoardRow = (
    i32,
    Option<String>,
    KbjiCode,
    i16,
    EmploymentType,
    bool,
    Option<NaiveDateTime>,
    NaiveDate,
    bool,
    Option<Rupiah>,
    Option<Rupiah>,
);

impl Indexed for Board {
    /// Published vacancies' search text, kept by triggers (migration 000005).
    const INDEX: Index = Index {
        pg_table: "vacancy_search",
        pg_id: "vacancy_id",
        fts5_table: "vacancy_fts",
    };
}

impl Snapshot for Board {
    const VERSION_ROW: &'static str = "vacancies";

    fn load(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Self> {
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
                        group: kbji.major_group().as_bytes()[0] - b'0',
                        kbji: unit_group(&kbji),
                        education,
                        employment_type: kind,
                        disability_friendly: disability,
                        published_at: published.unwrap_or_default(),
                        closes_on: closes,
                        wage: if show { max.or(min) } else { None },
                    }
                },
            )
            .collect();
        entries.sort_unstable_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
        Ok(Self {
            listing: Listing::new(entries, |e| e.id),
        })
    }
}

impl Board {
    /// The open vacancies published after `since`, newest first.
    pub fn published_after(&self, since: NaiveDateTime) -> Vec<i32> {
        self.listing
            .entries()
            .iter()
            .take_while(|e| e.published_at > since)
            .map(|e| e.id)
            .collect()
    }

    /// Open vacancies like the given one: the same job title's unit group first, then the
    /// same major group; newest first.
    pub fn similar(
        &self,
        id: i32,
        kbji_code: &KbjiCode,
        today: NaiveDate,
        limit: usize,
    ) -> Vec<i32> {
        let code = unit_group(kbji_code);
        let open = || {
            self.listing
                .entries()
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
        let today = crate::domain::calendar::date_of(now);
        // Positions follow the newest-first order.
        let candidates = self.listing.candidates(matched);
        let posted_cut = search.posted_within.map(|days| now - Duration::days(days));
        let mut tally = Counts {
            since: POSTED_WITHIN.map(|days| now - Duration::days(days)),
            ..Counts::default()
        };
        let mut results = facets::select(self.listing.at_positions(&candidates), &mut tally, |e| {
            if e.closes_on < today
                || search
                    .min_wage
                    .is_some_and(|min| e.wage.is_none_or(|w| w < min))
            {
                return None;
            }
            let mut misfits = Misfits::default();
            misfits.mark(PLACE, search.place.is_some_and(|p| p != e.place));
            misfits.mark(
                GROUP,
                search
                    .group
                    .is_some_and(|g| g.code.as_bytes()[0] - b'0' != e.group),
            );
            misfits.mark(
                EDUCATION,
                search.education.is_some_and(|l| e.education > l.code()),
            );
            misfits.mark(
                EMPLOYMENT_TYPE,
                search
                    .employment_type
                    .is_some_and(|t| t != e.employment_type),
            );
            misfits.mark(
                DISABILITY,
                search.disability_friendly && !e.disability_friendly,
            );
            misfits.mark(POSTED, posted_cut.is_some_and(|cut| e.published_at < cut));
            Some(misfits)
        });
        let total = results.len() as i64;
        let page = self.page(search, &mut results);
        (total, tally.into_facets(), page)
    }

    fn page(&self, search: &Search, results: &mut [u32]) -> Vec<i32> {
        if PAGING.offset(search.page) >= results.len() {
            return Vec::new();
        }
        let e = |pos: &u32| self.listing.at(*pos);
        // Ties go to the newer vacancy, which is the smaller position.
        match search.sort {
            Sort::Newest => {}
            Sort::ClosingSoon => results.sort_by_key(|p| (e(p).closes_on, *p)),
            Sort::HighestWage => {
                results.sort_by_key(|p| (std::cmp::Reverse(e(p).wage), *p));
            }
        }
        PAGING
            .slice(search.page, results)
            .iter()
            .map(|p| e(p).id)
            .collect()
    }
}

fn unit_group(code: &KbjiCode) -> [u8; 4] {
    let mut out = [0; 4];
    for (slot, b) in out.iter_mut().zip(code.as_str().bytes()) {
        *slot = b;
    }
    out
}

// The filters with counts, each a bit of the misfit mask.
const PLACE: usize = 0;
const GROUP: usize = 1;
const EDUCATION: usize = 2;
const EMPLOYMENT_TYPE: usize = 3;
const DISABILITY: usize = 4;
const POSTED: usize = 5;

#[derive(Default)]
struct Counts {
    places: PlaceTally,
    groups: [i64; 10],
    education: [i64; EducationLevel::ALL.len()],
    types: [i64; EmploymentType::ALL.len()],
    disability: i64,
    /// Vacancies posted within each of [`POSTED_WITHIN`], in the narrowest bucket.
    posted: [i64; POSTED_WITHIN.len()],
    /// When each of [`POSTED_WITHIN`] begins.
    since: [NaiveDateTime; POSTED_WITHIN.len()],
}

impl Tally<Entry> for Counts {
    const FACETS: usize = 6;

    fn add(&mut self, facet: usize, e: &Entry) {
        match facet {
            PLACE => self.places.add(e.place),
            GROUP => self.groups[usize::from(e.group)] += 1,
            EDUCATION => {
                if let Some(slot) = self.education.get_mut(e.education as usize) {
                    *slot += 1;
                }
            }
            EMPLOYMENT_TYPE => {
                if let Some(i) = EmploymentType::ALL
                    .iter()
                    .position(|t| *t == e.employment_type)
                {
                    self.types[i] += 1;
                }
            }
            DISABILITY => self.disability += u8::from(e.disability_friendly) as i64,
            POSTED => {
                if let Some(i) = self.since.iter().position(|cut| e.published_at >= *cut) {
                    self.posted[i] += 1;
                }
            }
            _ => {}
        }
    }
}

impl Counts {
    fn into_facets(self) -> Facets {
        Facets {
            places: self.places.into_counts(),
            groups: Count::each(kbji::MAJOR_GROUPS, self.groups),
            // Someone with a level qualifies for every vacancy asking for it or for less.
            education: Count::running(
                EducationLevel::ALL,
                EducationLevel::ALL.map(|level| self.education[level.code() as usize]),
            ),
            employment_types: Count::each(EmploymentType::ALL, self.types),
            disability_friendly: self.disability,
            posted_within: Count::running(POSTED_WITHIN, self.posted),
        }
    }
}
