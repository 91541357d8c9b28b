//! A data set's published figures: for each closed month, a table of categories by sex,
//! with small counts of people hidden so that no one can be singled out.
//!
//! The rule, per month and sex (a column of the month's table):
//! - a cell of 1 to 4 people is hidden; 0 is shown (it is nobody);
//! - the column's total is known anyway (another data set about the same people, or the
//!   same data set's other columns, gives it), so hidden cells must not be worked out from
//!   it: while the hidden cells of a column add up to less than their number plus 4, the
//!   smallest shown non-zero cell is hidden too. Then, knowing their sum, any one hidden
//!   cell could still be anything from 1 to 5;
//! - a total (of a row, a column or the month) is published only when none of the cells
//!   it adds up is hidden, so no total adds anything to what the cells show.

use std::collections::HashMap;

use super::datasets::{Dataset, UNKNOWN};
use crate::ipk::Month;
use crate::ipk::series::MonthlyRow;
use crate::web::Lang;

/// Fewest people a published cell may count, unless it counts nobody.
pub const THRESHOLD: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub value: i64,
    pub hidden: bool,
}

impl Cell {
    /// What may be published: the number, or nothing.
    pub fn shown(self) -> Option<i64> {
        (!self.hidden).then_some(self.value)
    }
}

/// Which cells of one column to hide, by the rule above.
pub fn hide(column: &[i64]) -> Vec<bool> {
    let mut hidden: Vec<bool> = column.iter().map(|v| (1..THRESHOLD).contains(v)).collect();
    loop {
        let (count, sum) = column
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| **h)
            .fold((0, 0), |(c, s), (v, _)| (c + 1, s + v));
        if count == 0 || sum >= count + THRESHOLD - 1 {
            return hidden;
        }
        let smallest = column
            .iter()
            .enumerate()
            .filter(|(i, v)| !hidden[*i] && **v > 0)
            .min_by_key(|(i, v)| (**v, *i))
            .map(|(i, _)| i);
        match smallest {
            Some(i) => hidden[i] = true,
            // Every non-zero cell is hidden already: the column's total is then below
            // the threshold in every data set about these people, so none publishes it.
            None => return hidden,
        }
    }
}

/// One month's table: a row per category, a cell per sex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTable {
    pub month: Month,
    /// In the order of the dimension's categories.
    pub rows: Vec<(String, [Cell; 3])>,
}

impl MonthTable {
    pub fn row_total(&self, row: usize) -> Option<i64> {
        total(self.rows[row].1.iter())
    }

    pub fn column_total(&self, sex: usize) -> Option<i64> {
        total(self.rows.iter().map(|(_, cells)| &cells[sex]))
    }

    pub fn total(&self) -> Option<i64> {
        total(self.rows.iter().flat_map(|(_, cells)| cells.iter()))
    }
}

fn total<'a>(cells: impl Iterator<Item = &'a Cell>) -> Option<i64> {
    cells.map(|c| c.shown()).sum()
}

