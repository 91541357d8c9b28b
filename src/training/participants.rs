//! A programme's enrolments as its provider and the Dinas see them: decide on applicants up
//! to the quota, keep the waiting list, record completion with the certificate's number or a
//! drop-out with its reason, and record attendance day by day.
//!
//! The same pages serve a provider's user (`/lembaga/program/{id}/…`, its own programmes
//! only: another provider's programme is simply not found) and the Dinas's training staff
//! (`/petugas/pelatihan/program/{id}/…`, every programme).

use crate::domain::ids::{EnrolmentId, JobSeekerId, ProgrammeId, ProviderId, UserId};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use super::enrolment::{self, Action, Decision, Enrolment, Error, Refusal, Status};
use super::outcomes::{self, Figures};
use super::programmes::{self, Programme};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::mail::text;
use crate::reference::education::EducationLevel;
use crate::web::auth::{Provider, Require, TrainingStaff};
use crate::web::format::{date, day};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx};

/// Whose pages these are: a provider's own programmes, or every programme for the Dinas.
#[derive(Clone, Copy)]
enum Scope {
    Provider(ProviderId),
    Staff,
}

impl Scope {
    fn base(self, id: ProgrammeId) -> String {
        match self {
            Self::Provider(_) => format!("/lembaga/program/{id}"),
            Self::Staff => format!("/petugas/pelatihan/program/{id}"),
        }
    }

    /// Where the participants are listed.
    fn list(self, id: ProgrammeId) -> String {
        match self {
            Self::Provider(_) => format!("/lembaga/program/{id}/peserta"),
            Self::Staff => format!("/petugas/pelatihan/program/{id}"),
        }
    }

    fn programme(self, conn: &mut DbConnection, id: ProgrammeId) -> Result<Programme, AppError> {
        let found = match self {
            Self::Provider(provider) => programmes::find_own(conn, id, provider)?,
            Self::Staff => programmes::find(conn, id)?,
        };
        found.ok_or(AppError::NotFound)
    }
}

fn provider_scope(user: &Require<Provider>) -> Result<Scope, AppError> {
    user.user
        .provider_id
        .map(Scope::Provider)
        .ok_or(AppError::Forbidden)
}

/// One enrolment as the list shows it.
pub struct Row {
    pub id: EnrolmentId,
    pub name: String,
    /// None for a resident registered at the counter without an address.
    pub email: Option<crate::domain::Email>,
    pub phone: String,
    pub education: String,
    pub applied: String,
    pub status: Status,
    pub reason: Option<String>,
    pub certificate: Option<String>,
    pub attendance: Option<String>,
    pub actions: Vec<Action>,
    /// The programme leads to a certificate, whose number is recorded on completion.
    pub gives_certificate: bool,
    /// The decision refused for this row, with what was typed.
    pub error: Option<&'static str>,
    pub typed_reason: String,
    pub typed_certificate: String,
    pub chosen: String,
}

impl Row {
    pub fn offers_certificate(&self) -> bool {
        self.gives_certificate
            && self
                .actions
                .iter()
                .any(|a| matches!(a, Action::Complete | Action::Certificate))
    }

    pub fn offers_reason(&self) -> bool {
        self.actions.iter().any(|a| a.needs_reason())
    }
}

