//! IPK forms as an XLSX workbook laid out like the paper forms: the title, the period and
//! the region over each table, the headings merged over their column groups, the column
//! numbers, the figures, total rows in bold, and who signed it. One sheet per form.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::layout::{Sheet, Table};

/// What is printed over every form.
pub struct Heading<'a> {
    /// "Kota Binjai, Provinsi Sumatera Utara".
    pub region: &'a str,
    /// "Periode: November 2026".
    pub period: &'a str,
    /// "Ditandatangani ... (versi 1)", or that it is not signed.
    pub status: &'a str,
}

struct Formats {
    title: Format,
    heading: Format,
    number: Format,
    label: Format,
    figure: Format,
    total_label: Format,
    total_figure: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let heading = cell
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Self {
            title: Format::new().set_bold().set_font_size(13),
            number: cell
                .clone()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_font_size(9),
            heading,
            label: cell.clone().set_text_wrap(),
            figure: cell.clone().set_num_format("#,##0"),
            total_label: cell.clone().set_bold().set_text_wrap(),
            total_figure: cell.set_bold().set_num_format("#,##0"),
        }
    }
}

pub fn workbook(sheets: &[Sheet], heading: &Heading<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    for sheet in sheets {
        let ws = book.add_worksheet();
        // Sheet names cannot hold '/'.
        ws.set_name(sheet.code.replace('/', "-"))?;
        write_sheet(ws, sheet, heading, &formats)?;
    }
    book.save_to_buffer()
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    heading: &Heading<'_>,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, format!("{}  {}", sheet.code, sheet.title), &f.title)?;
    ws.write_string(1, 0, heading.region)?;
    ws.write_string(2, 0, heading.period)?;
    ws.write_string(3, 0, heading.status)?;
    let mut row: u32 = 5;
    for table in &sheet.tables {
        row = write_table(ws, table, row, f)? + 1;
    }
    ws.write_string(row, 0, &sheet.edition)?;
    if sheet.tables.first().is_some_and(|t| t.numbered_rows) {
        ws.set_column_width(0, 6)?;
        ws.set_column_width(1, 44)?;
    } else {
        ws.set_column_width(0, 50)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Writes a table from `row` and returns the row after it.
fn write_table(
    ws: &mut Worksheet,
    table: &Table,
    mut row: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    if let Some(title) = &table.title {
        ws.write_string_with_format(row, 0, title, &f.title)?;
        row += 1;
    }
    let first: u16 = 0;
    let depth = table.headings.len() as u32;
    let mut taken = vec![vec![false; table.numbers.len()]; depth as usize];
    for (r, headings) in table.headings.iter().enumerate() {
        let mut col = 0usize;
        for h in headings {
            while taken[r].get(col).copied().unwrap_or(false) {
                col += 1;
            }
            let (r0, c0) = (row + r as u32, first + col as u16);
            let (r1, c1) = (r0 + h.rows as u32 - 1, c0 + h.columns as u16 - 1);
            if r0 == r1 && c0 == c1 {
                ws.write_string_with_format(r0, c0, &h.text, &f.heading)?;
            } else {
                ws.merge_range(r0, c0, r1, c1, &h.text, &f.heading)?;
            }
            for rr in r..r + h.rows {
                for cc in col..col + h.columns {
                    if let Some(t) = taken.get_mut(rr).and_then(|t| t.get_mut(cc)) {
                        *t = true;
                    }
                }
            }
            col += h.columns;
        }
    }
    row += depth;
    for (c, n) in table.numbers.iter().enumerate() {
        ws.write_string_with_format(row, first + c as u16, format!("({n})"), &f.number)?;
    }
    row += 1;
    for line in &table.rows {
        let (label, figure) = if line.total {
            (&f.total_label, &f.total_figure)
        } else {
            (&f.label, &f.figure)
        };
        let mut col = first;
        if table.numbered_rows {
            ws.write_string_with_format(row, col, &line.no, label)?;
            col += 1;
        }
        ws.write_string_with_format(row, col, &line.label, label)?;
        for (k, value) in line.cells.iter().enumerate() {
            ws.write_number_with_format(row, col + 1 + k as u16, *value as f64, figure)?;
        }
        row += 1;
    }
    Ok(row)
}
