//! The WLKP data set of the exports (`exports::datasets`): one row per report with the
//! figures of its current revision, dated by the day it came in, placed where the company
//! is. Company figures, no personal data. The columns are named as the import's, so a file
//! goes back in as it came out.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{Report, Revision, revisions_of};
use crate::db::DbConnection;
use crate::domain::Rupiah;
use crate::domain::ids::{CompanyId, WlkpReportId};
use crate::employers::dataset as companies;
use crate::exports::dataset::{
    Cell, Column, Emit, PLACE, Page, Provider, REGIONS_KBLI_VERSIONS, Read, Rows, day_of, keep,
    keyset, place, versions, within_period,
};
use crate::exports::filter::Filter;
use crate::schema::wlkp_reports;

const REPORT: &[Column] = &[
    keep("id_laporan"),
    keep("nib"),
    keep("id_perusahaan"),
    keep("nama_perusahaan"),
    keep("kode_kbli"),
    keep("id_eksternal"),
    keep("tahun"),
    keep("jenis_laporan"),
    keep("sumber"),
    keep("status"),
    keep("revisi"),
    keep("tanggal_lapor"),
];

const FIGURES: &[Column] = &[
    keep("l_wni_pkwtt"),
    keep("l_wni_pkwt"),
    keep("l_wni_alih_daya"),
    keep("l_wna_pkwtt"),
    keep("l_wna_pkwt"),
    keep("l_wna_alih_daya"),
    keep("p_wni_pkwtt"),
    keep("p_wni_pkwt"),
    keep("p_wni_alih_daya"),
    keep("p_wna_pkwtt"),
    keep("p_wna_pkwt"),
    keep("p_wna_alih_daya"),
    keep("pend_tidak_sekolah"),
    keep("pend_tidak_tamat_sd"),
    keep("pend_sd"),
    keep("pend_smp"),
    keep("pend_sma"),
    keep("pend_smk"),
    keep("pend_d1"),
    keep("pend_d2"),
    keep("pend_d3"),
    keep("pend_d4"),
    keep("pend_s1"),
    keep("pend_s2"),
    keep("pend_s3"),
    keep("usia_15_19"),
    keep("usia_20_29"),
    keep("usia_30_44"),
    keep("usia_45_54"),
    keep("usia_55_keatas"),
    keep("disabilitas"),
    keep("magang"),
    keep("upah_terendah"),
    keep("bpjs_ketenagakerjaan"),
    keep("bpjs_kesehatan"),
];

pub const WLKP: Provider = Provider {
    columns: &[REPORT, PLACE, FIGURES, REGIONS_KBLI_VERSIONS],
    first_date,
    count,
    read,
};

macro_rules! filtered {
    ($filter:expr) => {
        within_period!(wlkp_reports::table.into_boxed(), $filter, timestamp wlkp_reports::created_at)
    };
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    let first: Option<NaiveDateTime> = wlkp_reports::table
        .select(diesel::dsl::min(wlkp_reports::created_at))
        .first(conn)?;
    Ok(first.map(day_of))
}

/// Reports in the period; the kecamatan is the company's, known only after reading.
fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let reports: Vec<Report> = keyset!(filtered!(page.filter), page, wlkp_reports::id)
        .order(wlkp_reports::id)
        .limit(page.limit)
        .select(Report::as_select())
        .load(conn)?;
    let ids: Vec<WlkpReportId> = reports.iter().map(|r| r.id).collect();
    let company_ids: Vec<CompanyId> = reports.iter().filter_map(|r| r.company_id).collect();
    let companies = companies::facts(conn, &company_ids)?;
    let mut current: HashMap<WlkpReportId, Revision> = HashMap::new();
    let read = Read::of(ids.iter().map(|i| i.get()), page.limit);
    let filter = page.filter.clone();
    for (report, revision) in revisions_of(conn, &ids)? {
        current.entry(report).or_insert(revision);
    }
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for r in &reports {
            let company = r.company_id.and_then(|c| companies.get(&c));
            if !filter.takes_kelurahan(company.and_then(|c| c.kelurahan.as_deref())) {
                continue;
            }
            let revision = current.get(&r.id).filter(|v| v.revision == r.revision);
            out.cell(r.id.get().into());
            out.cell(r.nib.as_str().into());
            out.cell(r.company_id.map(CompanyId::get).into());
            out.cell(company.map(|c| c.name.as_str()).into());
            out.cell(company.map(|c| c.kbli_section.as_str()).into());
            out.cell(r.external_id.as_deref().into());
            out.cell(r.period_year.into());
            out.cell(r.report_trigger.as_str().into());
            out.cell(r.source.as_str().into());
            out.cell(r.status.as_str().into());
            out.cell(r.revision.into());
            out.cell(Cell::Date(day_of(r.created_at)));
            place(
                out,
                company.and_then(|c| c.kelurahan.as_deref()),
                company.map(|c| c.regency.as_str()),
            );
            figures(out, revision);
            versions(out, REGIONS_KBLI_VERSIONS);
        }
    });
    Ok((read, emit))
}

/// The cells of [`FIGURES`]; empty when the report has no revision (never the case).
fn figures(out: &mut dyn Rows, revision: Option<&Revision>) {
    let Some(f) = revision.map(|r| &r.figures) else {
        for _ in FIGURES {
            out.cell(Cell::Empty);
        }
        return;
    };
    for n in f.headcount.iter().flatten().flatten() {
        out.cell((*n).into());
    }
    for n in f.education.iter().chain(f.ages.iter()) {
        out.cell((*n).into());
    }
    out.cell(f.disabled.into());
    out.cell(f.apprentices.into());
    out.cell(f.lowest_wage.map(Rupiah::amount).into());
    out.cell(f.bpjs_tk.into());
    out.cell(f.bpjs_kes.into());
}
