//! What a data set gives an export: its columns (each with how it is masked), the first
//! date its records have, how many rows a filter selects, and a page of rows after a
//! cursor. The module that owns the records implements these (`seekers::dataset`,
//! `vacancies::dataset`, ...), as it implements `own_data` for a person's copy; the list in
//! [`super::datasets`] puts them together. Rows go out cell by cell through [`Rows`], so no
//! page is ever held as text: the owner's page of records is the only buffer.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::filter::Filter;
use crate::db::DbConnection;

/// How a column is written when personal data is masked (the default). With a stated
/// purpose every column is written as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mask {
    /// Not personal: always written.
    Keep,
    /// A NIK: the first four digits (province and regency) and the last four (serial),
    /// `1275********0001`.
    Nik,
    /// A birth date: the year only.
    Year,
    /// A date that, with the rest of the row, would point at one person (a dismissal, a
    /// benefit): the month only, `2026-03`.
    Month,
    /// Personal and of no use masked (a name, an address, a phone number): left out,
    /// header and all.
    Omit,
}

/// One column of a data set: its header (Indonesian, lower case with underscores, as the
/// import templates) and its mask.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub mask: Mask,
}

/// A column (a `const` helper for the owners' column lists).
pub const fn col(name: &'static str, mask: Mask) -> Column {
    Column { name, mask }
}

/// A plain column.
pub const fn keep(name: &'static str) -> Column {
    col(name, Mask::Keep)
}

/// One value, borrowed from the owner's record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Date(NaiveDate),
    Bool(bool),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(v: &'a str) -> Self {
        Cell::Text(v)
    }
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Cell::Empty, Cell::Text)
    }
}

impl From<NaiveDate> for Cell<'_> {
    fn from(v: NaiveDate) -> Self {
        Cell::Date(v)
    }
}

impl From<Option<NaiveDate>> for Cell<'_> {
    fn from(v: Option<NaiveDate>) -> Self {
        v.map_or(Cell::Empty, Cell::Date)
    }
}

impl From<i64> for Cell<'_> {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}

impl From<i32> for Cell<'_> {
    fn from(v: i32) -> Self {
        Cell::Int(i64::from(v))
    }
}

impl From<i16> for Cell<'_> {
    fn from(v: i16) -> Self {
        Cell::Int(i64::from(v))
    }
}

impl From<Option<i64>> for Cell<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Cell::Empty, Cell::Int)
    }
}

impl From<Option<i32>> for Cell<'_> {
    fn from(v: Option<i32>) -> Self {
        v.map_or(Cell::Empty, |v| Cell::Int(i64::from(v)))
    }
}

impl From<Option<i16>> for Cell<'_> {
    fn from(v: Option<i16>) -> Self {
        v.map_or(Cell::Empty, |v| Cell::Int(i64::from(v)))
    }
}

impl From<bool> for Cell<'_> {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}

/// Where rows go: one cell per column, in the order of the data set's columns, then the
/// end of the row. Writing never fails here; the writer keeps its first error and the
/// export stops after the page (see `super::write`).
pub trait Rows {
    fn cell(&mut self, cell: Cell<'_>);
    fn end_row(&mut self);

    /// Cells in a row, for the owners' brevity.
    fn cells(&mut self, cells: &[Cell<'_>]) {
        for c in cells {
            self.cell(*c);
        }
    }
}

/// What one page asks of the owner.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub filter: &'a Filter,
    /// The keyset cursor: rows with an id above this (0 for the first page).
    pub after: i32,
    /// Records read per page, at most.
    pub limit: i64,
    /// Whether personal columns are written: when not, the owner may leave them empty and
    /// skip the reads they need (names from `accounts`, say).
    pub personal: bool,
    /// Exactly these records (those that still exist and that the filter takes: pass
    /// `Filter::default()`), for the sharing API's page of the change feed; `after` is
    /// then not applied, `limit` is. `None` for an export.
    pub ids: Option<&'a [i32]>,
}

/// What one page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    /// Records read (the progress counts these; some may be filtered out after reading,
    /// by a kecamatan held on another owner's record).
    pub scanned: u64,
    /// The last id read: the next page's cursor. `None` when the page was the last.
    pub last: Option<i32>,
}

