//! Each user's own front page (`/saya`, issue 18 item 2): signing in lands there; it shows
//! each role its next steps and the counts the records say; staff see their queues counted
//! beside the menu entries too; and the menu folds under one button.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use sibuser::employers::VerificationStatus;
use sibuser::schema::{ak1_cards, companies, vacancies, wlkp_reports};

use crate::common::browser::Browser;
use crate::common::{TestApp, TestResponse, seed_demo, signed_in, user_id, with_conn};
use crate::seekers::complete_profile;
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};

const SITI: &str = "pencaker@sibuser.example";
const SITI_NIK: &str = "1275015203980001";
const EMPLOYER: &str = "perusahaan@sibuser.example";
const OPERATOR: &str = "operator@sibuser.example";
const VERIFIER: &str = "verifikator@sibuser.example";

/// A count on the home page, as the template writes it: the label, then the number.
fn count(label: &str, n: i64) -> String {
    format!("<span>{label}</span> <strong>{n}</strong>")
}

/// The count beside a menu entry, as a screen reader hears it.
fn menu_count(n: i64) -> String {
    format!("<span class=\"visually-hidden\">{n} menunggu</span>")
}

fn requested_cards(app: &TestApp) -> i64 {
    with_conn(app, |c| {
        ak1_cards::table
            .filter(ak1_cards::status.eq("requested"))
            .count()
            .get_result(c)
            .unwrap()
    })
}

/// Companies and vacancies waiting for a verifier, and WLKP reports waiting for review.
fn verifier_queues(app: &TestApp) -> (i64, i64, i64) {
    with_conn(app, |c| {
        (
            companies::table
                .filter(companies::verification_status.eq("pending"))
                .count()
                .get_result(c)
                .unwrap(),
            vacancies::table
                .filter(vacancies::status.eq("submitted"))
                .count()
                .get_result(c)
                .unwrap(),
            wlkp_reports::table
                .filter(wlkp_reports::status.eq("submitted"))
                .count()
                .get_result(c)
                .unwrap(),
        )
    })
}

/// The menu of a page: the folding `<details>` and what it holds.
fn menu(page: &TestResponse) -> &str {
    let start = page
        .body
        .find("<details class=\"site-menu\">")
        .expect("the page has the folding menu");
    let end = start + page.body[start..].find("</details>").unwrap();
    &page.body[start..end]
}

