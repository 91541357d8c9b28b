//! The public vacancy search: what a shareable search URL means, and how it is answered.
//!
//! Only published vacancies whose closing date has not passed are ever found. The keyword
//! goes through [`crate::db::fulltext`], so SQLite (FTS5) and PostgreSQL (tsvector) find the
//! same rows; the filters, the counts per filter value, the order and the page are worked
//! out on [`super::board`], the open vacancies' few searchable columns kept in memory, by
//! the engine in [`crate::search`].

use crate::domain::ids::{CompanyId, VacancyId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::EmploymentType;
pub use super::board::BoardCache;
use crate::db::DbConnection;
use crate::domain::{KbjiCode, Rupiah};
use crate::reference::education::EducationLevel;
use crate::reference::kbji;
use crate::search::query::{self, KEYWORD, PAGE};
use crate::search::{Choice, Count, Paging, Pairs, Place, Query};
use crate::web::PageCtx;

/// Deep pages are of no use to a person and cost the database; links stop at page 500.
pub const PAGING: Paging = Paging::new(20, 500);
/// The "posted within" choices, in days.
pub const POSTED_WITHIN: [i64; 3] = [1, 7, 30];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    ClosingSoon,
    HighestWage,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Self::Newest, Self::ClosingSoon, Self::HighestWage];

    pub fn code(self) -> &'static str {
        match self {
            Self::Newest => "terbaru",
            Self::ClosingSoon => "segera-tutup",
            Self::HighestWage => "upah-tertinggi",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Newest => "search.sort.newest",
            Self::ClosingSoon => "search.sort.closing",
            Self::HighestWage => "search.sort.wage",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == raw)
    }
}

/// A search as its URL states it. Parsing never fails: a value that means nothing (an
/// unknown kecamatan, text where a number goes) is dropped, and the page says what it
/// searched for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    pub keyword: String,
    pub place: Option<Place>,
    pub group: Option<&'static kbji::KbjiMajorGroup>,
    /// The searcher's own education: vacancies asking for this level or less.
    pub education: Option<EducationLevel>,
    pub employment_type: Option<EmploymentType>,
    /// Vacancies that state a wage of at least this much a month.
    pub min_wage: Option<Rupiah>,
    pub disability_friendly: bool,
    pub posted_within: Option<i64>,
    pub sort: Sort,
    pub page: i64,
}

/// The order's key: kept by every link, but no filter.
pub const SORT: &str = "urut";

impl Search {
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
                "kecamatan" => search.place = Place::parse(value),
                "golongan" => {
                    search.group = kbji::MAJOR_GROUPS.iter().find(|g| g.code == value);
                }
                "pendidikan" => {
                    search.education = value.parse().ok().and_then(EducationLevel::from_code);
                }
                "jenis" => search.employment_type = EmploymentType::parse(value),
                "upah" => {
                    search.min_wage = Rupiah::parse(value).ok().filter(|w| w.amount() > 0);
                }
                "disabilitas" => search.disability_friendly = value == "1",
                "sejak" => {
                    search.posted_within = value.parse().ok().filter(|d| POSTED_WITHIN.contains(d));
                }
                SORT => search.sort = Sort::parse(value).unwrap_or_default(),
                PAGE => search.page = PAGING.page(value),
                _ => {}
            }
        }
        search
    }

    /// Whether anything narrows the search.
    pub fn is_filtered(&self) -> bool {
        !self.pairs().iter().all(|(k, _)| *k == SORT)
    }
}

impl Query for Search {
    /// The canonical, shareable form, with only the filters that are set.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        Pairs::keyword(&self.keyword)
            .with("kecamatan", self.place.map(Place::code))
            .with("golongan", self.group.map(|g| g.code))
            .with("pendidikan", self.education.map(EducationLevel::code))
            .with("jenis", self.employment_type.map(EmploymentType::as_str))
            .with("upah", self.min_wage)
            .flag("disabilitas", self.disability_friendly)
            .with("sejak", self.posted_within)
            .with(SORT, (self.sort != Sort::Newest).then(|| self.sort.code()))
            .build()
    }

    fn keyword(&self) -> &str {
        &self.keyword
    }

    fn page(&self) -> i64 {
        self.page
    }
}

