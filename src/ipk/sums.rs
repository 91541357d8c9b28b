//! The sums of each closed month's facts by every group a table uses (`ipk_month_sums`),
//! kept once when the month closes. A closed month takes no more facts, so its sums never
//! change; reports over closed months read a few thousand sums a month instead of tens of
//! thousands of facts, and only the months still open are summed from the ledger.

use diesel::dsl::sum;
use diesel::prelude::*;

use super::ledger::Flow;
use super::period::Month;
use super::tables::Aggregate;
use crate::db::DbConnection;
use crate::domain::AgeGroup;
use crate::schema::{ipk_facts, ipk_month_sums};

type Row = (
    i32,
    Flow,
    Option<AgeGroup>,
    Option<i16>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// Keeps the sums of months `after+1..=through` (every month up to `through` when `after`
/// is `None`), which the caller has just closed, in its transaction.
pub(super) fn keep(
    conn: &mut DbConnection,
    after: Option<Month>,
    through: Month,
) -> QueryResult<()> {
    let rows: Vec<Row> = ipk_facts::table
        .filter(ipk_facts::period.gt(after.map_or(0, Month::key)))
        .filter(ipk_facts::period.le(through.key()))
        .group_by((
            ipk_facts::period,
            ipk_facts::flow,
            ipk_facts::age_group,
            ipk_facts::education,
            ipk_facts::kbji_major,
            ipk_facts::kbli_section,
            ipk_facts::inter_work,
        ))
        .select((
            ipk_facts::period,
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
        .load(conn)?;
    // A month's persons in one group are far below 2^31; a sum that is not is a broken
    // ledger, and closing the month must fail rather than keep a wrong figure.
    let persons = |n: Option<i64>| {
        i32::try_from(n.unwrap_or(0))
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
    };
    let mut values = Vec::with_capacity(rows.len());
    for (period, flow, age, education, kbji, kbli, inter_work, male, female, either) in rows {
        values.push((
            ipk_month_sums::period.eq(period),
            ipk_month_sums::flow.eq(flow.as_str()),
            ipk_month_sums::age_group.eq(age.map(AgeGroup::as_str)),
            ipk_month_sums::education.eq(education),
            ipk_month_sums::kbji_major.eq(kbji),
            ipk_month_sums::kbli_section.eq(kbli),
            ipk_month_sums::inter_work.eq(inter_work),
            ipk_month_sums::male.eq(persons(male)?),
            ipk_month_sums::female.eq(persons(female)?),
            ipk_month_sums::either.eq(persons(either)?),
        ));
    }
    for chunk in values.chunks(500) {
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(ipk_month_sums::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// The kept sums of `flows` in closed months `from..=to` (from the first when `from` is
/// `None`), by every group a table may use.
pub(super) fn read(
    conn: &mut DbConnection,
    flows: &[Flow],
    from: Option<Month>,
    to: Month,
) -> QueryResult<Vec<Aggregate>> {
    let codes: Vec<&str> = flows.iter().map(|f| f.as_str()).collect();
    ipk_month_sums::table
        .filter(ipk_month_sums::flow.eq_any(codes))
        .filter(ipk_month_sums::period.ge(from.map_or(0, Month::key)))
        .filter(ipk_month_sums::period.le(to.key()))
        .group_by((
            ipk_month_sums::flow,
            ipk_month_sums::age_group,
            ipk_month_sums::education,
            ipk_month_sums::kbji_major,
            ipk_month_sums::kbli_section,
            ipk_month_sums::inter_work,
        ))
        .select((
            ipk_month_sums::flow,
            ipk_month_sums::age_group,
            ipk_month_sums::education,
            ipk_month_sums::kbji_major,
            ipk_month_sums::kbli_section,
            ipk_month_sums::inter_work,
            sum(ipk_month_sums::male),
            sum(ipk_month_sums::female),
            sum(ipk_month_sums::either),
        ))
        .load(conn)
}
