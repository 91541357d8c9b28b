//! Accounts that staff open for someone else (a staff member, a provider's user, a resident
//! at the counter): the user is made without a usable password and gets a link to set one,
//! within the inviting staff member's mail limit.

use crate::domain::ids::UserId;
use diesel::QueryResult;

use super::throttle::{self, RequestedMail};
use super::tokens::{self, LinkMail, Purpose};
use super::{NewUser, create_user, find_by_email};
use crate::db::DbConnection;
use crate::domain::Email;
use crate::web::Lang;

/// Who invites: their user id and client address count against the mail limit; the link
/// is written in their page's language.
pub struct Inviter<'a> {
    pub user_id: UserId,
    pub address: &'a str,
    pub lang: Lang,
    pub base_url: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    User(UserId),
    /// The address has an account already.
    Taken,
    /// Too many invitations within the hour: nothing was made or sent.
    Throttled,
}

/// Makes the user with the address `email` (it, the password and the verification are the
/// invitation's, whatever `new` says) and mails the link. Run it inside the caller's transaction, so that what
/// the caller records with the new user stands or falls with it.
pub fn invite(
    conn: &mut DbConnection,
    email: &Email,
    new: &NewUser<'_>,
    by: &Inviter<'_>,
) -> QueryResult<Invited> {
    if let Some(refused) = refused(conn, email, by)? {
        return Ok(refused);
    }
    let id = create_user(
        conn,
        &NewUser {
            // No usable password until the invitation is accepted; following the link
            // verifies the address.
            email: Some(email),
            password_hash: "!invited",
            email_verified: false,
            ..*new
        },
    )?;
    send_invitation(conn, id, email, new.full_name, by.lang, by.base_url)?;
    Ok(Invited::User(id))
}

/// Gives an account registered without an address (a resident at the counter) the one the
/// resident now has, and mails the invitation to set a password; following it confirms the
/// address. `Taken` if another account has it, or this one has one already.
pub fn add_address(
    conn: &mut DbConnection,
    user_id: UserId,
    email: &Email,
    full_name: &str,
    by: &Inviter<'_>,
) -> QueryResult<Invited> {
    if let Some(refused) = refused(conn, email, by)? {
        return Ok(refused);
    }
    if !super::model::set_first_email(conn, user_id, email)? {
        return Ok(Invited::Taken);
    }
    send_invitation(conn, user_id, email, full_name, by.lang, by.base_url)?;
    Ok(Invited::User(user_id))
}

/// Why an invitation to `email` cannot go: the address has an account, or the inviter's
/// mail throttle is spent. None when it can.
fn refused(
    conn: &mut DbConnection,
    email: &Email,
    by: &Inviter<'_>,
) -> QueryResult<Option<Invited>> {
    if find_by_email(conn, email)?.is_some() {
        return Ok(Some(Invited::Taken));
    }
    let allowed = throttle::allow_mail(
        conn,
        RequestedMail::StaffInvitation,
        &by.user_id.to_string(),
        by.address,
        email,
    )?;
    Ok((!allowed).then_some(Invited::Throttled))
}

/// Sends the invitation link with which a new user sets the first password.
fn send_invitation(
    conn: &mut DbConnection,
    user_id: UserId,
    email: &str,
    name: &str,
    lang: Lang,
    base_url: &str,
) -> QueryResult<()> {
    tokens::mail_link(
        conn,
        user_id,
        Purpose::Invite,
        None,
        LinkMail {
            kind: crate::mail::MailKind::Invitation,
            to: email,
            name,
            lang,
            base_url,
            subject_key: "mail.invite.subject",
            body_key: "mail.invite.body",
            more: &[],
        },
    )
}
