//! A verified company's public page: who they are and their open vacancies. Companies not
//! (or no longer) verified have no public page.

use crate::domain::ids::{CompanyId, VacancyId};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Company, VerificationStatus};
use crate::reference::kbli;
use crate::reference::regions::place_name;
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx, format};

struct OpenVacancy {
    id: VacancyId,
    title: String,
    place: String,
    closes: String,
}

#[derive(Template)]
#[template(path = "employers/public.html")]
struct CompanyPage {
    ctx: PageCtx,
    company: Company,
    sector: String,
    size_key: Option<&'static str>,
    place: String,
    open: Vec<OpenVacancy>,
    posted_total: String,
    canonical: String,
}

/// Enough for any one company; a bigger list belongs to the search.
const OPEN_LIMIT: i64 = 100;

type OpenRow = (VacancyId, String, Option<String>, String, chrono::NaiveDate);

pub async fn company_page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<CompanyId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let today = crate::domain::calendar::today();
    let (company, open, posted) = state
        .db(move |conn| {
            let company = super::find_company(conn, id)?
                .filter(|c| c.status() == VerificationStatus::Verified)
                .ok_or(AppError::NotFound)?;
            let (open, posted): (Vec<OpenRow>, i64) =
                crate::vacancies::open_of_company(conn, id, today, OPEN_LIMIT)?;
            Ok((company, open, posted))
        })
        .await?;
    let lang = ctx.lang;
    let sector = kbli::section(&company.kbli_section)
        .map(|s| match lang {
            Lang::Id => s.name_id,
            Lang::En => s.name_en,
        })
        .unwrap_or_default()
        .to_owned();
    let page = CompanyPage {
        sector,
        size_key: company.size().map(|s| s.label_key()),
        place: place_name(company.kelurahan_code.as_deref(), &company.regency_code),
        open: open
            .into_iter()
            .map(|(id, title, kel, regency, closes)| OpenVacancy {
                id,
                title,
                place: place_name(kel.as_deref(), &regency),
                closes: format::date(lang, closes),
            })
            .collect(),
        posted_total: ctx.tf(
            "company.public.posted_total",
            &[("count", &format::number(lang, posted))],
        ),
        canonical: format!("{}/perusahaan/{}", state.settings.base_url, company.id),
        company,
        ctx,
    };
    render(&page, StatusCode::OK)
}
