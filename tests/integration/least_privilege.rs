//! Least privilege for residents' personal data, on both backends: a CV goes only to counter
//! staff (and to the companies the resident applied to, see `applications`), a staff look at
//! a photo is in the audit log, and an unconfirmed e-mail address stops applying, enrolling
//! and job alerts with a message and a way to get the link again.

use actix_web::http::StatusCode;
use chrono::Duration;
use diesel::prelude::*;

use crate::accounts::{link_path, signup_fields};
use crate::common::browser::Browser;
use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};
use crate::seekers::{complete_profile, plain_pdf, upload_to};
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};
use sibuser::alerts::digest;
use sibuser::schema::{
    applications, audit_log, job_alerts, job_seekers, mail_outbox, training_enrolments, users,
};
use sibuser::vacancies::search::BoardCache;

const SITI: &str = "pencaker@sibuser.example";
const OPERATOR: &str = "operator@sibuser.example";
const VERIFIER: &str = "verifikator@sibuser.example";
const STEWARD: &str = "walidata@sibuser.example";
const ADMIN: &str = "admin@sibuser.example";
const EMPLOYER: &str = "perusahaan@sibuser.example";

const VERIFY_FIRST: &str = "Verifikasi alamat surel Anda terlebih dahulu";
const RESEND_FORM: &str = "action=\"/akun/verifikasi\"";

fn audited(app: &TestApp, action: &str, actor: i32, subject: i32) -> i64 {
    with_conn(app, |c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .filter(audit_log::actor_user_id.eq(actor))
            .filter(audit_log::subject_type.eq("user"))
            .filter(audit_log::subject_id.eq(subject.to_string()))
            .count()
            .get_result(c)
            .unwrap()
    })
}

/// Follows the newest verification link mailed to `email`, as its owner would.
pub(crate) async fn confirm_email(app: &TestApp, browser: &Browser<'_>, email: &str) {
    let body: String = with_conn(app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq(email))
            .filter(mail_outbox::body_text.like("%/verifikasi/%"))
            .order(mail_outbox::id.desc())
            .select(mail_outbox::body_text)
            .first(c)
            .unwrap()
    });
    let res = browser.get(&link_path(&body, "/verifikasi/")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

db_test!(only_counter_staff_download_a_residents_cv, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, SITI).await;
    let res = upload_to(&siti, "/pencaker/cv", "cv.pdf", &plain_pdf()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let owner = user_id(&app, SITI);
    let path = format!("/petugas/pencaker/{owner}/cv");

    // Verifying companies and keeping statistics need no resident's CV.
    for who in [VERIFIER, STEWARD] {
        let staff = signed_in(&app, who).await;
        assert_eq!(
            staff.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            audited(&app, "seeker.cv_downloaded", user_id(&app, who), owner),
            0,
            "{who}"
        );
    }
    // The counter serves the resident, and its download is logged.
    for who in [OPERATOR, ADMIN] {
        let staff = signed_in(&app, who).await;
        let res = staff.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{who}");
        assert_eq!(res.header("content-type"), Some("application/pdf"));
        assert_eq!(
            audited(&app, "seeker.cv_downloaded", user_id(&app, who), owner),
            1,
            "{who}"
        );
    }
});

/// A PNG signature and header of the given size: what the photo check reads.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b
}

db_test!(a_staff_look_at_a_photo_and_its_removal_are_audited, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, SITI).await;
    let res = upload_to(&siti, "/pencaker/foto", "pasfoto.png", &png(300, 400)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let owner = user_id(&app, SITI);

    // Her own look is not a staff read.
    assert_eq!(siti.get("/pencaker/foto").await.status, StatusCode::OK);
    assert_eq!(audited(&app, "seeker.photo_viewed", owner, owner), 0);

    let operator = signed_in(&app, OPERATOR).await;
    let res = operator
        .get(&format!("/petugas/pencaker/{owner}/foto"))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        audited(&app, "seeker.photo_viewed", user_id(&app, OPERATOR), owner),
        1
    );

    siti.get("/pencaker/profil").await;
    let res = siti.post("/pencaker/foto/hapus", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(audited(&app, "seeker.photo_deleted", owner, owner), 1);
    // Nothing left to remove: nothing more to log.
    siti.get("/pencaker/profil").await;
    siti.post("/pencaker/foto/hapus", &[]).await;
    assert_eq!(audited(&app, "seeker.photo_deleted", owner, owner), 1);
});

const NUR: &str = "nur.aini@contoh.id";

fn count_of_nur(app: &TestApp) -> (i64, i64, i64) {
    with_conn(app, |c| {
        let seeker: i32 = job_seekers::table
            .inner_join(users::table)
            .filter(users::email.eq(NUR))
            .select(job_seekers::id)
            .first(c)
            .unwrap();
        let applied = applications::table
            .filter(applications::job_seeker_id.eq(seeker))
            .count()
            .get_result(c)
            .unwrap();
        let enrolled = training_enrolments::table
            .filter(training_enrolments::job_seeker_id.eq(seeker))
            .count()
            .get_result(c)
            .unwrap();
        let alerts = job_alerts::table
            .filter(job_alerts::job_seeker_id.eq(seeker))
            .count()
            .get_result(c)
            .unwrap();
        (applied, enrolled, alerts)
    })
}

