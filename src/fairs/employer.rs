//! A company's side of the fairs (`/perusahaan/bursa-kerja`): the fairs it may still apply
//! to, its booths and their state, and the form that applies for a booth with the vacancies
//! it brings.

use std::collections::HashSet;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::booths::{self, Booth, BoothStatus, Refusal};
use super::model::{self, Fair};
use super::staff::{dates, dates_between};
use crate::audit::{self, Entry, actions};
use crate::domain::ids::{JobFairId, VacancyId};
use crate::vacancies::{OpenVacancy, company_of};
use crate::web::auth::{Employer, Require};
use crate::web::forms::{FieldErrors, check_lines};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

pub struct OwnBooth {
    pub booth: Booth,
    pub fair: String,
    pub dates: String,
}

#[derive(Template)]
#[template(path = "fairs/employer_list.html")]
struct ListPage {
    ctx: PageCtx,
    /// Each fair open to booths, its dates and its deadline for booths.
    open: Vec<(Fair, String, String)>,
    booths: Vec<OwnBooth>,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Employer>,
) -> Result<HttpResponse, AppError> {
    let company = company_of(&user)?;
    let today = crate::domain::calendar::today();
    let (open, own) = state
        .db(move |conn| {
            Ok((
                model::open_for_booths(conn, today)?,
                booths::of_company(conn, company)?,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let page = ListPage {
        open: open
            .into_iter()
            .map(|f| {
                let d = dates(lang, &f);
                let deadline = ctx.tf(
                    "fair.employer.deadline",
                    &[("date", &crate::web::format::date(lang, f.booth_deadline))],
                );
                (f, d, deadline)
            })
            .collect(),
        booths: own
            .into_iter()
            .map(|(booth, fair, starts, ends)| OwnBooth {
                booth,
                fair,
                dates: dates_between(lang, starts, ends),
            })
            .collect(),
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// The booth form as typed: the vacancies ticked and the note.
#[derive(Debug, Clone, Default)]
pub struct BoothForm {
    pub vacancies: Vec<String>,
    pub note: String,
}

impl BoothForm {
    fn parse(body: &[u8]) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "vacancy" if f.vacancies.len() < 100 => f.vacancies.push(v),
                "note" => f.note = v,
                _ => {}
            }
        }
        f
    }

    pub fn ticks(&self, id: &VacancyId) -> bool {
        let id = id.to_string();
        self.vacancies.contains(&id)
    }
}

#[derive(Template)]
#[template(path = "fairs/employer_booth.html")]
struct BoothPage {
    ctx: PageCtx,
    fair: Fair,
    dates: String,
    booth: Option<Booth>,
    vacancies: Vec<OpenVacancy>,
    form: BoothForm,
    errors: FieldErrors,
    open: bool,
}

struct Loaded {
    fair: Fair,
    booth: Option<Booth>,
    brought: Vec<VacancyId>,
    vacancies: Vec<OpenVacancy>,
}

impl BoothPage {
    fn new(ctx: PageCtx, l: Loaded, form: BoothForm, errors: FieldErrors) -> Self {
        let today = crate::domain::calendar::today();
        Self {
            dates: dates(ctx.lang, &l.fair),
            open: l.fair.booths_open(today),
            ctx,
            fair: l.fair,
            booth: l.booth,
            vacancies: l.vacancies,
            form,
            errors,
        }
    }
}

fn load(
    conn: &mut crate::db::DbConnection,
    fair: JobFairId,
    company: crate::domain::ids::CompanyId,
) -> Result<Loaded, AppError> {
    let today = crate::domain::calendar::today();
    let fair = model::find(conn, fair)?
        .filter(|f| f.is_published())
        .ok_or(AppError::NotFound)?;
    let booth = booths::of_company_at(conn, fair.id, company)?;
    let brought = match &booth {
        Some(b) => booths::vacancies_of(conn, b.id)?,
        None => Vec::new(),
    };
    let (vacancies, _) = crate::vacancies::open_of_company(conn, company, today, 200)?;
    Ok(Loaded {
        fair,
        booth,
        brought,
        vacancies,
    })
}

pub async fn form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Employer>,
    fair: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let company = company_of(&user)?;
    let fair = fair.into_inner();
    let l = state.db(move |conn| load(conn, fair, company)).await?;
    let form = BoothForm {
        vacancies: l.brought.iter().map(|v| v.to_string()).collect(),
        note: l
            .booth
            .as_ref()
            .and_then(|b| b.note.clone())
            .unwrap_or_default(),
    };
    render(
        &BoothPage::new(ctx, l, form, FieldErrors::default()),
        StatusCode::OK,
    )
}

pub async fn apply(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Employer>,
    fair: web::Path<JobFairId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let company = company_of(&user)?;
    let fair_id = fair.into_inner();
    let form = BoothForm::parse(&body);
    let mut errors = FieldErrors::default();
    let note = form.note.trim().to_owned();
    if check_lines(&mut errors, "note", &note) && note.chars().count() > 1000 {
        errors.add("note", "booth.error.note");
    }
    let wanted: Vec<VacancyId> = form
        .vacancies
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if wanted.is_empty() || wanted.len() > 50 {
        errors.add("vacancy", "booth.error.vacancies");
    }
    let actor = user.user.id;
    let today = crate::domain::calendar::today();
    let checked = errors.is_empty();
    let outcome = state
        .db(move |conn| {
            let l = load(conn, fair_id, company)?;
            if !checked {
                return Ok(Err((l, None)));
            }
            let applied = crate::db::transaction(conn, |conn| {
                let note = (!note.is_empty()).then_some(note.as_str());
                let id = match booths::apply(conn, &l.fair, company, actor, &wanted, note, today)? {
                    Ok(id) => id,
                    Err(refusal) => return Ok::<_, diesel::result::Error>(Err(refusal)),
                };
                audit::record(
                    conn,
                    Entry::new(actions::BOOTH_APPLIED)
                        .actor(actor)
                        .subject("job_fair_booth", id)
                        .detail(serde_json::json!({ "fair": l.fair.id, "vacancies": wanted }))
                        .client(&meta),
                )?;
                Ok(Ok(id))
            })?;
            match applied {
                Ok(_) => Ok(Ok(())),
                Err(refusal) => Ok(Err((l, Some(refusal)))),
            }
        })
        .await?;
    match outcome {
        Ok(()) => {
            session::flash(&session, FlashLevel::Success, "booth.applied");
            Ok(redirect("/perusahaan/bursa-kerja"))
        }
        Err((l, refusal)) => {
            if let Some(r) = refusal {
                errors.add(
                    if r == Refusal::Vacancies {
                        "vacancy"
                    } else {
                        "form"
                    },
                    r.message_key(),
                );
            }
            render(
                &BoothPage::new(ctx, l, form, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

pub async fn withdraw(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Employer>,
    fair: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let company = company_of(&user)?;
    let fair = fair.into_inner();
    let actor = user.user.id;
    let done = state
        .db(move |conn| {
            let Some(booth) = booths::of_company_at(conn, fair, company)? else {
                return Err(AppError::NotFound);
            };
            Ok(crate::db::transaction(conn, |conn| {
                if !booths::withdraw(conn, booth.id)? {
                    return Ok::<_, diesel::result::Error>(false);
                }
                audit::record(
                    conn,
                    Entry::new(actions::BOOTH_WITHDRAWN)
                        .actor(actor)
                        .subject("job_fair_booth", booth.id)
                        .client(&meta),
                )?;
                Ok(true)
            })?)
        })
        .await?;
    session::flash(
        &session,
        if done {
            FlashLevel::Success
        } else {
            FlashLevel::Error
        },
        if done {
            "booth.withdrawn"
        } else {
            "booth.error.not_open"
        },
    );
    Ok(redirect("/perusahaan/bursa-kerja"))
}

impl OwnBooth {
    pub fn may_withdraw(&self) -> bool {
        matches!(
            self.booth.status,
            BoothStatus::Applied | BoothStatus::Approved
        )
    }
}
