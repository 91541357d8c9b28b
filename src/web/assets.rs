//! Static files compiled into the binary, so one file is the whole portal.
//!
//! Each URL carries a hash of the file's content (`/static/app.css?v=…`), so browsers may
//! keep a file for a year and still fetch a new one the moment it changes: on a slow
//! phone connection the second page load then costs no CSS at all.
//!
//! A text file is compressed once, at its first request, at gzip's best level, and that
//! copy goes to every client that takes gzip. Each variant has its own entity tag (the
//! gzip one ends in `-gz`), so a revalidation answers 304 only for the variant the client
//! holds.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use actix_web::http::header::{self, ETag, EntityTag, HeaderValue, IfNoneMatch};
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, HttpResponseBuilder, web};

use super::compress;
use super::errors::error_page;

struct Asset {
    bytes: &'static [u8],
    content_type: &'static str,
    version: String,
    /// The gzip of `bytes`, made at first use; `None` for a file it does not shrink.
    gzip: OnceLock<Option<Bytes>>,
}

impl Asset {
    fn compressible(&self) -> bool {
        compress::is_text(self.content_type)
    }

    fn gzipped(&self) -> Option<&Bytes> {
        self.gzip
            .get_or_init(|| {
                if !self.compressible() {
                    return None;
                }
                let packed = compress::gzip_at(self.bytes, flate2::Compression::best()).ok()?;
                (packed.len() < self.bytes.len()).then(|| Bytes::from(packed))
            })
            .as_ref()
    }
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
        "js/errors.js",
        include_bytes!("../../static/js/errors.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "js/filters.js",
        include_bytes!("../../static/js/filters.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "js/print.js",
        include_bytes!("../../static/js/print.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "js/progress.js",
        include_bytes!("../../static/js/progress.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "js/job-progress.js",
        include_bytes!("../../static/js/job-progress.js"),
        "text/javascript; charset=utf-8",
    ),
    // The door's and the booth's ticket scanner (issue 20): jsQR decodes where the
    // browser has no BarcodeDetector (Safari, Firefox).
    (
        "js/ticket-scan.js",
        include_bytes!("../../static/js/ticket-scan.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "vendor/jsqr.js",
        include_bytes!("../../static/vendor/jsqr.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "favicon.svg",
        include_bytes!("../../static/img/logo.svg"),
        "image/svg+xml",
    ),
];

fn registry() -> &'static HashMap<&'static str, Asset> {
    static REGISTRY: OnceLock<HashMap<&'static str, Asset>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, bytes, content_type)| {
                let mut h = DefaultHasher::new();
                bytes.hash(&mut h);
                let asset = Asset {
                    bytes,
                    content_type,
                    version: format!("{:012x}", h.finish() & 0xffff_ffff_ffff),
                    gzip: OnceLock::new(),
                };
                (*name, asset)
            })
            .collect()
    })
}

/// The URL of a static file with its content version.
pub fn url(name: &str) -> String {
    match registry().get(name) {
        Some(asset) => format!("/static/{name}?v={}", asset.version),
        None => format!("/static/{name}"),
    }
}

pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = registry().get(name.as_str()) else {
        return error_page(&req, actix_web::http::StatusCode::NOT_FOUND);
    };
    let gzip = if compress::accepts_gzip(&req) {
        asset.gzipped()
    } else {
        None
    };
    let etag = match gzip {
        Some(_) => EntityTag::new_strong(format!("{}-gz", asset.version)),
        None => EntityTag::new_strong(asset.version.clone()),
    };
    let held = match req.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(&etag)),
        None => false,
    };
    let mut res = if held {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    cache_headers(&mut res, asset, etag);
    if held {
        return res.finish();
    }
    res.content_type(asset.content_type);
    match gzip {
        Some(packed) => res
            .insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")))
            .body(packed.clone()),
        None => res.body(asset.bytes),
    }
}

/// What a 304 repeats from the 200 it stands for.
fn cache_headers(res: &mut HttpResponseBuilder, asset: &Asset, etag: EntityTag) {
    res.insert_header(ETag(etag)).insert_header((
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    ));
    if asset.compressible() {
        res.insert_header((header::VARY, HeaderValue::from_static("accept-encoding")));
    }
}
