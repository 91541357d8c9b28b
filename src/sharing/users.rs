//! Partner users: people of a partner (the ministry's "User Admin") who sign in to the web
//! portal and read what the partner's grants allow. The data steward adds one on the
//! partner's page: the account is made and invited as a training provider's user is
//! (`accounts::invitation`, role `partner_user`), and linked here. Removing the link
//! deactivates the account, which ends its sessions. Owns `partner_users`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::PartnerId;
use super::partners::Actor;
use crate::accounts::NewUser;
use crate::accounts::invitation::{self, Invited, Inviter};
use crate::audit::actions;
use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::domain::{Email, Role};
use crate::schema::{partner_users, partners};

/// The partner a user reads for, when the link exists and the partner is active: a
/// deactivated partner's users lose the portal with its keys.
pub fn partner_of(conn: &mut DbConnection, user: UserId) -> QueryResult<Option<PartnerId>> {
    partner_users::table
        .inner_join(partners::table)
        .filter(partner_users::user_id.eq(user))
        .filter(partners::active.eq(true))
        .select(partner_users::partner_id)
        .first(conn)
        .optional()
}

/// A partner's user as the partner's page lists it.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: UserId,
    pub name: String,
    pub email: Email,
    pub added_at: NaiveDateTime,
}

/// A partner's users, in the order they were added.
pub fn list(conn: &mut DbConnection, partner: PartnerId) -> QueryResult<Vec<Member>> {
    let links: Vec<(UserId, NaiveDateTime)> = partner_users::table
        .filter(partner_users::partner_id.eq(partner))
        .select((partner_users::user_id, partner_users::added_at))
        .order((partner_users::added_at, partner_users::user_id))
        .load(conn)?;
    let ids: Vec<UserId> = links.iter().map(|(id, _)| *id).collect();
    let mut contacts = crate::accounts::directory::contacts(conn, &ids)?;
    Ok(links
        .into_iter()
        .filter_map(|(user_id, added_at)| {
            let c = contacts.remove(&user_id)?;
            Some(Member {
                user_id,
                name: c.full_name,
                // Partner users are invited by e-mail: each has one.
                email: c.email?,
                added_at,
            })
        })
        .collect())
}

/// The add form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub user_name: String,
    pub user_email: String,
}

impl UserForm {
    /// The name and address, or the translation key of what is wrong.
    pub fn check(&self) -> Result<(String, Email), &'static str> {
        let name = self.user_name.trim();
        if !(2..=100).contains(&name.chars().count()) {
            return Err("sharing_portal.error.name");
        }
        let email = Email::parse(&self.user_email).map_err(|_| "sharing_portal.error.email")?;
        Ok((name.to_owned(), email))
    }
}

/// What adding a user came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    User(UserId),
    /// The address has an account already: a partner user gets an account of its own.
    Taken,
    /// Too many invitations within the hour: nothing was made or sent.
    Throttled,
    PartnerInactive,
}

impl Added {
    /// The translation key of a refusal.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            Self::User(_) => None,
            Self::Taken => Some("sharing_portal.error.taken"),
            Self::Throttled => Some("security_mail.throttled.invitation"),
            Self::PartnerInactive => Some("sharing.error.partner_inactive"),
        }
    }
}

/// Makes the account, invites it to set a password, and links it to the active partner,
/// all or nothing.
pub fn add(
    conn: &mut DbConnection,
    partner: PartnerId,
    (name, email): (&str, &Email),
    inviter: &Inviter<'_>,
    by: &Actor<'_>,
    now: NaiveDateTime,
) -> QueryResult<Added> {
    crate::db::transaction(conn, |c| {
        let active: Option<bool> = partners::table
            .find(partner)
            .select(partners::active)
            .first(c)
            .optional()?;
        if active != Some(true) {
            return Ok(Added::PartnerInactive);
        }
        let new = NewUser::staff(email, name, "!invited", &[Role::PartnerUser]);
        let user = match invitation::invite(c, email, &new, inviter)? {
            Invited::User(id) => id,
            Invited::Taken => return Ok(Added::Taken),
            Invited::Throttled => return Ok(Added::Throttled),
        };
        link(c, partner, user, by, now)?;
        Ok(Added::User(user))
    })
}

/// Links an account to a partner (the demo links its partner user, made with a known
/// password, this way).
pub fn link(
    conn: &mut DbConnection,
    partner: PartnerId,
    user: UserId,
    by: &Actor<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(partner_users::table)
        .values((
            partner_users::user_id.eq(user),
            partner_users::partner_id.eq(partner),
            partner_users::added_at.eq(now),
            partner_users::added_by.eq(by.user),
        ))
        .execute(conn)?;
    by.record(
        conn,
        actions::PARTNER_USER_ADDED,
        partner,
        serde_json::json!({ "user": user }),
    )
}

/// Removes a partner's user: the link goes and the account is deactivated, which ends its
/// sessions at once. Returns false when the user was not the partner's.
pub fn remove(
    conn: &mut DbConnection,
    partner: PartnerId,
    user: UserId,
    by: &Actor<'_>,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |c| {
        let removed = diesel::delete(
            partner_users::table
                .filter(partner_users::user_id.eq(user))
                .filter(partner_users::partner_id.eq(partner)),
        )
        .execute(c)?;
        if removed == 0 {
            return Ok(false);
        }
        crate::accounts::admin::set_active(c, user, false)?;
        by.record(
            c,
            actions::PARTNER_USER_REMOVED,
            partner,
            serde_json::json!({ "user": user }),
        )?;
        Ok(true)
    })
}
