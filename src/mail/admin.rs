//! Super admins see mail that waits or was parked after repeated failures, and send a
//! parked mail on its way again once the cause (usually the SMTP settings) is fixed.

use crate::domain::ids::MailId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::{MailKind, outbox};
use crate::audit::{self, Entry, actions};
use crate::web::auth::{Require, SuperAdmin};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx, format};

const SHOWN: i64 = 200;

struct MailView {
    id: MailId,
    kind: String,
    to: String,
    subject: String,
    /// The text was cleared after the retention: nothing left to send again.
    cleared: bool,
    created: String,
    attempts: i32,
    parked: bool,
    last_error: String,
}

#[derive(Template)]
#[template(path = "admin/mail.html")]
struct MailPage {
    ctx: PageCtx,
    waiting: String,
    parked: String,
    sent_today: String,
    mails: Vec<MailView>,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _admin: Require<SuperAdmin>,
) -> Result<HttpResponse, AppError> {
    let (queue, rows) = state
        .db(|conn| Ok((outbox::queue_counts(conn)?, outbox::unsent(conn, SHOWN)?)))
        .await?;
    let lang = ctx.lang;
    let mails = rows
        .into_iter()
        .map(|r| MailView {
            id: r.id,
            kind: kind_label(lang, r.kind),
            cleared: r.pruned_at.is_some(),
            to: if r.pruned_at.is_some() {
                format!("…@{}", r.to_address)
            } else {
                r.to_address
            },
            subject: r.subject,
            created: format::day_time(lang, r.created_at),
            attempts: r.attempts,
            parked: r.parked_at.is_some(),
            last_error: r.last_error.unwrap_or_default(),
        })
        .collect();
    let page = MailPage {
        waiting: format::number(lang, queue.waiting),
        parked: format::number(lang, queue.parked),
        sent_today: format::number(lang, queue.sent_last_day),
        ctx,
        mails,
    };
    render(&page, StatusCode::OK)
}

/// The kind as the page names it.
fn kind_label(lang: crate::web::Lang, kind: MailKind) -> String {
    lang.t(&format!("mail_kind.{}", kind.as_str())).into_owned()
}

pub async fn retry(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    admin: Require<SuperAdmin>,
    id: web::Path<MailId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let admin_id = admin.user.id;
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                if !outbox::unpark(conn, id)? {
                    return Err(AppError::NotFound);
                }
                audit::record(
                    conn,
                    Entry::new(actions::MAIL_RETRIED)
                        .actor(admin_id)
                        .subject("mail", id)
                        .client(&meta),
                )?;
                Ok(())
            })
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "mail_admin.retried");
    Ok(redirect("/admin/surel"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::Lang;
    use crate::web::i18n::has_translation;

    /// The keys are made at run time, so the scan for keys in use cannot see them.
    #[test]
    fn every_kind_is_named_in_both_languages() {
        for lang in Lang::ALL {
            for kind in MailKind::ALL {
                let key = format!("mail_kind.{}", kind.as_str());
                assert!(has_translation(lang, &key), "{}: {key}", lang.code());
            }
            assert_ne!(
                kind_label(lang, MailKind::JobAlert),
                kind_label(lang, MailKind::Other)
            );
        }
    }
}
