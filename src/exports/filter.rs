//! What an export selects: a period (by each data set's own date, both ends included) and
//! a kecamatan of Binjai, read from the form or the command line into a [`Filter`] or a
//! list of problems, each a translation key under the field it belongs to.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};

use crate::domain::calendar;
use crate::reference::regions::{self, Region};

/// The rows an export selects. `None` is "no limit".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A kecamatan of Binjai, by its Kemendagri code (`12.75.01`).
    pub kecamatan: Option<&'static str>,
}

impl Filter {
    /// The stored (UTC) instant the period starts, for data sets dated by a timestamp.
    pub fn since(&self) -> Option<NaiveDateTime> {
        self.from.map(calendar::start_of)
    }

    /// The stored (UTC) instant just after the period (exclusive).
    pub fn until(&self) -> Option<NaiveDateTime> {
        self.to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .map(calendar::start_of)
    }

    /// A `LIKE` pattern for the kelurahan codes of the kecamatan (`12.75.01.%`).
    pub fn kelurahan_like(&self) -> Option<String> {
        self.kecamatan.map(|k| format!("{k}.%"))
    }

    /// Whether a record with this kelurahan is in the kecamatan asked for, for owners that
    /// learn the kelurahan from another owner's record after reading a page.
    pub fn takes_kelurahan(&self, kelurahan: Option<&str>) -> bool {
        match self.kecamatan {
            None => true,
            Some(k) => kelurahan.is_some_and(|code| {
                code.len() > k.len() && code.starts_with(k) && code.as_bytes()[k.len()] == b'.'
            }),
        }
    }
}

/// One end of a period as typed: a month (`2026-03`) or a day (`2026-03-31`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Start,
    Finish,
}

fn parse_end(raw: &str, end: End) -> Result<Option<NaiveDate>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Ok(Some(day));
    }
    let month = NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| raw.len() == 7);
    match (month, end) {
        (Some(first), End::Start) => Ok(Some(first)),
        (Some(first), End::Finish) => Ok(Some(last_of_month(first))),
        (None, _) => Err("export.error.period_format"),
    }
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(first)
}

/// A kecamatan of Binjai by its code; the form offers the five, the command line takes
/// the code.
pub fn kecamatan(code: &str) -> Option<&'static Region> {
    let code = code.trim();
    regions::binjai_kecamatan().find(|r| r.code == code)
}

/// The problems of a filter, by field (`dari`, `sampai`, `kecamatan`), as translation keys.
pub type Problems = Vec<(&'static str, &'static str)>;

/// Reads the period and the kecamatan as typed; `today` is Binjai's date. A period that
/// starts after today, or ends before it starts, is refused; a date or a kecamatan that
/// cannot be read too.
pub fn parse(
    from: &str,
    to: &str,
    kecamatan_code: &str,
    today: NaiveDate,
) -> Result<Filter, Problems> {
    let mut problems = Problems::new();
    let from = parse_end(from, End::Start).unwrap_or_else(|key| {
        problems.push(("dari", key));
        None
    });
    let to = parse_end(to, End::Finish).unwrap_or_else(|key| {
        problems.push(("sampai", key));
        None
    });
    if from.is_some_and(|f| f > today) {
        problems.push(("dari", "export.error.period_future"));
    }
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        problems.push(("sampai", "export.error.period_order"));
    }
    let kecamatan = match kecamatan_code.trim() {
        "" => None,
        code => match kecamatan(code) {
            Some(r) => Some(r.code),
            None => {
                problems.push(("kecamatan", "export.error.kecamatan_unknown"));
                None
            }
        },
    };
    if problems.is_empty() {
        Ok(Filter {
            from,
            to,
            kecamatan,
        })
    } else {
        Err(problems)
    }
}

/// Whether the period ends before the data set's first record (`first`, by its date):
/// then nothing can come out, and the user is told where the data begins.
pub fn before_first_data(filter: &Filter, first: Option<NaiveDate>) -> bool {
    matches!((filter.to, first), (Some(to), Some(first)) if to < first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 9);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn a_month_is_its_first_day_at_the_start_and_its_last_at_the_end() {
        let f = parse("2024-02", "2024-02", "", today()).unwrap();
        assert_eq!(f.from, Some(day(2024, 2, 1)));
        assert_eq!(f.to, Some(day(2024, 2, 29)));
        let f = parse("2025-12", "2025-12", "", today()).unwrap();
        assert_eq!(f.to, Some(day(2025, 12, 31)));
        let f = parse("2025-03-15", "2025-04-02", "", today()).unwrap();
        assert_eq!(
            (f.from, f.to),
            (Some(day(2025, 3, 15)), Some(day(2025, 4, 2)))
        );
    }

    #[test]
    fn empty_ends_are_open() {
        assert_eq!(parse("", " ", "", today()).unwrap(), Filter::default());
    }

    #[test]
    fn bad_periods_are_refused_under_their_field() {
        assert_eq!(
            parse("2025-13", "maret", "", today()).unwrap_err(),
            vec![
                ("dari", "export.error.period_format"),
                ("sampai", "export.error.period_format")
            ]
        );
        assert_eq!(
            parse("2027-01", "", "", today()).unwrap_err(),
            vec![("dari", "export.error.period_future")]
        );
        assert_eq!(
            parse("2025-05", "2025-04", "", today()).unwrap_err(),
            vec![("sampai", "export.error.period_order")]
        );
        // The current month is not in the future, though it has days to come.
        assert!(parse("2026-12", "2026-12", "", today()).is_ok());
    }

    #[test]
    fn only_a_kecamatan_of_binjai_is_taken() {
        let f = parse("", "", "12.75.01", today()).unwrap();
        assert_eq!(f.kecamatan, Some("12.75.01"));
        assert_eq!(f.kelurahan_like().as_deref(), Some("12.75.01.%"));
        assert!(f.takes_kelurahan(Some("12.75.01.1008")));
        assert!(!f.takes_kelurahan(Some("12.75.02.1001")));
        assert!(!f.takes_kelurahan(Some("12.75.011.1001")));
        assert!(!f.takes_kelurahan(None));
        for bad in ["12.71.01", "12.75", "12.75.09", "binjai utara"] {
            assert_eq!(
                parse("", "", bad, today()).unwrap_err(),
                vec![("kecamatan", "export.error.kecamatan_unknown")],
                "{bad}"
            );
        }
    }

    #[test]
    fn timestamps_follow_binjai_days() {
        let f = parse("2025-03-01", "2025-03-31", "", today()).unwrap();
        assert_eq!(f.since(), Some(calendar::start_of(day(2025, 3, 1))));
        assert_eq!(f.until(), Some(calendar::start_of(day(2025, 4, 1))));
    }

    #[test]
    fn a_period_ending_before_the_first_record_is_noticed() {
        let f = parse("", "2020-12", "", today()).unwrap();
        assert!(before_first_data(&f, Some(day(2023, 1, 5))));
        assert!(!before_first_data(&f, None));
        let f = parse("2020-01", "2023-01", "", today()).unwrap();
        assert!(!before_first_data(&f, Some(day(2023, 1, 5))));
    }
}
