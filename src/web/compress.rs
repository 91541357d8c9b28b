//! gzip for the responses that gain from it: compressed in one piece and sent with its length.
//!
//! actix-web's own `Compress` turned every body into a chunked stream, compressed it on the
//! blocking pool and wrote it out in pieces; on a keep-alive connection the last small piece
//! then waited for the client's delayed ACK (Nagle's algorithm), about 40 ms per response.
//! Here a body that is already complete (a page, JSON, text) is compressed at once, so the
//! head and the body leave in one write. A streamed body (a file download) and a response that
//! chose its own encoding or entity tag (the static files, see [`super::assets`]) pass
//! through untouched.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{LazyLock, Mutex};

use actix_web::HttpMessage;
use actix_web::body::{BodySize, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, AcceptEncoding, Encoding, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

/// A body smaller than this fits in one packet with its headers either way.
const MIN_SIZE: u64 = 1024;

/// The fastest level, since every page is compressed anew: zlib-rs packs the 17 KB search
/// page into 5.4 KB in a quarter of the time level 6 takes for 4.0 KB. It runs inline: for
/// pages of this size the hand-off to the blocking pool cost more than the compression.
const LEVEL: u32 = 1;

/// How many anonymous pages keep their last gzip (a few MB at most).
const MEMO_PAGES: usize = 128;

/// The last body of each anonymous page (by URL) with its gzip. Most visitors are not
/// signed in and get the same bytes (the home page, a vacancy, the first page of a search)
/// until the data changes; for them a byte comparison replaces the compression, which cost
/// more than rendering the page. The body is compared in full, so a changed page is
/// compressed anew and nothing stale is ever sent. Signed-in users' pages are not kept.
static MEMO: LazyLock<Mutex<HashMap<String, (Bytes, Bytes)>>> =
    LazyLock::new(|| Mutex::new(HashMap::with_capacity(MEMO_PAGES)));

pub async fn gzip_responses(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static, Bytes>>, actix_web::Error> {
    let res = next.call(req).await?;
    let big = matches!(res.response().body().size(), BodySize::Sized(n) if n >= MIN_SIZE);
    if !big || !may_compress(res.status(), res.headers()) {
        return Ok(res.map_into_left_body());
    }
    let wanted = accepts_gzip(res.request());
    let memo_key = (wanted && is_anonymous(res.request())).then(|| res.request().uri().to_string());
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let plain = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(stream) => {
            return Ok(ServiceResponse::new(req, res.set_body(stream)).map_into_left_body());
        }
    };
    // Both variants say that they depend on the header, so that no cache hands the
    // compressed one to a client that cannot read it.
    add_vary_accept_encoding(res.headers_mut());
    let compressed = match memo_key {
        Some(key) => memo_gzip(key, &plain),
        None if wanted => gzip(&plain).ok().map(Bytes::from),
        None => None,
    };
    let body = match compressed {
        Some(compressed) if compressed.len() < plain.len() => {
            let headers = res.headers_mut();
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            headers.remove(header::CONTENT_LENGTH);
            compressed
        }
        _ => plain,
    };
    Ok(ServiceResponse::new(req, res.set_body(body)).map_into_right_body())
}

/// The gzip of an anonymous page: the one made last time if the body is the same.
fn memo_gzip(key: String, plain: &Bytes) -> Option<Bytes> {
    let known = MEMO.lock().ok().and_then(|memo| memo.get(&key).cloned());
    if let Some((body, compressed)) = known
        && body == plain
    {
        return Some(compressed);
    }
    let compressed = Bytes::from(gzip(plain).ok()?);
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= MEMO_PAGES && !memo.contains_key(&key) {
            // Any page may go: the popular ones come straight back.
            let evicted = memo.keys().next().cloned();
            evicted.map(|k| memo.remove(&k));
        }
        memo.insert(key, (plain.clone(), compressed.clone()));
    }
    Some(compressed)
}

/// A request without a session or an API key: its page holds nothing of a user, and no
/// partner's records stay in memory after their answer.
fn is_anonymous(req: &actix_web::HttpRequest) -> bool {
    req.cookie(super::session::SESSION_COOKIE)
        .is_none_or(|c| c.value().is_empty())
        && !req.headers().contains_key(header::AUTHORIZATION)
}

