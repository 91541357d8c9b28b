//! The three file formats, each a [`Rows`] that writes a row as it comes: CSV (the `csv`
//! crate), XLSX (`rust_xlsxwriter` in constant-memory mode: a row leaves memory for a
//! temporary file as soon as the next begins) and JSON lines (one object per line, written
//! by hand: the cells are few kinds and the escaping is JSON's). Memory stays flat however
//! many rows there are.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::Format as FileFormat;
use super::dataset::{Cell, Rows};

/// A file being written: rows, then [`Sink::finish`] with the metadata. The first error is
/// kept (rows cannot fail one by one) and ends the export after the page. Written on a
/// thread of its own while the next page is read (`super::run`).
pub trait Sink: Rows + Send {
    fn error(&mut self) -> Option<io::Error>;
    fn finish(self: Box<Self>, meta: &[(&str, String)]) -> io::Result<()>;
}

/// Opens `path` for the format and writes the header row.
pub fn open(format: FileFormat, path: &Path, header: &[&'static str]) -> io::Result<Box<dyn Sink>> {
    Ok(match format {
        FileFormat::Csv => Box::new(Csv::create(path, header)?),
        FileFormat::Jsonl => Box::new(Jsonl::create(path, header)?),
        FileFormat::Xlsx => Box::new(Xlsx::create(path, header)?),
    })
}

const BUFFER: usize = 256 * 1024;

/// `2026-03-31` into a stack buffer: chrono's formatter is general and slow for a million
/// dates.
fn iso_date(d: NaiveDate) -> [u8; 10] {
    let mut out = *b"0000-00-00";
    let y = d.year().clamp(0, 9999) as u32;
    for (i, div) in [1000, 100, 10, 1].into_iter().enumerate() {
        out[i] = b'0' + ((y / div) % 10) as u8;
    }
    out[5] = b'0' + (d.month() / 10) as u8;
    out[6] = b'0' + (d.month() % 10) as u8;
    out[8] = b'0' + (d.day() / 10) as u8;
    out[9] = b'0' + (d.day() % 10) as u8;
    out
}

/// A spreadsheet runs a cell that starts with one of these as a formula; a CSV opened in
/// one would. Such text is written after an apostrophe, which the spreadsheet hides.
fn looks_like_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

pub struct Csv {
    out: csv::Writer<BufWriter<File>>,
    scratch: String,
    error: Option<io::Error>,
}

impl Csv {
    fn create(path: &Path, header: &[&str]) -> io::Result<Self> {
        let file = BufWriter::with_capacity(BUFFER, File::create(path)?);
        let mut out = csv::WriterBuilder::new().from_writer(file);
        out.write_record(header).map_err(io::Error::other)?;
        Ok(Self {
            out,
            scratch: String::new(),
            error: None,
        })
    }

    fn field(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.out.write_field(bytes)
        {
            self.error = Some(io::Error::other(e));
        }
    }
}

impl Rows for Csv {
    fn cell(&mut self, cell: Cell<'_>) {
        match cell {
            Cell::Empty => self.field(b""),
            Cell::Text(t) if looks_like_formula(t) => {
                self.scratch.clear();
                self.scratch.push('\'');
                self.scratch.push_str(t);
                let s = std::mem::take(&mut self.scratch);
                self.field(s.as_bytes());
                self.scratch = s;
            }
            Cell::Text(t) => self.field(t.as_bytes()),
            Cell::Int(n) => {
                let mut buf = itoa_buf();
                let s = itoa(n, &mut buf);
                self.field(s);
            }
            Cell::Date(d) => self.field(&iso_date(d)),
            Cell::Bool(b) => self.field(if b { b"ya" } else { b"tidak" }),
        }
    }

    fn end_row(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.out.write_record(None::<&[u8]>)
        {
            self.error = Some(io::Error::other(e));
        }
    }
}

impl Sink for Csv {
    fn error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    fn finish(self: Box<Self>, _meta: &[(&str, String)]) -> io::Result<()> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.flush()?;
        file.get_ref().sync_all()
    }
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

/// The decimal digits of `n` in `buf`, without an allocation.
fn itoa(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let negative = n < 0;
    let mut v = n.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

pub struct Jsonl {
    out: BufWriter<File>,
    /// `"name":` for each column, escaped once.
    keys: Vec<Vec<u8>>,
    at: usize,
    error: Option<io::Error>,
}

impl Jsonl {
    fn create(path: &Path, header: &[&str]) -> io::Result<Self> {
        let keys = header
            .iter()
            .map(|name| {
                let mut key = Vec::new();
                json_string(&mut key, name)?;
                key.push(b':');
                Ok(key)
            })
            .collect::<io::Result<_>>()?;
        Ok(Self {
            out: BufWriter::with_capacity(BUFFER, File::create(path)?),
            keys,
            at: 0,
            error: None,
        })
    }

    fn put(&mut self, cell: Cell<'_>) -> io::Result<()> {
        let out = &mut self.out;
        out.write_all(if self.at == 0 { b"{" } else { b"," })?;
        if let Some(key) = self.keys.get(self.at) {
            out.write_all(key)?;
        }
        self.at += 1;
        match cell {
            Cell::Empty => out.write_all(b"null"),
            Cell::Text(t) => json_string(out, t),
            Cell::Int(n) => out.write_all(itoa(n, &mut itoa_buf())),
            Cell::Date(d) => {
                out.write_all(b"\"")?;
                out.write_all(&iso_date(d))?;
                out.write_all(b"\"")
            }
            Cell::Bool(b) => out.write_all(if b { b"true" } else { b"false" }),
        }
    }
}

/// `text` as a JSON string: quotes, backslashes and control characters escaped, the rest
/// as it is (UTF-8 is valid JSON).
fn json_string(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.write_all(&bytes[start..i])?;
                write!(out, "\\u{b:04x}")?;
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(escaped)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

impl Rows for Jsonl {
    fn cell(&mut self, cell: Cell<'_>) {
        if self.error.is_none()
            && let Err(e) = self.put(cell)
        {
            self.error = Some(e);
        }
    }

    fn end_row(&mut self) {
        let closing: &[u8] = if self.at == 0 { b"{}\n" } else { b"}\n" };
        self.at = 0;
        if self.error.is_none()
            && let Err(e) = self.out.write_all(closing)
        {
            self.error = Some(e);
        }
    }
}

impl Sink for Jsonl {
    fn error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    fn finish(mut self: Box<Self>, _meta: &[(&str, String)]) -> io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_all()
    }
}

/// Rows per sheet, the header included: Excel's limit. A larger export goes on in a
/// second sheet with the header again.
const SHEET_ROWS: u32 = 1_048_576;

pub struct Xlsx {
    book: Workbook,
    path: std::path::PathBuf,
    header: Vec<&'static str>,
    sheet: usize,
    row: u32,
    col: u16,
    date: Format,
    bold: Format,
    error: Option<io::Error>,
}

fn xlsx_error(e: XlsxError) -> io::Error {
    io::Error::other(e)
}

impl Xlsx {
    fn create(path: &Path, header: &[&'static str]) -> io::Result<Self> {
        let mut book = Workbook::new();
        // The rows wait in a temporary file beside the export, on the disk that has room
        // for it, not in the system's temporary folder.
        if let Some(dir) = path.parent() {
            book.set_tempdir(dir).map_err(xlsx_error)?;
        }
        let mut xlsx = Self {
            book,
            path: path.to_owned(),
            header: header.to_vec(),
            sheet: 0,
            row: 0,
            col: 0,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            bold: Format::new().set_bold(),
            error: None,
        };
        xlsx.new_sheet(0)?;
        Ok(xlsx)
    }

    fn new_sheet(&mut self, index: usize) -> io::Result<()> {
        let sheet = self
            .book
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        let name = if index == 0 {
            "Data".to_owned()
        } else {
            format!("Data {}", index + 1)
        };
        sheet.set_name(name).map_err(xlsx_error)?;
        for (i, name) in self.header.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(0, col, *name, &self.bold)
                .map_err(xlsx_error)?;
            sheet
                .set_column_width(col, (name.len() as f64 + 2.0).max(12.0))
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        self.sheet = index;
        self.row = 1;
        self.col = 0;
        Ok(())
    }

    fn put(&mut self, cell: Cell<'_>) -> Result<(), XlsxError> {
        let (row, col) = (self.row, self.col);
        self.col += 1;
        let sheet = self.book.worksheet_from_index(self.sheet)?;
        match cell {
            Cell::Empty => {}
            Cell::Text(t) => {
                sheet.write_string(row, col, t)?;
            }
            Cell::Int(n) => {
                // Exact up to 2^53: ids, counts and rupiah amounts are far below.
                sheet.write_number(row, col, n as f64)?;
            }
            Cell::Date(d) => {
                let date = ExcelDateTime::from_ymd(
                    u16::try_from(d.year()).unwrap_or(1900),
                    d.month() as u8,
                    d.day() as u8,
                )?;
                sheet.write_datetime_with_format(row, col, &date, &self.date)?;
            }
            Cell::Bool(b) => {
                sheet.write_boolean(row, col, b)?;
            }
        }
        Ok(())
    }
}

impl Rows for Xlsx {
    fn cell(&mut self, cell: Cell<'_>) {
        if self.error.is_none()
            && let Err(e) = self.put(cell)
        {
            self.error = Some(xlsx_error(e));
        }
    }

    fn end_row(&mut self) {
        self.row += 1;
        self.col = 0;
        if self.row >= SHEET_ROWS
            && self.error.is_none()
            && let Err(e) = self.new_sheet(self.sheet + 1)
        {
            self.error = Some(e);
        }
    }
}

impl Sink for Xlsx {
    fn error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    fn finish(mut self: Box<Self>, meta: &[(&str, String)]) -> io::Result<()> {
        // What the export is, on a sheet of its own after the data: the data set, the
        // filters, whether it is masked, the code lists' versions.
        let bold = self.bold.clone();
        let sheet = self.book.add_worksheet();
        sheet.set_name("Keterangan").map_err(xlsx_error)?;
        sheet.set_column_width(0, 28).map_err(xlsx_error)?;
        sheet.set_column_width(1, 60).map_err(xlsx_error)?;
        for (i, (key, value)) in meta.iter().enumerate() {
            let row = u32::try_from(i).unwrap_or(u32::MAX);
            sheet
                .write_string_with_format(row, 0, *key, &bold)
                .map_err(xlsx_error)?;
            sheet.write_string(row, 1, value).map_err(xlsx_error)?;
        }
        let path = self.path.clone();
        self.book.save(&path).map_err(xlsx_error)?;
        File::open(&path)?.sync_all()
    }
}

/// The content type of a format's files.
pub fn content_type(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Csv => "text/csv; charset=utf-8",
        FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileFormat::Jsonl => "application/x-ndjson; charset=utf-8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_are_written_without_formatting_machinery() {
        for n in [0, 7, -7, 1_000_000, i64::MAX, i64::MIN] {
            assert_eq!(itoa(n, &mut itoa_buf()), n.to_string().as_bytes());
        }
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert_eq!(&iso_date(d), b"2026-03-09");
    }

    #[test]
    fn json_strings_escape_what_json_needs() {
        let mut out = Vec::new();
        json_string(&mut out, "a \"b\" \\ c\nd\u{1}é").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, r#""a \"b\" \\ c\nd\u0001é""#);
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, "a \"b\" \\ c\nd\u{1}é");
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_marked() {
        assert!(looks_like_formula("=HYPERLINK(\"x\")"));
        assert!(looks_like_formula("+62812"));
        assert!(!looks_like_formula("Binjai"));
        assert!(!looks_like_formula(""));
    }
}
