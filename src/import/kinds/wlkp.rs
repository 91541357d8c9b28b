//! WLKP reports from the national system (wajiblapor.kemnaker.go.id): one row a company's
//! report for a year and a reason, with its headcount figures as columns. Kept once per NIB,
//! year, reason and national id (`wlkp::record_imported_within`); a row whose figures the
//! national side corrected becomes the report's next revision. The figures meet the rules a
//! report filed on the portal meets, each broken rule named under its column.

use diesel::QueryResult;

use crate::db::DbConnection;
use crate::domain::Rupiah;
use crate::domain::ids::UserId;
use crate::import::cells::RowCells;
use crate::import::kind::{Column, ImportKind, Kind, Outcome, col};
use crate::wlkp::figures::MAX_COUNT;
use crate::wlkp::imported::{self, ImportedReport};
use crate::wlkp::{Figures, Trigger};

pub struct Wlkp;

const HEADCOUNT: &str = "import.wlkp.headcount";
const EDUCATION: &str = "import.wlkp.education";
const AGE: &str = "import.wlkp.age";

// The national lists' column names: the pull reads the same (`national::pull`).
use crate::wlkp::figures::{
    NATIONAL_AGE_FIELDS as AGE_COLUMNS, NATIONAL_EDUCATION_FIELDS as EDUCATION_COLUMNS,
    NATIONAL_HEADCOUNT_FIELDS as HEADCOUNT_COLUMNS,
};

/// The column a total's problem is reported under: the group of columns it adds up.
const EDUCATION_GROUP: &str = "pend_*";
const AGE_GROUP: &str = "usia_*";

const COLUMNS: &[Column] = &[
    col("nib", true, "import.wlkp.nib", "9120001234567"),
    col(
        "id_eksternal",
        true,
        "import.wlkp.id_eksternal",
        "WLKP-2025-000123",
    ),
    col("tahun", true, "import.wlkp.tahun", "2025"),
    col(
        "jenis_laporan",
        true,
        "import.wlkp.jenis_laporan",
        "tahunan",
    ),
    col(
        "tanggal_lapor",
        true,
        "import.wlkp.tanggal_lapor",
        "2026-01-15",
    ),
    col("l_wni_pkwtt", true, HEADCOUNT, "3"),
    col("l_wni_pkwt", true, HEADCOUNT, "1"),
    col("l_wni_alih_daya", true, HEADCOUNT, "0"),
    col("l_wna_pkwtt", true, HEADCOUNT, "0"),
    col("l_wna_pkwt", true, HEADCOUNT, "0"),
    col("l_wna_alih_daya", true, HEADCOUNT, "0"),
    col("p_wni_pkwtt", true, HEADCOUNT, "2"),
    col("p_wni_pkwt", true, HEADCOUNT, "0"),
    col("p_wni_alih_daya", true, HEADCOUNT, "0"),
    col("p_wna_pkwtt", true, HEADCOUNT, "0"),
    col("p_wna_pkwt", true, HEADCOUNT, "0"),
    col("p_wna_alih_daya", true, HEADCOUNT, "0"),
    col("pend_tidak_sekolah", false, EDUCATION, "0"),
    col("pend_tidak_tamat_sd", false, EDUCATION, "0"),
    col("pend_sd", false, EDUCATION, "0"),
    col("pend_smp", false, EDUCATION, "1"),
    col("pend_sma", false, EDUCATION, "4"),
    col("pend_smk", false, EDUCATION, "0"),
    col("pend_d1", false, EDUCATION, "0"),
    col("pend_d2", false, EDUCATION, "0"),
    col("pend_d3", false, EDUCATION, "0"),
    col("pend_d4", false, EDUCATION, "0"),
    col("pend_s1", false, EDUCATION, "1"),
    col("pend_s2", false, EDUCATION, "0"),
    col("pend_s3", false, EDUCATION, "0"),
    col("usia_15_19", false, AGE, "0"),
    col("usia_20_29", false, AGE, "3"),
    col("usia_30_44", false, AGE, "2"),
    col("usia_45_54", false, AGE, "1"),
    col("usia_55_keatas", false, AGE, "0"),
    col("disabilitas", false, "import.wlkp.disabilitas", "0"),
    col("pemagang", false, "import.wlkp.pemagang", "0"),
    col(
        "upah_terendah",
        false,
        "import.wlkp.upah_terendah",
        "2900000",
    ),
    col("peserta_bpjs_tk", false, "import.wlkp.peserta_bpjs_tk", "6"),
    col(
        "peserta_bpjs_kes",
        false,
        "import.wlkp.peserta_bpjs_kes",
        "6",
    ),
];

