//! A provider's programmes (`/lembaga/program`): list, write a new one (saved as a draft or
//! published at once), correct it while it is a draft or published, and move it on through
//! registration closed, running and finished, or cancel it.

use crate::domain::ids::{JobTitleId, ProgrammeId, ProviderId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::programmes::{
    self, Certificate, FIELDS, Funding, Mode, Programme, ProgrammeForm, Status,
};
use crate::audit::{self, Entry, actions};
use crate::employers::forms::{ChoiceGroup, CompanyChoices};
use crate::reference::education::EducationLevel;
use crate::web::auth::{Provider, Require};
use crate::web::format::date;
use crate::web::forms::FieldErrors;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

fn provider_of(user: &Require<Provider>) -> Result<ProviderId, AppError> {
    user.user.provider_id.ok_or(AppError::Forbidden)
}

pub struct Row {
    pub id: ProgrammeId,
    pub title: String,
    pub status: Status,
    pub dates: String,
    pub seats: String,
    pub pending: i64,
}

#[derive(Template)]
#[template(path = "training/programme_list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Provider>,
) -> Result<HttpResponse, AppError> {
    let provider = provider_of(&user)?;
    let lang = ctx.lang;
    let (found, pending) = state
        .db(move |conn| {
            let found = programmes::of_provider(conn, provider)?;
            let ids: Vec<ProgrammeId> = found.iter().map(|p| p.id).collect();
            let pending = super::enrolment::pending_counts(conn, &ids)?;
            Ok((found, pending))
        })
        .await?;
    let rows = found
        .into_iter()
        .map(|p| Row {
            status: p.status(),
            dates: format!("{} – {}", date(lang, p.starts_on), date(lang, p.ends_on)),
            seats: format!("{} / {}", p.seats_taken, p.quota),
            pending: pending.get(&p.id).copied().unwrap_or(0),
            id: p.id,
            title: p.title,
        })
        .collect();
    render(&ListPage { ctx, rows }, StatusCode::OK)
}

pub struct Labelled {
    pub code: &'static str,
    pub key: &'static str,
}

#[derive(Template)]
#[template(path = "training/programme_form.html")]
struct FormPage {
    ctx: PageCtx,
    programme: Option<Programme>,
    form: ProgrammeForm,
    errors: FieldErrors,
    fields: Vec<Labelled>,
    modes: Vec<Labelled>,
    fundings: Vec<Labelled>,
    certificates: Vec<Labelled>,
    educations: Vec<(String, &'static str)>,
    job_titles: Vec<ChoiceGroup>,
    choices: CompanyChoices,
    moves: Vec<Status>,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.programme {
            Some(p) => format!("/lembaga/program/{}", p.id),
            None => "/lembaga/program/baru".into(),
        }
    }

    fn editable(&self) -> bool {
        self.programme
            .as_ref()
            .is_none_or(|p| p.status().editable())
    }
}

fn labelled<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<Labelled> {
    all.iter()
        .map(|x| Labelled {
            code: code(*x),
            key: key(*x),
        })
        .collect()
}