#[derive(Template)]
#[template(path = "training/participants.html")]
struct ParticipantsPage {
    ctx: PageCtx,
    programme_id: ProgrammeId,
    title: String,
    provider: String,
    status_key: &'static str,
    dates: String,
    seats: String,
    full: bool,
    base: String,
    back_href: String,
    figures: Figures,
    /// Waiting for a decision, participants, and the rest; each with its heading.
    groups: Vec<(&'static str, Vec<Row>)>,
    can_record_attendance: bool,
    error: Option<&'static str>,
}

type SeekerRow = (
    Enrolment,
    String,
    Option<crate::domain::Email>,
    Option<crate::domain::Phone>,
    Option<i16>,
);

struct Loaded {
    programme: Programme,
    provider: String,
    rows: Vec<SeekerRow>,
    attendance: Vec<(EnrolmentId, bool)>,
    figures: Figures,
}

fn load(conn: &mut DbConnection, scope: Scope, id: ProgrammeId) -> Result<Loaded, AppError> {
    let programme = scope.programme(conn, id)?;
    let (provider, _) = super::providers::name_and_active(conn, programme.provider_id)?;
    let enrolled = enrolment::of_programme(conn, id)?;
    let seekers: Vec<JobSeekerId> = enrolled.iter().map(|e| e.job_seeker_id).collect();
    let people = crate::seekers::people(conn, &seekers)?;
    let rows: Vec<SeekerRow> = enrolled
        .into_iter()
        .filter_map(|e| {
            let who = people.get(&e.job_seeker_id)?.clone();
            let education = who.education_level;
            let c = who.contact;
            Some((e, c.full_name, c.email, c.phone, education))
        })
        .collect();
    let ids: Vec<EnrolmentId> = rows.iter().map(|r| r.0.id).collect();
    let attendance = enrolment::attendance_of(conn, &ids, None)?;
    let figures = outcomes::of_programmes(conn, &[id])?
        .remove(&id)
        .unwrap_or_default();
    Ok(Loaded {
        programme,
        provider,
        rows,
        attendance,
        figures,
    })
}

/// A refused decision, shown on its row with what was typed.
struct Refused {
    enrolment: EnrolmentId,
    refusal: Refusal,
    form: DecisionForm,
}

fn page(
    ctx: PageCtx,
    scope: Scope,
    loaded: Loaded,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let p = &loaded.programme;
    let mut pending = Vec::new();
    let mut participants = Vec::new();
    let mut others = Vec::new();
    let gives_certificate = p.certificate != super::programmes::Certificate::None;
    for (e, name, email, phone, education) in loaded.rows {
        let status = e.status();
        let mine = refused.as_ref().filter(|r| r.enrolment == e.id);
        let row = Row {
            id: e.id,
            name,
            email,
            phone: phone.map(String::from).unwrap_or_default(),
            education: education
                .and_then(EducationLevel::from_code)
                .map(|l| match lang {
                    Lang::Id => l.name_id(),
                    Lang::En => l.name_en(),
                })
                .unwrap_or("–")
                .to_owned(),
            applied: day(lang, e.applied_at),
            status,
            reason: e.reason,
            certificate: e.certificate_number,
            attendance: super::view::attendance(&ctx, &loaded.attendance, e.id),
            actions: Action::available(status, p.status())
                .into_iter()
                // A programme that gives no certificate has no number to record.
                .filter(|a| gives_certificate || *a != Action::Certificate)
                .collect(),
            gives_certificate,
            error: mine.map(|r| r.refusal.message_key()),
            typed_reason: mine.map(|r| r.form.alasan.clone()).unwrap_or_default(),
            typed_certificate: mine
                .map(|r| r.form.nomor_sertifikat.clone())
                .unwrap_or_default(),
            chosen: mine.map(|r| r.form.aksi.clone()).unwrap_or_default(),
        };
        if status.is_pending() {
            pending.push(row);
        } else if status.holds_seat() {
            participants.push(row);
        } else {
            others.push(row);
        }
    }
    let today = crate::domain::calendar::today();
    let status = match &refused {
        None => StatusCode::OK,
        Some(r) if matches!(r.refusal, Refusal::Full | Refusal::NotAllowed) => StatusCode::CONFLICT,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = ParticipantsPage {
        programme_id: p.id,
        title: p.title.clone(),
        provider: loaded.provider,
        status_key: p.status().label_key(),
        dates: format!("{} – {}", date(lang, p.starts_on), date(lang, p.ends_on)),
        seats: super::view::seats(&ctx, p),
        full: p.seats_taken >= p.quota,
        base: scope.base(p.id),
        back_href: match scope {
            Scope::Provider(_) => scope.base(p.id),
            Scope::Staff => "/petugas/pelatihan/program".to_owned(),
        },
        figures: loaded.figures,
        groups: vec![
            ("enrolment.group.pending", pending),
            ("enrolment.group.participants", participants),
            ("enrolment.group.others", others),
        ],
        can_record_attendance: enrolment::attendance_days(p, today).is_some(),
        error: refused.as_ref().map(|r| r.refusal.message_key()),
        ctx,
    };
    render(&page, status)
}

async fn show(
    req: &HttpRequest,
    ctx: PageCtx,
    state: &AppState,
    scope: Scope,
    id: ProgrammeId,
    actor: UserId,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(req);
    let loaded = state
        .db(move |conn| {
            let loaded = load(conn, scope, id)?;
            // Residents' names and contacts, read by someone other than the resident.
            audit::record(
                conn,
                Entry::new(actions::PARTICIPANTS_VIEWED)
                    .actor(actor)
                    .subject("training_programme", id)
                    .client(&meta),
            )?;
            Ok(loaded)
        })
        .await?;
    page(ctx, scope, loaded, None)
}

pub async fn provider_page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Provider>,
    id: web::Path<ProgrammeId>,
) -> Result<HttpResponse, AppError> {
    let scope = provider_scope(&user)?;
    show(&req, ctx, &state, scope, id.into_inner(), user.user.id).await
}

pub async fn staff_page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<TrainingStaff>,
    id: web::Path<ProgrammeId>,
) -> Result<HttpResponse, AppError> {
    show(
        &req,
        ctx,
        &state,
        Scope::Staff,
        id.into_inner(),
        user.user.id,
    )
    .await
}