impl Choice for &'static kbji::KbjiMajorGroup {
    fn value(self) -> String {
        self.code.to_owned()
    }
    fn label(self, ctx: &PageCtx) -> String {
        self.name(ctx.lang).to_owned()
    }
}

impl Choice for EducationLevel {
    fn value(self) -> String {
        self.code().to_string()
    }
    fn label(self, ctx: &PageCtx) -> String {
        self.name(ctx.lang).to_owned()
    }
}

/// The number of results each filter value would give, the others staying as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    pub places: Vec<Count<Place>>,
    pub groups: Vec<Count<&'static kbji::KbjiMajorGroup>>,
    /// Vacancies open to someone with this education (asking for it or for less).
    pub education: Vec<Count<EducationLevel>>,
    pub employment_types: Vec<Count<EmploymentType>>,
    pub disability_friendly: i64,
    pub posted_within: Vec<Count<i64>>,
}

/// One found vacancy, with what the result list shows.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: VacancyId,
    pub title: String,
    pub company_name: String,
    pub company_id: CompanyId,
    pub kbji_code: KbjiCode,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub employment_type: EmploymentType,
    pub education_min: i16,
    pub wage_min: Option<Rupiah>,
    pub wage_max: Option<Rupiah>,
    pub show_wage: bool,
    pub disability_friendly: bool,
    pub positions: i32,
    pub closes_on: NaiveDate,
    pub published_at: NaiveDateTime,
}

pub type Results = crate::search::Results<Hit, Facets>;

/// Runs a search: the keyword is matched by the database's full-text index, and the
/// filters, counts, order and page are worked out on the board of open vacancies kept in
/// memory; then the page's vacancies are read.
pub fn run(
    conn: &mut DbConnection,
    boards: &BoardCache,
    search: &Search,
    now: NaiveDateTime,
) -> QueryResult<Results> {
    let board = boards.current(conn, crate::domain::calendar::today())?;
    let matched = boards.keyword_matches(conn, &board, &search.keyword)?;
    let (total, facets, page) = board.select(search, matched.as_ref().map(|m| m.as_slice()), now);
    let hits = load_hits(conn, &page)?;
    Ok(Results {
        total,
        hits,
        facets,
        paging: PAGING,
    })
}

/// How many open vacancies a search finds, without reading any of them (for a link from
/// another search).
pub fn count(
    conn: &mut DbConnection,
    boards: &BoardCache,
    search: &Search,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let board = boards.current(conn, crate::domain::calendar::today())?;
    let matched = boards.keyword_matches(conn, &board, &search.keyword)?;
    Ok(board
        .select(search, matched.as_ref().map(|m| m.as_slice()), now)
        .0)
}

