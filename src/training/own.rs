//! `/lembaga/profil`: a provider's users keep its contact details up to date. The name, the
//! kind and the accreditation are the Dinas's record, changed by staff.

use crate::domain::ids::ProviderId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::providers::{self, Provider, ProviderForm};
use crate::audit::{self, Entry, actions};
use crate::employers::forms::CompanyChoices;
use crate::web::auth::{Provider as ProviderUser, Require};
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Template)]
#[template(path = "training/own_profile.html")]
struct OwnPage {
    ctx: PageCtx,
    provider: Provider,
    form: ProviderForm,
    errors: FieldErrors,
    choices: CompanyChoices,
}

fn provider_of(user: &Require<ProviderUser>) -> Result<ProviderId, AppError> {
    user.user.provider_id.ok_or(AppError::Forbidden)
}

async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    provider_id: ProviderId,
    form: Option<ProviderForm>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let provider = state
        .db(move |conn| providers::find(conn, provider_id)?.ok_or(AppError::NotFound))
        .await?;
    let page = OwnPage {
        form: form.unwrap_or_else(|| ProviderForm::of(&provider)),
        choices: CompanyChoices::new(ctx.lang),
        provider,
        errors,
        ctx,
    };
    render(&page, status)
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<ProviderUser>,
) -> Result<HttpResponse, AppError> {
    render_page(
        ctx,
        &state,
        provider_of(&user)?,
        None,
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
    user: Require<ProviderUser>,
    form: web::Form<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    let provider_id = provider_of(&user)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let contact = providers::validate_contact(&form, &mut errors);
    let (Some(contact), true) = (contact, errors.is_empty()) else {
        return render_page(
            ctx,
            &state,
            provider_id,
            Some(form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = user.user.id;
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                providers::update_contact(conn, provider_id, &contact)?;
                audit::record(
                    conn,
                    Entry::new(actions::PROVIDER_CHANGED)
                        .actor(actor)
                        .subject("training_provider", provider_id)
                        .client(&meta),
                )
            })?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "provider.saved");
    Ok(redirect("/lembaga/profil"))
}
