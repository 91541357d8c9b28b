//! Issue 5's whole journey on both backends: a resident signs up, confirms the e-mail
//! address, completes the profile,
//! gets an AK/I card verified and printed, its QR code opens the verification page, applies,
//! is accepted, and appears as placed.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::ak1::{decode_qr, extract_svg};
use crate::common::browser::Browser;
use crate::common::{seed_demo, signed_in, with_conn};
use crate::seekers::complete_profile;
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};
use sibuser::schema::{ak1_cards, job_seekers, placements, users};

const EMAIL: &str = "nur.hasanah@contoh.id";

db_test!(a_resident_goes_from_sign_up_to_placed, |app| {
    seed_demo(&app);
    let employer = signed_in(&app, "perusahaan@sibuser.example").await;
    verify_company(&app, owner_company(&app));
    let vacancy = new_vacancy(&app, &employer, "submit").await;
    publish(&app, vacancy);

    // Sign-up, then the profile.
    let resident = Browser::new(&app);
    crate::accounts::sign_up_verified(
        &app,
        &resident,
        "/daftar",
        &crate::accounts::signup_fields(EMAIL),
    )
    .await;
    complete_profile(&app, &resident, "/pencaker/profil", "1275015203980007").await;
    resident.get("/pencaker/ak1").await;
    resident.post("/pencaker/ak1/minta", &[]).await;
    resident
        .get("/pencaker/ak1")
        .await
        .assert_contains("Menunggu pemeriksaan");

    // The counter verifies and issues the card.
    let uid: i32 = with_conn(&app, |c| {
        users::table
            .filter(users::email.eq(EMAIL))
            .select(users::id)
            .first(c)
            .unwrap()
    });
    let operator = signed_in(&app, "operator@sibuser.example").await;
    operator
        .get("/petugas/pencaker")
        .await
        .assert_contains(&format!("/petugas/pencaker/{uid}"));
    operator.get(&format!("/petugas/pencaker/{uid}")).await;
    let res = operator
        .post(&format!("/petugas/pencaker/{uid}/ak1/terbitkan"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // Printed; the QR code opens the verification page.
    let sheet = resident.get("/pencaker/ak1/cetak").await;
    assert_eq!(sheet.status, StatusCode::OK);
    let url = decode_qr(extract_svg(&sheet.body));
    let path = url[url.find("/ak1/cek").unwrap()..].to_owned();
    let public = Browser::new(&app);
    let check = public.get(&path).await;
    check.assert_contains("Kartu asli dan terdaftar");
    check.assert_lacks("1275015203980007");

    // Applies, is accepted, and is placed.
    resident.get(&format!("/lowongan/{vacancy}/lamar")).await;
    let res = resident
        .post(&format!("/lowongan/{vacancy}/lamar"), &[("catatan", "")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let app_id: i32 = with_conn(&app, |c| {
        sibuser::schema::applications::table
            .filter(sibuser::schema::applications::vacancy_id.eq(vacancy))
            .select(sibuser::schema::applications::id)
            .first(c)
            .unwrap()
    });
    employer
        .get(&format!("/perusahaan/lowongan/{vacancy}/pelamar"))
        .await;
    let today = sibuser::domain::calendar::today();
    let res = employer
        .post(
            &format!("/perusahaan/lowongan/{vacancy}/pelamar"),
            &[
                ("id", &app_id.to_string()),
                ("tahap", "accepted"),
                ("mulai", &today.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    resident
        .get("/pencaker/lamaran")
        .await
        .assert_contains("Diterima bekerja");
    let (status, placements_made): (String, i64) = with_conn(&app, |c| {
        let seeker: i32 = job_seekers::table
            .filter(job_seekers::user_id.eq(uid))
            .select(job_seekers::id)
            .first(c)
            .unwrap();
        let status = ak1_cards::table
            .filter(ak1_cards::job_seeker_id.eq(seeker))
            .select(ak1_cards::status)
            .first(c)
            .unwrap();
        let n = placements::table
            .filter(placements::job_seeker_id.eq(seeker))
            .count()
            .get_result(c)
            .unwrap();
        (status, n)
    });
    assert_eq!((status.as_str(), placements_made), ("placed", 1));
    // The public check now says the holder was placed.
    let check = public.get(&path).await;
    check.assert_contains("Kartu asli, tetapi tidak lagi aktif");
    check.assert_contains("Sudah bekerja");
});
