//! Training's part of a person's own data: their enrolments with history and attendance.
//! Erasure withdraws what may still be withdrawn (freeing any seat held) and takes the
//! person's name out of the notes providers wrote.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::Value;

use crate::accounts::own_data::{ERASED_NAME, name_to_erase};
use crate::db::{DbConnection, replace};
use crate::personal_data::Subject;
use crate::schema::{training_enrolment_events, training_enrolments};

pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let seeker = subject.seeker;
    let Some(seeker) = seeker else {
        return Ok(Vec::new());
    };
    Ok(vec![(
        "training_enrolments",
        Value::Array(super::enrolment::export_of(conn, seeker)?),
    )])
}

pub fn anonymise_for(
    conn: &mut DbConnection,
    subject: &Subject,
    today: NaiveDate,
) -> QueryResult<()> {
    let (user_id, seeker) = (subject.user, subject.seeker);
    let Some(seeker) = seeker else {
        return Ok(());
    };
    super::enrolment::withdraw_all(conn, seeker, today)?;
    let Some(name) = name_to_erase(conn, user_id)? else {
        return Ok(());
    };
    let name = name.as_str();
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
    .execute(conn)
    .map(|_| ())
}
