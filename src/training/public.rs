//! What residents see of training: the programme search at a shareable URL (`/pelatihan`),
//! the page of one programme with its JSON-LD, and the few open programmes the vacancy
//! search shows beside its results.

use crate::domain::ids::ProgrammeId;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::programmes::{self, Programme, Status, field_label};
use super::providers::Kind;
use super::providers::{self, Provider};
use super::search::{self, Cost, Hit, Results, Search};
use crate::db;
use crate::domain::Rupiah;
use crate::reference::education;
use crate::reference::regions::place_name;
use crate::search::ListPage;
use crate::search::facets::{keyed_options, options, options_by};
use crate::search::{Choice, Query, query};
use crate::web::filters::OptionView;
use crate::web::pagination::with_query;
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx, format};

/// How many open programmes the vacancy search shows for its keyword.
pub const ASIDE_HITS: usize = 3;

/// "Free", or the cost per participant.
fn cost_text(ctx: &PageCtx, cost: Option<Rupiah>) -> String {
    match cost {
        None => ctx.t("programme.cost.free").into_owned(),
        Some(c) => format::rupiah(ctx.lang, c),
    }
}

/// One found programme as a result list shows it.
pub struct HitView {
    pub id: ProgrammeId,
    pub title: String,
    pub provider: String,
    pub kind: &'static str,
    pub field_key: &'static str,
    pub mode_key: &'static str,
    pub place: String,
    pub starts: String,
    pub closes: String,
    pub hours: String,
    pub cost: String,
    pub free: bool,
}

fn kind_short(kind: providers::Kind) -> &'static str {
    match kind {
        providers::Kind::Blk => "BLK",
        providers::Kind::Lpk => "LPK",
    }
}

pub fn hit_view(ctx: &PageCtx, h: &Hit) -> HitView {
    let lang = ctx.lang;
    HitView {
        id: h.id,
        title: h.title.clone(),
        provider: h.provider_name.clone(),
        kind: kind_short(h.provider_kind),
        field_key: field_label(&h.field),
        mode_key: h.mode.label_key(),
        place: place_name(h.kelurahan_code.as_deref(), &h.regency_code),
        starts: ctx.tf(
            "training.hit.starts",
            &[
                ("start", &format::date(lang, h.starts_on)),
                ("end", &format::date(lang, h.ends_on)),
            ],
        ),
        closes: ctx.tf(
            "training.hit.closes",
            &[("date", &format::date(lang, h.registration_closes_on))],
        ),
        hours: ctx.tf(
            "training.hit.hours",
            &[("hours", &format::number(lang, i64::from(h.hours)))],
        ),
        cost: cost_text(ctx, h.cost),
        free: h.cost.is_none(),
    }
}

/// Open programmes for a vacancy search's keyword.
pub struct Aside {
    pub heading: String,
    pub hits: Vec<HitView>,
    pub all_href: String,
    pub all_text: String,
}

/// What the vacancy search shows beside its results for `keyword`, from
/// [`search::preview`] (run in the vacancy search's own trip to the database): nothing
/// without a matching open programme.
pub fn aside(ctx: &PageCtx, keyword: &str, preview: &(i64, Vec<search::Hit>)) -> Option<Aside> {
    let (total, hits) = preview;
    if *total == 0 {
        return None;
    }
    let keyword = keyword.trim();
    Some(Aside {
        heading: ctx.tf("training.aside.heading", &[("keyword", keyword)]),
        hits: hits.iter().map(|h| hit_view(ctx, h)).collect(),
        all_href: with_query("/pelatihan", &Search::keyword(keyword).query_string()),
        all_text: ctx.tf(
            "training.aside.all",
            &[("count", &format::number(ctx.lang, *total))],
        ),
    })
}

#[derive(Template)]
#[template(path = "training/search.html")]
struct SearchPage {
    ctx: PageCtx,
    list: ListPage<HitView>,
    fields: Vec<OptionView>,
    kinds: Vec<OptionView>,
    costs: Vec<OptionView>,
    starts: Vec<OptionView>,
    places: Vec<OptionView>,
    filters_open: bool,
    canonical: String,
    index_me: bool,
    /// The vacancies for the same keyword: the link and its text.
    vacancies: Option<(String, String)>,
}

