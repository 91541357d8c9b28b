//! What a programme achieved: applicants, participants, completions, certificates, and
//! participants placed in work within 3 and 6 months of the programme's end.
//!
//! A participant is anyone who held a seat (accepted, then finished or dropped out). A
//! placement counts when its first working day falls between the programme's first day and
//! 3 (or 6) months after its last: someone hired during the course was placed by it too.

use crate::domain::ids::{JobSeekerId, ProgrammeId};
use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use diesel::prelude::*;

use super::enrolment::Status;
use crate::db::DbConnection;
use crate::schema::{training_enrolments, training_programmes};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub applicants: i64,
    pub participants: i64,
    pub completions: i64,
    pub dropped_out: i64,
    pub certificates: i64,
    pub placed_3_months: i64,
    pub placed_6_months: i64,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.applicants += o.applicants;
        self.participants += o.participants;
        self.completions += o.completions;
        self.dropped_out += o.dropped_out;
        self.certificates += o.certificates;
        self.placed_3_months += o.placed_3_months;
        self.placed_6_months += o.placed_6_months;
    }

    /// Completions as a share of participants, in whole percent.
    pub fn completion_rate(&self) -> Option<i64> {
        (self.participants > 0).then(|| self.completions * 100 / self.participants)
    }
}

/// The last day a placement counts for a programme ending on `ends_on`.
pub fn placement_deadline(ends_on: NaiveDate, months: u32) -> NaiveDate {
    ends_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The figures of each given programme (programmes with no enrolment have all zeros).
pub fn of_programmes(
    conn: &mut DbConnection,
    ids: &[ProgrammeId],
) -> QueryResult<HashMap<ProgrammeId, Figures>> {
    let mut out: HashMap<ProgrammeId, Figures> =
        ids.iter().map(|id| (*id, Figures::default())).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    type Row = (
        ProgrammeId,
        JobSeekerId,
        Status,
        Option<String>,
        NaiveDate,
        NaiveDate,
    );
    let mut rows: Vec<Row> = Vec::new();
    // Bounded batches: a year of the large demo is a few hundred programmes.
    for chunk in ids.chunks(500) {
        rows.extend(
            training_enrolments::table
                .inner_join(training_programmes::table)
                .filter(training_enrolments::programme_id.eq_any(chunk))
                .select((
                    training_enrolments::programme_id,
                    training_enrolments::job_seeker_id,
                    training_enrolments::status,
                    training_enrolments::certificate_number,
                    training_programmes::starts_on,
                    training_programmes::ends_on,
                ))
                .load::<Row>(conn)?,
        );
    }
    let participants: Vec<JobSeekerId> = rows
        .iter()
        .filter(|r| r.2.holds_seat())
        .map(|r| r.1)
        .collect();
    let mut starts: HashMap<JobSeekerId, Vec<NaiveDate>> = HashMap::new();
    for chunk in participants.chunks(500) {
        let found = crate::applications::placement::start_dates(conn, chunk)?;
        for (seeker, start) in found {
            starts.entry(seeker).or_default().push(start);
        }
    }
    for (programme, seeker, status, certificate, first_day, last_day) in rows {
        let f = out.entry(programme).or_default();
        f.applicants += 1;
        if !status.holds_seat() {
            continue;
        }
        f.participants += 1;
        match status {
            Status::Completed => {
                f.completions += 1;
                f.certificates += i64::from(certificate.is_some());
            }
            Status::DroppedOut => f.dropped_out += 1,
            _ => {}
        }
        let placed_by = |months| {
            let deadline = placement_deadline(last_day, months);
            starts
                .get(&seeker)
                .is_some_and(|s| s.iter().any(|d| *d >= first_day && *d <= deadline))
        };
        f.placed_3_months += i64::from(placed_by(3));
        f.placed_6_months += i64::from(placed_by(6));
    }
    Ok(out)
}

/// The completions of programmes whose last day falls in `first..=last`, each with that
/// day and the participant: a programme's outcomes belong to the month it ends in, as on
/// the outcome pages.
pub fn completions_between(
    conn: &mut DbConnection,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<(NaiveDate, JobSeekerId)>> {
    training_enrolments::table
        .inner_join(training_programmes::table)
        .filter(training_programmes::ends_on.between(first, last))
        .filter(training_enrolments::status.eq(Status::Completed.as_str()))
        .select((
            training_programmes::ends_on,
            training_enrolments::job_seeker_id,
        ))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placement_window_ends_whole_months_after_the_programme() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(placement_deadline(d(2026, 3, 31), 3), d(2026, 6, 30));
        assert_eq!(placement_deadline(d(2026, 8, 31), 6), d(2027, 2, 28));
    }

    #[test]
    fn totals_add_up() {
        let mut total = Figures::default();
        let one = Figures {
            applicants: 20,
            participants: 16,
            completions: 12,
            dropped_out: 4,
            certificates: 10,
            placed_3_months: 5,
            placed_6_months: 8,
        };
        total.add(&one);
        total.add(&one);
        assert_eq!(total.participants, 32);
        assert_eq!(total.completion_rate(), Some(75));
        assert_eq!(Figures::default().completion_rate(), None);
    }
}
