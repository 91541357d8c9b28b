//! `/pencaker/profil`: the job seeker completes their own profile, and sees what is still
//! missing for the AK/I card. An operator at the counter fills in the same form for a
//! resident at `/petugas/pencaker/{user}/profil`.

use crate::domain::ids::{JobTitleId, UserId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use super::forms::{self, OUTSIDE_BINJAI, ProfileForm};
use super::history::{self, LanguageLevel, RowForm, Rows, Section};
use super::model::{self, MaritalStatus, Religion};
use super::person_link::{self, SavedBy};
use crate::audit::{self, Entry, actions};
use crate::db;
use crate::employers::forms::{ChoiceGroup, CompanyChoices};
use crate::reference::education::EducationLevel;
use crate::web::auth::{CounterStaff, JobSeeker, Require};
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

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

    fn base(self) -> String {
        match self.staff {
            Some(_) => format!("{}/profil", super::counter::seeker_path(self.user_id)),
            None => "/pencaker/profil".into(),
        }
    }
}

struct EducationChoice {
    code: String,
    name: &'static str,
}

#[derive(Template)]
#[template(path = "seekers/profile.html")]
struct ProfilePage {
    ctx: PageCtx,
    /// Where this form posts: the seeker's own page or the counter's.
    base: String,
    /// The seeker's name when an operator is filling in the form for them.
    staff_view: Option<String>,
    seeker_page: String,
    form: ProfileForm,
    errors: FieldErrors,
    missing: Vec<&'static str>,
    progress: String,
    places: CompanyChoices,
    job_titles: Vec<ChoiceGroup>,
    educations: Vec<EducationChoice>,
    marital: [MaritalStatus; 4],
    religions: [Religion; 7],
    rows: Rows,
    /// The CV on file: its name and "124 KB, 29 November 2026".
    cv: Option<(String, String)>,
    cv_action: String,
    has_photo: bool,
    photo_action: String,
    language_rows: Vec<history::RowView>,
    row_form: RowForm,
    language_levels: [LanguageLevel; 3],
}

impl ProfilePage {
    fn outside_binjai(&self) -> bool {
        self.form.location == OUTSIDE_BINJAI
    }
}

