//! Reading one row's cells by column name into typed values, each mistake a problem with
//! its column and reason. A kind's `parse` calls these; the engine adds the line.

use chrono::NaiveDate;

use super::reader::{Cell, serial_date, text_of};
use crate::domain::text::{REPLACED, is_hidden_control};

/// A mistake in one cell (or, with no column, in the row): a translation key, and a value
/// it names (a line number, an allowed list) when it needs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub column: Option<&'static str>,
    pub reason: &'static str,
    pub detail: Option<String>,
}

/// The cells of one row, reachable by the template's column names (a column the file does
/// not have reads as empty), and the problems found in them so far.
pub struct RowCells<'a> {
    pub(super) cells: &'a [Cell],
    /// For each of the kind's columns, its position in the file, if the file has it.
    pub(super) positions: &'a [(&'static str, Option<usize>)],
    pub problems: Vec<CellProblem>,
}

/// Characters a spreadsheet reads as the start of a formula (CSV injection): a cell
/// starting with one is refused rather than stored, since a later export or a preview
/// copied into a spreadsheet would run it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS)
}

impl<'a> RowCells<'a> {
    pub fn new(cells: &'a [Cell], positions: &'a [(&'static str, Option<usize>)]) -> Self {
        Self {
            cells,
            positions,
            problems: Vec::new(),
        }
    }

    fn cell(&self, column: &str) -> &Cell {
        self.positions
            .iter()
            .find(|(name, _)| *name == column)
            .and_then(|(_, at)| at.and_then(|i| self.cells.get(i)))
            .unwrap_or(&Cell::Empty)
    }

    pub fn problem(&mut self, column: &'static str, reason: &'static str) {
        self.problem_with(column, reason, None);
    }

    pub fn problem_with(
        &mut self,
        column: &'static str,
        reason: &'static str,
        detail: Option<String>,
    ) {
        // One reason per cell: the first found is the one to fix first.
        if !self.problems.iter().any(|p| p.column == Some(column)) {
            self.problems.push(CellProblem {
                column: Some(column),
                reason,
                detail,
            });
        }
    }

    pub fn has_problem(&self, column: &str) -> bool {
        self.problems.iter().any(|p| p.column == Some(column))
    }

    /// The cell as text, trimmed; empty when blank. A formula-like start or a hidden control
    /// character is a problem (and reads as empty).
    pub fn text(&mut self, column: &'static str) -> String {
        let raw = text_of(self.cell(column));
        if looks_like_formula(&raw) {
            self.problem(column, "import.cell.formula");
            return String::new();
        }
        let text = raw.trim();
        if text.chars().any(|c| is_hidden_control(c) || c == REPLACED) {
            self.problem(column, "form.error.hidden_characters");
            return String::new();
        }
        text.to_owned()
    }

    /// As [`Self::text`], and a problem when blank.
    pub fn required_text(&mut self, column: &'static str) -> String {
        let text = self.text(column);
        if text.is_empty() && !self.has_problem(column) {
            self.problem(column, "import.cell.required");
        }
        text
    }

    /// A whole number, or `None` when blank. Text that is not a number is a problem; a
    /// signed number is a number, not a formula.
    pub fn integer(&mut self, column: &'static str) -> Option<i64> {
        match self.cell(column).clone() {
            Cell::Empty => None,
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(n as i64),
            Cell::Number(_) => {
                self.problem(column, "import.cell.whole_number");
                None
            }
            Cell::Text(t) => {
                let t = t.trim();
                if t.is_empty() {
                    return None;
                }
                match t.parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) if looks_like_formula(t) && !t.starts_with(['+', '-']) => {
                        self.problem(column, "import.cell.formula");
                        None
                    }
                    Err(_) => {
                        self.problem(column, "import.cell.whole_number");
                        None
                    }
                }
            }
            Cell::Date(_) | Cell::Bool(_) => {
                self.problem(column, "import.cell.whole_number");
                None
            }
        }
    }

    /// A date, or `None` when blank: an Excel date (or its serial number), or text as
    /// `2026-01-31`, `31/01/2026` or `31-01-2026`.
    pub fn date(&mut self, column: &'static str) -> Option<NaiveDate> {
        match self.cell(column).clone() {
            Cell::Empty => None,
            Cell::Date(d) => Some(d),
            Cell::Number(n) => {
                let date = serial_date(n);
                if date.is_none() {
                    self.problem(column, "import.cell.date");
                }
                date
            }
            Cell::Text(t) => {
                let t = t.trim();
                if t.is_empty() {
                    return None;
                }
                let date = parse_date(t);
                if date.is_none() {
                    let reason = if looks_like_formula(t) {
                        "import.cell.formula"
                    } else {
                        "import.cell.date"
                    };
                    self.problem(column, reason);
                }
                date
            }
            Cell::Bool(_) => {
                self.problem(column, "import.cell.date");
                None
            }
        }
    }

    /// Yes or no: `ya`/`tidak`, `yes`/`no`, `1`/`0`, `true`/`false`; `None` when blank.
    pub fn yes_no(&mut self, column: &'static str) -> Option<bool> {
        match self.cell(column).clone() {
            Cell::Empty => None,
            Cell::Bool(b) => Some(b),
            other => {
                let t = text_of(&other).trim().to_lowercase();
                match t.as_str() {
                    "" => None,
                    "ya" | "y" | "yes" | "1" | "true" | "benar" => Some(true),
                    "tidak" | "t" | "no" | "n" | "0" | "false" | "salah" => Some(false),
                    _ => {
                        self.problem(column, "import.cell.yes_no");
                        None
                    }
                }
            }
        }
    }
}

/// A text date in one of the forms people type in Indonesia: ISO, or day first with `/`,
/// `-` or `.` between.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    // An integer serial number typed as text, as a CSV saved from a date column may hold.
    if let Ok(n) = text.parse::<u32>()
        && (20_000..=100_000).contains(&n)
    {
        return serial_date(f64::from(n));
    }
    ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: Vec<Cell>) -> (Vec<Cell>, Vec<(&'static str, Option<usize>)>) {
        let positions = vec![("a", Some(0)), ("b", Some(1)), ("missing", None)];
        (cells, positions)
    }

    #[test]
    fn dates_in_every_form_people_type() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31);
        for text in [
            "2026-01-31",
            "31/01/2026",
            "31-01-2026",
            "31.01.2026",
            "46053",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("besok"), None);
    }

    #[test]
    fn formulas_are_refused_and_signed_numbers_are_numbers() {
        let (cells, pos) = row(vec![
            Cell::Text("=cmd|' /C calc'!A0".into()),
            Cell::Text("-5".into()),
        ]);
        let mut r = RowCells::new(&cells, &pos);
        assert_eq!(r.text("a"), "");
        assert_eq!(r.integer("b"), Some(-5));
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].reason, "import.cell.formula");
        for text in ["+1+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(looks_like_formula(text), "{text}");
        }
    }

    #[test]
    fn text_in_a_number_column_is_named() {
        let (cells, pos) = row(vec![Cell::Text("lima".into()), Cell::Text("=1+1".into())]);
        let mut r = RowCells::new(&cells, &pos);
        assert_eq!(r.integer("a"), None);
        assert_eq!(r.integer("b"), None);
        assert_eq!(r.problems[0].reason, "import.cell.whole_number");
        assert_eq!(r.problems[1].reason, "import.cell.formula");
        assert_eq!(r.integer("missing"), None);
        assert_eq!(r.required_text("missing"), "");
        assert_eq!(r.problems[2].reason, "import.cell.required");
    }
}