/// The open vacancies matching `search` that were published after `since`: how many, and
/// the newest page of them. What a job alert sends.
pub fn published_since(
    conn: &mut DbConnection,
    boards: &BoardCache,
    search: &Search,
    since: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<(i64, Vec<Hit>)> {
    let board = boards.current(conn, crate::domain::calendar::today())?;
    let mut candidates = board.published_after(since);
    if candidates.is_empty() {
        return Ok((0, Vec::new()));
    }
    if let Some(matched) = boards.keyword_matches(conn, &board, &search.keyword)? {
        let matched: std::collections::HashSet<i32> = matched.iter().copied().collect();
        candidates.retain(|id| matched.contains(id));
    }
    let newest = Search {
        sort: Sort::Newest,
        page: 1,
        posted_within: None,
        ..search.clone()
    };
    let (total, _, page) = board.select(&newest, Some(&candidates), now);
    Ok((total, load_hits(conn, &page)?))
}

/// Up to `limit` open vacancies like the given one, for its page.
pub fn similar(
    conn: &mut DbConnection,
    boards: &BoardCache,
    id: VacancyId,
    kbji_code: &KbjiCode,
    limit: usize,
) -> QueryResult<Vec<Hit>> {
    let today = crate::domain::calendar::today();
    let board = boards.current(conn, today)?;
    let ids = board.similar(id.get(), kbji_code, today, limit);
    load_hits(conn, &ids)
}

type HitRow = (
    (
        VacancyId,
        String,
        CompanyId,
        KbjiCode,
        Option<String>,
        String,
        EmploymentType,
        i16,
    ),
    (
        Option<Rupiah>,
        Option<Rupiah>,
        bool,
        bool,
        i32,
        i32,
        i32,
        NaiveDate,
    ),
    Option<NaiveDateTime>,
    String,
);

/// The page's vacancies, in the page's order.
fn load_hits(conn: &mut DbConnection, page: &[i32]) -> QueryResult<Vec<Hit>> {
    crate::search::load_in_order(page, |h: &Hit| h.id.get(), |ids| read_hits(conn, ids))
}

fn read_hits(conn: &mut DbConnection, page: &[i32]) -> QueryResult<Vec<Hit>> {
    use crate::schema::{companies, vacancies as v};
    let rows: Vec<HitRow> = v::table
        .inner_join(companies::table)
        .filter(v::id.eq_any(page))
        .select((
            (
                v::id,
                v::title,
                v::company_id,
                v::kbji_code,
                v::kelurahan_code,
                v::regency_code,
                v::employment_type,
                v::education_min,
            ),
            (
                v::wage_min,
                v::wage_max,
                v::show_wage,
                v::disability_friendly,
                v::quota_male,
                v::quota_female,
                v::quota_any,
                v::closes_on,
            ),
            v::published_at,
            companies::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, b, published_at, company_name)| Hit {
            id: a.0,
            title: a.1,
            company_id: a.2,
            kbji_code: a.3,
            kelurahan_code: a.4,
            regency_code: a.5,
            employment_type: a.6,
            education_min: a.7,
            wage_min: b.0,
            wage_max: b.1,
            show_wage: b.2,
            disability_friendly: b.3,
            positions: b.4 + b.5 + b.6,
            closes_on: b.7,
            published_at: published_at.unwrap_or_default(),
            company_name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonsense_parameters_are_dropped() {
        let s = Search::from_query(
            "q=%3Cb%3Eadmin&kecamatan=99&golongan=x&pendidikan=-1&jenis=nope&upah=abc\
             &disabilitas=yes&sejak=3&urut=random&hal=-5&hal=7&extra=1",
        );
        assert_eq!(s.keyword, "<b>admin");
        assert_eq!(s.place, None);
        assert_eq!(s.group, None);
        assert_eq!(s.education, None);
        assert_eq!(s.employment_type, None);
        assert_eq!(s.min_wage, None);
        assert!(!s.disability_friendly);
        assert_eq!(s.posted_within, None);
        assert_eq!(s.sort, Sort::Newest);
        assert_eq!(s.page, 1);
        assert_eq!(s.query_string(), "q=%3Cb%3Eadmin");
    }

    #[test]
    fn a_full_search_survives_its_own_url() {
        let raw = "q=admin+gudang&kecamatan=12.75.01&golongan=4&pendidikan=4&jenis=pkwt\
                   &upah=3000000&disabilitas=1&sejak=7&urut=segera-tutup";
        let s = Search::from_query(&format!("{raw}&hal=3"));
        assert_eq!(s.page, 3);
        assert!(s.is_filtered());
        assert_eq!(s.query_string(), raw);
        assert_eq!(Search::from_query(&s.page_query(3)), s);
        assert_eq!(
            Search::from_query("upah=Rp+3.500.000").min_wage,
            Rupiah::new(3_500_000).ok()
        );
        assert_eq!(
            Search::from_query("kecamatan=luar").place,
            Some(Place::Outside)
        );
        assert!(!Search::from_query("urut=terbaru").is_filtered());
    }

    #[test]
    fn a_huge_keyword_is_cut() {
        let s = Search::from_query(&format!("q={}", "a".repeat(10_000)));
        assert_eq!(s.keyword.len(), query::MAX_KEYWORD_CHARS);
        assert_eq!(
            Search::from_query("hal=99999").page,
            PAGING.max_page,
            "deep pages stop at the last linked page"
        );
    }
}
