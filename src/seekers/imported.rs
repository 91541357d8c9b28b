//! Job seekers from the Dinas's own register (the list kept before the portal): each an
//! account the resident can take over, a profile, the person by NIK, and the AK/I cards
//! issued then, with their own numbers and dates.
//!
//! No mail goes out: a register of thousands would flood the residents' inboxes and the
//! mail throttle. The account has no password and an unconfirmed address; the resident
//! opens it with "Lupa kata sandi", which confirms the address as it sets the password.

use diesel::prelude::*;

use super::ak1::model::{self as ak1, PastCard};
use super::forms::ValidProfile;
use super::person_link::{self, SavedBy};
use crate::accounts::NewUser;
use crate::db::DbConnection;
use crate::domain::ids::{JobSeekerId, UserId};
use crate::domain::{Email, Nik, Role};
use crate::schema::job_seekers;

/// One row of the register: a profile with a NIK, the resident's e-mail, and perhaps a card.
#[derive(Debug, Clone)]
pub struct ImportedSeeker {
    pub email: Email,
    pub nik: Nik,
    pub profile: ValidProfile,
    pub card: Option<PastCard>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new account and profile (and the card, if any).
    Created(JobSeekerId),
    /// The profile was known by its NIK; the card was new.
    CardAdded(JobSeekerId),
    /// The profile and the card (if any) were known: nothing changed.
    Known(JobSeekerId),
}

/// The profile that holds this NIK.
pub fn by_nik(conn: &mut DbConnection, nik: &Nik) -> QueryResult<Option<(JobSeekerId, UserId)>> {
    job_seekers::table
        .filter(job_seekers::nik.eq(nik))
        .select((job_seekers::id, job_seekers::user_id))
        .first(conn)
        .optional()
}

/// Records the row once: a NIK already on a profile keeps that profile as the resident
/// left it (their own entries are newer than an old register) and only gains the card.
/// The caller checked that the e-mail is free or is that profile's account's, and that an
/// active card would be the profile's only open one. `today` is the day of the import.
pub fn record_imported(
    conn: &mut DbConnection,
    row: &ImportedSeeker,
    actor: Option<UserId>,
    today: chrono::NaiveDate,
) -> QueryResult<Outcome> {
    let (seeker, created) = match by_nik(conn, &row.nik)? {
        Some((seeker, _)) => (seeker, false),
        None => {
            let user = crate::accounts::create_user(
                conn,
                &NewUser {
                    phone: row.profile.phone.as_ref(),
                    email_verified: false,
                    ..NewUser::staff(
                        &row.email,
                        &row.profile.full_name,
                        "!invited",
                        &[Role::JobSeeker],
                    )
                },
            )?;
            super::model::save(conn, user, &row.profile)?;
            let profile =
                super::model::find_by_user(conn, user)?.ok_or(diesel::result::Error::NotFound)?;
            person_link::sync(
                conn,
                &profile,
                &row.profile.full_name,
                SavedBy::Import(actor),
                chrono::Utc::now().naive_utc(),
            )?;
            (profile.id, true)
        }
    };
    let card_added = match &row.card {
        Some(card) => ak1::record_past(conn, seeker, card, actor, today)?,
        None => false,
    };
    Ok(match (created, card_added) {
        (true, _) => Outcome::Created(seeker),
        (false, true) => Outcome::CardAdded(seeker),
        (false, false) => Outcome::Known(seeker),
    })
}

/// What checking a register needs to know of the portal, read once per file.
#[derive(Debug, Default)]
pub struct Known {
    /// Every account's e-mail, with the NIK on its job-seeker profile if it has one.
    pub emails: std::collections::HashMap<String, Option<Nik>>,
    /// The NIKs on profiles, with whether the profile has an open card (asked for or
    /// active).
    pub niks: std::collections::HashMap<Nik, bool>,
    /// Every stored card number, with the NIK of its holder's profile (if it has one).
    pub cards: std::collections::HashMap<String, Option<Nik>>,
}

pub fn known(conn: &mut DbConnection) -> QueryResult<Known> {
    use crate::schema::ak1_cards;
    let mut known = Known::default();
    let niks: std::collections::HashMap<UserId, Nik> = job_seekers::table
        .filter(job_seekers::nik.is_not_null())
        .select((job_seekers::user_id, job_seekers::nik.assume_not_null()))
        .load(conn)?
        .into_iter()
        .collect();
    for (user, email) in crate::accounts::directory::all_emails(conn)? {
        known
            .emails
            .insert(email.as_str().to_owned(), niks.get(&user).cloned());
    }
    let cards: Vec<(Option<crate::domain::Ak1Number>, ak1::Status, Option<Nik>)> = ak1_cards::table
        .inner_join(job_seekers::table)
        .select((ak1_cards::number, ak1_cards::status, job_seekers::nik))
        .load(conn)?;
    for nik in niks.into_values() {
        known.niks.insert(nik, false);
    }
    for (number, status, nik) in cards {
        let open = status.is_open();
        if let (true, Some(nik)) = (open, &nik) {
            known.niks.insert(nik.clone(), true);
        }
        if let Some(number) = number {
            known.cards.insert(number.as_str().to_owned(), nik);
        }
    }
    Ok(known)
}

/// A resident who applied on the national job board (Karirhub), as the application
/// forwarded with their consent names them.
#[derive(Debug, Clone)]
pub struct ForwardedApplicant {
    pub email: Email,
    pub profile: ValidProfile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicant {
    /// Their profile here: the account with their e-mail, or the profile with their NIK.
    Known(JobSeekerId),
    /// A new account (no password, the address unconfirmed, opened with "Lupa kata sandi",
    /// as the register's) and a profile of what the application said.
    Created(JobSeekerId),
    /// The e-mail is an account's that is no job seeker's (staff, a company): not theirs
    /// to take over.
    NotASeeker,
}

/// The profile a forwarded application belongs to, made if the resident is new here. A
/// known profile is kept as the resident left it.
pub fn record_forwarded(
    conn: &mut DbConnection,
    who: &ForwardedApplicant,
    now: chrono::NaiveDateTime,
) -> QueryResult<Applicant> {
    if let Some(user) = crate::accounts::find_by_email(conn, &who.email)? {
        if !crate::accounts::roles_of(conn, user.id)?.contains(&Role::JobSeeker) {
            return Ok(Applicant::NotASeeker);
        }
        return Ok(Applicant::Known(super::history::ensure_profile(
            conn, user.id,
        )?));
    }
    if let Some(nik) = &who.profile.nik
        && let Some((seeker, _)) = by_nik(conn, nik)?
    {
        return Ok(Applicant::Known(seeker));
    }
    let user = crate::accounts::create_user(
        conn,
        &NewUser {
            phone: who.profile.phone.as_ref(),
            email_verified: false,
            ..NewUser::staff(
                &who.email,
                &who.profile.full_name,
                "!invited",
                &[Role::JobSeeker],
            )
        },
    )?;
    super::model::save(conn, user, &who.profile)?;
    let profile = super::model::find_by_user(conn, user)?.ok_or(diesel::result::Error::NotFound)?;
    person_link::sync(
        conn,
        &profile,
        &who.profile.full_name,
        SavedBy::Import(None),
        now,
    )?;
    Ok(Applicant::Created(profile.id))
}
