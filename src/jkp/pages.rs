//! The staff's JKP pages: the list of recipients and one recipient's follow-up. Restricted
//! personal data (a lost job, a benefit): operators and the data steward only, and every
//! page that shows a recipient is written to the audit log.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::model::{self, CounsellingResult, EventKind, FollowUp, Recipient, Row, Standing, Step};
use crate::audit::{self, Entry, actions};
use crate::domain::ids::{JkpRecipientId, ProgrammeId, VacancyId};
use crate::people::Person;
use crate::web::auth::{JkpStaff, Require};
use crate::web::forms::{FieldErrors, check_line, check_lines};
use crate::web::pagination::{Pager, page_number, query_with_page};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx, format};

const PER_PAGE: i64 = 50;
const LIST: &str = "/petugas/jkp";

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    tahap: String,
    #[serde(default)]
    hal: String,
}

fn standing(raw: &str) -> Option<Standing> {
    match raw {
        "menunggu" => Some(Standing::Waiting),
        "ditindaklanjuti" => Some(Standing::FollowedUp),
        "bekerja" => Some(Standing::Reemployed),
        _ => None,
    }
}

pub struct ListRow {
    pub href: String,
    pub name: String,
    pub nik: String,
    pub terminated_on: String,
    pub employer: String,
    pub reason_key: &'static str,
    pub step_key: &'static str,
}

#[derive(Template)]
#[template(path = "jkp/list.html")]
struct ListPage {
    ctx: PageCtx,
    tahap: String,
    total: String,
    rows: Vec<ListRow>,
    pager: Pager,
}

fn step_key(last: Option<EventKind>) -> &'static str {
    last.map_or("jkp.step.none", EventKind::label_key)
}

pub async fn list(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<JkpStaff>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = standing(&query.tahap);
    let tahap = if filter.is_some() {
        query.tahap
    } else {
        String::new()
    };
    let page = page_number(&query.hal);
    let staff_id = staff.user.id;
    let (rows, total) = state
        .db(move |conn| {
            let (rows, total): (Vec<Row>, i64) =
                model::list(conn, filter, (page - 1) * PER_PAGE, PER_PAGE)?;
            audit::record(
                conn,
                Entry::new(actions::JKP_LIST_VIEWED)
                    .actor(staff_id)
                    .detail(serde_json::json!({ "page": page, "shown": rows.len() }))
                    .client(&meta),
            )?;
            Ok((rows, total))
        })
        .await?;
    let lang = ctx.lang;
    let pages_total = (total + PER_PAGE - 1) / PER_PAGE;
    let filters = [("tahap", tahap.as_str())];
    let pager = Pager::new(&ctx, LIST, page, pages_total, |n| {
        query_with_page(&filters, n)
    });
    let page = ListPage {
        total: ctx.tf("jkp.count", &[("count", &format::number(lang, total))]),
        rows: rows
            .into_iter()
            .map(|r| ListRow {
                href: format!("{LIST}/{}", r.recipient.id),
                name: r.name,
                nik: r.nik.masked(),
                terminated_on: format::date(lang, r.recipient.terminated_on),
                employer: r.recipient.last_employer_name,
                reason_key: r.recipient.termination_reason.label_key(),
                step_key: step_key(r.last_step),
            })
            .collect(),
        tahap,
        pager,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// The follow-up forms' fields; each form sends the ones it has.
#[derive(Deserialize, Default, Clone)]
pub struct StepForm {
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub vacancy_id: String,
    #[serde(default)]
    pub programme_id: String,
    #[serde(default)]
    pub employer_name: String,
    #[serde(default)]
    pub employer_nib: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub note: String,
}

/// Which follow-up form, as its path segment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Counsel,
    ReferVacancy,
    ReferTraining,
    Reemployed,
}

impl Action {
    fn parse(segment: &str) -> Option<Self> {
        match segment {
            "konseling" => Some(Self::Counsel),
            "rujukan-lowongan" => Some(Self::ReferVacancy),
            "rujukan-pelatihan" => Some(Self::ReferTraining),
            "bekerja" => Some(Self::Reemployed),
            _ => None,
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            Self::Counsel => "konseling",
            Self::ReferVacancy => "rujukan-lowongan",
            Self::ReferTraining => "rujukan-pelatihan",
            Self::Reemployed => "bekerja",
        }
    }
}

pub struct EventView {
    pub on: String,
    pub kind_key: &'static str,
    pub detail: String,
    pub detail_key: Option<&'static str>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "jkp/show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: JkpRecipientId,
    person: Person,
    birth_date: Option<String>,
    recipient: Recipient,
    terminated_on: String,
    benefit: Option<String>,
    events: Vec<EventView>,
    results: Vec<(&'static str, &'static str)>,
    /// The form that failed, with what was typed; the others start empty.
    failed: Option<Action>,
    form: StepForm,
    errors: FieldErrors,
    today: String,
}

impl ShowPage {
    fn value<'a>(&'a self, action: &Action, field: &str) -> &'a str {
        if self.failed != Some(*action) {
            return if field == "on" { &self.today } else { "" };
        }
        let f = &self.form;
        match field {
            "on" => &f.on,
            "result" => &f.result,
            "vacancy_id" => &f.vacancy_id,
            "programme_id" => &f.programme_id,
            "employer_name" => &f.employer_name,
            "employer_nib" => &f.employer_nib,
            "job_title" => &f.job_title,
            "note" => &f.note,
            _ => "",
        }
    }

    fn error(&self, action: &Action, field: &str) -> Option<&'static str> {
        if self.failed == Some(*action) {
            self.errors.get(field)
        } else {
            None
        }
    }
}

