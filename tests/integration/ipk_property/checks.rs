//! The checks on every month's tables once a history has been played.

use std::collections::BTreeSet;

use diesel::prelude::*;
use proptest::prelude::*;
use sibuser::db::DbConnection;
use sibuser::ipk::Month;
use sibuser::ipk::tables::{BySex, Cell};
use sibuser::schema::{ak1_cards, ipk_facts, placements};
use sibuser::seekers::ak1::model::Status;
use sibuser::vacancies::VacancyStatus;

use super::sim::Sim;
use super::{Fail, db};
use crate::ipk_world::{Named, Tables};

fn cells(b: &BySex) -> [(&'static str, Cell); 3] {
    [("L", b.male), ("P", b.female), ("either", b.either)]
}

fn no_negative(where_: &str, b: &BySex) -> Result<(), Fail> {
    for (sex, c) in cells(b) {
        prop_assert!(
            c.carried >= 0 && c.registered >= 0 && c.placed >= 0 && c.removed >= 0,
            "{} {}: a negative cell {:?}",
            where_,
            sex,
            c
        );
        prop_assert!(
            c.remaining() >= 0,
            "{} {}: negative remaining {:?}",
            where_,
            sex,
            c
        );
    }
    Ok(())
}

/// What the ledger holds for one stock in month `m`, summed here from its rows.
#[derive(Default)]
struct Raw {
    seekers: BySex,
    positions: BySex,
    placements: (i64, i64, i64),
}

type FactRow = (String, i32, i32, i32, i32);

fn raw_month(facts: &[FactRow], m: Month) -> Raw {
    let mut raw = Raw::default();
    for (flow, period, male, female, either) in facts {
        let (period, persons) = (*period, [*male, *female, *either].map(i64::from));
        if period > m.key() {
            continue;
        }
        let before = period < m.key();
        let (stock, entry, placed) = match flow.as_str() {
            "seeker_registered" => (&mut raw.seekers, true, false),
            "seeker_placed" => (&mut raw.seekers, false, true),
            "seeker_removed" => (&mut raw.seekers, false, false),
            "vacancy_registered" => (&mut raw.positions, true, false),
            "vacancy_filled" => (&mut raw.positions, false, true),
            "vacancy_removed" => (&mut raw.positions, false, false),
            _ => {
                if !before {
                    raw.placements.0 += persons[0];
                    raw.placements.1 += persons[1];
                    raw.placements.2 += persons[2];
                }
                continue;
            }
        };
        for (cell, n) in [&mut stock.male, &mut stock.female, &mut stock.either]
            .into_iter()
            .zip(persons)
        {
            match (before, entry, placed) {
                (true, true, _) => cell.carried += n,
                (true, false, _) => cell.carried -= n,
                (false, true, _) => cell.registered += n,
                (false, false, true) => cell.placed += n,
                (false, false, false) => cell.removed += n,
            }
        }
    }
    raw
}

fn placements_total(t: &Tables) -> ((i64, i64, i64), (i64, i64, i64)) {
    let add = |acc: (i64, i64, i64), c: &sibuser::ipk::tables::Count| {
        (acc.0 + c.male, acc.1 + c.female, acc.2 + c.unknown)
    };
    (
        t.placements_by_kbli.values().fold((0, 0, 0), add),
        t.placements_by_inter_work.values().fold((0, 0, 0), add),
    )
}

impl Sim<'_> {
    pub(super) fn check_tables(&mut self) -> Result<(), Fail> {
        let facts: Vec<FactRow> = db(ipk_facts::table
            .select((
                ipk_facts::flow,
                ipk_facts::period,
                ipk_facts::male,
                ipk_facts::female,
                ipk_facts::either,
            ))
            .load(self.conn))?;
        let Some(first) = facts.iter().map(|f| f.1).min() else {
            return Ok(());
        };
        let first =
            Month::from_key(first).ok_or_else(|| Fail::fail("a period that is no month"))?;
        let last = Month::of(self.today());
        let mut months = Vec::new();
        let mut m = first;
        while m <= last {
            months.push(m);
            m = m.next();
        }
        let mut tables: Vec<Tables> = Vec::new();
        for &m in &months {
            let t = db(Tables::of(self.conn, m, m))?;
            self.check_month(m, &t, &facts)?;
            if let Some(before) = tables.last() {
                check_carried_over(m, before, &t)?;
            }
            tables.push(t);
        }
        prop_assert!(
            tables[0].seekers_by_age.total.all().carried == 0
                && tables[0].positions.all().carried == 0,
            "nothing is carried into the first month"
        );
        for (m, snapshot) in &self.closed {
            let now = db(Tables::of(self.conn, *m, *m))?;
            prop_assert!(
                &now == snapshot,
                "{} changed after it was signed off:\nthen {:?}\nnow  {:?}",
                m,
                snapshot,
                now
            );
        }
        // Runs of months: the whole history and each quarter in it.
        let mut runs = vec![(0, months.len() - 1)];
        for (i, m) in months.iter().enumerate() {
            if m.month() % 3 == 1 && i + 2 < months.len() {
                runs.push((i, i + 2));
            }
        }
        for (from, to) in runs {
            let run = db(Tables::of(self.conn, months[from], months[to]))?;
            check_run(&months[from..=to], &tables[from..=to], &run)?;
        }
        self.check_register(tables.last().expect("a month at least"))
    }

    fn check_month(&mut self, m: Month, t: &Tables, facts: &[FactRow]) -> Result<(), Fail> {
        let raw = raw_month(facts, m);
        let seekers = t.seekers_by_age.total;
        prop_assert_eq!(seekers, raw.seekers, "{}: III/1 I against the ledger", m);
        prop_assert_eq!(
            t.positions,
            raw.positions,
            "{}: III/1 II against the ledger",
            m
        );
        for Named {
            name,
            rows,
            total,
            of_positions,
        } in t.stock_tables()
        {
            let (whole, what) = if of_positions {
                (t.positions, "positions")
            } else {
                (seekers, "job seekers")
            };
            prop_assert_eq!(
                total,
                whole,
                "{} {}: the total is III/1's {}",
                m,
                name,
                what
            );
            prop_assert_eq!(
                crate::ipk_world::sum(rows.values()),
                whole,
                "{} {}: the rows add up to III/1",
                m,
                name
            );
            no_negative(&format!("{m} {name} total"), &total)?;
            for (key, row) in &rows {
                no_negative(&format!("{m} {name} row {key}"), row)?;
            }
        }
        let (by_kbli, by_inter_work) = placements_total(t);
        prop_assert_eq!(by_kbli, raw.placements, "{}: III/7 against the ledger", m);
        prop_assert_eq!(
            by_inter_work,
            raw.placements,
            "{}: III/8 against the ledger",
            m
        );
        for c in t
            .placements_by_kbli
            .values()
            .chain(t.placements_by_inter_work.values())
        {
            prop_assert!(
                c.male >= 0 && c.female >= 0 && c.unknown >= 0,
                "{}: {:?}",
                m,
                c
            );
        }
        Ok(())
    }

    /// What remains at the end is what the cards and the vacancies hold, and every card,
    /// end and placement was counted once.
    fn check_register(&mut self, last: &Tables) -> Result<(), Fail> {
        let statuses: Vec<Status> = db(ak1_cards::table
            .filter(ak1_cards::issued_on.is_not_null())
            .select(ak1_cards::status)
            .load(self.conn))?;
        let count =
            |wanted: &[Status]| statuses.iter().filter(|s| wanted.contains(s)).count() as i64;
        let active = count(&[Status::Active]);
        prop_assert_eq!(
            last.seekers_by_age.total.all().remaining(),
            active,
            "the job seekers remaining are the active cards"
        );
        let cumulative = |conn: &mut DbConnection, flow: &str| -> Result<i64, Fail> {
            let rows: Vec<(i32, i32, i32)> = db(ipk_facts::table
                .filter(ipk_facts::flow.eq(flow))
                .select((ipk_facts::male, ipk_facts::female, ipk_facts::either))
                .load(conn))?;
            Ok(rows.iter().map(|(m, f, e)| i64::from(m + f + e)).sum())
        };
        prop_assert_eq!(
            cumulative(self.conn, "seeker_registered")?,
            statuses.len() as i64,
            "every issued card is registered once"
        );
        prop_assert_eq!(
            cumulative(self.conn, "seeker_placed")?,
            count(&[Status::Placed]),
            "every card placed leaves once"
        );
        prop_assert_eq!(
            cumulative(self.conn, "seeker_removed")?,
            count(&[Status::Expired, Status::Lapsed, Status::Withdrawn]),
            "every card removed leaves once"
        );
        let recorded: i64 = db(placements::table.count().get_result(self.conn))?;
        prop_assert_eq!(
            cumulative(self.conn, "placement")?,
            recorded,
            "every placement is counted once"
        );
        for &id in &self.vacancies.clone() {
            let v = db(sibuser::vacancies::find(self.conn, id))?
                .ok_or_else(|| Fail::fail("a vacancy vanished"))?;
            let held = db(sibuser::ipk::ledger::outstanding(
                self.conn,
                &sibuser::ipk::ledger::subject("vacancy", id),
            ))?
            .unwrap_or_default();
            let expected = match v.status() {
                VacancyStatus::Published => sibuser::vacancies::facts::open_positions(&v),
                // Back in review, it keeps what it held; not yet published, it holds none.
                VacancyStatus::Submitted => continue,
                _ => sibuser::ipk::Persons::default(),
            };
            prop_assert_eq!(
                held,
                expected,
                "vacancy {} ({:?}, quotas {}/{}/{}, filled {}/{}) holds what it has open",
                id,
                v.status(),
                v.quota_male,
                v.quota_female,
                v.quota_any,
                v.filled_male,
                v.filled_female
            );
        }
        Ok(())
    }
}

