//! Staff administration for super admins: find users, create staff accounts, change staff
//! roles, deactivate and reactivate, force a password reset. Every change is audited.

mod model;

use crate::domain::ids::UserId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

pub use model::{
    PAGE_SIZE, StatusFilter, UserFilter, UserRow, set_active, set_active_for_provider,
};

use crate::accounts::invitation::{self, Invited, Inviter};
use crate::accounts::tokens::{self, LinkMail, Purpose};
use crate::accounts::{NewUser, User};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::Email;
use crate::domain::Role;
use crate::web::auth::{Require, SuperAdmin};
use crate::web::forms::{FieldErrors, check_full_name, parsed};
use crate::web::pagination::{page_number, query_with_page};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

pub const STAFF_ROLES: [Role; 4] = [
    Role::Operator,
    Role::Verifier,
    Role::DataSteward,
    Role::SuperAdmin,
];

// ---------------------------------------------------------------- list

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub peran: String,
    pub status: String,
    pub dari: String,
    pub sampai: String,
    pub hal: String,
}

impl ListQuery {
    /// The filter, leniently: a value that does not parse is ignored, never an error page.
    fn filter(&self) -> UserFilter {
        UserFilter {
            text: Some(self.q.chars().take(100).collect::<String>()).filter(|t| !t.is_empty()),
            role: Role::parse(&self.peran),
            status: match self.status.as_str() {
                "aktif" => StatusFilter::Active,
                "nonaktif" => StatusFilter::Inactive,
                _ => StatusFilter::All,
            },
            created_from: NaiveDate::parse_from_str(&self.dari, "%Y-%m-%d").ok(),
            created_to: NaiveDate::parse_from_str(&self.sampai, "%Y-%m-%d").ok(),
        }
    }

    fn page(&self) -> i64 {
        page_number(&self.hal)
    }

    /// The query string of this filter on another page.
    fn with_page(&self, page: i64) -> String {
        query_with_page(
            &[
                ("q", &self.q),
                ("peran", &self.peran),
                ("status", &self.status),
                ("dari", &self.dari),
                ("sampai", &self.sampai),
            ],
            page,
        )
    }
}

