//! Pages as a visitor sees them: language, layout, errors, headers, static files.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

use crate::common::{Backend, TestApp};

db_test!(home_page_is_indonesian_by_default, |app| {
    let res = app.get("/").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains(r#"<html lang="id">"#);
    res.assert_contains("Cari kerja dan pelatihan di Kota Binjai");
    res.assert_contains("Jalan Perintis Kemerdekaan No. 113");
    // The switch offers the other language and comes back here.
    res.assert_contains(r#"href="/bahasa/en?next=%2F""#);
});

db_test!(browser_preference_and_cookie_choose_english, |app| {
    let res = app
        .request(
            TestRequest::get()
                .uri("/")
                .insert_header(("Accept-Language", "en-GB,en;q=0.9")),
        )
        .await;
    res.assert_contains(r#"<html lang="en">"#);
    res.assert_contains("Find work and training in Binjai");

    // An explicit choice wins over the browser.
    let res = app
        .request(
            TestRequest::get()
                .uri("/tentang")
                .insert_header(("Accept-Language", "en"))
                .cookie(actix_web::cookie::Cookie::new("lang", "id")),
        )
        .await;
    res.assert_contains("Tentang SIBUSER");
});

db_test!(language_switch_sets_cookie_and_returns, |app| {
    let res = app.get("/bahasa/en?next=%2Ftentang%3Fa%3D1").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/tentang?a=1"));
    let cookie = res.header("set-cookie").expect("a language cookie");
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    // Never an open redirect.
    let res = app.get("/bahasa/id?next=%2F%2Fevil.example").await;
    assert_eq!(res.header("location"), Some("/"));
    // An unknown language is a missing page, not a cookie.
    let res = app.get("/bahasa/fr").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.header("set-cookie").is_none());
});

db_test!(home_page_counts_registered_people, |app| {
    crate::common::with_conn(&app, |conn| {
        sibuser::demo::seed(conn, sibuser::demo::Scale::Small).expect("seed");
    });
    let res = app.get("/").await;
    // 60 generated job seekers plus the demo job-seeker login.
    res.assert_contains(r#"<p class="figure-value">61</p>"#);
    res.assert_contains(r#"<p class="figure-value">37</p>"#);
});

db_test!(about_page_lists_the_agreement_scope_and_regions, |app| {
    let res = app.get("/tentang").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Wajib Lapor Ketenagakerjaan di Perusahaan (WLKP)");
    res.assert_contains("Jaminan Kehilangan Pekerjaan (JKP)");
    res.assert_contains("Binjai Selatan");
    res.assert_contains("Jati Makmur");
    // Linked from every page's footer.
    res.assert_contains(r#"<a href="/tentang">Tentang</a>"#);
});

db_test!(unknown_url_gets_the_404_page_in_the_layout, |app| {
    let res = app.get("/tidak-ada/sama/sekali?x=%3Cscript%3E").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
    res.assert_contains("Halaman tidak ditemukan");
    res.assert_contains(r#"class="site-header""#);
    // The path comes back only encoded (in the language switch link), never decoded.
    res.assert_lacks("<script>");

    let res = app
        .request(
            TestRequest::get()
                .uri("/nope")
                .insert_header(("Accept-Language", "en")),
        )
        .await;
    res.assert_contains("Page not found");
});

db_test!(wrong_method_gets_a_page_not_a_crash, |app| {
    let res = app.request(TestRequest::post().uri("/healthz")).await;
    assert!(res.status.is_client_error(), "{}", res.status);
    res.assert_contains(r#"class="site-header""#);
});

db_test!(bad_query_string_gets_the_400_page, |app| {
    // `next` must be text; a repeated key in a struct-shaped query is rejected by serde.
    let res = app.get("/bahasa/en?next=a&next=b").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    res.assert_contains("Permintaan tidak dapat diproses");
});

db_test!(security_headers_on_pages_and_errors, |app| {
    for path in ["/", "/tidak-ada", "/static/css/app.css", "/healthz"] {
        let res = app.get(path).await;
        let csp = res.header("content-security-policy").expect(path);
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            res.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{path}"
        );
        // Plain http in tests: no HSTS, or a developer's browser would be locked out.
        assert!(res.header("strict-transport-security").is_none(), "{path}");
    }
});

#[actix_web::test]
async fn hsts_is_sent_when_the_base_url_is_https() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("SIBUSER_BASE_URL", "https://sibuser.binjaikota.go.id")],
    )
    .await
    .unwrap();
    let res = app.get("/").await;
    assert_eq!(
        res.header("strict-transport-security"),
        Some("max-age=31536000; includeSubDomains")
    );
}

db_test!(pages_carry_no_inline_script_or_style, |app| {
    for path in ["/", "/tentang", "/tidak-ada"] {
        let res = app.get(path).await;
        res.assert_lacks("<script");
        res.assert_lacks("<style");
        res.assert_lacks(" style=");
    }
});

db_test!(static_files_are_versioned_and_cached, |app| {
    let home = app.get("/").await;
    let start = home
        .body
        .find("/static/css/app.css?v=")
        .expect("versioned CSS link");
    let href: String = home.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let res = app.get(&href).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        res.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let res = app.get("/static/../Cargo.toml").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app.get("/static/nope.css").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
});

db_test!(responses_are_compressed_for_slow_connections, |app| {
    let res = app
        .request(
            TestRequest::get()
                .uri("/static/vendor/pico.min.css")
                .insert_header(("Accept-Encoding", "gzip")),
        )
        .await;
    assert_eq!(res.header("content-encoding"), Some("gzip"));
});

db_test!(every_response_names_its_request_id, |app| {
    let res = app.get("/").await;
    let id = res.header("x-request-id").expect("request id header");
    assert_eq!(id.len(), 36, "{id}");
});

db_test!(health_and_readiness, |app| {
    let res = app.get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    let res = app.get("/readyz").await;
    assert_eq!(res.status, StatusCode::OK);
    let expected = match app.backend {
        Backend::Sqlite => r#""database":"sqlite""#,
        Backend::Postgres => r#""database":"postgres""#,
    };
    res.assert_contains(expected);
    res.assert_contains(r#""status":"ready""#);
});

db_test!(a_database_failure_is_a_500_page_without_details, |app| {
    // Break the database under the running app: the home page's query fails.
    crate::common::with_conn(&app, |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("DROP TABLE user_roles")
            .execute(conn)
            .expect("drop");
    });
    let res = app.get("/").await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    res.assert_contains("Terjadi kesalahan pada sistem");
    res.assert_contains("Kode rujukan untuk petugas");
    res.assert_lacks("user_roles");
    res.assert_lacks("no such table");
    res.assert_lacks("does not exist");
    let id = res.header("x-request-id").expect("request id").to_owned();
    res.assert_contains(&id);
});

db_test!(
    the_privacy_notice_is_linked_from_sign_up_and_names_the_rights,
    |app| {
        let signup = app.get("/daftar").await;
        signup.assert_contains(r#"<a href="/privasi">pemberitahuan privasi</a>"#);
        let res = app.get("/privasi").await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_contains("Undang-Undang Nomor 27 Tahun 2022");
        res.assert_contains("3 x 24 jam");
        res.assert_contains("menarik persetujuan");
    }
);

db_test!(the_help_page_answers_the_counter_questions, |app| {
    let res = app.get("/bantuan").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Bagaimana cara mendapatkan kartu AK/I?");
    res.assert_contains("dua pas foto berwarna ukuran 3×4");
    res.assert_contains("<details id=\"yang-dibawa\">");
    // Every page says whose site it is and links the help; the home page's visit section
    // leads to what to bring, and its service cards have their buttons.
    let home = app.get("/").await;
    home.assert_contains("Situs resmi Pemerintah Kota Binjai");
    home.assert_contains("<a href=\"/bantuan\">Bantuan</a>");
    home.assert_contains("href=\"/bantuan#yang-dibawa\"");
    home.assert_contains("<a href=\"/daftar/perusahaan\" role=\"button\">Daftarkan perusahaan</a>");
    // No telephone or hours are made up when none is configured.
    home.assert_lacks("Telepon:");
    home.assert_lacks("Jam layanan:");
});

#[actix_web::test]
async fn the_office_contact_is_shown_as_configured() {
    let app = TestApp::spawn_with(
        crate::common::Backend::Sqlite,
        &[
            ("SIBUSER_OFFICE_PHONE", "(061) 882 1234"),
            ("SIBUSER_OFFICE_WHATSAPP", "0812-3456-7890"),
            ("SIBUSER_OFFICE_HOURS", "Senin–Jumat, 08.00–16.00 WIB"),
        ],
    )
    .await
    .unwrap();
    for path in ["/", "/bantuan"] {
        let res = app.get(path).await;
        res.assert_contains("Telepon: <a href=\"tel:0618821234\">0618821234</a>");
        res.assert_contains(
            "<a href=\"https://wa.me/6281234567890\" rel=\"noopener\">081234567890</a>",
        );
        res.assert_contains("Jam layanan: Senin–Jumat, 08.00–16.00 WIB");
    }
}
