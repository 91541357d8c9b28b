//! `sibuser ipk-report --from 2026-01 --to 2026-12 --out laporan.xlsx [--form III/1] [--sign]`:
//! the reports page's files for scripts, with the same periods, forms and sign-off.

use std::path::Path;

use super::layout;
use super::period::{self, Period};
use super::signoff;
use super::tables::Basis;
use crate::db::DbConnection;
use crate::web::Lang;

pub struct Options<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// One form's code (`III/1`), or every form.
    pub form: Option<&'a str>,
    /// Sign the period off first (audited, with no one named as signing).
    pub sign: bool,
    pub out: &'a Path,
    pub lang: Lang,
    pub data_dir: &'a Path,
}

/// Writes the file and says what it wrote; an error is a sentence for the operator.
pub fn run(conn: &mut DbConnection, o: &Options<'_>) -> Result<String, String> {
    let lang = o.lang;
    let today = crate::domain::calendar::today();
    let first = period::first_month(conn).map_err(|e| e.to_string())?;
    let period = Period::parse(o.from, o.to, today, first)
        .map_err(|bad| lang.t(bad.message_key()).into_owned())?;
    let mut forms = super::form::load(o.data_dir).forms;
    if let Some(code) = o.form {
        forms.retain(|f| f.slug() == super::form::slug_of(code));
        if forms.is_empty() {
            return Err(format!("no form {code}"));
        }
    }
    if o.sign {
        let now = chrono::Utc::now().naive_utc();
        let signed = signoff::sign(conn, period, &forms, None, today, now)
            .map_err(|e| e.to_string())?
            .map_err(|why| lang.t(why.message_key()).into_owned())?;
        crate::audit::record(
            conn,
            crate::audit::Entry::new(crate::audit::actions::IPK_SIGNED)
                .subject("ipk_period", format!("{}..{}", period.from, period.to))
                .detail(serde_json::json!({ "version": signed, "by": "command line" })),
        )
        .map_err(|e| e.to_string())?;
    }
    // As the page does: the latest signed version, or the figures as they stand.
    let signed = signoff::versions(conn, period).map_err(|e| e.to_string())?;
    let (forms, figures, status) = match signed.last() {
        Some(s) => (
            s.content.forms.clone(),
            s.content.figures.clone(),
            lang.tf("ipk.xlsx.signed", &[("version", &s.version.to_string())]),
        ),
        None => {
            let figures = signoff::figures(conn, period, &forms, Basis::Reported)
                .map_err(|e| e.to_string())?;
            (forms, figures, lang.t("ipk.xlsx.unsigned").into_owned())
        }
    };
    let sheets: Vec<_> = forms
        .iter()
        .zip(&figures)
        .filter(|(f, _)| {
            o.form
                .is_none_or(|code| f.slug() == super::form::slug_of(code))
        })
        .map(|(f, fig)| layout::sheet(f, fig, lang))
        .collect();
    let name = super::pages::period_name(period, lang);
    let bytes = match o.out.extension().and_then(|e| e.to_str()) {
        Some("csv") if sheets.len() == 1 => {
            layout::csv(&sheets[0], &name).map_err(|e| e.to_string())?
        }
        Some("csv") => return Err("a CSV file holds one form: name it with --form".into()),
        Some("xlsx") => {
            let period_line = format!("{}: {name}", lang.t("ipk.period"));
            super::workbook::workbook(
                &sheets,
                &super::workbook::Heading {
                    region: super::pages::REGION,
                    period: &period_line,
                    status: &status,
                },
            )
            .map_err(|e| e.to_string())?
        }
        _ => return Err("--out must end in .csv or .xlsx".into()),
    };
    std::fs::write(o.out, bytes).map_err(|e| format!("{}: {e}", o.out.display()))?;
    Ok(format!(
        "{} ({} form(s), {name}, {status})",
        o.out.display(),
        sheets.len()
    ))
}
