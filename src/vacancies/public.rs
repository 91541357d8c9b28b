//! What residents see: the vacancy search at a shareable URL, its Atom feed, and the page of
//! one vacancy with its JSON-LD, share links and similar vacancies.

use crate::domain::ids::VacancyId;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{NaiveDateTime, Utc};

use super::search::{self, BoardCache, Hit, Results, Search, Sort};
use super::view::{Facts, facts};
use super::{EmploymentType, Vacancy, VacancyStatus};
use crate::db;
use crate::domain::Rupiah;
use crate::employers::Company;
use crate::reference::education;
use crate::reference::regions::place_name;
use crate::search::ListPage;
use crate::search::facets::{keyed_options, options, options_by};
use crate::search::{Choice, Query};
use crate::web::filters::OptionView;
use crate::web::pagination::with_query;
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx, format};

/// One result as the list shows it.
pub struct HitView {
    pub id: VacancyId,
    pub title: String,
    pub company: String,
    pub place: String,
    pub type_key: &'static str,
    pub wage: Option<String>,
    pub education: String,
    pub closes: String,
    pub posted: String,
    pub positions: String,
    pub disability_friendly: bool,
    /// The job fair the vacancy is brought to, if any (issue 20).
    pub fair: Option<(crate::domain::ids::JobFairId, String)>,
}

/// The monthly wage if the employer shows it.
pub fn wage_text(
    lang: Lang,
    show: bool,
    min: Option<Rupiah>,
    max: Option<Rupiah>,
) -> Option<String> {
    if !show {
        return None;
    }
    let rp = |n| format::rupiah(lang, n);
    match (min, max) {
        (Some(a), Some(b)) if a != b => Some(format!("{} – {}", rp(a), rp(b))),
        (Some(a), _) | (None, Some(a)) => Some(rp(a)),
        (None, None) => None,
    }
}

pub fn hit_view(ctx: &PageCtx, hit: &Hit) -> HitView {
    let lang = ctx.lang;
    HitView {
        id: hit.id,
        title: hit.title.clone(),
        company: hit.company_name.clone(),
        place: place_name(hit.kelurahan_code.as_deref(), &hit.regency_code),
        type_key: hit.employment_type.label_key(),
        wage: wage_text(lang, hit.show_wage, hit.wage_min, hit.wage_max),
        education: education::name_of(lang, hit.education_min),
        closes: ctx.tf(
            "search.hit.closes",
            &[("date", &format::date(lang, hit.closes_on))],
        ),
        posted: ctx.tf(
            "search.hit.posted",
            &[("date", &format::day(lang, hit.published_at))],
        ),
        positions: ctx.tf(
            "search.hit.positions",
            &[("count", &format::number(lang, i64::from(hit.positions)))],
        ),
        disability_friendly: hit.disability_friendly,
        fair: None,
    }
}

#[derive(Template)]
#[template(path = "vacancies/search.html")]
struct SearchPage {
    ctx: PageCtx,
    list: ListPage<HitView>,
    places: Vec<OptionView>,
    groups: Vec<OptionView>,
    education: Vec<OptionView>,
    types: Vec<OptionView>,
    posted: Vec<OptionView>,
    sorts: Vec<OptionView>,
    min_wage: String,
    disability_label: String,
    disability_checked: bool,
    filters_open: bool,
    feed_href: String,
    /// The search as a job alert keeps it.
    alert_query: String,
    canonical: String,
    index_me: bool,
    /// Open training programmes for the same keyword.
    training: Option<crate::training::public::Aside>,
    /// The national job board's vacancies for the same search.
    national: Option<crate::national::karirhub::Aside>,
}

fn search_view(ctx: PageCtx, s: &Search, results: Results, base_url: &str) -> SearchPage {
    let lang = ctx.lang;
    let f = &results.facets;
    let places = options(&f.places, s.place, &ctx);
    let groups = options(
        f.groups
            .iter()
            .filter(|c| c.count > 0 || s.group == Some(c.value)),
        s.group,
        &ctx,
    );
    let education = options(&f.education, s.education, &ctx);
    let types = keyed_options(
        &f.employment_types,
        s.employment_type,
        &ctx,
        EmploymentType::as_str,
        EmploymentType::label_key,
    );
    let posted = options_by(
        &f.posted_within,
        s.posted_within,
        lang,
        |d| d.to_string(),
        |d| ctx.tf("search.posted.days", &[("days", &d.to_string())]),
    );
    let sorts = Sort::ALL
        .iter()
        .map(|o| OptionView {
            value: o.code().to_owned(),
            label: ctx.t(o.label_key()).into_owned(),
            selected: s.sort == *o,
        })
        .collect();
    let list = ListPage::new(
        &ctx,
        "/lowongan",
        s,
        &results,
        "search.total",
        |h| hit_view(&ctx, h),
        |key| filter_label(&ctx, s, key),
    );
    let query = s.query_string();
    SearchPage {
        // Folded for a keyword alone, so that on a phone the results come first.
        filters_open: list.filter_count() > 0,
        list,
        places,
        groups,
        education,
        types,
        posted,
        sorts,
        min_wage: s.min_wage.map(|w| w.to_string()).unwrap_or_default(),
        disability_label: format!(
            "{} ({})",
            ctx.t("search.disability"),
            format::number(lang, f.disability_friendly)
        ),
        disability_checked: s.disability_friendly,
        feed_href: with_query("/lowongan/feed.xml", &query),
        alert_query: crate::alerts::model::normalise(&query),
        canonical: format!("{base_url}/lowongan"),
        // Countless filter combinations would only dilute the index: crawlers get the plain
        // list, the vacancy pages and the sitemap.
        index_me: !s.is_filtered() && s.page == 1,
        training: None,
        national: None,
        ctx,
    }
}

