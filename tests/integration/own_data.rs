//! The seeker's own data (UU 27/2022): a complete JSON copy, and deletion that anonymises
//! the person but keeps what the statistics count. Both backends.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::common::{seed_demo, signed_in, with_conn};
use crate::seekers::complete_profile;
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};
use sibuser::schema::{ak1_cards, ak1_events, applications, job_alerts, job_seekers, users};

const SITI: &str = "pencaker@sibuser.example";
const SITI_NIK: &str = "1275015203980001";

/// What is left of a deleted seeker's profile: NIK, sex, birth date, education, skills, CV.
type Remains = (
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
    Option<i16>,
    String,
    Option<String>,
);

db_test!(
    a_seeker_downloads_everything_and_deletes_the_account,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        verify_company(&app, owner_company(&app));
        let vacancy = new_vacancy(&app, &employer, "submit").await;
        publish(&app, vacancy);

        let siti = signed_in(&app, SITI).await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        crate::seekers::upload_to(
            &siti,
            "/pencaker/cv",
            "cv.pdf",
            &crate::seekers::plain_pdf(),
        )
        .await;
        let uid = crate::common::user_id(&app, SITI);
        let operator = signed_in(&app, "operator@sibuser.example").await;
        operator.get(&format!("/petugas/pencaker/{uid}")).await;
        operator
            .post(&format!("/petugas/pencaker/{uid}/ak1/terbitkan"), &[])
            .await;
        siti.get(&format!("/lowongan/{vacancy}/lamar")).await;
        siti.post(
            &format!("/lowongan/{vacancy}/lamar"),
            &[("catatan", "Nomor HP saya 0812-6000-1234.")],
        )
        .await;
        siti.get("/lowongan?q=kasir").await;
        siti.post(
            "/pencaker/peringatan",
            &[("kueri", "q=kasir"), ("frekuensi", "weekly")],
        )
        .await;

        // The copy holds every part, and staff reads of her data are in it.
        let page = siti.get("/pencaker/data-saya").await;
        assert_eq!(page.status, StatusCode::OK);
        let res = siti.get("/pencaker/data-saya.json").await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-type"), Some("application/json"));
        let data: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(data["account"]["email"], SITI);
        assert_eq!(data["profile"]["nik"], SITI_NIK);
        assert_eq!(data["profile"]["cv"]["name"], "cv.pdf");
        assert!(
            data["ak1_cards"][0]["number"]
                .as_str()
                .unwrap()
                .starts_with("1275-")
        );
        assert_eq!(data["ak1_cards"][0]["events"][1]["kind"], "issued");
        assert_eq!(data["applications"][0]["vacancy"], "Kasir Toko Roti");
        assert_eq!(
            data["applications"][0]["your_note"],
            "Nomor HP saya 0812-6000-1234."
        );
        assert_eq!(data["job_alerts"].as_array().unwrap().len(), 1);
        let audit = data["audit_log"].as_array().unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a["action"] == "seeker.profile_viewed" && a["by"] == "other")
        );
        // Another seeker's copy holds none of it.
        let other = signed_in(&app, &crate::seekers::other_seeker(&app)).await;
        let theirs = other.get("/pencaker/data-saya.json").await;
        assert!(!theirs.body.contains(SITI_NIK));
        assert!(!theirs.body.contains(SITI));

        // Deleting asks for the password and the word; mistakes change nothing.
        siti.get("/pencaker/data-saya").await;
        let res = siti
            .post(
                "/pencaker/hapus-akun",
                &[("password", "salah"), ("konfirmasi", "hapus")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Kata sandi salah");
        res.assert_contains("Ketik HAPUS (huruf besar)");
        res.assert_contains("value=\"hapus\"");
        assert_eq!(siti.get("/pencaker/profil").await.status, StatusCode::OK);

        let cv_file: String = with_conn(&app, |c| {
            job_seekers::table
                .filter(job_seekers::user_id.eq(uid))
                .select(job_seekers::cv_file.assume_not_null())
                .first(c)
                .unwrap()
        });
        let cv_path = app
            .portal
            .state
            .settings
            .data_dir()
            .join("cv")
            .join(&cv_file);
        assert!(cv_path.exists());
        let seekers_before: i64 =
            with_conn(&app, |c| job_seekers::table.count().get_result(c).unwrap());
        let res = siti
            .post(
                "/pencaker/hapus-akun",
                &[
                    ("password", sibuser::demo::DEMO_PASSWORD),
                    ("konfirmasi", "HAPUS"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(res.header("location"), Some("/"));
        // Signed out, and the account cannot sign in again.
        let gone = siti.get("/pencaker/profil").await;
        assert_eq!(gone.status, StatusCode::SEE_OTHER);
        let again = crate::common::browser::Browser::new(&app);
        let res = again.sign_in(SITI, sibuser::demo::DEMO_PASSWORD).await;
        assert_ne!(
            res.status,
            StatusCode::SEE_OTHER,
            "the old login no longer works"
        );

        // The person is gone; the counts stay.
        let (email, name, active): (String, String, bool) = with_conn(&app, |c| {
            users::table
                .find(uid)
                .select((
                    users::email.assume_not_null(),
                    users::full_name,
                    users::is_active,
                ))
                .first(c)
                .unwrap()
        });
        assert!(!email.contains("pencaker") && !name.contains("Siti") && !active);
        let (nik, sex, birth, education, skills, cv): Remains = with_conn(&app, |c| {
            job_seekers::table
                .filter(job_seekers::user_id.eq(uid))
                .select((
                    job_seekers::nik,
                    job_seekers::sex,
                    job_seekers::birth_date,
                    job_seekers::education_level,
                    job_seekers::skills,
                    job_seekers::cv_file,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!(nik, None);
        assert_eq!(sex.as_deref(), Some("P"));
        assert_eq!(
            birth,
            NaiveDate::from_ymd_opt(1998, 7, 1),
            "birth year kept, day dropped"
        );
        assert_eq!(education, Some(5));
        assert!(skills.is_empty() && cv.is_none());
        assert!(!cv_path.exists(), "the CV file is removed");
        let seekers_after: i64 =
            with_conn(&app, |c| job_seekers::table.count().get_result(c).unwrap());
        assert_eq!(seekers_after, seekers_before, "the register keeps its row");
        let today = sibuser::domain::calendar::today();
        let (status, withdrawn_on): (String, NaiveDate) = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(ak1_events::table)
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(uid))
                .filter(ak1_events::kind.eq("withdrawn"))
                .select((ak1_cards::status, ak1_events::occurred_on))
                .first(c)
                .unwrap()
        });
        assert_eq!((status.as_str(), withdrawn_on), ("withdrawn", today));
        let (stage, note): (String, Option<String>) = with_conn(&app, |c| {
            applications::table
                .filter(applications::vacancy_id.eq(vacancy))
                .select((applications::stage, applications::note))
                .first(c)
                .unwrap()
        });
        assert_eq!((stage.as_str(), note), ("withdrawn", None));
        let alerts: i64 = with_conn(&app, |c| {
            job_alerts::table
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(uid))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(alerts, 0, "her saved searches are gone");
        // The employer's pipeline still counts the application, without her name.
        let pipeline = employer
            .get(&format!("/perusahaan/lowongan/{vacancy}/pelamar"))
            .await;
        pipeline.assert_contains("Ditarik pelamar (1)");
        pipeline.assert_lacks("Siti");
    }
);

db_test!(
    deleting_an_account_ends_its_sessions_and_forgets_its_mail_and_links,
    |app| {
        use sibuser::schema::{mail_outbox, user_sessions, user_tokens};
        seed_demo(&app);
        let siti = signed_in(&app, SITI).await;
        let on_the_phone = signed_in(&app, SITI).await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        // A reset link asked for on another device: a token and a mail to her address.
        let stranger = crate::common::browser::Browser::new(&app);
        stranger.get("/lupa-sandi").await;
        stranger.post("/lupa-sandi", &[("email", SITI)]).await;
        let uid = crate::common::user_id(&app, SITI);
        let tokens = |app| {
            with_conn(app, |c| {
                user_tokens::table
                    .filter(user_tokens::user_id.eq(uid))
                    .count()
                    .get_result::<i64>(c)
                    .unwrap()
            })
        };
        let mail_to_her = |app| {
            with_conn(app, |c| {
                mail_outbox::table
                    .filter(mail_outbox::to_address.eq(SITI))
                    .count()
                    .get_result::<i64>(c)
                    .unwrap()
            })
        };
        assert!(tokens(&app) > 0 && mail_to_her(&app) > 0);

        // Every module's part is in the copy.
        let res = siti.get("/pencaker/data-saya.json").await;
        let data: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        let parts: Vec<&str> = data
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            parts,
            [
                "account",
                "ak1_cards",
                "applications",
                "audit_log",
                "education",
                "employment",
                "experience",
                "exported_at",
                "job_alerts",
                "job_fair_tickets",
                "languages",
                "person",
                "placements",
                "profile",
                "training",
                "training_enrolments",
            ]
        );

        siti.get("/pencaker/data-saya").await;
        let res = siti
            .post(
                "/pencaker/hapus-akun",
                &[
                    ("password", sibuser::demo::DEMO_PASSWORD),
                    ("konfirmasi", "HAPUS"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!((tokens(&app), mail_to_her(&app)), (0, 0));
        // Her other device is signed out too, and every session row says why.
        assert_eq!(
            on_the_phone.get("/pencaker/profil").await.status,
            StatusCode::SEE_OTHER
        );
        let reasons: Vec<Option<String>> = with_conn(&app, |c| {
            user_sessions::table
                .filter(user_sessions::user_id.eq(uid))
                .select(user_sessions::end_reason)
                .load(c)
                .unwrap()
        });
        assert!(reasons.len() >= 2, "{reasons:?}");
        assert!(
            reasons.iter().all(|r| r.is_some()),
            "no session of hers stands: {reasons:?}"
        );
        assert!(reasons.iter().any(|r| r.as_deref() == Some("deleted")));
    }
);
