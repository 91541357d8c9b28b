//! The stock-flow tables of the IPK forms, computed from the ledger for any run of months:
//! for each cell, carried over (every fact before the first month), registered, placed (or
//! filled) and removed within, and remaining = carried over + registered - placed -
//! removed. A run's carried over is by construction the month before's remaining.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::dsl::sum;
use diesel::prelude::*;

use super::ledger::Flow;
use super::period::Month;
use crate::db::DbConnection;
use crate::domain::AgeGroup;
use crate::schema::ipk_facts;

/// One cell of a stock-flow table, in persons.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub carried: i64,
    pub registered: i64,
    pub placed: i64,
    pub removed: i64,
}

impl Cell {
    /// Carried over plus registered (the forms' A and C).
    pub fn total_in(&self) -> i64 {
        self.carried + self.registered
    }

    /// Placed plus removed (the forms' B and D).
    pub fn total_out(&self) -> i64 {
        self.placed + self.removed
    }

    pub fn remaining(&self) -> i64 {
        self.total_in() - self.total_out()
    }

    fn add(&mut self, other: &Cell) {
        self.carried += other.carried;
        self.registered += other.registered;
        self.placed += other.placed;
        self.removed += other.removed;
    }
}

/// A row's cells by sex; `either` holds positions open to both sexes (and a job seeker
/// whose sex was not recorded, which the forms have no column for).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BySex {
    pub male: Cell,
    pub female: Cell,
    pub either: Cell,
}

impl BySex {
    pub fn all(&self) -> Cell {
        let mut cell = self.male;
        cell.add(&self.female);
        cell.add(&self.either);
        cell
    }

    pub(super) fn add(&mut self, other: &BySex) {
        self.male.add(&other.male);
        self.female.add(&other.female);
        self.either.add(&other.either);
    }
}

/// What is counted: job seekers on the register, or vacant positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stock {
    Seekers,
    Positions,
}

impl Stock {
    pub(super) fn flows(self) -> [Flow; 3] {
        match self {
            Self::Seekers => [
                Flow::SeekerRegistered,
                Flow::SeekerPlaced,
                Flow::SeekerRemoved,
            ],
            Self::Positions => [
                Flow::VacancyRegistered,
                Flow::VacancyFilled,
                Flow::VacancyRemoved,
            ],
        }
    }
}

/// The facts of a run of months summed by everything a table may group by.
#[derive(Debug, Clone, Queryable)]
pub struct Aggregate {
    pub flow: Flow,
    pub age_group: Option<AgeGroup>,
    pub education: Option<i16>,
    pub kbji_major: Option<String>,
    pub kbli_section: Option<String>,
    pub inter_work: Option<String>,
    pub male: Option<i64>,
    pub female: Option<i64>,
    pub either: Option<i64>,
}

/// How facts are put in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// In the month each was counted in: closed months as they were reported, and late
    /// facts in the month they were recorded (as corrections).
    Reported,
    /// In the month of each fact's own date, corrections included: a period restated.
    Restated,
}

/// The sums of `flows` in months `from..=to` (every month up to `to` when `from` is
/// `None`), by every group a table may use; a group may come more than once (the kept
/// sums of closed months, then the facts of open ones), and callers add them up.
fn aggregates(
    conn: &mut DbConnection,
    flows: &[Flow],
    from: Option<Month>,
    to: Month,
    basis: Basis,
) -> QueryResult<Vec<Aggregate>> {
    if basis == Basis::Restated {
        return fact_sums(conn, flows, from, to, basis);
    }
    let mut out = Vec::new();
    let mut open_from = from;
    if let Some(closed) = super::period::closed_through(conn)?
        && from.is_none_or(|f| f <= closed)
    {
        out.extend(super::sums::read(conn, flows, from, closed.min(to))?);
        open_from = Some(closed.next());
    }
    if open_from.is_none_or(|f| f <= to) {
        out.extend(fact_sums(conn, flows, open_from, to, basis)?);
    }
    Ok(out)
}

