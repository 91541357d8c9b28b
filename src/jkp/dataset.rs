//! The JKP data set of the exports (`exports::datasets`): one row per recipient with the
//! Dinas's follow-up in counts, dated by the day the job ended, placed where the person
//! lives. Restricted data (PP 37/2021): masked, the dates that would point at one person
//! keep only their month and the contacts are left out.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::{CounsellingResult, EventKind, Recipient};
use crate::db::DbConnection;
use crate::domain::ids::{JkpRecipientId, PersonId};
use crate::exports::dataset::{
    Cell, Column, Emit, Mask, PLACE, Page, Provider, REGIONS_VERSION, Read, Rows, col, day_of,
    keep, keyset, versions, within_period,
};
use crate::exports::filter::Filter;
use crate::people::dataset::{self as people, CONTACT, PERSON};
use crate::schema::{jkp_events, jkp_recipients};

const ID: &[Column] = &[keep("id_penerima")];

const CLAIM: &[Column] = &[
    keep("pemberi_kerja_terakhir"),
    keep("nib_pemberi_kerja_terakhir"),
    col("tanggal_phk", Mask::Month),
    keep("alasan_phk"),
    col("manfaat_mulai", Mask::Month),
    col("manfaat_sampai", Mask::Month),
    keep("sumber"),
    keep("jumlah_konseling"),
    keep("hasil_konseling_terakhir"),
    keep("rujukan_lowongan"),
    keep("rujukan_pelatihan"),
    col("bekerja_kembali", Mask::Month),
    keep("tercatat"),
];

pub const JKP: Provider = Provider {
    columns: &[ID, PERSON, PLACE, CONTACT, CLAIM, REGIONS_VERSION],
    first_date,
    count,
    read,
};

macro_rules! filtered {
    ($filter:expr) => {
        within_period!(jkp_recipients::table.into_boxed(), $filter, date jkp_recipients::terminated_on)
    };
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    jkp_recipients::table
        .select(diesel::dsl::min(jkp_recipients::terminated_on))
        .first(conn)
}

/// Recipients in the period; the kecamatan is the person's, known only after reading.
fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

/// The follow-up of each recipient, in counts.
#[derive(Default)]
struct FollowUp {
    counselled: i64,
    last_result: Option<CounsellingResult>,
    vacancies: i64,
    programmes: i64,
    reemployed: Option<NaiveDate>,
}

fn follow_ups(
    conn: &mut DbConnection,
    ids: &[JkpRecipientId],
) -> QueryResult<HashMap<JkpRecipientId, FollowUp>> {
    let rows: Vec<(
        JkpRecipientId,
        EventKind,
        NaiveDate,
        Option<CounsellingResult>,
    )> = jkp_events::table
        .filter(jkp_events::recipient_id.eq_any(ids))
        .order((jkp_events::occurred_on, jkp_events::id))
        .select((
            jkp_events::recipient_id,
            jkp_events::kind,
            jkp_events::occurred_on,
            jkp_events::counselling_result,
        ))
        .load(conn)?;
    let mut out: HashMap<JkpRecipientId, FollowUp> = HashMap::new();
    for (id, kind, on, result) in rows {
        let f = out.entry(id).or_default();
        match kind {
            EventKind::Counselled => {
                f.counselled += 1;
                f.last_result = result.or(f.last_result);
            }
            EventKind::ReferredVacancy => f.vacancies += 1,
            EventKind::ReferredTraining => f.programmes += 1,
            EventKind::Reemployed => f.reemployed = Some(on),
        }
    }
    Ok(out)
}

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let recipients: Vec<Recipient> = keyset!(filtered!(page.filter), page, jkp_recipients::id)
        .order(jkp_recipients::id)
        .limit(page.limit)
        .select(Recipient::as_select())
        .load(conn)?;
    let ids: Vec<JkpRecipientId> = recipients.iter().map(|r| r.id).collect();
    let person_ids: Vec<PersonId> = recipients.iter().map(|r| r.person_id).collect();
    let persons = people::many(conn, &person_ids)?;
    let follow = follow_ups(conn, &ids)?;
    let none = FollowUp::default();
    let read = Read::of(ids.iter().map(|i| i.get()), page.limit);
    let filter = page.filter.clone();
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for r in &recipients {
            let person = persons.get(&r.person_id);
            if !filter.takes_kelurahan(person.and_then(|p| p.kelurahan_code.as_deref())) {
                continue;
            }
            let f = follow.get(&r.id).unwrap_or(&none);
            out.cell(r.id.get().into());
            people::cells(out, person);
            people::contact(out, person);
            out.cell(r.last_employer_name.as_str().into());
            out.cell(r.last_employer_nib.as_deref().into());
            out.cell(r.terminated_on.into());
            out.cell(r.termination_reason.as_str().into());
            out.cell(r.benefit_from.into());
            out.cell(r.benefit_until.into());
            out.cell(r.source.as_str().into());
            out.cell(f.counselled.into());
            out.cell(f.last_result.map(CounsellingResult::as_str).into());
            out.cell(f.vacancies.into());
            out.cell(f.programmes.into());
            out.cell(f.reemployed.into());
            out.cell(Cell::Date(day_of(r.recorded_at)));
            versions(out, REGIONS_VERSION);
        }
    });
    Ok((read, emit))
}
