//! A person's jobs in their own-data copy, and what their erasure removes: the jobs their
//! own placements on the portal recorded. Jobs from an employer's or the national list stay,
//! held on those lists' own legal basis, as the person record they name does.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;

use super::model::{self, Source};
use crate::db::DbConnection;
use crate::personal_data::Subject;

pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let Some(person) = subject.person else {
        return Ok(Vec::new());
    };
    let jobs = model::jobs_of(conn, person)?;
    Ok(vec![(
        "employment",
        serde_json::to_value(jobs).unwrap_or(Value::Null),
    )])
}

pub fn anonymise_for(
    conn: &mut DbConnection,
    subject: &Subject,
    _today: NaiveDate,
) -> QueryResult<()> {
    let Some(person) = subject.person else {
        return Ok(());
    };
    let own: Vec<_> = model::jobs_of(conn, person)?
        .into_iter()
        .filter(|j| j.source == Source::Placement)
        .map(|j| j.id)
        .collect();
    model::delete(conn, &own)
}