impl Read {
    /// The outcome of a page of `ids` (in order) read with `limit`.
    pub fn of(ids: impl DoubleEndedIterator<Item = i32> + ExactSizeIterator, limit: i64) -> Self {
        let scanned = ids.len() as u64;
        let last = ids.last();
        Self {
            scanned,
            last: if i64::try_from(scanned).unwrap_or(i64::MAX) < limit {
                None
            } else {
                last
            },
        }
    }
}

/// Narrows a boxed query to the filter's period: on a date column both ends are included;
/// on a timestamp column the period is Binjai days (`Filter::since`, `Filter::until`).
macro_rules! within_period {
    ($query:expr, $filter:expr, date $column:expr) => {{
        let filter: &$crate::exports::Filter = $filter;
        let mut q = $query;
        if let Some(from) = filter.from {
            q = q.filter($column.ge(from));
        }
        if let Some(to) = filter.to {
            q = q.filter($column.le(to));
        }
        q
    }};
    ($query:expr, $filter:expr, timestamp $column:expr) => {{
        let filter: &$crate::exports::Filter = $filter;
        let mut q = $query;
        if let Some(since) = filter.since() {
            q = q.filter($column.ge(since));
        }
        if let Some(until) = filter.until() {
            q = q.filter($column.lt(until));
        }
        q
    }};
}

pub(crate) use within_period;

/// Narrows a boxed query to the page's records: its `ids` when it has them, else the rows
/// after its cursor.
macro_rules! keyset {
    ($query:expr, $page:expr, $id:expr) => {{
        let page: &$crate::exports::dataset::Page<'_> = $page;
        match page.ids {
            Some(ids) => $query.filter($id.eq_any(ids)),
            None => $query.filter($id.gt(page.after)),
        }
    }};
}

pub(crate) use keyset;

/// A page's rows, written on the writer's thread: the owner reads a page into its own
/// records and returns this, which owns them.
pub type Emit = Box<dyn FnOnce(&mut dyn Rows) + Send>;

/// One data set as its owner provides it.
pub struct Provider {
    /// The columns, in groups (the shared ones below, and the owner's own).
    pub columns: &'static [&'static [Column]],
    /// The first date of the data set's records, by the date its period filters on.
    pub first_date: fn(&mut DbConnection) -> QueryResult<Option<NaiveDate>>,
    /// Records the period selects (and the kecamatan, where the owner's own table holds
    /// it): the progress bar's total.
    pub count: fn(&mut DbConnection, &Filter) -> QueryResult<i64>,
    /// One page of records, in id order, and what writes them: the writer's thread runs
    /// it while this thread reads the next page.
    pub read: fn(&mut DbConnection, &Page<'_>) -> QueryResult<(Read, Emit)>,
}

impl Provider {
    /// The columns in one list, in the order rows give their cells.
    pub fn columns(&self) -> Vec<Column> {
        self.columns
            .iter()
            .flat_map(|g| g.iter().copied())
            .collect()
    }
}

/// Where a record is, by the Kemendagri codes and their names: written by [`place`].
pub const PLACE: &[Column] = &[
    keep("kode_kelurahan"),
    keep("kelurahan"),
    keep("kode_kecamatan"),
    keep("kecamatan"),
    keep("kode_kabupaten_kota"),
];

/// The cells of [`PLACE`]: a kelurahan of Binjai with its kecamatan, or only the regency of
/// an address elsewhere.
pub fn place(out: &mut dyn Rows, kelurahan: Option<&str>, regency: Option<&str>) {
    use crate::reference::regions;
    let kel = kelurahan.and_then(regions::get);
    let kec = kel.and_then(|k| k.parent_code()).and_then(regions::get);
    out.cell(kelurahan.into());
    out.cell(kel.map(|k| k.name).into());
    out.cell(kec.map(|k| k.code).into());
    out.cell(kec.map(|k| k.name).into());
    out.cell(regency.or_else(|| kec.and_then(|k| k.parent_code())).into());
}

