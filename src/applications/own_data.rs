//! The applications' part of a person's own data: their applications with each one's
//! history, and their placements. Erasure withdraws what is still open and drops the
//! notes (which may name the person); the rows stay, for the employer's counts and the
//! labour statistics.

use crate::domain::ids::{ApplicationId, VacancyId};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use super::stage::Stage;
use crate::db::DbConnection;
use crate::personal_data::Subject;
use crate::schema::{application_events, applications, placements};

type ApplicationRow = (
    ApplicationId,
    VacancyId,
    Option<String>,
    String,
    NaiveDateTime,
);
type PlacementRow = (String, String, String, NaiveDate, Option<i64>);

pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let seeker = subject.seeker;
    let Some(seeker) = seeker else {
        return Ok(Vec::new());
    };
    let apps: Vec<ApplicationRow> = applications::table
        .filter(applications::job_seeker_id.eq(seeker))
        .order(applications::id)
        .select((
            applications::id,
            applications::vacancy_id,
            applications::note,
            applications::stage,
            applications::applied_at,
        ))
        .load(conn)?;
    let vacancy_ids: Vec<VacancyId> = apps.iter().map(|a| a.1).collect();
    let headings = crate::vacancies::headings(conn, &vacancy_ids)?;
    let ids: Vec<ApplicationId> = apps.iter().map(|a| a.0).collect();
    let events: Vec<(ApplicationId, String, Option<String>, NaiveDateTime)> =
        application_events::table
            .filter(application_events::application_id.eq_any(&ids))
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
        .filter_map(|(id, vacancy, note, stage, at)| {
            let (title, company) = headings.get(vacancy)?;
            Some(json!({
                "vacancy": title, "company": company, "your_note": note, "stage": stage,
                "applied_at": at,
                "events": events.iter().filter(|e| e.0 == *id).map(|e| json!({
                    "stage": e.1, "note": e.2, "at": e.3,
                })).collect::<Vec<_>>(),
            }))
        })
        .collect();
    let placed: Vec<PlacementRow> = placements::table
        .filter(placements::job_seeker_id.eq(seeker))
        .select((
            placements::employer_name,
            placements::job_title,
            placements::kind,
            placements::start_date,
            placements::monthly_wage,
        ))
        .load(conn)?;
    Ok(vec![
        ("applications", Value::Array(applications)),
        (
            "placements",
            placed
                .iter()
                .map(|p| {
                    json!({
                        "employer": p.0, "job_title": p.1, "kind": p.2, "start_date": p.3,
                        "monthly_wage": p.4,
                    })
                })
                .collect(),
        ),
    ])
}

/// Open applications are withdrawn (an event each, by no one: the account is going);
/// every note on the person's applications and their events goes.
pub fn anonymise_for(
    conn: &mut DbConnection,
    subject: &Subject,
    _today: NaiveDate,
) -> QueryResult<()> {
    let seeker = subject.seeker;
    let Some(seeker) = seeker else {
        return Ok(());
    };
    let finals: Vec<&str> = Stage::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .map(Stage::as_str)
        .collect();
    let open: Vec<ApplicationId> = applications::table
        .filter(applications::job_seeker_id.eq(seeker))
        .filter(applications::stage.ne_all(&finals))
        .select(applications::id)
        .load(conn)?;
    let now = Utc::now().naive_utc();
    for id in &open {
        diesel::insert_into(application_events::table)
            .values((
                application_events::application_id.eq(id),
                application_events::stage.eq(Stage::Withdrawn.as_str()),
                application_events::occurred_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(applications::table.filter(applications::id.eq_any(&open)))
        .set(applications::stage.eq(Stage::Withdrawn.as_str()))
        .execute(conn)?;
    let all = applications::table
        .filter(applications::job_seeker_id.eq(seeker))
        .select(applications::id);
    diesel::update(applications::table.filter(applications::job_seeker_id.eq(seeker)))
        .set(applications::note.eq(None::<String>))
        .execute(conn)?;
    diesel::update(application_events::table.filter(application_events::application_id.eq_any(all)))
        .set(application_events::note.eq(None::<String>))
        .execute(conn)
        .map(|_| ())
}
