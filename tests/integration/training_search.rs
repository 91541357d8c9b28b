//! What residents see of training programmes, on both backends: the search at `/pelatihan`
//! with its filters and counts, the programme page with its JSON-LD, and the programmes the
//! vacancy search shows beside its results.

use actix_web::http::StatusCode;
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use sibuser::schema::training_programmes;
use sibuser::training::search::{self, Search};

const BLK: &str = "lembaga@sibuser.example";

fn today() -> NaiveDate {
    sibuser::domain::calendar::today()
}

fn day(offset: i64) -> String {
    let t = today();
    if offset >= 0 {
        t + Days::new(offset as u64)
    } else {
        t - Days::new(offset.unsigned_abs())
    }
    .to_string()
}

/// A programme as the provider's form takes it: registration from `opens` to `closes`
/// days from today, running from `starts` days for six weeks, free, in Binjai Kota.
fn programme_form(
    title: &str,
    job: &str,
    (opens, closes, starts): (i64, i64, i64),
) -> Vec<(String, String)> {
    [
        ("title", title),
        ("field", "las"),
        (
            "description",
            "Pengelasan pipa bertekanan dengan las busur manual, praktik di bengkel BLK.",
        ),
        ("requirements", "Sehat jasmani; membawa fotokopi KTP."),
        ("education_min", "3"),
        ("job_title_ids", job),
        ("age_min", ""),
        ("age_max", ""),
        ("age_reason", ""),
        ("registration_opens_on", &day(opens)),
        ("registration_closes_on", &day(closes)),
        ("starts_on", &day(starts)),
        ("ends_on", &day(starts + 42)),
        ("hours", "240"),
        ("mode", "in_person"),
        ("place", "Bengkel las BLK Binjai"),
        ("location", "12.75.01.1008"),
        ("regency_code", ""),
        ("quota", "16"),
        ("cost_kind", "free"),
        ("cost", ""),
        ("funding", "apbd"),
        ("certificate", "bnsp"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn set(form: &mut [(String, String)], key: &str, value: &str) {
    for f in form.iter_mut() {
        if f.0 == key {
            f.1 = value.to_owned();
        }
    }
}

/// Writes a programme through the provider's real form, published or as a draft; returns
/// its id.
async fn write(
    blk: &Browser<'_>,
    app: &TestApp,
    mut form: Vec<(String, String)>,
    publish: bool,
) -> i32 {
    if publish {
        form.push(("action".into(), "publish".into()));
    }
    blk.get("/lembaga/program/baru").await;
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = blk.post("/lembaga/program/baru", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let title = form[0].1.clone();
    with_conn(app, |c| {
        training_programmes::table
            .filter(training_programmes::title.eq(&title))
            .select(training_programmes::id)
            .first(c)
            .unwrap()
    })
}

async fn move_to(blk: &Browser<'_>, id: i32, to: &str) {
    blk.get(&format!("/lembaga/program/{id}")).await;
    let res = blk
        .post(&format!("/lembaga/program/{id}/status"), &[("ke", to)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

fn finds(body: &str, id: i32) -> bool {
    body.contains(&format!("href=\"/pelatihan/{id}\""))
}

db_test!(
    a_published_programme_is_found_by_keyword_and_filters,
    |app| {
        seed_demo(&app);
        let job = crate::vacancies::cashier_id(&app);
        let blk = signed_in(&app, BLK).await;
        // Registration open now, starting in 40 days.
        let id = write(
            &blk,
            &app,
            programme_form("Pelatihan Juru Las Pipa Bertekanan", &job, (0, 10, 40)),
            true,
        )
        .await;
        let resident = Browser::new(&app);

        // Word prefixes, any case, accents and punctuation; the provider's name and the job
        // title (in either language) find it too.
        for q in [
            "pipa+bertek",
            "PIP+BER",
            "p%C3%ADpa",
            "pipa-bertekanan%21",
            "balai+latihan+pipa",
            "cashier+pipa",
            "pengelasan+pipa",
        ] {
            let res = resident.get(&format!("/pelatihan?q={q}")).await;
            assert_eq!(res.status, StatusCode::OK);
            assert!(finds(&res.body, id), "q={q} did not find it");
        }
        let res = resident.get("/pelatihan?q=pipa+bertek").await;
        res.assert_contains("1 pelatihan ditemukan");
        res.assert_contains("UPT Balai Latihan Kerja Kota Binjai");
        // Each filter value counts what choosing it would give, the keyword kept.
        res.assert_contains(r#"<option value="las">Pengelasan (1)</option>"#);
        res.assert_contains(r#"<option value="gratis">Gratis (1)</option>"#);
        res.assert_contains(r#"<option value="berbayar">Berbayar (0)</option>"#);
        res.assert_contains(r#"<option value="30">30 hari ke depan (0)</option>"#);
        res.assert_contains(r#"<option value="60">60 hari ke depan (1)</option>"#);
        res.assert_contains(r#"<option value="12.75.01">Binjai Utara (1)</option>"#);
        res.assert_contains(r#"<meta name="robots" content="noindex, follow">"#);

        // Filters that fit keep it; each filter that does not fit drops it.
        let fits =
            "q=pipa+bertek&kejuruan=las&lembaga=blk&biaya=gratis&mulai=60&kecamatan=12.75.01";
        let res = resident.get(&format!("/pelatihan?{fits}")).await;
        assert!(finds(&res.body, id), "the fitting filters lost it");
        // The other kind still counts the keyword's programme under its own kind.
        res.assert_contains(
            r#"<option value="lpk">LPK (Lembaga Pelatihan Kerja, swasta) (0)</option>"#,
        );
        res.assert_contains(
            r#"<option value="blk" selected>BLK (Balai Latihan Kerja, pemerintah) (1)</option>"#,
        );
        for misfit in [
            "kejuruan=ti",
            "lembaga=lpk",
            "biaya=berbayar",
            "mulai=30",
            "kecamatan=12.75.02",
            "kecamatan=luar",
            "q=pipa+plastik",
        ] {
            // The misfit comes first: of a repeated key the first value counts.
            let res = resident.get(&format!("/pelatihan?{misfit}&{fits}")).await;
            assert!(!finds(&res.body, id), "{misfit} should have dropped it");
            res.assert_contains("0 pelatihan ditemukan");
        }
        // A filter that finds nothing still says what its other values would find, and
        // removing it keeps the others.
        let res = resident
            .get("/pelatihan?q=pipa+bertek&biaya=berbayar")
            .await;
        res.assert_contains("0 pelatihan ditemukan");
        res.assert_contains(r#"<option value="gratis">Gratis (1)</option>"#);
        res.assert_contains(r#"<option value="berbayar" selected>Berbayar (0)</option>"#);
        res.assert_contains(r#"href="/pelatihan?q=pipa+bertek""#);

        // It is on the sitemap, and the menu leads to the search.
        resident
            .get("/sitemap.xml")
            .await
            .assert_contains(&format!("/pelatihan/{id}</loc>"));
        let home = resident.get("/").await;
        home.assert_contains(r#"<a href="/pelatihan">Pelatihan</a>"#);
    }
);

db_test!(counts_order_and_pages_agree_with_the_results, |app| {
    seed_demo(&app);
    // One copy of the open programmes for every search, as an instance keeps it.
    let cache = search::ProgrammeCache::new(64);
    let all = with_conn(&app, |c| {
        search::run(c, &cache, &Search::keyword(""), today()).unwrap()
    });
    assert!(all.total > 0, "the demo has open programmes");
    Browser::new(&app)
        .get("/pelatihan")
        .await
        .assert_contains(&format!("{} pelatihan ditemukan", all.total));
    let sum = |counts: Vec<i64>| counts.into_iter().sum::<i64>();
    assert_eq!(
        sum(all.facets.places.iter().map(|c| c.count).collect()),
        all.total
    );
    assert_eq!(
        sum(all.facets.fields.iter().map(|c| c.count).collect()),
        all.total
    );
    assert_eq!(
        sum(all.facets.kinds.iter().map(|c| c.count).collect()),
        all.total
    );
    // Choosing a value gives exactly the count it promised.
    for query in all
        .facets
        .fields
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| (format!("kejuruan={}", c.value), c.count))
        .chain(
            all.facets
                .costs
                .iter()
                .map(|c| (format!("biaya={}", c.value.code()), c.count)),
        )
        .chain(
            all.facets
                .starts_within
                .iter()
                .map(|c| (format!("mulai={}", c.value), c.count)),
        )
    {
        let narrowed = with_conn(&app, |c| {
            search::run(c, &cache, &Search::from_query(&query.0), today()).unwrap()
        });
        assert_eq!(narrowed.total, query.1, "{}", query.0);
    }
    // Registration closing soonest first, and only open ones.
    let closes: Vec<NaiveDate> = all.hits.iter().map(|h| h.registration_closes_on).collect();
    assert!(closes.windows(2).all(|w| w[0] <= w[1]), "{closes:?}");
    assert!(closes.iter().all(|d| *d >= today()));
    // Twenty a page, and the pages together hold every result once.
    let mut seen = std::collections::BTreeSet::new();
    for page in 1..=all.pages() {
        let p = with_conn(&app, |c| {
            search::run(
                c,
                &cache,
                &Search::from_query(&format!("hal={page}")),
                today(),
            )
            .unwrap()
        });
        assert!(p.hits.len() <= 20);
        seen.extend(p.hits.iter().map(|h| h.id));
    }
    assert_eq!(seen.len() as i64, all.total);
});

db_test!(
    drafts_cancelled_and_closed_programmes_are_not_found,
    |app| {
        seed_demo(&app);
        let job = crate::vacancies::cashier_id(&app);
        let blk = signed_in(&app, BLK).await;
        let draft = write(
            &blk,
            &app,
            programme_form("Pelatihan Tenun Ulos Sadum Draf", &job, (0, 10, 20)),
            false,
        )
        .await;
        let cancelled = write(
            &blk,
            &app,
            programme_form("Pelatihan Tenun Ulos Sadum Batal", &job, (0, 10, 20)),
            true,
        )
        .await;
        move_to(&blk, cancelled, "cancelled").await;
        let moved_closed = write(
            &blk,
            &app,
            programme_form("Pelatihan Tenun Ulos Sadum Penuh", &job, (0, 10, 20)),
            true,
        )
        .await;
        move_to(&blk, moved_closed, "registration_closed").await;
        // Still "published", but its registration closed yesterday.
        let lapsed = write(
            &blk,
            &app,
            programme_form("Pelatihan Tenun Ulos Sadum Lewat", &job, (-10, -1, 5)),
            true,
        )
        .await;
        let open = write(
            &blk,
            &app,
            programme_form("Pelatihan Tenun Ulos Sadum Terbuka", &job, (0, 10, 20)),
            true,
        )
        .await;

        let resident = Browser::new(&app);
        let res = resident.get("/pelatihan?q=sadum").await;
        assert!(finds(&res.body, open));
        res.assert_contains("1 pelatihan ditemukan");
        for id in [draft, cancelled, moved_closed, lapsed] {
            assert!(!finds(&res.body, id), "programme {id} was found");
        }
        let aside = resident.get("/lowongan?q=sadum").await;
        aside.assert_contains("Lihat semua 1 pelatihan");
        let sitemap = resident.get("/sitemap.xml").await;
        for id in [draft, cancelled, moved_closed, lapsed] {
            assert!(!sitemap.body.contains(&format!("/pelatihan/{id}<")));
        }

        // A draft has no public page, not even for its own provider.
        assert_eq!(
            resident.get(&format!("/pelatihan/{draft}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            blk.get(&format!("/pelatihan/{draft}")).await.status,
            StatusCode::NOT_FOUND
        );
        // The others stay reachable for old links, with their status and without JSON-LD.
        for (id, status) in [
            (cancelled, "Dibatalkan"),
            (moved_closed, "Pendaftaran ditutup"),
            (lapsed, "Pendaftaran ditutup"),
        ] {
            let page = resident.get(&format!("/pelatihan/{id}")).await;
            assert_eq!(page.status, StatusCode::OK);
            page.assert_contains(status);
            page.assert_contains("Program ini tidak lagi menerima pendaftaran");
            page.assert_contains(r#"<meta name="robots" content="noindex, follow">"#);
            page.assert_lacks("application/ld+json");
        }
    }
);

db_test!(nonsense_in_the_search_url_gives_a_normal_page, |app| {
    seed_demo(&app);
    let resident = Browser::new(&app);
    let long = "a".repeat(10_000);
    let nasty = [
        "hal=-1".to_owned(),
        "hal=abc&mulai=banyak".to_owned(),
        "hal=99999999999999999999".to_owned(),
        "kecamatan=%27%20OR%201%3D1--&kejuruan=99&lembaga=%3B%20DROP%20TABLE%20x".to_owned(),
        "biaya=-3&mulai=365&kejuruan=".to_owned(),
        format!("q={long}"),
        "q=%22%29%20OR%20%28%22%2A%3A%2A".to_owned(),
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
        "q=%E2%80%AE%00%01".to_owned(),
        "q=%ZZ%&&=&hal".to_owned(),
        "q=a&q=b&kecamatan=12.75.01&kecamatan=12.75.02".to_owned(),
    ];
    for query in &nasty {
        for path in ["/pelatihan", "/lowongan"] {
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
        .get("/pelatihan?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    res.assert_lacks("<script>alert(1)");
    for path in ["/pelatihan/abc", "/pelatihan/999999", "/pelatihan/-1"] {
        assert_eq!(
            resident.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
});

/// The JSON-LD of a page, parsed.
fn json_ld(body: &str) -> serde_json::Value {
    let start = body
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD");
    let json = &body[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(json).expect("valid JSON-LD")
}

db_test!(the_programme_page_tells_a_resident_what_they_need, |app| {
    seed_demo(&app);
    let job = crate::vacancies::cashier_id(&app);
    let blk = signed_in(&app, BLK).await;
    let mut form = programme_form("Pelatihan Kasir Ritel Modern", &job, (-2, 12, 20));
    set(&mut form, "field", "bisnis");
    set(&mut form, "cost_kind", "paid");
    set(&mut form, "cost", "1.500.000");
    set(&mut form, "funding", "self");
    set(&mut form, "age_min", "18");
    set(&mut form, "age_max", "35");
    set(
        &mut form,
        "age_reason",
        "Program magang lanjutan mensyaratkan usia ini.",
    );
    // Text that would end a <script> element early if written as it is.
    set(
        &mut form,
        "description",
        "Kasir ritel modern: mesin kasir, </script><b>pembayaran</b> nontunai & laporan.",
    );
    let id = write(&blk, &app, form, true).await;

    let resident = Browser::new(&app);
    let page = resident.get(&format!("/pelatihan/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for fact in [
        "Pelatihan Kasir Ritel Modern",
        "UPT Balai Latihan Kerja Kota Binjai",
        "BLK (Balai Latihan Kerja, pemerintah)",
        "Bisnis dan manajemen",
        "Kasir (KBJI 5230)",
        "18–35 tahun",
        "Program magang lanjutan mensyaratkan usia ini.",
        "240 jam pelatihan",
        "Tatap muka",
        "Bengkel las BLK Binjai",
        "Rp1.500.000 per peserta",
        "Biaya sendiri peserta",
        "Sertifikat kompetensi BNSP",
        "16 peserta",
        "Dibuka untuk pendaftaran",
        "Dibuka sekarang",
        r#"<section id="daftar" aria-labelledby="enrol-heading""#,
        "&#60;/script&#62;&#60;b&#62;pembayaran",
    ] {
        page.assert_contains(fact);
    }
    page.assert_lacks(r#"<meta name="robots""#);
    let ld = json_ld(&page.body);
    assert_eq!(ld["@type"], "Course");
    assert_eq!(ld["name"], "Pelatihan Kasir Ritel Modern");
    assert!(
        ld["description"]
            .as_str()
            .unwrap()
            .contains("</script><b>pembayaran</b> nontunai &"),
        "escaped in the page, whole in the JSON"
    );
    assert_eq!(
        ld["provider"]["name"],
        "UPT Balai Latihan Kerja Kota Binjai"
    );
    assert_eq!(ld["isAccessibleForFree"], false);
    assert_eq!(
        ld["educationalCredentialAwarded"]["name"],
        "Sertifikat kompetensi BNSP"
    );
    let instance = &ld["hasCourseInstance"];
    assert_eq!(instance["@type"], "CourseInstance");
    assert_eq!(instance["courseMode"], "onsite");
    assert_eq!(instance["startDate"], day(20));
    assert_eq!(instance["endDate"], day(62));
    assert_eq!(instance["courseWorkload"], "PT240H");
    assert_eq!(
        instance["location"]["address"]["addressLocality"],
        "Kota Binjai"
    );
    let offer = &instance["offers"];
    assert_eq!(offer["price"], 1_500_000);
    assert_eq!(offer["priceCurrency"], "IDR");
    assert_eq!(offer["validFrom"], format!("{}T00:00:00+07:00", day(-2)));
    assert_eq!(offer["validThrough"], format!("{}T23:59:59+07:00", day(12)));

    // In English too.
    let english = Browser::new(&app);
    english.get("/bahasa/en?next=/").await;
    let page = english.get(&format!("/pelatihan/{id}")).await;
    page.assert_contains("Cashier (KBJI 5230)");
    page.assert_contains("Rp1,500,000 per participant");
    page.assert_contains("Registration is open until");

    // A free one opening later says when registration opens, and its price is 0.
    let later = write(
        &blk,
        &app,
        programme_form("Pelatihan Juru Las Dasar Gelombang Dua", &job, (5, 15, 20)),
        true,
    )
    .await;
    let page = resident.get(&format!("/pelatihan/{later}")).await;
    page.assert_contains("Pendaftaran dibuka mulai");
    page.assert_lacks("Dibuka sekarang");
    let ld = json_ld(&page.body);
    assert_eq!(ld["hasCourseInstance"]["offers"]["price"], 0);
    assert_eq!(ld["isAccessibleForFree"], true);
});

db_test!(the_vacancy_search_shows_matching_programmes, |app| {
    seed_demo(&app);
    let job = crate::vacancies::cashier_id(&app);
    let blk = signed_in(&app, BLK).await;
    let id = write(
        &blk,
        &app,
        programme_form("Pelatihan Barista Kopi Gayo", &job, (0, 10, 20)),
        true,
    )
    .await;
    let resident = Browser::new(&app);
    let res = resident.get("/lowongan?q=gayo").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Pelatihan untuk “gayo”");
    assert!(finds(&res.body, id), "the aside lists the programme");
    res.assert_contains("Lihat semua 1 pelatihan");
    res.assert_contains(r#"href="/pelatihan?q=gayo""#);
    res.assert_contains("Gratis");
    // No keyword, or nothing matching: no aside.
    resident
        .get("/lowongan")
        .await
        .assert_lacks("Pelatihan untuk");
    resident
        .get("/lowongan?q=zzqx")
        .await
        .assert_lacks("Pelatihan untuk");

    // And back: the programme search links to the vacancies for the same keyword, with
    // as many as the vacancy search finds.
    let boards = sibuser::vacancies::search::BoardCache::default();
    let kasir = with_conn(&app, |c| {
        sibuser::vacancies::search::run(
            c,
            &boards,
            &sibuser::vacancies::search::Search::from_query("q=kasir"),
            chrono::Utc::now().naive_utc(),
        )
        .unwrap()
        .total
    });
    assert!(kasir > 0, "the demo has cashier vacancies");
    let res = resident.get("/pelatihan?q=kasir").await;
    res.assert_contains(r#"href="/lowongan?q=kasir""#);
    res.assert_contains(&format!("Lihat {kasir} lowongan untuk “kasir”"));
    // No link to an empty list.
    resident
        .get("/pelatihan?q=gayo")
        .await
        .assert_lacks(r#"href="/lowongan?q=gayo""#);
});

db_test!(renaming_the_provider_renames_it_in_search, |app| {
    use sibuser::schema::training_providers;
    seed_demo(&app);
    let job = crate::vacancies::cashier_id(&app);
    let blk = signed_in(&app, BLK).await;
    let id = write(
        &blk,
        &app,
        programme_form("Pelatihan Juru Las Kapal Nelayan", &job, (0, 10, 20)),
        true,
    )
    .await;
    let provider: i32 = with_conn(&app, |c| {
        training_programmes::table
            .find(id)
            .select(training_programmes::provider_id)
            .first(c)
            .unwrap()
    });
    let resident = Browser::new(&app);
    assert!(!finds(
        &resident.get("/pelatihan?q=wijayakusuma").await.body,
        id
    ));
    // Staff correct the provider's name through their form.
    let operator = signed_in(&app, "operator@sibuser.example").await;
    let page = format!("/petugas/pelatihan/lembaga/{provider}");
    let res = operator
        .submit(
            &page,
            &page,
            &[
                ("name", "BLK Wijayakusuma Binjai"),
                ("kind", "blk"),
                ("accreditation", ""),
                ("accreditation_number", ""),
                ("location", "12.75.01.1008"),
                ("regency_code", ""),
                ("address", "Jl. Perintis Kemerdekaan No. 113"),
                ("phone", ""),
                ("email", ""),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let name: String = with_conn(&app, |c| {
        training_providers::table
            .find(provider)
            .select(training_providers::name)
            .first(c)
            .unwrap()
    });
    assert_eq!(name, "BLK Wijayakusuma Binjai");
    let res = resident.get("/pelatihan?q=wijayakusuma+kapal").await;
    assert!(finds(&res.body, id), "the new name did not find it");
});

db_test!(the_kept_copy_follows_every_change_the_search_shows, |app| {
    seed_demo(&app);
    let id = crate::enrolment::publish(&app, "Barista dan Kopi Nusantara", "10", 5, 7).await;
    let resident = Browser::new(&app);
    // Seen once (and so kept by this instance) beside the vacancies and in the search.
    let link = format!("href=\"/pelatihan/{id}\"");
    resident
        .get("/lowongan?q=barista")
        .await
        .assert_contains(&link);
    resident
        .get("/pelatihan?q=barista")
        .await
        .assert_contains(&link);
    // Its registration closes by a change made outside the portal: gone at once.
    with_conn(&app, |c| {
        use sibuser::schema::training_programmes;
        diesel::update(training_programmes::table.find(id))
            .set(
                training_programmes::registration_closes_on
                    .eq(sibuser::domain::calendar::today() - chrono::Duration::days(1)),
            )
            .execute(c)
            .unwrap()
    });
    resident
        .get("/lowongan?q=barista")
        .await
        .assert_lacks(&link);
    resident
        .get("/pelatihan?q=barista")
        .await
        .assert_lacks(&link);
    // Open again, then its provider switched off by the Dinas: gone again.
    with_conn(&app, |c| {
        use sibuser::schema::training_programmes;
        diesel::update(training_programmes::table.find(id))
            .set(
                training_programmes::registration_closes_on
                    .eq(sibuser::domain::calendar::today() + chrono::Duration::days(3)),
            )
            .execute(c)
            .unwrap()
    });
    resident
        .get("/pelatihan?q=barista")
        .await
        .assert_contains(&link);
    with_conn(&app, |c| {
        use sibuser::schema::training_providers;
        diesel::update(training_providers::table)
            .set(training_providers::is_active.eq(false))
            .execute(c)
            .unwrap()
    });
    resident
        .get("/lowongan?q=barista")
        .await
        .assert_lacks(&link);
    resident
        .get("/pelatihan?q=barista")
        .await
        .assert_lacks(&link);
});
