//! A person's JKP records in their own-data copy. Erasing an account does not remove them:
//! they came from BPJS Ketenagakerjaan's list, which the Dinas holds for the programme on
//! its own legal basis (PP 37/2021), not from the account; the person record they name stays
//! with them (`people`).

use diesel::prelude::*;
use serde_json::{Value, json};

use super::model;
use crate::db::DbConnection;
use crate::personal_data::Subject;

pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let Some(person) = subject.person else {
        return Ok(Vec::new());
    };
    let records = model::of_person(conn, person)?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<_> = records.iter().map(|r| r.id).collect();
    let events = model::events_of(conn, &ids)?;
    let section = records
        .iter()
        .map(|r| {
            json!({
                "record": r,
                "follow_up": events.iter().filter(|e| e.recipient_id == r.id).map(|e| json!({
                    "kind": e.kind, "on": e.occurred_on, "result": e.counselling_result,
                    "vacancy_id": e.vacancy_id, "programme_id": e.programme_id, "note": e.note,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(vec![("jkp", Value::Array(section))])
}
