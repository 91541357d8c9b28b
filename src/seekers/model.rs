//! Job-seeker profiles.

use crate::domain::ids::{JobSeekerId, JobTitleId, UserId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::forms::ValidProfile;
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::{Nik, Rupiah, Sex};
use crate::schema::job_seekers;

choice!(
    MaritalStatus in "ref_marital_status" personal {
        Single => "single", "seeker.marital.single",
        Married => "married", "seeker.marital.married",
        Divorced => "divorced", "seeker.marital.divorced",
        Widowed => "widowed", "seeker.marital.widowed",
    }
);

choice!(
    /// The six religions recognised in Indonesian civil registration, and "other" for the
    /// believers (penghayat kepercayaan) the Constitutional Court added in 2017.
    Religion in "ref_religion" personal {
        Islam => "islam", "seeker.religion.islam",
        Protestant => "protestant", "seeker.religion.protestant",
        Catholic => "catholic", "seeker.religion.catholic",
        Hindu => "hindu", "seeker.religion.hindu",
        Buddhist => "buddhist", "seeker.religion.buddhist",
        Confucian => "confucian", "seeker.religion.confucian",
        Other => "other", "seeker.religion.other",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_seekers)]
pub struct Profile {
    pub id: JobSeekerId,
    pub user_id: UserId,
    pub nik: Option<Nik>,
    /// A NIK the resident typed that another profile holds, until the counter checks it
    /// against the KTP.
    pub nik_claim: Option<Nik>,
    pub sex: Option<Sex>,
    pub birth_place: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub marital_status: Option<MaritalStatus>,
    pub religion: Option<Religion>,
    pub address: Option<String>,
    pub kelurahan_code: Option<String>,
    pub regency_code: Option<String>,
    pub education_level: Option<i16>,
    pub field_of_study: Option<String>,
    pub skills: String,
    pub desired_job_title_id: Option<JobTitleId>,
    pub desired_wage: Option<Rupiah>,
    pub disability: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cv_file: Option<String>,
    pub cv_name: Option<String>,
    pub cv_size: Option<i32>,
    pub cv_uploaded_at: Option<NaiveDateTime>,
    pub photo_file: Option<String>,
}

pub fn find_by_user(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Option<Profile>> {
    job_seekers::table
        .filter(job_seekers::user_id.eq(user_id))
        .select(Profile::as_select())
        .first(conn)
        .optional()
}

/// Whether the account is a job seeker's: staff pages about a resident answer 404 for any
/// other account.
pub fn is_job_seeker(conn: &mut DbConnection, user_id: UserId) -> QueryResult<bool> {
    Ok(crate::accounts::roles_of(conn, user_id)?.contains(&crate::domain::Role::JobSeeker))
}

/// Keeps a NIK the resident typed that another profile holds, for the counter to check
/// against the KTP (or clears it, with `None`).
pub fn set_nik_claim(
    conn: &mut DbConnection,
    user_id: UserId,
    claim: Option<&Nik>,
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
    user_id: UserId,
    decision: ClaimDecision,
) -> QueryResult<Option<UserId>> {
    crate::db::transaction(conn, |conn| {
        let claim: Option<Nik> = job_seekers::table
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
                .first::<UserId>(conn)
                .optional()?;
            diesel::update(job_seekers::table.filter(job_seekers::nik.eq(&claim)))
                .set(job_seekers::nik.eq(None::<Nik>))
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
    pub seeker_id: JobSeekerId,
    pub contact: crate::accounts::directory::Contact,
    pub sex: Option<Sex>,
    pub education_level: Option<i16>,
}

/// These job seekers, by profile id.
pub fn people(
    conn: &mut DbConnection,
    seeker_ids: &[JobSeekerId],
) -> QueryResult<std::collections::HashMap<JobSeekerId, Person>> {
    let rows: Vec<(JobSeekerId, UserId, Option<Sex>, Option<i16>)> = job_seekers::table
        .filter(job_seekers::id.eq_any(seeker_ids))
        .select((
            job_seekers::id,
            job_seekers::user_id,
            job_seekers::sex,
            job_seekers::education_level,
        ))
        .load(conn)?;
    let user_ids: Vec<UserId> = rows.iter().map(|r| r.1).collect();
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
pub fn person(conn: &mut DbConnection, seeker_id: JobSeekerId) -> QueryResult<Person> {
    people(conn, &[seeker_id])?
        .remove(&seeker_id)
        .ok_or(diesel::result::Error::NotFound)
}

/// The profile, by its own id.
pub fn find(conn: &mut DbConnection, seeker_id: JobSeekerId) -> QueryResult<Option<Profile>> {
    job_seekers::table
        .find(seeker_id)
        .select(Profile::as_select())
        .first(conn)
        .optional()
}

/// Whether another job seeker already registered this NIK.
/// The profile that holds this NIK (a NIK is one profile's at most).
pub fn find_by_nik(conn: &mut DbConnection, nik: &Nik) -> QueryResult<Option<Profile>> {
    job_seekers::table
        .filter(job_seekers::nik.eq(nik))
        .select(Profile::as_select())
        .first(conn)
        .optional()
}

pub fn nik_taken_by_other(
    conn: &mut DbConnection,
    nik: &Nik,
    user_id: UserId,
) -> QueryResult<bool> {
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
    nik: Option<&'a Nik>,
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
    desired_job_title_id: Option<JobTitleId>,
    desired_wage: Option<Rupiah>,
    disability: Option<&'a str>,
    updated_at: NaiveDateTime,
}

/// Saves the profile (creating it the first time) and the name and phone on the account.
pub fn save(conn: &mut DbConnection, user_id: UserId, p: &ValidProfile) -> QueryResult<()> {
    let now = chrono::Utc::now().naive_utc();
    let fields = Fields {
        nik: p.nik.as_ref(),
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
    crate::db::transaction(conn, |conn| {
        crate::accounts::directory::set_name_and_phone(
            conn,
            user_id,
            &p.full_name,
            p.phone.as_ref(),
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

/// Drops the profile's NIK (the counter found the KTP shows another).
pub fn clear_nik(conn: &mut DbConnection, seeker: JobSeekerId) -> QueryResult<()> {
    diesel::update(job_seekers::table.find(seeker))
        .set(job_seekers::nik.eq(None::<Nik>))
        .execute(conn)
        .map(|_| ())
}

/// The sex and kelurahan on these job seekers' profiles now, for counts by sex and place
/// (the staff dashboard).
pub fn sex_and_kelurahan(
    conn: &mut DbConnection,
    ids: &[JobSeekerId],
) -> QueryResult<std::collections::HashMap<JobSeekerId, SexAndKelurahan>> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(5000) {
        let rows: Vec<(JobSeekerId, Option<Sex>, Option<String>)> = job_seekers::table
            .filter(job_seekers::id.eq_any(chunk))
            .select((
                job_seekers::id,
                job_seekers::sex,
                job_seekers::kelurahan_code,
            ))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(id, sex, place)| (id, (sex, place))));
    }
    Ok(out)
}

/// A person's sex and kelurahan code, as the exports group them.
pub type SexAndKelurahan = (Option<Sex>, Option<String>);