struct Loaded {
    recipient: Recipient,
    person: Person,
    events: Vec<model::Event>,
    vacancies: std::collections::HashMap<VacancyId, (String, String)>,
    programmes: std::collections::HashMap<ProgrammeId, String>,
}

fn load(conn: &mut crate::db::DbConnection, id: JkpRecipientId) -> Result<Loaded, AppError> {
    let recipient = model::find(conn, id)?.ok_or(AppError::NotFound)?;
    let person = crate::people::find(conn, recipient.person_id)?.ok_or(AppError::NotFound)?;
    let events = model::events_of(conn, &[id])?;
    let vacancy_ids: Vec<VacancyId> = events.iter().filter_map(|e| e.vacancy_id).collect();
    let vacancies = crate::vacancies::headings(conn, &vacancy_ids)?;
    let mut programmes = std::collections::HashMap::new();
    for p in events.iter().filter_map(|e| e.programme_id) {
        if let Some(found) = crate::training::programmes::find(conn, p)? {
            programmes.insert(p, found.title);
        }
    }
    Ok(Loaded {
        recipient,
        person,
        events,
        vacancies,
        programmes,
    })
}

#[allow(clippy::too_many_arguments)]
async fn render_show(
    meta: RequestMeta,
    ctx: PageCtx,
    state: &AppState,
    staff: &Require<JkpStaff>,
    id: JkpRecipientId,
    failed: Option<Action>,
    form: StepForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let staff_id = staff.user.id;
    let loaded = state
        .db(move |conn| {
            let loaded = load(conn, id)?;
            audit::record(
                conn,
                Entry::new(actions::JKP_VIEWED)
                    .actor(staff_id)
                    .subject("jkp", id)
                    .client(&meta),
            )?;
            Ok(loaded)
        })
        .await?;
    let lang = ctx.lang;
    let r = &loaded.recipient;
    let events = loaded
        .events
        .iter()
        .map(|e| {
            let (detail, detail_key) = match e.kind {
                EventKind::Counselled => (
                    String::new(),
                    e.counselling_result.map(CounsellingResult::label_key),
                ),
                EventKind::ReferredVacancy => (
                    e.vacancy_id
                        .and_then(|v| loaded.vacancies.get(&v))
                        .map(|(title, company)| format!("{title} — {company}"))
                        .unwrap_or_default(),
                    None,
                ),
                EventKind::ReferredTraining => (
                    e.programme_id
                        .and_then(|p| loaded.programmes.get(&p).cloned())
                        .unwrap_or_default(),
                    None,
                ),
                EventKind::Reemployed => (String::new(), None),
            };
            EventView {
                on: format::date(lang, e.occurred_on),
                kind_key: e.kind.label_key(),
                detail,
                detail_key,
                note: e.note.clone(),
            }
        })
        .collect();
    let page = ShowPage {
        id,
        birth_date: loaded.person.birth_date.map(|d| format::date(lang, d)),
        terminated_on: format::date(lang, r.terminated_on),
        benefit: match (r.benefit_from, r.benefit_until) {
            (Some(from), Some(until)) => Some(format!(
                "{} – {}",
                format::date(lang, from),
                format::date(lang, until)
            )),
            _ => None,
        },
        events,
        results: CounsellingResult::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_key()))
            .collect(),
        failed,
        form,
        errors,
        today: crate::domain::calendar::today().to_string(),
        recipient: loaded.recipient,
        person: loaded.person,
        ctx,
    };
    render(&page, status)
}

pub async fn show(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<JkpStaff>,
    id: web::Path<JkpRecipientId>,
) -> Result<HttpResponse, AppError> {
    render_show(
        meta,
        ctx,
        &state,
        &staff,
        id.into_inner(),
        None,
        StepForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// A checked follow-up, ready to record.
enum Checked {
    Counselled(CounsellingResult),
    ReferredVacancy(VacancyId),
    ReferredTraining(ProgrammeId),
    Reemployed {
        employer_name: String,
        employer_nib: Option<String>,
        job_title: String,
    },
}

fn check_text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, "jkp.error.required");
        return None;
    }
    if value.chars().count() > max {
        errors.add(field, "jkp.error.too_long");
        return None;
    }
    check_line(errors, field, value).then(|| value.to_owned())
}

