//! The company profile: the company's users complete it, see its verification status and
//! the verifier's reason, and send it for verification again after a rejection. A verified
//! company that changes anything residents are shown (or the verifier checked) goes back to
//! review: its contact details are hidden from residents until a verifier has seen them.

use crate::domain::ids::CompanyId;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::facts::FactFields;
use super::forms::{CompanyChoices, CompanyFields, validate_company};
use super::kbli::{KbliCodes, KbliPeriod, section_of as kbli_section_of};
use super::{
    Company, CompanyEvent, InvestmentStatus, LegalForm, ProfileChange, ProfileSave, SizeBand,
    VerificationStatus, save_profile,
};
use crate::domain::{Email, Phone};
use crate::web::auth::{Employer, Require};
use crate::web::forms::{FieldErrors, check_line, check_lines};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx, format};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProfileForm {
    #[serde(flatten)]
    company: CompanyFields,
    #[serde(flatten)]
    facts: FactFields,
    size_band: String,
    contact_phone: String,
    contact_email: String,
    website: String,
    description: String,
}

impl ProfileForm {
    fn of(company: &Company, codes: Option<&KbliCodes>) -> Self {
        Self {
            company: CompanyFields::of(company),
            facts: FactFields::of(company, codes),
            size_band: company
                .size_band
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default(),
            contact_phone: company
                .contact_phone
                .clone()
                .map(String::from)
                .unwrap_or_default(),
            contact_email: company
                .contact_email
                .clone()
                .map(String::from)
                .unwrap_or_default(),
            website: company.website.clone().unwrap_or_default(),
            description: company.description.clone().unwrap_or_default(),
        }
    }
}

pub struct EventView {
    pub status_key: &'static str,
    pub note: Option<String>,
    pub when: String,
}

#[derive(Template)]
#[template(path = "employers/profile.html")]
struct ProfilePage {
    ctx: PageCtx,
    status: VerificationStatus,
    note: Option<String>,
    history: Vec<EventView>,
    form: ProfileForm,
    company: CompanyFields,
    errors: FieldErrors,
    choices: CompanyChoices,
    sizes: [SizeBand; 4],
    legal_forms: [LegalForm; 9],
    investment_statuses: [InvestmentStatus; 2],
    /// The head office's name, on a branch's profile.
    head_office: Option<String>,
    /// The owner of a head office may register branches.
    may_register_branches: bool,
    kbli_history: Vec<KbliRow>,
}

/// One period of a KBLI code, for the history on the company pages.
pub struct KbliRow {
    pub code: String,
    pub name: String,
    pub primary: bool,
    pub from: String,
    pub to: String,
}

pub fn kbli_rows(lang: crate::web::Lang, periods: Vec<KbliPeriod>) -> Vec<KbliRow> {
    periods
        .into_iter()
        .map(|p| KbliRow {
            name: crate::reference::kbli::division(&p.code[..2])
                .map(|d| match lang {
                    crate::web::Lang::En => d.name_en,
                    crate::web::Lang::Id => d.name_id,
                })
                .unwrap_or_default()
                .to_owned(),
            code: p.code.to_string(),
            primary: p.is_primary,
            from: format::date(lang, p.valid_from),
            to: p
                .valid_to
                .map(|d| format::date(lang, d))
                .unwrap_or_default(),
        })
        .collect()
}

pub fn event_views(lang: crate::web::Lang, events: Vec<CompanyEvent>) -> Vec<EventView> {
    events
        .into_iter()
        .map(|e| EventView {
            status_key: e.status.label_key(),
            note: e.note,
            when: format::day_time(lang, e.occurred_at),
        })
        .collect()
}

async fn render_page(
    ctx: PageCtx,
    state: &AppState,
    company_id: CompanyId,
    form: Option<ProfileForm>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (company, events, codes, periods, head_office) = state
        .db(move |conn| {
            let company = super::find_company(conn, company_id)?.ok_or(AppError::NotFound)?;
            let events = super::company_events(conn, company_id)?;
            let codes = super::kbli::current(conn, company_id)?;
            let periods = super::kbli::history(conn, company_id)?;
            let head_office = match company.head_office_id {
                Some(head) => super::find_company(conn, head)?.map(|h| h.name),
                None => None,
            };
            Ok((company, events, codes, periods, head_office))
        })
        .await?;
    let form = form.unwrap_or_else(|| ProfileForm::of(&company, codes.as_ref()));
    let page = ProfilePage {
        may_register_branches: head_office.is_none()
            && ctx.user.as_ref().is_some_and(|u| u.is_company_owner),
        legal_forms: LegalForm::ALL,
        investment_statuses: InvestmentStatus::ALL,
        head_office,
        kbli_history: kbli_rows(ctx.lang, periods),
        status: company.status(),
        note: company.verification_note.clone(),
        history: event_views(ctx.lang, events),
        company: form.company.clone(),
        choices: CompanyChoices::new(ctx.lang),
        sizes: SizeBand::ALL,
        ctx,
        form,
        errors,
    };
    render(&page, status)
}

