//! The append-only audit log. There is deliberately no update or delete function here,
//! and the database refuses either with a trigger.

pub mod actions;
pub mod browse;
pub mod own_data;

use crate::domain::ids::UserId;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::audit_log;
use crate::web::respond::RequestMeta;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::AuditEntryId;

/// One thing that happened, by whom, to what.
pub struct Entry<'a> {
    pub actor_user_id: Option<UserId>,
    pub action: &'a str,
    pub subject_type: Option<&'a str>,
    pub subject_id: Option<String>,
    pub detail: Option<serde_json::Value>,
    pub client_ip: Option<&'a str>,
    pub request_id: Option<String>,
}

impl<'a> Entry<'a> {
    pub fn new(action: &'a str) -> Self {
        Self {
            actor_user_id: None,
            action,
            subject_type: None,
            subject_id: None,
            detail: None,
            client_ip: None,
            request_id: None,
        }
    }

    pub fn actor(mut self, user_id: UserId) -> Self {
        self.actor_user_id = Some(user_id);
        self
    }

    pub fn subject(mut self, kind: &'a str, id: impl ToString) -> Self {
        self.subject_type = Some(kind);
        self.subject_id = Some(id.to_string());
        self
    }

    /// Where the request came from: the client's address and the request id of the log.
    pub fn client(mut self, meta: &'a RequestMeta) -> Self {
        self.client_ip = Some(&meta.address);
        self.request_id = meta.request_id.clone();
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }
}

pub fn record(conn: &mut DbConnection, entry: Entry<'_>) -> QueryResult<()> {
    record_all(conn, vec![entry])
}

/// Several entries in one statement, all at the same moment (the API's ledger writes a
/// batch of pages this way).
pub fn record_all(conn: &mut DbConnection, entries: Vec<Entry<'_>>) -> QueryResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let now = chrono::Utc::now().naive_utc();
    let rows: Vec<_> = entries
        .into_iter()
        .map(|entry| {
            (
                audit_log::occurred_at.eq(now),
                audit_log::actor_user_id.eq(entry.actor_user_id),
                audit_log::action.eq(entry.action),
                audit_log::subject_type.eq(entry.subject_type),
                audit_log::subject_id.eq(entry.subject_id),
                audit_log::detail.eq(entry.detail.map(|d| d.to_string())),
                audit_log::client_ip.eq(entry.client_ip),
                audit_log::request_id.eq(entry.request_id),
            )
        })
        .collect();
    crate::with_backend!(conn, |c| diesel::insert_into(audit_log::table)
        .values(&rows)
        .execute(c))
    .map(|_| ())
}
