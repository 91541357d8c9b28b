//! A part of the registration form on its own page: identity, address and contact, or
//! education and the work sought. Saving a page keeps what the other pages hold.

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::{EducationChoice, Owner, StaffView, audit_change, educations};
use crate::audit::{self, Entry, actions};
use crate::domain::ids::JobTitleId;
use crate::employers::forms::{ChoiceGroup, CompanyChoices};
use crate::seekers::forms::{self, OUTSIDE_BINJAI, Part, ProfileForm};
use crate::seekers::model::{self, MaritalStatus, Religion};
use crate::seekers::person_check;
use crate::seekers::person_link::{self, SavedBy};
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Template)]
#[template(path = "seekers/profile_part.html")]
struct PartPage {
    ctx: PageCtx,
    /// The task list.
    back: String,
    action: String,
    staff: Option<StaffView>,
    part: Part,
    form: ProfileForm,
    errors: FieldErrors,
    places: CompanyChoices,
    job_titles: Vec<ChoiceGroup>,
    educations: Vec<EducationChoice>,
    marital: [MaritalStatus; 4],
    religions: [Religion; 7],
}

impl PartPage {
    fn outside_binjai(&self) -> bool {
        self.form.location == OUTSIDE_BINJAI
    }
}

/// The whole form as stored, with the seeker's name.
async fn stored(state: &AppState, owner: Owner) -> Result<(String, ProfileForm), AppError> {
    let user_id = owner.user_id;
    state
        .db(move |conn| {
            let profile = model::find_by_user(conn, user_id)?;
            let contact = crate::accounts::directory::contact(conn, user_id)?;
            let form = ProfileForm::of(
                &contact.full_name,
                contact.phone.as_deref(),
                profile.as_ref(),
            );
            Ok((contact.full_name, form))
        })
        .await
}

/// The page with `form` in its fields: as stored, or as typed when refused. `name` is the
/// seeker's, for the operator's view.
async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    part: Part,
    (name, form): (String, ProfileForm),
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let job_titles = match part {
        // Only this page lists the thousands of KBJI titles.
        Part::Work => {
            state
                .db(move |conn| Ok(crate::vacancies::job_title_groups(conn, lang)?))
                .await?
        }
        _ => Vec::new(),
    };
    let page = PartPage {
        back: owner.base(),
        action: owner.page(super::Task::Part(part)),
        staff: StaffView::of(owner, &name),
        part,
        form,
        errors,
        places: CompanyChoices::new(lang),
        job_titles,
        educations: educations(lang),
        marital: MaritalStatus::ALL,
        religions: Religion::ALL,
        ctx,
    };
    render(&page, status)
}

pub(super) async fn show(
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    part: Part,
) -> Result<HttpResponse, AppError> {
    let stored = stored(state, owner).await?;
    render_page(
        ctx,
        state,
        owner,
        part,
        stored,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

enum Saved {
    Done,
    NikTaken,
}

pub(super) async fn save(
    meta: RequestMeta,
    ctx: PageCtx,
    state: &AppState,
    session: &Session,
    owner: Owner,
    part: Part,
    posted: ProfileForm,
) -> Result<HttpResponse, AppError> {
    let user_id = owner.user_id;
    let today = crate::domain::calendar::today();
    let (name, mut form) = stored(state, owner).await?;
    part.take(&mut form, posted);
    let title_ids: Vec<JobTitleId> = state
        .db(|conn| Ok(crate::reference::job_title_ids(conn)?))
        .await?;
    let mut errors = FieldErrors::default();
    let valid = forms::validate(&form, today, |id| title_ids.contains(&id), &mut errors);
    let Some(valid) = valid else {
        return render_page(
            ctx,
            state,
            owner,
            part,
            (name, form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };

    let base_url = state.settings.base_url.clone();
    let saved = state
        .db(move |conn| {
            let mut valid = valid;
            let earlier = model::find_by_user(conn, user_id)?;
            let kept_nik = earlier.as_ref().and_then(|p| p.nik.clone());
            // Only the identity page sends a NIK: the others keep the stored one and leave
            // any claim as it stands.
            let typed_nik = part == Part::Identity;
            let clash = match (&valid.nik, typed_nik) {
                (Some(nik), true) => model::nik_taken_by_other(conn, nik, user_id)?,
                _ => false,
            };
            if clash && owner.staff.is_some() {
                // The operator has the KTP in hand and may be told.
                return Ok(Saved::NikTaken);
            }
            crate::db::transaction(conn, |conn| {
                let claim = if clash {
                    // Told to the resident as saved, like any NIK: anyone can type a
                    // stranger's NIK, and must not learn that it is registered. The profile
                    // keeps its earlier NIK; the counter settles the claim with the KTP.
                    std::mem::replace(&mut valid.nik, kept_nik)
                } else if typed_nik {
                    None
                } else {
                    valid.nik = kept_nik;
                    earlier.as_ref().and_then(|p| p.nik_claim.clone())
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
                        && let Some(email) = &user.email
                    {
                        let account = person_check::Account {
                            user_id,
                            email,
                            email_confirmed: user.email_verified_at.is_some(),
                        };
                        person_check::offer(conn, &account, saved.id, person, &base_url, now)?;
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
            session::flash(session, FlashLevel::Success, "seeker.profile.saved");
            Ok(redirect(&owner.base()))
        }
        Saved::NikTaken => {
            let mut errors = FieldErrors::default();
            errors.add("nik", "seeker.error.nik_taken");
            render_page(
                ctx,
                state,
                owner,
                part,
                (name, form),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
