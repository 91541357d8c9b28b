//! The data steward's partner pages: the partners with their grants and keys, a partner's
//! page with its grants, keys and forms, and the page that shows a new key once. The super
//! admin reads them all; only the data steward changes anything.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::keys::{self, KeyRequest, KeyStatus};
use super::partners::{self, Actor, PartnerForm};
use super::{ApiKeyId, Dataset, Masking, PartnerId, PartnerKind};
use crate::domain::calendar;
use crate::web::auth::{DataStaff, DataSteward, Require};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

pub(super) const LIST: &str = "/petugas/mitra";

pub(super) fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

struct GrantRow {
    dataset: &'static str,
    dataset_label: String,
    masking: String,
}

struct PartnerRow {
    id: PartnerId,
    name: String,
    kind: String,
    legal_basis: String,
    active: bool,
    grants: Vec<GrantRow>,
    active_keys: i64,
}

fn grant_rows(lang: Lang, grants: &[partners::Grant]) -> Vec<GrantRow> {
    grants
        .iter()
        .map(|g| GrantRow {
            dataset: g.dataset.as_str(),
            dataset_label: lang.t(g.dataset.label_key()).into_owned(),
            masking: lang.t(g.masking.label_key()).into_owned(),
        })
        .collect()
}

fn kinds(lang: Lang, chosen: &str) -> Vec<Choice> {
    PartnerKind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.as_str(),
            label: lang.t(k.label_key()).into_owned(),
            selected: k.as_str() == chosen,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "sharing/list.html")]
