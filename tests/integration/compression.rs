//! Compressed responses as a browser receives them: gzip only when asked for, in one piece
//! with its length (never a chunked stream), the same page once unpacked, and static files
//! compressed ahead with an entity tag of their own.

use std::io::Read as _;

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::header::HeaderMap;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self as atest, TestRequest};
use actix_web::web::Bytes;

use crate::common::{TestApp, seed_demo};

const PICO: &[u8] = include_bytes!("../../static/vendor/pico.min.css");

struct Fetched {
    status: StatusCode,
    headers: HeaderMap,
    /// What the server puts in `Content-Length`; `None` for a chunked (streamed) body.
    length: Option<u64>,
    body: Bytes,
}

impl Fetched {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn varies_on_encoding(&self) -> bool {
        self.headers
            .get_all("vary")
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    }

    /// The body as the browser shows it, unpacked when it came gzipped.
    fn unpacked(&self) -> Vec<u8> {
        match self.header("content-encoding") {
            Some("gzip") => {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut plain)
                    .expect("a valid gzip body");
                plain
            }
            None => self.body.to_vec(),
            Some(other) => panic!("unexpected content-encoding {other}"),
        }
    }
}

async fn fetch(app: &TestApp, req: TestRequest) -> Fetched {
    let service = atest::init_service(sibuser::build_app(app.portal.clone())).await;
    let res = atest::call_service(&service, req.to_request()).await;
    let length = match res.response().body().size() {
        BodySize::Sized(n) => Some(n),
        BodySize::None => Some(0),
        BodySize::Stream => None,
    };
    Fetched {
        status: res.status(),
        headers: res.headers().clone(),
        length,
        body: atest::read_body(res).await,
    }
}

fn get(path: &str, accept_encoding: Option<&str>) -> TestRequest {
    let req = TestRequest::get().uri(path);
    match accept_encoding {
        Some(value) => req.insert_header(("Accept-Encoding", value)),
        None => req,
    }
}

db_test!(pages_come_gzipped_in_one_piece_when_asked, |app| {
    seed_demo(&app);
    for path in ["/", "/lowongan", "/pelatihan", "/tentang"] {
        let plain = fetch(&app, get(path, None)).await;
        let packed = fetch(&app, get(path, Some("gzip, deflate, br, zstd"))).await;
        assert_eq!(packed.status, StatusCode::OK, "{path}");
        assert_eq!(packed.header("content-encoding"), Some("gzip"), "{path}");
        assert_eq!(
            packed.length,
            Some(packed.body.len() as u64),
            "{path}: a Content-Length, not a chunked stream"
        );
        assert!(packed.body.len() < plain.body.len(), "{path}");
        assert!(packed.varies_on_encoding(), "{path}");
        assert!(
            packed.unpacked() == plain.body,
            "{path}: the same page unpacked"
        );
        // The security headers survive the compression.
        assert!(packed.header("content-security-policy").is_some(), "{path}");
        assert!(packed.header("x-request-id").is_some(), "{path}");
        // The plain variant says that another one exists.
        assert_eq!(plain.header("content-encoding"), None, "{path}");
        assert!(plain.varies_on_encoding(), "{path}");
        assert_eq!(plain.length, Some(plain.body.len() as u64), "{path}");
    }
});

db_test!(clients_that_do_not_take_gzip_get_plain_text, |app| {
    let plain = fetch(&app, get("/tentang", None)).await;
    for refusal in ["gzip;q=0", "identity", "br", "*", "gzip;q=0, identity"] {
        let res = fetch(&app, get("/tentang", Some(refusal))).await;
        assert_eq!(res.status, StatusCode::OK, "{refusal}");
        assert_eq!(res.header("content-encoding"), None, "{refusal}");
        assert!(res.body == plain.body, "{refusal}: the same page");
    }
});

db_test!(error_pages_are_compressed_too, |app| {
    let res = fetch(&app, get("/tidak-ada", Some("gzip"))).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.header("content-encoding"), Some("gzip"));
    assert_eq!(res.length, Some(res.body.len() as u64));
    let page = String::from_utf8(res.unpacked()).unwrap();
    assert!(page.contains("<html lang=\"id\">"), "{page}");
    assert!(res.header("content-security-policy").is_some());
});

db_test!(static_files_come_precompressed_with_their_length, |app| {
    let packed = fetch(&app, get("/static/vendor/pico.min.css", Some("gzip"))).await;
    assert_eq!(packed.status, StatusCode::OK);
    assert_eq!(packed.header("content-encoding"), Some("gzip"));
    assert_eq!(packed.length, Some(packed.body.len() as u64));
    assert_eq!(packed.unpacked(), PICO);
    assert!(packed.varies_on_encoding());
    assert_eq!(
        packed.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let plain = fetch(&app, get("/static/vendor/pico.min.css", Some("identity"))).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, PICO);
    assert_eq!(plain.length, Some(PICO.len() as u64));
    assert!(plain.varies_on_encoding());
    // Two representations, two entity tags: a cache never takes one for the other.
    let (gz_tag, plain_tag) = (packed.header("etag"), plain.header("etag"));
    assert!(gz_tag.is_some() && plain_tag.is_some());
    assert_ne!(gz_tag, plain_tag);
});

db_test!(
    revalidating_a_static_file_answers_304_for_the_variant_held,
    |app| {
        let path = "/static/css/app.css";
        for accept in [Some("gzip"), None] {
            let first = fetch(&app, get(path, accept)).await;
            let etag = first.header("etag").expect("an entity tag").to_owned();
            let again = fetch(
                &app,
                get(path, accept).insert_header(("If-None-Match", etag.as_str())),
            )
            .await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{accept:?}");
            assert!(again.body.is_empty());
            assert_eq!(again.header("etag"), Some(etag.as_str()));
            assert!(again.header("cache-control").is_some());
            assert!(again.varies_on_encoding());
            assert_eq!(again.header("content-encoding"), None);
        }
        // The plain copy's tag does not stand for the gzip one.
        let plain = fetch(&app, get(path, None)).await;
        let other = fetch(
            &app,
            get(path, Some("gzip")).insert_header(("If-None-Match", plain.header("etag").unwrap())),
        )
        .await;
        assert_eq!(other.status, StatusCode::OK);
        assert_eq!(other.header("content-encoding"), Some("gzip"));
    }
);

db_test!(head_answers_what_get_would, |app| {
    for (path, accept) in [
        ("/tentang", Some("gzip")),
        ("/tentang", None),
        ("/static/css/app.css", Some("gzip")),
    ] {
        let get = fetch(&app, get(path, accept)).await;
        let mut head = TestRequest::default().method(Method::HEAD).uri(path);
        if let Some(value) = accept {
            head = head.insert_header(("Accept-Encoding", value));
        }
        let head = fetch(&app, head).await;
        assert_eq!(head.status, get.status, "{path} {accept:?}");
        assert_eq!(head.length, get.length, "{path} {accept:?}");
        assert_eq!(
            head.header("content-encoding"),
            get.header("content-encoding"),
            "{path} {accept:?}"
        );
    }
});
