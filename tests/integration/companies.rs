//! Company profiles and their verification, from sign-up to a verifier's decision.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use crate::reviewed_versions::decide;
use sibuser::schema::{audit_log, companies, company_events, mail_outbox, users};

fn owner_company(app: &TestApp) -> i32 {
    with_conn(app, |c| {
        users::table
            .filter(users::email.eq("perusahaan@sibuser.example"))
            .select(users::company_id)
            .first::<Option<i32>>(c)
            .unwrap()
            .unwrap()
    })
}

fn status_of(app: &TestApp, id: i32) -> (String, Option<String>) {
    with_conn(app, |c| {
        companies::table
            .find(id)
            .select((companies::verification_status, companies::verification_note))
            .first(c)
            .unwrap()
    })
}

fn profile_fields(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("company_name", name),
        ("nib", "1111122222333"),
        ("npwp", ""),
        ("kbli_section", "I"),
        ("location", "12.75.02.1006"),
        ("address", "Jl. Jenderal Sudirman No. 8"),
        ("size_band", "small"),
        ("contact_phone", "061 882 1234"),
        ("contact_email", "hrd@rambutan.co.id"),
        ("website", "rambutan.co.id"),
        ("description", "Rumah makan khas Binjai."),
    ]
}

db_test!(
    a_company_is_rejected_with_a_reason_corrected_and_verified,
    |app| {
        seed_demo(&app);
        let company = owner_company(&app);
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let page = employer.get("/perusahaan/profil").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Menunggu verifikasi");

        // The verifier's queue has it, the longest-waiting first.
        let verifier = signed_in(&app, "verifikator@sibuser.example").await;
        let queue = verifier.get("/petugas/verifikasi/perusahaan").await;
        assert_eq!(queue.status, StatusCode::OK);
        let pending: i64 = with_conn(&app, |c| {
            sibuser::employers::count_pending_companies(c).unwrap()
        });
        assert!((1..16).contains(&pending), "{pending}");
        queue.assert_contains(&format!("{pending} perusahaan menunggu verifikasi."));
        queue.assert_contains(&format!("/petugas/verifikasi/perusahaan/{company}\""));

        // A rejection needs a reason the company can act on.
        let path = format!("/petugas/verifikasi/perusahaan/{company}");
        let res = verifier
            .submit(&path, &path, &[("keputusan", "tolak"), ("alasan", "salah")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tulis alasan penolakan");
        res.assert_contains(">salah</textarea>");
        let reason = "NIB tidak cocok dengan nama perusahaan di OSS.";
        let res = decide(
            &verifier,
            &path,
            &[("keputusan", "tolak"), ("alasan", reason)],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(
            status_of(&app, company),
            ("rejected".into(), Some(reason.into()))
        );
        let mail: (String, String) = with_conn(&app, |c| {
            mail_outbox::table
                .order(mail_outbox::id.desc())
                .select((mail_outbox::to_address, mail_outbox::body_text))
                .first(c)
                .unwrap()
        });
        assert_eq!(mail.0, "perusahaan@sibuser.example");
        assert!(mail.1.contains(reason), "{}", mail.1);

        // The employer sees why, corrects the profile, and it goes back to the queue.
        let page = employer.get("/perusahaan/profil").await;
        page.assert_contains("Ditolak");
        page.assert_contains(reason);
        let res = employer
            .post("/perusahaan/profil", &profile_fields("CV Rambutan Manis"))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&app, company).0, "pending");
        employer
            .get("/perusahaan/profil")
            .await
            .assert_contains("dikirim untuk diverifikasi ulang");

        let seen = crate::reviewed_versions::revision_on(&verifier.get(&path).await.body);
        let res = verifier
            .post(
                &path,
                &[("keputusan", "setujui"), ("alasan", ""), ("revisi", &seen)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, company).0, "verified");
        // A second decision on the same company, from the same page, changes nothing.
        let res = verifier
            .post(
                &path,
                &[
                    ("keputusan", "tolak"),
                    ("alasan", reason),
                    ("revisi", &seen),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        verifier
            .get("/petugas/verifikasi/perusahaan")
            .await
            .assert_contains("sudah diputuskan");
        assert_eq!(status_of(&app, company).0, "verified");

        // Every step is a dated event: created, rejected, resubmitted, verified.
        let history: Vec<String> = with_conn(&app, |c| {
            company_events::table
                .filter(company_events::company_id.eq(company))
                .order(company_events::id)
                .select(company_events::status)
                .load(c)
                .unwrap()
        });
        assert_eq!(history, ["pending", "rejected", "pending", "verified"]);
        let audited: Vec<String> = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::subject_type.eq("company"))
                .order(audit_log::id)
                .select(audit_log::action)
                .load(c)
                .unwrap()
        });
        assert_eq!(
            audited,
            [
                "company.rejected",
                "company.profile_changed",
                "company.verified"
            ]
        );
    }
);