/// The published tables of a data set for the given (closed) months, oldest first, from
/// the ledger's monthly sums of its flow under its grouping.
pub fn tables(dataset: &Dataset, months: &[Month], sums: &[MonthlyRow]) -> Vec<MonthTable> {
    let codes: Vec<String> = dataset
        .dimension
        .categories(Lang::Id)
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut counts: HashMap<(Month, String), [i64; 3]> = HashMap::new();
    for row in sums.iter().filter(|r| r.flow == dataset.flow) {
        let code = dataset.dimension.category_of(row.key.as_deref());
        let cell = counts.entry((row.month, code)).or_default();
        cell[0] += row.male;
        cell[1] += row.female;
        cell[2] += row.either;
    }
    months
        .iter()
        .map(|month| {
            let values: Vec<[i64; 3]> = codes
                .iter()
                .map(|code| {
                    counts
                        .get(&(*month, code.clone()))
                        .copied()
                        .unwrap_or_default()
                })
                .collect();
            let mut hidden = vec![[false; 3]; codes.len()];
            if dataset.unit.suppresses() {
                for sex in 0..3 {
                    let column: Vec<i64> = values.iter().map(|v| v[sex]).collect();
                    for (row, h) in hide(&column).into_iter().enumerate() {
                        hidden[row][sex] = h;
                    }
                }
            }
            MonthTable {
                month: *month,
                rows: codes
                    .iter()
                    .zip(values.iter().zip(&hidden))
                    .map(|(code, (v, h))| {
                        let cell = |i: usize| Cell {
                            value: v[i],
                            hidden: h[i],
                        };
                        (code.clone(), [cell(0), cell(1), cell(2)])
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Whether a category code is the unknown one (printed last, in its own words).
pub fn is_unknown(code: &str) -> bool {
    code == UNKNOWN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden_values(column: &[i64]) -> Vec<i64> {
        column
            .iter()
            .zip(hide(column))
            .filter(|(_, h)| *h)
            .map(|(v, _)| *v)
            .collect()
    }

    #[test]
    fn no_small_count_is_shown_and_zero_is() {
        assert_eq!(hide(&[0, 0, 12, 30]), vec![false; 4]);
        for small in 1..=4 {
            let h = hide(&[small, 0, 12, 30]);
            assert!(h[0], "{small}");
            assert!(!h[1], "0 is nobody: shown");
        }
        assert_eq!(hide(&[5, 5]), vec![false, false]);
    }

    #[test]
    fn a_lone_hidden_cell_takes_the_smallest_other_with_it() {
        // Knowing the column's total (42), the 3 could be worked out; with the 9 hidden
        // too, only their sum (12) is known.
        assert_eq!(hide(&[3, 30, 9, 0]), vec![true, false, true, false]);
        assert_eq!(hidden_values(&[3, 30, 9, 0]), vec![3, 9]);
    }

    #[test]
    fn hidden_cells_that_would_pin_each_other_down_take_more() {
        // 1 + 1 = 2 would show both were 1.
        assert_eq!(hidden_values(&[1, 1, 7, 20]), vec![1, 1, 7]);
        // 4 + 4 = 8 with two cells: either could be 1 to 7.
        assert_eq!(hidden_values(&[4, 4, 7, 20]), vec![4, 4]);
    }

    #[test]
    fn whatever_the_column_no_hidden_cell_can_be_worked_out_from_its_total() {
        // Every column of five cells from 0 to 9: either nothing is hidden, or the hidden
        // cells leave each of them at least the range 1 to 5 given their sum; and no
        // cell of 1 to 4 is ever shown.
        let mut column = [0i64; 5];
        for n in 0..10i64.pow(5) {
            let mut rest = n;
            for c in column.iter_mut() {
                *c = rest % 10;
                rest /= 10;
            }
            let h = hide(&column);
            let (count, sum) = column
                .iter()
                .zip(&h)
                .filter(|(_, h)| **h)
                .fold((0, 0), |(c, s), (v, _)| (c + 1, s + v));
            let nonzero_shown = column.iter().zip(&h).any(|(v, h)| !h && *v > 0);
            assert!(
                count == 0 || sum - (count - 1) >= THRESHOLD || !nonzero_shown,
                "{column:?} → {h:?}"
            );
            for (v, h) in column.iter().zip(&h) {
                assert!(*h || !(1..THRESHOLD).contains(v), "{column:?}");
                assert!(!*h || *v > 0, "a zero is never hidden: {column:?}");
            }
        }
    }

    #[test]
    fn totals_are_published_only_over_shown_cells() {
        let shown = |v| Cell {
            value: v,
            hidden: false,
        };
        let hidden = |v| Cell {
            value: v,
            hidden: true,
        };
        let t = MonthTable {
            month: Month::new(2026, 9).unwrap(),
            rows: vec![
                ("a".into(), [shown(10), shown(20), shown(0)]),
                ("b".into(), [hidden(3), shown(6), shown(0)]),
                ("c".into(), [hidden(9), shown(5), shown(0)]),
            ],
        };
        assert_eq!(t.row_total(0), Some(30));
        assert_eq!(t.row_total(1), None);
        assert_eq!(t.column_total(0), None);
        assert_eq!(t.column_total(1), Some(31));
        assert_eq!(t.column_total(2), Some(0));
        assert_eq!(t.total(), None);
    }
}
