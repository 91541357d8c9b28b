//! The e-mailed check of a waiting link (issue 14, item 1): a resident typed a NIK the Dinas
//! already knew from elsewhere (a JKP list, an employer's list) and the link waits, so that
//! typing a stranger's NIK opens nothing. Besides the counter, the person's own address on
//! the Dinas's record can confirm it: a link goes there, and opening it while signed in to
//! the account that typed the NIK links the two. Both are needed: the mailbox proves the
//! person, the session proves the account; a stranger who typed the NIK has only the second,
//! and the person, clicking a link about someone else's account, only the first.
//!
//! An account whose own confirmed address is the one on record is confirmed at once. The
//! resident is told nothing either way, as with any NIK (see `profile::update`). Owns
//! `person_link_checks`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::person_link::{self, SavedBy};
use crate::accounts::tokens::hash;
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::ids::{JobSeekerId, PersonId, UserId};
use crate::mail::MailKind;
use crate::schema::person_link_checks;
use crate::web::auth::{JobSeeker, Require};
use crate::web::respond::{redirect, render};
use crate::web::session::{self as web_session, FlashLevel, random_token};
use crate::web::{AppError, AppState, Lang, PageCtx};

/// How long a mailed link works.
const LIFETIME: Duration = Duration::days(7);
/// One mail a day for a profile and a person, however often the profile is saved...
const RESEND_AFTER: Duration = Duration::hours(24);
/// ...and at most this many a day to one person, however many accounts type the NIK.
const PER_PERSON_PER_DAY: i64 = 3;

const PATH: &str = "/konfirmasi-penduduk/";

/// What offering the check did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// The account's own confirmed address is the person's: linked at once.
    Confirmed,
    /// A link went to the address on the person's record.
    Mailed,
    /// No address on record, or a mail went out lately: the counter confirms.
    Nothing,
}

/// The account that saved the profile, as the check needs it.
pub struct Account<'a> {
    pub user_id: UserId,
    pub email: &'a crate::domain::Email,
    pub email_confirmed: bool,
}

/// After a resident's save left the profile's link waiting for `person`: confirms it when
/// the account's confirmed address is the one on record, or mails a link to that address.
/// In the save's transaction.
pub fn offer(
    conn: &mut DbConnection,
    account: &Account<'_>,
    seeker: JobSeekerId,
    person: PersonId,
    base_url: &str,
    now: NaiveDateTime,
) -> QueryResult<Offer> {
    let Some(on_record) = crate::people::find(conn, person)?.and_then(|p| p.email) else {
        return Ok(Offer::Nothing);
    };
    if account.email_confirmed && *account.email == on_record {
        person_link::resync(conn, account.user_id, SavedBy::EmailCheck)?;
        audit::record(
            conn,
            Entry::new(actions::SEEKER_PERSON_CONFIRMED_BY_EMAIL)
                .actor(account.user_id)
                .subject("user", account.user_id)
                .detail(serde_json::json!({ "how": "same_address" })),
        )?;
        return Ok(Offer::Confirmed);
    }
    let day_ago = now - RESEND_AFTER;
    let recent: i64 = person_link_checks::table
        .filter(person_link_checks::person_id.eq(person))
        .filter(person_link_checks::sent_at.gt(day_ago))
        .count()
        .get_result(conn)?;
    let this_profile: i64 = person_link_checks::table
        .filter(person_link_checks::person_id.eq(person))
        .filter(person_link_checks::job_seeker_id.eq(seeker))
        .filter(person_link_checks::sent_at.gt(day_ago))
        .count()
        .get_result(conn)?;
    if this_profile > 0 || recent >= PER_PERSON_PER_DAY {
        return Ok(Offer::Nothing);
    }
    let token = random_token();
    diesel::insert_into(person_link_checks::table)
        .values((
            person_link_checks::job_seeker_id.eq(seeker),
            person_link_checks::person_id.eq(person),
            person_link_checks::token_hash.eq(hash(&token)),
            person_link_checks::sent_at.eq(now),
            person_link_checks::expires_at.eq(now + LIFETIME),
        ))
        .execute(conn)?;
    // In Indonesian: the address came from a Dinas list, whose language is Indonesian; the
    // mail names no one and no NIK.
    let lang = Lang::Id;
    let link = format!("{base_url}{PATH}{token}");
    let body = lang.tf("person_check.mail.body", &[("link", link.as_str())]);
    crate::mail::enqueue(
        conn,
        MailKind::PersonCheck,
        on_record.as_str(),
        &lang.t("person_check.mail.subject"),
        &crate::mail::text::with_warning(lang, &body),
    )?;
    Ok(Offer::Mailed)
}

