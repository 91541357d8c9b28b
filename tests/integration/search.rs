//! What residents see of vacancies: search, the vacancy and company pages, feeds and the
//! crawler files, on both backends; and the same answers from SQLite and PostgreSQL.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{Backend, TestApp, seed_demo, signed_in, with_conn};
use crate::reviewed_versions::decide;
use crate::vacancies::{new_vacancy, owner_company, publish, status_of, verify_company};
use sibuser::schema::{companies, vacancies};
use sibuser::vacancies::search::{self, BoardCache, Search};

/// The demo plus the standard "Kasir Toko Roti" vacancy (Binjai Kota, SMA, PKWT,
/// Rp3.000.000–3.500.000), published; returns its id.
async fn published_cashier(app: &TestApp) -> i32 {
    seed_demo(app);
    verify_company(app, owner_company(app));
    let employer = signed_in(app, "perusahaan@sibuser.example").await;
    let id = new_vacancy(app, &employer, "submit").await;
    publish(app, id);
    id
}

fn finds(body: &str, id: i32) -> bool {
    body.contains(&format!("href=\"/lowongan/{id}\""))
}

db_test!(a_resident_finds_a_vacancy_by_keyword_and_filters, |app| {
    seed_demo(&app);
    verify_company(&app, owner_company(&app));
    let employer = signed_in(&app, "perusahaan@sibuser.example").await;
    let id = new_vacancy(&app, &employer, "submit").await;
    let resident = Browser::new(&app);

    // Waiting for review: nobody finds it.
    let res = resident.get("/lowongan?q=kasir+roti").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!finds(&res.body, id), "found before it was published");
    publish(&app, id);

    // Prefixes, any case, accents and punctuation make no difference.
    for q in ["kasir+roti", "KAS+rot", "r%C3%B3ti", "kasir-roti%21"] {
        let res = resident.get(&format!("/lowongan?q={q}")).await;
        assert!(finds(&res.body, id), "q={q} did not find it");
    }
    // The company's name and the job title find it too.
    let company: String = with_conn(&app, |c| {
        companies::table
            .find(owner_company(&app))
            .select(companies::name)
            .first(c)
            .unwrap()
    });
    let res = resident
        .get(&format!(
            "/lowongan?q={}",
            company.replace(' ', "+").to_lowercase()
        ))
        .await;
    assert!(finds(&res.body, id), "the company name did not find it");

    // Filters that fit keep it; each filter that does not fit drops it.
    let fits = "q=roti&kecamatan=12.75.02&golongan=5&pendidikan=4&jenis=pkwt&upah=3500000&sejak=1";
    let res = resident.get(&format!("/lowongan?{fits}")).await;
    assert!(finds(&res.body, id), "the fitting filters lost it");
    for misfit in [
        "kecamatan=12.75.01",
        "kecamatan=luar",
        "golongan=2",
        "pendidikan=3",
        "jenis=pkwtt",
        "upah=3600000",
        "disabilitas=1",
        "q=roti+tawar",
    ] {
        // The misfit comes first: of a repeated key the first value counts.
        let res = resident.get(&format!("/lowongan?{misfit}&q=roti")).await;
        assert!(!finds(&res.body, id), "{misfit} should have dropped it");
    }

    // A hidden wage matches no wage filter, so that the filter cannot reveal it.
    with_conn(&app, |c| {
        diesel::update(vacancies::table.find(id))
            .set(vacancies::show_wage.eq(false))
            .execute(c)
            .unwrap();
    });
    let res = resident.get("/lowongan?q=roti&upah=1000000").await;
    assert!(!finds(&res.body, id));
    assert!(finds(&resident.get("/lowongan?q=roti").await.body, id));
});

