//! Staff keep the list of training providers: add one with its first user, correct it,
//! invite more users, switch it off and on.

use crate::domain::ids::{ProviderId, UserId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::providers::{self, Kind, Provider, ProviderForm};
use crate::accounts::NewUser;
use crate::accounts::invitation::{self, Invited};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::Email;
use crate::domain::Role;
use crate::employers::forms::CompanyChoices;
use crate::web::auth::{Require, TrainingStaff};
use crate::web::forms::{FieldErrors, check_line, parsed};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

pub struct Row {
    pub id: ProviderId,
    pub name: String,
    pub kind_key: &'static str,
    pub accreditation: String,
    pub place: String,
    pub users: i64,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "training/providers.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<TrainingStaff>,
) -> Result<HttpResponse, AppError> {
    let rows = state.db(|conn| Ok(providers::list(conn)?)).await?;
    let rows = rows
        .into_iter()
        .map(|(p, users)| Row {
            kind_key: p.kind().label_key(),
            accreditation: p.accreditation.clone().unwrap_or_else(|| "–".into()),
            place: crate::reference::regions::place_name(
                p.kelurahan_code.as_deref(),
                &p.regency_code,
            ),
            id: p.id,
            name: p.name,
            users,
            active: p.is_active,
        })
        .collect();
    render(&ListPage { ctx, rows }, StatusCode::OK)
}

/// The new provider's first user, invited by e-mail.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct UserFields {
    pub user_name: String,
    pub user_email: String,
}

#[derive(Template)]
#[template(path = "training/provider_form.html")]
struct FormPage {
    ctx: PageCtx,
    /// None for a new provider.
    provider: Option<Provider>,
    form: ProviderForm,
    user: UserFields,
    errors: FieldErrors,
    choices: CompanyChoices,
    kinds: [Kind; 2],
    users: Vec<(UserId, String, Email, bool)>,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.provider {
            Some(p) => format!("/petugas/pelatihan/lembaga/{}", p.id),
            None => "/petugas/pelatihan/lembaga/baru".into(),
        }
    }
}

async fn render_form(
    ctx: PageCtx,
    state: &AppState,
    provider_id: Option<ProviderId>,
    form: Option<ProviderForm>,
    user: UserFields,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang: Lang = ctx.lang;
    let (provider, users) = match provider_id {
        Some(id) => {
            state
                .db(move |conn| {
                    let p = providers::find(conn, id)?.ok_or(AppError::NotFound)?;
                    let users = providers::users_of(conn, id)?;
                    Ok((Some(p), users))
                })
                .await?
        }
        None => (None, Vec::new()),
    };
    let form = form
        .or_else(|| provider.as_ref().map(ProviderForm::of))
        .unwrap_or_default();
    let page = FormPage {
        provider,
        form,
        user,
        errors,
        choices: CompanyChoices::new(lang),
        kinds: Kind::ALL,
        users,
        ctx,
    };
    render(&page, status)
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<TrainingStaff>,
) -> Result<HttpResponse, AppError> {
    render_form(
        ctx,
        &state,
        None,
        None,
        UserFields::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(flatten)]
    provider: ProviderForm,
    #[serde(flatten)]
    user: UserFields,
}

fn check_user(user: &UserFields, errors: &mut FieldErrors) -> Option<(String, Email)> {
    let name = user.user_name.trim();
    if check_line(errors, "user_name", name) && !(2..=100).contains(&name.chars().count()) {
        errors.add("user_name", "signup.error.name");
    }
    let email = parsed(
        errors,
        "user_email",
        "signup.error.email",
        Email::parse(&user.user_email),
    );
    Some((name.to_owned(), email?))
}

enum Added {
    User(UserId),
    /// The address has an account already.
    Taken,
    /// Too many invitations within the hour: nothing was made or sent.
    Throttled,
}

impl Added {
    fn refusal(&self) -> Option<(StatusCode, &'static str)> {
        match self {
            Self::User(_) => None,
            Self::Taken => Some((
                StatusCode::UNPROCESSABLE_ENTITY,
                "counter.error.email_taken",
            )),
            Self::Throttled => Some((
                StatusCode::TOO_MANY_REQUESTS,
                "security_mail.throttled.invitation",
            )),
        }
    }
}

/// Who sends an invitation: the staff member's id and client address, for the mail limits.
struct Inviter<'a> {
    actor: UserId,
    address: &'a str,
}

/// Creates the user and sends the invitation, within the mail limits.
fn add_user(
    conn: &mut DbConnection,
    provider: ProviderId,
    (name, email): (&str, &Email),
    inviter: &Inviter<'_>,
    lang: Lang,
    base_url: &str,
) -> QueryResult<Added> {
    let new = NewUser {
        provider_id: Some(provider),
        ..NewUser::staff(email, name, "!invited", &[Role::TrainingProvider])
    };
    let by = invitation::Inviter {
        user_id: inviter.actor,
        address: inviter.address,
        lang,
        base_url,
    };
    Ok(match invitation::invite(conn, email, &new, &by)? {
        Invited::User(id) => Added::User(id),
        Invited::Taken => Added::Taken,
        Invited::Throttled => Added::Throttled,
    })
}

