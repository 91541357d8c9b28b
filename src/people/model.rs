//! The `people` and `person_origins` tables.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::code::stored_code;
use crate::domain::ids::PersonId;
use crate::domain::{Email, Nik, Phone, Sex};
use crate::schema::{people, person_origins};

stored_code! {
    /// Where a person's facts came from, from least to most trusted: the resident's own word
    /// on the portal, a list the Dinas imported, an operator with the KTP in hand, the
    /// national side (checked against Dukcapil).
    pub enum Source in "ref_person_source" {
        Portal = "portal",
        Import = "import",
        Counter = "counter",
        National = "national",
    }
}

impl Source {
    /// The translation key of the source's name, for staff pages.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Portal => "person.source.portal",
            Self::Import => "person.source.import",
            Self::Counter => "person.source.counter",
            Self::National => "person.source.national",
        }
    }

    fn trust(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = people)]
pub struct Person {
    pub id: PersonId,
    pub nik: Nik,
    pub name: String,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub kelurahan_code: Option<String>,
    pub regency_code: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    /// The source of the facts as they stand.
    pub source: Source,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = person_origins)]
pub struct Origin {
    pub source: Source,
    /// The record that named the person, as `kind:id` (`job_seeker:12`, `jkp:3`).
    pub reference: String,
    pub recorded_at: NaiveDateTime,
}

/// What a source says about a person.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub nik: &'a Nik,
    pub name: &'a str,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub kelurahan_code: Option<&'a str>,
    pub regency_code: Option<&'a str>,
    pub email: Option<&'a Email>,
    pub phone: Option<&'a Phone>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub id: PersonId,
    /// The person was not known before.
    pub created: bool,
    /// The facts changed (a more trusted source, or a blank filled in).
    pub updated: bool,
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = people)]
#[diesel(treat_none_as_null = true)]
struct Row<'a> {
    name: &'a str,
    sex: Option<Sex>,
    birth_date: Option<NaiveDate>,
    kelurahan_code: Option<&'a str>,
    regency_code: Option<&'a str>,
    email: Option<&'a Email>,
    phone: Option<&'a Phone>,
    source: Source,
    updated_at: NaiveDateTime,
}

/// The facts that stand after `new` from `source` meets the person as known: a source at
/// least as trusted as the standing one replaces each fact it gives; a less trusted one
/// only fills blanks.
fn merged<'a>(known: &'a Person, new: &Facts<'a>, source: Source, now: NaiveDateTime) -> Row<'a> {
    let wins = source.trust() >= known.source.trust();
    fn pick<T>(wins: bool, new: Option<T>, known: Option<T>) -> Option<T> {
        match (wins, new, known) {
            (true, Some(n), _) | (false, Some(n), None) => Some(n),
            (_, _, k) => k,
        }
    }
    Row {
        name: if wins && !new.name.is_empty() {
            new.name
        } else {
            &known.name
        },
        sex: pick(wins, new.sex, known.sex),
        birth_date: pick(wins, new.birth_date, known.birth_date),
        kelurahan_code: pick(wins, new.kelurahan_code, known.kelurahan_code.as_deref()),
        regency_code: pick(wins, new.regency_code, known.regency_code.as_deref()),
        email: pick(wins, new.email, known.email.as_ref()),
        phone: pick(wins, new.phone, known.phone.as_ref()),
        source: if wins { source } else { known.source },
        updated_at: now,
    }
}

fn unchanged(known: &Person, row: &Row) -> bool {
    known.name == row.name
        && known.sex == row.sex
        && known.birth_date == row.birth_date
        && known.kelurahan_code.as_deref() == row.kelurahan_code
        && known.regency_code.as_deref() == row.regency_code
        && known.email.as_ref() == row.email
        && known.phone.as_ref() == row.phone
        && known.source == row.source
}

/// Records what `source` says about the person with this NIK, for the record named by
/// `reference`: creates the person if the NIK is new, merges the facts by trust otherwise,
/// and notes the origin once. Saying the same thing again changes nothing.
pub fn record(
    conn: &mut DbConnection,
    facts: &Facts,
    source: Source,
    reference: &str,
    now: NaiveDateTime,
) -> QueryResult<Recorded> {
    crate::db::transaction(conn, |conn| {
        record_within(conn, facts, source, reference, now)
    })
}