db_test!(results_are_counted_sorted_and_paged, |app| {
    seed_demo(&app);
    let resident = Browser::new(&app);
    let now = chrono::Utc::now().naive_utc();
    let boards = BoardCache::default();
    let all = with_conn(&app, |c| {
        search::run(c, &boards, &Search::default(), now).unwrap()
    });
    assert!(all.total > 0, "the demo has open vacancies");
    let res = resident.get("/lowongan").await;
    res.assert_contains(&format!("{} lowongan ditemukan", all.total));
    // The counts per kecamatan add up to the total.
    let by_place: i64 = all.facets.places.iter().map(|c| c.count).sum();
    assert_eq!(by_place, all.total);
    // Choosing a value gives exactly the count it promised.
    let place = all
        .facets
        .places
        .iter()
        .find(|c| c.count > 0)
        .expect("a kecamatan with vacancies");
    let narrowed = with_conn(&app, |c| {
        search::run(
            c,
            &boards,
            &Search::from_query(&format!("kecamatan={}", place.value.code())),
            now,
        )
        .unwrap()
    });
    assert_eq!(narrowed.total, place.count);

    // Sorted as asked.
    let closing = with_conn(&app, |c| {
        search::run(c, &boards, &Search::from_query("urut=segera-tutup"), now).unwrap()
    });
    let dates: Vec<_> = closing.hits.iter().map(|h| h.closes_on).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let newest: Vec<_> = all.hits.iter().map(|h| h.published_at).collect();
    assert!(newest.windows(2).all(|w| w[0] >= w[1]), "{newest:?}");
    let wages = with_conn(&app, |c| {
        search::run(c, &boards, &Search::from_query("urut=upah-tertinggi"), now).unwrap()
    });
    let shown: Vec<i64> = wages
        .hits
        .iter()
        .filter(|h| h.show_wage)
        .filter_map(|h| h.wage_max.or(h.wage_min))
        .map(sibuser::domain::Rupiah::amount)
        .collect();
    assert!(shown.windows(2).all(|w| w[0] >= w[1]), "{shown:?}");

    // Twenty a page, and the pages together hold every result once.
    let mut seen = std::collections::BTreeSet::new();
    for page in 1..=all.pages() {
        let p = with_conn(&app, |c| {
            search::run(c, &boards, &Search::from_query(&format!("hal={page}")), now).unwrap()
        });
        assert!(p.hits.len() <= 20);
        seen.extend(p.hits.iter().map(|h| h.id));
    }
    assert_eq!(seen.len() as i64, all.total);
});

