//! The seeker's rights under UU 27/2022 (PDP): a copy of everything SIBUSER holds about
//! them, as JSON, and deletion of the account. Deletion anonymises the person and keeps
//! what the labour statistics count: the card and application histories, placements, and
//! the profile's sex, birth year, education, kelurahan and job sought.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::ak1::model::{self as cards, Step};
use super::files::{CV, PHOTO};
use crate::accounts::login_throttle::{self, CurrentPassword};
use crate::audit::{self, Entry, actions};
use crate::db::{DbConnection, replace};
use crate::schema::{
    ak1_cards, ak1_events, application_events, applications, audit_log, companies, job_alerts,
    job_seeker_education, job_seeker_experience, job_seeker_languages, job_seeker_training,
    job_seekers, mail_outbox, placements, training_enrolment_events, training_enrolments,
    user_tokens, users, vacancies,
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
type ApplicationRow = (i32, String, String, Option<String>, String, NaiveDateTime);
type AlertRow = (String, String, NaiveDateTime, Option<NaiveDateTime>);

/// Everything held about the user, by table, as the database has it.
pub fn everything(conn: &mut DbConnection, user_id: i32) -> QueryResult<Value> {
    let user =
        crate::accounts::find_by_id(conn, user_id)?.ok_or(diesel::result::Error::NotFound)?;
    let roles: Vec<&str> = crate::accounts::roles_of(conn, user_id)?
        .into_iter()
        .map(|r| r.as_str())
        .collect();
    let account = json!({
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "locale": user.locale,
        "roles": roles,
        "created_at": user.created_at,
        "email_verified_at": user.email_verified_at,
        "privacy_consent_at": user.privacy_consent_at,
        "last_login_at": user.last_login_at,
    });
    let Some(p) = super::find_by_user(conn, user_id)? else {
        return Ok(json!({ "account": account, "exported_at": Utc::now().naive_utc() }));
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
    let card_rows = cards::cards_of(conn, p.id)?;
    let ids: Vec<i32> = card_rows.iter().map(|c| c.id).collect();
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
    let apps: Vec<ApplicationRow> = applications::table
        .inner_join(vacancies::table.inner_join(companies::table))
        .filter(applications::job_seeker_id.eq(p.id))
        .select((
            applications::id,
            vacancies::title,
            companies::name,
            applications::note,
            applications::stage,
            applications::applied_at,
        ))
        .load(conn)?;
    let app_ids: Vec<i32> = apps.iter().map(|a| a.0).collect();
    let app_events: Vec<(i32, String, Option<String>, chrono::NaiveDateTime)> =
        application_events::table
            .filter(application_events::application_id.eq_any(&app_ids))
            .order(application_events::id)
            .select((
                application_events::application_id,
                application_events::stage,
                application_events::note,
                application_events::occurred_at,
            ))
            .load(conn)?;
    let applications: Vec<Value> = apps
        .iter()
        .map(|(id, title, company, note, stage, at)| {
            json!({
                "vacancy": title, "company": company, "your_note": note, "stage": stage,
                "applied_at": at,
                "events": app_events.iter().filter(|e| e.0 == *id).map(|e| json!({
                    "stage": e.1, "note": e.2, "at": e.3,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let placed: Vec<(String, String, String, NaiveDate, Option<i64>)> = placements::table
        .filter(placements::job_seeker_id.eq(p.id))
        .select((
            placements::employer_name,
            placements::job_title,
            placements::kind,
            placements::start_date,
            placements::monthly_wage,
        ))
        .load(conn)?;
    let alerts: Vec<AlertRow> = job_alerts::table
        .filter(job_alerts::job_seeker_id.eq(p.id))
        .select((
            job_alerts::query,
            job_alerts::frequency,
            job_alerts::created_at,
            job_alerts::stopped_at,
        ))
        .load(conn)?;
    let training_enrolments = crate::training::enrolment::export_of(conn, p.id)?;
    // Who did what with the person's data: the audit entries about them, actors by kind.
    let audit: Vec<(String, chrono::NaiveDateTime, Option<i32>)> = audit_log::table
        .filter(audit_log::subject_type.eq("user"))
        .filter(audit_log::subject_id.eq(user_id.to_string()))
        .order(audit_log::id)
        .select((
            audit_log::action,
            audit_log::occurred_at,
            audit_log::actor_user_id,
        ))
        .load(conn)?;
    Ok(json!({
        "exported_at": Utc::now().naive_utc(),
        "account": account,
        "profile": {
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
        },
        "education": education.iter().map(|e| json!({
            "level": e.0, "institution": e.1, "field_of_study": e.2, "year": e.3, "grade": e.4,
        })).collect::<Vec<_>>(),
        "training": training.iter().map(|t| json!({
            "name": t.0, "provider": t.1, "year": t.2, "certificate": t.3,
        })).collect::<Vec<_>>(),
        "experience": experience.iter().map(|x| json!({
            "employer": x.0, "position": x.1, "from": x.2, "to": x.3,
        })).collect::<Vec<_>>(),
        "languages": languages.iter().map(|l| json!({ "language": l.0, "level": l.1 })).collect::<Vec<_>>(),
        "ak1_cards": ak1,
        "applications": applications,
        "placements": placed.iter().map(|p| json!({
            "employer": p.0, "job_title": p.1, "kind": p.2, "start_date": p.3, "monthly_wage": p.4,
        })).collect::<Vec<_>>(),
        "training_enrolments": training_enrolments,
        "job_alerts": alerts.iter().map(|a| json!({
            "search": a.0, "frequency": a.1, "created_at": a.2, "stopped_at": a.3,
        })).collect::<Vec<_>>(),
        "audit_log": audit.iter().map(|a| json!({
            "action": a.0, "at": a.1,
            "by": match a.2 { Some(id) if id == user_id => "you", Some(_) => "other", None => "system" },
        })).collect::<Vec<_>>(),
    }))
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
/// Anonymises the account in one transaction; returns the files to remove afterwards.
pub fn anonymise(
    conn: &mut DbConnection,
    user_id: i32,
    today: NaiveDate,
) -> QueryResult<(Option<String>, Option<String>)> {
    conn.transaction(|conn| {
        let now = Utc::now().naive_utc();
        let profile = super::find_by_user(conn, user_id)?;
        let mut files = (None, None);
        if let Some(p) = &profile {
            files = (p.cv_file.clone(), p.photo_file.clone());
            // An open card leaves the register, dated today, with the reason.
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
            // Enrolments still open are withdrawn, freeing any place held.
            crate::training::enrolment::withdraw_all(conn, p.id, today)?;
            // Open applications are withdrawn; notes, which may name the person, go.
            let open: Vec<i32> = applications::table
                .filter(applications::job_seeker_id.eq(p.id))
                .filter(applications::stage.ne_all(["accepted", "rejected", "withdrawn"]))
                .select(applications::id)
                .load(conn)?;
            for id in &open {
                diesel::insert_into(application_events::table)
                    .values((
                        application_events::application_id.eq(id),
                        application_events::stage.eq("withdrawn"),
                        application_events::occurred_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            diesel::update(applications::table.filter(applications::id.eq_any(&open)))
                .set(applications::stage.eq("withdrawn"))
                .execute(conn)?;
            let all: Vec<i32> = applications::table
                .filter(applications::job_seeker_id.eq(p.id))
                .select(applications::id)
                .load(conn)?;
            diesel::update(applications::table.filter(applications::id.eq_any(&all)))
                .set(applications::note.eq(None::<String>))
                .execute(conn)?;
            diesel::update(
                application_events::table.filter(application_events::application_id.eq_any(&all)),
            )
            .set(application_events::note.eq(None::<String>))
            .execute(conn)?;
            diesel::delete(
                job_seeker_education::table.filter(job_seeker_education::job_seeker_id.eq(p.id)),
            )
            .execute(conn)?;
            diesel::delete(
                job_seeker_training::table.filter(job_seeker_training::job_seeker_id.eq(p.id)),
            )
            .execute(conn)?;
            diesel::delete(
                job_seeker_experience::table.filter(job_seeker_experience::job_seeker_id.eq(p.id)),
            )
            .execute(conn)?;
            diesel::delete(
                job_seeker_languages::table.filter(job_seeker_languages::job_seeker_id.eq(p.id)),
            )
            .execute(conn)?;
            diesel::delete(job_alerts::table.filter(job_alerts::job_seeker_id.eq(p.id)))
                .execute(conn)?;
            // What the statistics count stays: sex, birth year (mid-year, so the age group
            // is right within a year), education, kelurahan, the job sought.
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
                    job_seekers::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        let (old_email, name): (String, String) = users::table
            .find(user_id)
            .select((users::email, users::full_name))
            .first(conn)?;
        scrub_name(conn, profile.as_ref().map(|p| p.id), &name)?;
        diesel::delete(mail_outbox::table.filter(mail_outbox::to_address.eq(&old_email)))
            .execute(conn)?;
        diesel::delete(user_tokens::table.filter(user_tokens::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::update(users::table.find(user_id))
            .set((
                users::email.eq(format!("dihapus-{user_id}@sibuser.invalid")),
                users::full_name.eq("Akun dihapus"),
                users::phone.eq(None::<String>),
                users::password_hash.eq("!deleted"),
                users::is_active.eq(false),
                users::session_epoch.eq(users::session_epoch + 1),
                users::email_verified_at.eq(None::<chrono::NaiveDateTime>),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(files)
    })
}

/// What replaces an erased person's name in text that stays.
const ERASED_NAME: &str = "[nama dihapus]";

/// Takes the person's name out of the free text that outlives the account: notes that
/// staff and providers wrote on the person's cards and enrolments, and mail still
/// waiting to go to others (an employer told of an application, a provider of an
/// enrolment). A name of one or two letters is left alone: replacing it would garble
/// every other word.
fn scrub_name(conn: &mut DbConnection, seeker: Option<i32>, name: &str) -> QueryResult<()> {
    let name = name.trim();
    if name.chars().count() < 3 {
        return Ok(());
    }
    // Mail carries the name as `mail::text::name` made it safe: replace that form too.
    let in_mail = crate::mail::text::name(name);
    for form in [name, in_mail.as_str()] {
        diesel::update(mail_outbox::table.filter(mail_outbox::sent_at.is_null()))
            .set((
                mail_outbox::subject.eq(replace(mail_outbox::subject, form, ERASED_NAME)),
                mail_outbox::body_text.eq(replace(mail_outbox::body_text, form, ERASED_NAME)),
            ))
            .execute(conn)?;
    }
    let Some(seeker) = seeker else {
        return Ok(());
    };
    let cards = ak1_cards::table
        .filter(ak1_cards::job_seeker_id.eq(seeker))
        .select(ak1_cards::id);
    diesel::update(
        ak1_cards::table
            .filter(ak1_cards::job_seeker_id.eq(seeker))
            .filter(ak1_cards::end_note.is_not_null()),
    )
    .set(
        ak1_cards::end_note
            .eq(replace(ak1_cards::end_note.assume_not_null(), name, ERASED_NAME).nullable()),
    )
    .execute(conn)?;
    diesel::update(
        ak1_events::table
            .filter(ak1_events::card_id.eq_any(cards))
            .filter(ak1_events::note.is_not_null()),
    )
    .set(
        ak1_events::note
            .eq(replace(ak1_events::note.assume_not_null(), name, ERASED_NAME).nullable()),
    )
    .execute(conn)?;
    let enrolments = training_enrolments::table
        .filter(training_enrolments::job_seeker_id.eq(seeker))
        .select(training_enrolments::id);
    diesel::update(
        training_enrolments::table
            .filter(training_enrolments::job_seeker_id.eq(seeker))
            .filter(training_enrolments::reason.is_not_null()),
    )
    .set(
        training_enrolments::reason.eq(replace(
            training_enrolments::reason.assume_not_null(),
            name,
            ERASED_NAME,
        )
        .nullable()),
    )
    .execute(conn)?;
    diesel::update(
        training_enrolment_events::table
            .filter(training_enrolment_events::enrolment_id.eq_any(enrolments))
            .filter(training_enrolment_events::note.is_not_null()),
    )
    .set(
        training_enrolment_events::note.eq(replace(
            training_enrolment_events::note.assume_not_null(),
            name,
            ERASED_NAME,
        )
        .nullable()),
    )
    .execute(conn)?;
    Ok(())
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
    let today = Utc::now().date_naive();
    let (cv, photo) = state
        .db(move |conn| {
            conn.transaction(|conn| {
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
