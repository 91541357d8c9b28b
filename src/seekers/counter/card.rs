//! One resident at the counter: their particulars (a logged read of personal data), what the
//! profile still lacks, and the AK/I card: issue it, decline a request with the reason,
//! record a report, or take the card off the register with the reason.

use crate::domain::ids::UserId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::audit::{self, Entry, actions};
use crate::domain::Nik;
use crate::seekers::ak1::holder::Holder;
use crate::seekers::ak1::model::{self as cards, Refusal, Status, Step, StepError};
use crate::seekers::ak1::view::{self, CardView};
use crate::seekers::facts::Facts;
use crate::seekers::profile::Owner;
use crate::web::auth::{CounterStaff, Require};
use crate::web::forms::{FieldErrors, check_lines};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    catatan: String,
}

pub struct PlacementView {
    pub employer: String,
    pub job_title: String,
    pub kind_key: &'static str,
    pub start: String,
}

#[derive(Template)]
#[template(path = "seekers/counter_seeker.html")]
struct SeekerPage {
    ctx: PageCtx,
    user_id: UserId,
    email: Option<crate::domain::Email>,
    phone: String,
    facts: Option<Facts>,
    has_cv: bool,
    has_photo: bool,
    missing: Vec<&'static str>,
    current: Option<CardView>,
    earlier: Vec<CardView>,
    can_issue_new: bool,
    placements: Vec<PlacementView>,
    /// A NIK the resident typed that another profile holds: to check against the KTP.
    nik_claim: Option<Nik>,
    /// Where the Dinas knew the person the profile's NIK names from, while the link waits
    /// for the KTP.
    known_from: Option<Vec<&'static str>>,
    form: NoteForm,
    errors: FieldErrors,
}

impl SeekerPage {
    fn path(&self) -> String {
        super::seeker_path(self.user_id)
    }
}

async fn render_page(
    req: &HttpRequest,
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    form: NoteForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (meta, lang) = (RequestMeta::of(req), ctx.lang);
    let (holder, facts, placements, known_from) = state
        .db(move |conn| {
            let holder = Holder::load(conn, owner.user_id)?;
            let facts = match &holder.profile {
                Some(p) => Some(Facts::load(conn, &holder.full_name, p, lang)?),
                None => None,
            };
            let placements = match &holder.profile {
                Some(p) => crate::applications::placement::of_seeker(conn, p.id)?,
                None => Vec::new(),
            };
            let known_from = match &holder.profile {
                Some(p) => match crate::seekers::person_link::waiting_for(conn, p.id)? {
                    Some(person) => Some(crate::people::origins(conn, person)?),
                    None => None,
                },
                None => None,
            };
            audit::record(
                conn,
                Entry::new(actions::SEEKER_PROFILE_VIEWED)
                    .actor(owner.staff.unwrap_or(owner.user_id))
                    .subject("user", owner.user_id)
                    .client(&meta),
            )?;
            Ok((holder, facts, placements, known_from))
        })
        .await?;
    let today = crate::domain::calendar::today();
    let mut list = view::cards(&holder.cards, &holder.events, lang, today);
    let current = (!list.is_empty()).then(|| list.remove(0));
    let page = SeekerPage {
        user_id: owner.user_id,
        email: holder.email.clone(),
        phone: holder
            .phone
            .clone()
            .map_or_else(|| "–".into(), String::from),
        has_cv: holder.profile.as_ref().is_some_and(|p| p.cv_file.is_some()),
        has_photo: holder
            .profile
            .as_ref()
            .is_some_and(|p| p.photo_file.is_some()),
        can_issue_new: holder.missing.is_empty()
            && known_from.is_none()
            && holder.open_card().is_none()
            && holder
                .profile
                .as_ref()
                .is_none_or(|p| p.nik_claim.is_none()),
        nik_claim: holder.profile.as_ref().and_then(|p| p.nik_claim.clone()),
        known_from: known_from.map(|origins| {
            let mut keys: Vec<&'static str> =
                origins.iter().map(|o| o.source.label_key()).collect();
            keys.dedup();
            keys
        }),
        placements: placements
            .into_iter()
            .map(|p| PlacementView {
                kind_key: p.kind.label_key(),
                start: crate::web::format::date(lang, p.start_date),
                employer: p.employer_name,
                job_title: p.job_title,
            })
            .collect(),
        missing: holder.missing,
        facts,
        current,
        earlier: list,
        form,
        errors,
        ctx,
    };
    render(&page, status)
}

