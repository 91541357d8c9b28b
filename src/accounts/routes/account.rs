//! The user's own account: name, phone and language; password; e-mail address (verified
//! again at the new address).

use crate::domain::ids::UserId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{MessagePage, token_problem_page};
use crate::accounts::User;
use crate::accounts::external;
use crate::accounts::login_throttle;
use crate::accounts::sessions;
use crate::accounts::sso::Sso;
use crate::accounts::throttle::{self, RequestedMail};
use crate::accounts::tokens::{self, LinkMail, Purpose};
use crate::audit::{self, Entry, actions};
use crate::domain::{Email, Phone};
use crate::web::auth::CurrentUser;
use crate::web::auth::SessionUser;
use crate::web::format;
use crate::web::forms::{FieldErrors, check_full_name, parsed};
use crate::web::i18n::lang_cookie;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

/// What the three forms of the page hold, kept on a 422 so nothing typed is lost.
#[derive(Default, Clone)]
pub(super) struct Entered {
    full_name: String,
    phone: String,
    locale: String,
    new_email: String,
}

impl Entered {
    /// The stored profile, and the new address as typed.
    fn with_new_email(stored: User, new_email: String) -> Self {
        Self {
            full_name: stored.full_name,
            phone: stored.phone.map(String::from).unwrap_or_default(),
            locale: stored.locale.code().to_owned(),
            new_email,
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    ctx: PageCtx,
    user: SessionUser,
    company: Option<String>,
    /// Sessions of this account that stand, this one included.
    sessions: i64,
    entered: Entered,
    errors: FieldErrors,
    /// Sign-in through the OpenID Connect provider, where one is configured.
    sso: Option<SsoLink>,
}

/// The provider's section of the page.
struct SsoLink {
    name: String,
    link: Option<external::Link>,
}

impl AccountPage {
    fn sso_heading(&self) -> String {
        let name = self.sso.as_ref().map_or("", |s| s.name.as_str());
        self.ctx.tf("sso.account.heading", &[("name", name)])
    }

    /// "Linked since …, last used …", or how linking works.
    fn sso_text(&self) -> String {
        let Some(sso) = &self.sso else {
            return String::new();
        };
        match &sso.link {
            Some(link) => {
                let since = format::day(self.ctx.lang, link.linked_at);
                let used = link.last_used_at.map_or_else(
                    || self.ctx.t("sso.account.never_used").into_owned(),
                    |at| format::day_time(self.ctx.lang, at),
                );
                self.ctx.tf(
                    "sso.account.linked",
                    &[("name", &sso.name), ("since", &since), ("used", &used)],
                )
            }
            None => self.ctx.tf("sso.account.intro", &[("name", &sso.name)]),
        }
    }

    fn sso_linked(&self) -> bool {
        self.sso.as_ref().is_some_and(|s| s.link.is_some())
    }

    fn sso_button(&self, key: &str) -> String {
        let name = self.sso.as_ref().map_or("", |s| s.name.as_str());
        self.ctx.tf(key, &[("name", name)])
    }

    fn sessions_text(&self) -> String {
        self.ctx.tf(
            "account.sessions.count",
            &[("count", &self.sessions.to_string())],
        )
    }
}

async fn load(state: &AppState, user_id: UserId) -> Result<(User, Option<String>), AppError> {
    state
        .db(move |conn| {
            let user = crate::accounts::find_by_id(conn, user_id)?.ok_or(AppError::NotFound)?;
            let company = match user.company_id {
                Some(id) => crate::employers::find_company(conn, id)?.map(|c| c.name),
                None => None,
            };
            Ok((user, company))
        })
        .await
}

/// Ends every session of the account, this one too: for a lost phone or a shared
/// computer left signed in.
pub async fn sign_out_everywhere(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let ended =
                    sessions::end_all(conn, user.id, sessions::EndReason::LogoutEverywhere)?;
                audit::record(
                    conn,
                    Entry::new(actions::SESSIONS_ENDED)
                        .actor(user.id)
                        .subject("user", user.id)
                        .detail(serde_json::json!({ "sessions": ended }))
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    session::sign_out(&session);
    session::flash(&session, FlashLevel::Info, "account.signed_out_everywhere");
    Ok(redirect("/masuk"))
}

pub(super) async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    sso: &Sso,
    user: SessionUser,
    entered: Option<Entered>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (stored, company) = load(state, user.id).await?;
    let user_id = user.id;
    let issuer = sso.provider().map(|p| p.issuer().to_owned());
    let (sessions, link) = state
        .db(move |conn| {
            let link = match &issuer {
                Some(issuer) => external::link_of(conn, user_id, issuer)?,
                None => None,
            };
            Ok((sessions::count_standing(conn, user_id)?, link))
        })
        .await?;
    let entered = entered.unwrap_or(Entered {
        full_name: stored.full_name,
        phone: stored.phone.map(String::from).unwrap_or_default(),
        locale: stored.locale.code().to_owned(),
        new_email: String::new(),
    });
    let page = AccountPage {
        ctx,
        user,
        company,
        sessions,
        entered,
        errors,
        sso: sso.provider().map(|p| SsoLink {
            name: p.name().to_owned(),
            link,
        }),
    };
    Ok(super::sso::allow_forms_to_provider(
        render(&page, status)?,
        sso,
    ))
}

pub async fn account(
    ctx: PageCtx,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    render_page(
        ctx,
        &state,
        &sso,
        user,
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The message for a current-password field, or `None` when the password is right.
/// Checked behind the login throttle.
pub(super) async fn current_password(
    state: &AppState,
    req: &HttpRequest,
    user_id: UserId,
    password: String,
) -> Result<Option<&'static str>, AppError> {
    let address = RequestMeta::of(req).address;
    let checked = state
        .db(move |conn| {
            Ok(login_throttle::check_current_password(
                conn, user_id, &password, &address,
            )?)
        })
        .await?;
    Ok(checked.error_key())
}

// ---------------------------------------------------------------- profile

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    full_name: String,
    phone: String,
    locale: String,
}

pub async fn update_profile(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    session: Session,
    CurrentUser(user): CurrentUser,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let name = check_full_name(&mut errors, &form.full_name);
    // A phone number is needed by residents and employers, optional for staff.
    let phone = if form.phone.trim().is_empty() && user.is_staff() {
        None
    } else {
        parsed(
            &mut errors,
            "phone",
            "signup.error.phone",
            Phone::parse(&form.phone),
        )
    };
    let lang = Lang::from_code(&form.locale);
    if lang.is_none() {
        errors.add("locale", "account.error.locale");
    }
    let (Some(lang), true) = (lang, errors.is_empty()) else {
        let entered = Entered {
            full_name: form.full_name,
            phone: form.phone,
            locale: form.locale,
            new_email: String::new(),
        };
        return render_page(
            ctx,
            &state,
            &sso,
            user,
            Some(entered),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let id = user.id;
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                crate::accounts::set_own_profile(conn, id, &name, phone.as_ref(), lang.code())?;
                audit::record(
                    conn,
                    Entry::new(actions::USER_PROFILE_CHANGED)
                        .actor(id)
                        .subject("user", id)
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "account.saved");
    // The chosen language applies at once, on this device too.
    let cookie = lang_cookie(lang, state.settings.is_https());
    let mut res = redirect("/akun");
    res.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(res)
}

// ---------------------------------------------------------------- password

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

pub async fn change_password(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    session: Session,
    CurrentUser(user): CurrentUser,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    if let Err(e) = crate::accounts::check_password_policy(&form.password) {
        errors.add("password", e.message_key());
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", "signup.error.confirm");
    }
    if let Some(key) = current_password(&state, &req, user.id, form.current_password).await? {
        errors.add("current_password", key);
    }
    if !errors.is_empty() {
        return render_page(
            ctx,
            &state,
            &sso,
            user,
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let hash = crate::accounts::hash_password(&form.password).map_err(AppError::internal)?;
    let lang = ctx.lang;
    let (id, email, name) = (user.id, user.email.clone(), user.full_name.clone());
    let remember = req.extensions().get::<session::RememberUntil>().is_some();
    let (epoch, started) = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let epoch = crate::accounts::set_password(conn, id, &hash)?;
                // Every session ended with the new password; this browser gets a new one.
                let started = sessions::start(conn, id, remember)?;
                crate::mail::enqueue(
                    conn,
                    crate::mail::MailKind::PasswordChanged,
                    &email,
                    &lang.t("mail.password_changed.subject"),
                    &lang.tf(
                        "mail.password_changed.body",
                        &[("name", &crate::mail::text::name(&name))],
                    ),
                )?;
                audit::record(
                    conn,
                    Entry::new(actions::PASSWORD_CHANGED)
                        .actor(id)
                        .subject("user", id)
                        .client(&meta),
                )?;
                Ok::<_, diesel::result::Error>((epoch, started))
            })?)
        })
        .await?;
    session::sign_in(&session, id, epoch, &started.token);
    session::remember_until(&req, started.remember_until);
    session::flash(&session, FlashLevel::Success, "account.password_changed");
    Ok(redirect("/akun"))
}

// ---------------------------------------------------------------- e-mail address

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    new_email: String,
    current_password: String,
}