/// The version of each code list a data set uses, in a column each, on every row: a list
/// changes over the years and a record keeps the code it was given, so the version
/// belongs with the code (Satu Data Indonesia asks for reference codes with their version).
/// A data set lists the group of the lists it uses, and ends each row with [`versions`].
pub const REGIONS_VERSION: &[Column] = &[keep("versi_kode_wilayah")];
pub const REGIONS_KBJI_VERSIONS: &[Column] = &[keep("versi_kode_wilayah"), keep("versi_kbji")];
pub const REGIONS_KBLI_VERSIONS: &[Column] = &[keep("versi_kode_wilayah"), keep("versi_kbli")];
pub const ALL_VERSIONS: &[Column] = &[
    keep("versi_kode_wilayah"),
    keep("versi_kbji"),
    keep("versi_kbli"),
];

/// The cells of a group of version columns, and the end of the row.
pub fn versions(out: &mut dyn Rows, group: &[Column]) {
    for column in group {
        out.cell(Cell::Text(match column.name {
            "versi_kbji" => crate::reference::KBJI_VERSION,
            "versi_kbli" => crate::reference::KBLI_VERSION,
            _ => crate::reference::regions::VERSION,
        }));
    }
    out.end_row();
}

/// A timestamp's Binjai date, for "registered on" columns.
pub fn day_of(at: chrono::NaiveDateTime) -> NaiveDate {
    crate::domain::calendar::date_of(at)
}

/// The job titles a page names, by id (their KBJI code and Indonesian title): only those,
/// as a page of the API names a few and reading all of them was a tenth of its time.
pub fn job_titles(
    conn: &mut DbConnection,
    ids: impl Iterator<Item = crate::domain::ids::JobTitleId>,
) -> QueryResult<
    std::collections::HashMap<crate::domain::ids::JobTitleId, (crate::domain::KbjiCode, String)>,
> {
    let mut ids: Vec<_> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(crate::reference::job_title_names(conn, &ids)?
        .into_iter()
        .map(|(id, code, title)| (id, (code, title)))
        .collect())
}

/// A stored date or timestamp read without chrono's general machinery, which was a tenth
/// of a million-row export's time on SQLite. Select the column itself (`Date` or
/// `Timestamp`): SQLite's ISO text is parsed by hand, PostgreSQL's binary value (days or
/// microseconds since 2000) is counted from its epoch, so neither backend formats a date as
/// text for the export. A text column in ISO form reads too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::deserialize::FromSqlRow)]
pub struct IsoDate {
    pub date: NaiveDate,
    /// The hour of a timestamp (0 for a date).
    hour: u32,
}

impl IsoDate {
    pub fn parse(raw: &str) -> Option<Self> {
        let b = raw.as_bytes();
        let digits = |from: usize, to: usize| -> Option<u32> {
            b.get(from..to)?.iter().try_fold(0u32, |n, d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(
            i32::try_from(digits(0, 4)?).ok()?,
            digits(5, 7)?,
            digits(8, 10)?,
        )?;
        let hour = if b.len() > 10 { digits(11, 13)? } else { 0 };
        Some(Self { date, hour })
    }

    /// The Binjai day of a stored (UTC) timestamp: from 17:00 UTC it is the next day.
    pub fn binjai_day(self) -> NaiveDate {
        crate::domain::calendar::date_of(self.date.and_hms_opt(self.hour, 0, 0).unwrap_or_default())
    }
}

impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for IsoDate
where
    DB: diesel::backend::Backend,
    String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
        let raw =
            <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
        Self::parse(&raw).ok_or_else(|| "a stored date is not in ISO form".into())
    }
}

/// PostgreSQL's epoch for dates and timestamps.
fn pg_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

