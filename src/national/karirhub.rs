//! What the public vacancy search shows of the national job board's vacancies: a short
//! list beside the portal's own results, for the same search, and the whole list at
//! `/lowongan/nasional`. Each is marked with its source and links to the original, where a
//! resident applies (the portal holds no applications for them).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, NaiveDate};

use super::vacancies::{Filter, NationalCache, NationalVacancy};
use crate::db::DbConnection;
use crate::reference::education;
use crate::reference::regions::place_name;
use crate::search::Query;
use crate::vacancies::public::wage_text;
use crate::vacancies::search::Search;
use crate::web::pagination::{Pager, with_query};
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx, format};

/// National vacancies beside the portal's results.
pub const ASIDE_HITS: usize = 5;
const PER_PAGE: i64 = 20;
/// A keyword's words that count; a longer query is a sentence, not a search.
const MAX_WORDS: usize = 8;

/// The national vacancies' filter for a search of the portal's vacancies: the same
/// keyword and filters, as far as a national vacancy states them.
pub fn filter_of(search: &Search, today: NaiveDate) -> Filter<'static> {
    Filter {
        words: search
            .keyword
            .to_lowercase()
            .split_whitespace()
            .take(MAX_WORDS)
            .map(str::to_owned)
            .collect(),
        kecamatan: search.place.map(crate::search::Place::code),
        group: search.group.map(|g| g.code),
        education: search.education.map(education::EducationLevel::code),
        employment_type: search.employment_type,
        min_wage: search.min_wage,
        disability_friendly: search.disability_friendly,
        opened_since: search
            .posted_within
            .map(|days| today - Duration::days(days - 1)),
    }
}

/// The first national vacancies for a search, and how many there are: from the copy in
/// memory, kept per search at its version.
pub fn preview(
    conn: &mut DbConnection,
    cache: &NationalCache,
    search: &Search,
    today: NaiveDate,
) -> diesel::QueryResult<std::sync::Arc<(Vec<NationalVacancy>, i64)>> {
    let open = cache.current(conn, today)?;
    cache.answer(&open, search.query_string(), || {
        Ok(open.search(&filter_of(search, today), today, 0, ASIDE_HITS))
    })
}

/// One national vacancy as a list shows it.
pub struct HitView {
    pub title: String,
    pub employer: String,
    pub place: String,
    pub type_key: Option<&'static str>,
    pub education: Option<String>,
    pub wage: Option<String>,
    pub closes: String,
    pub source: String,
    pub url: String,
}

fn hit_view(ctx: &PageCtx, v: &NationalVacancy) -> HitView {
    let lang = ctx.lang;
    HitView {
        title: v.title.clone(),
        employer: v.employer_name.clone(),
        place: place_name(
            v.kelurahan_code.as_deref(),
            crate::reference::regions::BINJAI_CODE,
        ),
        type_key: v
            .employment_type
            .map(crate::vacancies::EmploymentType::label_key),
        education: v.education_min.map(|e| education::name_of(lang, e)),
        wage: wage_text(lang, true, v.wage_min, v.wage_max),
        closes: ctx.tf(
            "search.hit.closes",
            &[("date", &format::date(lang, v.closes_on))],
        ),
        source: source_label(ctx, &v.source),
        url: v.url.clone(),
    }
}

fn source_label(ctx: &PageCtx, source: &str) -> String {
    match source {
        "karirhub" => ctx.t("national.source.karirhub").into_owned(),
        other => ctx.tf("national.source.other", &[("source", other)]),
    }
}

/// What the search page shows beside its results: nothing without a national vacancy.
pub struct Aside {
    pub heading: String,
    pub hits: Vec<HitView>,
    pub all_href: String,
    pub all_text: String,
}

pub fn aside(
    ctx: &PageCtx,
    search: &Search,
    preview: &(Vec<NationalVacancy>, i64),
) -> Option<Aside> {
    let (hits, total) = preview;
    if *total == 0 {
        return None;
    }
    Some(Aside {
        heading: ctx.t("national.aside.heading").into_owned(),
        hits: hits.iter().map(|v| hit_view(ctx, v)).collect(),
        all_href: with_query("/lowongan/nasional", &search.query_string()),
        all_text: ctx.tf(
            "national.aside.all",
            &[("count", &format::number(ctx.lang, *total))],
        ),
    })
}

#[derive(Template)]
#[template(path = "national/vacancies.html")]
struct ListPage {
    ctx: PageCtx,
    total_text: String,
    hits: Vec<HitView>,
    pager: Pager,
    back_href: String,
}

/// `/lowongan/nasional`: every national vacancy matching the search, newest first.
pub async fn list(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    cache: web::Data<NationalCache>,
) -> Result<HttpResponse, AppError> {
    let search = Search::from_query(req.query_string());
    let today = crate::domain::calendar::today();
    let page = search.page.max(1);
    let filter_search = search.clone();
    let (hits, total) = state
        .db(move |conn| {
            let open = cache.current(conn, today)?;
            Ok(open.search(
                &filter_of(&filter_search, today),
                today,
                usize::try_from((page - 1) * PER_PAGE).unwrap_or(0),
                PER_PAGE as usize,
            ))
        })
        .await?;
    let pages_total = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let pager = Pager::new(&ctx, "/lowongan/nasional", page, pages_total, |n| {
        search.page_query(n)
    });
    let page = ListPage {
        total_text: ctx.tf(
            "national.list.total",
            &[("count", &format::number(ctx.lang, total))],
        ),
        hits: hits.iter().map(|v| hit_view(&ctx, v)).collect(),
        pager,
        back_href: with_query("/lowongan", &search.query_string()),
        ctx,
    };
    render(&page, StatusCode::OK)
}