db_test!(nonsense_in_the_search_url_gives_a_normal_page, |app| {
    seed_demo(&app);
    let resident = Browser::new(&app);
    let long = "a".repeat(10_000);
    let nasty = [
        "hal=-1".to_owned(),
        "hal=abc&upah=banyak".to_owned(),
        "hal=99999999999999999999".to_owned(),
        "kecamatan=%27%20OR%201%3D1--&golongan=99&jenis=%3B%20DROP%20TABLE%20vacancies".to_owned(),
        "pendidikan=-3&sejak=365&urut=acak&disabilitas=ya".to_owned(),
        format!("q={long}"),
        "q=%22%29%20OR%20%28%22%2A%3A%2A".to_owned(),
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
        "q=%E2%80%AE%00%01".to_owned(),
        "q=a&q=b&kecamatan=12.75.01&kecamatan=12.75.02".to_owned(),
    ];
    for query in &nasty {
        for path in ["/lowongan", "/lowongan/feed.xml"] {
            let res = resident.get(&format!("{path}?{query}")).await;
            assert_eq!(
                res.status,
                StatusCode::OK,
                "{path}?{}",
                &query[..query.len().min(80)]
            );
        }
    }
    let res = resident
        .get("/lowongan?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    res.assert_lacks("<script>alert(1)");
    res.assert_contains("&#60;script&#62;alert(1)&#60;/script&#62;");
    let feed = resident.get("/lowongan/feed.xml?q=%3Cb%3E%26amp").await;
    feed.assert_lacks("<b>&amp");
    assert!(
        feed.header("content-type")
            .is_some_and(|t| t.starts_with("application/atom+xml"))
    );
    // Ids that are not numbers, or no vacancy, are a plain 404.
    for path in [
        "/lowongan/abc",
        "/lowongan/999999",
        "/lowongan/-1",
        "/perusahaan/999999",
    ] {
        assert_eq!(
            resident.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
});

db_test!(the_vacancy_page_tells_a_resident_what_they_need, |app| {
    let id = published_cashier(&app).await;
    let resident = Browser::new(&app);
    let res = resident.get(&format!("/lowongan/{id}")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Kasir Toko Roti");
    res.assert_contains("Rp3.000.000 – Rp3.500.000");
    res.assert_contains("Cara melamar");
    res.assert_contains("https://wa.me/?text=");
    // JSON-LD with Google's required fields.
    let start = res
        .body
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD");
    let json = &res.body[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    let ld: serde_json::Value = serde_json::from_str(json).expect("valid JSON-LD");
    assert_eq!(ld["@type"], "JobPosting");
    assert_eq!(ld["title"], "Kasir Toko Roti");
    for field in [
        "description",
        "datePosted",
        "validThrough",
        "hiringOrganization",
        "jobLocation",
        "employmentType",
        "identifier",
        "baseSalary",
    ] {
        assert!(!ld[field].is_null(), "JSON-LD lacks {field}");
    }
    assert_eq!(ld["baseSalary"]["currency"], "IDR");
    assert_eq!(ld["jobLocation"]["address"]["addressCountry"], "ID");

    // The company's public page lists it.
    let company = resident
        .get(&format!("/perusahaan/{}", owner_company(&app)))
        .await;
    assert_eq!(company.status, StatusCode::OK);
    assert!(finds(&company.body, id));

    // Closed: still there for old links, said to be closed, without JSON-LD.
    with_conn(&app, |c| {
        sibuser::vacancies::set_status(
            c,
            id.into(),
            sibuser::vacancies::VacancyStatus::Closed,
            None,
            None,
            chrono::Utc::now().naive_utc(),
        )
        .unwrap();
    });
    let res = resident.get(&format!("/lowongan/{id}")).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("sudah ditutup");
    res.assert_lacks("application/ld+json");
    res.assert_contains(r#"<meta name="robots" content="noindex, follow">"#);
    assert!(!finds(
        &resident.get("/lowongan?q=kasir+roti").await.body,
        id
    ));
});

db_test!(
    unpublished_vacancies_and_unverified_companies_stay_private,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let draft = new_vacancy(&app, &employer, "draft").await;
        let submitted = new_vacancy(&app, &employer, "submit").await;
        assert_eq!(status_of(&app, submitted), "submitted");
        let resident = Browser::new(&app);
        for id in [draft, submitted] {
            assert_eq!(
                resident.get(&format!("/lowongan/{id}")).await.status,
                StatusCode::NOT_FOUND
            );
        }
        // The demo login's company waits for verification: no public page.
        assert_eq!(
            resident
                .get(&format!("/perusahaan/{}", owner_company(&app)))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let sitemap = resident.get("/sitemap.xml").await;
        assert!(!sitemap.body.contains(&format!("/lowongan/{draft}<")));
    }
);

db_test!(feeds_and_crawler_files_list_open_vacancies, |app| {
    let id = published_cashier(&app).await;
    let resident = Browser::new(&app);
    let feed = resident.get("/lowongan/feed.xml?q=kasir+roti").await;
    assert_eq!(feed.status, StatusCode::OK);
    feed.assert_contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    feed.assert_contains(&format!("/lowongan/{id}</id>"));
    feed.assert_contains("<title>Kasir Toko Roti</title>");
    let sitemap = resident.get("/sitemap.xml").await;
    sitemap.assert_contains(&format!("/lowongan/{id}</loc>"));
    sitemap.assert_contains(&format!("/perusahaan/{}</loc>", owner_company(&app)));
    let robots = resident.get("/robots.txt").await;
    robots.assert_contains("Sitemap: ");
    robots.assert_contains("Disallow: /admin/");
    // The search page offers the feed of the same search.
    resident
        .get("/lowongan?q=kasir")
        .await
        .assert_contains("/lowongan/feed.xml?q=kasir");
});

db_test!(the_home_page_shows_the_newest_vacancies, |app| {
    let id = published_cashier(&app).await;
    let res = Browser::new(&app).get("/").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        finds(&res.body, id),
        "the newest vacancy is on the home page"
    );
    res.assert_contains("lowongan dibuka");
    res.assert_contains("/lowongan?kecamatan=12.75.02");
    res.assert_contains(r#"action="/lowongan""#);
});

db_test!(renaming_the_company_renames_it_in_search, |app| {
    let id = published_cashier(&app).await;
    let company = owner_company(&app);
    // Searched once before: the portal keeps the (empty) match, and must drop it.
    let resident = Browser::new(&app);
    assert!(!finds(&resident.get("/lowongan?q=zamrud").await.body, id));
    with_conn(&app, |c| {
        diesel::update(companies::table.find(company))
            .set(companies::name.eq("PT Zamrud Khatulistiwa"))
            .execute(c)
            .unwrap();
        sibuser::vacancies::refresh_search_for_company(c, company.into()).unwrap();
    });
    let res = resident.get("/lowongan?q=zamrud").await;
    assert!(finds(&res.body, id), "a kept match outlived the change");
});

/// Runs the same searches on the same demo data on both backends and compares every count
/// and every result.
#[actix_web::test]
async fn sqlite_and_postgresql_give_the_same_results() {
    let sqlite = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(pg) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    seed_demo(&sqlite);
    seed_demo(&pg);
    let now = chrono::Utc::now().naive_utc();
    let (lite, post) = (BoardCache::default(), BoardCache::default());
    let queries = [
        "",
        "q=staf",
        "q=admin",
        "q=operator+mesin",
        "q=kasir&urut=upah-tertinggi",
        "q=a",
        "pendidikan=4&jenis=pkwt",
        "kecamatan=12.75.03&urut=segera-tutup",
        "kecamatan=luar",
        "golongan=5&sejak=30",
        "disabilitas=1&upah=3000000",
        "q=binjai&hal=2",
    ];
    for q in queries {
        let search = Search::from_query(q);
        let a = with_conn(&sqlite, |c| search::run(c, &lite, &search, now).unwrap());
        let b = with_conn(&pg, |c| search::run(c, &post, &search, now).unwrap());
        let ids = |r: &search::Results| r.hits.iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(a.total, b.total, "total for {q:?}");
        assert_eq!(ids(&a), ids(&b), "results for {q:?}");
        assert_eq!(a.facets, b.facets, "counts for {q:?}");
    }
}

db_test!(a_vacancy_from_sign_up_to_search_to_expiry, |app| {
    seed_demo(&app);
    // A company signs up...
    let employer = Browser::new(&app);
    crate::accounts::sign_up_verified(
        &app,
        &employer,
        "/daftar/perusahaan",
        &crate::accounts::employer_fields(
            "hrd@rambutanjaya.co.id",
            "1234567890123",
            "12.75.01.1008",
        ),
    )
    .await;
    let company: i32 = with_conn(&app, |c| {
        companies::table
            .filter(companies::nib.eq("1234567890123"))
            .select(companies::id)
            .first(c)
            .unwrap()
    });
    // ...is verified...
    let verifier = signed_in(&app, "verifikator@sibuser.example").await;
    let path = format!("/petugas/verifikasi/perusahaan/{company}");
    let res = decide(
        &verifier,
        &path,
        &[("keputusan", "setujui"), ("alasan", "")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // ...posts a vacancy that a verifier publishes...
    let id = new_vacancy(&app, &employer, "submit").await;
    let path = format!("/petugas/verifikasi/lowongan/{id}");
    let res = decide(
        &verifier,
        &path,
        &[("keputusan", "tayangkan"), ("alasan", "")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, id), "published");
    // ...a resident finds it by keyword and filters...
    let resident = Browser::new(&app);
    let search = "/lowongan?q=kasir+roti&kecamatan=12.75.02&jenis=pkwt&pendidikan=4";
    assert!(finds(&resident.get(search).await.body, id));
    assert!(finds(
        &resident.get("/lowongan?q=rambutan+jaya").await.body,
        id
    ));
    // ...and it expires the day after its closing date.
    let closing = sibuser::domain::calendar::today() + chrono::Duration::days(30);
    with_conn(&app, |c| {
        sibuser::vacancies::expire_due(c, closing + chrono::Duration::days(1)).unwrap()
    });
    assert_eq!(status_of(&app, id), "expired");
    assert!(!finds(&resident.get(search).await.body, id));
    resident
        .get(&format!("/lowongan/{id}"))
        .await
        .assert_contains("sudah ditutup");
});
