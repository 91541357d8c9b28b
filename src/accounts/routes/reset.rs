//! Forgotten passwords: a single-use link by e-mail, valid for an hour.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{MessagePage, token_problem_page};
use crate::accounts::throttle::{self, Kind};
use crate::accounts::tokens::{self, LinkMail, Purpose};
use crate::audit::{self, Entry, actions};
use crate::domain::Email;
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    ctx: PageCtx,
    email: String,
    errors: FieldErrors,
}

pub async fn forgot_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    render(
        &ForgotPage {
            ctx,
            email: String::new(),
            errors: FieldErrors::default(),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

const RESETS_PER_ADDRESS_PER_HOUR: i64 = 5;
const RESETS_PER_ACCOUNT_PER_HOUR: i64 = 3;

pub async fn forgot(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let email = form.into_inner().email;
    let Ok(account) = Email::parse(&email) else {
        let mut errors = FieldErrors::default();
        errors.add("email", "signup.error.email");
        return render(
            &ForgotPage { ctx, email, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let lang = ctx.lang;
    let base_url = state.settings.base_url.clone();
    let throttled = state
        .db(move |conn| {
            if throttle::over_hourly_limit(
                conn,
                Kind::ResetAddress,
                &meta.address,
                RESETS_PER_ADDRESS_PER_HOUR,
            )? {
                return Ok(true);
            }
            throttle::record(conn, Kind::ResetAddress, &meta.address)?;
            // Over the per-account limit nothing is sent, but the answer stays the same, so it
            // says nothing about whether the account exists.
            if throttle::over_hourly_limit(
                conn,
                Kind::ResetAccount,
                &account,
                RESETS_PER_ACCOUNT_PER_HOUR,
            )? {
                return Ok(false);
            }
            throttle::record(conn, Kind::ResetAccount, &account)?;
            if let Some(user) =
                crate::accounts::find_by_email(conn, &account)?.filter(|u| u.is_active)
            {
                crate::db::transaction(conn, |conn| {
                    tokens::mail_link(
                        conn,
                        user.id,
                        Purpose::ResetPassword,
                        None,
                        LinkMail {
                            kind: crate::mail::MailKind::ResetPassword,
                            to: &account,
                            name: &user.full_name,
                            lang,
                            base_url: &base_url,
                            subject_key: "mail.reset.subject",
                            body_key: "mail.reset.body",
                            more: &[],
                        },
                    )?;
                    audit::record(
                        conn,
                        Entry::new(actions::PASSWORD_RESET_REQUESTED).subject("user", user.id),
                    )
                })?;
            }
            Ok(false)
        })
        .await?;
    if throttled {
        let mut errors = FieldErrors::default();
        errors.add("email", "forgot.error.throttled");
        return render(
            &ForgotPage { ctx, email, errors },
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    render(
        &MessagePage {
            ctx,
            title_key: "forgot.sent.title",
            text_key: "forgot.sent.text",
            link: Some(("/masuk", "nav.login")),
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    ctx: PageCtx,
    action: String,
    title_key: &'static str,
    errors: FieldErrors,
}

/// The two links that lead to the set-password form: a reset, and an invitation to a new
/// staff or company account (which also proves the e-mail address).
#[derive(Clone, Copy)]
enum Flow {
    Reset,
    Invite,
}

impl Flow {
    fn purpose(self) -> Purpose {
        match self {
            Self::Reset => Purpose::ResetPassword,
            Self::Invite => Purpose::Invite,
        }
    }

    fn action(self, token: &str) -> String {
        match self {
            Self::Reset => format!("/atur-sandi/{token}"),
            Self::Invite => format!("/undangan/{token}"),
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Self::Reset => "reset.title",
            Self::Invite => "invite.title",
        }
    }

    /// Where a visitor with a dead link can get a new one.
    fn retry(self) -> &'static str {
        "/lupa-sandi"
    }
}

pub async fn reset_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_password_form(Flow::Reset, ctx, state, token.into_inner()).await
}

pub async fn invite_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_password_form(Flow::Invite, ctx, state, token.into_inner()).await
}

async fn set_password_form(
    flow: Flow,
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: String,
) -> Result<HttpResponse, AppError> {
    let check_token = token.clone();
    let checked = state
        .db(move |conn| Ok(tokens::check(conn, &check_token, flow.purpose())?))
        .await?;
    match checked {
        Ok(_) => render(
            &ResetPage {
                ctx,
                action: flow.action(&token),
                title_key: flow.title_key(),
                errors: FieldErrors::default(),
            },
            StatusCode::OK,
        ),
        Err(problem) => token_problem_page(ctx, problem, flow.retry()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    password: String,
    password_confirm: String,
}

pub async fn reset(
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    set_password(
        Flow::Reset,
        ctx,
        state,
        session,
        token.into_inner(),
        form.into_inner(),
    )
    .await
}

pub async fn accept_invite(
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    set_password(
        Flow::Invite,
        ctx,
        state,
        session,
        token.into_inner(),
        form.into_inner(),
    )
    .await
}

async fn set_password(
    flow: Flow,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    token: String,
    form: ResetForm,
) -> Result<HttpResponse, AppError> {
    // A link that is unknown, used or expired is answered first: before the password is
    // looked at, and above all before the deliberately slow hash, so guessing links costs
    // the server a query each, not an argon2 hash each.
    let check_token = token.clone();
    let checked = state
        .db(move |conn| Ok(tokens::check(conn, &check_token, flow.purpose())?))
        .await?;
    if let Err(problem) = checked {
        return token_problem_page(ctx, problem, flow.retry());
    }
    let mut errors = FieldErrors::default();
    if let Err(e) = crate::accounts::check_password_policy(&form.password) {
        errors.add("password", e.message_key());
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", "signup.error.confirm");
    }
    if !errors.is_empty() {
        let page = ResetPage {
            ctx,
            action: flow.action(&token),
            title_key: flow.title_key(),
            errors,
        };
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = crate::accounts::hash_password(&form.password).map_err(AppError::internal)?;
    let lang = ctx.lang;
    let result = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let result = tokens::consume(conn, &token, flow.purpose())?;
                let Ok(valid) = &result else {
                    return Ok::<_, diesel::result::Error>(result);
                };
                crate::accounts::set_password(conn, valid.user_id, &hash)?;
                match flow {
                    Flow::Reset => {
                        // A reset link only ever went to an address.
                        if let Some(user) = crate::accounts::find_by_id(conn, valid.user_id)?
                            && let Some(email) = &user.email
                        {
                            crate::mail::enqueue(
                                conn,
                                crate::mail::MailKind::PasswordChanged,
                                email,
                                &lang.t("mail.password_changed.subject"),
                                &lang.tf(
                                    "mail.password_changed.body",
                                    &[("name", &crate::mail::text::name(&user.full_name))],
                                ),
                            )?;
                        }
                        audit::record(
                            conn,
                            Entry::new(actions::PASSWORD_RESET)
                                .actor(valid.user_id)
                                .subject("user", valid.user_id),
                        )?;
                    }
                    Flow::Invite => {
                        crate::accounts::mark_email_verified(conn, valid.user_id)?;
                        audit::record(
                            conn,
                            Entry::new(actions::USER_INVITATION_ACCEPTED)
                                .actor(valid.user_id)
                                .subject("user", valid.user_id),
                        )?;
                    }
                }
                Ok(result)
            })?)
        })
        .await?;
    match result {
        Ok(_) => {
            // Every session ended with the new epoch; this browser signs in afresh.
            session::sign_out(&session);
            let done = match flow {
                Flow::Reset => "reset.done",
                Flow::Invite => "invite.done",
            };
            session::flash(&session, FlashLevel::Success, done);
            Ok(redirect("/masuk"))
        }
        Err(problem) => token_problem_page(ctx, problem, flow.retry()),
    }
}
