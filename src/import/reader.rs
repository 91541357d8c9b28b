//! Reading an uploaded file into a header and rows of cells, whatever a spreadsheet or an
//! export tool made of it: XLSX (its first sheet), or CSV in UTF-8 with or without a BOM or
//! in Windows-1252 (what Excel on Windows saves), separated by commas or semicolons (what
//! Excel writes where the comma is the decimal mark, as in Indonesia).
//!
//! Rows are produced one at a time, so a large CSV is never held twice as parsed rows;
//! the file's bytes themselves are bounded by [`MAX_BYTES`].

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader as _, Xlsx};
use chrono::NaiveDate;

/// The largest file taken, said on the upload page. A 100,000-row list of the richest kind
/// is well under it; a larger file is refused before it is read.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// [`MAX_BYTES`] as the pages say it.
pub const MAX_MEGABYTES: u64 = MAX_BYTES / (1024 * 1024);

/// One cell as the file holds it. A CSV has only text; an XLSX also numbers, dates and
/// booleans.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// One row of data: its line as the user's spreadsheet shows it (the header is line 1)
/// and its cells in the file's column order.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: u32,
    pub cells: Vec<Cell>,
}

/// Why a file cannot be read at all: a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit")]
    TooLarge,
    #[error("the spreadsheet cannot be read")]
    BadXlsx,
    #[error("the spreadsheet has no sheet with data")]
    NoSheet,
    #[error("the CSV file cannot be read")]
    BadCsv,
}

impl FileError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Empty => "import.file.empty",
            Self::TooLarge => "import.file.too_large",
            Self::BadXlsx => "import.file.bad_xlsx",
            Self::NoSheet => "import.file.no_sheet",
            Self::BadCsv => "import.file.bad_csv",
        }
    }
}

/// The file format, told by the content (an XLSX is a ZIP archive), not by the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn of(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") {
            Self::Xlsx
        } else {
            Self::Csv
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// A file opened for reading: its header row and an iterator over the data rows.
pub struct Table {
    pub headers: Vec<String>,
    /// The header's line (1 unless the sheet starts lower down).
    pub header_line: u32,
    /// How many data rows there are, when the format tells before reading them (XLSX).
    pub known_rows: Option<u32>,
    rows: Rows,
}

enum Rows {
    Csv {
        records: csv::StringRecordsIntoIter<Cursor<Arc<[u8]>>>,
        /// The text, and the byte offset of each line break in it, to tell a record's line
        /// from its offset (the CSV reader's own count leaves out the blank lines it skips).
        text: Arc<[u8]>,
        breaks: Vec<u64>,
    },
    Xlsx {
        range: calamine::Range<Data>,
        next: u32,
        first_row: u32,
    },
}

impl Table {
    /// Opens the bytes of a CSV or XLSX file. The header row must be there; data rows may not.
    pub fn open(bytes: Vec<u8>) -> Result<Self, FileError> {
        if bytes.len() as u64 > MAX_BYTES {
            return Err(FileError::TooLarge);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(FileError::Empty);
        }
        match Format::of(&bytes) {
            Format::Xlsx => open_xlsx(bytes),
            Format::Csv => open_csv(bytes),
        }
    }

    /// Reads a file from disk, refusing one over the limit before reading it.
    pub fn open_path(path: &std::path::Path) -> Result<Self, OpenError> {
        let size = std::fs::metadata(path).map_err(OpenError::Io)?.len();
        if size > MAX_BYTES {
            return Err(OpenError::File(FileError::TooLarge));
        }
        let bytes = std::fs::read(path).map_err(OpenError::Io)?;
        Self::open(bytes).map_err(OpenError::File)
    }
}

/// Opening a file from disk: the disk failed, or the file is not one we read.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{0}")]
    Io(std::io::Error),
    #[error("{0}")]
    File(FileError),
}

impl Iterator for Table {
    type Item = Result<Record, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let record = match &mut self.rows {
                Rows::Csv {
                    records,
                    text,
                    breaks,
                } => match records.next()? {
                    Ok(r) => Record {
                        line: r.position().map_or(0, |p| line_at(text, breaks, p.byte())),
                        cells: r.iter().map(|c| Cell::Text(c.to_owned())).collect(),
                    },
                    Err(_) => return Some(Err(FileError::BadCsv)),
                },
                Rows::Xlsx {
                    range,
                    next,
                    first_row,
                } => {
                    if *next >= range.height() as u32 {
                        return None;
                    }
                    let row = *next;
                    *next += 1;
                    Record {
                        line: *first_row + row + 1,
                        cells: (0..range.width() as u32)
                            .map(|col| {
                                range
                                    .get((row as usize, col as usize))
                                    .map_or(Cell::Empty, cell_of)
                            })
                            .collect(),
                    }
                }
            };
            // A row left empty (often the last ones of a sheet) is not a row of data.
            if record.cells.iter().all(Cell::is_empty) {
                continue;
            }
            return Some(Ok(record));
        }
    }
}

/// The text of a CSV: UTF-8 (a BOM is dropped), else Windows-1252, which is what Excel on
/// Windows writes as "CSV" and which maps every byte to a character, so it always decodes.
pub fn decode(bytes: Vec<u8>) -> String {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            text.into_owned()
        }
    }
}