pub async fn create(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<TrainingStaff>,
    form: web::Form<CreateForm>,
) -> Result<HttpResponse, AppError> {
    let CreateForm {
        provider: form,
        user,
    } = form.into_inner();
    let mut errors = FieldErrors::default();
    let identity = providers::validate_identity(&form, &mut errors);
    let contact = providers::validate_contact(&form, &mut errors);
    let named = check_user(&user, &mut errors);
    let (Some(identity), Some(contact), Some((name, email)), true) =
        (identity, contact, named, errors.is_empty())
    else {
        return render_form(
            ctx,
            &state,
            None,
            Some(form),
            user,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (lang, actor) = (ctx.lang, staff.user.id);
    let base_url = state.settings.base_url.clone();
    let created = state
        .db(move |conn| {
            let mut refused = None;
            crate::db::transaction(conn, |conn| {
                let id = providers::create(conn, &identity, &contact)?;
                let inviter = Inviter {
                    actor,
                    address: &meta.address,
                };
                let added = add_user(conn, id, (&name, &email), &inviter, lang, &base_url)?;
                if let Some(refusal) = added.refusal() {
                    // Nothing is kept: the provider needs its first user.
                    refused = Some(refusal);
                    return Err(diesel::result::Error::RollbackTransaction);
                }
                audit::record(
                    conn,
                    Entry::new(actions::PROVIDER_CREATED)
                        .actor(actor)
                        .subject("training_provider", id)
                        .client(&meta),
                )?;
                Ok(Ok(id))
            })
            .or_else(|e| match (e, refused) {
                (diesel::result::Error::RollbackTransaction, Some(refusal)) => Ok(Err(refusal)),
                (e, _) => Err(AppError::from(e)),
            })
        })
        .await?;
    match created {
        Ok(id) => {
            session::flash(&session, FlashLevel::Success, "provider.created");
            Ok(redirect(&format!("/petugas/pelatihan/lembaga/{id}")))
        }
        Err((status, key)) => {
            let mut errors = FieldErrors::default();
            errors.add("user_email", key);
            render_form(ctx, &state, None, Some(form), user, errors, status).await
        }
    }
}

pub async fn edit_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<TrainingStaff>,
    id: web::Path<ProviderId>,
) -> Result<HttpResponse, AppError> {
    render_form(
        ctx,
        &state,
        Some(id.into_inner()),
        None,
        UserFields::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn update(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<TrainingStaff>,
    id: web::Path<ProviderId>,
    form: web::Form<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let identity = providers::validate_identity(&form, &mut errors);
    let contact = providers::validate_contact(&form, &mut errors);
    let (Some(identity), Some(contact), true) = (identity, contact, errors.is_empty()) else {
        return render_form(
            ctx,
            &state,
            Some(id),
            Some(form),
            UserFields::default(),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = staff.user.id;
    state
        .db(move |conn| {
            providers::find(conn, id)?.ok_or(AppError::NotFound)?;
            crate::db::transaction(conn, |conn| {
                providers::update_identity(conn, id, &identity)?;
                // Residents find programmes by their provider's name.
                super::programmes::refresh_search_for_provider(conn, id)?;
                providers::update_contact(conn, id, &contact)?;
                audit::record(
                    conn,
                    Entry::new(actions::PROVIDER_CHANGED)
                        .actor(actor)
                        .subject("training_provider", id)
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "provider.saved");
    Ok(redirect(&format!("/petugas/pelatihan/lembaga/{id}")))
}

pub async fn invite(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<TrainingStaff>,
    id: web::Path<ProviderId>,
    user: web::Form<UserFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let user = user.into_inner();
    let mut errors = FieldErrors::default();
    let named = check_user(&user, &mut errors);
    let (Some((name, email)), true) = (named, errors.is_empty()) else {
        return render_form(
            ctx,
            &state,
            Some(id),
            None,
            user,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (lang, actor) = (ctx.lang, staff.user.id);
    let base_url = state.settings.base_url.clone();
    let added = state
        .db(move |conn| {
            providers::find(conn, id)?.ok_or(AppError::NotFound)?;
            crate::db::transaction(conn, |conn| {
                let inviter = Inviter {
                    actor,
                    address: &meta.address,
                };
                let added = add_user(conn, id, (&name, &email), &inviter, lang, &base_url)?;
                if let Added::User(uid) = added {
                    audit::record(
                        conn,
                        Entry::new(actions::PROVIDER_USER_INVITED)
                            .actor(actor)
                            .subject("user", uid)
                            .detail(serde_json::json!({ "training_provider_id": id }))
                            .client(&meta),
                    )?;
                }
                Ok::<_, AppError>(added)
            })
        })
        .await?;
    if let Some((status, key)) = added.refusal() {
        let mut errors = FieldErrors::default();
        errors.add("user_email", key);
        return render_form(ctx, &state, Some(id), None, user, errors, status).await;
    }
    session::flash(&session, FlashLevel::Success, "company_users.invited");
    Ok(redirect(&format!("/petugas/pelatihan/lembaga/{id}")))
}

/// Switches a provider off (its users can no longer sign in) or on again.
pub async fn switch(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<TrainingStaff>,
    id: web::Path<ProviderId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = staff.user.id;
    let active = state
        .db(move |conn| {
            let p = providers::find(conn, id)?.ok_or(AppError::NotFound)?;
            let active = !p.is_active;
            crate::db::transaction(conn, |conn| {
                providers::set_active(conn, id, active)?;
                // Its users go with it; switching off ends their sessions.
                crate::accounts::admin::set_active_for_provider(conn, id, active)?;
                audit::record(
                    conn,
                    Entry::new(if active {
                        actions::PROVIDER_ACTIVATED
                    } else {
                        actions::PROVIDER_DEACTIVATED
                    })
                    .actor(actor)
                    .subject("training_provider", id)
                    .client(&meta),
                )
            })?;
            Ok(active)
        })
        .await?;
    session::flash(
        &session,
        FlashLevel::Success,
        if active {
            "provider.activated"
        } else {
            "provider.deactivated"
        },
    );
    Ok(redirect(&format!("/petugas/pelatihan/lembaga/{id}")))
}
