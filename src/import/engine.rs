//! The engine every kind shares: match the file's headers to the kind's columns, read each
//! row into a typed row with its problems, find duplicate rows by natural key, report
//! progress, and write the valid rows in one transaction (or none).

use std::collections::HashMap;

use diesel::QueryResult;

use super::cells::RowCells;
use super::kind::{Column, ImportKind, Kind, Outcome};
use super::reader::Table;
use crate::db::DbConnection;
use crate::domain::ids::UserId;

/// How often, in rows, progress is reported while a file is checked or written.
pub const PROGRESS_EVERY: u32 = 2_000;
/// Valid rows are handed to the kind's `write` in batches of this many.
pub const WRITE_BATCH: usize = 500;

/// A problem found in a file: its line (the header is line 1; 0 for the whole file), the
/// column as the template names it (or as the file wrote an unknown header), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub column: Option<String>,
    /// A translation key.
    pub reason: &'static str,
    /// The value the reason names, if any: the earlier line of a duplicate, a header.
    pub detail: Option<String>,
}

/// The counts of a check or a write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Data rows read so far (empty rows are not rows).
    pub rows: u32,
    /// Rows with at least one problem.
    pub bad: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// The whole file was refused (unreadable, headers missing or unknown): no row counts.
    pub file_refused: bool,
    /// Rows in the file, when the format tells before reading (XLSX).
    pub known_rows: Option<u32>,
}

impl Counts {
    pub fn is_clean(&self) -> bool {
        self.bad == 0 && !self.file_refused
    }
}

/// Where problems and progress go: the database for a run on the web, a list for the CLI.
pub trait Sink {
    fn problem(&mut self, problem: Problem) -> QueryResult<()>;
    fn progress(&mut self, counts: &Counts) -> QueryResult<()>;
}

/// A sink that keeps everything in memory (the command line, tests).
#[derive(Debug, Default)]
pub struct Collect {
    pub problems: Vec<Problem>,
}

impl Sink for Collect {
    fn problem(&mut self, problem: Problem) -> QueryResult<()> {
        self.problems.push(problem);
        Ok(())
    }

    fn progress(&mut self, _: &Counts) -> QueryResult<()> {
        Ok(())
    }
}

/// A kind, whatever its row type: what the runs, the pages and the CLI call.
pub trait Importer: Sync {
    fn kind(&self) -> Kind;
    fn columns(&self) -> &'static [Column];
    /// Checks every row, writing nothing.
    fn check(
        &self,
        conn: &mut DbConnection,
        table: Table,
        sink: &mut dyn Sink,
    ) -> QueryResult<Counts>;
    /// Checks every row again and writes the valid ones in one transaction: all of them,
    /// or none when a row is bad and `only_valid` was not chosen.
    fn write(
        &self,
        conn: &mut DbConnection,
        table: Table,
        actor: Option<UserId>,
        only_valid: bool,
        sink: &mut dyn Sink,
    ) -> Result<Counts, WriteError>;
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the file has bad rows; nothing was written")]
    BadRows(Counts),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl<K: ImportKind> Importer for K {
    fn kind(&self) -> Kind {
        ImportKind::kind(self)
    }

    fn columns(&self) -> &'static [Column] {
        ImportKind::columns(self)
    }

    fn check(
        &self,
        conn: &mut DbConnection,
        table: Table,
        sink: &mut dyn Sink,
    ) -> QueryResult<Counts> {
        run(self, conn, table, None, sink)
    }

    fn write(
        &self,
        conn: &mut DbConnection,
        table: Table,
        actor: Option<UserId>,
        only_valid: bool,
        sink: &mut dyn Sink,
    ) -> Result<Counts, WriteError> {
        crate::db::transaction(conn, |conn| {
            let counts = run(self, conn, table, Some(actor), sink)?;
            if counts.file_refused || (counts.bad > 0 && !only_valid) {
                return Err(WriteError::BadRows(counts));
            }
            Ok(counts)
        })
    }
}

/// A header as compared: lower case, with spaces, dashes and underscores alike.
pub fn normalise_header(header: &str) -> String {
    let mut out = String::new();
    for word in header
        .trim()
        .trim_start_matches('\u{FEFF}')
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// Where each of the kind's columns is in the file, or the problems of the header: a
/// required column missing, a header the kind does not know, a header given twice.
pub fn match_headers(
    columns: &[Column],
    headers: &[String],
    header_line: u32,
) -> Result<Vec<(&'static str, Option<usize>)>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let name = normalise_header(header);
        if name.is_empty() {
            continue;
        }
        if !columns.iter().any(|c| c.name == name) {
            problems.push(Problem {
                line: header_line,
                column: Some(header.trim().chars().take(60).collect()),
                reason: "import.header.unknown",
                detail: None,
            });
        } else if seen.insert(name.clone(), i).is_some() {
            problems.push(Problem {
                line: header_line,
                column: Some(name),
                reason: "import.header.twice",
                detail: None,
            });
        }
    }
    for column in columns.iter().filter(|c| c.required) {
        if !seen.contains_key(column.name) {
            problems.push(Problem {
                line: header_line,
                column: Some(column.name.to_owned()),
                reason: "import.header.missing",
                detail: None,
            });
        }
    }
    if problems.is_empty() {
        Ok(columns
            .iter()
            .map(|c| (c.name, seen.get(c.name).copied()))
            .collect())
    } else {
        Err(problems)
    }
}

