//! The account's part of a person's own data (UU 27/2022): its copy in the download, and
//! its erasure. `crate::personal_data` composes this with the other modules' parts.

use crate::domain::ids::UserId;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{Value, json};

use super::sessions::{self, EndReason};
use crate::db::DbConnection;
use crate::personal_data::Subject;
use crate::schema::{user_tokens, users};

/// What replaces an erased person's name in text that stays.
pub const ERASED_NAME: &str = "[nama dihapus]";

/// The account as the person sees it.
pub fn export_for(
    conn: &mut DbConnection,
    subject: &Subject,
) -> QueryResult<Vec<(&'static str, Value)>> {
    let user_id = subject.user;
    let user = super::find_by_id(conn, user_id)?.ok_or(diesel::result::Error::NotFound)?;
    let roles: Vec<&str> = super::roles_of(conn, user_id)?
        .into_iter()
        .map(|r| r.as_str())
        .collect();
    let sign_ins: Vec<Value> = super::external::all_of(conn, user_id)?
        .into_iter()
        .map(|link| {
            json!({
                "issuer": link.issuer,
                "subject": link.subject,
                "linked_at": link.linked_at,
                "last_used_at": link.last_used_at,
            })
        })
        .collect();
    Ok(vec![(
        "account",
        json!({
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "locale": user.locale,
            "roles": roles,
            "created_at": user.created_at,
            "email_verified_at": user.email_verified_at,
            "privacy_consent_at": user.privacy_consent_at,
            "last_login_at": user.last_login_at,
            // Sign-in through SIAPkerja: the provider's id for the person, per provider.
            "external_sign_ins": sign_ins,
        }),
    )])
}

/// The name to take out of the text that outlives the account (notes staff wrote, mail to
/// others), as other modules' erasures ask for it before this one runs. A name of one or
/// two letters is left alone: replacing it would garble every other word.
pub fn name_to_erase(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Option<String>> {
    let name: String = users::table
        .find(user_id)
        .select(users::full_name)
        .first(conn)?;
    let name = name.trim();
    Ok((name.chars().count() >= 3).then(|| name.to_owned()))
}

/// The account stays as a row (others' records point to it) but says nothing about the
/// person; mail to them and about them goes, links die, every session ends. Runs after the
/// other modules' erasures, which read the name through `name_to_erase`.
pub fn anonymise_for(
    conn: &mut DbConnection,
    subject: &Subject,
    _today: NaiveDate,
) -> QueryResult<()> {
    let user_id = subject.user;
    let email: Option<String> = users::table
        .find(user_id)
        .select(users::email)
        .first(conn)?;
    let name = name_to_erase(conn, user_id)?;
    // A resident registered at the counter without an address was never mailed.
    if let Some(email) = &email {
        crate::mail::forget(conn, email, name.as_deref(), ERASED_NAME)?;
    }
    diesel::delete(user_tokens::table.filter(user_tokens::user_id.eq(user_id))).execute(conn)?;
    super::external::forget(conn, user_id)?;
    diesel::update(users::table.find(user_id))
        .set((
            users::email.eq(format!("dihapus-{user_id}@sibuser.invalid")),
            users::full_name.eq("Akun dihapus"),
            users::phone.eq(None::<String>),
            users::password_hash.eq("!deleted"),
            users::is_active.eq(false),
            users::email_verified_at.eq(None::<chrono::NaiveDateTime>),
            users::updated_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    sessions::end_all(conn, user_id, EndReason::Deleted).map(|_| ())
}