#[derive(Deserialize, Default, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    aksi: String,
    #[serde(default)]
    alasan: String,
    #[serde(default)]
    nomor_sertifikat: String,
}

#[allow(clippy::too_many_arguments)]
async fn decide(
    req: &HttpRequest,
    ctx: PageCtx,
    state: &AppState,
    session: &Session,
    scope: Scope,
    (id, enrolment_id): (ProgrammeId, EnrolmentId),
    actor: UserId,
    form: DecisionForm,
) -> Result<HttpResponse, AppError> {
    let meta = RequestMeta::of(req);
    let typed = form.clone();
    let base_url = state.settings.base_url.clone();
    let outcome = state
        .db(move |conn| {
            let programme = scope.programme(conn, id)?;
            // An enrolment of another programme is not found here.
            let e = enrolment::find(conn, enrolment_id)?
                .filter(|e| e.programme_id == programme.id)
                .ok_or(AppError::NotFound)?;
            if form.aksi.trim().is_empty() {
                return Ok(Err(Refusal::NoChoice));
            }
            let Some(action) = Action::parse(form.aksi.trim()) else {
                return Ok(Err(Refusal::NotAllowed));
            };
            let decision = Decision {
                action,
                reason: &form.alasan,
                certificate: &form.nomor_sertifikat,
                actor,
            };
            match enrolment::decide(conn, &programme, &e, &decision) {
                Ok(to) => {
                    audit::record(
                        conn,
                        Entry::new(actions::ENROLMENT_DECIDED)
                            .actor(actor)
                            .subject("training_enrolment", enrolment_id)
                            .client(&meta)
                            .detail(serde_json::json!({ "to": to.as_str() })),
                    )?;
                    notify(conn, &programme, &e, to, decision.reason, &base_url)?;
                    Ok(Ok(()))
                }
                Err(Error::Refused(r)) => Ok(Err(r)),
                Err(Error::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match outcome {
        Ok(_) => {
            session::flash(session, FlashLevel::Success, "enrolment.decided");
            Ok(redirect(&format!(
                "{}#peserta-{enrolment_id}",
                scope.list(id)
            )))
        }
        Err(refusal) => {
            let loaded = state.db(move |conn| load(conn, scope, id)).await?;
            page(
                ctx,
                scope,
                loaded,
                Some(Refused {
                    enrolment: enrolment_id,
                    refusal,
                    form: typed,
                }),
            )
        }
    }
}

/// Tells the resident by e-mail, in their language, what was decided; the provider's
/// reason is quoted as the provider's.
fn notify(
    conn: &mut DbConnection,
    p: &Programme,
    e: &Enrolment,
    to: Status,
    reason: &str,
    base_url: &str,
) -> QueryResult<()> {
    if !matches!(
        to,
        Status::Accepted
            | Status::Waitlisted
            | Status::Rejected
            | Status::Withdrawn
            | Status::Completed
            | Status::DroppedOut
    ) || e.status() == to
    {
        return Ok(());
    }
    let crate::accounts::directory::Contact {
        email,
        full_name: name,
        locale,
        ..
    } = crate::seekers::person(conn, e.job_seeker_id)?.contact;
    // A resident registered at the counter without an address hears of it there.
    let Some(email) = email else {
        return Ok(());
    };
    let lang = locale;
    let reason = reason.trim();
    let reason_text = if reason.is_empty() {
        String::new()
    } else {
        lang.tf(
            "mail.enrolment.reason",
            &[("reason", &text::quoted(reason, text::NOTE_MAX))],
        )
    };
    let title = text::title(&p.title, text::TITLE_MAX);
    let body = lang.tf(
        "mail.enrolment.body",
        &[
            ("name", &text::name(&name)),
            ("title", &title),
            ("status", &lang.t(to.label_key())),
            ("reason", &reason_text),
            ("link", &format!("{base_url}/pencaker/pelatihan")),
        ],
    );
    crate::mail::enqueue(
        conn,
        crate::mail::MailKind::EnrolmentNews,
        &email,
        &lang.tf("mail.enrolment.subject", &[("title", &title)]),
        &text::with_warning(lang, &body),
    )
}

pub async fn provider_decide(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Provider>,
    path: web::Path<(ProgrammeId, EnrolmentId)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let scope = provider_scope(&user)?;
    let actor = user.user.id;
    let ids = path.into_inner();
    decide(
        &req,
        ctx,
        &state,
        &session,
        scope,
        ids,
        actor,
        form.into_inner(),
    )
    .await
}

pub async fn staff_decide(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<TrainingStaff>,
    path: web::Path<(ProgrammeId, EnrolmentId)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let actor = user.user.id;
    let ids = path.into_inner();
    decide(
        &req,
        ctx,
        &state,
        &session,
        Scope::Staff,
        ids,
        actor,
        form.into_inner(),
    )
    .await
}

/// One participant on the attendance sheet.
pub struct SheetRow {
    pub id: EnrolmentId,
    pub name: String,
    pub present: bool,
}

#[derive(Template)]
#[template(path = "training/attendance.html")]
struct AttendancePage {
    ctx: PageCtx,
    title: String,
    list_href: String,
    action: String,
    day: String,
    first: String,
    last: String,
    day_text: String,
    recorded: bool,
    rows: Vec<SheetRow>,
    error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    tanggal: String,
}

fn parse_day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// A programme's attendance sheet for one day: who takes part and what was recorded.
struct Sheet {
    programme: Programme,
    /// The days that can be recorded: the first day to today or the last day.
    first: NaiveDate,
    last: NaiveDate,
    day: NaiveDate,
    participants: Vec<(EnrolmentId, String)>,
    recorded: Vec<(EnrolmentId, bool)>,
}

/// The sheet of the asked day; an unreadable or out-of-range day shows the nearest day
/// that can be recorded. Not found before the programme's first day.
fn load_sheet(
    conn: &mut DbConnection,
    scope: Scope,
    id: ProgrammeId,
    asked: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Sheet, AppError> {
    let programme = scope.programme(conn, id)?;
    let (first, last) = enrolment::attendance_days(&programme, today).ok_or(AppError::NotFound)?;
    let day = asked.unwrap_or(last).clamp(first, last);
    let seated = enrolment::seat_holders(conn, id)?;
    let seekers: Vec<JobSeekerId> = seated.iter().map(|s| s.1).collect();
    let people = crate::seekers::people(conn, &seekers)?;
    let mut participants: Vec<(EnrolmentId, String)> = seated
        .into_iter()
        .filter_map(|(id, seeker)| Some((id, people.get(&seeker)?.contact.full_name.clone())))
        .collect();
    participants.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    let ids: Vec<EnrolmentId> = participants.iter().map(|r| r.0).collect();
    let recorded = enrolment::attendance_of(conn, &ids, Some(day))?;
    Ok(Sheet {
        programme,
        first,
        last,
        day,
        participants,
        recorded,
    })
}

/// The sheet as a page; a refused save (`typed` day and `ticked` boxes) comes back as
/// it was sent, with its message.
fn sheet_page(
    ctx: PageCtx,
    scope: Scope,
    sheet: Sheet,
    refused: Option<(&str, &[EnrolmentId])>,
) -> Result<HttpResponse, AppError> {
    let Sheet {
        programme: p,
        first,
        last,
        day,
        participants,
        recorded,
    } = sheet;
    let rows = participants
        .into_iter()
        .map(|(id, name)| SheetRow {
            present: match refused {
                Some((_, ticked)) => ticked.contains(&id),
                // A day not yet recorded starts with everyone present: absences are fewer.
                None => recorded
                    .iter()
                    .find(|(e, _)| *e == id)
                    .is_none_or(|(_, present)| *present),
            },
            id,
            name,
        })
        .collect();
    let page = AttendancePage {
        title: p.title.clone(),
        list_href: scope.list(p.id),
        action: format!("{}/kehadiran", scope.base(p.id)),
        day: refused.map_or_else(|| day.to_string(), |(typed, _)| typed.to_owned()),
        first: first.to_string(),
        last: last.to_string(),
        day_text: date(ctx.lang, day),
        recorded: !recorded.is_empty(),
        rows,
        error: refused.map(|_| "enrolment.attendance.error.day"),
        ctx,
    };
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(&page, status)
}

async fn attendance(
    ctx: PageCtx,
    state: &AppState,
    scope: Scope,
    id: ProgrammeId,
    query: DayQuery,
) -> Result<HttpResponse, AppError> {
    let today = crate::domain::calendar::today();
    let asked = parse_day(&query.tanggal);
    let sheet = state
        .db(move |conn| load_sheet(conn, scope, id, asked, today))
        .await?;
    sheet_page(ctx, scope, sheet, None)
}

pub async fn provider_attendance(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<Provider>,
    id: web::Path<ProgrammeId>,
    query: web::Query<DayQuery>,
) -> Result<HttpResponse, AppError> {
    let scope = provider_scope(&user)?;
    attendance(ctx, &state, scope, id.into_inner(), query.into_inner()).await
}

pub async fn staff_attendance(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _user: Require<TrainingStaff>,
    id: web::Path<ProgrammeId>,
    query: web::Query<DayQuery>,
) -> Result<HttpResponse, AppError> {
    attendance(
        ctx,
        &state,
        Scope::Staff,
        id.into_inner(),
        query.into_inner(),
    )
    .await
}

/// The sheet as posted: the day and the participants ticked present (repeated `hadir`).
fn parse_sheet(body: &[u8]) -> (String, Vec<EnrolmentId>) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut day = String::new();
    let mut present = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "tanggal" => day = v,
            "hadir" => present.extend(v.trim().parse::<EnrolmentId>().ok()),
            _ => {}
        }
    }
    (day, present)
}

#[allow(clippy::too_many_arguments)]
async fn record(
    req: &HttpRequest,
    ctx: PageCtx,
    state: &AppState,
    session: &Session,
    scope: Scope,
    id: ProgrammeId,
    actor: UserId,
    body: &[u8],
) -> Result<HttpResponse, AppError> {
    let (typed_day, present) = parse_sheet(body);
    let today = crate::domain::calendar::today();
    let day = parse_day(&typed_day);
    let meta = RequestMeta::of(req);
    let ticked = present.clone();
    let saved = state
        .db(move |conn| {
            let p = scope.programme(conn, id)?;
            let Some(day) = day else {
                return Ok(None);
            };
            let n = enrolment::record_attendance(conn, &p, day, &present, actor, today)?;
            if n.is_some() {
                audit::record(
                    conn,
                    Entry::new(actions::ATTENDANCE_RECORDED)
                        .actor(actor)
                        .subject("training_programme", id)
                        .client(&meta)
                        .detail(serde_json::json!({ "day": day.to_string() })),
                )?;
            }
            Ok(n)
        })
        .await?;
    if saved.is_some() {
        session::flash(session, FlashLevel::Success, "enrolment.attendance.saved");
        let day = day.map(|d| d.to_string()).unwrap_or_default();
        return Ok(redirect(&format!(
            "{}/kehadiran?tanggal={day}",
            scope.base(id)
        )));
    }
    // Not a training day that can be recorded: the sheet again, as ticked.
    let sheet = state
        .db(move |conn| load_sheet(conn, scope, id, day, today))
        .await?;
    sheet_page(ctx, scope, sheet, Some((&typed_day, &ticked)))
}

pub async fn provider_record(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<Provider>,
    id: web::Path<ProgrammeId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let scope = provider_scope(&user)?;
    let actor = user.user.id;
    record(
        &req,
        ctx,
        &state,
        &session,
        scope,
        id.into_inner(),
        actor,
        &body,
    )
    .await
}

pub async fn staff_record(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    user: Require<TrainingStaff>,
    id: web::Path<ProgrammeId>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let actor = user.user.id;
    record(
        &req,
        ctx,
        &state,
        &session,
        Scope::Staff,
        id.into_inner(),
        actor,
        &body,
    )
    .await
}
