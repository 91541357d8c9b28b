//! Queries behind the staff administration pages.

use crate::domain::ids::{CompanyId, ProviderId, UserId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::accounts::User;
use crate::accounts::sessions::{self, EndReason};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::{Role, calendar};
use crate::schema::{user_roles, users};

use crate::db::lower;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Active,
    Inactive,
}

#[derive(Debug, Clone)]
pub struct UserFilter {
    /// Part of a name or an e-mail address, any case.
    pub text: Option<String>,
    pub role: Option<Role>,
    pub status: StatusFilter,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
}

pub const PAGE_SIZE: i64 = 50;

pub struct UserRow {
    pub id: UserId,
    /// None for a resident registered at the counter without an address.
    pub email: Option<crate::domain::Email>,
    pub full_name: String,
    pub is_active: bool,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    pub roles: Vec<Role>,
}

fn filtered<'a>(filter: &UserFilter) -> users::BoxedQuery<'a, MultiBackend> {
    let mut query = users::table.into_boxed::<MultiBackend>();
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        // LIKE's own wildcards in the text are taken literally.
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        query = query.filter(
            lower(users::full_name)
                .like(pattern.clone())
                .escape('\\')
                .or(users::email.like(pattern).escape('\\')),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(
            users::id.eq_any(
                user_roles::table
                    .filter(user_roles::role.eq(role.as_str()))
                    .select(user_roles::user_id),
            ),
        );
    }
    match filter.status {
        StatusFilter::All => {}
        StatusFilter::Active => query = query.filter(users::is_active.eq(true)),
        StatusFilter::Inactive => query = query.filter(users::is_active.eq(false)),
    }
    if let Some(from) = filter.created_from {
        query = query.filter(users::created_at.ge(calendar::start_of(from)));
    }
    if let Some(to) = filter.created_to.and_then(|d| d.succ_opt()) {
        query = query.filter(users::created_at.lt(calendar::start_of(to)));
    }
    query
}

/// One page of users matching the filter, newest first, and the total count.
pub fn search(
    conn: &mut DbConnection,
    filter: &UserFilter,
    page: i64,
) -> QueryResult<(Vec<UserRow>, i64)> {
    let total: i64 = filtered(filter).count().get_result(conn)?;
    let rows: Vec<User> = filtered(filter)
        .order((users::created_at.desc(), users::id.desc()))
        .limit(PAGE_SIZE)
        .offset((page.max(1) - 1) * PAGE_SIZE)
        .select(User::as_select())
        .load(conn)?;
    let ids: Vec<UserId> = rows.iter().map(|u| u.id).collect();
    let roles: Vec<(UserId, Role)> = user_roles::table
        .filter(user_roles::user_id.eq_any(&ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let out = rows
        .into_iter()
        .map(|u| {
            let mut user_roles: Vec<Role> = roles
                .iter()
                .filter(|(id, _)| *id == u.id)
                .map(|(_, r)| *r)
                .collect();
            user_roles.sort();
            UserRow {
                id: u.id,
                email: u.email,
                full_name: u.full_name,
                is_active: u.is_active,
                created_at: u.created_at,
                last_login_at: u.last_login_at,
                roles: user_roles,
            }
        })
        .collect();
    Ok((out, total))
}

pub fn company_name(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Option<String>> {
    Ok(crate::employers::find_company(conn, company_id)?.map(|c| c.name))
}

/// Replaces the user's staff roles; job-seeker and employer roles are left as they are
/// (they come from signing up, not from an administrator).
pub fn set_staff_roles(
    conn: &mut DbConnection,
    user_id: UserId,
    roles: &[Role],
) -> QueryResult<()> {
    let now = chrono::Utc::now().naive_utc();
    let staff: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| r.is_staff())
        .map(|r| r.as_str())
        .collect();
    diesel::delete(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq_any(&staff)),
    )
    .execute(conn)?;
    for role in roles.iter().filter(|r| r.is_staff()) {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role.eq(role.as_str()),
                user_roles::granted_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Activates or deactivates a user; deactivation ends the user's sessions.
pub fn set_active(conn: &mut DbConnection, user_id: UserId, active: bool) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::is_active.eq(active),
            users::updated_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    if !active {
        sessions::end_all(conn, user_id, EndReason::Deactivated)?;
    }
    Ok(())
}

/// Activates or deactivates every user of a training provider, as the provider is
/// switched on or off; switching off ends their sessions.
pub fn set_active_for_provider(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    active: bool,
) -> QueryResult<()> {
    let ids: Vec<UserId> = users::table
        .filter(users::provider_id.eq(provider_id))
        .select(users::id)
        .load(conn)?;
    for id in ids {
        set_active(conn, id, active)?;
    }
    Ok(())
}

/// The number of active super admins other than `except`.
pub fn other_active_super_admins(conn: &mut DbConnection, except: UserId) -> QueryResult<i64> {
    user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(Role::SuperAdmin.as_str()))
        .filter(users::is_active.eq(true))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)
}

/// Makes the password unusable and ends every session, so that only the reset link that
/// goes with it lets the user in again.
pub fn lock_password(conn: &mut DbConnection, user_id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq("!locked"),
            users::must_change_password.eq(true),
            users::updated_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    sessions::end_all(conn, user_id, EndReason::Password).map(|_| ())
}
