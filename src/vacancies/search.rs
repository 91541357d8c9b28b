//! The public vacancy search: what a shareable search URL means, and the two queries that
//! answer it (the counts per filter value with the total, and one page of results).
//!
//! Only published vacancies whose closing date has not passed are ever found. The keyword
//! goes through [`crate::db::fulltext`], so SQLite (FTS5) and PostgreSQL (tsvector) find the
//! same rows; everything else is plain SQL written once for both.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, SmallInt, Text, Timestamp};

use super::EmploymentType;
use crate::db::fulltext::Terms;
use crate::db::{DbConnection, Sql};
use crate::reference::education::EducationLevel;
use crate::reference::{kbji, regions};

pub const PER_PAGE: i64 = 20;
/// Deep pages are of no use to a person and cost the database; links stop here.
pub const MAX_PAGE: i64 = 500;
/// The shown keyword is cut to this many characters; the search itself uses a few words.
const MAX_KEYWORD_CHARS: usize = 200;
/// The "posted within" choices, in days.
pub const POSTED_WITHIN: [i64; 3] = [1, 7, 30];

/// Where the work is: one of Binjai's kecamatan, or anywhere outside Binjai.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Kecamatan(&'static regions::Region),
    Outside,
}

impl Place {
    pub const OUTSIDE: &'static str = "luar";

    fn parse(raw: &str) -> Option<Self> {
        if raw == Self::OUTSIDE {
            return Some(Self::Outside);
        }
        regions::binjai_kecamatan()
            .find(|k| k.code == raw)
            .map(Self::Kecamatan)
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Kecamatan(k) => k.code,
            Self::Outside => Self::OUTSIDE,
        }
    }
}

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

    /// The ORDER BY terms over columns of the given table alias (`v.` or `p.`).
    fn order_by(self, t: &str, wage: &str) -> String {
        match self {
            Self::Newest => format!("{t}published_at DESC, {t}id DESC"),
            Self::ClosingSoon => format!("{t}closes_on ASC, {t}published_at DESC, {t}id DESC"),
            Self::HighestWage => {
                format!("{wage} DESC NULLS LAST, {t}published_at DESC, {t}id DESC")
            }
        }
    }
}

/// The wage a vacancy sorts by: a hidden wage sorts as no wage, so that sorting cannot
/// reveal it.
const WAGE_SORT: &str = "CASE WHEN v.show_wage THEN COALESCE(v.wage_max, v.wage_min) END";

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
    pub min_wage: Option<i64>,
    pub disability_friendly: bool,
    pub posted_within: Option<i64>,
    pub sort: Sort,
    pub page: i64,
}

impl Search {
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
                "q" => search.keyword = value.chars().take(MAX_KEYWORD_CHARS).collect(),
                "kecamatan" => search.place = Place::parse(value),
                "golongan" => {
                    search.group = kbji::MAJOR_GROUPS.iter().find(|g| g.code == value);
                }
                "pendidikan" => {
                    search.education = value.parse().ok().and_then(EducationLevel::from_code);
                }
                "jenis" => search.employment_type = EmploymentType::parse(value),
                "upah" => {
                    search.min_wage = super::forms::parse_rupiah(value).filter(|w| *w > 0);
                }
                "disabilitas" => search.disability_friendly = value == "1",
                "sejak" => {
                    search.posted_within = value.parse().ok().filter(|d| POSTED_WITHIN.contains(d));
                }
                "urut" => search.sort = Sort::parse(value).unwrap_or_default(),
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
        if let Some(place) = self.place {
            pairs.push(("kecamatan", place.code().to_owned()));
        }
        if let Some(group) = self.group {
            pairs.push(("golongan", group.code.to_owned()));
        }
        if let Some(level) = self.education {
            pairs.push(("pendidikan", level.code().to_string()));
        }
        if let Some(t) = self.employment_type {
            pairs.push(("jenis", t.as_str().to_owned()));
        }
        if let Some(w) = self.min_wage {
            pairs.push(("upah", w.to_string()));
        }
        if self.disability_friendly {
            pairs.push(("disabilitas", "1".to_owned()));
        }
        if let Some(days) = self.posted_within {
            pairs.push(("sejak", days.to_string()));
        }
        if self.sort != Sort::Newest {
            pairs.push(("urut", self.sort.code().to_owned()));
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
        !self.pairs().iter().all(|(k, _)| *k == "urut")
    }

