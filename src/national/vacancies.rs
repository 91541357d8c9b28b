//! The national job board's vacancies located in Kota Binjai (Karirhub, through the pull):
//! the `national_vacancies` table. They have no local company, quota or review; the public
//! search shows them beside the portal's own, marked with their source and linked to the
//! original, where a resident applies.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::fields::Fields;
use crate::db::DbConnection;
use crate::domain::{KbjiCode, Rupiah};
use crate::reference::education::EducationLevel;
use crate::reference::{kbji, regions};
use crate::schema::national_vacancies as nv;
use crate::vacancies::EmploymentType;

/// A national vacancy as the pull checked it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub source: String,
    pub url: String,
    pub title: String,
    pub employer_name: String,
    pub employer_nib: Option<String>,
    pub kbji_code: KbjiCode,
    pub kbji_version: String,
    pub kelurahan_code: Option<String>,
    pub employment_type: Option<EmploymentType>,
    pub education_min: Option<EducationLevel>,
    pub wage_min: Option<Rupiah>,
    pub wage_max: Option<Rupiah>,
    pub positions: Option<i32>,
    pub disability_friendly: bool,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

/// Reads a pulled record (§8's `vacancies` fields, with `tautan`, the original's address):
/// the vacancy, or the first problem as (field, translation key).
pub fn incoming(
    record: &serde_json::Value,
    origin: &str,
) -> Result<Incoming, (String, &'static str)> {
    let mut f = Fields::of(record)?;
    let title = f.text("judul", true, 200);
    let employer_name = f.text("nama_perusahaan", true, 200);
    let employer_nib = f.optional("nib").and_then(|raw| {
        crate::employers::parse_nib(&raw).or_else(|| f.problem("nib", "national.pull.error.nib"))
    });
    let kbji_code = f.optional("kode_kbji").and_then(|raw| {
        let known = KbjiCode::parse(&raw).ok().filter(|c| {
            let c = c.as_str();
            kbji::occupation(&c[..c.len().min(4)]).is_some()
        });
        known.or_else(|| f.problem("kode_kbji", "national.pull.error.unknown_code"))
    });
    if kbji_code.is_none() {
        f.require("kode_kbji");
    }
    let kbji_version = f.optional("versi_kbji").unwrap_or_else(|| "2014".into());
    let regency = f.text("kode_kabupaten_kota", true, 20);
    if !regency.is_empty() && regency != regions::BINJAI_CODE {
        f.problem::<()>("kode_kabupaten_kota", "national.pull.error.not_binjai");
    }
    let kelurahan_code = f.optional("kode_kelurahan").and_then(|code| {
        let inside = regions::get(&code).is_some()
            && code.starts_with(&format!("{}.", regions::BINJAI_CODE))
            && code.len() == "12.75.01.1001".len();
        if inside {
            Some(code)
        } else {
            f.problem("kode_kelurahan", "national.pull.error.unknown_code")
        }
    });
    let employment_type = f.optional("hubungan_kerja").and_then(|raw| {
        EmploymentType::parse(&raw)
            .or_else(|| f.problem("hubungan_kerja", "national.pull.error.unknown_code"))
    });
    let education_min = f.integer("pendidikan_minimal").and_then(|n| {
        i16::try_from(n)
            .ok()
            .and_then(EducationLevel::from_code)
            .or_else(|| f.problem("pendidikan_minimal", "national.pull.error.unknown_code"))
    });
    let wage_min = f.rupiah("upah_minimum");
    let wage_max = f.rupiah("upah_maksimum");
    if let (Some(lo), Some(hi)) = (wage_min, wage_max)
        && lo > hi
    {
        f.problem::<()>("upah_maksimum", "national.pull.error.wage_order");
    }
    let quotas = ["kuota_laki_laki", "kuota_perempuan", "kuota_bebas"].map(|k| f.integer(k));
    let positions = quotas
        .iter()
        .any(Option::is_some)
        .then(|| quotas.iter().flatten().sum::<i64>())
        .and_then(|n| i32::try_from(n).ok().filter(|n| *n >= 0));
    let disability_friendly = f.flag("ramah_disabilitas");
    let opens_on = f.date("tanggal_buka", true);
    let closes_on = f.date("tanggal_tutup", true);
    if let (Some(o), Some(c)) = (opens_on, closes_on)
        && c < o
    {
        f.problem::<()>("tanggal_tutup", "national.pull.error.date_order");
    }
    let url = f.text("tautan", true, 500);
    if !url.is_empty() && !is_https(&url) {
        f.problem::<()>("tautan", "national.pull.error.url");
    }
    let source = f
        .optional("sumber")
        .unwrap_or_else(|| origin.to_owned())
        .chars()
        .take(40)
        .collect();
    f.done()?;
    Ok(Incoming {
        source,
        url,
        title,
        employer_name,
        employer_nib,
        kbji_code: kbji_code.ok_or(("kode_kbji".to_owned(), "national.pull.error.required"))?,
        kbji_version,
        kelurahan_code,
        employment_type,
        education_min,
        wage_min,
        wage_max,
        positions,
        disability_friendly,
        opens_on: opens_on.ok_or(("tanggal_buka".to_owned(), "national.pull.error.required"))?,
        closes_on: closes_on.ok_or(("tanggal_tutup".to_owned(), "national.pull.error.required"))?,
    })
}

