//! The companies data set of the exports (`exports::datasets`): one row per company or
//! branch, dated by the day it was registered; and the company facts other data sets show
//! (vacancies, placements, WLKP).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{Company, InvestmentStatus, LegalForm, SizeBand};
use crate::db::DbConnection;
use crate::domain::ids::CompanyId;
use crate::domain::{KbliCode, Npp};
use crate::exports::dataset::{
    Cell, Column, Emit, Mask, PLACE, Page, Provider, REGIONS_KBLI_VERSIONS, Read, Rows, col,
    day_of, keep, keyset, place, versions, within_period,
};
use crate::exports::filter::Filter;
use crate::schema::{companies, company_kbli};

const OWN: &[Column] = &[
    keep("id_perusahaan"),
    keep("nama"),
    keep("nib"),
    // A sole trader's NPWP is their NIK since 2024.
    col("npwp", Mask::Omit),
    keep("kode_kbli"),
    keep("kbli_kelompok"),
    keep("bentuk_badan_usaha"),
    keep("status_penanaman_modal"),
    keep("npp"),
    keep("tanggal_berdiri"),
    keep("alamat"),
];

const REST: &[Column] = &[
    keep("skala_usaha"),
    keep("status_verifikasi"),
    keep("id_kantor_pusat"),
    // A contact person's own number and address, as often as not.
    col("telepon_kontak", Mask::Omit),
    col("surel_kontak", Mask::Omit),
    keep("situs_web"),
    keep("terdaftar"),
    // Always `portal`: a company registered on the portal and one from an imported list
    // are not told apart in `companies` (both wait for the same verification).
    keep("sumber"),
];

pub const COMPANIES: Provider = Provider {
    columns: &[OWN, PLACE, REST, REGIONS_KBLI_VERSIONS],
    first_date,
    count,
    read,
};

macro_rules! filtered {
    ($filter:expr) => {{
        let filter: &Filter = $filter;
        let mut q = within_period!(companies::table.into_boxed(), filter, timestamp companies::created_at);
        if let Some(like) = filter.kelurahan_like() {
            q = q.filter(companies::kelurahan_code.like(like));
        }
        q
    }};
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    let first: Option<NaiveDateTime> = companies::table
        .select(diesel::dsl::min(companies::created_at))
        .first(conn)?;
    Ok(first.map(day_of))
}

fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

/// The current 5-digit codes of these companies, primary first, `;`-separated.
fn current_codes(
    conn: &mut DbConnection,
    ids: &[CompanyId],
) -> QueryResult<HashMap<CompanyId, String>> {
    let rows: Vec<(CompanyId, KbliCode)> = company_kbli::table
        .filter(company_kbli::company_id.eq_any(ids))
        .filter(company_kbli::valid_to.is_null())
        .order((
            company_kbli::company_id,
            company_kbli::is_primary.desc(),
            company_kbli::id,
        ))
        .select((company_kbli::company_id, company_kbli::code))
        .load(conn)?;
    let mut out: HashMap<CompanyId, String> = HashMap::new();
    for (company, code) in rows {
        let codes = out.entry(company).or_default();
        if !codes.is_empty() {
            codes.push(';');
        }
        codes.push_str(code.as_str());
    }
    Ok(out)
}

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let records: Vec<Company> = keyset!(filtered!(page.filter), page, companies::id)
        .order(companies::id)
        .limit(page.limit)
        .select(Company::as_select())
        .load(conn)?;
    let ids: Vec<CompanyId> = records.iter().map(|c| c.id).collect();
    let codes = current_codes(conn, &ids)?;
    let read = Read::of(ids.iter().map(|i| i.get()), page.limit);
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for c in &records {
            out.cell(c.id.get().into());
            out.cell(c.name.as_str().into());
            out.cell(c.nib.as_deref().into());
            out.cell(c.npwp.as_deref().into());
            out.cell(c.kbli_section.as_str().into());
            out.cell(codes.get(&c.id).map(String::as_str).into());
            out.cell(c.legal_form.map(LegalForm::as_str).into());
            out.cell(c.investment_status.map(InvestmentStatus::as_str).into());
            out.cell(c.npp.as_ref().map(Npp::as_str).into());
            out.cell(c.founded_on.into());
            out.cell(c.address.as_str().into());
            place(out, c.kelurahan_code.as_deref(), Some(&c.regency_code));
            out.cell(c.size_band.map(SizeBand::as_str).into());
            out.cell(c.verification_status.as_str().into());
            out.cell(c.head_office_id.map(CompanyId::get).into());
            out.cell(c.contact_phone.as_ref().map(|p| p.as_str()).into());
            out.cell(c.contact_email.as_ref().map(|e| e.as_str()).into());
            out.cell(c.website.as_deref().into());
            out.cell(Cell::Date(day_of(c.created_at)));
            out.cell(Cell::Text("portal"));
            versions(out, REGIONS_KBLI_VERSIONS);
        }
    });
    Ok((read, emit))
}

/// A company as other data sets show it.
pub struct Facts {
    pub name: String,
    pub nib: Option<String>,
    pub kbli_section: KbliCode,
    pub kelurahan: Option<String>,
    pub regency: String,
}

type FactsRow = (
    CompanyId,
    String,
    Option<String>,
    KbliCode,
    Option<String>,
    String,
);

/// These companies' facts, by id.
pub fn facts(conn: &mut DbConnection, ids: &[CompanyId]) -> QueryResult<HashMap<CompanyId, Facts>> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let rows: Vec<FactsRow> = companies::table
        .filter(companies::id.eq_any(&unique))
        .select((
            companies::id,
            companies::name,
            companies::nib,
            companies::kbli_section,
            companies::kelurahan_code,
            companies::regency_code,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, nib, kbli_section, kelurahan, regency)| {
            (
                id,
                Facts {
                    name,
                    nib,
                    kbli_section,
                    kelurahan,
                    regency,
                },
            )
        })
        .collect())
}