impl diesel::deserialize::FromSql<diesel::sql_types::Date, diesel::sqlite::Sqlite> for IsoDate {
    fn from_sql(
        bytes: diesel::sqlite::SqliteValue<'_, '_, '_>,
    ) -> diesel::deserialize::Result<Self> {
        let raw = <String as diesel::deserialize::FromSql<
            diesel::sql_types::Date,
            diesel::sqlite::Sqlite,
        >>::from_sql(bytes)?;
        Self::parse(&raw).ok_or_else(|| "a stored date is not in ISO form".into())
    }
}

impl diesel::deserialize::FromSql<diesel::sql_types::Timestamp, diesel::sqlite::Sqlite>
    for IsoDate
{
    fn from_sql(
        bytes: diesel::sqlite::SqliteValue<'_, '_, '_>,
    ) -> diesel::deserialize::Result<Self> {
        let raw = <String as diesel::deserialize::FromSql<
            diesel::sql_types::Timestamp,
            diesel::sqlite::Sqlite,
        >>::from_sql(bytes)?;
        Self::parse(&raw).ok_or_else(|| "a stored timestamp is not in ISO form".into())
    }
}

impl diesel::deserialize::FromSql<diesel::sql_types::Date, diesel::pg::Pg> for IsoDate {
    fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
        let diesel::data_types::PgDate(days) = diesel::deserialize::FromSql::<
            diesel::sql_types::Date,
            diesel::pg::Pg,
        >::from_sql(bytes)?;
        let date = pg_epoch()
            .checked_add_signed(chrono::Duration::days(i64::from(days)))
            .ok_or("a stored date is out of range")?;
        Ok(Self { date, hour: 0 })
    }
}

impl diesel::deserialize::FromSql<diesel::sql_types::Timestamp, diesel::pg::Pg> for IsoDate {
    fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
        let diesel::data_types::PgTimestamp(micros) = diesel::deserialize::FromSql::<
            diesel::sql_types::Timestamp,
            diesel::pg::Pg,
        >::from_sql(bytes)?;
        const DAY: i64 = 86_400_000_000;
        let date = pg_epoch()
            .checked_add_signed(chrono::Duration::days(micros.div_euclid(DAY)))
            .ok_or("a stored timestamp is out of range")?;
        let hour = u32::try_from(micros.rem_euclid(DAY) / 3_600_000_000).unwrap_or(0);
        Ok(Self { date, hour })
    }
}

/// The portal's own connection: each backend's impl above, chosen by the connection.
type Multi = <DbConnection as diesel::Connection>::Backend;

impl diesel::deserialize::FromSql<diesel::sql_types::Date, Multi> for IsoDate {
    fn from_sql(
        bytes: <Multi as diesel::backend::Backend>::RawValue<'_>,
    ) -> diesel::deserialize::Result<Self> {
        bytes.from_sql::<Self, diesel::sql_types::Date>()
    }
}

impl diesel::deserialize::FromSql<diesel::sql_types::Timestamp, Multi> for IsoDate {
    fn from_sql(
        bytes: <Multi as diesel::backend::Backend>::RawValue<'_>,
    ) -> diesel::deserialize::Result<Self> {
        bytes.from_sql::<Self, diesel::sql_types::Timestamp>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_text_reads_as_the_date_chrono_would() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(IsoDate::parse("2026-03-09").unwrap().date, d(2026, 3, 9));
        let evening = IsoDate::parse("2026-03-09 17:00:00.25").unwrap();
        assert_eq!(evening.date, d(2026, 3, 9));
        assert_eq!(evening.binjai_day(), d(2026, 3, 10));
        assert_eq!(
            IsoDate::parse("2026-03-09 16:59:59").unwrap().binjai_day(),
            d(2026, 3, 9)
        );
        assert_eq!(
            IsoDate::parse("2026-12-31T20:00:00").unwrap().binjai_day(),
            d(2027, 1, 1)
        );
        for bad in ["", "2026-3-09", "2026-02-30", "09/03/2026", "2026-03-09 xx"] {
            assert_eq!(IsoDate::parse(bad), None, "{bad}");
        }
    }
}
