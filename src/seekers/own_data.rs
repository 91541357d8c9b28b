//! The seeker's rights under UU 27/2022 (PDP): a copy of everything SIBUSER holds about
//! them, as JSON, and deletion of the account. Deletion anonymises the person and keeps
//! what the labour statistics count: the card and application histories, placements, and
//! the profile's sex, birth year, education, kelurahan and job sought.

use crate::domain::ids::{Ak1CardId, UserId};
use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::ak1::model::{self as cards, Step};
use super::files::{CV, PHOTO};
use crate::accounts::login_throttle::{self, CurrentPassword};
use crate::accounts::own_data::{ERASED_NAME, name_to_erase};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::personal_data::Subject;
use crate::schema::{
    job_seeker_education, job_seeker_experience, job_seeker_languages, job_seeker_training,
    job_seekers,
};
use crate::web::auth::{JobSeeker, Require};
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self as web_session, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

/// The word the seeker types to confirm; deleting cannot be undone.
const CONFIRM_WORD: &str = "HAPUS";

#[derive(Deserialize, Default)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    konfirmasi: String,
}

#[derive(Template)]
#[template(path = "seekers/own_data.html")]
struct DataPage {
    ctx: PageCtx,
    errors: FieldErrors,
    konfirmasi: String,
}

pub async fn page(ctx: PageCtx, _seeker: Require<JobSeeker>) -> Result<HttpResponse, AppError> {
    render(
        &DataPage {
            ctx,
            errors: FieldErrors::default(),
            konfirmasi: String::new(),
        },
        StatusCode::OK,
    )
}

type EducationRow = (i16, String, Option<String>, i16, Option<String>);

