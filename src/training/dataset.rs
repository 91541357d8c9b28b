//! The training data set of the exports (`exports::datasets`): one row per enrolment, with
//! its programme and provider, dated by the day the programme starts, placed where the
//! participant lives.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::enrolment::Status;
use super::programmes::{Certificate, Funding, Mode};
use super::providers::Kind;
use crate::db::DbConnection;
use crate::domain::ids::{EnrolmentId, JobSeekerId, ProgrammeId, ProviderId};
use crate::exports::dataset::{
    Cell, Column, Emit, Mask, PLACE, Page, Provider, REGIONS_VERSION, Read, Rows, col, day_of,
    keep, keyset, place, versions, within_period,
};
use crate::exports::filter::Filter;
use crate::schema::{training_enrolments, training_programmes, training_providers};
use crate::seekers::dataset::{self as seekers, PERSON};

const PROGRAMME: &[Column] = &[
    keep("id_pendaftaran"),
    keep("id_program"),
    keep("judul_program"),
    keep("bidang"),
    keep("id_lembaga"),
    keep("nama_lembaga"),
    keep("jenis_lembaga"),
    keep("mulai"),
    keep("selesai"),
    keep("jam_pelatihan"),
    keep("moda"),
    keep("pendanaan"),
    keep("jenis_sertifikat"),
];

const ENROLMENT: &[Column] = &[
    keep("status_pendaftaran"),
    // Names one person's certificate.
    col("nomor_sertifikat", Mask::Omit),
    keep("mendaftar"),
    // Always `portal`: a job seeker enrols only there (`enrolment::enrol`).
    keep("sumber"),
];

pub const TRAINING: Provider = Provider {
    columns: &[PROGRAMME, PERSON, PLACE, ENROLMENT, REGIONS_VERSION],
    first_date,
    count,
    read,
};

macro_rules! filtered {
    ($filter:expr) => {
        within_period!(
            training_enrolments::table
                .inner_join(training_programmes::table.inner_join(training_providers::table))
                .into_boxed(),
            $filter,
            date training_programmes::starts_on
        )
    };
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    training_enrolments::table
        .inner_join(training_programmes::table)
        .select(diesel::dsl::min(training_programmes::starts_on))
        .first(conn)
}

/// Enrolments in programmes starting in the period; the kecamatan is the participant's,
/// known only after reading.
fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

type Record = (
    (
        EnrolmentId,
        JobSeekerId,
        Status,
        Option<String>,
        chrono::NaiveDateTime,
    ),
    (ProgrammeId, String, String, NaiveDate, NaiveDate, i32),
    (Mode, Funding, Certificate),
    (ProviderId, String, Kind),
);

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let records: Vec<Record> = keyset!(filtered!(page.filter), page, training_enrolments::id)
        .order(training_enrolments::id)
        .limit(page.limit)
        .select((
            (
                training_enrolments::id,
                training_enrolments::job_seeker_id,
                training_enrolments::status,
                training_enrolments::certificate_number,
                training_enrolments::applied_at,
            ),
            (
                training_programmes::id,
                training_programmes::title,
                training_programmes::field,
                training_programmes::starts_on,
                training_programmes::ends_on,
                training_programmes::hours,
            ),
            (
                training_programmes::mode,
                training_programmes::funding,
                training_programmes::certificate,
            ),
            (
                training_providers::id,
                training_providers::name,
                training_providers::kind,
            ),
        ))
        .load(conn)?;
    let seeker_ids: Vec<JobSeekerId> = records.iter().map(|r| r.0.1).collect();
    let people = seekers::facts(conn, &seeker_ids, page.personal)?;
    let read = Read::of(records.iter().map(|r| r.0.0.get()), page.limit);
    let filter = page.filter.clone();
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for (enrolment, programme, terms, provider) in &records {
            let person = people.get(&enrolment.1);
            if !filter.takes_kelurahan(person.and_then(|f| f.kelurahan.as_deref())) {
                continue;
            }
            out.cell(enrolment.0.get().into());
            out.cell(programme.0.get().into());
            out.cell(programme.1.as_str().into());
            out.cell(programme.2.as_str().into());
            out.cell(provider.0.get().into());
            out.cell(provider.1.as_str().into());
            out.cell(provider.2.as_str().into());
            out.cell(programme.3.into());
            out.cell(programme.4.into());
            out.cell(programme.5.into());
            out.cell(terms.0.as_str().into());
            out.cell(terms.1.as_str().into());
            out.cell(terms.2.as_str().into());
            seekers::person(out, enrolment.1, person);
            place(
                out,
                person.and_then(|f| f.kelurahan.as_deref()),
                person.and_then(|f| f.regency.as_deref()),
            );
            out.cell(enrolment.2.as_str().into());
            out.cell(enrolment.3.as_deref().into());
            out.cell(Cell::Date(day_of(enrolment.4)));
            out.cell(Cell::Text("portal"));
            versions(out, REGIONS_VERSION);
        }
    });
    Ok((read, emit))
}
