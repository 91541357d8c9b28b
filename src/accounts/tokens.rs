//! Single-use links sent by e-mail: address verification, password reset, e-mail change.
//! Only a SHA-256 hash of each token is stored, so a copy of the database holds no live link.

use crate::domain::ids::UserId;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::domain::Email;
use crate::schema::user_tokens;
use crate::web::session::random_token;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    /// A new staff or company user sets the first password.
    Invite,
}

crate::domain::code::store_as_code!(
    Purpose in "ref_token_purpose",
    all: Purpose::ALL,
    to: Purpose::as_str,
    from: Purpose::parse
);

impl Purpose {
    const ALL: [Purpose; 4] = [
        Self::VerifyEmail,
        Self::ResetPassword,
        Self::ChangeEmail,
        Self::Invite,
    ];

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
            Self::Invite => "invite",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Self::ResetPassword => Duration::hours(1),
            Self::VerifyEmail | Self::ChangeEmail => Duration::days(3),
            Self::Invite => Duration::days(7),
        }
    }
}

/// The page a link of each purpose opens.
impl Purpose {
    fn path(self) -> &'static str {
        match self {
            Self::VerifyEmail => "/verifikasi/",
            Self::ResetPassword => "/atur-sandi/",
            Self::ChangeEmail => "/akun/surel/",
            Self::Invite => "/undangan/",
        }
    }
}

/// Who a link is mailed to and in which words: the mail's subject and body keys, the body
/// getting `%{name}` (made safe here), `%{link}` and the values in `more`, which the
/// caller has made safe with `mail::text`.
pub struct LinkMail<'a> {
    pub kind: crate::mail::MailKind,
    pub to: &'a str,
    pub name: &'a str,
    pub lang: crate::web::Lang,
    pub base_url: &'a str,
    pub subject_key: &'a str,
    pub body_key: &'a str,
    pub more: &'a [(&'a str, &'a str)],
}

/// Issues a token and queues the mail that carries its link, in the caller's transaction.
pub fn mail_link(
    conn: &mut DbConnection,
    user_id: UserId,
    purpose: Purpose,
    new_email: Option<&Email>,
    mail: LinkMail<'_>,
) -> QueryResult<()> {
    let token = issue(conn, user_id, purpose, new_email)?;
    let link = format!("{}{}{token}", mail.base_url, purpose.path());
    let name = crate::mail::text::name(mail.name);
    let mut args = vec![("name", name.as_str()), ("link", link.as_str())];
    args.extend_from_slice(mail.more);
    let body = mail.lang.tf(mail.body_key, &args);
    crate::mail::enqueue(
        conn,
        mail.kind,
        mail.to,
        &mail.lang.t(mail.subject_key),
        &crate::mail::text::with_warning(mail.lang, &body),
    )
}

/// The hex SHA-256 under which a mailed token is stored (also used for job-alert links).
pub fn hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Makes a token and returns it; only its hash is kept. Earlier unused tokens of the same
/// purpose stop working, so only the newest link in the inbox is live.
pub fn issue(
    conn: &mut DbConnection,
    user_id: UserId,
    purpose: Purpose,
    new_email: Option<&Email>,
) -> QueryResult<String> {
    let token = random_token();
    let now = Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        diesel::update(
            user_tokens::table
                .filter(user_tokens::user_id.eq(user_id))
                .filter(user_tokens::purpose.eq(purpose.as_str()))
                .filter(user_tokens::used_at.is_null()),
        )
        .set(user_tokens::used_at.eq(now))
        .execute(conn)?;
        diesel::insert_into(user_tokens::table)
            .values((
                user_tokens::user_id.eq(user_id),
                user_tokens::purpose.eq(purpose.as_str()),
                user_tokens::token_hash.eq(hash(&token)),
                user_tokens::new_email.eq(new_email),
                user_tokens::created_at.eq(now),
                user_tokens::expires_at.eq(now + purpose.lifetime()),
            ))
            .execute(conn)
    })?;
    Ok(token)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = user_tokens)]
struct TokenRow {
    id: i32,
    user_id: UserId,
    new_email: Option<Email>,
    expires_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidToken {
    pub id: i32,
    pub user_id: UserId,
    pub new_email: Option<Email>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Used,
    Expired,
}

/// Checks a token without using it (for showing the form behind a link).
pub fn check(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
) -> QueryResult<Result<ValidToken, TokenProblem>> {
    let row: Option<TokenRow> = user_tokens::table
        .filter(user_tokens::token_hash.eq(hash(token)))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .select(TokenRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        None => Err(TokenProblem::Unknown),
        Some(row) if row.used_at.is_some() => Err(TokenProblem::Used),
        Some(row) if row.expires_at <= Utc::now().naive_utc() => Err(TokenProblem::Expired),
        Some(row) => Ok(ValidToken {
            id: row.id,
            user_id: row.user_id,
            new_email: row.new_email,
        }),
    })
}

/// Uses a token: valid once. The update's condition makes two simultaneous uses of one
/// link succeed only once.
pub fn consume(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
) -> QueryResult<Result<ValidToken, TokenProblem>> {
    let valid = match check(conn, token, purpose)? {
        Ok(valid) => valid,
        Err(problem) => return Ok(Err(problem)),
    };
    let updated = diesel::update(
        user_tokens::table
            .find(valid.id)
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(Utc::now().naive_utc()))
    .execute(conn)?;
    Ok(if updated == 1 {
        Ok(valid)
    } else {
        Err(TokenProblem::Used)
    })
}
