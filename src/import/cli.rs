//! `sibuser import KIND FILE [--dry-run] [--only-valid]` and `sibuser import KIND
//! --template`: the same check and write as the web, at once, with the same report.

use std::io::Write;
use std::path::Path;

use super::engine::{Collect, Counts, Problem, WriteError};
use super::kind::Kind;
use super::reader::{OpenError, Table};
use super::template::{self, TemplateFormat};
use crate::db::DbConnection;
use crate::web::Lang;

/// A problem as one line of text: "Baris 5, kolom nib: …".
pub fn describe(lang: Lang, p: &Problem) -> String {
    let reason = reason_text(lang, p.reason, p.detail.as_deref());
    let place = match (p.line, &p.column) {
        (0, _) => lang.t("import.report.file").into_owned(),
        (line, Some(column)) => lang.tf(
            "import.report.line_column",
            &[("line", &line.to_string()), ("column", column)],
        ),
        (line, None) => lang.tf("import.report.line", &[("line", &line.to_string())]),
    };
    format!("{place}: {reason}")
}

/// A reason's text, with the value it names.
pub fn reason_text(lang: Lang, reason: &str, detail: Option<&str>) -> String {
    lang.tf(
        reason,
        &[
            ("detail", detail.unwrap_or("")),
            ("max_mb", &super::reader::MAX_MEGABYTES.to_string()),
        ],
    )
}

/// The counts as the report's summary lines.
pub fn summary(lang: Lang, counts: &Counts, written: bool) -> Vec<String> {
    let n = |v: u32| v.to_string();
    let mut lines = vec![lang.tf(
        "import.report.checked",
        &[("rows", &n(counts.rows)), ("bad", &n(counts.bad))],
    )];
    if written {
        lines.push(lang.tf(
            "import.report.written",
            &[
                ("created", &n(counts.created)),
                ("updated", &n(counts.updated)),
                ("unchanged", &n(counts.unchanged)),
            ],
        ));
    }
    lines
}

/// What a command-line import was told.
pub struct Options<'a> {
    pub kind: &'a str,
    pub dry_run: bool,
    pub only_valid: bool,
    pub lang: Lang,
}

/// Why the command stops without a report.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
}

pub fn kind_of(name: &str) -> Result<(Kind, &'static dyn super::Importer), CliError> {
    let Some(kind) = Kind::from_cli_name(name) else {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.cli_name()).collect();
        return Err(CliError::Usage(format!(
            "unknown kind '{name}'; the kinds are: {}",
            names.join(", ")
        )));
    };
    Ok((kind, super::importer(kind)))
}

/// The template, as bytes of the format.
pub fn template_bytes(name: &str, format: TemplateFormat, lang: Lang) -> Result<Vec<u8>, CliError> {
    let (_, importer) = kind_of(name)?;
    match format {
        TemplateFormat::Csv => Ok(template::csv(importer.columns())),
        TemplateFormat::Xlsx => template::xlsx(importer.columns(), lang)
            .map_err(|e| CliError::Usage(format!("making the XLSX template failed: {e}"))),
    }
}

/// Checks the file and, unless told not to or a row is bad, writes it; prints the report
/// to `out`. Returns whether the command succeeded: false when a row is bad (nothing is
/// written then, unless `only_valid`) or the file cannot be read.
pub fn run(
    conn: &mut DbConnection,
    file: &Path,
    options: &Options<'_>,
    out: &mut dyn Write,
) -> Result<bool, CliError> {
    let (_, importer) = kind_of(options.kind)?;
    let lang = options.lang;
    let open = || match Table::open_path(file) {
        Ok(t) => Ok(Ok(t)),
        Err(OpenError::File(e)) => Ok(Err(e.message_key())),
        Err(OpenError::Io(e)) => Err(CliError::Usage(format!(
            "cannot read {}: {e}",
            file.display()
        ))),
    };
    let print = |out: &mut dyn Write, line: String| {
        let _ = writeln!(out, "{line}");
    };
    let table = match open()? {
        Ok(t) => t,
        Err(reason) => {
            print(
                out,
                describe(
                    lang,
                    &Problem {
                        line: 0,
                        column: None,
                        reason,
                        detail: None,
                    },
                ),
            );
            return Ok(false);
        }
    };
    let mut found = Collect::default();
    let counts = importer.check(conn, table, &mut found)?;
    for p in &found.problems {
        print(out, describe(lang, p));
    }
    let clean = counts.is_clean();
    let writable =
        !counts.file_refused && (clean || options.only_valid) && counts.rows > counts.bad;
    if options.dry_run || !writable {
        for line in summary(lang, &counts, false) {
            print(out, line);
        }
        let key = if options.dry_run {
            "import.report.dry_run"
        } else {
            "import.report.nothing_written"
        };
        print(out, lang.t(key).into_owned());
        return Ok(clean);
    }
    let table = match open()? {
        Ok(t) => t,
        Err(reason) => return Err(CliError::Usage(reason.to_owned())),
    };
    let mut again = Collect::default();
    match importer.write(conn, table, None, options.only_valid, &mut again) {
        Ok(counts) => {
            crate::audit::record(
                conn,
                crate::audit::Entry::new(crate::audit::actions::IMPORT_WRITTEN).detail(
                    serde_json::json!({
                        "kind": importer.kind().as_str(),
                        "via": "cli",
                        "created": counts.created,
                        "updated": counts.updated,
                        "unchanged": counts.unchanged,
                        "bad": counts.bad,
                    }),
                ),
            )?;
            for line in summary(lang, &counts, true) {
                print(out, line);
            }
            Ok(counts.is_clean() || options.only_valid)
        }
        Err(WriteError::BadRows(counts)) => {
            for p in &again.problems {
                print(out, describe(lang, p));
            }
            for line in summary(lang, &counts, false) {
                print(out, line);
            }
            print(out, lang.t("import.message.changed").into_owned());
            Ok(false)
        }
        Err(WriteError::Db(e)) => Err(e.into()),
    }
}