db_test!(
    an_unconfirmed_address_stops_applying_enrolling_and_alerts_until_confirmed,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, EMPLOYER).await;
        verify_company(&app, owner_company(&app));
        let vacancy = new_vacancy(&app, &employer, "submit").await;
        publish(&app, vacancy);
        let programme =
            crate::enrolment::publish(&app, "Kasir Ritel Angkatan II", "10", 5, 7).await;

        // A new resident, signed up, with a complete profile, who has not opened the mail.
        let nur = Browser::new(&app);
        let fields = signup_fields(NUR);
        let res = nur.submit("/daftar", "/daftar", &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // Sign-up signs nobody in; the password does, verified or not.
        let password = fields.iter().find(|(k, _)| *k == "password").unwrap().1;
        let res = nur.sign_in(NUR, password).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        complete_profile(&app, &nur, "/pencaker/profil", "1275015203980008").await;

        let apply = format!("/lowongan/{vacancy}/lamar");
        let page = nur.get(&apply).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        page.assert_contains(VERIFY_FIRST);
        page.assert_contains(RESEND_FORM);
        page.assert_contains(NUR);
        let res = nur.post(&apply, &[("catatan", "Saya siap bekerja.")]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains(VERIFY_FIRST);

        let enrol = format!("/pelatihan/{programme}/daftar");
        let page = nur.get(&enrol).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        page.assert_contains(VERIFY_FIRST);
        page.assert_contains(RESEND_FORM);
        let res = nur.post(&enrol, &[]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains(VERIFY_FIRST);

        let search = nur.get("/lowongan?q=kasir").await;
        search.assert_contains(VERIFY_FIRST);
        search.assert_lacks("action=\"/pencaker/peringatan\"");
        let res = nur
            .post(
                "/pencaker/peringatan",
                &[("kueri", "q=kasir"), ("frekuensi", "daily")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.header("location"), Some("/lowongan?q=kasir"));
        nur.get("/lowongan?q=kasir")
            .await
            .assert_contains("Peringatan belum disimpan: verifikasi alamat surel Anda");
        assert_eq!(count_of_nur(&app), (0, 0, 0), "nothing was written");

        // The way out: a fresh link, opened; then each works.
        let res = nur.post("/akun/verifikasi", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        confirm_email(&app, &nur, NUR).await;
        nur.get(&apply).await;
        let res = nur.post(&apply, &[("catatan", "")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        nur.get(&enrol).await;
        let res = nur.post(&enrol, &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        nur.get("/lowongan?q=kasir")
            .await
            .assert_contains("action=\"/pencaker/peringatan\"");
        let res = nur
            .post(
                "/pencaker/peringatan",
                &[("kueri", "q=kasir"), ("frekuensi", "daily")],
            )
            .await;
        assert_eq!(res.header("location"), Some("/pencaker/peringatan"));
        assert_eq!(count_of_nur(&app), (1, 1, 1));
    }
);

fn digest_at(app: &TestApp, after: Duration) -> usize {
    let now = chrono::Utc::now().naive_utc() + after;
    with_conn(app, |c| {
        digest::run(
            c,
            &BoardCache::new(0),
            now,
            &app.portal.state.settings.base_url,
        )
        .unwrap()
    })
}

/// Alert digests to `email` that carry the vacancy.
fn digests_with(app: &TestApp, email: &str, vacancy: i32) -> i64 {
    with_conn(app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq(email))
            .filter(mail_outbox::body_text.like("%/peringatan/berhenti/%"))
            .filter(mail_outbox::body_text.like(format!("%/lowongan/{vacancy}\n%")))
            .count()
            .get_result(c)
            .unwrap()
    })
}

db_test!(the_digest_skips_an_unconfirmed_address, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, SITI).await;
    siti.get("/lowongan?q=kasir").await;
    let res = siti
        .post(
            "/pencaker/peringatan",
            &[("kueri", "q=kasir"), ("frekuensi", "daily")],
        )
        .await;
    assert_eq!(res.header("location"), Some("/pencaker/peringatan"));
    // An alert saved before addresses had to be confirmed, by an account never confirmed.
    let set_verified = |at: Option<chrono::NaiveDateTime>| {
        with_conn(&app, |c| {
            diesel::update(users::table.filter(users::email.eq(SITI)))
                .set(users::email_verified_at.eq(at))
                .execute(c)
                .unwrap();
        })
    };
    set_verified(None);
    let employer = signed_in(&app, EMPLOYER).await;
    verify_company(&app, owner_company(&app));
    let vacancy = new_vacancy(&app, &employer, "submit").await;
    publish(&app, vacancy);

    let day = Duration::days(1) + Duration::minutes(1);
    digest_at(&app, day);
    assert_eq!(
        digests_with(&app, SITI, vacancy),
        0,
        "no digest to an unconfirmed address"
    );
    // Once confirmed, the waiting alert is sent with what it missed.
    set_verified(Some(chrono::Utc::now().naive_utc()));
    digest_at(&app, day);
    assert_eq!(digests_with(&app, SITI, vacancy), 1);
});
