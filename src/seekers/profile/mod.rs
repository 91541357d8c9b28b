//! `/pencaker/profil`: the job seeker's profile, the AK/I registration form, as a task list:
//! one short page per part, each marked done or not, and the card request once the parts it
//! needs are done. An operator at the counter fills in the same pages for a resident at
//! `/petugas/pencaker/{user}/profil`.

mod part;
mod rows;
pub mod tasks;
mod uploads;

use crate::domain::ids::UserId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::forms::{self, Part, ProfileForm};
use super::history::{self, RowForm, Section};
use super::model;
use crate::audit::{self, Entry, actions};
use crate::db;
use crate::reference::education::EducationLevel;
use crate::seekers::ak1::holder::Holder;
use crate::web::auth::{CounterStaff, JobSeeker, Require};
use crate::web::respond::{RequestMeta, render};
use crate::web::{AppError, AppState, Lang, PageCtx};
use tasks::{Group, Progress, Task, TaskRow};

/// Whose profile is being edited, and by whom: the seeker, or an operator for them.
#[derive(Clone, Copy)]
pub(super) struct Owner {
    pub user_id: UserId,
    /// The operator at the counter, when it is not the seeker.
    pub staff: Option<UserId>,
}

impl Owner {
    fn own(user_id: UserId) -> Self {
        Self {
            user_id,
            staff: None,
        }
    }

    /// The job seeker `user_id`, edited by `staff`; 404 if that account is no job seeker.
    pub(super) async fn for_staff(
        state: &AppState,
        user_id: UserId,
        staff: UserId,
    ) -> Result<Self, AppError> {
        let is_seeker = state
            .db(move |conn| Ok(model::is_job_seeker(conn, user_id)?))
            .await?;
        if !is_seeker {
            return Err(AppError::NotFound);
        }
        Ok(Self {
            user_id,
            staff: Some(staff),
        })
    }

    fn actor(self) -> UserId {
        self.staff.unwrap_or(self.user_id)
    }

    /// The task list.
    fn base(self) -> String {
        match self.staff {
            Some(_) => format!("{}/profil", super::counter::seeker_path(self.user_id)),
            None => "/pencaker/profil".into(),
        }
    }

    /// A page of the list.
    fn page(self, task: Task) -> String {
        format!("{}/{}", self.base(), task.slug())
    }

    /// Where the card is asked for: the seeker's card page, or the counter's page of the
    /// resident, where the operator issues it.
    fn card_page(self) -> String {
        match self.staff {
            Some(_) => super::counter::seeker_path(self.user_id),
            None => "/pencaker/ak1".into(),
        }
    }
}

/// What the pages of a staff member's view say above the form: whose profile it is, and the
/// way back to the resident's page.
pub(super) struct StaffView {
    pub name: String,
    pub seeker_page: String,
}

impl StaffView {
    fn of(owner: Owner, name: &str) -> Option<Self> {
        owner.staff.map(|_| Self {
            name: name.to_owned(),
            seeker_page: super::counter::seeker_path(owner.user_id),
        })
    }
}

pub(super) struct EducationChoice {
    pub code: String,
    pub name: &'static str,
}