    fn offset(&self) -> i64 {
        (self.page.clamp(1, MAX_PAGE) - 1) * PER_PAGE
    }
}

/// The columns a filter is written against: the vacancy table itself, or the matched rows.
struct Cols {
    kelurahan: &'static str,
    group: &'static str,
    education: &'static str,
    employment_type: &'static str,
    disability: &'static str,
    published_at: &'static str,
}

const TABLE_COLS: Cols = Cols {
    kelurahan: "v.kelurahan_code",
    group: "substr(v.kbji_code, 1, 1)",
    education: "v.education_min",
    employment_type: "v.employment_type",
    disability: "v.disability_friendly",
    published_at: "v.published_at",
};

const MATCHED_COLS: Cols = Cols {
    kelurahan: "kel",
    group: "grp",
    education: "edu",
    employment_type: "typ",
    disability: "dis",
    published_at: "pub",
};

/// A filter that has its own counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Place,
    Group,
    Education,
    EmploymentType,
    Disability,
    Posted,
}

impl Search {
    /// `FROM … WHERE …` of the vacancies every result comes from whatever the filters
    /// with counts: published, still open, the keyword, the wage. On SQLite the plan is
    /// named, because the planner's own choice (walk every open vacancy and test each
    /// against the FTS5 matches) was a hundred times slower on the large data.
    fn push_matched(&self, sql: &mut Sql, today: NaiveDate) {
        let terms = Terms::parse(&self.keyword);
        match (sql.is_postgres(), terms.is_empty()) {
            (false, false) => {
                sql.push(
                    "FROM vacancy_fts f CROSS JOIN vacancies v INDEXED BY vacancies_match_idx \
                     ON v.id = f.rowid WHERE f.vacancy_fts MATCH ",
                )
                .text(terms.fts5())
                .push(" AND ");
            }
            (false, true) => {
                sql.push("FROM vacancies v INDEXED BY vacancies_board_idx WHERE ");
            }
            (true, false) => {
                sql.push("FROM vacancies v WHERE v.search_vector @@ to_tsquery('simple', ")
                    .text(terms.tsquery())
                    .push(") AND ");
            }
            (true, true) => {
                sql.push("FROM vacancies v WHERE ");
            }
        }
        sql.push("v.status = 'published' AND v.closes_on >= ")
            .date(today);
        if let Some(wage) = self.min_wage {
            // A hidden wage never matches, so that a filter cannot reveal it.
            sql.push(" AND v.show_wage AND COALESCE(v.wage_max, v.wage_min) >= ")
                .big_int(wage);
        }
    }

    /// The conditions of the filters with counts, except `skip` (whose own counts must show
    /// what choosing another value would give).
    fn push_facets(&self, sql: &mut Sql, cols: &Cols, skip: Option<Facet>, now: NaiveDateTime) {
        if skip != Some(Facet::Place) {
            match self.place {
                Some(Place::Kecamatan(k)) => {
                    sql.push(" AND ").push(cols.kelurahan).push(" IN (");
                    sql.text_list(regions::children(k.code).map(|r| r.code));
                    sql.push(")");
                }
                Some(Place::Outside) => {
                    sql.push(" AND ").push(cols.kelurahan).push(" IS NULL");
                }
                None => {}
            }
        }
        if let (Some(group), true) = (self.group, skip != Some(Facet::Group)) {
            sql.push(" AND ")
                .push(cols.group)
                .push(" = ")
                .text(group.code);
        }
        if let (Some(level), true) = (self.education, skip != Some(Facet::Education)) {
            sql.push(" AND ")
                .push(cols.education)
                .push(" <= ")
                .small_int(level.code());
        }
        if let (Some(t), true) = (self.employment_type, skip != Some(Facet::EmploymentType)) {
            sql.push(" AND ")
                .push(cols.employment_type)
                .push(" = ")
                .text(t.as_str());
        }
        if self.disability_friendly && skip != Some(Facet::Disability) {
            sql.push(" AND ").push(cols.disability);
        }
        if let (Some(days), true) = (self.posted_within, skip != Some(Facet::Posted)) {
            sql.push(" AND ")
                .push(cols.published_at)
                .push(" >= ")
                .timestamp(now - Duration::days(days));
        }
    }
}