/// [`record`] inside a transaction the caller holds (a bulk import's, where a savepoint per
/// row would double the round trips).
pub fn record_within(
    conn: &mut DbConnection,
    facts: &Facts,
    source: Source,
    reference: &str,
    now: NaiveDateTime,
) -> QueryResult<Recorded> {
    let (id, created, updated) = match by_nik(conn, facts.nik)? {
        None => {
            let row = Row {
                name: facts.name,
                sex: facts.sex,
                birth_date: facts.birth_date,
                kelurahan_code: facts.kelurahan_code,
                regency_code: facts.regency_code,
                email: facts.email,
                phone: facts.phone,
                source,
                updated_at: now,
            };
            let id = diesel::insert_into(people::table)
                .values((&row, people::nik.eq(facts.nik), people::created_at.eq(now)))
                .returning(people::id)
                .get_result(conn)?;
            (id, true, false)
        }
        Some(known) => {
            let row = merged(&known, facts, source, now);
            let changed = !unchanged(&known, &row);
            if changed {
                diesel::update(people::table.find(known.id))
                    .set(&row)
                    .execute(conn)?;
            }
            (known.id, false, changed)
        }
    };
    if created {
        // A person made just now has no origin yet.
        insert_origin(conn, id, source, reference, now)?;
    } else {
        note_origin(conn, id, source, reference, now)?;
    }
    Ok(Recorded {
        id,
        created,
        updated,
    })
}

fn insert_origin(
    conn: &mut DbConnection,
    id: PersonId,
    source: Source,
    reference: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(person_origins::table)
        .values((
            person_origins::person_id.eq(id),
            person_origins::source.eq(source),
            person_origins::reference.eq(reference),
            person_origins::recorded_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Notes that the record named by `reference` names the person (once), without touching
/// the person's facts: for records that point to a person someone else described.
pub fn note_origin(
    conn: &mut DbConnection,
    id: PersonId,
    source: Source,
    reference: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let noted: i64 = person_origins::table
        .filter(person_origins::person_id.eq(id))
        .filter(person_origins::source.eq(source))
        .filter(person_origins::reference.eq(reference))
        .count()
        .get_result(conn)?;
    if noted == 0 {
        insert_origin(conn, id, source, reference, now)?;
    }
    Ok(())
}

/// The record named by `reference` no longer names the person (it was deleted, or its NIK
/// corrected). A person no record names any more is deleted: the Dinas keeps no one on
/// their own.
pub fn forget_origin(conn: &mut DbConnection, id: PersonId, reference: &str) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        diesel::delete(
            person_origins::table
                .filter(person_origins::person_id.eq(id))
                .filter(person_origins::reference.eq(reference)),
        )
        .execute(conn)?;
        let left: i64 = person_origins::table
            .filter(person_origins::person_id.eq(id))
            .count()
            .get_result(conn)?;
        if left == 0 {
            diesel::delete(people::table.find(id)).execute(conn)?;
        }
        Ok(())
    })
}

pub fn by_nik(conn: &mut DbConnection, nik: &Nik) -> QueryResult<Option<Person>> {
    people::table
        .filter(people::nik.eq(nik))
        .select(Person::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: PersonId) -> QueryResult<Option<Person>> {
    people::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
        .optional()
}

/// The name and NIK of each of these people, for lists.
pub fn names(
    conn: &mut DbConnection,
    ids: &[PersonId],
) -> QueryResult<std::collections::HashMap<PersonId, (String, Nik)>> {
    let rows: Vec<(PersonId, String, Nik)> = people::table
        .filter(people::id.eq_any(ids))
        .select((people::id, people::name, people::nik))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, nik)| (id, (name, nik)))
        .collect())
}

/// Where the person came from, oldest first.
pub fn origins(conn: &mut DbConnection, id: PersonId) -> QueryResult<Vec<Origin>> {
    person_origins::table
        .filter(person_origins::person_id.eq(id))
        .order((person_origins::recorded_at, person_origins::id))
        .select(Origin::as_select())
        .load(conn)
}

/// The sex and kelurahan these people have on the register now, for counts by sex and
/// place (the staff dashboard).
pub fn sex_and_kelurahan(
    conn: &mut DbConnection,
    ids: &[PersonId],
) -> QueryResult<std::collections::HashMap<PersonId, SexAndKelurahan>> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(5000) {
        let rows: Vec<(PersonId, Option<Sex>, Option<String>)> = people::table
            .filter(people::id.eq_any(chunk))
            .select((people::id, people::sex, people::kelurahan_code))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(id, sex, place)| (id, (sex, place))));
    }
    Ok(out)
}

/// A person's sex and kelurahan code, as the exports group them.
pub type SexAndKelurahan = (Option<Sex>, Option<String>);
