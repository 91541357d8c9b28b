//! Which person (`people`) a job-seeker profile is: the `job_seeker_people` table.
//!
//! A profile's NIK that no one else named makes a new person, linked at once. A NIK the
//! Dinas already knows from elsewhere (a JKP list, an employer's list, the national side)
//! is linked only once someone checked it is the resident's: an operator with the KTP at
//! the counter. Until then the link waits, unconfirmed, so that typing a stranger's NIK
//! never opens their records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::Profile;
use crate::db::DbConnection;
use crate::domain::ids::{JobSeekerId, PersonId, UserId};
use crate::people::{self, Facts, Source};
use crate::schema::job_seeker_people;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = job_seeker_people)]
pub struct Link {
    pub job_seeker_id: JobSeekerId,
    pub person_id: PersonId,
    pub confirmed: bool,
    pub linked_at: NaiveDateTime,
    pub confirmed_by: Option<UserId>,
}

/// Who is saving the profile: the resident on the portal, an operator who has seen the
/// resident's KTP at the counter, or the data steward importing the Dinas's own register
/// (whose entries the Dinas checked when it made them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedBy {
    Resident,
    Operator(UserId),
    Import(Option<UserId>),
    /// The resident opened the link mailed to the person's address on record while signed
    /// in (`person_check`), or signed up with that very address.
    EmailCheck,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The profile has no NIK, so no person.
    NoNik,
    Linked(PersonId),
    /// The NIK names a person known from elsewhere: the counter must confirm.
    Waiting(PersonId),
}

fn reference(seeker: JobSeekerId) -> String {
    format!("job_seeker:{seeker}")
}

pub fn link_of(conn: &mut DbConnection, seeker: JobSeekerId) -> QueryResult<Option<Link>> {
    job_seeker_people::table
        .find(seeker)
        .select(Link::as_select())
        .first(conn)
        .optional()
}

/// The confirmed person of a profile.
pub fn person_of(conn: &mut DbConnection, seeker: JobSeekerId) -> QueryResult<Option<PersonId>> {
    Ok(link_of(conn, seeker)?
        .filter(|l| l.confirmed)
        .map(|l| l.person_id))
}

/// The profile linked to this person, if any (confirmed).
pub fn seeker_of(conn: &mut DbConnection, person: PersonId) -> QueryResult<Option<JobSeekerId>> {
    job_seeker_people::table
        .filter(job_seeker_people::person_id.eq(person))
        .filter(job_seeker_people::confirmed.eq(true))
        .select(job_seeker_people::job_seeker_id)
        .first(conn)
        .optional()
}

fn unlink(conn: &mut DbConnection, link: &Link) -> QueryResult<()> {
    diesel::delete(job_seeker_people::table.find(link.job_seeker_id)).execute(conn)?;
    if link.confirmed {
        people::forget_origin(conn, link.person_id, &reference(link.job_seeker_id))?;
    }
    Ok(())
}

/// The profile's facts, as the person's.
fn facts<'a>(p: &'a Profile, nik: &'a crate::domain::Nik, name: &'a str) -> Facts<'a> {
    Facts {
        nik,
        name,
        sex: p.sex,
        birth_date: p.birth_date,
        kelurahan_code: p.kelurahan_code.as_deref(),
        regency_code: p.regency_code.as_deref(),
        email: None,
        phone: None,
    }
}

