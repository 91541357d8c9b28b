//! The job-seekers data set of the exports (`exports::datasets`): one row per profile, with
//! its latest AK/I card, dated by the day the profile was registered; and the person
//! columns other data sets (placements, training) show for a job seeker.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::ak1::model::Status as CardStatus;
use super::{MaritalStatus, Religion};
use crate::accounts::directory;
use crate::db::DbConnection;
use crate::domain::ids::{JobSeekerId, JobTitleId, UserId};
use crate::domain::{Ak1Number, Nik, Rupiah, Sex};
use crate::exports::dataset::{
    Cell, Column, Emit, IsoDate, Mask, PLACE, Page, Provider, REGIONS_KBJI_VERSIONS, Read, Rows,
    col, day_of, job_titles, keep, keyset, place, versions, within_period,
};
use crate::exports::filter::Filter;
use crate::people::Source;
use crate::schema::{ak1_cards, job_seeker_people, job_seekers};

const OWN: &[Column] = &[
    keep("id_pencaker"),
    col("nik", Mask::Nik),
    col("nama", Mask::Omit),
    keep("jenis_kelamin"),
    col("tempat_lahir", Mask::Omit),
    col("tanggal_lahir", Mask::Year),
    col("status_perkawinan", Mask::Omit),
    col("agama", Mask::Omit),
    col("alamat", Mask::Omit),
    col("surel", Mask::Omit),
    col("telepon", Mask::Omit),
];

const STUDIES: &[Column] = &[
    keep("pendidikan"),
    keep("jurusan"),
    keep("kode_kbji"),
    keep("jabatan_dicari"),
    keep("upah_diharapkan"),
    col("disabilitas", Mask::Omit),
    keep("nomor_ak1"),
    keep("status_ak1"),
    keep("tanggal_terbit_ak1"),
    keep("berlaku_sampai"),
    keep("terdaftar"),
    // Where the profile came from: the source of its confirmed person's facts (`people`:
    // portal, counter, import, national); a profile with no confirmed person is the
    // resident's own, entered on the portal.
    keep("sumber"),
];

pub const JOB_SEEKERS: Provider = Provider {
    columns: &[OWN, PLACE, STUDIES, REGIONS_KBJI_VERSIONS],
    first_date,
    count,
    read,
};

/// The columns every row reads. Dates come as their text ([`IsoDate`]).
type Record = (
    JobSeekerId,
    Option<Nik>,
    Option<Sex>,
    Option<IsoDate>,
    (Option<String>, Option<String>),
    (
        Option<i16>,
        Option<String>,
        Option<JobTitleId>,
        Option<Rupiah>,
    ),
    IsoDate,
);

/// The columns only an unmasked export reads: a masked one reads none of them, each
/// column read costing about as much as one written.
type Personal = (
    UserId,
    Option<String>,
    Option<MaritalStatus>,
    Option<Religion>,
    Option<String>,
    Option<String>,
);

macro_rules! filtered {
    ($filter:expr) => {{
        let filter: &Filter = $filter;
        let mut q = within_period!(job_seekers::table.into_boxed(), filter, timestamp job_seekers::created_at);
        if let Some(like) = filter.kelurahan_like() {
            q = q.filter(job_seekers::kelurahan_code.like(like));
        }
        q
    }};
}

fn first_date(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    let first: Option<NaiveDateTime> = job_seekers::table
        .select(diesel::dsl::min(job_seekers::created_at))
        .first(conn)?;
    Ok(first.map(day_of))
}

fn count(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    filtered!(filter).count().get_result(conn)
}

/// The latest card of each seeker, by seeker.
struct Card {
    number: Option<Ak1Number>,
    status: CardStatus,
    issued_on: Option<IsoDate>,
    valid_until: Option<IsoDate>,
}

type CardRow = (
    JobSeekerId,
    Option<Ak1Number>,
    CardStatus,
    Option<IsoDate>,
    Option<IsoDate>,
);

/// The latest card of each of `ids` (ascending). A dense page asks by the range of ids,
/// which the index walks in one pass; a sparse one (a kecamatan) by the list.
fn latest_cards(
    conn: &mut DbConnection,
    ids: &[JobSeekerId],
) -> QueryResult<HashMap<JobSeekerId, Card>> {
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        return Ok(HashMap::new());
    };
    // Plain statements, prepared once per connection.
    macro_rules! cards {
        ($q:expr) => {
            $q.order((ak1_cards::job_seeker_id, ak1_cards::id)).select((
                ak1_cards::job_seeker_id,
                ak1_cards::number,
                ak1_cards::status,
                ak1_cards::issued_on,
                ak1_cards::valid_until,
            ))
        };
    }
    let span = i64::from(last.get()) - i64::from(first.get()) + 1;
    let rows: Vec<CardRow> = if span <= 2 * ids.len() as i64 {
        cards!(ak1_cards::table.filter(ak1_cards::job_seeker_id.between(*first, *last)))
            .load(conn)?
    } else {
        crate::by_ids!(conn, ak1_cards::job_seeker_id, ids, |in_ids| cards!(
            ak1_cards::table.filter(in_ids)
        ))?
    };
    // In id order, so the last one seen for a seeker is the latest.
    Ok(rows
        .into_iter()
        .map(|(seeker, number, status, issued_on, valid_until)| {
            (
                seeker,
                Card {
                    number,
                    status,
                    issued_on,
                    valid_until,
                },
            )
        })
        .collect())
}

