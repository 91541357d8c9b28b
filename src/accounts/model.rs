use crate::domain::ids::{CompanyId, ProviderId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::{Email, Phone, Role};
use crate::schema::{user_roles, users};
use crate::web::auth::SessionUser;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: Option<Email>,
    pub full_name: String,
    pub password_hash: String,
    pub is_active: bool,
    pub locale: crate::web::Lang,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub phone: Option<Phone>,
    pub email_verified_at: Option<NaiveDateTime>,
    pub privacy_consent_at: Option<NaiveDateTime>,
    pub session_epoch: i32,
    pub must_change_password: bool,
    pub last_login_at: Option<NaiveDateTime>,
    pub company_id: Option<CompanyId>,
    pub is_company_owner: bool,
    pub provider_id: Option<ProviderId>,
}

pub fn roles_of(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Vec<Role>> {
    let mut roles: Vec<Role> = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role)
        .load(conn)?;
    roles.sort();
    Ok(roles)
}

pub fn load_session_user(
    conn: &mut DbConnection,
    user_id: UserId,
) -> QueryResult<Option<SessionUser>> {
    let Some(user) = users::table
        .find(user_id)
        .select(User::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    // Signing in takes an address; an account without one has no session to load.
    let Some(email) = user.email else {
        return Ok(None);
    };
    let roles = roles_of(conn, user.id)?;
    // Only a partner user's request pays for the look-up.
    let partner_id = if roles.contains(&Role::PartnerUser) {
        crate::sharing::users::partner_of(conn, user.id)?
    } else {
        None
    };
    Ok(Some(SessionUser {
        id: user.id,
        email,
        full_name: user.full_name,
        is_active: user.is_active,
        session_epoch: user.session_epoch,
        email_verified: user.email_verified_at.is_some(),
        must_change_password: user.must_change_password,
        company_id: user.company_id,
        is_company_owner: user.is_company_owner,
        provider_id: user.provider_id,
        partner_id,
        roles,
    }))
}

#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    /// None for a resident served at the counter who has no address: they cannot sign in
    /// until an operator adds one.
    pub email: Option<&'a Email>,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
    pub phone: Option<&'a Phone>,
    /// Set when the person accepted the privacy notice (self sign-up).
    pub privacy_consent: bool,
    pub company_id: Option<CompanyId>,
    pub is_company_owner: bool,
    /// The training provider the user works for, if any.
    pub provider_id: Option<ProviderId>,
    /// Accounts made by staff or the command line start verified.
    pub email_verified: bool,
}

impl<'a> NewUser<'a> {
    /// A user with the given roles and no company, verified, as staff and tools create them.
    pub fn staff(
        email: &'a Email,
        full_name: &'a str,
        password_hash: &'a str,
        roles: &'a [Role],
    ) -> Self {
        Self {
            email: Some(email),
            full_name,
            password_hash,
            roles,
            phone: None,
            privacy_consent: false,
            company_id: None,
            is_company_owner: false,
            provider_id: None,
            email_verified: true,
        }
    }
}

impl<'a> NewUser<'a> {
    /// A resident registered at the counter without an e-mail address: no password and no
    /// way to sign in until an operator adds an address; the phone identifies them. They
    /// read and accepted the privacy notice there.
    pub fn without_email(full_name: &'a str, phone: &'a Phone, roles: &'a [Role]) -> Self {
        Self {
            email: None,
            full_name,
            password_hash: "!invited",
            roles,
            phone: Some(phone),
            privacy_consent: true,
            company_id: None,
            is_company_owner: false,
            provider_id: None,
            email_verified: false,
        }
    }
}

pub fn find_by_email(conn: &mut DbConnection, email: &Email) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Inserts the user and its roles in one transaction and returns the new id.
pub fn create_user(conn: &mut DbConnection, new: &NewUser<'_>) -> QueryResult<UserId> {
    let now = chrono::Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        let id: UserId = diesel::insert_into(users::table)
            .values((
                users::email.eq(new.email),
                users::full_name.eq(new.full_name.trim()),
                users::password_hash.eq(new.password_hash),
                users::is_active.eq(true),
                users::locale.eq("id"),
                users::created_at.eq(now),
                users::updated_at.eq(now),
                users::phone.eq(new.phone),
                users::email_verified_at.eq(new.email_verified.then_some(now)),
                users::privacy_consent_at.eq(new.privacy_consent.then_some(now)),
                users::company_id.eq(new.company_id),
                users::is_company_owner.eq(new.is_company_owner),
                users::provider_id.eq(new.provider_id),
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

pub fn record_login(conn: &mut DbConnection, user_id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::last_login_at.eq(chrono::Utc::now().naive_utc()))
        .execute(conn)
        .map(|_| ())
}

/// Sets a new password and ends every other session of the user.
pub fn set_password(
    conn: &mut DbConnection,
    user_id: UserId,
    password_hash: &str,
) -> QueryResult<i32> {
    super::sessions::end_all(conn, user_id, super::sessions::EndReason::Password)?;
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(false),
            users::updated_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .returning(users::session_epoch)
        .get_result(conn)
}

/// Replaces the stored hash without touching sessions (rehash at login when the argon2
/// parameters changed).
pub fn replace_hash(
    conn: &mut DbConnection,
    user_id: UserId,
    password_hash: &str,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)
        .map(|_| ())
}

/// What a user changes on their own account page: name, phone, and the language of the
/// pages and mail.
pub fn set_own_profile(
    conn: &mut DbConnection,
    user_id: UserId,
    full_name: &str,
    phone: Option<&Phone>,
    locale: &str,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::full_name.eq(full_name),
            users::phone.eq(phone),
            users::locale.eq(locale),
            users::updated_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Gives an account without an address the address `email`, unconfirmed; false if the
/// account has one already (another operator was quicker).
pub fn set_first_email(
    conn: &mut DbConnection,
    user_id: UserId,
    email: &Email,
) -> QueryResult<bool> {
    let now = chrono::Utc::now().naive_utc();
    diesel::update(users::table.find(user_id).filter(users::email.is_null()))
        .set((users::email.eq(email), users::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

/// A new address the user has just confirmed from its inbox: verified as of now.
pub fn set_confirmed_email(
    conn: &mut DbConnection,
    user_id: UserId,
    email: &Email,
) -> QueryResult<()> {
    let now = chrono::Utc::now().naive_utc();
    diesel::update(users::table.find(user_id))
        .set((
            users::email.eq(email),
            users::email_verified_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn mark_email_verified(conn: &mut DbConnection, user_id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::email_verified_at.eq(chrono::Utc::now().naive_utc()))
        .execute(conn)
        .map(|_| ())
}
