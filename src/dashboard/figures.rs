//! The dashboard's figures: for each measure, month and kecamatan, the count by sex. Made
//! once for the whole window, so that any filter is a sum over a few thousand numbers.
//!
//! The IPK measures come from the ledger (`ipk::series`), grouped as they were when each
//! fact happened. The others come from their owners: training completions (`training`),
//! JKP follow-ups (`jkp`) and WLKP reports filed (`wlkp`), placed and sexed by the profile,
//! the person or the company as they are now (those records keep no history of it).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::domain::Sex;
use crate::ipk::series::{self, By, MonthlyRow};
use crate::ipk::{Flow, Month};
use crate::reference::regions;

/// What the dashboard charts, one chart each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Job seekers registered in the month: AK/I cards issued (the ledger's entries).
    Registered,
    /// Job seekers on the register at the month's end.
    OnRegister,
    /// Vacant positions at the month's end.
    OpenPositions,
    Placements,
    TrainingCompletions,
    JkpFollowUps,
    WlkpFiled,
}

impl Measure {
    pub const ALL: [Measure; 7] = [
        Self::Registered,
        Self::OnRegister,
        Self::OpenPositions,
        Self::Placements,
        Self::TrainingCompletions,
        Self::JkpFollowUps,
        Self::WlkpFiled,
    ];

    /// Its name in ids, translation keys and the page's tables.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::OnRegister => "on_register",
            Self::OpenPositions => "open_positions",
            Self::Placements => "placements",
            Self::TrainingCompletions => "training",
            Self::JkpFollowUps => "jkp",
            Self::WlkpFiled => "wlkp",
        }
    }

    /// A level at the month's end rather than a count of what happened within it.
    pub fn is_stock(self) -> bool {
        matches!(self, Self::OnRegister | Self::OpenPositions)
    }

    /// Counted by companies, which have no sex.
    pub fn is_by_company(self) -> bool {
        self == Self::WlkpFiled
    }

    fn of_ledger(self) -> bool {
        matches!(
            self,
            Self::Registered | Self::OnRegister | Self::OpenPositions | Self::Placements
        )
    }
}

/// Whom a count is about: a man, a woman, or other (a person whose sex was not recorded,
/// positions open to either sex, a company).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    Male,
    Female,
    Other,
}

impl Who {
    pub const ALL: [Who; 3] = [Self::Male, Self::Female, Self::Other];

    fn of(sex: Option<Sex>) -> Self {
        match sex {
            Some(Sex::Male) => Self::Male,
            Some(Sex::Female) => Self::Female,
            None => Self::Other,
        }
    }
}

/// A kecamatan of Binjai by its code (`12.75.01`); `None` is elsewhere or not recorded.
pub type Place = Option<&'static str>;

/// The kecamatan a kelurahan code lies in.
pub fn kecamatan_of(kelurahan: Option<&str>) -> Place {
    regions::binjai_kelurahan_by_code(kelurahan?)?.parent_code()
}

/// The window's months, oldest first, and each measure's counts by place and sex, one per
/// month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub months: Vec<Month>,
    cells: HashMap<(Measure, Place, Who), Vec<i64>>,
}

impl Figures {
    fn new(first: Month, last: Month) -> Self {
        let mut months = vec![first];
        while let Some(m) = months.last().copied().filter(|m| *m < last) {
            months.push(m.next());
        }
        Self {
            months,
            cells: HashMap::new(),
        }
    }

    fn index(&self, month: Month) -> Option<usize> {
        self.months.iter().position(|m| *m == month)
    }

    fn add(&mut self, measure: Measure, place: Place, who: Who, at: usize, n: i64) {
        let len = self.months.len();
        let cell = self
            .cells
            .entry((measure, place, who))
            .or_insert_with(|| vec![0; len]);
        if let Some(v) = cell.get_mut(at) {
            *v += n;
        }
    }