db_test!(
    a_verified_company_is_reviewed_again_for_anything_but_its_size,
    |app| {
        seed_demo(&app);
        let company = owner_company(&app);
        let nib: String = with_conn(&app, |c| {
            companies::table
                .find(company)
                .select(companies::nib.assume_not_null())
                .first(c)
                .unwrap()
        });
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let verifier = signed_in(&app, "verifikator@sibuser.example").await;
        let path = format!("/petugas/verifikasi/perusahaan/{company}");
        let mut fields = profile_fields("CV Rambutan Manis");
        fields[1] = ("nib", nib.as_str());
        employer.get("/perusahaan/profil").await;
        employer.post("/perusahaan/profil", &fields).await;
        decide(
            &verifier,
            &path,
            &[("keputusan", "setujui"), ("alasan", "")],
        )
        .await;
        assert_eq!(status_of(&app, company).0, "verified");

        // The size band is neither checked by the verifier nor a way to reach residents.
        fields[6] = ("size_band", "medium");
        employer.get("/perusahaan/profil").await;
        let res = employer.post("/perusahaan/profil", &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&app, company).0, "verified");

        // Contact details are: a new phone number is reviewed again, as a new name is.
        fields[7] = ("contact_phone", "0812 6000 1234");
        employer.get("/perusahaan/profil").await;
        employer.post("/perusahaan/profil", &fields).await;
        assert_eq!(status_of(&app, company).0, "pending");
        decide(
            &verifier,
            &path,
            &[("keputusan", "setujui"), ("alasan", "")],
        )
        .await;
        assert_eq!(status_of(&app, company).0, "verified");
        fields[0] = ("company_name", "PT Nama Baru Sekali");
        employer.get("/perusahaan/profil").await;
        employer.post("/perusahaan/profil", &fields).await;
        assert_eq!(status_of(&app, company).0, "pending");
    }
);

db_test!(profile_errors_keep_the_input, |app| {
    seed_demo(&app);
    let employer = signed_in(&app, "perusahaan@sibuser.example").await;
    employer.get("/perusahaan/profil").await;
    let mut fields = profile_fields("CV Rambutan");
    fields[1] = ("nib", "123");
    fields[7] = ("contact_phone", "abc");
    fields[9] = ("website", "bukan situs");
    fields[6] = ("size_band", "raksasa");
    let res = employer.post("/perusahaan/profil", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("NIB terdiri atas 13 angka");
    res.assert_contains("Isi nomor HP yang valid");
    res.assert_contains("Isi alamat situs yang valid");
    res.assert_contains("Pilih ukuran perusahaan");
    res.assert_contains(r#"value="bukan situs""#);
    // Another company's NIB cannot be taken.
    let other_nib: Option<String> = with_conn(&app, |c| {
        companies::table
            .filter(companies::id.ne(owner_company(&app)))
            .select(companies::nib)
            .first(c)
            .unwrap()
    });
    let other_nib = other_nib.unwrap();
    let mut fields = profile_fields("CV Rambutan");
    fields[1] = ("nib", other_nib.as_str());
    let res = employer.post("/perusahaan/profil", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("NIB ini sudah terdaftar");
});