/// Brings the profile's link in line with its NIK after a save: called in the save's
/// transaction. `name` is the account's full name.
pub fn sync(
    conn: &mut DbConnection,
    profile: &Profile,
    name: &str,
    by: SavedBy,
    now: NaiveDateTime,
) -> QueryResult<Outcome> {
    let current = link_of(conn, profile.id)?;
    let Some(nik) = profile.nik.as_ref() else {
        if let Some(link) = current {
            unlink(conn, &link)?;
        }
        return Ok(Outcome::NoNik);
    };
    let source = match by {
        SavedBy::Resident => Source::Portal,
        SavedBy::Operator(_) => Source::Counter,
        SavedBy::Import(_) => Source::Import,
        SavedBy::EmailCheck => Source::Portal,
    };
    let known = people::by_nik(conn, nik)?;
    let mut waiting = false;
    if let Some(link) = current {
        let same = known.as_ref().is_some_and(|p| p.id == link.person_id);
        waiting = same && !link.confirmed;
        if !same {
            unlink(conn, &link)?;
        } else if link.confirmed {
            people::record(
                conn,
                &facts(profile, nik, name),
                source,
                &reference(profile.id),
                now,
            )?;
            return Ok(Outcome::Linked(link.person_id));
        }
    }
    if let (Some(person), SavedBy::Resident) = (&known, by) {
        if waiting {
            return Ok(Outcome::Waiting(person.id));
        }
        diesel::insert_into(job_seeker_people::table)
            .values((
                job_seeker_people::job_seeker_id.eq(profile.id),
                job_seeker_people::person_id.eq(person.id),
                job_seeker_people::confirmed.eq(false),
                job_seeker_people::linked_at.eq(now),
            ))
            .execute(conn)?;
        return Ok(Outcome::Waiting(person.id));
    }
    let recorded = people::record(
        conn,
        &facts(profile, nik, name),
        source,
        &reference(profile.id),
        now,
    )?;
    // A person is one profile: a confirmed link elsewhere (a NIK moved by a settled claim)
    // gives way to this one.
    if let Some(other) = seeker_of(conn, recorded.id)?.filter(|s| *s != profile.id)
        && let Some(old) = link_of(conn, other)?
    {
        unlink(conn, &old)?;
    }
    let confirmed_by = match by {
        SavedBy::Operator(id) => Some(id),
        SavedBy::Import(id) => id,
        SavedBy::Resident | SavedBy::EmailCheck => None,
    };
    diesel::delete(job_seeker_people::table.find(profile.id)).execute(conn)?;
    diesel::insert_into(job_seeker_people::table)
        .values((
            job_seeker_people::job_seeker_id.eq(profile.id),
            job_seeker_people::person_id.eq(recorded.id),
            job_seeker_people::confirmed.eq(true),
            job_seeker_people::linked_at.eq(now),
            job_seeker_people::confirmed_by.eq(confirmed_by),
        ))
        .execute(conn)?;
    Ok(Outcome::Linked(recorded.id))
}

/// Drops the profile's link (its account is being erased). The person stays while another
/// record names them.
pub fn forget(conn: &mut DbConnection, seeker: JobSeekerId) -> QueryResult<()> {
    match link_of(conn, seeker)? {
        Some(link) => unlink(conn, &link),
        None => Ok(()),
    }
}

/// [`sync`] for the account's profile as it is stored, with the account's name: after the
/// counter moved a NIK from one profile to another.
pub fn resync(conn: &mut DbConnection, user_id: UserId, by: SavedBy) -> QueryResult<Outcome> {
    let Some(profile) = super::model::find_by_user(conn, user_id)? else {
        return Ok(Outcome::NoNik);
    };
    let name = crate::accounts::directory::contact(conn, user_id)?.full_name;
    sync(conn, &profile, &name, by, chrono::Utc::now().naive_utc())
}

/// The person the profile's NIK names while the link waits for the counter.
pub fn waiting_for(conn: &mut DbConnection, seeker: JobSeekerId) -> QueryResult<Option<PersonId>> {
    Ok(link_of(conn, seeker)?
        .filter(|l| !l.confirmed)
        .map(|l| l.person_id))
}

/// The counter's decision on a waiting link, after seeing the resident's KTP: if it
/// matches, the profile is that person (and the operator's check makes the profile's facts
/// counter-checked); if not, the link and the NIK the resident typed are dropped, and the
/// resident enters the NIK on the KTP. Returns false when nothing was waiting.
pub fn settle(
    conn: &mut DbConnection,
    user_id: UserId,
    ktp_matches: bool,
    operator: UserId,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let Some(profile) = super::model::find_by_user(conn, user_id)? else {
            return Ok(false);
        };
        if waiting_for(conn, profile.id)?.is_none() {
            return Ok(false);
        }
        if ktp_matches {
            resync(conn, user_id, SavedBy::Operator(operator))?;
        } else {
            diesel::delete(job_seeker_people::table.find(profile.id)).execute(conn)?;
            super::model::clear_nik(conn, profile.id)?;
        }
        Ok(true)
    })
}
