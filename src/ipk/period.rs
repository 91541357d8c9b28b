//! Months, as the ledger counts them (`yyyymm`), and the months closed to new facts.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::schema::ipk_closed_months;

/// A calendar month in Binjai.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Self { year, month })
    }

    pub fn of(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `2026-11`, as a form or a URL writes it.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.trim().split_once('-')?;
        Self::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// The stored form: `202611`.
    pub fn key(self) -> i32 {
        self.year * 100 + self.month as i32
    }

    pub fn from_key(key: i32) -> Option<Self> {
        Self::new(key / 100, (key % 100) as u32)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                month: self.month - 1,
                ..self
            }
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

pub fn is_closed(conn: &mut DbConnection, month: Month) -> QueryResult<bool> {
    let n: i64 = ipk_closed_months::table
        .filter(ipk_closed_months::period.eq(month.key()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The latest month closed, if any.
pub fn latest_closed(conn: &mut DbConnection) -> QueryResult<Option<Month>> {
    let key: Option<i32> = ipk_closed_months::table
        .select(diesel::dsl::max(ipk_closed_months::period))
        .first(conn)?;
    Ok(key.and_then(Month::from_key))
}

/// The month a fact dated `on` is counted in, seen on `today`, when `latest_closed` is the
/// latest month closed: its own, unless that month or a later one is closed (counted in an
/// open month before a closed one, it would change what the closed month carried over);
/// then the current month, as a correction (`true`).
pub fn month_for(on: NaiveDate, today: NaiveDate, latest_closed: Option<Month>) -> (Month, bool) {
    let own = Month::of(on);
    if own < Month::of(today) && latest_closed.is_some_and(|closed| own <= closed) {
        (Month::of(today), true)
    } else {
        (own, false)
    }
}

/// [`month_for`] with the months closed as they stand.
pub fn counted_in(
    conn: &mut DbConnection,
    on: NaiveDate,
    today: NaiveDate,
) -> QueryResult<(Month, bool)> {
    Ok(month_for(on, today, latest_closed(conn)?))
}

/// Why a month cannot be closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotClosable {
    /// It has not ended yet.
    NotOver,
    AlreadyClosed,
}

/// Closes a month that has ended: later facts dated in it are counted in the month they
/// are recorded in.
pub fn close(
    conn: &mut DbConnection,
    month: Month,
    by: Option<UserId>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Result<(), NotClosable>> {
    if month >= Month::of(today) {
        return Ok(Err(NotClosable::NotOver));
    }
    if is_closed(conn, month)? {
        return Ok(Err(NotClosable::AlreadyClosed));
    }
    diesel::insert_into(ipk_closed_months::table)
        .values((
            ipk_closed_months::period.eq(month.key()),
            ipk_closed_months::closed_at.eq(now),
            ipk_closed_months::closed_by.eq(by),
        ))
        .execute(conn)?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_over_the_year() {
        let dec = Month::new(2026, 12).unwrap();
        assert_eq!(dec.next(), Month::new(2027, 1).unwrap());
        assert_eq!(dec.next().previous(), dec);
        assert_eq!(dec.key(), 202612);
        assert_eq!(Month::from_key(202612), Some(dec));
        assert_eq!(Month::parse("2026-12"), Some(dec));
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(dec.to_string(), "2026-12");
    }

    #[test]
    fn a_fact_dated_in_or_before_a_closed_month_counts_in_the_current_month() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = day(2025, 4, 4);
        let march = Month::new(2025, 3);
        let april = Month::new(2025, 4).unwrap();
        assert_eq!(month_for(day(2025, 3, 28), today, march), (april, true));
        // January is open, but February and March carry it over.
        assert_eq!(month_for(day(2025, 1, 9), today, march), (april, true));
        assert_eq!(
            month_for(day(2025, 3, 28), today, Month::new(2025, 2)),
            (march.unwrap(), false)
        );
        assert_eq!(month_for(day(2025, 4, 1), today, march), (april, false));
        assert_eq!(
            month_for(day(2025, 3, 28), today, None),
            (march.unwrap(), false)
        );
    }
}