/// Everything held about the user: every module's part, composed by `personal_data`.
pub fn everything(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Value> {
    crate::personal_data::export(conn, user_id)
}

/// The profile, its rows and the AK/I cards with their histories, as the database has them.
pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let user_id = subject.user;
    let Some(p) = super::find_by_user(conn, user_id)? else {
        return Ok(Vec::new());
    };
    let education: Vec<EducationRow> = job_seeker_education::table
        .filter(job_seeker_education::job_seeker_id.eq(p.id))
        .select((
            job_seeker_education::level,
            job_seeker_education::institution,
            job_seeker_education::field_of_study,
            job_seeker_education::year_completed,
            job_seeker_education::grade,
        ))
        .load(conn)?;
    let training: Vec<(String, String, i16, Option<String>)> = job_seeker_training::table
        .filter(job_seeker_training::job_seeker_id.eq(p.id))
        .select((
            job_seeker_training::name,
            job_seeker_training::provider,
            job_seeker_training::year,
            job_seeker_training::certificate,
        ))
        .load(conn)?;
    let experience: Vec<(String, String, i16, Option<i16>)> = job_seeker_experience::table
        .filter(job_seeker_experience::job_seeker_id.eq(p.id))
        .select((
            job_seeker_experience::employer,
            job_seeker_experience::position,
            job_seeker_experience::year_from,
            job_seeker_experience::year_to,
        ))
        .load(conn)?;
    let languages: Vec<(String, String)> = job_seeker_languages::table
        .filter(job_seeker_languages::job_seeker_id.eq(p.id))
        .select((job_seeker_languages::language, job_seeker_languages::level))
        .load(conn)?;
    let person = match super::person_link::person_of(conn, p.id)? {
        Some(id) => crate::people::find(conn, id)?.map(|person| (person, id)),
        None => None,
    };
    let person = match person {
        Some((person, id)) => json!({
            "person": person,
            "origins": crate::people::origins(conn, id)?,
        }),
        None => Value::Null,
    };
    let card_rows = cards::cards_of(conn, p.id)?;
    let ids: Vec<Ak1CardId> = card_rows.iter().map(|c| c.id).collect();
    let card_events = cards::events_of(conn, &ids)?;
    let ak1: Vec<Value> = card_rows
        .iter()
        .map(|c| {
            json!({
                "number": c.number,
                "status": c.status,
                "requested_at": c.requested_at,
                "issued_on": c.issued_on,
                "valid_until": c.valid_until,
                "next_report_due": c.next_report_due,
                "reports_made": c.reports_made,
                "ended_on": c.ended_on,
                "note": c.end_note,
                // Oldest first, as a history reads.
                "events": card_events.iter().rev().filter(|e| e.card_id == c.id).map(|e| json!({
                    "kind": e.kind, "on": e.occurred_on, "note": e.note,
                    "by_staff": e.actor_user_id.is_some(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(vec![
        (
            "profile",
            json!({
                "nik": p.nik, "sex": p.sex, "birth_place": p.birth_place, "birth_date": p.birth_date,
                "marital_status": p.marital_status, "religion": p.religion, "address": p.address,
                "kelurahan_code": p.kelurahan_code, "regency_code": p.regency_code,
                "education_level": p.education_level, "field_of_study": p.field_of_study,
                "skills": p.skills, "desired_job_title_id": p.desired_job_title_id,
                "desired_wage": p.desired_wage, "disability": p.disability,
                "cv": p.cv_name.as_ref().map(|n| json!({
                    "name": n, "size": p.cv_size, "uploaded_at": p.cv_uploaded_at,
                    "download": "/pencaker/cv",
                })),
                "photo": p.photo_file.as_ref().map(|_| "/pencaker/foto"),
                "created_at": p.created_at, "updated_at": p.updated_at,
            }),
        ),
        (
            "education",
            education.iter().map(|e| json!({
                "level": e.0, "institution": e.1, "field_of_study": e.2, "year": e.3, "grade": e.4,
            })).collect(),
        ),
        (
            "training",
            training.iter().map(|t| json!({
                "name": t.0, "provider": t.1, "year": t.2, "certificate": t.3,
            })).collect(),
        ),
        (
            "experience",
            experience.iter().map(|x| json!({
                "employer": x.0, "position": x.1, "from": x.2, "to": x.3,
            })).collect(),
        ),
        (
            "languages",
            languages.iter().map(|l| json!({ "language": l.0, "level": l.1 })).collect(),
        ),
        ("ak1_cards", Value::Array(ak1)),
        // The person record the profile is linked to, with where the Dinas knows them from.
        ("person", person),
    ])
}

pub async fn export(
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let data = state.db(move |conn| Ok(everything(conn, user_id)?)).await?;
    let body = serde_json::to_vec_pretty(&data).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"data-saya-sibuser.json\"",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body))
}
/// Anonymises the account in one transaction (every module's part, composed by
/// `personal_data`); returns the files to remove afterwards.
pub fn anonymise(
    conn: &mut DbConnection,
    user_id: UserId,
    today: NaiveDate,
) -> QueryResult<(Option<String>, Option<String>)> {
    crate::db::transaction(conn, |conn| {
        let files =
            super::find_by_user(conn, user_id)?.map_or((None, None), |p| (p.cv_file, p.photo_file));
        crate::personal_data::anonymise(conn, user_id, today)?;
        Ok(files)
    })
}

/// The register keeps the profile's row and what the statistics count: sex, birth year
/// (mid-year, so the age group is right within a year), education, kelurahan, the job
/// sought. An open card leaves the register, dated today; the person's name goes from the
/// notes staff wrote on their cards.
pub fn anonymise_for(
    conn: &mut DbConnection,
    subject: &Subject,
    today: NaiveDate,
) -> QueryResult<()> {
    let user_id = subject.user;
    let Some(p) = super::find_by_user(conn, user_id)? else {
        return Ok(());
    };
    if let Some(card) = cards::cards_of(conn, p.id)?
        .into_iter()
        .find(|c| c.status().is_open())
    {
        let step = Step {
            on: today,
            actor: None,
            note: Some("Akun dihapus atas permintaan pemegang kartu."),
        };
        match cards::withdraw(conn, card.id, step) {
            Ok(()) | Err(cards::StepError::Refused(_)) => {}
            Err(cards::StepError::Db(e)) => return Err(e),
        }
    }
    if let Some(name) = name_to_erase(conn, user_id)? {
        cards::erase_name(conn, p.id, &name, ERASED_NAME)?;
    }
    diesel::delete(
        job_seeker_education::table.filter(job_seeker_education::job_seeker_id.eq(p.id)),
    )
    .execute(conn)?;
    diesel::delete(job_seeker_training::table.filter(job_seeker_training::job_seeker_id.eq(p.id)))
        .execute(conn)?;
    diesel::delete(
        job_seeker_experience::table.filter(job_seeker_experience::job_seeker_id.eq(p.id)),
    )
    .execute(conn)?;
    diesel::delete(
        job_seeker_languages::table.filter(job_seeker_languages::job_seeker_id.eq(p.id)),
    )
    .execute(conn)?;
    super::person_link::forget(conn, p.id)?;
    let birth = p
        .birth_date
        .and_then(|d| NaiveDate::from_ymd_opt(d.year(), 7, 1));
    diesel::update(job_seekers::table.find(p.id))
        .set((
            job_seekers::nik.eq(None::<String>),
            job_seekers::birth_place.eq(None::<String>),
            job_seekers::birth_date.eq(birth),
            job_seekers::marital_status.eq(None::<String>),
            job_seekers::religion.eq(None::<String>),
            job_seekers::address.eq(None::<String>),
            job_seekers::field_of_study.eq(None::<String>),
            job_seekers::skills.eq(""),
            job_seekers::desired_wage.eq(None::<i64>),
            job_seekers::disability.eq(None::<String>),
            job_seekers::cv_file.eq(None::<String>),
            job_seekers::cv_name.eq(None::<String>),
            job_seekers::cv_size.eq(None::<i32>),
            job_seekers::cv_uploaded_at.eq(None::<chrono::NaiveDateTime>),
            job_seekers::photo_file.eq(None::<String>),
            job_seekers::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub async fn delete(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let user_id = seeker.user.id;
    let (password, address) = (form.password.clone(), meta.address.clone());
    // Behind the login throttle: a session left open must not let anyone guess the
    // password that deleting the account asks for.
    let checked = state
        .db(move |conn| {
            Ok(login_throttle::check_current_password(
                conn, user_id, &password, &address,
            )?)
        })
        .await?;
    let mut errors = FieldErrors::default();
    match checked {
        // This page words a wrong password its own way.
        CurrentPassword::Wrong => errors.add("password", "own_data.error.password"),
        other => {
            if let Some(key) = other.error_key() {
                errors.add("password", key);
            }
        }
    }
    if form.konfirmasi.trim() != CONFIRM_WORD {
        errors.add("konfirmasi", "own_data.error.confirm");
    }
    if !errors.is_empty() {
        return render(
            &DataPage {
                ctx,
                errors,
                konfirmasi: form.konfirmasi,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let today = crate::domain::calendar::today();
    let (cv, photo) = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let files = anonymise(conn, user_id, today)?;
                audit::record(
                    conn,
                    Entry::new(actions::USER_DELETED)
                        .actor(user_id)
                        .subject("user", user_id)
                        .client(&meta),
                )?;
                Ok::<_, AppError>(files)
            })
        })
        .await?;
    CV.remove(&state, cv).await;
    PHOTO.remove(&state, photo).await;
    web_session::sign_out(&session);
    web_session::flash(&session, FlashLevel::Success, "own_data.deleted");
    Ok(redirect("/"))
}