/// The source of each profile's confirmed person, for `sumber`.
fn sources(
    conn: &mut DbConnection,
    ids: &[JobSeekerId],
) -> QueryResult<HashMap<JobSeekerId, Source>> {
    // `confirmed` as it stands, not compared with a bound `true`: SQLite reads a bound
    // value while deciding whether a partial index (here the one on confirmed links)
    // applies, and then compiles the statement again each time the value is bound.
    let links: Vec<(JobSeekerId, crate::domain::ids::PersonId)> =
        crate::by_ids!(conn, job_seeker_people::job_seeker_id, ids, |in_ids| {
            job_seeker_people::table
                .filter(in_ids)
                .filter(job_seeker_people::confirmed)
                .select((
                    job_seeker_people::job_seeker_id,
                    job_seeker_people::person_id,
                ))
        })?;
    let persons: Vec<_> = links.iter().map(|l| l.1).collect();
    let sources = crate::people::dataset::sources(conn, &persons)?;
    Ok(links
        .into_iter()
        .filter_map(|(seeker, person)| sources.get(&person).map(|s| (seeker, *s)))
        .collect())
}

/// A page of profiles, with the columns `$select` makes of [`record!`]'s, loaded. The
/// API's pages (by id, no filter) are a plain statement that the connection prepares once;
/// a filtered one is built for its filter.
macro_rules! load_page {
    ($page:expr, $select:expr, $conn:expr) => {
        match $page.ids {
            Some(ids) if *$page.filter == Filter::default() => {
                crate::by_ids!($conn, job_seekers::id, ids, |in_ids| job_seekers::table
                    .filter(in_ids)
                    .order(job_seekers::id)
                    .limit($page.limit)
                    .select($select))
            }
            _ => keyset!(filtered!($page.filter), $page, job_seekers::id)
                .order(job_seekers::id)
                .limit($page.limit)
                .select($select)
                .load($conn),
        }
    };
}

/// The select clause of a [`Record`].
macro_rules! record {
    () => {
        (
            job_seekers::id,
            job_seekers::nik,
            job_seekers::sex,
            job_seekers::birth_date,
            (job_seekers::kelurahan_code, job_seekers::regency_code),
            (
                job_seekers::education_level,
                job_seekers::field_of_study,
                job_seekers::desired_job_title_id,
                job_seekers::desired_wage,
            ),
            job_seekers::created_at,
        )
    };
}

