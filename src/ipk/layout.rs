//! A form with its figures laid out as the paper form prints it (headings over column
//! groups, numbered columns, total rows), in one language: what the page, the print view,
//! the XLSX workbook and the CSV file all draw from.

use super::form::{Form, Line, Part};
use super::grid::Figures;
use crate::web::i18n::Lang;

/// A heading cell, spanning columns (a group) or both heading rows (an ungrouped column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    pub columns: usize,
    pub rows: usize,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub no: String,
    pub label: String,
    pub cells: Vec<i64>,
    pub total: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub title: Option<String>,
    /// One or two rows of headings, the label columns first.
    pub headings: Vec<Vec<Heading>>,
    /// The column numbers printed under the headings: "1", "2", ...
    pub numbers: Vec<String>,
    pub rows: Vec<Row>,
    /// Whether the rows have a number column before their label.
    pub numbered_rows: bool,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub code: String,
    pub slug: String,
    pub title: String,
    pub edition: String,
    pub tables: Vec<Table>,
}

pub fn sheet(form: &Form, figures: &Figures, lang: Lang) -> Sheet {
    let empty = super::grid::PartFigures { cells: Vec::new() };
    Sheet {
        code: form.code.clone(),
        slug: form.slug(),
        title: form.title.get(lang).to_owned(),
        edition: form.edition.clone(),
        tables: form
            .parts
            .iter()
            .enumerate()
            .map(|(i, part)| table(part, figures.parts.get(i).unwrap_or(&empty), lang))
            .collect(),
    }
}

fn table(part: &Part, figures: &super::grid::PartFigures, lang: Lang) -> Table {
    let numbered_rows = part.rows.iter().any(|r| r.no.is_some());
    let grouped = part.columns.iter().any(|c| c.group.is_some());
    let depth = if grouped { 2 } else { 1 };
    let mut top = Vec::new();
    let mut second = Vec::new();
    if numbered_rows {
        top.push(Heading {
            text: lang_text(lang, "No.", "No."),
            columns: 1,
            rows: depth,
        });
    }
    top.push(Heading {
        text: part.row_heading.get(lang).to_owned(),
        columns: 1,
        rows: depth,
    });
    let mut i = 0;
    while i < part.columns.len() {
        let column = &part.columns[i];
        match &column.group {
            None => {
                top.push(Heading {
                    text: column.label.get(lang).to_owned(),
                    columns: 1,
                    rows: depth,
                });
                i += 1;
            }
            Some(group) => {
                let span = part.columns[i..]
                    .iter()
                    .take_while(|c| c.group.as_ref() == Some(group))
                    .count();
                top.push(Heading {
                    text: group.get(lang).to_owned(),
                    columns: span,
                    rows: 1,
                });
                second.extend(part.columns[i..i + span].iter().map(|c| Heading {
                    text: c.label.get(lang).to_owned(),
                    columns: 1,
                    rows: 1,
                }));
                i += span;
            }
        }
    }
    let leading = 1 + usize::from(numbered_rows);
    let numbers = (1..=leading)
        .map(|n| n.to_string())
        .chain(
            part.columns
                .iter()
                .enumerate()
                .map(|(k, c)| number(c, leading + k + 1)),
        )
        .collect();
    let rows = part
        .rows
        .iter()
        .enumerate()
        .map(|(k, line)| Row {
            no: line.no.clone().unwrap_or_default(),
            label: line.label.get(lang).to_owned(),
            cells: figures
                .cells
                .get(k)
                .cloned()
                .unwrap_or_else(|| vec![0; part.columns.len()]),
            total: line.total,
        })
        .collect();
    let mut headings = vec![top];
    if grouped {
        headings.push(second);
    }
    Table {
        title: part.title.as_ref().map(|t| t.get(lang).to_owned()),
        headings,
        numbers,
        rows,
        numbered_rows,
    }
}

fn number(column: &Line, position: usize) -> String {
    column.no.clone().unwrap_or_else(|| position.to_string())
}

fn lang_text(lang: Lang, id: &str, en: &str) -> String {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
    .to_owned()
}

/// The sheet as CSV: one line per row of each part, after a header line of the part's
/// column headings (a group and its column joined by " / ").
pub fn csv(sheet: &Sheet, period: &str) -> Result<Vec<u8>, csv::Error> {
    // Parts differ in their number of columns.
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    out.write_record([sheet.code.as_str(), sheet.title.as_str(), period])?;
    for table in &sheet.tables {
        let mut header = vec!["bagian".to_owned(), "no".to_owned(), "uraian".to_owned()];
        header.extend(column_names(table));
        out.write_record(&header)?;
        for row in &table.rows {
            let mut record = vec![
                table.title.clone().unwrap_or_default(),
                row.no.clone(),
                row.label.clone(),
            ];
            record.extend(row.cells.iter().map(i64::to_string));
            out.write_record(&record)?;
        }
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// Each data column's heading, under its group where it has one.
pub fn column_names(table: &Table) -> Vec<String> {
    let leading = 1 + usize::from(table.numbered_rows);
    let mut names = Vec::new();
    let mut second = table.headings.get(1).map(|r| r.iter());
    for heading in table.headings[0].iter().skip(leading) {
        if heading.rows == 1 && table.headings.len() == 2 {
            for _ in 0..heading.columns {
                let below = second
                    .as_mut()
                    .and_then(Iterator::next)
                    .map(|h| h.text.as_str())
                    .unwrap_or_default();
                names.push(format!("{} / {}", heading.text, below));
            }
        } else {
            names.push(heading.text.clone());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipk::form::load;
    use crate::ipk::grid::PartFigures;

    #[test]
    fn iii_1_has_its_age_groups_over_l_and_p_and_fourteen_numbered_columns() {
        let forms = load(std::path::Path::new("/nonexistent"));
        let form = forms.find("iii-1").unwrap();
        let figures = Figures {
            parts: form
                .parts
                .iter()
                .map(|p| PartFigures {
                    cells: vec![vec![1; p.columns.len()]; p.rows.len()],
                })
                .collect(),
        };
        let sheet = sheet(form, &figures, Lang::Id);
        let seekers = &sheet.tables[0];
        assert_eq!(seekers.numbers.len(), 14);
        assert_eq!(seekers.numbers.last().unwrap(), "14");
        let groups: Vec<&str> = seekers.headings[0]
            .iter()
            .map(|h| h.text.as_str())
            .collect();
        assert_eq!(
            groups,
            [
                "Uraian", "15-19", "20-29", "30-44", "45-54", "55+", "Jumlah"
            ]
        );
        assert_eq!(seekers.headings[0][6].columns, 3);
        let names = column_names(seekers);
        assert_eq!(names[0], "15-19 / L");
        assert_eq!(names[12 - 2], "Jumlah / L");
        assert_eq!(names.len(), 13);
        let rows: Vec<&str> = seekers.rows.iter().map(|r| &r.label[..2]).collect();
        assert_eq!(rows, ["1.", "2.", "A.", "3.", "4.", "B.", "5."]);
        let csv = String::from_utf8(csv(&sheet, "2026-11").unwrap()).unwrap();
        assert!(csv.starts_with("III/1,Ikhtisar Statistik Antar Kerja,2026-11\n"));
        assert!(csv.contains("I. Pencari kerja,,1. Pencari kerja yang belum ditempatkan"));
    }
}