/// A live check: not used, not expired.
#[derive(Debug, Clone, Copy)]
struct Live {
    id: i32,
    seeker: JobSeekerId,
    person: PersonId,
}

fn live(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> QueryResult<Option<Live>> {
    Ok(person_link_checks::table
        .filter(person_link_checks::token_hash.eq(hash(token)))
        .filter(person_link_checks::used_at.is_null())
        .filter(person_link_checks::expires_at.gt(now))
        .select((
            person_link_checks::id,
            person_link_checks::job_seeker_id,
            person_link_checks::person_id,
        ))
        .first::<(i32, JobSeekerId, PersonId)>(conn)
        .optional()?
        .map(|(id, seeker, person)| Live { id, seeker, person }))
}

/// What opening a link found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    /// Signed in to another account (or none): nothing changed, the link still works.
    WrongAccount,
    /// Unknown, used, expired, or the profile no longer waits for that person.
    Dead,
}

/// Opens the link for the signed-in `user_id`: confirms the waiting link if the check is
/// about that account's profile and the profile still waits for the same person.
pub fn confirm(conn: &mut DbConnection, token: &str, user_id: UserId) -> QueryResult<Confirmation> {
    crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        let Some(check) = live(conn, token, now)? else {
            return Ok(Confirmation::Dead);
        };
        let owner = super::model::find(conn, check.seeker)?.map(|p| p.user_id);
        if owner != Some(user_id) {
            return Ok(Confirmation::WrongAccount);
        }
        let still_waiting = person_link::waiting_for(conn, check.seeker)? == Some(check.person);
        diesel::update(
            person_link_checks::table
                .filter(person_link_checks::job_seeker_id.eq(check.seeker))
                .filter(person_link_checks::used_at.is_null()),
        )
        .set(person_link_checks::used_at.eq(now))
        .execute(conn)?;
        if !still_waiting {
            return Ok(Confirmation::Dead);
        }
        person_link::resync(conn, user_id, SavedBy::EmailCheck)?;
        audit::record(
            conn,
            Entry::new(actions::SEEKER_PERSON_CONFIRMED_BY_EMAIL)
                .actor(user_id)
                .subject("user", user_id)
                .detail(serde_json::json!({ "how": "mailed_link", "check": check.id })),
        )?;
        Ok(Confirmation::Confirmed)
    })
}

#[derive(Template)]
#[template(path = "seekers/person_check.html")]
struct CheckPage {
    ctx: PageCtx,
    /// The form's action, when the signed-in account may confirm.
    action: Option<String>,
    text_key: &'static str,
}

/// The page a mailed link opens. It changes nothing (mail scanners open links): the
/// signed-in resident confirms with the button.
pub async fn page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let user = ctx.user.as_ref().map(|u| u.id);
    let check_token = token.clone();
    let found = state
        .db(move |conn| {
            let Some(check) = live(conn, &check_token, Utc::now().naive_utc())? else {
                return Ok(None);
            };
            let owner = super::model::find(conn, check.seeker)?.map(|p| p.user_id);
            Ok(Some(owner.is_some() && owner == user))
        })
        .await?;
    let (status, action, text_key) = match found {
        None => (StatusCode::GONE, None, "person_check.dead"),
        Some(true) => (
            StatusCode::OK,
            Some(format!("{PATH}{token}")),
            "person_check.ask",
        ),
        Some(false) => (StatusCode::OK, None, "person_check.sign_in"),
    };
    render(
        &CheckPage {
            ctx,
            action,
            text_key,
        },
        status,
    )
}

pub async fn submit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let user_id = seeker.user.id;
    let token = token.into_inner();
    let outcome = state
        .db(move |conn| Ok(confirm(conn, &token, user_id)?))
        .await?;
    let (status, text_key) = match outcome {
        Confirmation::Confirmed => {
            web_session::flash(&session, FlashLevel::Success, "person_check.confirmed");
            return Ok(redirect("/pencaker/profil"));
        }
        Confirmation::WrongAccount => (StatusCode::FORBIDDEN, "person_check.sign_in"),
        Confirmation::Dead => (StatusCode::GONE, "person_check.dead"),
    };
    render(
        &CheckPage {
            ctx,
            action: None,
            text_key,
        },
        status,
    )
}