    /// A measure's counts for one kind of person, month by month, in one kecamatan or in
    /// all of them (with those elsewhere or unrecorded).
    pub fn series(&self, measure: Measure, kecamatan: Option<&str>, who: Who) -> Vec<i64> {
        let mut out = vec![0; self.months.len()];
        for ((m, place, w), values) in &self.cells {
            if *m != measure || *w != who || kecamatan.is_some_and(|k| *place != Some(k)) {
                continue;
            }
            for (o, v) in out.iter_mut().zip(values) {
                *o += v;
            }
        }
        out
    }

    /// Keeps the ledger's measures of `other` and the rest of this.
    fn with_ledger_of(mut self, other: &Figures) -> Self {
        self.cells.retain(|(m, ..), _| !m.of_ledger());
        self.cells.extend(
            other
                .cells
                .iter()
                .filter(|((m, ..), _)| m.of_ledger())
                .map(|(k, v)| (*k, v.clone())),
        );
        self
    }
}

/// Where a flow of the ledger goes: the measure and whether it adds or takes away.
fn measures_of(flow: Flow) -> &'static [(Measure, i64)] {
    match flow {
        Flow::SeekerRegistered => &[(Measure::Registered, 1), (Measure::OnRegister, 1)],
        Flow::SeekerPlaced | Flow::SeekerRemoved => &[(Measure::OnRegister, -1)],
        Flow::VacancyRegistered => &[(Measure::OpenPositions, 1)],
        Flow::VacancyFilled | Flow::VacancyRemoved => &[(Measure::OpenPositions, -1)],
        Flow::Placement => &[(Measure::Placements, 1)],
    }
}

const FLOWS: [Flow; 7] = [
    Flow::SeekerRegistered,
    Flow::SeekerPlaced,
    Flow::SeekerRemoved,
    Flow::VacancyRegistered,
    Flow::VacancyFilled,
    Flow::VacancyRemoved,
    Flow::Placement,
];

/// The ledger's measures for months `first..=last`: flows within, stocks carried over
/// from every month before and accumulated.
pub fn from_ledger(conn: &mut DbConnection, first: Month, last: Month) -> QueryResult<Figures> {
    let rows = series::monthly(conn, &FLOWS, None, last, By::Kelurahan)?;
    Ok(ledger_figures(first, last, &rows))
}

fn ledger_figures(first: Month, last: Month, rows: &[MonthlyRow]) -> Figures {
    let mut figures = Figures::new(first, last);
    for row in rows {
        let place = kecamatan_of(row.key.as_deref());
        let at = match figures.index(row.month) {
            Some(at) => at,
            // Before the window only the stocks matter: they are carried into its first
            // month.
            None if row.month < first => 0,
            None => continue,
        };
        for (measure, sign) in measures_of(row.flow) {
            if row.month < first && !measure.is_stock() {
                continue;
            }
            for (who, n) in [
                (Who::Male, row.male),
                (Who::Female, row.female),
                (Who::Other, row.either),
            ] {
                if n != 0 {
                    figures.add(*measure, place, who, at, sign * n);
                }
            }
        }
    }
    // A stock at a month's end is everything before it.
    for ((measure, ..), values) in figures.cells.iter_mut() {
        if measure.is_stock() {
            let mut level = 0;
            for v in values.iter_mut() {
                level += *v;
                *v = level;
            }
        }
    }
    figures
}

