//! Signing up and verifying the e-mail address.

use crate::domain::ids::UserId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{MessagePage, token_problem_page};
use crate::accounts::NewUser;
use crate::accounts::throttle::{self, Kind, RequestedMail};
use crate::accounts::tokens::{self, LinkMail, Purpose};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::Role;
use crate::domain::{Email, Phone};
use crate::employers::forms::{CompanyChoices, CompanyFields, validate_company};
use crate::employers::{self, NewCompany};
use crate::web::auth::CurrentUser;
use crate::web::forms::{FieldErrors, check_full_name, parsed};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

/// Both sign-up forms: the person, and for employers the company.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SignupForm {
    full_name: String,
    email: String,
    phone: String,
    password: String,
    password_confirm: String,
    consent: String,
    #[serde(flatten)]
    company: CompanyFields,
}

impl SignupForm {
    /// Passwords are never sent back to the browser.
    fn without_passwords(mut self) -> Self {
        self.password.clear();
        self.password_confirm.clear();
        self
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SignupKind {
    JobSeeker,
    Employer,
}

#[derive(Template)]
#[template(path = "accounts/signup.html")]
struct SignupPage {
    ctx: PageCtx,
    form: SignupForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "accounts/signup_employer.html")]
struct EmployerSignupPage {
    ctx: PageCtx,
    form: SignupForm,
    company: CompanyFields,
    errors: FieldErrors,
    choices: CompanyChoices,
}

impl EmployerSignupPage {
    fn new(ctx: PageCtx, form: SignupForm, errors: FieldErrors) -> Self {
        let choices = CompanyChoices::new(ctx.lang);
        Self {
            ctx,
            company: form.company.clone(),
            form,
            errors,
            choices,
        }
    }
}

pub async fn signup_form(
    ctx: PageCtx,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    if user.is_some() {
        return Ok(redirect("/saya"));
    }
    let page = SignupPage {
        ctx,
        form: SignupForm::default(),
        errors: FieldErrors::default(),
    };
    render(&page, StatusCode::OK)
}

pub async fn employer_signup_form(
    ctx: PageCtx,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    if user.is_some() {
        return Ok(redirect("/saya"));
    }
    let page = EmployerSignupPage::new(ctx, SignupForm::default(), FieldErrors::default());
    render(&page, StatusCode::OK)
}

struct ValidPerson {
    full_name: String,
    email: Email,
    phone: Phone,
    password: String,
}

fn validate_person(form: &SignupForm, errors: &mut FieldErrors) -> Option<ValidPerson> {
    let name = check_full_name(errors, &form.full_name);
    let email = parsed(
        errors,
        "email",
        "signup.error.email",
        Email::parse(&form.email),
    );
    let phone = parsed(
        errors,
        "phone",
        "signup.error.phone",
        Phone::parse(&form.phone),
    );
    if let Err(e) = crate::accounts::check_password_policy(&form.password) {
        errors.add("password", e.message_key());
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", "signup.error.confirm");
    }
    if form.consent != "on" {
        errors.add("consent", "signup.error.consent");
    }
    Some(ValidPerson {
        full_name: name,
        email: email?,
        phone: phone?,
        password: form.password.clone(),
    })
}

/// Why a valid sign-up form was refused. Anything else is answered "mail sent", for a new
/// account and a known address alike.
enum Refused {
    NibTaken,
    Throttled,
}

const SIGNUPS_PER_ADDRESS_PER_HOUR: i64 = 5;
/// Notices that somebody tried to sign up with a known address, per address per hour.
const SIGNUP_NOTICES_PER_RECIPIENT_PER_HOUR: i64 = 2;

pub async fn signup(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<SignupForm>,
) -> Result<HttpResponse, AppError> {
    handle_signup(SignupKind::JobSeeker, req, ctx, state, form.into_inner()).await
}

pub async fn employer_signup(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<SignupForm>,
) -> Result<HttpResponse, AppError> {
    handle_signup(SignupKind::Employer, req, ctx, state, form.into_inner()).await
}

fn render_form(
    kind: SignupKind,
    ctx: PageCtx,
    form: SignupForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let form = form.without_passwords();
    match kind {
        SignupKind::JobSeeker => render(&SignupPage { ctx, form, errors }, status),
        SignupKind::Employer => render(&EmployerSignupPage::new(ctx, form, errors), status),
    }
}

async fn handle_signup(
    kind: SignupKind,
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: SignupForm,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);
    let mut errors = FieldErrors::default();
    let person = validate_person(&form, &mut errors);
    let company = match kind {
        SignupKind::Employer => validate_company(&form.company, &mut errors),
        SignupKind::JobSeeker => None,
    };
    let (true, Some(person)) = (errors.is_empty(), person) else {
        return render_form(kind, ctx, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let lang = ctx.lang;
    let base_url = state.settings.base_url.clone();
    // The cheap checks come before the deliberately slow hash, so a flood of sign-ups
    // costs the server a query each, not an argon2 hash each.
    let throttled = {
        let address = meta.address.clone();
        state
            .db(move |conn| {
                Ok(throttle::over_hourly_limit(
                    conn,
                    Kind::SignUpAddress,
                    &address,
                    SIGNUPS_PER_ADDRESS_PER_HOUR,
                )?)
            })
            .await?
    };
    if throttled {
        return signup_refused(kind, ctx, form, Refused::Throttled);
    }
    // Hashed for a known address too, so the time taken tells nothing.
    let hash = crate::accounts::hash_password(&person.password).map_err(AppError::internal)?;
    let outcome = state
        .db(move |conn| {
            if let Some(company) = &company
                && employers::nib_taken(conn, &company.nib)?
            {
                // A company's NIB is public business data, not a person's: say so plainly.
                return Ok(Err(Refused::NibTaken));
            }
            throttle::record(conn, Kind::SignUpAddress, &meta.address)?;
            if let Some(owner) = crate::accounts::find_by_email(conn, &person.email)? {
                // Answered like a new account; only the owner learns of it, by mail.
                notify_owner_of_signup_attempt(conn, &owner, &base_url)?;
                return Ok(Ok(()));
            }
            crate::db::transaction(conn, |conn| {
                let company_id = match &company {
                    Some(c) => {
                        let id = employers::create_company(
                            conn,
                            &NewCompany {
                                name: &c.name,
                                nib: Some(&c.nib),
                                npwp: c.npwp.as_deref(),
                                kbli_section: &c.kbli_section,
                                address: &c.address,
                                kelurahan_code: c.kelurahan_code,
                                regency_code: c.regency_code,
                            },
                        )?;
                        Some(id)
                    }
                    None => None,
                };
                let role = match kind {
                    SignupKind::JobSeeker => Role::JobSeeker,
                    SignupKind::Employer => Role::Employer,
                };
                let user_id = crate::accounts::create_user(
                    conn,
                    &NewUser {
                        phone: Some(&person.phone),
                        privacy_consent: true,
                        email_verified: false,
                        company_id,
                        // The person who signs a company up owns it and invites the others.
                        is_company_owner: company_id.is_some(),
                        ..NewUser::staff(&person.email, &person.full_name, &hash, &[role])
                    },
                )?;
                send_verification(
                    conn,
                    user_id,
                    &person.email,
                    &person.full_name,
                    lang,
                    &base_url,
                )?;
                audit::record(
                conn,
                Entry::new(actions::USER_SIGNED_UP)
                    .actor(user_id)
                    .subject("user", user_id)
                    .detail(
                        serde_json::json!({ "roles": [role.as_str()], "company_id": company_id }),
                    )
                    .client(&meta),
            )?;
                if let Some(company_id) = company_id {
                    audit::record(
                        conn,
                        Entry::new(actions::COMPANY_CREATED)
                            .actor(user_id)
                            .subject("company", company_id)
                            .client(&meta),
                    )?;
                }
                Ok::<_, diesel::result::Error>(())
            })?;
            Ok(Ok(()))
        })
        .await?;
    match outcome {
        // Not signed in: a known address gets the same answer, and the account is used
        // once its address is verified.
        Ok(()) => Ok(redirect("/daftar/periksa-surel")),
        Err(refused) => signup_refused(kind, ctx, form, refused),
    }
}

fn signup_refused(
    kind: SignupKind,
    ctx: PageCtx,
    form: SignupForm,
    refused: Refused,
) -> Result<HttpResponse, AppError> {
    let (status, field, key) = match refused {
        Refused::NibTaken => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "nib",
            "company.error.nib_taken",
        ),
        Refused::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            "form",
            "signup.error.throttled",
        ),
    };
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    render_form(kind, ctx, form, errors, status)
}