/// [`aggregates`] summed from the facts themselves.
fn fact_sums(
    conn: &mut DbConnection,
    flows: &[Flow],
    from: Option<Month>,
    to: Month,
    basis: Basis,
) -> QueryResult<Vec<Aggregate>> {
    let codes: Vec<&str> = flows.iter().map(|f| f.as_str()).collect();
    let facts = ipk_facts::table.filter(ipk_facts::flow.eq_any(codes));
    // Boxed queries cannot be grouped, so each basis has its own statement.
    macro_rules! grouped {
        ($query:expr) => {
            $query
                .group_by((
                    ipk_facts::flow,
                    ipk_facts::age_group,
                    ipk_facts::education,
                    ipk_facts::kbji_major,
                    ipk_facts::kbli_section,
                    ipk_facts::inter_work,
                ))
                .select((
                    ipk_facts::flow,
                    ipk_facts::age_group,
                    ipk_facts::education,
                    ipk_facts::kbji_major,
                    ipk_facts::kbli_section,
                    ipk_facts::inter_work,
                    sum(ipk_facts::male),
                    sum(ipk_facts::female),
                    sum(ipk_facts::either),
                ))
                .load(conn)
        };
    }
    match basis {
        Basis::Reported => grouped!(
            facts
                .filter(ipk_facts::period.le(to.key()))
                .filter(ipk_facts::period.ge(from.map_or(0, Month::key)))
        ),
        Basis::Restated => {
            // Before any record of the portal or of the registers imported into it.
            let start = from.map_or(
                NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
                Month::first_day,
            );
            grouped!(
                facts
                    .filter(ipk_facts::occurred_on.lt(to.next().first_day()))
                    .filter(ipk_facts::occurred_on.ge(start))
            )
        }
    }
}

/// What was on the register at the end of the month before `from`, as groups of the entry
/// flow (positive) and the exits (negative). Reported figures start from the stock kept
/// at the end of the latest closed month before it, so they need not sum every fact ever
/// recorded.
fn carried_into(
    conn: &mut DbConnection,
    stock: Stock,
    from: Month,
    basis: Basis,
) -> QueryResult<Vec<Aggregate>> {
    let flows = stock.flows();
    let last = from.previous();
    if basis == Basis::Reported
        && let Some((kept, mut rows)) = super::stocks::latest_through(conn, stock, last)?
    {
        if kept < last {
            rows.extend(aggregates(conn, &flows, Some(kept.next()), last, basis)?);
        }
        return Ok(rows);
    }
    aggregates(conn, &flows, None, last, basis)
}

/// A stock-flow table for months `from..=to`, one row per key `row_of` gives a fact's
/// groups (facts it gives no key are left out of every row; `total` still counts them).
pub struct StockFlow<K> {
    pub rows: BTreeMap<K, BySex>,
    pub total: BySex,
}

pub fn stock_flow<K: Ord + Clone>(
    conn: &mut DbConnection,
    stock: Stock,
    from: Month,
    to: Month,
    row_of: impl Fn(&Aggregate) -> Option<K>,
) -> QueryResult<StockFlow<K>> {
    let mut table = StockFlow {
        rows: BTreeMap::new(),
        total: BySex::default(),
    };
    each_stock_flow(conn, stock, from, to, Basis::Reported, |a, by_sex| {
        table.total.add(&by_sex);
        if let Some(key) = row_of(a) {
            table.rows.entry(key).or_default().add(&by_sex);
        }
    })?;
    Ok(table)
}

/// Each group of the ledger with what it adds to a stock-flow table of months
/// `from..=to`: to the carried over if counted before `from`, to the flows if within.
pub(super) fn each_stock_flow(
    conn: &mut DbConnection,
    stock: Stock,
    from: Month,
    to: Month,
    basis: Basis,
    mut each: impl FnMut(&Aggregate, BySex),
) -> QueryResult<()> {
    let [entry, placed, removed] = stock.flows();
    let before = carried_into(conn, stock, from, basis)?;
    let within = aggregates(conn, &[entry, placed, removed], Some(from), to, basis)?;
    for (facts, carried) in [(before, true), (within, false)] {
        for a in facts {
            let amount = |n: Option<i64>| n.unwrap_or(0);
            let cell_of = |n: i64| {
                let mut cell = Cell::default();
                match (carried, a.flow) {
                    (true, f) if f == entry => cell.carried = n,
                    (true, _) => cell.carried = -n,
                    (false, f) if f == entry => cell.registered = n,
                    (false, f) if f == placed => cell.placed = n,
                    (false, _) => cell.removed = n,
                }
                cell
            };
            let by_sex = BySex {
                male: cell_of(amount(a.male)),
                female: cell_of(amount(a.female)),
                either: cell_of(amount(a.either)),
            };
            each(&a, by_sex);
        }
    }
    Ok(())
}