async fn render_form(
    ctx: PageCtx,
    state: &AppState,
    provider: ProviderId,
    id: Option<ProgrammeId>,
    form: Option<ProgrammeForm>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let (programme, titles, job_titles) = state
        .db(move |conn| {
            let programme = match id {
                Some(id) => {
                    Some(programmes::find_own(conn, id, provider)?.ok_or(AppError::NotFound)?)
                }
                None => None,
            };
            let titles = match &programme {
                Some(p) => programmes::job_titles_of(conn, p.id)?,
                None => Vec::new(),
            };
            Ok((
                programme,
                titles,
                crate::vacancies::job_title_groups(conn, lang)?,
            ))
        })
        .await?;
    let form = form
        .or_else(|| programme.as_ref().map(|p| ProgrammeForm::of(p, &titles)))
        .unwrap_or_else(|| ProgrammeForm {
            cost_kind: "free".into(),
            mode: Mode::InPerson.as_str().into(),
            certificate: Certificate::Attendance.as_str().into(),
            ..ProgrammeForm::default()
        });
    let page = FormPage {
        moves: programme
            .as_ref()
            .map(|p| p.status().next().to_vec())
            .unwrap_or_default(),
        programme,
        form,
        errors,
        fields: FIELDS
            .iter()
            .map(|(c, k)| Labelled { code: c, key: k })
            .collect(),
        modes: labelled(&Mode::ALL, Mode::as_str, Mode::label_key),
        fundings: labelled(&Funding::ALL, Funding::as_str, Funding::label_key),
        certificates: labelled(
            &Certificate::ALL,
            Certificate::as_str,
            Certificate::label_key,
        ),
        educations: EducationLevel::ALL
            .iter()
            .map(|e| {
                (
                    e.code().to_string(),
                    match lang {
                        Lang::Id => e.name_id(),
                        Lang::En => e.name_en(),
                    },
                )
            })
            .collect(),
        job_titles,
        choices: CompanyChoices::new(lang),
        ctx,
    };
    render(&page, status)
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Provider>,
) -> Result<HttpResponse, AppError> {
    render_form(
        ctx,
        &state,
        provider_of(&user)?,
        None,
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn edit_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Provider>,
    id: web::Path<ProgrammeId>,
) -> Result<HttpResponse, AppError> {
    render_form(
        ctx,
        &state,
        provider_of(&user)?,
        Some(id.into_inner()),
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn job_title_ids(state: &AppState) -> Result<Vec<JobTitleId>, AppError> {
    state
        .db(|conn| Ok(crate::reference::job_title_ids(conn)?))
        .await
}

pub async fn create(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Provider>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let provider = provider_of(&user)?;
    let (form, action) = ProgrammeForm::parse(&body);
    let titles = job_title_ids(&state).await?;
    let mut errors = FieldErrors::default();
    let Some(valid) = programmes::validate(&form, |id| titles.contains(&id), &mut errors) else {
        return render_form(
            ctx,
            &state,
            provider,
            None,
            Some(form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let publish = action == "publish";
    let actor = user.user.id;
    let id = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let id = programmes::create(conn, provider, &valid, actor)?;
                if publish {
                    let p = programmes::find_own(conn, id, provider)?.ok_or(AppError::NotFound)?;
                    programmes::move_to(conn, &p, Status::Published, actor)?;
                }
                audit::record(
                    conn,
                    Entry::new(actions::PROGRAMME_CREATED)
                        .actor(actor)
                        .subject("training_programme", id)
                        .client(&meta),
                )?;
                Ok::<_, AppError>(id)
            })
        })
        .await?;
    session::flash(
        &session,
        FlashLevel::Success,
        if publish {
            "programme.published"
        } else {
            "programme.saved"
        },
    );
    Ok(redirect(&format!("/lembaga/program/{id}")))
}

pub async fn update(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Provider>,
    id: web::Path<ProgrammeId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let provider = provider_of(&user)?;
    let id = id.into_inner();
    let (form, _) = ProgrammeForm::parse(&body);
    let titles = job_title_ids(&state).await?;
    let mut errors = FieldErrors::default();
    let Some(valid) = programmes::validate(&form, |t| titles.contains(&t), &mut errors) else {
        return render_form(
            ctx,
            &state,
            provider,
            Some(id),
            Some(form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let seats = state
        .db(move |conn| {
            Ok(programmes::find_own(conn, id, provider)?
                .ok_or(AppError::NotFound)?
                .seats_taken)
        })
        .await?;
    if valid.quota < seats {
        errors.add("quota", "programme.error.quota_below_seats");
        return render_form(
            ctx,
            &state,
            provider,
            Some(id),
            Some(form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let actor = user.user.id;
    let saved = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let saved = programmes::update(conn, id, &valid)?;
                if saved {
                    audit::record(
                        conn,
                        Entry::new(actions::PROGRAMME_CHANGED)
                            .actor(actor)
                            .subject("training_programme", id)
                            .client(&meta),
                    )?;
                }
                Ok::<_, AppError>(saved)
            })
        })
        .await?;
    if saved {
        session::flash(&session, FlashLevel::Success, "programme.saved");
    } else {
        session::flash(&session, FlashLevel::Error, "programme.error.not_editable");
    }
    Ok(redirect(&format!("/lembaga/program/{id}")))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    ke: String,
}

pub async fn change_status(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Provider>,
    id: web::Path<ProgrammeId>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let provider = provider_of(&user)?;
    let id = id.into_inner();
    let to = Status::parse(&form.ke);
    let actor = user.user.id;
    let moved = state
        .db(move |conn| {
            let p = programmes::find_own(conn, id, provider)?.ok_or(AppError::NotFound)?;
            let Some(to) = to else {
                return Ok(false);
            };
            crate::db::transaction(conn, |conn| {
                let moved = programmes::move_to(conn, &p, to, actor)?;
                if moved {
                    audit::record(
                        conn,
                        Entry::new(actions::PROGRAMME_STATUS_CHANGED)
                            .actor(actor)
                            .subject("training_programme", id)
                            .detail(serde_json::json!({ "status": to.as_str() }))
                            .client(&meta),
                    )?;
                }
                Ok::<_, AppError>(moved)
            })
        })
        .await?;
    if moved {
        session::flash(&session, FlashLevel::Success, "programme.moved");
    } else {
        session::flash(&session, FlashLevel::Error, "programme.error.move");
    }
    Ok(redirect(&format!("/lembaga/program/{id}")))
}