/// The separator, sniffed from the header line: a semicolon when it has more of them
/// than commas (outside quotes), else a comma.
pub fn separator(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\n' | '\r' if !quoted => break,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// The line (from 1) where the record read from `offset` on starts: the reader's offset
/// is before the blank lines it skipped.
fn line_at(text: &[u8], breaks: &[u64], offset: u64) -> u32 {
    let start = text
        .iter()
        .skip(offset as usize)
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(offset, |n| offset + n as u64);
    breaks.partition_point(|b| *b < start) as u32 + 1
}

fn open_csv(bytes: Vec<u8>) -> Result<Table, FileError> {
    let text = decode(bytes);
    let delimiter = separator(&text);
    let text: Arc<[u8]> = Arc::from(text.into_bytes());
    let breaks: Vec<u64> = text
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i as u64)
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(text.clone()));
    let mut header = csv::StringRecord::new();
    let header_line = loop {
        match reader.read_record(&mut header) {
            Ok(true) if header.iter().all(|h| h.trim().is_empty()) => continue,
            Ok(true) => {
                break header
                    .position()
                    .map_or(1, |p| line_at(&text, &breaks, p.byte()));
            }
            Ok(false) => return Err(FileError::Empty),
            Err(_) => return Err(FileError::BadCsv),
        }
    };
    Ok(Table {
        headers: header.iter().map(str::to_owned).collect(),
        header_line,
        known_rows: None,
        rows: Rows::Csv {
            records: reader.into_records(),
            text,
            breaks,
        },
    })
}

fn open_xlsx(bytes: Vec<u8>) -> Result<Table, FileError> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileError::BadXlsx)?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(_)) => return Err(FileError::BadXlsx),
        None => return Err(FileError::NoSheet),
    };
    let Some((start_row, _)) = range.start() else {
        return Err(FileError::Empty);
    };
    // Columns left of the range are empty in every row: the header's positions still hold.
    let headers: Vec<String> = (0..range.width())
        .map(
            |col| match range.get((0, col)).map_or(Cell::Empty, cell_of) {
                Cell::Text(t) => t,
                Cell::Empty => String::new(),
                other => text_of(&other),
            },
        )
        .collect();
    let known_rows = (range.height() as u32).saturating_sub(1);
    Ok(Table {
        headers,
        header_line: start_row + 1,
        known_rows: Some(known_rows),
        rows: Rows::Xlsx {
            range,
            next: 1,
            first_row: start_row,
        },
    })
}

/// A spreadsheet cell as a [`Cell`]. Excel keeps dates as serial day numbers formatted
/// as dates; the formula of a cell is never read, only the value it last showed.
fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                serial_date(dt.as_f64()).map_or(Cell::Number(dt.as_f64()), Cell::Date)
            } else {
                Cell::Number(dt.as_f64())
            }
        }
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// The date of an Excel serial day number (1900 date system; day 60 is Excel's
/// non-existent 29 February 1900, so dates before March 1900 are not read).
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(61.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?
        .checked_add_days(chrono::Days::new(serial.trunc() as u64))
}

/// A cell as text, for a text column: numbers without a needless ".0" (a NIB or a KBJI
/// code typed as a number), dates in ISO form.
pub fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::Bool(true) => "ya".to_owned(),
        Cell::Bool(false) => "tidak".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: Table) -> Vec<(u32, Vec<String>)> {
        table
            .map(|r| {
                let r = r.unwrap();
                (r.line, r.cells.iter().map(text_of).collect())
            })
            .collect()
    }

    #[test]
    fn a_bom_is_dropped_and_lines_count_from_the_header() {
        let table =
            Table::open(b"\xEF\xBB\xBFnib,judul\n123,Kasir\n\n456,Koki\n".to_vec()).unwrap();
        assert_eq!(table.headers, ["nib", "judul"]);
        assert_eq!(
            rows(table),
            [
                (2, vec!["123".into(), "Kasir".into()]),
                (4, vec!["456".into(), "Koki".into()])
            ]
        );
    }

    #[test]
    fn windows_1252_is_read_when_the_bytes_are_not_utf8() {
        // "Kafé" and a right single quote as Excel on Windows writes them.
        let table = Table::open(b"nama;catatan\nKaf\xe9;Jum\x92at\n".to_vec()).unwrap();
        assert_eq!(table.headers, ["nama", "catatan"]);
        assert_eq!(rows(table)[0].1, ["Kafé", "Jum\u{2019}at"]);
    }

    #[test]
    fn the_separator_is_sniffed_from_the_header() {
        assert_eq!(separator("a;b;c\n1,5;2;3"), b';');
        assert_eq!(separator("a,b,c\n1;2"), b',');
        assert_eq!(separator("\"a;b\",c"), b',');
    }

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(serial_date(46053.0), NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(serial_date(12.0), None);
    }

    #[test]
    fn an_xlsx_sheet_is_read_with_its_dates_and_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        sheet.write_string(0, 0, "NIB").unwrap();
        sheet.write_string(0, 1, "Tanggal Tutup").unwrap();
        sheet.write_number(1, 0, 1234567890123.0).unwrap();
        sheet
            .write_number_with_format(1, 1, 46053.0, &date_format)
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let table = Table::open(bytes).unwrap();
        assert_eq!(table.headers, ["NIB", "Tanggal Tutup"]);
        assert_eq!(table.known_rows, Some(1));
        let rows: Vec<Record> = table.map(Result::unwrap).collect();
        assert_eq!(rows[0].line, 2);
        assert_eq!(text_of(&rows[0].cells[0]), "1234567890123");
        assert_eq!(
            rows[0].cells[1],
            Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap())
        );
    }

    #[test]
    fn an_empty_or_broken_file_is_named() {
        assert_eq!(Table::open(b"  \n".to_vec()).err(), Some(FileError::Empty));
        assert_eq!(
            Table::open(b"PK\x03\x04 not really".to_vec()).err(),
            Some(FileError::BadXlsx)
        );
    }
}