fn read(conn: &mut DbConnection, page: &Page<'_>) -> QueryResult<(Read, Emit)> {
    let records: Vec<(Record, Option<Personal>)> = if page.personal {
        let rows: Vec<(Record, Personal)> = load_page!(
            page,
            (
                record!(),
                (
                    job_seekers::user_id,
                    job_seekers::birth_place,
                    job_seekers::marital_status,
                    job_seekers::religion,
                    job_seekers::address,
                    job_seekers::disability,
                ),
            ),
            conn
        )?;
        rows.into_iter().map(|(r, p)| (r, Some(p))).collect()
    } else {
        let rows: Vec<Record> = load_page!(page, record!(), conn)?;
        rows.into_iter().map(|r| (r, None)).collect()
    };
    let ids: Vec<JobSeekerId> = records.iter().map(|r| r.0.0).collect();
    let cards = latest_cards(conn, &ids)?;
    let origins = sources(conn, &ids)?;
    let titles = job_titles(conn, records.iter().filter_map(|r| r.0.5.2))?;
    let users: Vec<UserId> = records
        .iter()
        .filter_map(|r| r.1.as_ref())
        .map(|p| p.0)
        .collect();
    let contacts = if users.is_empty() {
        HashMap::new()
    } else {
        directory::contacts(conn, &users)?
    };
    let read = Read::of(ids.iter().map(|i| i.get()), page.limit);
    let emit: Emit = Box::new(move |out: &mut dyn Rows| {
        for ((id, nik, sex, born, (kelurahan, regency), studies, at), personal) in &records {
            let personal = personal.as_ref();
            let contact = personal.and_then(|p| contacts.get(&p.0));
            let (education, field, title_id, wage) = studies;
            let title = title_id.and_then(|t| titles.get(&t));
            let card = cards.get(id);
            out.cell(id.get().into());
            out.cell(nik.as_ref().map(Nik::as_str).into());
            out.cell(contact.map(|c| c.full_name.as_str()).into());
            out.cell(sex.map(Sex::code).into());
            out.cell(personal.and_then(|p| p.1.as_deref()).into());
            out.cell(born.map(|d| d.date).into());
            out.cell(personal.and_then(|p| p.2).map(MaritalStatus::as_str).into());
            out.cell(personal.and_then(|p| p.3).map(Religion::as_str).into());
            out.cell(personal.and_then(|p| p.4.as_deref()).into());
            out.cell(
                contact
                    .and_then(|c| c.email.as_ref())
                    .map(|e| e.as_str())
                    .into(),
            );
            out.cell(
                contact
                    .and_then(|c| c.phone.as_ref())
                    .map(|p| p.as_str())
                    .into(),
            );
            place(out, kelurahan.as_deref(), regency.as_deref());
            out.cell((*education).into());
            out.cell(field.as_deref().into());
            out.cell(title.map(|t| t.0.as_str()).into());
            out.cell(title.map(|t| t.1.as_str()).into());
            out.cell(wage.map(Rupiah::amount).into());
            out.cell(personal.and_then(|p| p.5.as_deref()).into());
            out.cell(
                card.and_then(|c| c.number.as_ref())
                    .map(|n| n.as_str())
                    .into(),
            );
            out.cell(card.map(|c| c.status.as_str()).into());
            out.cell(card.and_then(|c| c.issued_on).map(|d| d.date).into());
            out.cell(card.and_then(|c| c.valid_until).map(|d| d.date).into());
            out.cell(Cell::Date(at.binjai_day()));
            out.cell(Cell::Text(origins.get(id).map_or("portal", |s| s.as_str())));
            versions(out, REGIONS_KBJI_VERSIONS);
        }
    });
    Ok((read, emit))
}

/// A job seeker as other data sets show them (placements, training): written by
/// [`person`].
pub const PERSON: &[Column] = &[
    keep("id_pencaker"),
    col("nik", Mask::Nik),
    col("nama", Mask::Omit),
    keep("jenis_kelamin"),
    col("tanggal_lahir", Mask::Year),
    keep("pendidikan"),
];

/// What [`person`] writes of a job seeker.
pub struct Facts {
    nik: Option<Nik>,
    sex: Option<Sex>,
    birth_date: Option<NaiveDate>,
    education: Option<i16>,
    pub kelurahan: Option<String>,
    pub regency: Option<String>,
    name: Option<String>,
}

/// These job seekers' facts for [`person`], with their names when `personal`.
pub fn facts(
    conn: &mut DbConnection,
    ids: &[JobSeekerId],
    personal: bool,
) -> QueryResult<HashMap<JobSeekerId, Facts>> {
    type Row = (
        JobSeekerId,
        UserId,
        Option<Nik>,
        Option<Sex>,
        Option<NaiveDate>,
        Option<i16>,
        Option<String>,
        Option<String>,
    );
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let rows: Vec<Row> = job_seekers::table
        .filter(job_seekers::id.eq_any(&unique))
        .select((
            job_seekers::id,
            job_seekers::user_id,
            job_seekers::nik,
            job_seekers::sex,
            job_seekers::birth_date,
            job_seekers::education_level,
            job_seekers::kelurahan_code,
            job_seekers::regency_code,
        ))
        .load(conn)?;
    let mut names = if personal {
        let users: Vec<UserId> = rows.iter().map(|r| r.1).collect();
        directory::contacts(conn, &users)?
    } else {
        HashMap::new()
    };
    Ok(rows
        .into_iter()
        .map(
            |(id, user, nik, sex, birth_date, education, kelurahan, regency)| {
                let facts = Facts {
                    nik,
                    sex,
                    birth_date,
                    education,
                    kelurahan,
                    regency,
                    name: names.remove(&user).map(|c| c.full_name),
                };
                (id, facts)
            },
        )
        .collect())
}

/// The cells of [`PERSON`] for a job seeker (empty ones if the profile is gone).
pub fn person(out: &mut dyn Rows, id: JobSeekerId, facts: Option<&Facts>) {
    out.cell(id.get().into());
    out.cell(facts.and_then(|f| f.nik.as_ref()).map(Nik::as_str).into());
    out.cell(facts.and_then(|f| f.name.as_deref()).into());
    out.cell(facts.and_then(|f| f.sex).map(Sex::code).into());
    out.cell(facts.and_then(|f| f.birth_date).into());
    out.cell(facts.and_then(|f| f.education).into());
}