pub async fn show(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;
    render_page(
        &req,
        ctx,
        &state,
        owner,
        NoteForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Issue the card asked for, or ask and issue at once for a resident at the counter.
    Issue,
    Decline,
    Report,
    Withdraw,
}

impl Action {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "terbitkan" => Some(Self::Issue),
            "tolak" => Some(Self::Decline),
            "lapor" => Some(Self::Report),
            "cabut" => Some(Self::Withdraw),
            _ => None,
        }
    }

    fn needs_note(self) -> bool {
        matches!(self, Self::Decline | Self::Withdraw)
    }
}

enum Outcome {
    Done(&'static str),
    Refused(Refusal),
    Incomplete,
    /// The resident's NIK is claimed from another profile: settle that first.
    NikClaimed,
}

pub async fn act(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    path: web::Path<(UserId, String)>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, AppError> {
    let (user_id, action) = path.into_inner();
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;
    let form = form.into_inner();
    let note = form.catatan.trim().to_owned();
    let mut errors = FieldErrors::default();
    if check_lines(&mut errors, "catatan", &note)
        && action.needs_note()
        && note.chars().count() < 10
    {
        errors.add("catatan", "counter.error.note");
    }
    if !errors.is_empty() {
        return render_page(
            &req,
            ctx,
            &state,
            owner,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    let meta = RequestMeta::of(&req);
    let today = crate::domain::calendar::today();
    let staff_id = staff.user.id;
    let outcome = state
        .db(move |conn| {
            let holder = Holder::load(conn, user_id)?;
            let Some(profile) = &holder.profile else {
                return Ok(Outcome::Incomplete);
            };
            let step = Step {
                on: today,
                actor: Some(staff_id),
                note: (!note.is_empty()).then_some(note.as_str()),
            };
            let open = holder.open_card().map(|c| (c.id, c.status()));
            let result = crate::db::transaction::<_, StepError, _>(conn, |conn| {
                let (card_id, audit_action, done_key) = match (action, open) {
                    (Action::Issue, _)
                        if profile.nik_claim.is_some()
                            || crate::seekers::person_link::waiting_for(conn, profile.id)?
                                .is_some() =>
                    {
                        return Ok(Outcome::NikClaimed);
                    }
                    (Action::Issue, None) => {
                        if !holder.missing.is_empty() {
                            return Ok(Outcome::Incomplete);
                        }
                        let (id, _) = cards::issue_at_counter(conn, profile.id, step)?;
                        (id, actions::AK1_ISSUED, "counter.issued")
                    }
                    (Action::Issue, Some((id, Status::Requested))) => {
                        if !holder.missing.is_empty() {
                            return Ok(Outcome::Incomplete);
                        }
                        cards::issue(conn, id, step)?;
                        (id, actions::AK1_ISSUED, "counter.issued")
                    }
                    (Action::Decline, Some((id, _))) => {
                        cards::decline(conn, id, step)?;
                        (id, actions::AK1_DECLINED, "counter.declined")
                    }
                    (Action::Report, Some((id, _))) => {
                        cards::report(conn, id, step)?;
                        (id, actions::AK1_REPORTED, "ak1.reported")
                    }
                    (Action::Withdraw, Some((id, _))) => {
                        cards::withdraw(conn, id, step)?;
                        (id, actions::AK1_WITHDRAWN, "counter.withdrawn")
                    }
                    _ => return Err(StepError::Refused(Refusal::WrongState)),
                };
                audit::record(
                    conn,
                    Entry::new(audit_action)
                        .actor(staff_id)
                        .subject("ak1_card", card_id)
                        .client(&meta),
                )?;
                Ok(Outcome::Done(done_key))
            });
            match result {
                Ok(o) => Ok(o),
                Err(StepError::Refused(r)) => Ok(Outcome::Refused(r)),
                Err(StepError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match outcome {
        Outcome::Done(key) => session::flash(&session, FlashLevel::Success, key),
        Outcome::Refused(r) => session::flash(&session, FlashLevel::Error, r.message_key()),
        Outcome::Incomplete => {
            session::flash(&session, FlashLevel::Error, "counter.error.incomplete")
        }
        Outcome::NikClaimed => session::flash(
            &session,
            FlashLevel::Error,
            "counter.nik_claim.settle_first",
        ),
    }
    Ok(redirect(&super::seeker_path(user_id)))
}