/// The sums of `flows` counted in months `from..=to`, by every group a table may use.
pub(super) fn flows_within(
    conn: &mut DbConnection,
    flows: &[Flow],
    from: Month,
    to: Month,
    basis: Basis,
) -> QueryResult<Vec<Aggregate>> {
    aggregates(conn, flows, Some(from), to, basis)
}

/// IPK III/1, part I: job seekers by age group and sex.
pub fn seekers_by_age(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<StockFlow<Option<AgeGroup>>> {
    stock_flow(conn, Stock::Seekers, from, to, |a| Some(a.age_group))
}

/// IPK III/1, part II: vacant positions by sex.
pub fn positions(conn: &mut DbConnection, from: Month, to: Month) -> QueryResult<BySex> {
    Ok(stock_flow(conn, Stock::Positions, from, to, |_| None::<()>)?.total)
}

/// Persons by sex in a flow-only table (placements).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub male: i64,
    pub female: i64,
    /// Sex not recorded.
    pub unknown: i64,
}

impl Count {
    pub fn all(&self) -> i64 {
        self.male + self.female + self.unknown
    }
}

/// Placements of months `from..=to`, one row per key `row_of` gives.
pub fn placements<K: Ord>(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
    row_of: impl Fn(&Aggregate) -> K,
) -> QueryResult<BTreeMap<K, Count>> {
    let mut rows: BTreeMap<K, Count> = BTreeMap::new();
    for a in flows_within(conn, &[Flow::Placement], from, to, Basis::Reported)? {
        let count = rows.entry(row_of(&a)).or_default();
        count.male += a.male.unwrap_or(0);
        count.female += a.female.unwrap_or(0);
        count.unknown += a.either.unwrap_or(0);
    }
    Ok(rows)
}

/// IPK III/7: placements by the employer's KBLI section and sex.
pub fn placements_by_kbli(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<BTreeMap<Option<String>, Count>> {
    placements(conn, from, to, |a| a.kbli_section.clone())
}

/// A row of III/8: the kind of inter-work (AKL, AKAD, AKAN) and the education level's code.
pub type InterWorkRow = (Option<String>, Option<i16>);

/// IPK III/8: placements by AKL/AKAD/AKAN and education.
pub fn placements_by_inter_work(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<BTreeMap<InterWorkRow, Count>> {
    placements(conn, from, to, |a| (a.inter_work.clone(), a.education))
}

/// IPK III/2: job seekers by education level (its code), by sex.
pub fn seekers_by_education(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<StockFlow<Option<i16>>> {
    stock_flow(conn, Stock::Seekers, from, to, |a| Some(a.education))
}

/// IPK III/3: job seekers by the KBJI major group of the job they seek, by sex.
pub fn seekers_by_kbji(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<StockFlow<Option<String>>> {
    stock_flow(conn, Stock::Seekers, from, to, |a| {
        Some(a.kbji_major.clone())
    })
}

/// IPK III/4: vacant positions by the education level asked for, by sex.
pub fn positions_by_education(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<StockFlow<Option<i16>>> {
    stock_flow(conn, Stock::Positions, from, to, |a| Some(a.education))
}

/// IPK III/5: vacant positions by KBJI major group, by sex.
pub fn positions_by_kbji(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<StockFlow<Option<String>>> {
    stock_flow(conn, Stock::Positions, from, to, |a| {
        Some(a.kbji_major.clone())
    })
}

/// IPK III/6: vacant positions by the employer's KBLI section, by sex.
pub fn positions_by_kbli(
    conn: &mut DbConnection,
    from: Month,
    to: Month,
) -> QueryResult<StockFlow<Option<String>>> {
    stock_flow(conn, Stock::Positions, from, to, |a| {
        Some(a.kbli_section.clone())
    })
}
