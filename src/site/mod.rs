//! The public face that belongs to no single feature: home, about, the language switch,
//! and the health probes.

pub mod crawlers;
mod figures;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::db;
use crate::reference::regions;
use crate::search::Choice;
use crate::vacancies::public::{HitView, hit_view};
use crate::web::format;
use crate::web::i18n::lang_cookie;
use crate::web::{AppError, AppState, Lang, PageCtx};

pub use figures::{Figure, FiguresCache, Headline, headline_figures};

struct FigureView {
    label_key: &'static str,
    value: String,
}

/// A browse link: a kecamatan or job group and how many vacancies are open there.
struct BrowseLink {
    href: String,
    label: String,
    count: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "site/home.html")]
pub struct HomePage {
    ctx: PageCtx,
    figures: Vec<FigureView>,
    as_of_text: String,
    newest: Vec<HitView>,
    by_place: Vec<BrowseLink>,
    by_group: Vec<BrowseLink>,
}

pub async fn home(
    ctx: PageCtx,
    state: web::Data<AppState>,
    figures: web::Data<FiguresCache>,
    boards: web::Data<crate::vacancies::search::BoardCache>,
) -> Result<HomePage, AppError> {
    // Only a stale cache costs a database connection.
    let headline = match figures.fresh().or_else(|| figures.stale_while_counting()) {
        Some(headline) => headline,
        None => {
            let cache = figures.clone();
            state
                .db(move |conn| Ok(cache.fresh_or_recount(conn, &boards)?))
                .await?
        }
    };
    let lang = ctx.lang;
    let figures = headline
        .figures
        .iter()
        .map(|f| FigureView {
            label_key: f.label_key,
            value: format::number(lang, f.value),
        })
        .collect();
    let today = crate::domain::calendar::today();
    let as_of_text = ctx.tf(
        "home.figures.as_of",
        &[("date", &format::date(lang, today))],
    );
    let by_place = headline
        .facets
        .places
        .iter()
        .map(|c| BrowseLink {
            href: format!("/lowongan?kecamatan={}", c.value.code()),
            label: c.value.label(&ctx),
            count: format::number(lang, c.count),
        })
        .collect();
    let by_group = headline
        .facets
        .groups
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| BrowseLink {
            href: format!("/lowongan?golongan={}", c.value.code),
            label: c.value.name(lang).to_owned(),
            count: format::number(lang, c.count),
        })
        .collect();
    let newest = headline.newest.iter().map(|h| hit_view(&ctx, h)).collect();
    Ok(HomePage {
        ctx,
        figures,
        as_of_text,
        newest,
        by_place,
        by_group,
    })
}

struct KecamatanView {
    code: &'static str,
    name: &'static str,
    kelurahan: Vec<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "site/about.html")]
pub struct AboutPage {
    ctx: PageCtx,
    scope_keys: [&'static str; 8],
    kecamatan: Vec<KecamatanView>,
}

pub async fn about(ctx: PageCtx) -> AboutPage {
    let kecamatan = regions::binjai_kecamatan()
        .map(|kec| KecamatanView {
            code: kec.code,
            name: kec.name,
            kelurahan: regions::children(kec.code).map(|k| k.name).collect(),
        })
        .collect();
    AboutPage {
        ctx,
        // The eight kinds of data named in Pasal 4 of the agreement.
        scope_keys: [
            "about.scope.job_seekers",
            "about.scope.vacancies",
            "about.scope.employers",
            "about.scope.employed",
            "about.scope.training",
            "about.scope.placements",
            "about.scope.wlkp",
            "about.scope.jkp",
        ],
        kecamatan,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "site/help.html")]
pub struct HelpPage {
    ctx: PageCtx,
    /// Anchor, question and answer (translation keys).
    questions: [(&'static str, &'static str, &'static str); 8],
}

/// `/bantuan`: the questions residents and companies ask at the counter, answered, and how
/// to reach the office.
pub async fn help(ctx: PageCtx) -> HelpPage {
    HelpPage {
        ctx,
        questions: [
            ("kartu-ak1", "help.q.ak1_what", "help.a.ak1_what"),
            ("cara-mendapatkan", "help.q.ak1_how", "help.a.ak1_how"),
            ("yang-dibawa", "help.q.ak1_bring", "help.a.ak1_bring"),
            ("berapa-lama", "help.q.ak1_time", "help.a.ak1_time"),
            ("lapor-diri", "help.q.ak1_report", "help.a.ak1_report"),
            ("sudah-bekerja", "help.q.found_work", "help.a.found_work"),
            ("tanpa-internet", "help.q.no_internet", "help.a.no_internet"),
            ("perusahaan", "help.q.company", "help.a.company"),
        ],
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "site/privacy.html")]
pub struct PrivacyPage {
    ctx: PageCtx,
    sections: [(&'static str, &'static str); 7],
}

/// The privacy notice people agree to when they sign up (UU 27/2022 on personal data).
pub async fn privacy(ctx: PageCtx) -> PrivacyPage {
    PrivacyPage {
        ctx,
        sections: [
            ("privacy.data.heading", "privacy.data.text"),
            ("privacy.purpose.heading", "privacy.purpose.text"),
            ("privacy.sharing.heading", "privacy.sharing.text"),
            ("privacy.access.heading", "privacy.access.text"),
            ("privacy.retention.heading", "privacy.retention.text"),
            ("privacy.rights.heading", "privacy.rights.text"),
            ("privacy.breach.heading", "privacy.breach.text"),
        ],
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back. A plain link, so it works without JavaScript;
/// it changes only a preference, so it needs no CSRF token.
pub async fn switch_language(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<SwitchQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::from_code(&code).ok_or(AppError::NotFound)?;
    let next = safe_local_path(query.next.as_deref());
    let cookie = lang_cookie(lang, state.settings.is_https());
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, next))
        .finish())
}

/// Only a path on this site: never `//host` or `https://…`, which would make the switch an
/// open redirect.
pub fn safe_local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The process is alive. Touches nothing else, so a slow database never restarts it.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"status":"ok"}"#)
}

/// The portal can serve: the database answers a query.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.settings.database_url.backend_name();
    let result = state.db(|conn| Ok(db::ping(conn)?)).await;
    let (mut builder, status) = match result {
        Ok(()) => (HttpResponse::Ok(), "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (HttpResponse::ServiceUnavailable(), "unavailable")
        }
    };
    builder
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "status": status, "database": backend }))
}

#[cfg(test)]
mod tests {
    use super::safe_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_local_path(Some("/tentang?x=1")), "/tentang?x=1");
        assert_eq!(safe_local_path(Some("//evil.example")), "/");
        assert_eq!(safe_local_path(Some("https://evil.example")), "/");
        assert_eq!(safe_local_path(Some("/\\evil.example")), "/");
        assert_eq!(safe_local_path(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(safe_local_path(None), "/");
    }
}