/// Where each field `wlkp::imported::check` names is in the file, and the reason to show
/// there when the portal's form words it for its own page.
const FIELD_COLUMNS: &[(&str, &str, Option<&str>)] = &[
    ("nib", "nib", Some("import.wlkp.error.nib")),
    ("period_year", "tahun", None),
    (
        "education_total",
        EDUCATION_GROUP,
        Some("import.wlkp.error.education_total"),
    ),
    ("age_total", AGE_GROUP, Some("import.wlkp.error.age_total")),
    ("disabled", "disabilitas", None),
    ("bpjs_tk", "peserta_bpjs_tk", None),
    ("bpjs_kes", "peserta_bpjs_kes", None),
    ("lowest_wage", "upah_terendah", None),
    ("external_id", "id_eksternal", None),
    ("reported_on", "tanggal_lapor", None),
];

impl ImportKind for Wlkp {
    type Row = ImportedReport;
    type Lookups = ();

    fn kind(&self) -> Kind {
        Kind::Wlkp
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn key_column(&self) -> &'static str {
        "id_eksternal"
    }

    fn lookups(&self, _: &mut DbConnection) -> QueryResult<()> {
        Ok(())
    }

    fn parse(&self, (): &(), row: &mut RowCells<'_>) -> Option<ImportedReport> {
        let raw_nib = row.required_text("nib");
        let nib = crate::employers::parse_nib(&raw_nib);
        if nib.is_none() && !raw_nib.is_empty() {
            row.problem("nib", "import.wlkp.error.nib");
        }
        let external_id = row.required_text("id_eksternal");
        if external_id.chars().count() > 100 {
            row.problem("id_eksternal", "import.wlkp.error.id_too_long");
        }
        let period_year = match row.integer("tahun") {
            Some(year) => i32::try_from(year).ok().or_else(|| {
                row.problem("tahun", "wlkp.error.period");
                None
            }),
            None => {
                if !row.has_problem("tahun") {
                    row.problem("tahun", "import.cell.required");
                }
                None
            }
        };
        let trigger = trigger(row);
        let reported_on = row.date("tanggal_lapor");
        if reported_on.is_none() && !row.has_problem("tanggal_lapor") {
            row.problem("tanggal_lapor", "import.cell.required");
        }
        let figures = figures(row);
        if !row.problems.is_empty() {
            return None;
        }
        let report = ImportedReport {
            nib: nib?,
            period_year: period_year?,
            trigger: trigger?,
            external_id,
            reported_on: reported_on?,
            figures: figures?,
        };
        // The same rules the write applies, named under the columns.
        for (field, reason) in imported::check(&report) {
            let (column, own) = FIELD_COLUMNS
                .iter()
                .find(|(f, _, _)| *f == field)
                .map_or(("nib", None), |(_, c, own)| (*c, *own));
            row.problem(column, own.unwrap_or(reason));
        }
        row.problems.is_empty().then_some(report)
    }

    fn key(&self, row: &ImportedReport) -> String {
        format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}",
            row.nib,
            row.period_year,
            row.trigger.as_str(),
            row.external_id
        )
    }

    fn write(
        &self,
        conn: &mut DbConnection,
        (): &(),
        rows: &[ImportedReport],
        _actor: Option<UserId>,
    ) -> QueryResult<Vec<Outcome>> {
        rows.iter()
            .map(|report| {
                // Inside the engine's one transaction for the whole list.
                match imported::record_imported_within(conn, report)? {
                    imported::Outcome::Recorded(_) => Ok(Outcome::Created),
                    imported::Outcome::Revised(_) => Ok(Outcome::Updated),
                    imported::Outcome::AlreadyRecorded(_) => Ok(Outcome::Unchanged),
                    // `parse` applied the same check: a refusal here is a bug, and the
                    // whole write is rolled back.
                    imported::Outcome::Refused(errors) => {
                        Err(diesel::result::Error::QueryBuilderError(
                            format!("a checked WLKP row was refused: {errors:?}").into(),
                        ))
                    }
                }
            })
            .collect()
    }
}

/// The reason as the national lists word it (Indonesian) or as the portal codes it.
fn trigger(row: &mut RowCells<'_>) -> Option<Trigger> {
    let raw = row.required_text("jenis_laporan").to_lowercase();
    if raw.is_empty() {
        return None;
    }
    let found = Trigger::parse(&raw).or(match raw.as_str() {
        "baru" | "perusahaan baru" | "pendirian" | "beroperasi kembali" => Some(Trigger::New),
        "tahunan" | "laporan tahunan" | "wajib lapor tahunan" => Some(Trigger::Annual),
        "pindah" | "pindah alamat" | "pindah lokasi" => Some(Trigger::Moving),
        "tutup" | "bubar" | "tutup atau bubar" | "pembubaran" => Some(Trigger::Closing),
        _ => None,
    });
    if found.is_none() {
        row.problem("jenis_laporan", "import.wlkp.error.trigger");
    }
    found
}

/// A count: blank is 0; otherwise a whole number from 0 to [`MAX_COUNT`].
fn count(row: &mut RowCells<'_>, column: &'static str) -> i32 {
    match row.integer(column) {
        None => 0,
        Some(n) if n < 0 => {
            row.problem(column, "import.wlkp.error.negative");
            0
        }
        Some(n) => match i32::try_from(n) {
            Ok(n) if n <= MAX_COUNT => n,
            _ => {
                row.problem(column, "import.wlkp.error.too_large");
                0
            }
        },
    }
}

