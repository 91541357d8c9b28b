//! The vacancies data set of the exports (`exports::datasets`): one row per vacancy that
//! left the employer's drafts, dated by the day it opens, placed where the work is. No
//! personal data.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{EmploymentType, VacancyStatus};
use crate::db::DbConnection;
use crate::domain::ids::{CompanyId, JobTitleId, VacancyId};
use crate::domain::{KbjiCode, Rupiah};
use crate::employers::dataset as companies;
use crate::exports::dataset::{
    ALL_VERSIONS, Column, Emit, PLACE, Page, Provider, Read, Rows, day_of, job_titles, keep,
    keyset, place, versions, within_period,
};
use crate::exports::filter::Filter;
use crate::schema::vacancies;

const OWN: &[Column] = &[
    keep("id_lowongan"),
    keep("id_perusahaan"),
    keep("nama_perusahaan"),
    keep("nib"),
    keep("kode_kbli"),
    keep("judul"),
    keep("kode_kbji"),
    keep("jabatan_kbji"),
    keep("pendidikan_minimal"),
    keep("jurusan"),
    keep("pengalaman_bulan"),
    keep("hubungan_kerja"),
];

const REST: &[Column] = &[
    keep("upah_minimum"),
    keep("upah_maksimum"),
    keep("kuota_laki_laki"),
    keep("kuota_perempuan"),
    keep("kuota_bebas"),
    keep("terisi_laki_laki"),
    keep("terisi_perempuan"),
    keep("ramah_disabilitas"),
    keep("usia_minimum"),
    keep("usia_maksimum"),
    keep("tanggal_buka"),
    keep("tanggal_tutup"),
    keep("status"),
    keep("diterbitkan"),
    // `import` for a vacancy from an imported list (it has the list's own id), else
    // `portal`: the employer's form is the only other way a vacancy is made.
    keep("sumber"),
];

pub const VACANCIES: Provider = Provider {
    columns: &[OWN, PLACE, REST, ALL_VERSIONS],
    first_date,
    count,
    read,
};

macro_rules! filtered {
    ($filter:expr) => {{
        let filter: &Filter = $filter;
        // A draft is the employer's unfinished work, not a vacancy yet.
        let mut q = within_period!(
            vacancies::table
                .filter(vacancies::status.ne(VacancyStatus::Draft))
                .into_boxed(),
            filter,
            date vacancies::opens_on
        );
        if let Some(like) = filter.kelurahan_like() {
            q = q.filter(vacancies::kelurahan_code.like(like));
        }
        q
    }};
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    vacancies::table
        .filter(vacancies::status.ne(VacancyStatus::Draft))
        .select(diesel::dsl::min(vacancies::opens_on))
        .first(conn)
}

fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

type Record = (
    (VacancyId, CompanyId, String, KbjiCode, Option<JobTitleId>),
    (i16, Option<String>, i32, EmploymentType),
    (Option<String>, String),
    (Option<Rupiah>, Option<Rupiah>),
    (i32, i32, i32, i32, i32),
    (bool, Option<i16>, Option<i16>),
    (NaiveDate, NaiveDate, VacancyStatus, Option<NaiveDateTime>),
    bool,
);

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let records: Vec<Record> = keyset!(filtered!(page.filter), page, vacancies::id)
        .order(vacancies::id)
        .limit(page.limit)
        .select((
            (
                vacancies::id,
                vacancies::company_id,
                vacancies::title,
                vacancies::kbji_code,
                vacancies::job_title_id,
            ),
            (
                vacancies::education_min,
                vacancies::field_of_study,
                vacancies::experience_months,
                vacancies::employment_type,
            ),
            (vacancies::kelurahan_code, vacancies::regency_code),
            (vacancies::wage_min, vacancies::wage_max),
            (
                vacancies::quota_male,
                vacancies::quota_female,
                vacancies::quota_any,
                vacancies::filled_male,
                vacancies::filled_female,
            ),
            (
                vacancies::disability_friendly,
                vacancies::age_min,
                vacancies::age_max,
            ),
            (
                vacancies::opens_on,
                vacancies::closes_on,
                vacancies::status,
                vacancies::published_at,
            ),
            vacancies::external_ref.is_not_null(),
        ))
        .load(conn)?;
    let company_ids: Vec<CompanyId> = records.iter().map(|r| r.0.1).collect();
    let companies = companies::facts(conn, &company_ids)?;
    let titles = job_titles(conn, records.iter().filter_map(|r| r.0.4))?;
    let read = Read::of(records.iter().map(|r| r.0.0.get()), page.limit);
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for (head, needs, (kelurahan, regency), wage, people, terms, dates, imported) in &records {
            let company = companies.get(&head.1);
            out.cell(head.0.get().into());
            out.cell(head.1.get().into());
            out.cell(company.map(|c| c.name.as_str()).into());
            out.cell(company.and_then(|c| c.nib.as_deref()).into());
            out.cell(company.map(|c| c.kbli_section.as_str()).into());
            out.cell(head.2.as_str().into());
            out.cell(head.3.as_str().into());
            out.cell(
                head.4
                    .and_then(|t| titles.get(&t))
                    .map(|t| t.1.as_str())
                    .into(),
            );
            out.cell(needs.0.into());
            out.cell(needs.1.as_deref().into());
            out.cell(needs.2.into());
            out.cell(needs.3.as_str().into());
            place(out, kelurahan.as_deref(), Some(regency));
            out.cell(wage.0.map(Rupiah::amount).into());
            out.cell(wage.1.map(Rupiah::amount).into());
            out.cell(people.0.into());
            out.cell(people.1.into());
            out.cell(people.2.into());
            out.cell(people.3.into());
            out.cell(people.4.into());
            out.cell(terms.0.into());
            out.cell(terms.1.into());
            out.cell(terms.2.into());
            out.cell(dates.0.into());
            out.cell(dates.1.into());
            out.cell(dates.2.as_str().into());
            out.cell(dates.3.map(day_of).into());
            out.cell(if *imported { "import" } else { "portal" }.into());
            versions(out, ALL_VERSIONS);
        }
    });
    Ok((read, emit))
}
