//! Dates as Binjai lives them. Timestamps are stored in UTC; every calendar date a person
//! reads or a rule compares (today, closing dates, card expiry, a month of statistics) is
//! the date in Asia/Jakarta (WIB). WIB is UTC+7 all year: Indonesia keeps no daylight
//! saving, so a fixed offset is exact and needs no time-zone database.

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};

const WIB_HOURS: i64 = 7;

/// Today's date in Binjai. Between 17:00 and 24:00 UTC this is already tomorrow's UTC date.
pub fn today() -> NaiveDate {
    date_of(Utc::now().naive_utc())
}

/// The wall-clock time in Binjai of a stored (UTC) timestamp.
pub fn local(at: NaiveDateTime) -> NaiveDateTime {
    at + Duration::hours(WIB_HOURS)
}

/// The Binjai date of a stored (UTC) timestamp.
pub fn date_of(at: NaiveDateTime) -> NaiveDate {
    local(at).date()
}

/// The stored (UTC) timestamp at which a Binjai date begins, for filters "from this date"
/// and "before the day after".
pub fn start_of(day: NaiveDate) -> NaiveDateTime {
    day.and_time(chrono::NaiveTime::MIN) - Duration::hours(WIB_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .unwrap()
    }

    #[test]
    fn an_evening_in_utc_is_the_next_day_in_binjai() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(date_of(at(2026, 12, 5, 17)), day);
        assert_eq!(date_of(at(2026, 12, 5, 16)), day.pred_opt().unwrap());
        assert_eq!(
            date_of(at(2026, 12, 31, 20)),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }

    #[test]
    fn a_binjai_day_starts_at_five_in_the_evening_utc() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(start_of(day), at(2026, 2, 28, 17));
        assert_eq!(date_of(start_of(day)), day);
        assert_eq!(
            date_of(start_of(day) - Duration::seconds(1)),
            day.pred_opt().unwrap()
        );
    }

    #[test]
    fn today_is_the_date_seven_hours_ahead_of_utc() {
        let before = (Utc::now() + Duration::hours(7)).date_naive();
        let got = today();
        let after = (Utc::now() + Duration::hours(7)).date_naive();
        assert!(got == before || got == after);
    }
}
