//! Static files compiled into the binary, so one file is the whole portal.
//!
//! Each URL carries a hash of the file's content (`/static/app.css?v=…`), so browsers may
//! keep a file for a year and still fetch a new one the moment it changes: on a slow
//! phone connection the second page load then costs no CSS at all.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use super::errors::error_page;

struct Asset {
    bytes: &'static [u8],
    content_type: &'static str,
}

const FILES: &[(&str, &[u8], &str)] = &[
    (
        "vendor/pico.min.css",
        include_bytes!("../../static/vendor/pico.min.css"),
        "text/css; charset=utf-8",
    ),
    (
        "css/app.css",
        include_bytes!("../../static/css/app.css"),
        "text/css; charset=utf-8",
    ),
    (
        "css/ak1-print.css",
        include_bytes!("../../static/css/ak1-print.css"),
        "text/css; charset=utf-8",
    ),
    (
        "img/logo.svg",
        include_bytes!("../../static/img/logo.svg"),
        "image/svg+xml",
    ),
    (
        "js/share.js",
        include_bytes!("../../static/js/share.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "js/print.js",
        include_bytes!("../../static/js/print.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "favicon.svg",
        include_bytes!("../../static/img/logo.svg"),
        "image/svg+xml",
    ),
];

struct Registry {
    files: HashMap<&'static str, Asset>,
    versions: HashMap<&'static str, String>,
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut files = HashMap::new();
        let mut versions = HashMap::new();
        for (name, bytes, content_type) in FILES {
            let mut h = DefaultHasher::new();
            bytes.hash(&mut h);
            versions.insert(*name, format!("{:012x}", h.finish() & 0xffff_ffff_ffff));
            files.insert(
                *name,
                Asset {
                    bytes,
                    content_type,
                },
            );
        }
        Registry { files, versions }
    })
}

/// The URL of a static file with its content version.
pub fn url(name: &str) -> String {
    match registry().versions.get(name) {
        Some(v) => format!("/static/{name}?v={v}"),
        None => format!("/static/{name}"),
    }
}

pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = registry().files.get(name.as_str()) else {
        return error_page(&req, actix_web::http::StatusCode::NOT_FOUND);
    };
    HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .body(asset.bytes)
}
