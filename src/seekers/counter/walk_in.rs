//! A resident who comes to a job fair without a ticket (issue 20) is registered at the door
//! by NIK: a resident the portal knows by that NIK is found; anyone else gets an account
//! without e-mail and a short profile (name, phone, NIK, birth date, sex from the NIK,
//! education), as the counter makes one, with the KTP in the operator's hand. They can
//! finish the profile, or add an e-mail address, at the counter later.

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::accounts::{NewUser, directory};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::ids::{JobSeekerId, UserId};
use crate::domain::{Nik, Phone, Role};
use crate::seekers::forms::ValidProfile;
use crate::seekers::model;
use crate::seekers::person_link::{self, SavedBy};
use crate::web::respond::RequestMeta;

/// What the operator typed at the door, checked.
pub struct WalkIn {
    pub full_name: String,
    pub phone: Phone,
    pub nik: Nik,
    pub birth_date: NaiveDate,
    pub education_level: i16,
}

/// The profile that holds this NIK, if any.
pub fn known(conn: &mut DbConnection, nik: &Nik) -> QueryResult<Option<JobSeekerId>> {
    model::find_by_nik(conn, nik).map(|p| p.map(|p| p.id))
}

/// Registers the walk-in: an account without e-mail and the short profile, linked to the
/// person the NIK names (the operator saw the KTP). `Err` names the field whose value
/// belongs to someone else already. Called inside a transaction.
pub fn register(
    conn: &mut DbConnection,
    w: &WalkIn,
    operator: UserId,
    meta: &RequestMeta,
) -> QueryResult<Result<JobSeekerId, (&'static str, &'static str)>> {
    if directory::phone_taken_by_job_seeker(conn, &w.phone)? {
        return Ok(Err(("phone", "counter.error.phone_taken")));
    }
    let user = crate::accounts::create_user(
        conn,
        &NewUser::without_email(&w.full_name, &w.phone, &[Role::JobSeeker]),
    )?;
    let profile = ValidProfile {
        full_name: w.full_name.clone(),
        phone: Some(w.phone.clone()),
        nik: Some(w.nik.clone()),
        sex: Some(w.nik.sex().code()),
        birth_place: None,
        birth_date: Some(w.birth_date),
        marital_status: None,
        religion: None,
        address: None,
        kelurahan_code: None,
        regency_code: None,
        education_level: Some(w.education_level),
        field_of_study: None,
        skills: String::new(),
        desired_job_title_id: None,
        desired_wage: None,
        disability: None,
    };
    model::save(conn, user, &profile)?;
    let saved = model::find_by_user(conn, user)?.ok_or(diesel::result::Error::NotFound)?;
    let now = chrono::Utc::now().naive_utc();
    person_link::sync(conn, &saved, &w.full_name, SavedBy::Operator(operator), now)?;
    audit::record(
        conn,
        Entry::new(actions::SEEKER_REGISTERED_AT_COUNTER)
            .actor(operator)
            .subject("user", user)
            .detail(serde_json::json!({ "at": "job_fair_door" }))
            .client(meta),
    )?;
    Ok(Ok(saved.id))
}