fn educations(lang: Lang) -> Vec<EducationChoice> {
    EducationLevel::ALL
        .iter()
        .map(|e| EducationChoice {
            code: e.code().to_string(),
            name: match lang {
                Lang::Id => e.name_id(),
                Lang::En => e.name_en(),
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "seekers/profile.html")]
struct TaskListPage {
    ctx: PageCtx,
    staff: Option<StaffView>,
    /// "2 of 3 required parts done".
    summary: String,
    groups: Vec<Group>,
    /// For the operator, who does not edit the CV: its name and "124 KB, 29 November 2026".
    cv: Option<(String, String)>,
}

async fn task_list(ctx: PageCtx, state: &AppState, owner: Owner) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let user_id = owner.user_id;
    let (holder, rows) = state
        .db(move |conn| {
            let holder = Holder::load(conn, user_id)?;
            let rows = match &holder.profile {
                Some(p) => history::rows(conn, p.id, lang == Lang::En)?,
                None => history::Rows::default(),
            };
            Ok((holder, rows))
        })
        .await?;
    let profile = holder.profile.as_ref();
    let phone = holder.phone.as_deref();

    let required: Vec<TaskRow> = Part::ALL
        .into_iter()
        .map(|part| {
            let (needed, missing) = forms::missing_in(part, profile, phone);
            let progress = Progress::of_part(needed, missing.len());
            let hint = (progress == Progress::Incomplete).then(|| {
                let names: Vec<_> = missing.iter().map(|key| ctx.t(key)).collect();
                ctx.tf(
                    "profile.task.still_missing",
                    &[("fields", &names.join(", "))],
                )
            });
            TaskRow {
                slug: part.slug(),
                title_key: part.title_key(),
                href: Some(owner.page(Task::Part(part))),
                hint,
                progress,
            }
        })
        .collect();
    let done = required.iter().filter(|r| r.progress.is_done()).count();
    let summary = ctx.tf(
        "profile.task.summary",
        &[
            ("done", &done.to_string()),
            ("parts", &required.len().to_string()),
        ],
    );

    let mut more: Vec<TaskRow> = Section::ALL
        .into_iter()
        .map(|section| TaskRow {
            slug: section.slug(),
            title_key: section.title_key(),
            href: Some(owner.page(Task::Rows(section))),
            hint: None,
            progress: Progress::of_count(rows.count(section)),
        })
        .collect();
    // The operator sees the CV at the resident's page and leaves the photo to them.
    if owner.staff.is_none() {
        for (task, present) in [
            (Task::Photo, profile.is_some_and(|p| p.photo_file.is_some())),
            (Task::Cv, profile.is_some_and(|p| p.cv_name.is_some())),
        ] {
            more.push(TaskRow {
                slug: task.slug(),
                title_key: task.title_key(),
                href: Some(owner.page(task)),
                hint: None,
                progress: Progress::of_count(usize::from(present)),
            });
        }
    }

    let card = Progress::of_card(
        holder.open_card().map(|c| c.status()),
        done == required.len(),
    );
    let card_row = TaskRow {
        slug: "kartu",
        title_key: "profile.task.card",
        href: (card != Progress::CannotStart).then(|| owner.card_page()),
        hint: (card == Progress::CannotStart)
            .then(|| ctx.t("profile.task.card_waits").into_owned()),
        progress: card,
    };

    let page = TaskListPage {
        staff: StaffView::of(owner, &holder.full_name),
        summary,
        groups: vec![
            Group {
                title_key: "profile.group.required",
                rows: required,
            },
            Group {
                title_key: "profile.group.more",
                rows: more,
            },
            Group {
                title_key: "profile.group.card",
                rows: vec![card_row],
            },
        ],
        cv: owner
            .staff
            .and(profile)
            .and_then(|p| uploads::cv_line(lang, p)),
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// An operator read a resident's profile: a staff read of personal data, so it is logged.
async fn log_staff_view(state: &AppState, owner: Owner, meta: RequestMeta) -> Result<(), AppError> {
    state
        .db(move |conn| {
            Ok(audit::record(
                conn,
                Entry::new(actions::SEEKER_PROFILE_VIEWED)
                    .actor(owner.actor())
                    .subject("user", owner.user_id)
                    .client(&meta),
            )?)
        })
        .await
}

/// A change to the seeker's profile, by the seeker or an operator. The entry names no
/// values: the log must not become a second copy of the personal data.
fn audit_change(
    conn: &mut db::DbConnection,
    owner: Owner,
    meta: &RequestMeta,
) -> diesel::QueryResult<()> {
    audit::record(
        conn,
        Entry::new(actions::SEEKER_PROFILE_CHANGED)
            .actor(owner.actor())
            .subject("user", owner.user_id)
            .client(meta),
    )
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    task_list(ctx, &state, Owner::own(seeker.user.id)).await
}

pub async fn staff_show(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;
    log_staff_view(&state, owner, meta).await?;
    task_list(ctx, &state, owner).await
}

async fn open_task(
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    task: Task,
) -> Result<HttpResponse, AppError> {
    match task {
        Task::Part(p) => part::show(ctx, state, owner, p).await,
        Task::Rows(section) => rows::show(ctx, state, owner, section).await,
        Task::Photo | Task::Cv if owner.staff.is_none() => {
            uploads::show(ctx, state, owner.user_id, task).await
        }
        // The operator sees the CV on the resident's page and leaves the photo to them.
        Task::Photo | Task::Cv => Err(AppError::NotFound),
    }
}

pub async fn task(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let task = Task::parse(&slug).ok_or(AppError::NotFound)?;
    open_task(ctx, &state, Owner::own(seeker.user.id), task).await
}

pub async fn staff_task(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    path: web::Path<(UserId, String)>,
) -> Result<HttpResponse, AppError> {
    let (user_id, slug) = path.into_inner();
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;
    let task = Task::parse(&slug).ok_or(AppError::NotFound)?;
    log_staff_view(&state, owner, meta).await?;
    open_task(ctx, &state, owner, task).await
}

/// What any page of the list posts: each page sends its own fields, the rest stay empty.
#[derive(Deserialize)]
pub struct TaskForm {
    #[serde(flatten)]
    profile: ProfileForm,
    #[serde(flatten)]
    row: RowForm,
}

async fn save_task(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    owner: Owner,
    slug: &str,
    form: TaskForm,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);
    match Task::parse(slug) {
        Some(Task::Part(p)) => {
            part::save(meta, ctx, &state, &session, owner, p, form.profile).await
        }
        Some(Task::Rows(section)) => {
            rows::add(meta, ctx, &state, &session, owner, section, form.row).await
        }
        // The photo and the CV are sent as files to their own addresses.
        _ => Err(AppError::NotFound),
    }
}

pub async fn save(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    slug: web::Path<String>,
    form: web::Form<TaskForm>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::own(seeker.user.id);
    save_task(req, ctx, state, session, owner, &slug, form.into_inner()).await
}

pub async fn staff_save(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    path: web::Path<(UserId, String)>,
    form: web::Form<TaskForm>,
) -> Result<HttpResponse, AppError> {
    let (user_id, slug) = path.into_inner();
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;
    save_task(req, ctx, state, session, owner, &slug, form.into_inner()).await
}

pub async fn remove_row(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (section, row_id) = path.into_inner();
    let section = Section::parse(&section).ok_or(AppError::NotFound)?;
    let owner = Owner::own(seeker.user.id);
    rows::remove(
        RequestMeta::of(&req),
        &state,
        &session,
        owner,
        section,
        row_id,
    )
    .await
}

pub async fn staff_remove_row(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    path: web::Path<(UserId, String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (user_id, section, row_id) = path.into_inner();
    let section = Section::parse(&section).ok_or(AppError::NotFound)?;
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;
    rows::remove(
        RequestMeta::of(&req),
        &state,
        &session,
        owner,
        section,
        row_id,
    )
    .await
}
