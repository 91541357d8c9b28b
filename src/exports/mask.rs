//! Masking: personal data leaves the portal masked unless the data steward stated a
//! purpose. The owners only say which column is what ([`Mask`]); the rule is applied here,
//! in one place, between the owner's rows and the file.

use std::fmt::Write as _;

use super::dataset::{Cell, Column, Mask, Rows};

/// `1275********0001`: the first four digits (province and regency, public knowledge for a
/// Binjai register) and the last four (a serial among people born the same day in the same
/// kecamatan). The birth date and the kecamatan in between are what would identify.
/// Anything that is not a 16-digit NIK is written as stars of its length.
pub fn nik(raw: &str) -> String {
    let mut out = String::with_capacity(16);
    nik_into(&mut out, raw);
    out
}

/// [`nik`] into a buffer: the export masks a million of them.
fn nik_into(out: &mut String, raw: &str) {
    if raw.len() == 16 && raw.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str(&raw[..4]);
        out.push_str("********");
        out.push_str(&raw[12..]);
    } else {
        out.extend(std::iter::repeat_n('*', raw.chars().count()));
    }
}

/// The headers of the columns that are written.
pub fn header(columns: &[Column], masked: bool) -> Vec<&'static str> {
    columns
        .iter()
        .filter(|c| !(masked && c.mask == Mask::Omit))
        .map(|c| c.name)
        .collect()
}

/// Rows on their way to a file: in masked mode each cell passes its column's rule.
pub struct Masked<'a> {
    inner: &'a mut dyn Rows,
    columns: &'a [Column],
    masked: bool,
    at: usize,
    scratch: String,
    /// Rows written so far.
    pub rows: u64,
}

impl<'a> Masked<'a> {
    pub fn new(inner: &'a mut dyn Rows, columns: &'a [Column], masked: bool) -> Self {
        Self {
            inner,
            columns,
            masked,
            at: 0,
            scratch: String::new(),
            rows: 0,
        }
    }
}

impl Rows for Masked<'_> {
    fn cell(&mut self, cell: Cell<'_>) {
        let mask = self.columns.get(self.at).map_or(Mask::Keep, |c| c.mask);
        self.at += 1;
        if !self.masked {
            self.inner.cell(cell);
            return;
        }
        match (mask, cell) {
            (Mask::Omit, _) => {}
            (Mask::Keep, c) | (_, c @ Cell::Empty) => self.inner.cell(c),
            (Mask::Nik, Cell::Text(raw)) => {
                self.scratch.clear();
                nik_into(&mut self.scratch, raw);
                self.inner.cell(Cell::Text(&self.scratch));
            }
            (Mask::Year, Cell::Date(d)) => {
                use chrono::Datelike;
                self.inner.cell(Cell::Int(i64::from(d.year())));
            }
            (Mask::Month, Cell::Date(d)) => {
                self.scratch.clear();
                let _ = write!(self.scratch, "{}", d.format("%Y-%m"));
                self.inner.cell(Cell::Text(&self.scratch));
            }
            // A masked column given a value of another shape is written empty: better a
            // gap than a personal value let through by a mistake in an owner's list.
            (Mask::Nik | Mask::Year | Mask::Month, _) => self.inner.cell(Cell::Empty),
        }
    }

    fn end_row(&mut self) {
        debug_assert_eq!(self.at, self.columns.len(), "a row of the wrong length");
        self.at = 0;
        self.rows += 1;
        self.inner.end_row();
    }
}

#[cfg(test)]
mod tests {
    use super::super::dataset::{col, keep};
    use super::*;
    use chrono::NaiveDate;

    #[derive(Default)]
    struct Collect(Vec<String>);

    impl Rows for Collect {
        fn cell(&mut self, cell: Cell<'_>) {
            self.0.push(match cell {
                Cell::Empty => String::new(),
                Cell::Text(t) => t.to_owned(),
                Cell::Int(n) => n.to_string(),
                Cell::Date(d) => d.to_string(),
                Cell::Bool(b) => b.to_string(),
            });
        }
        fn end_row(&mut self) {
            self.0.push("|".into());
        }
    }

    const COLUMNS: &[Column] = &[
        keep("id"),
        col("nik", Mask::Nik),
        col("nama", Mask::Omit),
        col("tanggal_lahir", Mask::Year),
        col("tanggal_phk", Mask::Month),
    ];

    fn row(out: &mut dyn Rows) {
        let born = NaiveDate::from_ymd_opt(1998, 8, 12).unwrap();
        let dismissed = NaiveDate::from_ymd_opt(2026, 3, 17).unwrap();
        out.cells(&[
            Cell::Int(7),
            Cell::Text("1275015208980003"),
            Cell::Text("Siti Aisyah"),
            Cell::Date(born),
            Cell::Date(dismissed),
        ]);
        out.end_row();
    }

    #[test]
    fn a_masked_row_keeps_only_what_identifies_no_one() {
        let mut out = Collect::default();
        row(&mut Masked::new(&mut out, COLUMNS, true));
        assert_eq!(out.0, ["7", "1275********0003", "1998", "2026-03", "|"]);
        assert_eq!(
            header(COLUMNS, true),
            ["id", "nik", "tanggal_lahir", "tanggal_phk"]
        );
    }

    #[test]
    fn with_a_purpose_every_column_is_written_as_read() {
        let mut out = Collect::default();
        row(&mut Masked::new(&mut out, COLUMNS, false));
        assert_eq!(
            out.0,
            [
                "7",
                "1275015208980003",
                "Siti Aisyah",
                "1998-08-12",
                "2026-03-17",
                "|"
            ]
        );
        assert_eq!(header(COLUMNS, false).len(), 5);
    }

    #[test]
    fn a_nik_keeps_four_digits_at_each_end() {
        assert_eq!(nik("1275015208980003"), "1275********0003");
        assert_eq!(nik("12750152"), "********");
    }
}