db_test!(signing_in_lands_on_the_users_own_home_page, |app| {
    seed_demo(&app);
    for (email, _, _) in sibuser::demo::DEMO_ACCOUNTS {
        let browser = Browser::new(&app);
        let res = browser.sign_in(email, sibuser::demo::DEMO_PASSWORD).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{email}");
        assert_eq!(res.header("location"), Some("/saya"), "{email}");
        let home = browser.get("/saya").await;
        assert_eq!(home.status, StatusCode::OK, "{email}");
        home.assert_contains("<h1>Beranda saya</h1>");
        assert!(
            menu(&home).contains("href=\"/saya\" aria-current=\"page\""),
            "{email}: the menu marks the home page"
        );
    }
    // A page asked for before signing in is still where the sign-in goes.
    let browser = Browser::new(&app);
    browser.get("/masuk?next=%2Fpencaker%2Flamaran").await;
    let res = browser
        .post(
            "/masuk",
            &[
                ("email", SITI),
                ("password", sibuser::demo::DEMO_PASSWORD),
                ("next", "/pencaker/lamaran"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), Some("/pencaker/lamaran"));
    // Anonymous visitors are sent to sign in.
    let anonymous = Browser::new(&app).get("/saya").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
});

db_test!(
    the_resident_and_the_employer_see_their_next_steps_and_counts,
    |app| {
        seed_demo(&app);
        let company = owner_company(&app);
        with_conn(&app, |c| {
            sibuser::employers::set_status(
                c,
                company.into(),
                VerificationStatus::Pending,
                None,
                None,
            )
            .unwrap()
        });
        let employer = signed_in(&app, EMPLOYER).await;
        let home = employer.get("/saya").await;
        home.assert_contains("Perusahaan Anda sedang diverifikasi");
        let vacancy = new_vacancy(&app, &employer, "submit").await;
        verify_company(&app, company);
        publish(&app, vacancy);
        let home = employer.get("/saya").await;
        home.assert_lacks("sedang diverifikasi");
        home.assert_contains("Kasir Toko Roti");
        home.assert_lacks("pelamar baru");

        // Siti's profile is not complete yet: that is her first step, and she has no card.
        let siti = signed_in(&app, SITI).await;
        let home = siti.get("/saya").await;
        home.assert_contains("href=\"/pencaker/profil\">Lengkapi profil pencari kerja Anda");
        home.assert_contains("Anda belum punya kartu AK/I.");
        home.assert_contains("Anda belum mengirim lamaran.");
        assert!(
            !menu(&home).contains("/petugas/"),
            "no staff entries for a resident"
        );

        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let home = siti.get("/saya").await;
        home.assert_lacks("Lengkapi profil pencari kerja Anda");
        home.assert_contains("href=\"/pencaker/ak1\">Minta kartu AK/I");

        // She asks for the card; the operator sees it counted, on the home page and in the
        // menu of the pages that follow.
        let operator = signed_in(&app, OPERATOR).await;
        let before = requested_cards(&app);
        operator
            .get("/saya")
            .await
            .assert_contains(&count("Permintaan kartu AK/I menunggu", before));
        let res = siti.post("/pencaker/ak1/minta", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(requested_cards(&app), before + 1);
        siti.get("/saya")
            .await
            .assert_contains("href=\"/pencaker/ak1\">Kartu AK/I Anda sedang diperiksa");
        let home = operator.get("/saya").await;
        home.assert_contains(&count("Permintaan kartu AK/I menunggu", before + 1));
        assert!(menu(&home).contains(&menu_count(before + 1)));
        let next_page = operator.get("/lowongan").await;
        assert!(menu(&next_page).contains(&menu_count(before + 1)));

        // The operator issues it; Siti's home shows it active with its number.
        let siti_uid = user_id(&app, SITI);
        operator.get(&format!("/petugas/pencaker/{siti_uid}")).await;
        let res = operator
            .post(&format!("/petugas/pencaker/{siti_uid}/ak1/terbitkan"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let home = siti.get("/saya").await;
        home.assert_contains("<strong>Aktif</strong>");
        home.assert_contains("<span class=\"card-number\">");

        // She applies: her applications are counted at the first step, and the employer
        // sees a new applicant on the vacancy.
        siti.get(&format!("/lowongan/{vacancy}/lamar")).await;
        let res = siti
            .post(&format!("/lowongan/{vacancy}/lamar"), &[("catatan", "")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let home = siti.get("/saya").await;
        home.assert_contains(&count("Terkirim", 1));
        home.assert_contains(&count("Ditinjau", 0));
        let home = employer.get("/saya").await;
        home.assert_contains("1 pelamar baru belum ditinjau");
        home.assert_contains(&format!(
            "href=\"/perusahaan/lowongan/{vacancy}/pelamar\">1 pelamar</a> · <strong>1 baru</strong>"
        ));
    }
);

db_test!(a_verifier_sees_the_queues_the_records_hold, |app| {
    seed_demo(&app);
    let verifier = signed_in(&app, VERIFIER).await;
    let (companies, vacancies, wlkp) = verifier_queues(&app);
    let home = verifier.get("/saya").await;
    home.assert_contains(&count("Perusahaan menunggu verifikasi", companies));
    home.assert_contains(&count("Lowongan menunggu verifikasi", vacancies));
    home.assert_contains(&count("Laporan WLKP menunggu ditinjau", wlkp));
    assert!(companies + vacancies > 0, "the demo has work waiting");
    let menu = menu(&home);
    assert!(menu.contains(&menu_count(companies + vacancies)), "{menu}");
    // A verifier works no counter queue, and an operator no verification queue.
    home.assert_lacks("Permintaan kartu AK/I menunggu");
    let operator = signed_in(&app, OPERATOR).await;
    operator
        .get("/saya")
        .await
        .assert_lacks("Lowongan menunggu verifikasi");
});