/// An absolute `https://` address with a host and no spaces: a link a resident may follow.
fn is_https(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
            && host.contains('.')
            && !url
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
    })
}

/// Stores a national vacancy (new, or a newer version of one held); its id.
pub fn store(
    conn: &mut DbConnection,
    external_id: &str,
    version: i64,
    v: &Incoming,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    let values = (
        nv::version.eq(version),
        nv::source.eq(&v.source),
        nv::url.eq(&v.url),
        nv::title.eq(&v.title),
        nv::employer_name.eq(&v.employer_name),
        nv::employer_nib.eq(v.employer_nib.as_deref()),
        nv::kbji_code.eq(v.kbji_code.as_str()),
        nv::kbji_version.eq(&v.kbji_version),
        nv::kelurahan_code.eq(v.kelurahan_code.as_deref()),
        nv::regency_code.eq(regions::BINJAI_CODE),
        nv::employment_type.eq(v.employment_type),
        nv::education_min.eq(v.education_min.map(EducationLevel::code)),
        (
            nv::wage_min.eq(v.wage_min.map(Rupiah::amount)),
            nv::wage_max.eq(v.wage_max.map(Rupiah::amount)),
            nv::positions.eq(v.positions),
            nv::disability_friendly.eq(v.disability_friendly),
            nv::opens_on.eq(v.opens_on),
            nv::closes_on.eq(v.closes_on),
            nv::withdrawn_at.eq(None::<NaiveDateTime>),
            nv::pulled_at.eq(now),
        ),
    );
    let known: Option<i32> = nv::table
        .filter(nv::external_id.eq(external_id))
        .select(nv::id)
        .first(conn)
        .optional()?;
    match known {
        Some(id) => {
            diesel::update(nv::table.find(id))
                .set(values)
                .execute(conn)?;
            Ok(id)
        }
        None => diesel::insert_into(nv::table)
            .values((nv::external_id.eq(external_id), values))
            .returning(nv::id)
            .get_result(conn),
    }
}