/// What the chip of the filter `key` says, or `None` for a key that is no filter.
fn filter_label(ctx: &PageCtx, s: &Search, key: &str) -> Option<String> {
    let lang = ctx.lang;
    Some(match key {
        "kecamatan" => s.place?.label(ctx),
        "golongan" => s.group?.label(ctx),
        "pendidikan" => s.education?.label(ctx),
        "jenis" => ctx.t(s.employment_type?.label_key()).into_owned(),
        "upah" => ctx.tf(
            "search.min_wage.active",
            &[("wage", &format::rupiah(lang, s.min_wage?))],
        ),
        "disabilitas" => ctx.t("search.disability").into_owned(),
        "sejak" => ctx.tf(
            "search.posted.days",
            &[("days", &s.posted_within?.to_string())],
        ),
        // The order (`urut`) is kept by every link but removed by none.
        _ => return None,
    })
}

pub async fn search_page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    boards: web::Data<BoardCache>,
    programmes: web::Data<crate::training::search::ProgrammeCache>,
    national: web::Data<crate::national::vacancies::NationalCache>,
) -> Result<HttpResponse, AppError> {
    let search = Search::from_query(req.query_string());
    let s = search.clone();
    let now = Utc::now().naive_utc();
    // The vacancies, the programmes for the same keyword and the national vacancies for
    // the same search, in one trip to the database.
    let (results, preview, national, fairs) = state
        .db(move |conn| {
            let today = crate::domain::calendar::date_of(now);
            let results = search::run(conn, &boards, &s, now)?;
            let ids: Vec<VacancyId> = results.hits.iter().map(|h| h.id).collect();
            let fairs = crate::fairs::fairs_of_vacancies(conn, &ids, today)?;
            let preview = crate::training::search::preview(
                conn,
                &programmes,
                &s.keyword,
                today,
                crate::training::public::ASIDE_HITS,
            )?;
            // Beside the first page only: the later pages are the portal's own list.
            let national = if s.page == 1 {
                Some(crate::national::karirhub::preview(
                    conn, &national, &s, today,
                )?)
            } else {
                None
            };
            Ok((results, preview, national, fairs))
        })
        .await?;
    let training = crate::training::public::aside(&ctx, &search.keyword, &preview);
    let national = national
        .as_deref()
        .and_then(|n| crate::national::karirhub::aside(&ctx, &search, n));
    let mut page = search_view(ctx, &search, results, &state.settings.base_url);
    for hit in &mut page.list.hits {
        hit.fair = fairs.get(&hit.id).cloned();
    }
    page.training = training;
    page.national = national;
    render(&page, StatusCode::OK)
}

async fn run_search(
    state: &AppState,
    boards: web::Data<BoardCache>,
    search: &Search,
) -> Result<Results, AppError> {
    let search = search.clone();
    let now = Utc::now().naive_utc();
    state
        .db(move |conn| Ok(search::run(conn, &boards, &search, now)?))
        .await
}

struct FeedEntry {
    url: String,
    title: String,
    company: String,
    updated: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "vacancies/feed.xml")]
