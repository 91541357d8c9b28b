//! The ledger summed month by month, for charts and published data sets: each month's
//! flows by sex under one grouping (kelurahan, age group, education, KBJI major group, KBLI
//! section), summed in SQL so that a run of years costs one pass and a few thousand rows.

use diesel::dsl::{max, sum};
use diesel::prelude::*;

use super::ledger::Flow;
use super::period::Month;
use crate::db::DbConnection;
use crate::schema::ipk_facts;

/// What the months are broken down by: the ledger's groups as they were at the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Nothing,
    /// The kelurahan code (`12.75.01.1008`): where the job seeker lived, where the
    /// vacancy's work is, where the person placed lived.
    Kelurahan,
    AgeGroup,
    /// The education level's code, as text (`5`).
    Education,
    KbjiMajor,
    KbliSection,
}

/// One month's sum of one flow under one group, in persons (positions for vacancies): by
/// sex, `either` being positions open to both sexes or a person whose sex was not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyRow {
    pub month: Month,
    pub flow: Flow,
    pub key: Option<String>,
    pub male: i64,
    pub female: i64,
    pub either: i64,
}

impl MonthlyRow {
    pub fn total(&self) -> i64 {
        self.male + self.female + self.either
    }
}

type Raw = (
    i32,
    Flow,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// The flows counted in months `from..=to` (every month up to `to` when `from` is `None`),
/// summed by month, flow and the grouping `by`.
pub fn monthly(
    conn: &mut DbConnection,
    flows: &[Flow],
    from: Option<Month>,
    to: Month,
    by: By,
) -> QueryResult<Vec<MonthlyRow>> {
    let codes: Vec<&str> = flows.iter().map(|f| f.as_str()).collect();
    let start = from.map_or(0, Month::key);
    // Boxed queries cannot group (diesel), so each grouping is its own statement.
    macro_rules! grouped {
        ($key:expr, $type:ty, $text:expr) => {
            ipk_facts::table
                .filter(ipk_facts::flow.eq_any(codes.clone()))
                .filter(ipk_facts::period.ge(start))
                .filter(ipk_facts::period.le(to.key()))
                .group_by((ipk_facts::period, ipk_facts::flow, $key))
                .select((
                    ipk_facts::period,
                    ipk_facts::flow,
                    $key,
                    sum(ipk_facts::male),
                    sum(ipk_facts::female),
                    sum(ipk_facts::either),
                ))
                .load::<(i32, Flow, $type, Option<i64>, Option<i64>, Option<i64>)>(conn)?
                .into_iter()
                .map(|(p, f, k, m, w, e)| (p, f, $text(k), m, w, e))
                .collect()
        };
    }
    let text = |k: Option<String>| k;
    let raw: Vec<Raw> = match by {
        // Grouping by the flow again is grouping by nothing more.
        By::Nothing => grouped!(ipk_facts::flow, Flow, |_| None),
        By::Kelurahan => grouped!(ipk_facts::kelurahan_code, Option<String>, text),
        By::AgeGroup => grouped!(ipk_facts::age_group, Option<String>, text),
        By::KbjiMajor => grouped!(ipk_facts::kbji_major, Option<String>, text),
        By::KbliSection => grouped!(ipk_facts::kbli_section, Option<String>, text),
        By::Education => grouped!(ipk_facts::education, Option<i16>, |k: Option<i16>| k
            .map(|k| k.to_string())),
    };
    Ok(raw
        .into_iter()
        .filter_map(|(period, flow, key, male, female, either)| {
            Some(MonthlyRow {
                month: Month::from_key(period)?,
                flow,
                key,
                male: male.unwrap_or(0),
                female: female.unwrap_or(0),
                either: either.unwrap_or(0),
            })
        })
        .collect())
}

/// The newest fact's id: the ledger only grows, so a summary made at this id holds until
/// the id moves.
pub fn newest_fact(conn: &mut DbConnection) -> QueryResult<Option<i32>> {
    ipk_facts::table.select(max(ipk_facts::id)).first(conn)
}

/// The closed months, oldest first: from the first month any fact is counted in through
/// `through`, the latest closed month (closing a month closes every month before it).
/// Their figures will never change.
pub fn closed_months(conn: &mut DbConnection, through: Option<Month>) -> QueryResult<Vec<Month>> {
    let (Some(mut month), Some(through)) = (super::period::first_month(conn)?, through) else {
        return Ok(Vec::new());
    };
    let mut months = Vec::new();
    while month <= through {
        months.push(month);
        month = month.next();
    }
    Ok(months)
}