/// The national side withdrew the vacancy: it leaves the search.
pub fn withdraw(conn: &mut DbConnection, external_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        nv::table
            .filter(nv::external_id.eq(external_id))
            .filter(nv::withdrawn_at.is_null()),
    )
    .set(nv::withdrawn_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// A national vacancy as the search shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = nv)]
pub struct NationalVacancy {
    pub id: i32,
    pub source: String,
    pub url: String,
    pub title: String,
    pub employer_name: String,
    pub kbji_code: KbjiCode,
    pub kelurahan_code: Option<String>,
    pub employment_type: Option<EmploymentType>,
    pub education_min: Option<i16>,
    pub wage_min: Option<Rupiah>,
    pub wage_max: Option<Rupiah>,
    pub positions: Option<i32>,
    pub disability_friendly: bool,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

/// The national vacancies open for search, newest first, each with its title and
/// employer in lower case for the keyword. They are dozens to hundreds, and change only
/// when a pull brings something: the search keeps them in memory
/// ([`crate::search::SearchCache`], moved by their row of `search_versions`), so the box
/// beside every search costs no query but that row's.
pub struct Open(Vec<(NationalVacancy, String)>);

impl crate::search::Snapshot for Open {
    const VERSION_ROW: &'static str = "national_vacancies";

    fn load(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Self> {
        let rows: Vec<NationalVacancy> = nv::table
            .filter(nv::withdrawn_at.is_null())
            .filter(nv::closes_on.ge(today))
            .order((nv::opens_on.desc(), nv::id.desc()))
            .select(NationalVacancy::as_select())
            .load(conn)?;
        Ok(Self(
            rows.into_iter()
                .map(|v| {
                    let words = format!("{} {}", v.title, v.employer_name).to_lowercase();
                    (v, words)
                })
                .collect(),
        ))
    }
}

/// The search's copy of the open national vacancies, with the first page of each search
/// kept at its version.
pub type NationalCache = crate::search::SearchCache<Open, (Vec<NationalVacancy>, i64)>;

/// What narrows the national vacancies: the public search's own filters, as far as a
/// national vacancy states them.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    /// Lower-case words, each of which the title or the employer's name contains.
    pub words: Vec<String>,
    /// A kecamatan code (`12.75.01`).
    pub kecamatan: Option<&'a str>,
    /// A KBJI major group (one digit).
    pub group: Option<&'a str>,
    /// The searcher's education: vacancies asking for it or less (or not saying).
    pub education: Option<i16>,
    pub employment_type: Option<EmploymentType>,
    pub min_wage: Option<Rupiah>,
    pub disability_friendly: bool,
    /// Opened on or after this day.
    pub opened_since: Option<NaiveDate>,
}

impl Filter<'_> {
    fn takes(&self, v: &NationalVacancy, words: &str, today: NaiveDate) -> bool {
        v.opens_on <= today
            && v.closes_on >= today
            && self.words.iter().all(|w| words.contains(w.as_str()))
            && self.kecamatan.is_none_or(|k| {
                v.kelurahan_code
                    .as_deref()
                    .is_some_and(|c| c.strip_prefix(k).is_some_and(|rest| rest.starts_with('.')))
            })
            && self
                .group
                .is_none_or(|g| v.kbji_code.as_str().starts_with(g))
            && self
                .education
                .is_none_or(|level| v.education_min.is_none_or(|e| e <= level))
            && self
                .employment_type
                .is_none_or(|t| v.employment_type == Some(t))
            && self
                .min_wage
                .is_none_or(|w| match (v.wage_max, v.wage_min) {
                    (Some(max), _) => max >= w,
                    (None, Some(min)) => min >= w,
                    (None, None) => false,
                })
            && (!self.disability_friendly || v.disability_friendly)
            && self.opened_since.is_none_or(|since| v.opens_on >= since)
    }
}

impl Open {
    /// The open national vacancies matching `filter`, newest first: `limit` of them from
    /// `offset`, and the total.
    pub fn search(
        &self,
        filter: &Filter,
        today: NaiveDate,
        offset: usize,
        limit: usize,
    ) -> (Vec<NationalVacancy>, i64) {
        let found: Vec<&NationalVacancy> = self
            .0
            .iter()
            .filter(|(v, words)| filter.takes(v, words, today))
            .map(|(v, _)| v)
            .collect();
        let total = found.len() as i64;
        (
            found
                .into_iter()
                .skip(offset)
                .take(limit)
                .cloned()
                .collect(),
            total,
        )
    }
}
