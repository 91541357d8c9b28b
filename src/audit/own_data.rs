//! The audit log's part of a person's own data: who did what with it. The log itself is
//! kept on erasure (it is append-only and holds no addresses or names).

use crate::domain::ids::UserId;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::personal_data::Subject;
use crate::schema::audit_log;

/// The entries about the person, each actor said only as "you", "other" or "system".
pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let user_id = subject.user;
    let rows: Vec<(String, chrono::NaiveDateTime, Option<UserId>)> = audit_log::table
        .filter(audit_log::subject_type.eq("user"))
        .filter(audit_log::subject_id.eq(user_id.to_string()))
        .order(audit_log::id)
        .select((
            audit_log::action,
            audit_log::occurred_at,
            audit_log::actor_user_id,
        ))
        .load(conn)?;
    Ok(vec![(
        "audit_log",
        rows.iter()
            .map(|a| {
                json!({
                    "action": a.0, "at": a.1,
                    "by": match a.2 { Some(id) if id == user_id => "you", Some(_) => "other", None => "system" },
                })
            })
            .collect(),
    )])
}