fn search_view(ctx: PageCtx, s: &Search, results: Results, base_url: &str) -> SearchPage {
    let lang = ctx.lang;
    let f = &results.facets;
    let fields = options_by(
        f.fields
            .iter()
            .filter(|c| c.count > 0 || s.field == Some(c.value)),
        s.field,
        lang,
        str::to_owned,
        |v| ctx.t(field_label(v)).into_owned(),
    );
    let starts = options_by(
        &f.starts_within,
        s.starts_within,
        lang,
        |d| d.to_string(),
        |d| starts_label(&ctx, d),
    );
    let kinds = keyed_options(&f.kinds, s.kind, &ctx, Kind::as_str, Kind::label_key);
    let costs = keyed_options(&f.costs, s.cost, &ctx, Cost::code, Cost::label_key);
    let places = options(&f.places, s.place, &ctx);
    SearchPage {
        list: ListPage::new(
            &ctx,
            "/pelatihan",
            s,
            &results,
            "training.search.total",
            |h| hit_view(&ctx, h),
            |key| filter_label(&ctx, s, key),
        ),
        fields,
        kinds,
        costs,
        starts,
        places,
        // The keyword has its own box; the other filters sit in the folded part.
        filters_open: s.pairs().iter().any(|(k, _)| *k != query::KEYWORD),
        canonical: format!("{base_url}/pelatihan"),
        // As for vacancies: crawlers get the plain list, the programme pages and the
        // sitemap, not endless filter combinations.
        index_me: !s.is_filtered() && s.page == 1,
        vacancies: None,
        ctx,
    }
}

fn starts_label(ctx: &PageCtx, days: u64) -> String {
    ctx.tf(
        "training.search.starts.days",
        &[("days", &days.to_string())],
    )
}

/// What the chip of the filter `key` says.
fn filter_label(ctx: &PageCtx, s: &Search, key: &str) -> Option<String> {
    Some(match key {
        "kejuruan" => ctx.t(field_label(s.field?)).into_owned(),
        "lembaga" => ctx.t(s.kind?.label_key()).into_owned(),
        "biaya" => ctx.t(s.cost?.label_key()).into_owned(),
        "mulai" => starts_label(ctx, s.starts_within?),
        "kecamatan" => s.place?.label(ctx),
        _ => return None,
    })
}

pub async fn search_page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    boards: web::Data<crate::vacancies::search::BoardCache>,
    cache: web::Data<search::ProgrammeCache>,
) -> Result<HttpResponse, AppError> {
    let search = Search::from_query(req.query_string());
    let today = crate::domain::calendar::today();
    let now = Utc::now().naive_utc();
    let has_keyword = !crate::db::fulltext::Terms::parse(&search.keyword).is_empty();
    let s = search.clone();
    let (results, vacancies) = state
        .db(move |conn| {
            let results = search::run(conn, &cache, &s, today)?;
            // The same keyword among vacancies, for the link to them.
            let vacancies = if has_keyword {
                let v = crate::vacancies::search::Search {
                    keyword: s.keyword.clone(),
                    page: 1,
                    ..Default::default()
                };
                Some((crate::vacancies::search::count(conn, &boards, &v, now)?, v))
            } else {
                None
            };
            Ok((results, vacancies))
        })
        .await?;
    let lang = ctx.lang;
    // No link to an empty list.
    let vacancies = vacancies.filter(|(count, _)| *count > 0).map(|(count, v)| {
        (
            with_query("/lowongan", &v.query_string()),
            ctx.tf(
                "training.search.vacancies",
                &[
                    ("count", &format::number(lang, count)),
                    ("keyword", v.keyword.trim()),
                ],
            ),
        )
    });
    let mut page = search_view(ctx, &search, results, &state.settings.base_url);
    page.vacancies = vacancies;
    render(&page, StatusCode::OK)
}

/// The programme page's facts, every code turned into words in the reader's language.
struct Facts {
    kind_key: &'static str,
    field_key: &'static str,
    job_titles: Vec<String>,
    education: String,
    age: Option<String>,
    dates: String,
    hours: String,
    mode_key: &'static str,
    place: String,
    cost: String,
    funding_key: &'static str,
    certificate_key: &'static str,
    registration: String,
    quota: String,
}

#[derive(Template)]
#[template(path = "training/programme.html")]
struct ProgrammePage {
    ctx: PageCtx,
    programme: Programme,
    provider: Provider,
    provider_place: String,
    facts: Facts,
    /// The status as a resident should read it: a published programme whose registration
    /// has closed reads as closed.
    status_key: &'static str,
    /// Registration takes people today.
    registration_open: bool,
    /// What the registration section says about the window.
    registration_note: String,
    /// Found by the search (and so indexed, with JSON-LD).
    listed: bool,
    /// "n of m places taken".
    seats: String,
    url: String,
    json_ld: Option<String>,
}

/// The status a resident sees today.
fn shown_status(p: &Programme, today: NaiveDate) -> Status {
    match p.status() {
        Status::Published if p.registration_closes_on < today => Status::RegistrationClosed,
        s => s,
    }
}