struct Feed {
    title: String,
    self_url: String,
    alternate_url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

fn rfc3339(t: NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An Atom feed of the newest vacancies of any search (the first page of it).
pub async fn feed(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    boards: web::Data<BoardCache>,
) -> Result<HttpResponse, AppError> {
    let search = Search {
        sort: Sort::Newest,
        page: 1,
        ..Search::from_query(req.query_string())
    };
    let results = run_search(&state, boards, &search).await?;
    let base = &state.settings.base_url;
    let query = search.query_string();
    let suffix = with_query("", &query);
    let lang = ctx.lang;
    let entries: Vec<FeedEntry> = results
        .hits
        .iter()
        .map(|h| {
            let view = hit_view(&ctx, h);
            let mut summary = vec![view.company.clone(), view.place.clone()];
            if let Some(w) = &view.wage {
                summary.push(w.clone());
            }
            summary.push(view.closes.clone());
            FeedEntry {
                url: format!("{base}/lowongan/{}", h.id),
                title: h.title.clone(),
                company: h.company_name.clone(),
                updated: rfc3339(h.published_at),
                summary: summary.join(" · "),
            }
        })
        .collect();
    let updated = results
        .hits
        .first()
        .map(|h| rfc3339(h.published_at))
        .unwrap_or_else(|| rfc3339(Utc::now().naive_utc()));
    let title = if search.keyword.trim().is_empty() {
        lang.t("feed.title").into_owned()
    } else {
        lang.tf("feed.title_for", &[("keyword", search.keyword.trim())])
    };
    let body = Feed {
        title,
        self_url: format!("{base}/lowongan/feed.xml{suffix}"),
        alternate_url: format!("{base}/lowongan{suffix}"),
        updated,
        entries,
    }
    .render()
    .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(body))
}

struct SimilarView {
    id: VacancyId,
    title: String,
    company: String,
    place: String,
}

#[derive(Template)]
#[template(path = "vacancies/public.html")]
struct VacancyPage {
    ctx: PageCtx,
    vacancy: Vacancy,
    facts: Facts,
    company: Company,
    company_public: bool,
    company_place: String,
    wage: Option<String>,
    open: bool,
    status_key: &'static str,
    posted: String,
    url: String,
    whatsapp_href: String,
    json_ld: Option<String>,
    similar: Vec<SimilarView>,
    /// The job fair the vacancy is brought to (issue 20).
    fair: Option<(crate::domain::ids::JobFairId, String)>,
}

impl VacancyPage {
    /// "1 tahun 6 bulan" rather than "18".
    fn experience(&self) -> String {
        format::months_as_duration(self.ctx.lang, self.vacancy.experience_months)
    }
}

/// Everything the vacancy page needs, in one trip to the database.
struct Loaded {
    vacancy: Vacancy,
    company: Company,
    job_title: Option<(String, String)>,
    similar: Vec<Hit>,
    fair: Option<(crate::domain::ids::JobFairId, String)>,
}

const SIMILAR: usize = 4;

fn load_public(
    conn: &mut db::DbConnection,
    boards: &search::BoardCache,
    id: VacancyId,
) -> Result<Loaded, AppError> {
    let vacancy = super::find(conn, id)?.ok_or(AppError::NotFound)?;
    // Drafts, vacancies under review and rejected ones are nobody's business but the
    // company's; a vacancy that was public stays reachable (old shared links) as closed.
    if !matches!(
        vacancy.status(),
        VacancyStatus::Published
            | VacancyStatus::Closed
            | VacancyStatus::Filled
            | VacancyStatus::Expired
    ) {
        return Err(AppError::NotFound);
    }
    let company =
        crate::employers::find_company(conn, vacancy.company_id)?.ok_or(AppError::NotFound)?;
    let job_title = match vacancy.job_title_id {
        Some(jt) => crate::reference::job_title(conn, jt)?.map(|t| (t.1, t.2)),
        None => None,
    };
    let similar = search::similar(conn, boards, vacancy.id, &vacancy.kbji_code, SIMILAR)?;
    let fair = crate::fairs::fairs_of_vacancies(conn, &[id], crate::domain::calendar::today())?
        .remove(&id);
    Ok(Loaded {
        vacancy,
        company,
        job_title,
        similar,
        fair,
    })
}

pub async fn vacancy_page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    boards: web::Data<BoardCache>,
    id: web::Path<VacancyId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let loaded = state.db(move |conn| load_public(conn, &boards, id)).await?;
    let Loaded {
        vacancy,
        company,
        job_title,
        similar,
        fair,
    } = loaded;
    let lang = ctx.lang;
    let mut facts = facts(&vacancy, lang);
    if let Some((title_id, title_en)) = &job_title {
        let title = if lang == Lang::En { title_en } else { title_id };
        facts.job_title = format!("{title} (KBJI {})", vacancy.kbji_code);
    }
    let today = crate::domain::calendar::today();
    let open = vacancy.is_open(today);
    let url = format!("{}/lowongan/{}", state.settings.base_url, vacancy.id);
    let share_text = format!("{} – {}\n{url}", vacancy.title, company.name);
    let whatsapp_href = format!(
        "https://wa.me/?{}",
        serde_urlencoded::to_string([("text", share_text.as_str())]).unwrap_or_default()
    );
    let json_ld =
        open.then(|| super::json_ld::job_posting(&vacancy, &company, &url, job_title.as_ref()));
    let posted = vacancy
        .published_at
        .map(|p| format::day(lang, p))
        .unwrap_or_default();
    let page = VacancyPage {
        fair,
        wage: wage_text(lang, vacancy.show_wage, vacancy.wage_min, vacancy.wage_max),
        status_key: if open {
            "public.status.open"
        } else {
            "public.status.closed"
        },
        open,
        posted,
        company_public: company.status() == crate::employers::VerificationStatus::Verified,
        company_place: place_name(company.kelurahan_code.as_deref(), &company.regency_code),
        similar: similar
            .into_iter()
            .map(|h| SimilarView {
                place: place_name(h.kelurahan_code.as_deref(), &h.regency_code),
                id: h.id,
                title: h.title,
                company: h.company_name,
            })
            .collect(),
        facts,
        vacancy,
        company,
        url,
        whatsapp_href,
        json_ld,
        ctx,
    };
    render(&page, StatusCode::OK)
}
