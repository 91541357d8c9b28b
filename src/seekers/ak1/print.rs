//! The printable AK/I card: two A6 faces with the fields of DOMAIN.md §1, the photo if the
//! holder gave one, the report slots, and a QR code that opens the public verification page.

use crate::domain::ids::UserId;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use super::holder::Holder;
use super::model::{Card, EventKind, Status};
use super::rules;
use crate::audit::{self, Entry, actions};
use crate::domain::Ak1Number;
use crate::seekers::facts::Facts;
use crate::seekers::profile::Owner;
use crate::web::auth::{CounterStaff, JobSeeker, Require};
use crate::web::format::date;
use crate::web::respond::{RequestMeta, render};
use crate::web::{AppError, AppState, Lang, PageCtx};

/// One of the four report slots printed on the card.
pub struct Slot {
    pub label: &'static str,
    pub due: String,
    pub reported: Option<String>,
}

#[derive(Template)]
#[template(path = "seekers/ak1_card.html")]
struct CardSheet {
    ctx: PageCtx,
    number: Ak1Number,
    verify_code: String,
    issued_on: String,
    valid_until: String,
    facts: Facts,
    slots: Vec<Slot>,
    /// The verification page as an inline SVG QR code.
    qr_svg: String,
    verify_url: String,
    photo_url: Option<String>,
    back_link: String,
}

/// The public verification address a card's QR code carries.
pub fn verify_url(base_url: &str, number: &str, code: &str) -> String {
    format!("{base_url}/ak1/cek?nomor={number}&kode={code}")
}

/// The QR code as SVG markup, sized for print; the XML prolog is dropped for inline HTML.
pub fn qr_svg(data: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => {
            let svg = code
                .render::<svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build();
            svg.find("<svg").map(|i| svg[i..].to_owned()).unwrap_or(svg)
        }
        // A URL of this length always fits a QR code; an empty box is the honest fallback.
        Err(_) => String::new(),
    }
}

fn slots(card: &Card, reported: &[NaiveDate], lang: Lang) -> Vec<Slot> {
    const LABELS: [&str; rules::REPORTS] = ["I", "II", "III", "IV"];
    let Some(issued) = card.issued_on else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut due = rules::first_report_due(issued);
    while let Some(d) = due {
        let i = out.len();
        if i >= LABELS.len() {
            break;
        }
        out.push(Slot {
            label: LABELS[i],
            due: date(lang, d),
            reported: reported.get(i).map(|r| date(lang, *r)),
        });
        due = rules::report_due_after(issued, d);
    }
    out
}

async fn sheet(
    req: &HttpRequest,
    ctx: PageCtx,
    state: &AppState,
    owner: Owner,
    back_link: String,
) -> Result<HttpResponse, AppError> {
    let (meta, lang) = (RequestMeta::of(req), ctx.lang);
    let loaded = state
        .db(move |conn| {
            let holder = Holder::load(conn, owner.user_id)?;
            let Some(card) = holder
                .cards
                .iter()
                .find(|c| c.status() == Status::Active)
                .cloned()
            else {
                return Ok(None);
            };
            let Some(profile) = &holder.profile else {
                return Ok(None);
            };
            let facts = Facts::load(conn, &holder.full_name, profile, lang)?;
            let mut reported: Vec<NaiveDate> = holder
                .events
                .iter()
                .filter(|e| e.card_id == card.id && e.kind == EventKind::Reported)
                .map(|e| e.occurred_on)
                .collect();
            reported.sort();
            audit::record(
                conn,
                Entry::new(actions::AK1_PRINTED)
                    .actor(owner.staff.unwrap_or(owner.user_id))
                    .subject("ak1_card", card.id)
                    .client(&meta),
            )?;
            Ok(Some((card, facts, reported, profile.photo_file.is_some())))
        })
        .await?;
    let Some((card, facts, reported, has_photo)) = loaded else {
        return Err(AppError::NotFound);
    };
    let (Some(number), Some(issued), Some(valid)) =
        (card.number.clone(), card.issued_on, card.valid_until)
    else {
        return Err(AppError::NotFound);
    };
    let verify_url = verify_url(&state.settings.base_url, &number, &card.verify_code);
    let page = CardSheet {
        qr_svg: qr_svg(&verify_url),
        verify_url,
        slots: slots(&card, &reported, lang),
        issued_on: date(lang, issued),
        valid_until: date(lang, valid),
        verify_code: card.verify_code,
        number,
        facts,
        photo_url: has_photo.then(|| match owner.staff {
            Some(_) => format!(
                "{}/foto",
                crate::seekers::counter::seeker_path(owner.user_id)
            ),
            None => "/pencaker/foto".to_owned(),
        }),
        back_link,
        ctx,
    };
    render(&page, StatusCode::OK)
}

pub async fn own(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    seeker: Require<JobSeeker>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner {
        user_id: seeker.user.id,
        staff: None,
    };
    sheet(&req, ctx, &state, owner, "/pencaker/ak1".into()).await
}

pub async fn by_staff(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<CounterStaff>,
    user_id: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    let owner = Owner::for_staff(&state, user_id.into_inner(), staff.user.id).await?;
    let back = crate::seekers::counter::seeker_path(owner.user_id);
    sheet(&req, ctx, &state, owner, back).await
}
