//! The placements data set of the exports (`exports::datasets`): one row per placement,
//! dated by the day work started, placed where the job seeker lives.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::placement::Placement;
use crate::db::DbConnection;
use crate::domain::Rupiah;
use crate::domain::ids::{CompanyId, JobSeekerId, VacancyId};
use crate::employers::dataset as companies;
use crate::exports::dataset::{
    ALL_VERSIONS, Cell, Column, Emit, Mask, PLACE, Page, Provider, Read, Rows, col, day_of, keep,
    keyset, place, versions, within_period,
};
use crate::exports::filter::Filter;
use crate::schema::placements;
use crate::seekers::dataset::{self as seekers, PERSON};

const ID: &[Column] = &[keep("id_penempatan")];

const JOB: &[Column] = &[
    keep("pemberi_kerja"),
    keep("id_perusahaan"),
    keep("nib"),
    keep("kode_kbli"),
    keep("jabatan"),
    keep("kode_kbji"),
    keep("jenis_antar_kerja"),
    keep("tanggal_mulai"),
    // What one person earns: personal financial data (UU 27/2022).
    col("upah_bulanan", Mask::Omit),
    keep("id_lowongan"),
    keep("saluran"),
    keep("tercatat"),
    // As `saluran`: `portal` through an application, `counter` when staff recorded it.
    keep("sumber"),
];

pub const PLACEMENTS: Provider = Provider {
    columns: &[ID, PERSON, PLACE, JOB, ALL_VERSIONS],
    first_date,
    count,
    read,
};

macro_rules! filtered {
    ($filter:expr) => {
        within_period!(placements::table.into_boxed(), $filter, date placements::start_date)
    };
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    placements::table
        .select(diesel::dsl::min(placements::start_date))
        .first(conn)
}

/// Placements in the period; the kecamatan is the seeker's, known only after reading.
fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let records: Vec<Placement> = keyset!(filtered!(page.filter), page, placements::id)
        .order(placements::id)
        .limit(page.limit)
        .select(Placement::as_select())
        .load(conn)?;
    let seeker_ids: Vec<JobSeekerId> = records.iter().map(|p| p.job_seeker_id).collect();
    let people = seekers::facts(conn, &seeker_ids, page.personal)?;
    let company_ids: Vec<CompanyId> = records.iter().filter_map(|p| p.company_id).collect();
    let companies = companies::facts(conn, &company_ids)?;
    let application_ids: Vec<_> = records.iter().filter_map(|p| p.application_id).collect();
    let channels = super::model::channels_of(conn, &application_ids)?;
    let read = Read::of(records.iter().map(|p| p.id.get()), page.limit);
    let filter = page.filter.clone();
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for p in &records {
            let person = people.get(&p.job_seeker_id);
            if !filter.takes_kelurahan(person.and_then(|f| f.kelurahan.as_deref())) {
                continue;
            }
            let company = p.company_id.and_then(|c| companies.get(&c));
            out.cell(p.id.get().into());
            seekers::person(out, p.job_seeker_id, person);
            place(
                out,
                person.and_then(|f| f.kelurahan.as_deref()),
                person.and_then(|f| f.regency.as_deref()),
            );
            out.cell(p.employer_name.as_str().into());
            out.cell(p.company_id.map(CompanyId::get).into());
            out.cell(company.and_then(|c| c.nib.as_deref()).into());
            out.cell(company.map(|c| c.kbli_section.as_str()).into());
            out.cell(p.job_title.as_str().into());
            out.cell(p.kbji_code.as_ref().map(|c| c.as_str()).into());
            out.cell(p.kind.as_str().into());
            out.cell(p.start_date.into());
            out.cell(p.monthly_wage.map(Rupiah::amount).into());
            out.cell(p.vacancy_id.map(VacancyId::get).into());
            // Through an application on the portal or forwarded from Karirhub, or
            // recorded at the counter.
            let channel = Cell::Text(super::model::placement_channel(
                p.application_id.and_then(|a| channels.get(&a).copied()),
            ));
            out.cell(channel);
            out.cell(Cell::Date(day_of(p.recorded_at)));
            out.cell(channel);
            versions(out, ALL_VERSIONS);
        }
    });
    Ok((read, emit))
}