async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    form: Option<ProfileForm>,
    row_form: RowForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let user_id = owner.user_id;
    let (profile, name, phone, job_titles, rows) = state
        .db(move |conn| {
            let profile = model::find_by_user(conn, user_id)?;
            let rows = match &profile {
                Some(p) => history::rows(conn, p.id, lang == Lang::En)?,
                None => Rows::default(),
            };
            let contact = crate::accounts::directory::contact(conn, user_id)?;
            let (name, phone) = (contact.full_name, contact.phone);
            let job_titles = crate::vacancies::job_title_groups(conn, lang)?;
            Ok((profile, name, phone, job_titles, rows))
        })
        .await?;
    let missing = forms::missing(profile.as_ref(), phone.as_deref());
    let progress = ctx.tf(
        "seeker.profile.progress",
        &[
            ("done", &(forms::PARTS - missing.len()).to_string()),
            ("parts", &forms::PARTS.to_string()),
        ],
    );
    let form = form.unwrap_or_else(|| ProfileForm::of(&name, phone.as_deref(), profile.as_ref()));
    let page = ProfilePage {
        base: owner.base(),
        staff_view: owner.staff.map(|_| name.clone()),
        seeker_page: super::counter::seeker_path(user_id),
        form,
        errors,
        missing,
        progress,
        places: CompanyChoices::new(lang),
        job_titles,
        educations: EducationLevel::ALL
            .iter()
            .map(|e| EducationChoice {
                code: e.code().to_string(),
                name: match lang {
                    Lang::Id => e.name_id(),
                    Lang::En => e.name_en(),
                },
            })
            .collect(),
        marital: MaritalStatus::ALL,
        religions: Religion::ALL,
        cv: profile.as_ref().and_then(|p| {
            let name = p.cv_name.clone()?;
            let size = format!(
                "{} KB, {}",
                crate::web::format::number(lang, (i64::from(p.cv_size.unwrap_or(0)) + 1023) / 1024),
                p.cv_uploaded_at
                    .map(|t| crate::web::format::day(lang, t))
                    .unwrap_or_default()
            );
            Some((name, size))
        }),
        cv_action: "/pencaker/cv".to_owned(),
        has_photo: profile.as_ref().is_some_and(|p| p.photo_file.is_some()),
        photo_action: "/pencaker/foto".to_owned(),
        language_rows: rows
            .languages
            .iter()
            .map(|(id, language, level_key)| history::RowView {
                id: *id,
                text: format!("{language} · {}", ctx.t(level_key)),
            })
            .collect(),
        rows,
        row_form,
        language_levels: LanguageLevel::ALL,
        ctx,
    };
    render(&page, status)
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    render_page(
        ctx,
        &state,
        Owner::own(seeker.user.id),
        None,
        RowForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// An operator opens a resident's profile: a staff read of personal data, so it is logged.
pub async fn staff_show(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;

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
        .await?;
    render_page(
        ctx,
        &state,
        owner,
        None,
        RowForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn staff_update(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;
    save_profile(req, ctx, state, session, owner, form.into_inner()).await
}

pub async fn staff_add_row(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    path: web::Path<(UserId, String)>,
    form: web::Form<RowForm>,
) -> Result<HttpResponse, AppError> {
    let (user_id, section) = path.into_inner();
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;
    save_row(req, ctx, state, session, owner, &section, form.into_inner()).await
}

pub async fn staff_remove_row(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    path: web::Path<(UserId, String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (user_id, section, row_id) = path.into_inner();
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;
    delete_row(req, state, session, owner, &section, row_id).await
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

enum Saved {
    Done,
    NikTaken,
}

pub async fn update(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    save_profile(
        req,
        ctx,
        state,
        session,
        Owner::own(seeker.user.id),
        form.into_inner(),
    )
    .await
}

async fn save_profile(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    owner: Owner,
    form: ProfileForm,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);
    let user_id = owner.user_id;
    let today = crate::domain::calendar::today();
    let title_ids: Vec<JobTitleId> = state
        .db(|conn| Ok(crate::reference::job_title_ids(conn)?))
        .await?;
    let mut errors = FieldErrors::default();
    let valid = forms::validate(&form, today, |id| title_ids.contains(&id), &mut errors);
    let Some(valid) = valid else {
        return render_page(
            ctx,
            &state,
            owner,
            Some(form),
            RowForm::default(),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };

    let base_url = state.settings.base_url.clone();
    let saved = state
        .db(move |conn| {
            let mut valid = valid;
            let clash = match &valid.nik {
                Some(nik) => model::nik_taken_by_other(conn, nik, user_id)?,
                None => false,
            };
            if clash && owner.staff.is_some() {
                // The operator has the KTP in hand and may be told.
                return Ok(Saved::NikTaken);
            }
            conn.transaction(|conn| {
                let claim = if clash {
                    // Told to the resident as saved, like any NIK: anyone can type a
                    // stranger's NIK, and must not learn that it is registered. The profile
                    // keeps its earlier NIK; the counter settles the claim with the KTP.
                    let kept = model::find_by_user(conn, user_id)?.and_then(|p| p.nik);
                    std::mem::replace(&mut valid.nik, kept)
                } else {
                    None
                };
                model::save(conn, user_id, &valid)?;
                model::set_nik_claim(conn, user_id, claim.as_ref())?;
                if let Some(saved) = model::find_by_user(conn, user_id)? {
                    let by = match owner.staff {
                        Some(operator) => SavedBy::Operator(operator),
                        None => SavedBy::Resident,
                    };
                    let now = chrono::Utc::now().naive_utc();
                    let outcome = person_link::sync(conn, &saved, &valid.full_name, by, now)?;
                    if let (person_link::Outcome::Waiting(person), SavedBy::Resident) =
                        (outcome, by)
                        && let Some(user) = crate::accounts::find_by_id(conn, user_id)?
                    {
                        let account = super::person_check::Account {
                            user_id,
                            email: &user.email,
                            email_confirmed: user.email_verified_at.is_some(),
                        };
                        super::person_check::offer(
                            conn, &account, saved.id, person, &base_url, now,
                        )?;
                    }
                }
                if clash {
                    audit::record(
                        conn,
                        Entry::new(actions::SEEKER_NIK_CLAIMED)
                            .actor(user_id)
                            .subject("user", user_id)
                            .client(&meta),
                    )?;
                }
                audit_change(conn, owner, &meta)
            })?;
            Ok(Saved::Done)
        })
        .await?;
    match saved {
        Saved::Done => {
            session::flash(&session, FlashLevel::Success, "seeker.profile.saved");
            Ok(redirect(&owner.base()))
        }
        Saved::NikTaken => {
            let mut errors = FieldErrors::default();
            errors.add("nik", "seeker.error.nik_taken");
            render_page(
                ctx,
                &state,
                owner,
                Some(form),
                RowForm::default(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn add_row(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    section: web::Path<String>,
    form: web::Form<RowForm>,
) -> Result<HttpResponse, AppError> {
    save_row(
        req,
        ctx,
        state,
        session,
        Owner::own(seeker.user.id),
        &section,
        form.into_inner(),
    )
    .await
}

async fn save_row(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    owner: Owner,
    section: &str,
    form: RowForm,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);
    let section = Section::parse(section).ok_or(AppError::NotFound)?;
    let user_id = owner.user_id;
    let mut errors = FieldErrors::default();
    let today = crate::domain::calendar::today();
    let Some(row) = history::validate(section, &form, today, &mut errors) else {
        return render_page(
            ctx,
            &state,
            owner,
            None,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };

    state
        .db(move |conn| {
            conn.transaction(|conn| {
                let seeker_id = history::ensure_profile(conn, user_id)?;
                history::add(conn, seeker_id, &row)?;
                audit_change(conn, owner, &meta)
            })?;
            Ok(())
        })
        .await?;
    session::flash(&session, FlashLevel::Success, "seeker.profile.saved");
    Ok(redirect(&owner.base()))
}

pub async fn remove_row(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    seeker: Require<JobSeeker>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (section, row_id) = path.into_inner();
    delete_row(
        req,
        state,
        session,
        Owner::own(seeker.user.id),
        &section,
        row_id,
    )
    .await
}

async fn delete_row(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    owner: Owner,
    section: &str,
    row_id: i32,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(&req);
    let section = Section::parse(section).ok_or(AppError::NotFound)?;
    let user_id = owner.user_id;

    let removed = state
        .db(move |conn| {
            let Some(profile) = model::find_by_user(conn, user_id)? else {
                return Ok(false);
            };
            conn.transaction(|conn| {
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
    session::flash(&session, FlashLevel::Success, "seeker.profile.saved");
    Ok(redirect(&owner.base()))
}
