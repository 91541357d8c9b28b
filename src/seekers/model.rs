//! Job-seeker profiles.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::forms::ValidProfile;
use crate::db::DbConnection;
use crate::schema::job_seekers;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaritalStatus {
    Single,
    Married,
    Divorced,
    Widowed,
}

impl MaritalStatus {
    pub const ALL: [MaritalStatus; 4] =
        [Self::Single, Self::Married, Self::Divorced, Self::Widowed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Married => "married",
            Self::Divorced => "divorced",
            Self::Widowed => "widowed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Single => "seeker.marital.single",
            Self::Married => "seeker.marital.married",
            Self::Divorced => "seeker.marital.divorced",
            Self::Widowed => "seeker.marital.widowed",
        }
    }
}

/// The six religions recognised in Indonesian civil registration, and "other" for the
/// believers (penghayat kepercayaan) the Constitutional Court added in 2017.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Religion {
    Islam,
    Protestant,
    Catholic,
    Hindu,
    Buddhist,
    Confucian,
    Other,
}

impl Religion {
    pub const ALL: [Religion; 7] = [
        Self::Islam,
        Self::Protestant,
        Self::Catholic,
        Self::Hindu,
        Self::Buddhist,
        Self::Confucian,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Islam => "islam",
            Self::Protestant => "protestant",
            Self::Catholic => "catholic",
            Self::Hindu => "hindu",
            Self::Buddhist => "buddhist",
            Self::Confucian => "confucian",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Islam => "seeker.religion.islam",
            Self::Protestant => "seeker.religion.protestant",
            Self::Catholic => "seeker.religion.catholic",
            Self::Hindu => "seeker.religion.hindu",
            Self::Buddhist => "seeker.religion.buddhist",
            Self::Confucian => "seeker.religion.confucian",
            Self::Other => "seeker.religion.other",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_seekers)]
pub struct Profile {
    pub id: i32,
    pub user_id: i32,
    pub nik: Option<String>,
    /// A NIK the resident typed that another profile holds, until the counter checks it
    /// against the KTP.
    pub nik_claim: Option<String>,
    pub sex: Option<String>,
    pub birth_place: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub marital_status: Option<String>,
    pub religion: Option<String>,
    pub address: Option<String>,
    pub kelurahan_code: Option<String>,
    pub regency_code: Option<String>,
    pub education_level: Option<i16>,
    pub field_of_study: Option<String>,
    pub skills: String,
    pub desired_job_title_id: Option<i32>,
    pub desired_wage: Option<i64>,
    pub disability: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cv_file: Option<String>,
    pub cv_name: Option<String>,
    pub cv_size: Option<i32>,
    pub cv_uploaded_at: Option<NaiveDateTime>,
    pub photo_file: Option<String>,
}

pub fn find_by_user(conn: &mut DbConnection, user_id: i32) -> QueryResult<Option<Profile>> {
    job_seekers::table
        .filter(job_seekers::user_id.eq(user_id))
        .select(Profile::as_select())
        .first(conn)
        .optional()
}

/// Whether the account is a job seeker's: staff pages about a resident answer 404 for any
/// other account.
pub fn is_job_seeker(conn: &mut DbConnection, user_id: i32) -> QueryResult<bool> {
    Ok(crate::accounts::roles_of(conn, user_id)?.contains(&crate::domain::Role::JobSeeker))
}

/// Keeps a NIK the resident typed that another profile holds, for the counter to check
/// against the KTP (or clears it, with `None`).
pub fn set_nik_claim(
    conn: &mut DbConnection,
    user_id: i32,
    claim: Option<&str>,
) -> QueryResult<()> {
    diesel::update(job_seekers::table.filter(job_seekers::user_id.eq(user_id)))
        .set(job_seekers::nik_claim.eq(claim))
        .execute(conn)
        .map(|_| ())
}

/// The counter's decision on a claimed NIK, after seeing the claimant's KTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimDecision {
    /// The KTP is the claimant's: the NIK moves to this profile, off the other one.
    KtpMatches,
    /// It is not: the claim is dropped and the resident corrects the NIK.
    KtpDiffers,
}

/// Settles a claimed NIK. Returns the user whose profile lost the NIK, if one did, so the
/// caller can log it; `None` too when there was no claim to settle.
pub fn settle_nik_claim(
    conn: &mut DbConnection,
    user_id: i32,
    decision: ClaimDecision,
) -> QueryResult<Option<i32>> {
    conn.transaction(|conn| {
        let claim: Option<String> = job_seekers::table
            .filter(job_seekers::user_id.eq(user_id))
            .select(job_seekers::nik_claim)
            .first(conn)?;
        let Some(claim) = claim else {
            return Ok(None);
        };
        let mut loser = None;
        if decision == ClaimDecision::KtpMatches {
            loser = job_seekers::table
                .filter(job_seekers::nik.eq(&claim))
                .filter(job_seekers::user_id.ne(user_id))
                .select(job_seekers::user_id)
                .first::<i32>(conn)
                .optional()?;
            diesel::update(job_seekers::table.filter(job_seekers::nik.eq(&claim)))
                .set(job_seekers::nik.eq(None::<String>))
                .execute(conn)?;
            diesel::update(job_seekers::table.filter(job_seekers::user_id.eq(user_id)))
                .set(job_seekers::nik.eq(&claim))
                .execute(conn)?;
        }
        set_nik_claim(conn, user_id, None)?;
        Ok(loser)
    })
}

