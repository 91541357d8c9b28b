//! The stock on the register at the end of each closed month, kept once when the month
//! closes (table `ipk_stocks`). A closed month takes no more facts, so what was on the
//! register at its end never changes; the tables of any later period start from it and
//! sum only the facts after it, which keeps a month's III/1 fast however long the ledger.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::period::Month;
use super::tables::{Aggregate, Basis, Stock};
use crate::db::DbConnection;
use crate::domain::AgeGroup;
use crate::schema::ipk_stocks;

fn name(stock: Stock) -> &'static str {
    match stock {
        Stock::Seekers => "seekers",
        Stock::Positions => "positions",
    }
}

/// The latest kept stock at the end of a month no later than `last`, as groups of the
/// stock's entry flow, with that month.
pub(super) fn latest_through(
    conn: &mut DbConnection,
    stock: Stock,
    last: Month,
) -> QueryResult<Option<(Month, Vec<Aggregate>)>> {
    let kept: Option<i32> = ipk_stocks::table
        .filter(ipk_stocks::stock.eq(name(stock)))
        .filter(ipk_stocks::period.le(last.key()))
        .select(diesel::dsl::max(ipk_stocks::period))
        .first(conn)?;
    let Some(month) = kept.and_then(Month::from_key) else {
        return Ok(None);
    };
    let [entry, ..] = stock.flows();
    type Row = (
        Option<AgeGroup>,
        Option<i16>,
        Option<String>,
        Option<String>,
        i64,
        i64,
        i64,
    );
    let rows: Vec<Row> = ipk_stocks::table
        .filter(ipk_stocks::stock.eq(name(stock)))
        .filter(ipk_stocks::period.eq(month.key()))
        .select((
            ipk_stocks::age_group,
            ipk_stocks::education,
            ipk_stocks::kbji_major,
            ipk_stocks::kbli_section,
            ipk_stocks::male,
            ipk_stocks::female,
            ipk_stocks::either,
        ))
        .load(conn)?;
    let groups = rows
        .into_iter()
        .map(
            |(age_group, education, kbji_major, kbli_section, male, female, either)| Aggregate {
                flow: entry,
                age_group,
                education,
                kbji_major,
                kbli_section,
                inter_work: None,
                male: Some(male),
                female: Some(female),
                either: Some(either),
            },
        )
        .collect();
    Ok(Some((month, groups)))
}

type Key = (
    Option<AgeGroup>,
    Option<i16>,
    Option<String>,
    Option<String>,
);

/// Keeps the stock at the end of `month`, which the caller has just closed, in the same
/// transaction. Nothing is kept twice.
pub(super) fn keep(conn: &mut DbConnection, month: Month) -> QueryResult<()> {
    for stock in [Stock::Seekers, Stock::Positions] {
        let already: i64 = ipk_stocks::table
            .filter(ipk_stocks::stock.eq(name(stock)))
            .filter(ipk_stocks::period.eq(month.key()))
            .count()
            .get_result(conn)?;
        if already > 0 {
            continue;
        }
        let mut totals: BTreeMap<Key, [i64; 3]> = BTreeMap::new();
        // The stock at the end of `month` is what the next month carries over.
        super::tables::each_stock_flow(
            conn,
            stock,
            month.next(),
            month.next(),
            Basis::Reported,
            |a, amounts| {
                let key = (
                    a.age_group,
                    a.education,
                    a.kbji_major.clone(),
                    a.kbli_section.clone(),
                );
                let t = totals.entry(key).or_default();
                t[0] += amounts.male.carried;
                t[1] += amounts.female.carried;
                t[2] += amounts.either.carried;
            },
        )?;
        let rows: Vec<_> = totals
            .into_iter()
            .filter(|(_, n)| n.iter().any(|x| *x != 0))
            .map(|((age, education, kbji, kbli), [male, female, either])| {
                (
                    ipk_stocks::period.eq(month.key()),
                    ipk_stocks::stock.eq(name(stock)),
                    ipk_stocks::age_group.eq(age.map(AgeGroup::as_str)),
                    ipk_stocks::education.eq(education),
                    ipk_stocks::kbji_major.eq(kbji),
                    ipk_stocks::kbli_section.eq(kbli),
                    ipk_stocks::male.eq(male),
                    ipk_stocks::female.eq(female),
                    ipk_stocks::either.eq(either),
                )
            })
            .collect();
        for chunk in rows.chunks(500) {
            crate::with_backend!(&mut *conn, |c| diesel::insert_into(ipk_stocks::table)
                .values(chunk)
                .execute(c))?;
        }
    }
    Ok(())
}
