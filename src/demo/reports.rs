//! The IPK reports the Dinas would have signed: every month of the demo's history up to
//! the one before last, each signed off by the data steward early in the month after. Last
//! month is left open, so that signing a report can be tried.

use chrono::{Duration, NaiveDate};

use crate::db::DbConnection;
use crate::domain::calendar;
use crate::domain::ids::UserId;
use crate::ipk::{Month, Period, period, signoff};

/// Signs each month from the first with facts through the one before last; returns how
/// many were signed.
pub fn sign_past_months(
    conn: &mut DbConnection,
    steward: UserId,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let Some(mut month) = period::first_month(conn)? else {
        return Ok(0);
    };
    let forms = crate::ipk::form::built_in();
    let last_signed = Month::of(today).previous().previous();
    let mut signed = 0;
    while month <= last_signed {
        // 09:00 WIB on the fifth of the month after: when the report is due.
        let at =
            calendar::start_of(month.next().first_day() + Duration::days(4)) + Duration::hours(9);
        let outcome = signoff::sign(conn, Period::month(month), &forms, Some(steward), today, at)?;
        if outcome.is_ok() {
            signed += 1;
        }
        month = month.next();
    }
    Ok(signed)
}
