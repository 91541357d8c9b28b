//! `sibuser export DATASET --format csv|xlsx|jsonl [--from] [--to] [--kecamatan]
//! [--purpose] --out FILE`: the same request, checks and writing as the web, at once.
//! Masked unless a purpose is given; the export is in the audit log with the purpose and
//! no actor.

use std::path::Path;

use super::request::{self, Input, Problem};
use super::run::{self, Count};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::web::Lang;

pub struct Options<'a> {
    pub dataset: &'a str,
    pub format: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub kecamatan: &'a str,
    pub purpose: Option<&'a str>,
    pub lang: Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input, in the user's language, one problem a line.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Export(#[from] run::ExportError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// The option a form field stands for on the command line.
fn flag(field: &str) -> &str {
    match field {
        "data" => "DATASET",
        "format" => "--format",
        "dari" => "--from",
        "sampai" => "--to",
        "kecamatan" => "--kecamatan",
        "tujuan" => "--purpose",
        other => other,
    }
}

fn usage(lang: Lang, problems: &[Problem]) -> CliError {
    CliError::Usage(
        problems
            .iter()
            .map(|p| format!("{}: {}", flag(p.field), request::message(lang, p)))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Checks the options, writes the file at `out`, and records the export in the audit log.
pub fn run(conn: &mut DbConnection, options: &Options<'_>, out: &Path) -> Result<Count, CliError> {
    let input = Input {
        dataset: options.dataset,
        format: options.format,
        from: options.from,
        to: options.to,
        kecamatan: options.kecamatan,
        unmasked: options.purpose.is_some(),
        purpose: options.purpose.unwrap_or(""),
    };
    let request = request::parse(&input, crate::domain::calendar::today())
        .map_err(|problems| usage(options.lang, &problems))?;
    if let Some(problem) = request::check_data(conn, &request)? {
        return Err(usage(options.lang, &[problem]));
    }
    let written = run::snapshot(conn, |conn| {
        Ok(run::write(conn, &request, out, &mut |_| Ok(())))
    })
    .map_err(CliError::from)
    .and_then(|w| w.map_err(CliError::from));
    let written = match written {
        Ok(w) => w,
        Err(e) => {
            // Half a file would pass for a whole one.
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
    };
    let mut detail = run::audit_detail(&request, Some(written.rows));
    detail["via"] = serde_json::json!("cli");
    audit::record(conn, Entry::new(actions::EXPORT_WRITTEN).detail(detail))?;
    Ok(written)
}