pub async fn request_email_change(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    sso: web::Data<Sso>,
    session: Session,
    CurrentUser(user): CurrentUser,
    form: web::Form<EmailForm>,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let new_email = parsed(
        &mut errors,
        "new_email",
        "signup.error.email",
        Email::parse(&form.new_email),
    );
    if new_email.as_ref() == Some(&user.email) {
        errors.add("new_email", "account.error.same_email");
    }
    let (stored, _) = load(&state, user.id).await?;
    if let Some(key) = current_password(&state, &req, user.id, form.current_password).await? {
        errors.add("email_password", key);
    }
    // Whether the new address already has an account is not said here: anyone with an
    // account could otherwise test addresses. It is answered like any other, and the
    // owner of that address is told instead of sent a link.
    let (true, Some(new_email)) = (errors.is_empty(), new_email) else {
        let entered = Entered::with_new_email(stored, form.new_email);
        return render_page(
            ctx,
            &state,
            &sso,
            user,
            Some(entered),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let lang = ctx.lang;
    let base_url = state.settings.base_url.clone();
    let asker = user.clone();
    let sent = state
        .db(move |conn| {
            let user = asker;
            Ok(crate::db::transaction(conn, |conn| {
                if !throttle::allow_mail(
                    conn,
                    RequestedMail::EmailChange,
                    &user.id.to_string(),
                    &meta.address,
                    &new_email,
                )? {
                    return Ok::<_, diesel::result::Error>(false);
                }
                if let Some(owner) = crate::accounts::find_by_email(conn, &new_email)? {
                    let owner_lang = owner.locale;
                    crate::mail::enqueue(
                        conn,
                        crate::mail::MailKind::EmailChangeNotice,
                        &new_email,
                        &owner_lang.t("mail.change_email_existing.subject"),
                        &owner_lang.tf(
                            "mail.change_email_existing.body",
                            &[("reset", &format!("{base_url}/lupa-sandi"))],
                        ),
                    )?;
                } else {
                    tokens::mail_link(
                        conn,
                        user.id,
                        Purpose::ChangeEmail,
                        Some(&new_email),
                        LinkMail {
                            kind: crate::mail::MailKind::ChangeEmail,
                            to: &new_email,
                            name: &user.full_name,
                            lang,
                            base_url: &base_url,
                            subject_key: "mail.change_email.subject",
                            body_key: "mail.change_email.body",
                            more: &[],
                        },
                    )?;
                }
                // The old address hears of it too, in case the account was taken over.
                crate::mail::enqueue(
                    conn,
                    crate::mail::MailKind::EmailChangeNotice,
                    &user.email,
                    &lang.t("mail.email_change_notice.subject"),
                    &lang.tf(
                        "mail.email_change_notice.body",
                        &[
                            ("name", &crate::mail::text::name(&user.full_name)),
                            ("email", &new_email),
                        ],
                    ),
                )?;
                audit::record(
                    conn,
                    Entry::new(actions::USER_EMAIL_CHANGE_REQUESTED)
                        .actor(user.id)
                        .subject("user", user.id)
                        .detail(serde_json::json!({
                            // The address itself would keep a person findable after erasure.
                            "new_email_domain": crate::mail::recipient_domain(&new_email)
                        }))
                        .client(&meta),
                )?;
                Ok(true)
            })?)
        })
        .await?;
    if !sent {
        let mut errors = FieldErrors::default();
        errors.add("new_email", "security_mail.throttled.email_change");
        let entered = Entered::with_new_email(stored, form.new_email);
        return render_page(
            ctx,
            &state,
            &sso,
            user,
            Some(entered),
            errors,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    session::flash(&session, FlashLevel::Info, "account.email_link_sent");
    Ok(redirect("/akun"))
}

pub async fn confirm_email_change(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();

    let result = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let valid = match tokens::consume(conn, &token, Purpose::ChangeEmail)? {
                    Ok(valid) => valid,
                    Err(problem) => return Ok::<_, diesel::result::Error>(Err(problem)),
                };
                let Some(new_email) = valid.new_email.clone() else {
                    return Ok(Ok(false));
                };
                // Someone may have taken the address since the link was sent.
                if crate::accounts::find_by_email(conn, &new_email)?.is_some() {
                    return Ok(Ok(false));
                }
                crate::accounts::set_confirmed_email(conn, valid.user_id, &new_email)?;
                audit::record(
                    conn,
                    Entry::new(actions::USER_EMAIL_CHANGED)
                        .actor(valid.user_id)
                        .subject("user", valid.user_id)
                        .detail(serde_json::json!({
                            // The address itself would keep a person findable after erasure.
                            "new_email_domain": crate::mail::recipient_domain(&new_email)
                        }))
                        .client(&meta),
                )?;
                Ok(Ok(true))
            })?)
        })
        .await?;
    match result {
        Ok(true) => render(
            &MessagePage {
                ctx,
                title_key: "account.email_changed.title",
                text_key: "account.email_changed.text",
                link: Some(("/akun", "nav.account")),
            },
            StatusCode::OK,
        ),
        Ok(false) => render(
            &MessagePage {
                ctx,
                title_key: "token.title",
                text_key: "account.email_taken_since",
                link: Some(("/akun", "nav.account")),
            },
            StatusCode::CONFLICT,
        ),
        Err(problem) => token_problem_page(ctx, problem, "/akun"),
    }
}