/// One pass over the file: check every row and, when `write` holds the actor, write each
/// valid row as it comes (the caller holds the transaction).
fn run<K: ImportKind>(
    kind: &K,
    conn: &mut DbConnection,
    table: Table,
    write: Option<Option<UserId>>,
    sink: &mut dyn Sink,
) -> QueryResult<Counts> {
    let mut counts = Counts {
        known_rows: table.known_rows,
        ..Counts::default()
    };
    let positions = match match_headers(kind.columns(), &table.headers, table.header_line) {
        Ok(positions) => positions,
        Err(problems) => {
            for p in problems {
                sink.problem(p)?;
            }
            counts.file_refused = true;
            return Ok(counts);
        }
    };
    let lookups = kind.lookups(conn)?;
    let mut batch: Vec<K::Row> = Vec::new();
    let flush = |conn: &mut DbConnection, batch: &mut Vec<K::Row>, counts: &mut Counts| {
        if let Some(actor) = write
            && !batch.is_empty()
        {
            for outcome in kind.write(conn, &lookups, batch, actor)? {
                match outcome {
                    Outcome::Created => counts.created += 1,
                    Outcome::Updated => counts.updated += 1,
                    Outcome::Unchanged => counts.unchanged += 1,
                }
            }
        }
        batch.clear();
        Ok::<_, diesel::result::Error>(())
    };
    // The first line of each natural key, to name it in a duplicate's problem.
    let mut first_line: HashMap<String, u32> = HashMap::new();
    let mut last_line = table.header_line;
    for record in table {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                sink.problem(Problem {
                    line: last_line + 1,
                    column: None,
                    reason: e.message_key(),
                    detail: None,
                })?;
                counts.file_refused = true;
                break;
            }
        };
        last_line = record.line;
        counts.rows += 1;
        let mut cells = RowCells::new(&record.cells, &positions);
        let parsed = kind.parse(&lookups, &mut cells);
        let mut problems = cells.problems;
        let row = match parsed {
            Some(row) if problems.is_empty() => {
                let key = kind.key(&row);
                match first_line.get(&key) {
                    Some(first) => {
                        problems.push(super::cells::CellProblem {
                            column: Some(kind.key_column()),
                            reason: "import.row.duplicate",
                            detail: Some(first.to_string()),
                        });
                        None
                    }
                    None => {
                        first_line.insert(key, record.line);
                        Some(row)
                    }
                }
            }
            _ => None,
        };
        match row {
            Some(row) => {
                if write.is_some() {
                    batch.push(row);
                    if batch.len() >= WRITE_BATCH {
                        flush(conn, &mut batch, &mut counts)?;
                    }
                }
            }
            None => {
                counts.bad += 1;
                if problems.is_empty() {
                    problems.push(super::cells::CellProblem {
                        column: None,
                        reason: "import.row.bad",
                        detail: None,
                    });
                }
                for p in problems {
                    sink.problem(Problem {
                        line: record.line,
                        column: p.column.map(str::to_owned),
                        reason: p.reason,
                        detail: p.detail,
                    })?;
                }
            }
        }
        if counts.rows.is_multiple_of(PROGRESS_EVERY) {
            sink.progress(&counts)?;
        }
    }
    flush(conn, &mut batch, &mut counts)?;
    sink.progress(&counts)?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        Column {
            name: "nib",
            required: true,
            description_key: "",
            example: "",
        },
        Column {
            name: "tanggal_tutup",
            required: true,
            description_key: "",
            example: "",
        },
        Column {
            name: "catatan",
            required: false,
            description_key: "",
            example: "",
        },
    ];

    #[test]
    fn headers_match_in_any_order_case_and_spacing() {
        let headers = vec!["Tanggal Tutup".to_owned(), " NIB ".to_owned()];
        let positions = match_headers(COLUMNS, &headers, 1).unwrap();
        assert_eq!(
            positions,
            [
                ("nib", Some(1)),
                ("tanggal_tutup", Some(0)),
                ("catatan", None)
            ]
        );
        assert_eq!(normalise_header("\u{FEFF}Kode  KBJI"), "kode_kbji");
    }

    #[test]
    fn missing_unknown_and_repeated_headers_are_each_named() {
        let headers = vec!["nib".to_owned(), "Gaji".to_owned(), "NIB".to_owned()];
        let problems = match_headers(COLUMNS, &headers, 1).unwrap_err();
        let found: Vec<(&str, Option<&str>)> = problems
            .iter()
            .map(|p| (p.reason, p.column.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                ("import.header.unknown", Some("Gaji")),
                ("import.header.twice", Some("nib")),
                ("import.header.missing", Some("tanggal_tutup")),
            ]
        );
    }
}
