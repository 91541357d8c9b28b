//! A kind's template, to fill in and upload: the headers and one example row, as CSV or
//! XLSX. Every cell is written as text or a number, never as a formula.

use super::kind::Column;
use crate::web::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    Csv,
    Xlsx,
}

impl TemplateFormat {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The template as CSV: UTF-8 with a BOM (so that Excel reads it as UTF-8), commas.
pub fn csv(columns: &[Column]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        // Writing to memory cannot fail.
        let _ = writer.write_record(columns.iter().map(|c| c.name));
        let _ = writer.write_record(columns.iter().map(|c| c.example));
        let _ = writer.flush();
    }
    out
}

/// The template as XLSX: the headers in bold and the example row on the first sheet, what
/// each column holds on a second ("Keterangan"), in the reader's language.
pub fn xlsx(columns: &[Column], lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("Data")?;
    for (i, column) in columns.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, column.name, &bold)?;
        // Text format, so that a NIB or a code keeps its digits as typed.
        sheet.set_column_format(col, &text)?;
        sheet.write_string(1, col, column.example)?;
        sheet.set_column_width(col, (column.name.len().max(12) + 2) as f64)?;
    }
    let notes = book.add_worksheet();
    notes.set_name("Keterangan")?;
    notes.write_string_with_format(0, 0, lang.t("import.template.column").as_ref(), &bold)?;
    notes.write_string_with_format(0, 1, lang.t("import.template.required").as_ref(), &bold)?;
    notes.write_string_with_format(0, 2, lang.t("import.template.meaning").as_ref(), &bold)?;
    for (i, column) in columns.iter().enumerate() {
        let row = i as u32 + 1;
        notes.write_string(row, 0, column.name)?;
        notes.write_string(row, 1, lang.t(required_key(column)).as_ref())?;
        notes.write_string(row, 2, lang.t(column.description_key).as_ref())?;
    }
    notes.set_column_width(0, 24)?;
    notes.set_column_width(2, 90)?;
    book.save_to_buffer()
}

pub fn required_key(column: &Column) -> &'static str {
    if column.required {
        "import.template.yes"
    } else {
        "import.template.no"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::reader::{Table, text_of};

    #[test]
    fn both_templates_read_back_as_a_header_and_the_example() {
        let columns = crate::import::importer(crate::import::Kind::Vacancies).columns();
        for bytes in [csv(columns), xlsx(columns, Lang::Id).unwrap()] {
            let mut table = Table::open(bytes).unwrap();
            let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
            assert_eq!(table.headers, names);
            let row = table.next().unwrap().unwrap();
            assert_eq!(row.line, 2);
            let values: Vec<String> = row.cells.iter().map(text_of).collect();
            let examples: Vec<&str> = columns.iter().map(|c| c.example).collect();
            assert_eq!(values, examples);
            assert!(table.next().is_none());
        }
    }
}