#[derive(QueryableByName)]
struct FacetRow {
    #[diesel(sql_type = Text)]
    facet: String,
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// One choice of a filter and how many results choosing it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count<T> {
    pub value: T,
    pub count: i64,
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
#[derive(Debug, Clone, QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub company_name: String,
    #[diesel(sql_type = Integer)]
    pub company_id: i32,
    #[diesel(sql_type = Text)]
    pub kbji_code: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub kelurahan_code: Option<String>,
    #[diesel(sql_type = Text)]
    pub regency_code: String,
    #[diesel(sql_type = Text)]
    pub employment_type: String,
    #[diesel(sql_type = SmallInt)]
    pub education_min: i16,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub wage_min: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub wage_max: Option<i64>,
    #[diesel(sql_type = Bool)]
    pub show_wage: bool,
    #[diesel(sql_type = Bool)]
    pub disability_friendly: bool,
    #[diesel(sql_type = Integer)]
    pub positions: i32,
    #[diesel(sql_type = Date)]
    pub closes_on: NaiveDate,
    #[diesel(sql_type = Timestamp)]
    pub published_at: NaiveDateTime,
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

const HIT_COLUMNS: &str = "v.id, v.title, c.name AS company_name, v.company_id, v.kbji_code, \
     v.kelurahan_code, v.regency_code, v.employment_type, v.education_min, v.wage_min, \
     v.wage_max, v.show_wage, v.disability_friendly, \
     v.quota_male + v.quota_female + v.quota_any AS positions, v.closes_on, \
     COALESCE(v.published_at, v.status_changed_at) AS published_at";

/// Runs a search: two queries, one for the counts and the total, one for the page.
pub fn run(conn: &mut DbConnection, search: &Search, now: NaiveDateTime) -> QueryResult<Results> {
    let facets_sql = facet_query(conn, search, now);
    let rows: Vec<FacetRow> = facets_sql.into_query().load(conn)?;
    let (total, facets) = collect_facets(&rows);
    let hits = if total > search.offset() {
        page_query(conn, search, now).into_query().load(conn)?
    } else {
        Vec::new()
    };
    Ok(Results {
        total,
        hits,
        facets,
    })
}

fn facet_query(conn: &DbConnection, search: &Search, now: NaiveDateTime) -> Sql {
    let mut sql = Sql::new(conn);
    // Matched once, counted six ways.
    sql.push(
        "WITH m AS MATERIALIZED (SELECT v.kelurahan_code AS kel, \
         substr(v.kbji_code, 1, 1) AS grp, v.education_min AS edu, v.employment_type AS typ, \
         v.disability_friendly AS dis, v.published_at AS pub ",
    );
    search.push_matched(&mut sql, now.date());
    sql.push(
        ") SELECT 'total' AS facet, CAST(NULL AS TEXT) AS value, COUNT(*) AS n FROM m WHERE 1 = 1",
    );
    search.push_facets(&mut sql, &MATCHED_COLS, None, now);
    let grouped = [
        (Facet::Place, "place", "kel"),
        (Facet::Group, "group", "grp"),
        (Facet::Education, "education", "CAST(edu AS TEXT)"),
        (Facet::EmploymentType, "type", "typ"),
    ];
    for (facet, name, column) in grouped {
        sql.push(" UNION ALL SELECT '")
            .push(name)
            .push("', ")
            .push(column)
            .push(", COUNT(*) FROM m WHERE 1 = 1");
        search.push_facets(&mut sql, &MATCHED_COLS, Some(facet), now);
        sql.push(" GROUP BY ").push(column);
    }
    sql.push(" UNION ALL SELECT 'disability', CAST(NULL AS TEXT), COUNT(*) FROM m WHERE dis");
    search.push_facets(&mut sql, &MATCHED_COLS, Some(Facet::Disability), now);
    // Each vacancy falls in the narrowest "posted within" bucket; the counts add up below.
    sql.push(" UNION ALL SELECT 'posted', bucket, COUNT(*) FROM (SELECT CASE");
    for days in POSTED_WITHIN {
        sql.push(" WHEN pub >= ")
            .timestamp(now - Duration::days(days))
            .push(&format!(" THEN '{days}'"));
    }
    sql.push(" ELSE 'older' END AS bucket FROM m WHERE 1 = 1");
    search.push_facets(&mut sql, &MATCHED_COLS, Some(Facet::Posted), now);
    sql.push(") b GROUP BY bucket");
    sql
}

/// The page of results: ordered and cut on the narrow columns first, then only those rows
/// are read whole.
fn page_query(conn: &DbConnection, search: &Search, now: NaiveDateTime) -> Sql {
    let mut sql = Sql::new(conn);
    sql.push("SELECT ")
        .push(HIT_COLUMNS)
        .push(" FROM (SELECT v.id, v.published_at, v.closes_on, ")
        .push(WAGE_SORT)
        .push(" AS wage ");
    search.push_matched(&mut sql, now.date());
    search.push_facets(&mut sql, &TABLE_COLS, None, now);
    sql.push(" ORDER BY ")
        .push(&search.sort.order_by("v.", WAGE_SORT))
        .push(" LIMIT ")
        .big_int(PER_PAGE)
        .push(" OFFSET ")
        .big_int(search.offset())
        .push(
            ") p JOIN vacancies v ON v.id = p.id JOIN companies c ON c.id = v.company_id ORDER BY ",
        )
        .push(&search.sort.order_by("p.", "p.wage"));
    sql
}

fn collect_facets(rows: &[FacetRow]) -> (i64, Facets) {
    let mut total = 0;
    let mut facets = Facets::default();
    let mut places = std::collections::HashMap::<&str, i64>::new();
    let mut groups = [0i64; 10];
    let mut education = [0i64; EducationLevel::ALL.len()];
    let mut posted = std::collections::HashMap::<&str, i64>::new();
    let mut types = Vec::new();
    for row in rows {
        let value = row.value.as_deref();
        match row.facet.as_str() {
            "total" => total = row.n,
            "place" => {
                // Kelurahan roll up into their kecamatan; no kelurahan means outside Binjai.
                let place = match value.and_then(regions::binjai_kelurahan_by_code) {
                    Some(kel) => kel.parent_code().unwrap_or(Place::OUTSIDE),
                    None => Place::OUTSIDE,
                };
                *places.entry(place).or_default() += row.n;
            }
            "group" => {
                if let Some(slot) = value
                    .and_then(|v| v.parse::<usize>().ok())
                    .and_then(|d| groups.get_mut(d))
                {
                    *slot += row.n;
                }
            }
            "education" => {
                if let Some(slot) = value
                    .and_then(|v| v.parse::<usize>().ok())
                    .and_then(|code| education.get_mut(code))
                {
                    *slot += row.n;
                }
            }
            "type" => {
                if let Some(t) = value.and_then(EmploymentType::parse) {
                    types.push((t, row.n));
                }
            }
            "disability" => facets.disability_friendly = row.n,
            "posted" => *posted.entry(value.unwrap_or("older")).or_default() += row.n,
            _ => {}
        }
    }
    facets.places = regions::binjai_kecamatan()
        .map(Place::Kecamatan)
        .chain([Place::Outside])
        .map(|place| Count {
            value: place,
            count: places.get(place.code()).copied().unwrap_or(0),
        })
        .collect();
    facets.groups = kbji::MAJOR_GROUPS
        .iter()
        .enumerate()
        .map(|(i, group)| Count {
            value: group,
            count: groups[i],
        })
        .collect();
    // Someone with a level qualifies for every vacancy asking for it or for less.
    let mut running = 0;
    facets.education = EducationLevel::ALL
        .iter()
        .map(|level| {
            running += education[level.code() as usize];
            Count {
                value: *level,
                count: running,
            }
        })
        .collect();
    facets.employment_types = EmploymentType::ALL
        .iter()
        .map(|t| Count {
            value: *t,
            count: types.iter().filter(|(u, _)| u == t).map(|(_, n)| n).sum(),
        })
        .collect();
    let mut running = 0;
    facets.posted_within = POSTED_WITHIN
        .iter()
        .map(|days| {
            running += posted.get(days.to_string().as_str()).copied().unwrap_or(0);
            Count {
                value: *days,
                count: running,
            }
        })
        .collect();
    (total, facets)
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
            Some(3_500_000)
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
        assert_eq!(s.keyword.len(), MAX_KEYWORD_CHARS);
        assert_eq!(
            Search::from_query("hal=99999").page,
            MAX_PAGE,
            "deep pages stop at the last linked page"
        );
    }
}