/// The other modules' measures for months `first..=last`.
fn from_owners(conn: &mut DbConnection, first: Month, last: Month) -> QueryResult<Figures> {
    let mut figures = Figures::new(first, last);
    let (from, to) = (first.first_day(), last.next().first_day().pred_opt());
    let to = to.unwrap_or(from);
    fn count(figures: &mut Figures, measure: Measure, on: NaiveDate, place: Place, who: Who) {
        if let Some(at) = figures.index(Month::of(on)) {
            figures.add(measure, place, who, at, 1);
        }
    }

    let completions = crate::training::outcomes::completions_between(conn, from, to)?;
    let ids: Vec<_> = completions.iter().map(|(_, id)| *id).collect();
    let seekers = crate::seekers::sex_and_kelurahan(conn, &ids)?;
    for (on, id) in completions {
        let (sex, place) = seekers.get(&id).cloned().unwrap_or_default();
        let place = kecamatan_of(place.as_deref());
        count(
            &mut figures,
            Measure::TrainingCompletions,
            on,
            place,
            Who::of(sex),
        );
    }

    let follow_ups = crate::jkp::model::follow_ups_between(conn, from, to)?;
    let ids: Vec<_> = follow_ups.iter().map(|(_, id)| *id).collect();
    let people = crate::people::model::sex_and_kelurahan(conn, &ids)?;
    for (on, id) in follow_ups {
        let (sex, place) = people.get(&id).cloned().unwrap_or_default();
        let place = kecamatan_of(place.as_deref());
        count(&mut figures, Measure::JkpFollowUps, on, place, Who::of(sex));
    }

    let filed = crate::wlkp::model::filed_between(conn, from, to)?;
    let ids: Vec<_> = filed.iter().filter_map(|(_, id)| *id).collect();
    let companies = crate::employers::kelurahan_of(conn, &ids)?;
    for (on, id) in filed {
        let place = id
            .and_then(|id| companies.get(&id).cloned().flatten())
            .and_then(|k| kecamatan_of(Some(&k)));
        count(&mut figures, Measure::WlkpFiled, on, place, Who::Other);
    }
    Ok(figures)
}

/// Every measure for months `first..=last`, the ledger's from `ledger` when given (a
/// summary kept while the ledger has not grown).
pub fn count(
    conn: &mut DbConnection,
    first: Month,
    last: Month,
    ledger: &Figures,
) -> QueryResult<Figures> {
    Ok(from_owners(conn, first, last)?.with_ledger_of(ledger))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    fn row(month: Month, flow: Flow, kel: Option<&str>, male: i64, female: i64) -> MonthlyRow {
        MonthlyRow {
            month,
            flow,
            key: kel.map(str::to_owned),
            male,
            female,
            either: 0,
        }
    }

    #[test]
    fn stocks_carry_the_months_before_the_window_and_flows_do_not() {
        let utara = Some("12.75.01.1008");
        let kota = Some("12.75.02.1001");
        let rows = [
            row(m(2025, 12), Flow::SeekerRegistered, utara, 5, 2),
            row(m(2025, 12), Flow::SeekerPlaced, utara, 1, 0),
            row(m(2026, 1), Flow::SeekerRegistered, kota, 3, 0),
            row(m(2026, 2), Flow::SeekerRemoved, kota, 1, 0),
            row(m(2026, 2), Flow::Placement, None, 2, 1),
            row(m(2026, 4), Flow::SeekerRegistered, kota, 9, 9),
        ];
        let f = ledger_figures(m(2026, 1), m(2026, 3), &rows);
        assert_eq!(f.months.len(), 3);
        assert_eq!(f.series(Measure::Registered, None, Who::Male), [3, 0, 0]);
        assert_eq!(f.series(Measure::OnRegister, None, Who::Male), [7, 6, 6]);
        assert_eq!(f.series(Measure::OnRegister, None, Who::Female), [2, 2, 2]);
        assert_eq!(
            f.series(Measure::OnRegister, Some("12.75.01"), Who::Male),
            [4, 4, 4]
        );
        assert_eq!(
            f.series(Measure::OnRegister, Some("12.75.02"), Who::Male),
            [3, 2, 2]
        );
        // A placement with no kelurahan counts in Binjai as a whole, in no kecamatan.
        assert_eq!(f.series(Measure::Placements, None, Who::Male), [0, 2, 0]);
        assert_eq!(
            f.series(Measure::Placements, Some("12.75.01"), Who::Male),
            [0, 0, 0]
        );
    }

    #[test]
    fn a_kelurahan_belongs_to_its_kecamatan() {
        assert_eq!(kecamatan_of(Some("12.75.05.1008")), Some("12.75.05"));
        assert_eq!(kecamatan_of(Some("12.71.01.1001")), None);
        assert_eq!(kecamatan_of(Some("nonsense")), None);
        assert_eq!(kecamatan_of(None), None);
    }
}