fn company_of(employer: &Require<Employer>) -> Result<CompanyId, AppError> {
    employer.user.company_id.ok_or(AppError::Forbidden)
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    employer: Require<Employer>,
) -> Result<HttpResponse, AppError> {
    let id = company_of(&employer)?;
    render_page(
        ctx,
        &state,
        id,
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn update(
    meta: RequestMeta,
    ctx: PageCtx,
    state: web::Data<AppState>,
    session: Session,
    employer: Require<Employer>,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let company_id = company_of(&employer)?;
    let mut form = form.into_inner();
    let mut errors = FieldErrors::default();
    let facts = form.facts.check(&mut errors);
    // The section follows the primary code: filled in when left empty, and a different
    // one is a mistake to point out rather than to overrule.
    let derived = facts
        .kbli
        .as_ref()
        .and_then(|c| kbli_section_of(&c.primary));
    if let Some(section) = &derived
        && form.company.kbli_section.trim().is_empty()
    {
        form.company.kbli_section = section.to_string();
    }
    let valid = validate_company(&form.company, &mut errors);
    if let (Some(valid), Some(section)) = (&valid, &derived)
        && &valid.kbli_section != section
    {
        errors.add("kbli_section", "company.error.kbli_section_mismatch");
    }
    let size = if form.size_band.is_empty() {
        None
    } else {
        let parsed = SizeBand::parse(&form.size_band);
        if parsed.is_none() {
            errors.add("size_band", "company.error.size");
        }
        parsed
    };
    let phone = optional(
        &form.contact_phone,
        |p| Phone::parse(p).ok(),
        "contact_phone",
        "signup.error.phone",
        &mut errors,
    );
    let email = optional(
        &form.contact_email,
        |e| Email::parse(e).ok(),
        "contact_email",
        "signup.error.email",
        &mut errors,
    );
    let website = optional(
        &form.website,
        parse_website,
        "website",
        "company.error.website",
        &mut errors,
    );
    let description = form.description.trim().to_owned();
    check_line(&mut errors, "website", &form.website);
    if check_lines(&mut errors, "description", &description) && description.chars().count() > 5000 {
        errors.add("description", "company.error.description");
    }
    let Some(valid) = valid.filter(|_| errors.is_empty()) else {
        return render_page(
            ctx,
            &state,
            company_id,
            Some(form),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let change = ProfileChange {
        company: valid,
        size,
        phone,
        email,
        website,
        description: Some(description).filter(|d| !d.is_empty()),
        legal_form: facts.legal_form,
        investment_status: facts.investment_status,
        npp: facts.npp,
        founded_on: facts.founded_on,
        kbli: facts.kbli,
    };
    let actor = employer.user.id;
    let outcome = state
        .db(move |conn| Ok(save_profile(conn, company_id, &change, actor, &meta)?))
        .await?;
    match outcome {
        Some(ProfileSave::MovedOn) => {
            session::flash(&session, FlashLevel::Error, "review.company.moved_on");
            Ok(redirect("/perusahaan/profil"))
        }
        Some(ProfileSave::BranchNib) => {
            let mut errors = FieldErrors::default();
            errors.add("nib", "company.error.branch_nib");
            render_page(
                ctx,
                &state,
                company_id,
                Some(form),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Some(saved) => {
            let key = match saved {
                ProfileSave::BackToReview => "review.company.back_to_review",
                ProfileSave::Resubmitted => "company.profile.resubmitted",
                _ => "company.profile.saved",
            };
            session::flash(&session, FlashLevel::Success, key);
            Ok(redirect("/perusahaan/profil"))
        }
        None => {
            let mut errors = FieldErrors::default();
            errors.add("nib", "company.error.nib_taken");
            render_page(
                ctx,
                &state,
                company_id,
                Some(form),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// An optional field: empty is fine, anything else must parse.
fn optional<T>(
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
    field: &'static str,
    message: &'static str,
    errors: &mut FieldErrors,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    let parsed = parse(raw);
    if parsed.is_none() {
        errors.add(field, message);
    }
    parsed
}

/// A web address; `https://` is added when the scheme is left out.
pub fn parse_website(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let url = if raw.starts_with("http://") || raw.starts_with("https://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let host = url.split("://").nth(1)?.split('/').next()?;
    (host.contains('.') && !host.contains(char::is_whitespace) && url.len() <= 200).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::parse_website;

    #[test]
    fn websites_get_a_scheme_and_need_a_domain() {
        assert_eq!(
            parse_website("rambutanjaya.co.id").as_deref(),
            Some("https://rambutanjaya.co.id")
        );
        assert_eq!(
            parse_website("http://x.id/karir").as_deref(),
            Some("http://x.id/karir")
        );
        assert_eq!(parse_website("tidak ada"), None);
        assert_eq!(parse_website("localhost"), None);
    }
}