/// Whether the client takes gzip: named with a quality above zero, and not merely through `*`.
pub fn accepts_gzip(req: &impl HttpMessage) -> bool {
    req.get_header::<AcceptEncoding>().is_some_and(|accept| {
        accept.negotiate([Encoding::gzip(), Encoding::identity()].iter()) == Some(Encoding::gzip())
    })
}

/// Whether the body is text that this middleware may replace by its gzip. A response with
/// an entity tag is left alone: its handler chose its variants (and their tags) itself.
fn may_compress(status: StatusCode, headers: &HeaderMap) -> bool {
    let text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_text);
    text && status != StatusCode::PARTIAL_CONTENT
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !headers.contains_key(header::CONTENT_RANGE)
        && !headers.contains_key(header::ETAG)
}

/// Pages, JSON, XML feeds, CSV and the like; not images, PDFs or archives, which are
/// compressed already.
pub fn is_text(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("+xml")
        || essence.ends_with("+json")
        || matches!(
            essence.as_str(),
            "application/json" | "application/xml" | "application/javascript"
        )
}

/// Adds `accept-encoding` to `Vary` unless it is there already.
fn add_vary_accept_encoding(headers: &mut HeaderMap) {
    let named = headers.get_all(header::VARY).any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',').any(|name| {
                matches!(name.trim(), "*") || name.trim().eq_ignore_ascii_case("accept-encoding")
            })
        })
    });
    if !named {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// The gzip of a whole body, in one go.
fn gzip(plain: &[u8]) -> std::io::Result<Vec<u8>> {
    gzip_at(plain, flate2::Compression::new(LEVEL))
}

pub(super) fn gzip_at(plain: &[u8], level: flate2::Compression) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(plain.len() / 4), level);
    encoder.write_all(plain)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use actix_web::test::TestRequest;

    use super::*;

    fn accepts(value: &str) -> bool {
        accepts_gzip(
            &TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, value))
                .to_http_request(),
        )
    }

    #[test]
    fn gzip_only_when_named_with_a_quality_above_zero() {
        assert!(accepts("gzip"));
        assert!(accepts("gzip, deflate, br, zstd"));
        assert!(accepts("br;q=1.0, gzip;q=0.8, *;q=0.1"));
        assert!(!accepts("gzip;q=0"));
        assert!(!accepts("identity"));
        assert!(!accepts("br"));
        assert!(!accepts("*"));
        assert!(!accepts_gzip(&TestRequest::default().to_http_request()));
    }

    #[test]
    fn text_types_only() {
        for ct in [
            "text/html; charset=utf-8",
            "text/css; charset=utf-8",
            "application/json",
            "application/atom+xml; charset=utf-8",
            "image/svg+xml",
            "text/csv",
        ] {
            assert!(is_text(ct), "{ct}");
        }
        for ct in ["application/pdf", "image/png", "application/zip", ""] {
            assert!(!is_text(ct), "{ct}");
        }
    }

    #[test]
    fn vary_is_named_once() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Encoding"),
        );
        add_vary_accept_encoding(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 1);
        let mut headers = HeaderMap::new();
        add_vary_accept_encoding(&mut headers);
        add_vary_accept_encoding(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 1);
    }

    fn gunzip(bytes: &[u8]) -> String {
        let mut back = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut back)
            .unwrap();
        back
    }

    #[test]
    fn a_remembered_gzip_is_only_sent_for_the_same_body() {
        let key = "/memo-test?q=kasir".to_owned();
        let before = Bytes::from("<p>Lowongan lama</p>\n".repeat(100));
        let first = memo_gzip(key.clone(), &before).unwrap();
        let again = memo_gzip(key.clone(), &before).unwrap();
        assert_eq!(
            first.as_ptr(),
            again.as_ptr(),
            "the same body was compressed twice"
        );
        let after = Bytes::from("<p>Lowongan baru</p>\n".repeat(100));
        let changed = memo_gzip(key, &after).unwrap();
        assert_eq!(gunzip(&changed), std::str::from_utf8(&after).unwrap());
        assert_eq!(gunzip(&first), std::str::from_utf8(&before).unwrap());
    }

    #[test]
    fn gzip_round_trips() {
        let page = "<p>Lowongan kerja di Binjai</p>\n".repeat(200);
        let mut back = String::new();
        flate2::read::GzDecoder::new(gzip(page.as_bytes()).unwrap().as_slice())
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
    }
}
