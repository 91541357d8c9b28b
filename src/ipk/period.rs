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

/// The latest closed month. Closing a month closes every month before it too: an earlier
/// month's figures are carried into it, so a late fact there would change it as well.
pub fn closed_through(conn: &mut DbConnection) -> QueryResult<Option<Month>> {
    let latest: Option<i32> = ipk_closed_months::table
        .select(diesel::dsl::max(ipk_closed_months::period))
        .first(conn)?;
    Ok(latest.and_then(Month::from_key))
}

/// A run of months a report covers: a month, a quarter, a half-year, a year, or any run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

/// Why a period cannot be reported, as a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPeriod {
    /// A month that is not `yyyy-mm`.
    Unreadable,
    EndBeforeStart,
    /// Ends after the current month.
    Future,
    /// Starts before the first month with any figure.
    BeforeData,
}

impl BadPeriod {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Unreadable => "ipk.period.error.unreadable",
            Self::EndBeforeStart => "ipk.period.error.end_before_start",
            Self::Future => "ipk.period.error.future",
            Self::BeforeData => "ipk.period.error.before_data",
        }
    }
}

impl Period {
    pub fn month(month: Month) -> Self {
        Self {
            from: month,
            to: month,
        }
    }

    /// The period from two months as a form gives them (`2026-01`, `2026-03`), checked
    /// against today and the first month with figures (`None`: nothing recorded yet).
    pub fn parse(
        from: &str,
        to: &str,
        today: NaiveDate,
        first: Option<Month>,
    ) -> Result<Self, BadPeriod> {
        let (Some(from), Some(to)) = (Month::parse(from), Month::parse(to)) else {
            return Err(BadPeriod::Unreadable);
        };
        if to < from {
            return Err(BadPeriod::EndBeforeStart);
        }
        if to > Month::of(today) {
            return Err(BadPeriod::Future);
        }
        if first.is_some_and(|first| from < first) {
            return Err(BadPeriod::BeforeData);
        }
        Ok(Self { from, to })
    }

    /// Whether every month of it has ended.
    pub fn is_over(self, today: NaiveDate) -> bool {
        self.to < Month::of(today)
    }

    /// The number of months in it.
    pub fn months(self) -> i32 {
        (self.to.year() - self.from.year()) * 12 + self.to.month() as i32 - self.from.month() as i32
            + 1
    }

    pub fn first_day(self) -> NaiveDate {
        self.from.first_day()
    }

    /// The day after its last.
    pub fn end(self) -> NaiveDate {
        self.to.next().first_day()
    }
}

/// The first month any fact is counted in.
pub fn first_month(conn: &mut DbConnection) -> QueryResult<Option<Month>> {
    let first: Option<i32> = crate::schema::ipk_facts::table
        .select(diesel::dsl::min(crate::schema::ipk_facts::period))
        .first(conn)?;
    Ok(first.and_then(Month::from_key))
}

pub fn is_closed(conn: &mut DbConnection, month: Month) -> QueryResult<bool> {
    Ok(closed_through(conn)?.is_some_and(|c| month <= c))
}

/// The month a fact dated `on` is counted in, seen on `today` with months up to
/// `closed_through` closed: its own, unless that month is closed; then the current month,
/// as a correction (`true`).
pub fn month_for(on: NaiveDate, today: NaiveDate, closed_through: Option<Month>) -> (Month, bool) {
    let own = Month::of(on);
    if own < Month::of(today) && closed_through.is_some_and(|c| own <= c) {
        (Month::of(today), true)
    } else {
        (own, false)
    }
}

/// [`month_for`] with the closed months as stored.
pub fn counted_in(
    conn: &mut DbConnection,
    on: NaiveDate,
    today: NaiveDate,
) -> QueryResult<(Month, bool)> {
    Ok(month_for(on, today, closed_through(conn)?))
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
    // Read inside the transaction, so that two data stewards closing months at once
    // cannot both keep the sums of the same months.
    crate::db::transaction(conn, |conn| {
        // PostgreSQL reads committed rows, so two closes would both see the same months
        // before them: they take turns. SQLite has one writer: the second one fails.
        if let DbConnection::Pg(pg) = conn {
            diesel::sql_query("LOCK TABLE ipk_closed_months IN SHARE ROW EXCLUSIVE MODE")
                .execute(pg)?;
        }
        let before = closed_through(conn)?;
        if before.is_some_and(|c| month <= c) {
            return Ok(Err(NotClosable::AlreadyClosed));
        }
        diesel::insert_into(ipk_closed_months::table)
            .values((
                ipk_closed_months::period.eq(month.key()),
                ipk_closed_months::closed_at.eq(now),
                ipk_closed_months::closed_by.eq(by),
            ))
            .execute(conn)?;
        // The sums first: the stock at the month's end is summed from them.
        super::sums::keep(conn, before, month)?;
        super::stocks::keep(conn, month)?;
        Ok(Ok(()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fact_in_or_before_a_closed_month_is_a_correction_of_this_month() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = day(2026, 12, 6);
        let oct = Month::new(2026, 10);
        let this = Month::of(today);
        // October closed: September is closed with it, November is not.
        assert_eq!(month_for(day(2026, 9, 30), today, oct), (this, true));
        assert_eq!(month_for(day(2026, 10, 1), today, oct), (this, true));
        assert_eq!(
            month_for(day(2026, 11, 2), today, oct),
            (Month::new(2026, 11).unwrap(), false)
        );
        assert!(!month_for(day(2026, 9, 30), today, None).1);
    }

    #[test]
    fn a_period_is_read_from_two_months_and_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let first = Month::new(2024, 12);
        let q3 = Period::parse("2026-07", "2026-09", today, first).unwrap();
        assert_eq!(q3.months(), 3);
        assert!(q3.is_over(today));
        assert!(
            !Period::parse("2026-12", "2026-12", today, first)
                .unwrap()
                .is_over(today)
        );
        for (from, to, bad) in [
            ("2026-7", "bulan", BadPeriod::Unreadable),
            ("2026-09", "2026-07", BadPeriod::EndBeforeStart),
            ("2026-12", "2027-01", BadPeriod::Future),
            ("2024-11", "2024-12", BadPeriod::BeforeData),
        ] {
            assert_eq!(
                Period::parse(from, to, today, first),
                Err(bad),
                "{from} {to}"
            );
        }
    }

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
}
