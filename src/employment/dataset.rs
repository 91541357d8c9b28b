//! The employed-residents data set of the exports (`exports::datasets`): one row per person
//! and job, dated by the day the job started, placed where the person lives.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::Job;
use crate::db::DbConnection;
use crate::domain::ids::{CompanyId, PersonId, PlacementId};
use crate::exports::dataset::{
    ALL_VERSIONS, Column, Emit, PLACE, Page, Provider, Read, Rows, keep, keyset, versions,
    within_period,
};
use crate::exports::filter::Filter;
use crate::people::dataset::{self as people, PERSON};
use crate::schema::employed_residents;

const ID: &[Column] = &[keep("id_pekerjaan")];

const JOB: &[Column] = &[
    keep("nama_pemberi_kerja"),
    keep("nib_pemberi_kerja"),
    keep("id_perusahaan"),
    keep("jabatan"),
    keep("kode_kbji"),
    keep("kode_kbli"),
    keep("mulai"),
    keep("selesai"),
    keep("sumber"),
    keep("id_penempatan"),
];

pub const EMPLOYED_RESIDENTS: Provider = Provider {
    columns: &[ID, PERSON, PLACE, JOB, ALL_VERSIONS],
    first_date,
    count,
    read,
};

macro_rules! filtered {
    ($filter:expr) => {
        within_period!(employed_residents::table.into_boxed(), $filter, date employed_residents::started_on)
    };
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    employed_residents::table
        .select(diesel::dsl::min(employed_residents::started_on))
        .first(conn)
}

/// Jobs in the period; the kecamatan is the person's, known only after reading a page.
fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let jobs: Vec<Job> = keyset!(filtered!(page.filter), page, employed_residents::id)
        .order(employed_residents::id)
        .limit(page.limit)
        .select(Job::as_select())
        .load(conn)?;
    let person_ids: Vec<PersonId> = jobs.iter().map(|j| j.person_id).collect();
    let persons = people::many(conn, &person_ids)?;
    let read = Read::of(jobs.iter().map(|j| j.id.get()), page.limit);
    let filter = page.filter.clone();
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for job in &jobs {
            let person = persons.get(&job.person_id);
            if !filter.takes_kelurahan(person.and_then(|p| p.kelurahan_code.as_deref())) {
                continue;
            }
            out.cell(job.id.get().into());
            people::cells(out, person);
            out.cell(job.employer_name.as_str().into());
            out.cell(job.employer_nib.as_deref().into());
            out.cell(job.company_id.map(CompanyId::get).into());
            out.cell(job.job_title.as_str().into());
            out.cell(job.kbji_code.as_ref().map(|c| c.as_str()).into());
            out.cell(job.kbli_code.as_ref().map(|c| c.as_str()).into());
            out.cell(job.started_on.into());
            out.cell(job.ended_on.into());
            out.cell(job.source.as_str().into());
            out.cell(job.placement_id.map(PlacementId::get).into());
            versions(out, ALL_VERSIONS);
        }
    });
    Ok((read, emit))
}
