//! For search engines: robots.txt and a sitemap of the open vacancies, the verified
//! companies, the open training programmes and the open data sets, so that a resident searching the web lands
//! on the vacancy or the programme itself.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::web::{AppError, AppState};

/// The sitemap protocol's limit per file. Binjai's open vacancies and companies are a few
/// thousand; past the limit the newest are kept (a sitemap index would be the next step).
const MAX_URLS: i64 = 50_000;

struct Url {
    loc: String,
    lastmod: String,
}

#[derive(Template)]
#[template(path = "site/sitemap.xml")]
struct Sitemap {
    urls: Vec<Url>,
}

pub async fn sitemap(
    state: web::Data<AppState>,
    cache: web::Data<crate::training::search::ProgrammeCache>,
) -> Result<HttpResponse, AppError> {
    let today = crate::domain::calendar::today();
    let (open, verified, programmes) = state
        .db(move |conn| {
            let open = crate::vacancies::sitemap_entries(conn, today, MAX_URLS / 2)?;
            let verified = crate::employers::sitemap_entries(conn, MAX_URLS / 2 - 1010)?;
            // Open programmes are a few hundred at most.
            let programmes = crate::training::public::sitemap_entries(conn, &cache, 1000)?;
            Ok((open, verified, programmes))
        })
        .await?;
    let base = &state.settings.base_url;
    let today = today.to_string();
    let mut urls: Vec<Url> = ["/", "/lowongan", "/pelatihan", "/tentang", "/privasi"]
        .iter()
        .map(|p| Url {
            loc: format!("{base}{p}"),
            lastmod: today.clone(),
        })
        .collect();
    // The open-data pages change when a month is closed, at most monthly.
    urls.extend(crate::open_data::sitemap_paths().map(|p| Url {
        loc: format!("{base}{p}"),
        lastmod: today.clone(),
    }));
    urls.extend(open.into_iter().map(|(id, at)| Url {
        loc: format!("{base}/lowongan/{id}"),
        lastmod: crate::domain::calendar::date_of(at).to_string(),
    }));
    urls.extend(verified.into_iter().map(|(id, at)| Url {
        loc: format!("{base}/perusahaan/{id}"),
        lastmod: crate::domain::calendar::date_of(at).to_string(),
    }));
    urls.extend(programmes.into_iter().map(|(id, at)| Url {
        loc: format!("{base}/pelatihan/{id}"),
        lastmod: crate::domain::calendar::date_of(at).to_string(),
    }));
    let body = Sitemap { urls }.render().map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body))
}

/// Crawlers may read the public pages; account, staff and employer pages are no use to
/// them, and search result pages are endless combinations of the same vacancies.
pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    let body = format!(
        "User-agent: *\n\
         Disallow: /admin/\n\
         Disallow: /petugas/\n\
         Disallow: /akun\n\
         Disallow: /masuk\n\
         Disallow: /daftar\n\
         Disallow: /lupa-sandi\n\
         Disallow: /atur-sandi/\n\
         Disallow: /undangan/\n\
         Disallow: /verifikasi/\n\
         Disallow: /keluar\n\
         Disallow: /bahasa/\n\
         Disallow: /perusahaan/profil\n\
         Disallow: /perusahaan/lowongan\n\
         Disallow: /perusahaan/pengguna\n\
         Disallow: /lembaga/\n\
         Disallow: /lowongan?\n\
         Allow: /lowongan/\n\
         Disallow: /pelatihan?\n\
         Allow: /pelatihan/\n\
         \n\
         Sitemap: {}/sitemap.xml\n",
        state.settings.base_url
    );
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(body)
}