fn facts(
    ctx: &PageCtx,
    p: &Programme,
    provider: &Provider,
    job_titles: &[(String, String, String)],
) -> Facts {
    let lang = ctx.lang;
    let age = match (p.age_min, p.age_max) {
        (Some(lo), Some(hi)) => Some(ctx.tf(
            "programme.page.age_range",
            &[("min", &lo.to_string()), ("max", &hi.to_string())],
        )),
        _ => None,
    };
    Facts {
        kind_key: provider.kind().label_key(),
        field_key: field_label(&p.field),
        job_titles: job_titles
            .iter()
            .map(|(code, id, en)| {
                let name = if lang == Lang::En { en } else { id };
                format!("{name} (KBJI {code})")
            })
            .collect(),
        education: education::name_of(lang, p.education_min),
        age,
        dates: format!(
            "{} – {}",
            format::date(lang, p.starts_on),
            format::date(lang, p.ends_on)
        ),
        hours: ctx.tf(
            "training.hit.hours",
            &[("hours", &format::number(lang, i64::from(p.hours)))],
        ),
        mode_key: p.mode.label_key(),
        place: format!(
            "{}, {}",
            p.place,
            place_name(p.kelurahan_code.as_deref(), &p.regency_code)
        ),
        cost: match p.cost {
            None => ctx.t("programme.cost.free").into_owned(),
            Some(c) => ctx.tf(
                "programme.page.cost_each",
                &[("amount", &format::rupiah(lang, c))],
            ),
        },
        funding_key: p.funding.label_key(),
        certificate_key: p.certificate.label_key(),
        registration: format!(
            "{} – {}",
            format::date(lang, p.registration_opens_on),
            format::date(lang, p.registration_closes_on)
        ),
        quota: ctx.tf(
            "programme.page.quota_people",
            &[("count", &format::number(lang, i64::from(p.quota)))],
        ),
    }
}

type Loaded = (Programme, Provider, Vec<(String, String, String)>);

fn load_public(conn: &mut db::DbConnection, id: ProgrammeId) -> Result<Loaded, AppError> {
    let programme = programmes::find(conn, id)?.ok_or(AppError::NotFound)?;
    // A draft is its provider's alone, and not on this public address even for it; every
    // programme that was ever published stays reachable (old shared links) with its status.
    if programme.status() == Status::Draft {
        return Err(AppError::NotFound);
    }
    let provider = providers::find(conn, programme.provider_id)?.ok_or(AppError::NotFound)?;
    let ids = programmes::job_titles_of(conn, id)?;
    let mut job_titles = crate::reference::job_titles_of(conn, &ids)?;
    job_titles.sort();
    Ok((programme, provider, job_titles))
}

pub async fn programme_page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<ProgrammeId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (programme, provider, job_titles) = state.db(move |conn| load_public(conn, id)).await?;
    let today = crate::domain::calendar::today();
    let lang = ctx.lang;
    let status = shown_status(&programme, today);
    let listed = status == Status::Published && provider.is_active;
    let registration_open =
        provider.is_active && super::enrolment::registration_open(&programme, today);
    let date = |d| format::date(lang, d);
    let registration_note = if registration_open {
        ctx.tf(
            "programme.page.registration_open",
            &[("date", &date(programme.registration_closes_on))],
        )
    } else if listed {
        ctx.tf(
            "programme.page.registration_soon",
            &[("date", &date(programme.registration_opens_on))],
        )
    } else {
        ctx.t("programme.page.registration_closed").into_owned()
    };
    let url = format!("{}/pelatihan/{}", state.settings.base_url, programme.id);
    let json_ld = listed.then(|| super::json_ld::course(&programme, &provider, &url));
    let page = ProgrammePage {
        facts: facts(&ctx, &programme, &provider, &job_titles),
        provider_place: place_name(provider.kelurahan_code.as_deref(), &provider.regency_code),
        status_key: status.label_key(),
        registration_open,
        registration_note,
        listed,
        seats: super::view::seats(&ctx, &programme),
        url,
        json_ld,
        programme,
        provider,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// The programmes found by the search today, with when each last changed, for the sitemap.
pub fn sitemap_entries(
    conn: &mut db::DbConnection,
    cache: &search::ProgrammeCache,
    limit: usize,
) -> QueryResult<Vec<(ProgrammeId, chrono::NaiveDateTime)>> {
    use crate::schema::training_programmes;
    let mut ids = search::open_ids(conn, cache, crate::domain::calendar::today())?;
    ids.truncate(limit);
    training_programmes::table
        .filter(training_programmes::id.eq_any(&ids))
        .order(training_programmes::id)
        .select((training_programmes::id, training_programmes::updated_at))
        .load(conn)
}
