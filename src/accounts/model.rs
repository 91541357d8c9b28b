use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Role;
use crate::db::DbConnection;
use crate::schema::{user_roles, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    pub is_active: bool,
    pub locale: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
}

/// E-mail addresses are compared without case: people type them every which way.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(normalise_email(email)))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Inserts the user and its roles in one transaction and returns the new id.
pub fn create_user(conn: &mut DbConnection, new: &NewUser<'_>) -> QueryResult<i32> {
    let now = chrono::Utc::now().naive_utc();
    conn.transaction(|conn| {
        let id: i32 = diesel::insert_into(users::table)
            .values((
                users::email.eq(normalise_email(new.email)),
                users::full_name.eq(new.full_name.trim()),
                users::password_hash.eq(new.password_hash),
                users::is_active.eq(true),
                users::locale.eq("id"),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result(conn)?;
        for role in new.roles {
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(id),
                    user_roles::role.eq(role.as_str()),
                    user_roles::granted_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(id)
    })
}