/// Every figure of the row; `None` when a cell is not a count or a wage.
fn figures(row: &mut RowCells<'_>) -> Option<Figures> {
    let before = row.problems.len();
    let mut figures = Figures::default();
    for (s, by_citizenship) in HEADCOUNT_COLUMNS.iter().enumerate() {
        for (c, by_contract) in by_citizenship.iter().enumerate() {
            for (k, column) in by_contract.iter().enumerate() {
                figures.headcount[s][c][k] = count(row, column);
            }
        }
    }
    for (i, column) in EDUCATION_COLUMNS.iter().enumerate() {
        figures.education[i] = count(row, column);
    }
    for (i, column) in AGE_COLUMNS.iter().enumerate() {
        figures.ages[i] = count(row, column);
    }
    figures.disabled = count(row, "disabilitas");
    figures.apprentices = count(row, "pemagang");
    figures.bpjs_tk = count(row, "peserta_bpjs_tk");
    figures.bpjs_kes = count(row, "peserta_bpjs_kes");
    let wage = row.text("upah_terendah");
    if !wage.is_empty() {
        match Rupiah::parse(&wage) {
            Ok(w) => figures.lowest_wage = Some(w),
            Err(_) => row.problem("upah_terendah", "import.wlkp.error.wage"),
        }
    }
    (row.problems.len() == before).then_some(figures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::reader::Cell;
    use chrono::NaiveDate;

    fn parse(cells: &[(&'static str, &str)]) -> (Option<ImportedReport>, Vec<(String, String)>) {
        let positions: Vec<(&'static str, Option<usize>)> = COLUMNS
            .iter()
            .map(|c| (c.name, cells.iter().position(|(n, _)| *n == c.name)))
            .collect();
        let values: Vec<Cell> = cells
            .iter()
            .map(|(_, v)| Cell::Text((*v).to_owned()))
            .collect();
        let mut row = RowCells::new(&values, &positions);
        let parsed = Wlkp.parse(&(), &mut row);
        let problems = row
            .problems
            .iter()
            .map(|p| (p.column.unwrap_or("").to_owned(), p.reason.to_owned()))
            .collect();
        (parsed, problems)
    }

    const GOOD: &[(&str, &str)] = &[
        ("nib", "9120001234567"),
        ("id_eksternal", "W-1"),
        ("tahun", "2025"),
        ("jenis_laporan", "tahunan"),
        ("tanggal_lapor", "15/01/2026"),
        ("l_wni_pkwtt", "3"),
        ("p_wni_pkwtt", "2"),
        ("pend_sma", "5"),
        ("usia_20_29", "5"),
        ("upah_terendah", "Rp 2.900.000"),
        ("peserta_bpjs_tk", "5"),
    ];

    #[test]
    fn a_good_row_reads_into_the_figures() {
        let (parsed, problems) = parse(GOOD);
        assert_eq!(problems, []);
        let report = parsed.unwrap();
        assert_eq!(report.figures.total(), 5);
        assert_eq!(report.figures.by_sex(1), 2);
        assert_eq!(report.trigger, Trigger::Annual);
        assert_eq!(
            report.reported_on,
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
        );
    }

    #[test]
    fn each_broken_rule_is_named_under_its_column() {
        let mut cells = GOOD.to_vec();
        cells.retain(|(n, _)| !matches!(*n, "pend_sma" | "usia_20_29" | "peserta_bpjs_tk"));
        cells.extend([
            ("pend_sma", "4"),
            ("usia_20_29", "5"),
            ("peserta_bpjs_tk", "6"),
        ]);
        let (parsed, problems) = parse(&cells);
        assert!(parsed.is_none());
        assert_eq!(
            problems,
            [
                (
                    "pend_*".to_owned(),
                    "import.wlkp.error.education_total".to_owned()
                ),
                (
                    "peserta_bpjs_tk".to_owned(),
                    "wlkp.error.more_than_total".to_owned()
                ),
            ]
        );

        let mut cells = GOOD.to_vec();
        cells.retain(|(n, _)| !matches!(*n, "l_wni_pkwtt" | "p_wni_pkwtt" | "jenis_laporan"));
        cells.extend([
            ("l_wni_pkwtt", "-3"),
            ("p_wni_pkwtt", "dua"),
            ("jenis_laporan", "bulanan"),
        ]);
        let (_, problems) = parse(&cells);
        assert_eq!(
            problems,
            [
                (
                    "jenis_laporan".to_owned(),
                    "import.wlkp.error.trigger".to_owned()
                ),
                (
                    "l_wni_pkwtt".to_owned(),
                    "import.wlkp.error.negative".to_owned()
                ),
                (
                    "p_wni_pkwtt".to_owned(),
                    "import.cell.whole_number".to_owned()
                ),
            ]
        );
    }
}