/// Checks what can be checked without the database; the ids are checked against it after.
fn check(
    action: Action,
    form: &StepForm,
    terminated_on: NaiveDate,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<(NaiveDate, Checked, Option<String>)> {
    let on = match NaiveDate::parse_from_str(form.on.trim(), "%Y-%m-%d") {
        Err(_) => {
            errors.add("on", "jkp.error.date");
            None
        }
        Ok(d) if d > today => {
            errors.add("on", "jkp.error.date_future");
            None
        }
        Ok(d) if d < terminated_on => {
            errors.add("on", "jkp.error.date_before_loss");
            None
        }
        Ok(d) => Some(d),
    };
    let note = form.note.trim();
    if note.chars().count() > 1000 {
        errors.add("note", "jkp.error.too_long");
    }
    check_lines(errors, "note", note);
    let id = |errors: &mut FieldErrors, field: &'static str, raw: &str| -> Option<i32> {
        let n = raw.trim().parse::<i32>().ok().filter(|n| *n > 0);
        if n.is_none() {
            errors.add(field, "jkp.error.number");
        }
        n
    };
    let what = match action {
        Action::Counsel => match CounsellingResult::parse(&form.result) {
            Some(r) => Some(Checked::Counselled(r)),
            None => {
                errors.add("result", "jkp.error.result");
                None
            }
        },
        Action::ReferVacancy => id(errors, "vacancy_id", &form.vacancy_id)
            .map(|n| Checked::ReferredVacancy(VacancyId::new(n))),
        Action::ReferTraining => id(errors, "programme_id", &form.programme_id)
            .map(|n| Checked::ReferredTraining(ProgrammeId::new(n))),
        Action::Reemployed => {
            let employer_name = check_text(errors, "employer_name", &form.employer_name, 200);
            let job_title = check_text(errors, "job_title", &form.job_title, 200);
            let employer_nib = match form.employer_nib.trim() {
                "" => Some(None),
                raw => match crate::employers::parse_nib(raw) {
                    Some(nib) => Some(Some(nib)),
                    None => {
                        errors.add("employer_nib", "jkp.error.nib");
                        None
                    }
                },
            };
            match (employer_name, job_title, employer_nib) {
                (Some(employer_name), Some(job_title), Some(employer_nib)) => {
                    Some(Checked::Reemployed {
                        employer_name,
                        employer_nib,
                        job_title,
                    })
                }
                _ => None,
            }
        }
    };
    match (on, what, errors.is_empty()) {
        (Some(on), Some(what), true) => {
            Some((on, what, (!note.is_empty()).then(|| note.to_owned())))
        }
        _ => None,
    }
}

enum Recorded {
    Done,
    Refused(FieldErrors),
}

#[allow(clippy::too_many_arguments)]
pub async fn follow_up(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<JkpStaff>,
    path: web::Path<(JkpRecipientId, String)>,
    form: web::Form<StepForm>,
) -> Result<HttpResponse, AppError> {
    let (id, segment) = path.into_inner();
    let action = Action::parse(&segment).ok_or(AppError::NotFound)?;
    let form = form.into_inner();
    let today = crate::domain::calendar::today();
    let staff_id = staff.user.id;
    let (submitted, meta_for_write) = (form.clone(), meta.clone());
    let outcome = state
        .db(move |conn| {
            let recipient = model::find(conn, id)?.ok_or(AppError::NotFound)?;
            let mut errors = FieldErrors::default();
            let Some((on, what, note)) = check(
                action,
                &submitted,
                recipient.terminated_on,
                today,
                &mut errors,
            ) else {
                return Ok(Recorded::Refused(errors));
            };
            let what = match &what {
                Checked::Counselled(r) => FollowUp::Counselled(*r),
                Checked::ReferredVacancy(v) => {
                    if crate::vacancies::headings(conn, &[*v])?.is_empty() {
                        errors.add("vacancy_id", "jkp.error.no_vacancy");
                        return Ok(Recorded::Refused(errors));
                    }
                    FollowUp::ReferredVacancy(*v)
                }
                Checked::ReferredTraining(p) => {
                    if crate::training::programmes::find(conn, *p)?.is_none() {
                        errors.add("programme_id", "jkp.error.no_programme");
                        return Ok(Recorded::Refused(errors));
                    }
                    FollowUp::ReferredTraining(*p)
                }
                Checked::Reemployed {
                    employer_name,
                    employer_nib,
                    job_title,
                } => FollowUp::Reemployed {
                    employer_name,
                    employer_nib: employer_nib.as_deref(),
                    job_title,
                },
            };

            crate::db::transaction(conn, |conn| {
                let step = Step {
                    on,
                    officer: staff_id,
                    note: note.as_deref(),
                };
                model::follow_up(conn, &recipient, step, what, chrono::Utc::now().naive_utc())?;
                audit::record(
                    conn,
                    Entry::new(actions::JKP_FOLLOWED_UP)
                        .actor(staff_id)
                        .subject("jkp", id)
                        .detail(serde_json::json!({ "step": action.segment() }))
                        .client(&meta_for_write),
                )
            })?;
            Ok(Recorded::Done)
        })
        .await?;
    match outcome {
        Recorded::Done => {
            session::flash(&session, FlashLevel::Success, "jkp.saved");
            Ok(redirect(&format!("{LIST}/{id}")))
        }
        Recorded::Refused(errors) => {
            render_show(
                meta,
                ctx,
                &state,
                &staff,
                id,
                Some(action),
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
