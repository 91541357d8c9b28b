//! A person as the exports show them (employed residents, JKP recipients): the columns, the
//! page's people read at once, and the cells.

use std::collections::HashMap;

use diesel::prelude::*;

use super::Person;
use crate::db::DbConnection;
use crate::domain::Sex;
use crate::domain::ids::PersonId;
use crate::exports::dataset::{Column, Mask, Rows, col, keep, place};
use crate::schema::people;

/// Written by [`cells`], followed by the person's place (`exports::dataset::PLACE`).
pub const PERSON: &[Column] = &[
    col("nik", Mask::Nik),
    col("nama", Mask::Omit),
    keep("jenis_kelamin"),
    col("tanggal_lahir", Mask::Year),
];

/// Contacts, for the data sets whose follow-up needs them (JKP): written by [`contact`].
pub const CONTACT: &[Column] = &[col("surel", Mask::Omit), col("telepon", Mask::Omit)];

/// These people, by id.
pub fn many(conn: &mut DbConnection, ids: &[PersonId]) -> QueryResult<HashMap<PersonId, Person>> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let rows: Vec<Person> = people::table
        .filter(people::id.eq_any(&unique))
        .select(Person::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// The cells of [`PERSON`] and `PLACE` (empty ones for a person no longer known).
/// Where each person's facts come from (`people.source`), by id.
pub fn sources(
    conn: &mut DbConnection,
    ids: &[PersonId],
) -> QueryResult<HashMap<PersonId, super::Source>> {
    let rows: Vec<(PersonId, super::Source)> = crate::by_ids!(conn, people::id, ids, |in_ids| {
        people::table
            .filter(in_ids)
            .select((people::id, people::source))
    })?;
    Ok(rows.into_iter().collect())
}

pub fn cells(out: &mut dyn Rows, person: Option<&Person>) {
    out.cell(person.map(|p| p.nik.as_str()).into());
    out.cell(person.map(|p| p.name.as_str()).into());
    out.cell(person.and_then(|p| p.sex).map(Sex::code).into());
    out.cell(person.and_then(|p| p.birth_date).into());
    place(
        out,
        person.and_then(|p| p.kelurahan_code.as_deref()),
        person.and_then(|p| p.regency_code.as_deref()),
    );
}

/// The cells of [`CONTACT`].
pub fn contact(out: &mut dyn Rows, person: Option<&Person>) {
    out.cell(
        person
            .and_then(|p| p.email.as_ref())
            .map(|e| e.as_str())
            .into(),
    );
    out.cell(
        person
            .and_then(|p| p.phone.as_ref())
            .map(|p| p.as_str())
            .into(),
    );
}
