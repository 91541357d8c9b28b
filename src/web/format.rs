//! Numbers and dates as each language writes them.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::domain::{Rupiah, calendar};

use super::i18n::Lang;

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `12.345` in Indonesian, `12,345` in English.
pub fn number(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `Rp3.500.000` in Indonesian, `Rp3,500,000` in English.
pub fn rupiah(lang: Lang, amount: Rupiah) -> String {
    format!("Rp{}", number(lang, amount.amount()))
}

/// `Oktober 2026`: a month as a table or a heading names it.
pub fn month(lang: Lang, year: i32, month: u32) -> String {
    let months = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    let name = months.get(month.saturating_sub(1) as usize).unwrap_or(&"");
    format!("{name} {year}")
}

/// `Okt 2026`: a month on a chart's axis, its name's first three letters.
pub fn month_short(lang: Lang, year: i32, month: u32) -> String {
    let name: String = self::month(lang, year, month).chars().take(3).collect();
    format!("{name} {year}")
}

/// A length in months as people say it: `1 tahun`, `1 tahun 6 bulan`, `6 bulan`
/// (`1 year`, `2 years 6 months`, `6 months`).
pub fn months_as_duration(lang: Lang, months: i32) -> String {
    let (years, rest) = (months / 12, months % 12);
    let part = |n: i32, id: &str, en: &str| match lang {
        Lang::Id => format!("{n} {id}"),
        Lang::En if n == 1 => format!("1 {en}"),
        Lang::En => format!("{n} {en}s"),
    };
    match (years, rest) {
        (0, m) => part(m, "bulan", "month"),
        (y, 0) => part(y, "tahun", "year"),
        (y, m) => format!("{} {}", part(y, "tahun", "year"), part(m, "bulan", "month")),
    }
}

/// `29 November 2026` (both languages put the day first in SIBUSER).
pub fn date(lang: Lang, d: NaiveDate) -> String {
    let months = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    format!("{} {} {}", d.day(), months[d.month0() as usize], d.year())
}

/// The Binjai date of a stored (UTC) timestamp, written as [`date`] writes it.
pub fn day(lang: Lang, at: NaiveDateTime) -> String {
    date(lang, calendar::date_of(at))
}

/// `29 November 2026 14:05`, the Binjai (WIB) wall-clock time of a stored timestamp.
pub fn day_time(lang: Lang, at: NaiveDateTime) -> String {
    wall_clock(lang, at, "%H:%M")
}

/// As [`day_time`] with seconds, for the audit log where order within a minute matters.
pub fn day_time_seconds(lang: Lang, at: NaiveDateTime) -> String {
    wall_clock(lang, at, "%H:%M:%S")
}

/// The date and time in Binjai: the offset is added once, to both.
fn wall_clock(lang: Lang, at: NaiveDateTime, time: &str) -> String {
    let local = calendar::local(at);
    format!("{} {}", date(lang, local.date()), local.format(time))
}

/// JSON to place inside a `<script>` element: `</script>` inside a string would end the
/// element early, so `<`, `>` and `&` are written as the escapes JSON allows.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_named_in_the_language() {
        assert_eq!(month(Lang::Id, 2026, 10), "Oktober 2026");
        assert_eq!(month(Lang::En, 2026, 5), "May 2026");
        assert_eq!(month_short(Lang::Id, 2026, 8), "Agu 2026");
        assert_eq!(month_short(Lang::En, 2026, 12), "Dec 2026");
    }

    #[test]
    fn experience_reads_in_years_and_months() {
        assert_eq!(months_as_duration(Lang::Id, 12), "1 tahun");
        assert_eq!(months_as_duration(Lang::Id, 18), "1 tahun 6 bulan");
        assert_eq!(months_as_duration(Lang::Id, 6), "6 bulan");
        assert_eq!(months_as_duration(Lang::En, 24), "2 years");
        assert_eq!(months_as_duration(Lang::En, 13), "1 year 1 month");
    }

    #[test]
    fn thousands_separators_follow_the_language() {
        assert_eq!(number(Lang::Id, 141_448), "141.448");
        assert_eq!(number(Lang::En, 141_448), "141,448");
        assert_eq!(number(Lang::Id, 999), "999");
        assert_eq!(number(Lang::Id, -1_000), "-1.000");
        assert_eq!(number(Lang::En, 0), "0");
    }

    #[test]
    fn dates_use_the_language_month_names() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        assert_eq!(date(Lang::Id, d), "20 Maret 2025");
        assert_eq!(date(Lang::En, d), "20 March 2025");
    }

    #[test]
    fn a_timestamp_is_written_in_binjai_time_once() {
        let at = |d, h| {
            NaiveDate::from_ymd_opt(2026, 3, d)
                .and_then(|d| d.and_hms_opt(h, 30, 0))
                .unwrap()
        };
        // Noon UTC is 19:30 the same day in Binjai; 20:30 UTC is already the next day.
        assert_eq!(day_time(Lang::Id, at(1, 12)), "1 Maret 2026 19:30");
        assert_eq!(
            day_time_seconds(Lang::Id, at(1, 20)),
            "2 Maret 2026 03:30:00"
        );
        assert_eq!(day(Lang::Id, at(1, 16)), "1 Maret 2026");
    }
}
