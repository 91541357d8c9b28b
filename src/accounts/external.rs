//! Accounts linked to an external OpenID Connect provider's subject (`external_identities`):
//! which account a SIAPkerja sign-in opens. Only the account's owner links, signed in with
//! the password; a matching e-mail address never links anything, since the provider's
//! addresses are not ours to trust.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::schema::external_identities;

/// An account's link to a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub linked_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

/// What linking did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linking {
    Linked,
    /// This account was linked to this subject already.
    AlreadyLinked,
    /// The subject signs in to another account.
    TakenByAnother,
    /// This account is linked to another subject of the provider.
    AccountHasAnother,
}

/// The account a provider's subject signs in to, marking the link used.
pub fn sign_in_account(
    conn: &mut DbConnection,
    issuer: &str,
    subject: &str,
) -> QueryResult<Option<UserId>> {
    // Written first: SQLite takes its write lock at the first write of a transaction.
    let user = diesel::update(
        external_identities::table
            .filter(external_identities::issuer.eq(issuer))
            .filter(external_identities::subject.eq(subject)),
    )
    .set(external_identities::last_used_at.eq(Utc::now().naive_utc()))
    .returning(external_identities::user_id)
    .get_result::<UserId>(conn)
    .optional()?;
    Ok(user)
}

pub fn link_of(conn: &mut DbConnection, user: UserId, issuer: &str) -> QueryResult<Option<Link>> {
    external_identities::table
        .filter(external_identities::user_id.eq(user))
        .filter(external_identities::issuer.eq(issuer))
        .select((
            external_identities::linked_at,
            external_identities::last_used_at,
        ))
        .first::<(NaiveDateTime, Option<NaiveDateTime>)>(conn)
        .optional()
        .map(|row| {
            row.map(|(linked_at, last_used_at)| Link {
                linked_at,
                last_used_at,
            })
        })
}

/// Links the account to the provider's subject, unless either is linked already.
pub fn link(
    conn: &mut DbConnection,
    user: UserId,
    issuer: &str,
    subject: &str,
) -> QueryResult<Linking> {
    // Both unique keys decide in the insert itself, so two tabs linking at once cannot
    // both win; only a refusal reads why. The insert has its own savepoint, so a refused
    // one leaves the caller's transaction usable (PostgreSQL aborts it otherwise).
    let inserted = crate::db::transaction(conn, |conn| {
        diesel::insert_into(external_identities::table)
            .values((
                external_identities::user_id.eq(user),
                external_identities::issuer.eq(issuer),
                external_identities::subject.eq(subject),
                external_identities::linked_at.eq(Utc::now().naive_utc()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => return Ok(Linking::Linked),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(e) => return Err(e),
    }
    let owner: Option<UserId> = external_identities::table
        .filter(external_identities::issuer.eq(issuer))
        .filter(external_identities::subject.eq(subject))
        .select(external_identities::user_id)
        .first(conn)
        .optional()?;
    Ok(match owner {
        Some(owner) if owner == user => Linking::AlreadyLinked,
        Some(_) => Linking::TakenByAnother,
        None => Linking::AccountHasAnother,
    })
}

/// Removes the account's link to the provider: whether there was one.
pub fn unlink(conn: &mut DbConnection, user: UserId, issuer: &str) -> QueryResult<bool> {
    diesel::delete(
        external_identities::table
            .filter(external_identities::user_id.eq(user))
            .filter(external_identities::issuer.eq(issuer)),
    )
    .execute(conn)
    .map(|n| n > 0)
}

/// A link as the person's copy of their data shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = external_identities)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub linked_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

/// Every link of the account, for the person's copy of their data.
pub fn all_of(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<Identity>> {
    external_identities::table
        .filter(external_identities::user_id.eq(user))
        .order(external_identities::id)
        .select(Identity::as_select())
        .load(conn)
}

/// Every link of the account goes when the account is erased.
pub fn forget(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(external_identities::table.filter(external_identities::user_id.eq(user)))
        .execute(conn)
}
