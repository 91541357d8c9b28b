//! The figures of a form (`form.rs`) for a run of months, computed from the ledger: every
//! cell sums the ledger's groups that its row and column match.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::QueryResult;
use serde::{Deserialize, Serialize};

use super::form::{Dim, Form, Line, Measure, OTHER, Part, SexOf, Source};
use super::ledger::Flow;
use super::period::Month;
use super::tables::{Aggregate, Basis, BySex, Cell, Stock};
use crate::db::DbConnection;

/// A part's figures: one row of cells per row of the form, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartFigures {
    pub cells: Vec<Vec<i64>>,
}

/// A form's figures, one entry per part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub parts: Vec<PartFigures>,
}

/// One group of the ledger and what it adds to a cell.
struct Contribution {
    codes: [Option<String>; 5],
    amounts: BySex,
}

const DIMS: [Dim; 5] = [
    Dim::AgeGroup,
    Dim::Education,
    Dim::KbjiMajor,
    Dim::KbliSection,
    Dim::InterWork,
];

fn slot(dim: Dim) -> usize {
    DIMS.iter().position(|d| *d == dim).unwrap_or(0)
}

fn codes_of(a: &Aggregate) -> [Option<String>; 5] {
    [
        a.age_group.map(|g| g.as_str().to_owned()),
        a.education.map(|e| e.to_string()),
        a.kbji_major.clone(),
        a.kbli_section.clone(),
        a.inter_work.clone(),
    ]
}

/// The ledger's groups for a run of months, read once per source however many forms
/// and cells use them.
pub struct Ledger<'a> {
    conn: &'a mut DbConnection,
    from: Month,
    to: Month,
    basis: Basis,
    loaded: HashMap<u8, Vec<Contribution>>,
}

impl<'a> Ledger<'a> {
    pub fn new(conn: &'a mut DbConnection, from: Month, to: Month, basis: Basis) -> Self {
        Self {
            conn,
            from,
            to,
            basis,
            loaded: HashMap::new(),
        }
    }

    fn contributions(&mut self, source: Source) -> QueryResult<&[Contribution]> {
        let key = source as u8;
        if !self.loaded.contains_key(&key) {
            let made = match source {
                Source::Seekers => self.stock(Stock::Seekers)?,
                Source::Positions => self.stock(Stock::Positions)?,
                Source::Placements => super::tables::flows_within(
                    self.conn,
                    &[Flow::Placement],
                    self.from,
                    self.to,
                    self.basis,
                )?
                .into_iter()
                .map(|a| {
                    let count = |n: Option<i64>| Cell {
                        registered: n.unwrap_or(0),
                        ..Cell::default()
                    };
                    Contribution {
                        amounts: BySex {
                            male: count(a.male),
                            female: count(a.female),
                            either: count(a.either),
                        },
                        codes: codes_of(&a),
                    }
                })
                .collect(),
            };
            self.loaded.insert(key, made);
        }
        Ok(self.loaded.get(&key).map(Vec::as_slice).unwrap_or_default())
    }

    fn stock(&mut self, stock: Stock) -> QueryResult<Vec<Contribution>> {
        let mut out = Vec::new();
        super::tables::each_stock_flow(
            self.conn,
            stock,
            self.from,
            self.to,
            self.basis,
            |a, amounts| {
                out.push(Contribution {
                    codes: codes_of(a),
                    amounts,
                })
            },
        )?;
        Ok(out)
    }

    /// The figures of `form`.
    pub fn figures(&mut self, form: &Form) -> QueryResult<Figures> {
        let mut parts = Vec::with_capacity(form.parts.len());
        for part in &form.parts {
            let contributions = self.contributions(part.source)?;
            parts.push(part_figures(part, contributions));
        }
        Ok(Figures { parts })
    }
}

fn part_figures(part: &Part, contributions: &[Contribution]) -> PartFigures {
    let named = part.named_codes();
    let cells = part
        .rows
        .iter()
        .map(|row| {
            part.columns
                .iter()
                .map(|column| cell(row, column, contributions, &named))
                .collect()
        })
        .collect();
    PartFigures { cells }
}

fn cell(
    row: &Line,
    column: &Line,
    contributions: &[Contribution],
    named: &BTreeMap<Dim, BTreeSet<&str>>,
) -> i64 {
    // Checked when the form was loaded: one of the two says what is counted.
    let measure = row.measure.or(column.measure).unwrap_or(Measure::Count);
    let sex = row.sex.or(column.sex).unwrap_or(SexOf::All);
    contributions
        .iter()
        .filter(|c| {
            row.codes
                .iter()
                .chain(&column.codes)
                .all(|(dim, codes)| matches(codes, c.codes[slot(*dim)].as_deref(), named.get(dim)))
        })
        .map(|c| {
            let cell = match sex {
                SexOf::Male => c.amounts.male,
                SexOf::Female => c.amounts.female,
                SexOf::Either => c.amounts.either,
                SexOf::All => c.amounts.all(),
            };
            value(cell, measure)
        })
        .sum()
}

fn matches(codes: &[String], code: Option<&str>, named: Option<&BTreeSet<&str>>) -> bool {
    codes.iter().any(|wanted| {
        if wanted == OTHER {
            code.is_none_or(|c| !named.is_some_and(|n| n.contains(c)))
        } else {
            code == Some(wanted.as_str())
        }
    })
}

fn value(cell: Cell, measure: Measure) -> i64 {
    match measure {
        Measure::Carried => cell.carried,
        Measure::Registered | Measure::Count => cell.registered,
        Measure::Placed => cell.placed,
        Measure::Removed => cell.removed,
        Measure::TotalIn => cell.total_in(),
        Measure::TotalOut => cell.total_out(),
        Measure::Remaining => cell.remaining(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_takes_what_no_line_names_and_what_was_not_recorded() {
        let named: BTreeSet<&str> = ["0", "1", "2"].into();
        let other = vec![OTHER.to_owned()];
        assert!(matches(&other, None, Some(&named)));
        assert!(matches(&other, Some("7"), Some(&named)));
        assert!(!matches(&other, Some("1"), Some(&named)));
        let sd = vec!["0".to_owned(), "1".to_owned(), "2".to_owned()];
        assert!(matches(&sd, Some("2"), Some(&named)));
        assert!(!matches(&sd, None, Some(&named)));
    }
}