/// Tells the owner of an address that somebody tried to sign up with it, in the owner's
/// language, at most twice an hour; the person who typed it learns nothing.
fn notify_owner_of_signup_attempt(
    conn: &mut DbConnection,
    owner: &crate::accounts::User,
    base_url: &str,
) -> diesel::QueryResult<()> {
    // Found by the address typed, so it has one.
    let Some(email) = owner.email.as_ref() else {
        return Ok(());
    };
    if throttle::over_hourly_limit(
        conn,
        Kind::SignUpNoticeRecipient,
        email,
        SIGNUP_NOTICES_PER_RECIPIENT_PER_HOUR,
    )? {
        return Ok(());
    }
    throttle::record(conn, Kind::SignUpNoticeRecipient, email)?;
    let lang = owner.locale;
    crate::mail::enqueue(
        conn,
        crate::mail::MailKind::SignUpNotice,
        email,
        &lang.t("mail.signup_existing.subject"),
        &lang.tf(
            "mail.signup_existing.body",
            &[
                ("login", &format!("{base_url}/masuk")),
                ("reset", &format!("{base_url}/lupa-sandi")),
            ],
        ),
    )
}

pub async fn check_mail_page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    render(
        &MessagePage {
            ctx,
            title_key: "signup.check_mail.title",
            text_key: "signup.check_mail.text",
            link: Some(("/masuk", "nav.login")),
        },
        StatusCode::OK,
    )
}

