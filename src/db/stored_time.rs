//! A stored timestamp read without chrono's format machinery on SQLite, where diesel parses
//! the text against a list of format strings, each compiled anew on every value: a tenth of
//! the sharing API's page on SQLite went there (docs/decisions.md, "The API's logs in
//! batches"). The forms SQLite and diesel write are parsed by hand; anything else goes to
//! diesel's own parser, so no stored value reads differently. PostgreSQL's timestamps are
//! binary and read as diesel reads them.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::Timestamp;
use diesel::sqlite::{Sqlite, SqliteValue};

/// A `TIMESTAMP` column's value (UTC, as the portal stores instants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::deserialize::FromSqlRow)]
pub struct StoredTime(pub NaiveDateTime);

/// `YYYY-MM-DD HH:MM:SS` with an optional fraction of 1 to 9 digits, and `T` or a space
/// between date and time: `strftime('%Y-%m-%d %H:%M:%f')` in SQL and diesel's `%F %T%.f`.
fn parse(raw: &str) -> Option<NaiveDateTime> {
    let b = raw.as_bytes();
    let digits = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let shape_ok = b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
        && b[16] == b':';
    if !shape_ok {
        return None;
    }
    let nanos = match b.get(19..) {
        None | Some([]) => 0,
        Some([b'.', fraction @ ..]) if (1..=9).contains(&fraction.len()) => {
            let n = digits(20, b.len())?;
            n * 10u32.pow(9 - u32::try_from(fraction.len()).ok()?)
        }
        Some(_) => return None,
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0, 4)?).ok()?,
        digits(5, 7)?,
        digits(8, 10)?,
    )?;
    let time =
        NaiveTime::from_hms_nano_opt(digits(11, 13)?, digits(14, 16)?, digits(17, 19)?, nanos)?;
    Some(date.and_time(time))
}

impl FromSql<Timestamp, Sqlite> for StoredTime {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        if let Some(at) = parse(value.read_text()) {
            return Ok(Self(at));
        }
        <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Self)
    }
}

impl FromSql<Timestamp, Pg> for StoredTime {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Self)
    }
}

/// The portal's own connection: each backend's impl above, chosen by the connection.
impl FromSql<Timestamp, super::MultiBackend> for StoredTime {
    fn from_sql(
        bytes: <super::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        bytes.from_sql::<Self, Timestamp>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::prelude::*;

    fn chrono_reads(raw: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(raw, "%F %T%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(raw, "%FT%T%.f"))
            .unwrap()
    }

    #[test]
    fn the_forms_sqlite_and_diesel_write_read_as_chrono_reads_them() {
        for raw in [
            "2026-12-06 17:21:37",
            "2026-12-06 17:21:37.123",
            "2026-12-06T17:21:37.5",
            "2026-12-31 23:59:59.999999",
            "2024-02-29 00:00:00.123456789",
        ] {
            assert_eq!(parse(raw), Some(chrono_reads(raw)), "{raw}");
        }
        for raw in [
            "2026-12-06",
            "2026-02-30 10:00:00",
            "2026-12-06 25:00:00",
            "2026-12-06 17:21:37.",
            "2026-12-06 17:21:37.1234567890",
            "2026-12-06 17:21:37+07:00",
            "2026/12/06 17:21:37",
        ] {
            assert_eq!(parse(raw), None, "{raw}");
        }
    }

    /// Every value SQLite holds reads as diesel reads it, the hand-parsed ones and those
    /// left to diesel (an offset, a Julian day number).
    #[test]
    fn a_sqlite_value_reads_as_diesel_reads_it() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        for value in [
            "strftime('%Y-%m-%d %H:%M:%f', '2026-12-06 17:21:37.123')",
            "'2026-12-06 17:21:37'",
            "'2026-12-06T17:21:37.000001'",
            "'2026-12-06 17:21:37+00:00'",
            "julianday('2026-12-06 17:21:37')",
        ] {
            let query = format!("SELECT {value} AS at");
            #[derive(QueryableByName)]
            struct Ours {
                #[diesel(sql_type = Timestamp)]
                at: StoredTime,
            }
            #[derive(QueryableByName)]
            struct Diesels {
                #[diesel(sql_type = Timestamp)]
                at: NaiveDateTime,
            }
            let ours: Ours = diesel::sql_query(&query).get_result(&mut conn).unwrap();
            let theirs: Diesels = diesel::sql_query(&query).get_result(&mut conn).unwrap();
            assert_eq!(ours.at.0, theirs.at, "{value}");
        }
    }
}