struct ListPage {
    ctx: PageCtx,
    partners: Vec<PartnerRow>,
    form: PartnerForm,
    kinds: Vec<Choice>,
    errors: Vec<(&'static str, String)>,
    can_change: bool,
}

impl ListPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

async fn list_page(
    ctx: PageCtx,
    state: &AppState,
    form: PartnerForm,
    errors: Vec<(&'static str, &'static str)>,
    can_change: bool,
) -> Result<ListPage, AppError> {
    let today = calendar::today();
    let rows = state
        .db(move |conn| Ok(partners::list(conn, today)?))
        .await?;
    let lang = ctx.lang;
    Ok(ListPage {
        partners: rows
            .into_iter()
            .map(|r| PartnerRow {
                id: r.partner.id,
                kind: lang.t(r.partner.kind.label_key()).into_owned(),
                name: r.partner.name,
                legal_basis: r.partner.legal_basis,
                active: r.partner.active,
                grants: grant_rows(lang, &r.grants),
                active_keys: r.active_keys,
            })
            .collect(),
        kinds: kinds(lang, &form.kind),
        form,
        errors: errors
            .into_iter()
            .map(|(f, key)| (f, lang.t(key).into_owned()))
            .collect(),
        ctx,
        can_change,
    })
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<DataStaff>,
) -> Result<HttpResponse, AppError> {
    let can_change = staff.user.has_role(crate::domain::Role::DataSteward);
    let page = list_page(ctx, &state, PartnerForm::default(), Vec::new(), can_change).await?;
    render(&page, StatusCode::OK)
}

pub async fn add(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    form: web::Form<PartnerForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let new = match form.check() {
        Ok(new) => new,
        Err(errors) => {
            let page = list_page(ctx, &state, form, errors, true).await?;
            return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let user = steward.user.id;
    let id = state
        .db(move |conn| {
            let by = Actor { user, meta: &meta };
            Ok(partners::add(conn, &new, &by, now())?)
        })
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}

struct KeyRow {
    id: ApiKeyId,
    label: String,
    shown: String,
    scopes: String,
    expires: String,
    last_used: String,
    status: String,
    active: bool,
}

/// The issue form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IssueForm {
    label: String,
    expires_on: String,
    /// The ticked data sets, as one `data` field each.
    #[serde(skip)]
    datasets: Vec<String>,
}

#[derive(Template)]
#[template(path = "sharing/show.html")]
struct ShowPage {
    ctx: PageCtx,
    partner: partners::Partner,
    kind: String,
    grants: Vec<GrantRow>,
    grantable: Vec<Choice>,
    maskings: Vec<Choice>,
    keys: Vec<KeyRow>,
    /// The granted data sets as issue-form checkboxes.
    key_datasets: Vec<Choice>,
    issue: IssueForm,
    max_expiry: String,
    /// Why the issue or grant form was refused.
    message: Option<String>,
    /// The partner's own fields, as stored or as typed into a refused change.
    form: PartnerForm,
    kinds: Vec<Choice>,
    errors: Vec<(&'static str, String)>,
    can_change: bool,
    /// The partner's users (`sharing::users`), and the add form as typed.
    users: Vec<super::users::Member>,
    user_form: super::users::UserForm,
    user_error: Option<String>,
}

impl ShowPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// What a refused form on the partner's page brings back.
#[derive(Default)]
pub(super) struct Refused {
    issue: IssueForm,
    message: Option<&'static str>,
    partner: Option<(PartnerForm, Vec<(&'static str, &'static str)>)>,
    /// The add-user form as typed, and why it was refused.
    user: Option<(super::users::UserForm, &'static str)>,
}

impl Refused {
    /// The add-user form refused, with the translation key of why.
    pub(super) fn user(form: super::users::UserForm, key: &'static str) -> Self {
        Self {
            user: Some((form, key)),
            ..Self::default()
        }
    }
}

async fn show_page(
    ctx: PageCtx,
    state: &AppState,
    id: PartnerId,
    refused: Refused,
    can_change: bool,
) -> Result<ShowPage, AppError> {
    let (partner, grants, list, users) = state
        .db(move |conn| {
            let partner = partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let grants = partners::grants(conn, id)?;
            let list = keys::list(conn, id)?;
            let users = super::users::list(conn, id)?;
            Ok((partner, grants, list, users))
        })
        .await?;
    let lang = ctx.lang;
    let today = calendar::today();
    let scope_text = |scopes: &[(Dataset, Masking)]| {
        scopes
            .iter()
            .map(|(d, m)| format!("{} ({})", lang.t(d.label_key()), m.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let keys = list
        .iter()
        .map(|k| {
            let status = k.status(today);
            KeyRow {
                id: k.id,
                label: k.label.clone(),
                shown: k.shown(),
                scopes: scope_text(&k.scopes),
                expires: format::date(lang, k.expires_on),
                last_used: k
                    .last_used_at
                    .map(|at| format::day_time(lang, at))
                    .unwrap_or_else(|| "–".to_owned()),
                status: lang
                    .t(match status {
                        KeyStatus::Active => "sharing.key.active",
                        KeyStatus::Expired => "sharing.key.expired",
                        KeyStatus::Revoked => "sharing.key.revoked",
                    })
                    .into_owned(),
                active: status == KeyStatus::Active,
            }
        })
        .collect();
    let key_datasets = grants
        .iter()
        .map(|g| Choice {
            value: g.dataset.as_str(),
            label: lang.t(g.dataset.label_key()).into_owned(),
            selected: refused
                .issue
                .datasets
                .iter()
                .any(|d| d == g.dataset.as_str()),
        })
        .collect();
    let grantable = Dataset::ALL
        .into_iter()
        .map(|d| Choice {
            value: d.as_str(),
            label: lang.t(d.label_key()).into_owned(),
            selected: false,
        })
        .collect();
    let maskings = Masking::ALL
        .into_iter()
        .map(|m| Choice {
            value: m.as_str(),
            label: lang.t(m.label_key()).into_owned(),
            selected: m == Masking::Masked,
        })
        .collect();
    let max_expiry = today
        .checked_add_months(keys::MAX_LIFETIME)
        .unwrap_or(today)
        .to_string();
    let (form, errors) = refused.partner.unwrap_or_else(|| {
        let stored = PartnerForm {
            name: partner.name.clone(),
            kind: partner.kind.as_str().to_owned(),
            legal_basis: partner.legal_basis.clone(),
            contact_name: partner.contact_name.clone(),
            contact_email: partner.contact_email.to_string(),
        };
        (stored, Vec::new())
    });
    let (user_form, user_error) = match refused.user {
        Some((form, key)) => (form, Some(lang.t(key).into_owned())),
        None => Default::default(),
    };
    Ok(ShowPage {
        users,
        user_form,
        user_error,
        kind: lang.t(partner.kind.label_key()).into_owned(),
        grants: grant_rows(lang, &grants),
        partner,
        grantable,
        maskings,
        keys,
        key_datasets,
        issue: refused.issue,
        max_expiry,
        message: refused.message.map(|e| lang.t(e).into_owned()),
        kinds: kinds(lang, &form.kind),
        form,
        errors: errors
            .into_iter()
            .map(|(f, key)| (f, lang.t(key).into_owned()))
            .collect(),
        ctx,
        can_change,
    })
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<DataStaff>,
    id: web::Path<PartnerId>,
) -> Result<HttpResponse, AppError> {
    let can_change = staff.user.has_role(crate::domain::Role::DataSteward);
    let page = show_page(ctx, &state, id.into_inner(), Refused::default(), can_change).await?;
    render(&page, StatusCode::OK)
}

pub(super) async fn refuse(
    ctx: PageCtx,
    state: &AppState,
    id: PartnerId,
    refused: Refused,
) -> Result<HttpResponse, AppError> {
    let page = show_page(ctx, state, id, refused, true).await?;
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

fn refused_issue(issue: IssueForm, message: &'static str) -> Refused {
    Refused {
        issue,
        message: Some(message),
        ..Refused::default()
    }
}

pub async fn change(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<PartnerId>,
    form: web::Form<PartnerForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let new = match form.check() {
        Ok(new) => new,
        Err(errors) => {
            let refused = Refused {
                partner: Some((form, errors)),
                ..Refused::default()
            };
            return refuse(ctx, &state, id, refused).await;
        }
    };
    let user = steward.user.id;
    state
        .db(move |conn| {
            partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let by = Actor { user, meta: &meta };
            Ok(partners::change(conn, id, &new, &by)?)
        })
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<PartnerId>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let active = form.active == "1";
    let user = steward.user.id;
    state
        .db(move |conn| {
            partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let by = Actor { user, meta: &meta };
            Ok(partners::set_active(conn, id, active, &by)?)
        })
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GrantForm {
    data: String,
    masking: String,
}

pub async fn grant(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<PartnerId>,
    form: web::Form<GrantForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (Some(dataset), Some(masking)) =
        (Dataset::parse(&form.data), Masking::parse(&form.masking))
    else {
        return refuse(
            ctx,
            &state,
            id,
            refused_issue(IssueForm::default(), "sharing.error.grant"),
        )
        .await;
    };
    let user = steward.user.id;
    state
        .db(move |conn| {
            partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let by = Actor { user, meta: &meta };
            Ok(partners::grant(conn, id, dataset, masking, &by, now())?)
        })
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}

pub async fn revoke_grant(
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<PartnerId>,
    form: web::Form<GrantForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let dataset = Dataset::parse(&form.data);
    let user = steward.user.id;
    state
        .db(move |conn| {
            partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            if let Some(dataset) = dataset {
                let by = Actor { user, meta: &meta };
                partners::revoke_grant(conn, id, dataset, &by)?;
            }
            Ok(())
        })
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}

#[derive(Template)]
#[template(path = "sharing/issued.html")]
struct IssuedPage {
    ctx: PageCtx,
    partner_id: PartnerId,
    partner_name: String,
    key: String,
}

pub async fn issue(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<PartnerId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // Repeated `data` fields (one per ticked box) are not a struct field's shape.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let mut form = IssueForm::default();
    for (name, value) in pairs {
        match name.as_str() {
            "label" => form.label = value,
            "expires_on" => form.expires_on = value,
            "data" => form.datasets.push(value),
            _ => {}
        }
    }
    let Ok(expires_on) = NaiveDate::parse_from_str(form.expires_on.trim(), "%Y-%m-%d") else {
        return refuse(ctx, &state, id, refused_issue(form, "sharing.error.expiry")).await;
    };
    let Some(datasets) = form
        .datasets
        .iter()
        .map(|d| Dataset::parse(d))
        .collect::<Option<Vec<_>>>()
    else {
        return refuse(
            ctx,
            &state,
            id,
            refused_issue(form, "sharing.error.not_granted"),
        )
        .await;
    };
    let request = KeyRequest {
        label: form.label.clone(),
        expires_on,
        datasets,
    };
    let user = steward.user.id;
    let issued = state
        .db(move |conn| {
            let partner = partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let by = Actor { user, meta: &meta };
            let issued = keys::issue(conn, id, &request, &by, calendar::today(), now())?;
            Ok(issued.map(|k| (partner.name, k)))
        })
        .await?;
    match issued {
        Ok((partner_name, key)) => {
            let page = IssuedPage {
                ctx,
                partner_id: id,
                partner_name,
                key: key.reveal().to_owned(),
            };
            // `render` answers `Cache-Control: no-store`: the key stays in no cache.
            render(&page, StatusCode::OK)
        }
        Err(e) => refuse(ctx, &state, id, refused_issue(form, e.message_key())).await,
    }
}

pub async fn revoke_key(
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    path: web::Path<(PartnerId, ApiKeyId)>,
) -> Result<HttpResponse, AppError> {
    let (id, key) = path.into_inner();
    let user = steward.user.id;
    state
        .db(move |conn| {
            partners::find(conn, id)?.ok_or(AppError::NotFound)?;
            let by = Actor { user, meta: &meta };
            Ok(keys::revoke(conn, id, key, &by, now())?)
        })
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}