/// A job seeker as other modules show and reach them: the account's contact with the
/// profile's facts that employers and providers see.
#[derive(Debug, Clone)]
pub struct Person {
    pub seeker_id: i32,
    pub contact: crate::accounts::directory::Contact,
    pub sex: Option<String>,
    pub education_level: Option<i16>,
}

/// These job seekers, by profile id.
pub fn people(
    conn: &mut DbConnection,
    seeker_ids: &[i32],
) -> QueryResult<std::collections::HashMap<i32, Person>> {
    let rows: Vec<(i32, i32, Option<String>, Option<i16>)> = job_seekers::table
        .filter(job_seekers::id.eq_any(seeker_ids))
        .select((
            job_seekers::id,
            job_seekers::user_id,
            job_seekers::sex,
            job_seekers::education_level,
        ))
        .load(conn)?;
    let user_ids: Vec<i32> = rows.iter().map(|r| r.1).collect();
    let mut contacts = crate::accounts::directory::contacts(conn, &user_ids)?;
    Ok(rows
        .into_iter()
        .filter_map(|(seeker_id, user_id, sex, education_level)| {
            let contact = contacts.remove(&user_id)?;
            Some((
                seeker_id,
                Person {
                    seeker_id,
                    contact,
                    sex,
                    education_level,
                },
            ))
        })
        .collect())
}

/// One job seeker, by profile id.
pub fn person(conn: &mut DbConnection, seeker_id: i32) -> QueryResult<Person> {
    people(conn, &[seeker_id])?
        .remove(&seeker_id)
        .ok_or(diesel::result::Error::NotFound)
}

/// The profile, by its own id.
pub fn find(conn: &mut DbConnection, seeker_id: i32) -> QueryResult<Option<Profile>> {
    job_seekers::table
        .find(seeker_id)
        .select(Profile::as_select())
        .first(conn)
        .optional()
}

/// Whether another job seeker already registered this NIK.
pub fn nik_taken_by_other(conn: &mut DbConnection, nik: &str, user_id: i32) -> QueryResult<bool> {
    let n: i64 = job_seekers::table
        .filter(job_seekers::nik.eq(nik))
        .filter(job_seekers::user_id.ne(user_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = job_seekers)]
#[diesel(treat_none_as_null = true)]
struct Fields<'a> {
    nik: Option<&'a str>,
    sex: Option<&'a str>,
    birth_place: Option<&'a str>,
    birth_date: Option<NaiveDate>,
    marital_status: Option<&'a str>,
    religion: Option<&'a str>,
    address: Option<&'a str>,
    kelurahan_code: Option<&'a str>,
    regency_code: Option<&'a str>,
    education_level: Option<i16>,
    field_of_study: Option<&'a str>,
    skills: &'a str,
    desired_job_title_id: Option<i32>,
    desired_wage: Option<i64>,
    disability: Option<&'a str>,
    updated_at: NaiveDateTime,
}

/// Saves the profile (creating it the first time) and the name and phone on the account.
pub fn save(conn: &mut DbConnection, user_id: i32, p: &ValidProfile) -> QueryResult<()> {
    let now = chrono::Utc::now().naive_utc();
    let fields = Fields {
        nik: p.nik.as_deref(),
        sex: p.sex,
        birth_place: p.birth_place.as_deref(),
        birth_date: p.birth_date,
        marital_status: p.marital_status,
        religion: p.religion,
        address: p.address.as_deref(),
        kelurahan_code: p.kelurahan_code.as_deref(),
        regency_code: p.regency_code.as_deref(),
        education_level: p.education_level,
        field_of_study: p.field_of_study.as_deref(),
        skills: &p.skills,
        desired_job_title_id: p.desired_job_title_id,
        desired_wage: p.desired_wage,
        disability: p.disability.as_deref(),
        updated_at: now,
    };
    conn.transaction(|conn| {
        crate::accounts::directory::set_name_and_phone(
            conn,
            user_id,
            &p.full_name,
            p.phone.as_deref(),
            now,
        )?;
        let updated = diesel::update(job_seekers::table.filter(job_seekers::user_id.eq(user_id)))
            .set(&fields)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(job_seekers::table)
                .values((
                    &fields,
                    job_seekers::user_id.eq(user_id),
                    job_seekers::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
