//! The card's calendar: how long it is valid, when its holder reports, and when an
//! unreported card leaves the register. Pure functions of dates, so that the pages, the daily
//! job and the demo data agree. The choices where no rule was found are in docs/decisions.md.

use chrono::{Days, Months, NaiveDate};

use crate::domain::Ak1Number;

/// A card is valid two years from the day it is issued.
pub const VALIDITY: Months = Months::new(24);
/// An unplaced holder reports every six months.
pub const REPORT_EVERY: Months = Months::new(6);
/// A report is accepted from this many days before it is due...
pub const WINDOW_OPENS_DAYS: u64 = 30;
/// ...until this many days after; a card still unreported then lapses.
pub const GRACE_DAYS: u64 = 30;
/// The reminder e-mail goes this many days before the due date.
pub const REMIND_DAYS: u64 = 14;

/// The last day the card is valid: the day before its second anniversary.
pub fn valid_until(issued_on: NaiveDate) -> NaiveDate {
    issued_on + VALIDITY - Days::new(1)
}

/// The first report date of a card issued on `issued_on`.
pub fn first_report_due(issued_on: NaiveDate) -> Option<NaiveDate> {
    report_due_after(issued_on, issued_on)
}

/// How many times a holder reports over the card's two years ("melapor empat kali dalam
/// dua tahun", as Kemnaker describes the card): the card prints a column for each.
pub const REPORTS: usize = 4;

/// The report due after the one due on `due` (or the issue date): at 6, 12 and 18 months,
/// and the fourth on the card's last day (24 months falls the day after it), when the
/// holder says they still seek work as the card runs out. None after the fourth.
pub fn report_due_after(issued_on: NaiveDate, due: NaiveDate) -> Option<NaiveDate> {
    let last = valid_until(issued_on);
    let next = due + REPORT_EVERY;
    if next <= last {
        Some(next)
    } else if due < last {
        Some(last)
    } else {
        None
    }
}

/// The last day the report due on `due` can be made on a card valid until `valid_until`:
/// the end of the grace period, or the card's own last day when that comes first (the
/// fourth report's window closes with the card).
pub fn last_report_day(due: NaiveDate, valid_until: NaiveDate) -> NaiveDate {
    (lapses_on(due) - Days::new(1)).min(valid_until)
}

/// The day an unreported card lapses: the first day after the grace period.
pub fn lapses_on(due: NaiveDate) -> NaiveDate {
    due + Days::new(GRACE_DAYS + 1)
}

/// Where a holder stands with the report due on `due`, seen on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportWindow {
    /// Too early: the window opens on that day.
    NotYet(NaiveDate),
    Open,
    /// Past the grace period; the daily job will take the card off the register.
    Missed,
}

pub fn report_window(due: NaiveDate, today: NaiveDate) -> ReportWindow {
    let opens = due - Days::new(WINDOW_OPENS_DAYS);
    if today < opens {
        ReportWindow::NotYet(opens)
    } else if today < lapses_on(due) {
        ReportWindow::Open
    } else {
        ReportWindow::Missed
    }
}

/// The day the reminder for the report due on `due` goes out.
pub fn remind_on(due: NaiveDate) -> NaiveDate {
    due - Days::new(REMIND_DAYS)
}

/// The card number: the Kemendagri code of Kota Binjai, the year of issue, and the serial
/// within that year, e.g. `1275-2026-000123`. `None` past the millionth card of a year.
pub fn card_number(year: i32, serial: i32) -> Option<Ak1Number> {
    Ak1Number::issue(REGENCY_DIGITS, year, serial)
}

/// Kota Binjai's Kemendagri code (12.75) written as the four digits that open its NIKs.
const REGENCY_DIGITS: &str = "1275";

/// The initials shown on the public verification page: the first letter of each word of
/// the name, so a caller can match a card to the person in front of them without the
/// page revealing who holds it.
pub fn initials(full_name: &str) -> String {
    full_name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_card_is_valid_two_years_to_the_day_before() {
        assert_eq!(valid_until(d(2026, 11, 29)), d(2028, 11, 28));
        // A leap day card ends on the last day of February two years on.
        assert_eq!(valid_until(d(2028, 2, 29)), d(2030, 2, 27));
    }

    #[test]
    fn reports_fall_at_six_twelve_and_eighteen_months_and_on_the_last_day() {
        let issued = d(2026, 1, 31);
        let first = first_report_due(issued).unwrap();
        assert_eq!(first, d(2026, 7, 31));
        let second = report_due_after(issued, first).unwrap();
        assert_eq!(second, d(2027, 1, 31));
        let third = report_due_after(issued, second).unwrap();
        assert_eq!(third, d(2027, 7, 31));
        let fourth = report_due_after(issued, third).unwrap();
        assert_eq!(
            fourth,
            valid_until(issued),
            "the fourth, as the card runs out"
        );
        assert_eq!(fourth, d(2028, 1, 30));
        assert_eq!(report_due_after(issued, fourth), None, "four in all");
        let mut count = 0;
        let mut due = first_report_due(issued);
        while let Some(d) = due {
            count += 1;
            due = report_due_after(issued, d);
        }
        assert_eq!(count, REPORTS);
    }

    #[test]
    fn the_last_report_can_be_made_until_the_card_ends() {
        let issued = d(2026, 1, 31);
        let until = valid_until(issued);
        // An earlier report has its month of grace...
        assert_eq!(last_report_day(d(2027, 7, 31), until), d(2027, 8, 30));
        // ...the fourth closes with the card.
        assert_eq!(last_report_day(until, until), until);
    }

    #[test]
    fn the_report_window_opens_a_month_before_and_closes_a_month_after() {
        let due = d(2027, 6, 1);
        assert_eq!(
            report_window(due, d(2027, 5, 1)),
            ReportWindow::NotYet(d(2027, 5, 2))
        );
        assert_eq!(report_window(due, d(2027, 5, 2)), ReportWindow::Open);
        assert_eq!(report_window(due, d(2027, 7, 1)), ReportWindow::Open);
        assert_eq!(report_window(due, d(2027, 7, 2)), ReportWindow::Missed);
        assert_eq!(lapses_on(due), d(2027, 7, 2));
    }

    #[test]
    fn card_numbers_are_fixed_width() {
        assert_eq!(card_number(2026, 123).as_deref(), Some("1275-2026-000123"));
        assert_eq!(
            REGENCY_DIGITS,
            crate::reference::regions::BINJAI_CODE.replace('.', "")
        );
    }

    #[test]
    fn initials_hide_the_name() {
        assert_eq!(initials("Siti Nurhaliza  br. Ginting"), "S.N.B.G.");
        assert_eq!(initials("'Ainun"), "A.");
        assert_eq!(initials(""), "");
    }
}