/// Issues a verification link and puts the mail in the outbox (same transaction as the
/// caller's change).
pub(super) fn send_verification(
    conn: &mut DbConnection,
    user_id: UserId,
    email: &str,
    name: &str,
    lang: Lang,
    base_url: &str,
) -> diesel::QueryResult<()> {
    tokens::mail_link(
        conn,
        user_id,
        Purpose::VerifyEmail,
        None,
        LinkMail {
            kind: crate::mail::MailKind::VerifyEmail,
            to: email,
            name,
            lang,
            base_url,
            subject_key: "mail.verify.subject",
            body_key: "mail.verify.body",
            more: &[],
        },
    )
}

pub async fn verify_email(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let result = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let result = tokens::consume(conn, &token, Purpose::VerifyEmail)?;
                if let Ok(valid) = &result {
                    crate::accounts::mark_email_verified(conn, valid.user_id)?;
                    audit::record(
                        conn,
                        Entry::new(actions::USER_EMAIL_VERIFIED)
                            .actor(valid.user_id)
                            .subject("user", valid.user_id),
                    )?;
                }
                Ok::<_, diesel::result::Error>(result)
            })?)
        })
        .await?;
    match result {
        Ok(_) => render(
            &MessagePage {
                ctx,
                title_key: "verify.done.title",
                text_key: "verify.done.text",
                link: Some(("/akun", "nav.account")),
            },
            StatusCode::OK,
        ),
        Err(problem) => token_problem_page(ctx, problem, "/akun"),
    }
}

pub async fn resend_verification(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    if !user.email_verified {
        let (base_url, lang) = (state.settings.base_url.clone(), ctx.lang);
        let sent = state
            .db(move |conn| {
                Ok(crate::db::transaction(conn, |conn| {
                    if !throttle::allow_mail(
                        conn,
                        RequestedMail::VerificationResend,
                        &user.id.to_string(),
                        &meta.address,
                        &user.email,
                    )? {
                        return Ok::<_, diesel::result::Error>(false);
                    }
                    send_verification(
                        conn,
                        user.id,
                        &user.email,
                        &user.full_name,
                        lang,
                        &base_url,
                    )?;
                    Ok(true)
                })?)
            })
            .await?;
        if !sent {
            return render(
                &MessagePage {
                    ctx,
                    title_key: "security_mail.throttled.title",
                    text_key: "security_mail.throttled.verification",
                    link: Some(("/akun", "nav.account")),
                },
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
    }
    session::flash(&session, FlashLevel::Info, "verify.resent");
    Ok(redirect("/akun"))
}
