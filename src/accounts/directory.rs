//! What other modules read about users, and the few changes they ask for: the queries
//! that keep the users tables `accounts`' own. A module that needs more adds a function
//! here rather than naming `users`.

use crate::domain::ids::{CompanyId, ProviderId, UserId};
use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::{Email, Phone, Role};
use crate::schema::{user_roles, users};

/// How to reach a user, and in which language.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Contact {
    #[diesel(column_name = id)]
    pub user_id: UserId,
    pub full_name: String,
    /// None for a resident served at the counter without an address.
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub locale: crate::web::Lang,
}

pub fn contact(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Contact> {
    users::table
        .find(user_id)
        .select(Contact::as_select())
        .first(conn)
}

/// The contacts of these users, by id.
pub fn contacts(
    conn: &mut DbConnection,
    user_ids: &[UserId],
) -> QueryResult<HashMap<UserId, Contact>> {
    let rows: Vec<Contact> = users::table
        .filter(users::id.eq_any(user_ids))
        .select(Contact::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|c| (c.user_id, c)).collect())
}

/// The e-mail addresses of these users (actors in a log or a history).
pub fn emails_of(
    conn: &mut DbConnection,
    user_ids: &[UserId],
) -> QueryResult<Vec<(UserId, Email)>> {
    users::table
        .filter(users::id.eq_any(user_ids))
        .filter(users::email.is_not_null())
        .select((users::id, users::email.assume_not_null()))
        .load(conn)
}

/// Every account's address, for checking a list of thousands of residents without a
/// query per row.
pub fn all_emails(conn: &mut DbConnection) -> QueryResult<Vec<(UserId, Email)>> {
    users::table
        .filter(users::email.is_not_null())
        .select((users::id, users::email.assume_not_null()))
        .load(conn)
}

/// Whether a job seeker's account already has this phone number.
pub fn phone_taken_by_job_seeker(conn: &mut DbConnection, phone: &Phone) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table
            .inner_join(user_roles::table)
            .filter(users::phone.eq(phone))
            .filter(user_roles::role.eq(Role::JobSeeker.as_str())),
    ))
    .get_result(conn)
}

/// The name and phone a user keeps on a profile that shows them (the AK/I form).
pub fn set_name_and_phone(
    conn: &mut DbConnection,
    user_id: UserId,
    full_name: &str,
    phone: Option<&Phone>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::full_name.eq(full_name),
            users::phone.eq(phone),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// How many active users hold the role.
pub fn count_active_with_role(conn: &mut DbConnection, role: Role) -> QueryResult<i64> {
    user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(role.as_str()))
        .filter(users::is_active.eq(true))
        .count()
        .get_result(conn)
}

/// A user of a company, as the company's owner manages them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct CompanyMember {
    pub id: UserId,
    /// Company users sign in by e-mail: each has one (the queries keep only those).
    #[diesel(select_expression = users::email.assume_not_null())]
    pub email: Email,
    pub full_name: String,
    pub is_active: bool,
    pub is_company_owner: bool,
    pub email_verified_at: Option<NaiveDateTime>,
}

/// The company's users, the owner first, then by name.
pub fn company_members(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<CompanyMember>> {
    users::table
        .filter(users::company_id.eq(company_id))
        .filter(users::email.is_not_null())
        .order((users::is_company_owner.desc(), users::full_name))
        .select(CompanyMember::as_select())
        .load(conn)
}

/// The user, if it belongs to the company; another company's user is simply not found.
pub fn company_member(
    conn: &mut DbConnection,
    company_id: CompanyId,
    user_id: UserId,
) -> QueryResult<Option<UserId>> {
    users::table
        .filter(users::id.eq(user_id))
        .filter(users::company_id.eq(company_id))
        .select(users::id)
        .first(conn)
        .optional()
}

/// The e-mail address and name of the company's active users.
pub fn company_contacts(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(Email, String)>> {
    users::table
        .filter(users::company_id.eq(company_id))
        .filter(users::is_active.eq(true))
        .filter(users::email.is_not_null())
        .select((users::email.assume_not_null(), users::full_name))
        .load(conn)
}

/// The company's active users as mail from a background job reaches them: address, name
/// and language.
pub fn company_contacts_to_mail(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<Contact>> {
    users::table
        .filter(users::company_id.eq(company_id))
        .filter(users::is_active.eq(true))
        .filter(users::email.is_not_null())
        .order(users::id.asc())
        .select(Contact::as_select())
        .load(conn)
}

/// The provider's users, newest first: id, name, e-mail, whether active.
pub fn provider_members(
    conn: &mut DbConnection,
    provider_id: ProviderId,
) -> QueryResult<Vec<(UserId, String, Email, bool)>> {
    users::table
        .filter(users::provider_id.eq(provider_id))
        .filter(users::email.is_not_null())
        .order(users::created_at.desc())
        .select((
            users::id,
            users::full_name,
            users::email.assume_not_null(),
            users::is_active,
        ))
        .load(conn)
}

/// How many users each training provider has, by provider id.
pub fn provider_member_counts(conn: &mut DbConnection) -> QueryResult<HashMap<ProviderId, i64>> {
    let counts: Vec<(Option<ProviderId>, i64)> = users::table
        .filter(users::provider_id.is_not_null())
        .group_by(users::provider_id)
        .select((users::provider_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counts
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect())
}
