//! A page of rows: education, training, work experience or languages. Each row is added on
//! its own, and the page comes back for the next one.

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::{EducationChoice, Owner, StaffView, Task, audit_change, educations};
use crate::seekers::history::{self, LanguageLevel, RowForm, RowView, Section};
use crate::seekers::model;
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

#[derive(Template)]
#[template(path = "seekers/profile_rows.html")]
struct RowsPage {
    ctx: PageCtx,
    /// The task list.
    back: String,
    /// Where rows are added; each row's removal is under it.
    action: String,
    staff: Option<StaffView>,
    section: Section,
    rows: Vec<RowView>,
    /// Programmes finished through the portal, on the training page: not removable.
    programmes: Vec<String>,
    row_form: RowForm,
    errors: FieldErrors,
    educations: Vec<EducationChoice>,
    language_levels: [LanguageLevel; 3],
}

async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    section: Section,
    row_form: RowForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let user_id = owner.user_id;
    let (name, rows) = state
        .db(move |conn| {
            let rows = match model::find_by_user(conn, user_id)? {
                Some(p) => history::rows(conn, p.id, lang == Lang::En)?,
                None => history::Rows::default(),
            };
            let name = crate::accounts::directory::contact(conn, user_id)?.full_name;
            Ok((name, rows))
        })
        .await?;
    let (shown, programmes) = match section {
        Section::Education => (rows.education, Vec::new()),
        Section::Training => (rows.training, rows.programmes),
        Section::Experience => (rows.experience, Vec::new()),
        Section::Language => (
            rows.languages
                .into_iter()
                .map(|(id, language, level_key)| RowView {
                    id,
                    text: format!("{language} · {}", ctx.t(level_key)),
                })
                .collect(),
            Vec::new(),
        ),
    };
    let page = RowsPage {
        back: owner.base(),
        action: owner.page(Task::Rows(section)),
        staff: StaffView::of(owner, &name),
        section,
        rows: shown,
        programmes,
        row_form,
        errors,
        educations: educations(lang),
        language_levels: LanguageLevel::ALL,
        ctx,
    };
    render(&page, status)
}

pub(super) async fn show(
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    section: Section,
) -> Result<HttpResponse, AppError> {
    render_page(
        ctx,
        state,
        owner,
        section,
        RowForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub(super) async fn add(
    meta: RequestMeta,
    ctx: PageCtx,
    state: &AppState,
    session: &Session,
    owner: Owner,
    section: Section,
    form: RowForm,
) -> Result<HttpResponse, AppError> {
    let user_id = owner.user_id;
    let mut errors = FieldErrors::default();
    let today = crate::domain::calendar::today();
    let Some(row) = history::validate(section, &form, today, &mut errors) else {
        return render_page(
            ctx,
            state,
            owner,
            section,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let seeker_id = history::ensure_profile(conn, user_id)?;
                history::add(conn, seeker_id, &row)?;
                audit_change(conn, owner, &meta)
            })?;
            Ok(())
        })
        .await?;
    session::flash(session, FlashLevel::Success, "seeker.history.added");
    Ok(redirect(&owner.page(Task::Rows(section))))
}

pub(super) async fn remove(
    meta: RequestMeta,
    state: &AppState,
    session: &Session,
    owner: Owner,
    section: Section,
    row_id: i32,
) -> Result<HttpResponse, AppError> {
    let user_id = owner.user_id;
    let removed = state
        .db(move |conn| {
            let Some(profile) = model::find_by_user(conn, user_id)? else {
                return Ok(false);
            };
            crate::db::transaction(conn, |conn| {
                let removed = history::remove(conn, profile.id, section, row_id)?;
                if removed {
                    audit_change(conn, owner, &meta)?;
                }
                Ok::<_, AppError>(removed)
            })
        })
        .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    session::flash(session, FlashLevel::Success, "seeker.history.removed");
    Ok(redirect(&owner.page(Task::Rows(section))))
}
