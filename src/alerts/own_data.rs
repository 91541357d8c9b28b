//! The job alerts' part of a person's own data: the saved searches, copied and deleted.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::personal_data::Subject;
use crate::schema::job_alerts;

type AlertRow = (
    String,
    String,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
);

pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let seeker = subject.seeker;
    let Some(seeker) = seeker else {
        return Ok(Vec::new());
    };
    let alerts: Vec<AlertRow> = job_alerts::table
        .filter(job_alerts::job_seeker_id.eq(seeker))
        .select((
            job_alerts::query,
            job_alerts::frequency,
            job_alerts::created_at,
            job_alerts::stopped_at,
        ))
        .load(conn)?;
    Ok(vec![(
        "job_alerts",
        alerts
            .iter()
            .map(|a| json!({ "search": a.0, "frequency": a.1, "created_at": a.2, "stopped_at": a.3 }))
            .collect(),
    )])
}

/// A saved search says what the person looks for: it goes.
pub fn anonymise_for(
    conn: &mut DbConnection,
    subject: &Subject,
    _today: NaiveDate,
) -> QueryResult<()> {
    let seeker = subject.seeker;
    let Some(seeker) = seeker else {
        return Ok(());
    };
    diesel::delete(job_alerts::table.filter(job_alerts::job_seeker_id.eq(seeker)))
        .execute(conn)
        .map(|_| ())
}