/// A month's carried over is the month before's remaining, row by row and sex by sex.
fn check_carried_over(m: Month, before: &Tables, t: &Tables) -> Result<(), Fail> {
    for (prev, now) in before.stock_tables().into_iter().zip(t.stock_tables()) {
        let (name, prev, rows) = (prev.name, prev.rows, now.rows);
        let keys: BTreeSet<&String> = prev.keys().chain(rows.keys()).collect();
        for key in keys {
            let (p, r) = (
                prev.get(key).copied().unwrap_or_default(),
                rows.get(key).copied().unwrap_or_default(),
            );
            for ((sex, pc), (_, rc)) in cells(&p).into_iter().zip(cells(&r)) {
                prop_assert_eq!(
                    rc.carried,
                    pc.remaining(),
                    "{} {} row {} {}: carried over is the remaining of {}",
                    m,
                    name,
                    key,
                    sex,
                    m.previous()
                );
            }
        }
    }
    Ok(())
}

/// A run of months is its months added up: carried over from the first, remaining from the
/// last, the flows summed.
fn check_run(months: &[Month], tables: &[Tables], run: &Tables) -> Result<(), Fail> {
    let (first, last) = (months[0], months[months.len() - 1]);
    let per_month: Vec<_> = tables.iter().map(Tables::stock_tables).collect();
    for (i, Named { name, rows, .. }) in run.stock_tables().into_iter().enumerate() {
        let mut keys: BTreeSet<String> = rows.keys().cloned().collect();
        for month in &per_month {
            keys.extend(month[i].rows.keys().cloned());
        }
        for key in keys {
            let got = rows.get(&key).copied().unwrap_or_default();
            let of = |t: usize| per_month[t][i].rows.get(&key).copied().unwrap_or_default();
            for (s, (sex, cell)) in cells(&got).into_iter().enumerate() {
                let part = |b: BySex| cells(&b)[s].1;
                let flows = (0..tables.len()).fold((0, 0, 0), |acc, t| {
                    let c = part(of(t));
                    (acc.0 + c.registered, acc.1 + c.placed, acc.2 + c.removed)
                });
                prop_assert_eq!(
                    (
                        cell.carried,
                        cell.registered,
                        cell.placed,
                        cell.removed,
                        cell.remaining()
                    ),
                    (
                        part(of(0)).carried,
                        flows.0,
                        flows.1,
                        flows.2,
                        part(of(tables.len() - 1)).remaining()
                    ),
                    "{} to {} {} row {} {}: the run is its months added up",
                    first,
                    last,
                    name,
                    key,
                    sex
                );
            }
        }
    }
    let sum_counts = |pick: &dyn Fn(&Tables) -> (i64, i64, i64)| {
        tables
            .iter()
            .map(pick)
            .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    };
    let (kbli, inter_work) = placements_total(run);
    prop_assert_eq!(
        kbli,
        sum_counts(&|t| placements_total(t).0),
        "{} to {}: III/7",
        first,
        last
    );
    prop_assert_eq!(
        inter_work,
        sum_counts(&|t| placements_total(t).1),
        "{} to {}: III/8",
        first,
        last
    );
    Ok(())
}