pub struct RowView {
    id: UserId,
    /// None for a resident registered at the counter without an address.
    email: Option<Email>,
    full_name: String,
    is_active: bool,
    created: String,
    last_login: Option<String>,
    roles: Vec<Role>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct ListPage {
    ctx: PageCtx,
    query: ListQuery,
    rows: Vec<RowView>,
    count_text: String,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
    roles: [Role; Role::ALL.len()],
}

fn datetime(lang: Lang, at: NaiveDateTime) -> String {
    format::day_time(lang, at)
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _admin: Require<SuperAdmin>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let mut query = query.into_inner();
    // A date the filter cannot read is not applied, so the field shows none either: what
    // the page shows is what it filtered by (an edited URL is the only way to send one).
    query.dari = crate::web::forms::date_input_value(&query.dari);
    query.sampai = crate::web::forms::date_input_value(&query.sampai);
    let filter = query.filter();
    let page = query.page();
    let (rows, total) = state
        .db(move |conn| Ok(model::search(conn, &filter, page)?))
        .await?;
    let lang = ctx.lang;
    let rows = rows
        .into_iter()
        .map(|r| RowView {
            id: r.id,
            email: r.email,
            full_name: r.full_name,
            is_active: r.is_active,
            created: format::day(lang, r.created_at),
            last_login: r.last_login_at.map(|at| datetime(lang, at)),
            roles: r.roles,
        })
        .collect();
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let page_view = ListPage {
        prev: (page > 1).then(|| query.with_page(page - 1)),
        next: (page < pages).then(|| query.with_page(page + 1)),
        count_text: ctx.tf(
            "admin.users.count",
            &[("count", &format::number(lang, total))],
        ),
        ctx,
        query,
        rows,
        page,
        roles: Role::ALL,
    };
    render(&page_view, StatusCode::OK)
}

// ---------------------------------------------------------------- create staff

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct NewStaffForm {
    full_name: String,
    email: String,
    #[serde(rename = "role")]
    roles: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewStaffPage {
    ctx: PageCtx,
    form: NewStaffForm,
    errors: FieldErrors,
    staff_roles: [Role; 4],
}

impl NewStaffPage {
    fn checked(&self, role: &Role) -> bool {
        self.form.roles.iter().any(|r| r == role.as_str())
    }
}

pub async fn new_form(ctx: PageCtx, _admin: Require<SuperAdmin>) -> Result<HttpResponse, AppError> {
    let page = NewStaffPage {
        ctx,
        form: NewStaffForm::default(),
        errors: FieldErrors::default(),
        staff_roles: STAFF_ROLES,
    };
    render(&page, StatusCode::OK)
}

/// Reads repeated `role` fields, which serde_urlencoded cannot put in a Vec by itself.
fn parse_new_staff(body: &[u8]) -> NewStaffForm {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut form = NewStaffForm::default();
    for (key, value) in pairs {
        match key.as_str() {
            "full_name" => form.full_name = value,
            "email" => form.email = value,
            "role" => form.roles.push(value),
            _ => {}
        }
    }
    form
}

fn staff_roles_of(names: &[String]) -> Vec<Role> {
    let mut roles: Vec<Role> = names
        .iter()
        .filter_map(|n| Role::parse(n))
        .filter(|r| r.is_staff())
        .collect();
    roles.sort();
    roles.dedup();
    roles
}

pub async fn create(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    admin: Require<SuperAdmin>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = parse_new_staff(&body);
    let mut errors = FieldErrors::default();
    let name = check_full_name(&mut errors, &form.full_name);
    let email = parsed(
        &mut errors,
        "email",
        "signup.error.email",
        Email::parse(&form.email),
    );
    let roles = staff_roles_of(&form.roles);
    if roles.is_empty() {
        errors.add("role", "admin.error.no_role");
    }
    let render_errors = |ctx: PageCtx, form: NewStaffForm, errors: FieldErrors, status| {
        let page = NewStaffPage {
            ctx,
            form,
            errors,
            staff_roles: STAFF_ROLES,
        };
        render(&page, status)
    };
    let (true, Some(email)) = (errors.is_empty(), email) else {
        return render_errors(ctx, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
    };

    let (lang, base_url, admin_id) = (ctx.lang, state.settings.base_url.clone(), admin.user.id);
    let created = state
        .db(move |conn| {
            Ok(crate::db::transaction(conn, |conn| {
                let inviter = Inviter {
                    user_id: admin_id,
                    address: &meta.address,
                    lang,
                    base_url: &base_url,
                };
                let new = NewUser::staff(&email, &name, "!invited", &roles);
                let id = match invitation::invite(conn, &email, &new, &inviter)? {
                    Invited::User(id) => id,
                    Invited::Taken => {
                        return Ok::<_, diesel::result::Error>(Err((
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "signup.error.taken",
                        )));
                    }
                    Invited::Throttled => {
                        return Ok(Err((
                            StatusCode::TOO_MANY_REQUESTS,
                            "security_mail.throttled.invitation",
                        )));
                    }
                };
                let role_names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                audit::record(
                    conn,
                    Entry::new(actions::USER_CREATED)
                        .actor(admin_id)
                        .subject("user", id)
                        .detail(serde_json::json!({ "roles": role_names, "via": "admin" }))
                        .client(&meta),
                )?;
                Ok(Ok(id))
            })?)
        })
        .await?;
    match created {
        Ok(id) => {
            session::flash(&session, FlashLevel::Success, "admin.created");
            Ok(redirect(&format!("/admin/pengguna/{id}")))
        }
        Err((status, key)) => {
            let mut errors = FieldErrors::default();
            errors.add("email", key);
            render_errors(ctx, form, errors, status)
        }
    }
}

// ---------------------------------------------------------------- one user

#[derive(Template)]
#[template(path = "admin/user.html")]
struct DetailPage {
    ctx: PageCtx,
    user: User,
    roles: Vec<Role>,
    company: Option<String>,
    created: String,
    last_login: Option<String>,
    staff_roles: [Role; 4],
    is_self: bool,
}

impl DetailPage {
    fn has(&self, role: &Role) -> bool {
        self.roles.contains(role)
    }
}

async fn load_user(
    state: &AppState,
    id: UserId,
) -> Result<(User, Vec<Role>, Option<String>), AppError> {
    state
        .db(move |conn| {
            let user = crate::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)?;
            let roles = crate::accounts::roles_of(conn, id)?;
            let company = match user.company_id {
                Some(cid) => model::company_name(conn, cid)?,
                None => None,
            };
            Ok((user, roles, company))
        })
        .await
}

pub async fn detail(
    ctx: PageCtx,
    state: web::Data<AppState>,
    admin: Require<SuperAdmin>,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (user, roles, company) = load_user(&state, id).await?;
    let lang = ctx.lang;
    let page = DetailPage {
        created: datetime(lang, user.created_at),
        last_login: user.last_login_at.map(|at| datetime(lang, at)),
        is_self: user.id == admin.user.id,
        ctx,
        user,
        roles,
        company,
        staff_roles: STAFF_ROLES,
    };
    render(&page, StatusCode::OK)
}

/// Changes that would leave the portal without an active super admin are refused.
fn keeps_a_super_admin(
    conn: &mut DbConnection,
    user_id: UserId,
    losing_super_admin: bool,
) -> Result<bool, AppError> {
    if !losing_super_admin {
        return Ok(true);
    }
    Ok(model::other_active_super_admins(conn, user_id)? > 0)
}

pub async fn change_roles(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    admin: Require<SuperAdmin>,
    id: web::Path<UserId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = parse_new_staff(&body);
    let wanted = staff_roles_of(&form.roles);
    let admin_id = admin.user.id;
    let outcome = state
        .db(move |conn| {
            crate::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)?;
            let before = crate::accounts::roles_of(conn, id)?;
            let losing = before.contains(&Role::SuperAdmin) && !wanted.contains(&Role::SuperAdmin);
            if !keeps_a_super_admin(conn, id, losing)? {
                return Ok((FlashLevel::Error, "admin.error.last_super_admin"));
            }
            crate::db::transaction(conn, |conn| {
                model::set_staff_roles(conn, id, &wanted)?;
                let after = crate::accounts::roles_of(conn, id)?;
                let names = |roles: &[Role]| roles.iter().map(|r| r.as_str()).collect::<Vec<_>>();
                audit::record(
                    conn,
                    Entry::new(actions::USER_ROLES_CHANGED)
                        .actor(admin_id)
                        .subject("user", id)
                        .detail(serde_json::json!({ "from": names(&before), "to": names(&after) }))
                        .client(&meta),
                )
            })?;
            Ok((FlashLevel::Success, "admin.roles_saved"))
        })
        .await?;
    session::flash(&session, outcome.0, outcome.1);
    Ok(redirect(&format!("/admin/pengguna/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    active: String,
}

pub async fn change_status(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    admin: Require<SuperAdmin>,
    id: web::Path<UserId>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let active = form.active == "1";
    let admin_id = admin.user.id;
    let outcome = state
        .db(move |conn| {
            crate::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)?;
            if !active && id == admin_id {
                return Ok((FlashLevel::Error, "admin.error.self_deactivate"));
            }
            let is_super = crate::accounts::roles_of(conn, id)?.contains(&Role::SuperAdmin);
            if !keeps_a_super_admin(conn, id, !active && is_super)? {
                return Ok((FlashLevel::Error, "admin.error.last_super_admin"));
            }
            crate::db::transaction(conn, |conn| {
                model::set_active(conn, id, active)?;
                let action = if active {
                    actions::USER_REACTIVATED
                } else {
                    actions::USER_DEACTIVATED
                };
                audit::record(
                    conn,
                    Entry::new(action)
                        .actor(admin_id)
                        .subject("user", id)
                        .client(&meta),
                )
            })?;
            Ok(if active {
                (FlashLevel::Success, "admin.reactivated")
            } else {
                (FlashLevel::Success, "admin.deactivated")
            })
        })
        .await?;
    session::flash(&session, outcome.0, outcome.1);
    Ok(redirect(&format!("/admin/pengguna/{id}")))
}

pub async fn force_reset(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    admin: Require<SuperAdmin>,
    lang: Lang,
    id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let admin_id = admin.user.id;
    let base_url = state.settings.base_url.clone();
    let outcome = state
        .db(move |conn| {
            let user = crate::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)?;
            // Forcing a reset ends the admin's own session and locks their password: a
            // lock-out, not a password change, which /akun/sandi is for.
            if id == admin_id {
                return Ok((FlashLevel::Error, "admin.error.self_reset"));
            }
            // A resident registered without an address has no password to reset and
            // nowhere to send the link.
            let Some(to) = user.email.clone() else {
                return Ok((FlashLevel::Error, "admin.no_email"));
            };
            crate::db::transaction(conn, |conn| {
                model::lock_password(conn, id)?;
                tokens::mail_link(
                    conn,
                    id,
                    Purpose::ResetPassword,
                    None,
                    LinkMail {
                        kind: crate::mail::MailKind::ForcedReset,
                        to: &to,
                        name: &user.full_name,
                        lang,
                        base_url: &base_url,
                        subject_key: "mail.forced_reset.subject",
                        body_key: "mail.forced_reset.body",
                        more: &[],
                    },
                )?;
                audit::record(
                    conn,
                    Entry::new(actions::PASSWORD_RESET_FORCED)
                        .actor(admin_id)
                        .subject("user", id)
                        .client(&meta),
                )
            })?;
            Ok((FlashLevel::Success, "admin.reset_forced"))
        })
        .await?;
    session::flash(&session, outcome.0, outcome.1);
    Ok(redirect(&format!("/admin/pengguna/{id}")))
}
