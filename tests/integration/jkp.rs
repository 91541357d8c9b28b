//! JKP recipients (issue 14): lists linked to people by NIK, the operators' follow-up, and
//! who may see them, on both backends.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use crate::seekers::complete_profile;
use sibuser::domain::{Nik, Sex};
use sibuser::jkp::model::{self, Listed, Outcome, Reason, Source};
use sibuser::people::Facts;
use sibuser::schema::{audit_log, jkp_events, people};

/// Born 5 May 1990, a man; not one of the demo residents.
const BUDI: &str = "1275010505900003";
const SITI: &str = "1275015203980001";

fn dismissed() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()
}

fn listed(app: &TestApp, nik: &str, name: &str, sex: Sex) -> Outcome {
    let nik = Nik::parse(nik).unwrap();
    with_conn(app, |c| {
        model::record_listed(
            c,
            &Listed {
                person: Facts {
                    nik: &nik,
                    name,
                    sex: Some(sex),
                    birth_date: None,
                    kelurahan_code: None,
                    regency_code: Some("12.75"),
                    email: None,
                    phone: None,
                },
                last_employer_name: "PT Tekstil Binjai",
                last_employer_nib: Some("9120009876543"),
                terminated_on: dismissed(),
                reason: Reason::Efficiency,
                benefit_from: NaiveDate::from_ymd_opt(2026, 10, 1),
                benefit_until: NaiveDate::from_ymd_opt(2027, 3, 31),
                source: Source::Bpjs,
            },
            chrono::Utc::now().naive_utc(),
        )
        .unwrap()
    })
}

fn id_of(outcome: Outcome) -> sibuser::jkp::JkpRecipientId {
    match outcome {
        Outcome::Created(id) | Outcome::Known(id) => id,
    }
}

fn audited(app: &TestApp, action: &str) -> i64 {
    with_conn(app, |c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(c)
            .unwrap()
    })
}

db_test!(an_operator_follows_a_recipient_up_to_work_again, |app| {
    seed_demo(&app);
    let id = id_of(listed(&app, BUDI, "Budi Santoso", Sex::Male));
    let operator = signed_in(&app, "operator@sibuser.example").await;

    // The list shows the NIK masked; opening it is logged.
    let list = operator.get("/petugas/jkp").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("Budi Santoso");
    list.assert_contains("127501********03");
    list.assert_lacks(BUDI);
    assert_eq!(audited(&app, "jkp.list_viewed"), 1);
    let page = operator.get(&format!("/petugas/jkp/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(BUDI);
    page.assert_contains("Efisiensi");
    assert_eq!(audited(&app, "jkp.viewed"), 1);

    let today = sibuser::domain::calendar::today().to_string();
    let res = operator
        .post(
            &format!("/petugas/jkp/{id}/konseling"),
            &[("on", today.as_str()), ("result", "training"), ("note", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = operator
        .post(
            &format!("/petugas/jkp/{id}/bekerja"),
            &[
                ("on", today.as_str()),
                ("employer_name", "CV Maju Bersama"),
                ("employer_nib", ""),
                ("job_title", "Operator Mesin Jahit"),
                ("note", "Lewat bursa kerja"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = operator.get(&format!("/petugas/jkp/{id}")).await;
    page.assert_contains("Disarankan mengikuti pelatihan");
    page.assert_contains("Bekerja kembali");
    assert_eq!(audited(&app, "jkp.followed_up"), 2);

    // The return to work is in the register of employed residents.
    let person = with_conn(&app, |c| model::find(c, id).unwrap().unwrap().person_id);
    let jobs = with_conn(&app, |c| sibuser::employment::jobs_of(c, person).unwrap());
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].employer_name, "CV Maju Bersama");
    assert_eq!(jobs[0].source, sibuser::employment::Source::Jkp);

    // The stages filter the list.
    operator
        .get("/petugas/jkp?tahap=bekerja")
        .await
        .assert_contains("Budi Santoso");
    operator
        .get("/petugas/jkp?tahap=menunggu")
        .await
        .assert_lacks("Budi Santoso");
});

/// A follow-up form (its path segment), what is typed, and the message it must get.
type Case = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    &'static str,
);

db_test!(a_bad_follow_up_comes_back_with_what_was_typed, |app| {
    seed_demo(&app);
    let id = id_of(listed(&app, BUDI, "Budi Santoso", Sex::Male));
    let operator = signed_in(&app, "operator@sibuser.example").await;
    operator.get(&format!("/petugas/jkp/{id}")).await;
    let cases: [Case; 4] = [
        (
            "konseling",
            vec![
                ("on", "2999-01-01"),
                ("result", "training"),
                ("note", "besok"),
            ],
            "Tanggal tidak boleh setelah hari ini.",
        ),
        (
            "konseling",
            vec![("on", "2026-09-01"), ("result", "training"), ("note", "")],
            "Tanggal tidak boleh sebelum tanggal PHK.",
        ),
        (
            "rujukan-lowongan",
            vec![
                ("on", "2026-10-02"),
                ("vacancy_id", "99999999"),
                ("note", ""),
            ],
            "Tidak ada lowongan dengan nomor ini.",
        ),
        (
            "bekerja",
            vec![
                ("on", "2026-10-02"),
                ("employer_name", "CV Maju"),
                ("employer_nib", "12345"),
                ("job_title", ""),
                ("note", ""),
            ],
            "NIB terdiri dari 13 angka.",
        ),
    ];
    for (action, fields, message) in cases {
        let res = operator
            .post(&format!("/petugas/jkp/{id}/{action}"), &fields)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        res.assert_contains(message);
        let typed = fields
            .iter()
            .find(|(k, _)| *k != "note" && !k.is_empty())
            .unwrap()
            .1;
        res.assert_contains(&format!("value=\"{typed}\""));
    }
    let written: i64 = with_conn(&app, |c| {
        jkp_events::table
            .filter(jkp_events::recipient_id.eq(id))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(written, 0, "nothing is written from a form with mistakes");
    let person = with_conn(&app, |c| model::find(c, id).unwrap().unwrap().person_id);
    let jobs = with_conn(&app, |c| sibuser::employment::jobs_of(c, person).unwrap());
    assert!(jobs.is_empty(), "no job from a refused return to work");
});

db_test!(
    a_list_links_to_a_known_resident_and_sent_twice_changes_nothing,
    |app| {
        seed_demo(&app);
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
        let people_before: i64 = with_conn(&app, |c| people::table.count().get_result(c).unwrap());

        let first = listed(&app, SITI, "SITI AISYAH LUBIS", Sex::Female);
        assert!(matches!(first, Outcome::Created(_)));
        let again = listed(&app, SITI, "SITI AISYAH LUBIS", Sex::Female);
        assert_eq!(again, Outcome::Known(id_of(first)));
        let people_after: i64 = with_conn(&app, |c| people::table.count().get_result(c).unwrap());
        assert_eq!(
            people_after, people_before,
            "the list names a person already known"
        );

        // The record is hers: it is in her own-data copy.
        let data: serde_json::Value =
            serde_json::from_str(&siti.get("/pencaker/data-saya.json").await.body).unwrap();
        assert_eq!(data["jkp"].as_array().map(Vec::len), Some(1));
        assert_eq!(data["jkp"][0]["record"]["termination_reason"], "efficiency");
    }
);

db_test!(
    only_operators_and_the_data_steward_see_jkp_recipients,
    |app| {
        seed_demo(&app);
        let id = id_of(listed(&app, BUDI, "Budi Santoso", Sex::Male));
        for (email, status) in [
            ("operator@sibuser.example", StatusCode::OK),
            ("walidata@sibuser.example", StatusCode::OK),
            ("admin@sibuser.example", StatusCode::FORBIDDEN),
            ("verifikator@sibuser.example", StatusCode::FORBIDDEN),
            ("pencaker@sibuser.example", StatusCode::FORBIDDEN),
        ] {
            let user = signed_in(&app, email).await;
            for path in ["/petugas/jkp".to_owned(), format!("/petugas/jkp/{id}")] {
                assert_eq!(user.get(&path).await.status, status, "{email} {path}");
            }
        }
        let anonymous = app.get("/petugas/jkp").await;
        assert_ne!(anonymous.status, StatusCode::OK);
        anonymous.assert_lacks("Budi Santoso");
    }
);

/// A BPJS list of 10,000 recipients, one of them a demo job seeker, with 100 bad rows of
/// five kinds at known lines.
fn bpjs_list() -> (String, Vec<usize>) {
    let mut csv = String::from(
        "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Pemberi Kerja;NIB Pemberi Kerja;Tanggal PHK;Alasan PHK\n",
    );
    let mut bad_lines = Vec::new();
    for i in 0..10_000usize {
        let line = i + 2;
        if i == 5 {
            csv.push_str(&format!(
                "{SITI};SITI AISYAH LUBIS;P;12/03/1998;PT Tekstil Binjai;9120009876543;30/09/2026;efisiensi\n"
            ));
            continue;
        }
        let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 70 + i % 30);
        let mut nik = format!(
            "1275{:02}{day:02}{month:02}{year:02}{:04}",
            1 + i % 5,
            5000 + i / 5
        );
        let mut name = format!("Pekerja Nomor {i}");
        let mut sex = "L";
        let mut dismissed = "2026-09-30".to_owned();
        let mut reason = "pkwt berakhir";
        if i % 100 == 50 {
            bad_lines.push(line);
            match (i / 100) % 5 {
                0 => nik.truncate(15),
                1 => sex = "P",
                2 => dismissed = "2999-01-01".to_owned(),
                3 => reason = "dipecat",
                _ => name = "=1+1".to_owned(),
            }
        }
        csv.push_str(&format!(
            "{nik};{name};{sex};{day:02}-{month:02}-19{year};PT Rambutan Agro;;{dismissed};{reason}\n"
        ));
    }
    (csv, bad_lines)
}

db_test!(a_bpjs_list_is_checked_row_by_row_and_imported_once, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, "pencaker@sibuser.example").await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
    let counts = |app: &TestApp| -> (i64, i64) {
        with_conn(app, |c| {
            (
                sibuser::schema::jkp_recipients::table
                    .count()
                    .get_result(c)
                    .unwrap(),
                people::table.count().get_result(c).unwrap(),
            )
        })
    };
    let before = counts(&app);
    let dir = tempfile::tempdir().unwrap();
    let (csv, bad_lines) = bpjs_list();
    assert_eq!(bad_lines.len(), 100);
    let file = dir.path().join("jkp-bpjs.csv");
    std::fs::write(&file, csv).unwrap();
    let path = file.to_str().unwrap();
    let out = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();

    // Checked only: every bad row is named by its line and column, and nothing is written.
    let dry = crate::import::sibuser_cli(&app, dir.path(), &["import", "jkp", path, "--dry-run"]);
    assert!(!dry.status.success());
    let report = out(&dry);
    for line in &bad_lines {
        assert!(
            report.contains(&format!("Baris {line}, kolom")),
            "line {line}:\n{report}"
        );
    }
    assert!(report.contains("Baris 52, kolom nik"), "{report}");
    assert!(report.contains("Baris 152, kolom jenis_kelamin: Jenis kelamin tidak sesuai NIK."));
    assert!(report.contains("Baris 252, kolom tanggal_phk"));
    assert!(report.contains("Baris 352, kolom alasan_phk"));
    assert!(report.contains("Baris 452, kolom nama"));
    assert_eq!(counts(&app), before, "a dry run writes nothing");
    // Without --only-valid a list with bad rows is refused whole.
    let refused = crate::import::sibuser_cli(&app, dir.path(), &["import", "jkp", path]);
    assert!(!refused.status.success());
    assert_eq!(counts(&app), before);

    // The valid rows: 9,900 recipients, all new people but Siti, who is linked by NIK.
    let written =
        crate::import::sibuser_cli(&app, dir.path(), &["import", "jkp", path, "--only-valid"]);
    assert!(written.status.success(), "{}", out(&written));
    let after = counts(&app);
    assert_eq!(after.0 - before.0, 9_900);
    assert_eq!(
        after.1 - before.1,
        9_899,
        "Siti was known: no second person"
    );
    let uid = crate::common::user_id(&app, "pencaker@sibuser.example");
    with_conn(&app, |c| {
        let seeker = sibuser::seekers::find_by_user(c, uid.into())
            .unwrap()
            .unwrap()
            .id;
        let person = sibuser::seekers::person_link::person_of(c, seeker)
            .unwrap()
            .unwrap();
        let hers = model::of_person(c, person).unwrap();
        assert_eq!(hers.len(), 1);
        assert_eq!(hers[0].terminated_on, dismissed());
    });

    // The same list again changes nothing.
    let again =
        crate::import::sibuser_cli(&app, dir.path(), &["import", "jkp", path, "--only-valid"]);
    assert!(again.status.success(), "{}", out(&again));
    assert_eq!(counts(&app), after);
});

db_test!(
    the_data_steward_imports_a_jkp_list_on_the_web_and_a_super_admin_may_not,
    |app| {
        use actix_web::test::TestRequest;
        seed_demo(&app);
        let list = format!(
            "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Pemberi Kerja;Tanggal PHK;Alasan PHK\n\
             {BUDI};Budi Santoso;L;05/05/1990;PT Rambutan Agro;30/09/2026;efisiensi\n\
             1275010505900;Salah NIK;L;05/05/1990;PT Rambutan Agro;30/09/2026;efisiensi\n"
        );
        let upload =
            |token: &str| crate::import::multipart(token, "jkp", "jkp-bpjs.csv", list.as_bytes());
        let recipients = |app: &TestApp| -> i64 {
            with_conn(app, |c| {
                sibuser::schema::jkp_recipients::table
                    .count()
                    .get_result(c)
                    .unwrap()
            })
        };

        // A super admin imports the other kinds but not JKP lists: it is not offered, and
        // an upload of one is refused.
        let admin = signed_in(&app, "admin@sibuser.example").await;
        let page = admin.get("/petugas/impor").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_lacks("value=\"jkp\"");
        let token = crate::common::browser::csrf_token_in(&page.body).unwrap();
        let (content_type, body) = upload(&token);
        let res = admin
            .send(
                TestRequest::post()
                    .uri("/petugas/impor")
                    .insert_header(("content-type", content_type))
                    .set_payload(body),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        admin
            .get("/petugas/impor")
            .await
            .assert_contains("hanya dapat diimpor oleh walidata");
        let runs: i64 = with_conn(&app, |c| {
            sibuser::schema::import_runs::table
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(runs, 0, "nothing was stored");

        // The data steward uploads, reads the bad row, and writes the good one.
        let steward = signed_in(&app, "walidata@sibuser.example").await;
        let page = steward.get("/petugas/impor").await;
        page.assert_contains("value=\"jkp\"");
        let token = crate::common::browser::csrf_token_in(&page.body).unwrap();
        let (content_type, body) = upload(&token);
        let res = steward
            .send(
                TestRequest::post()
                    .uri("/petugas/impor")
                    .insert_header(("content-type", content_type))
                    .set_payload(body),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let run_page = res.header("location").unwrap().to_owned();
        crate::import::work(&app);
        let checked = steward.get(&run_page).await;
        checked.assert_contains("<tr><td>3</td><td><code>nik</code>");
        checked.assert_contains("16 angka");
        let before = recipients(&app);
        steward
            .post(&format!("{run_page}/tulis"), &[("hanya_valid", "on")])
            .await;
        crate::import::work(&app);
        steward.get(&run_page).await.assert_contains("Selesai");
        assert_eq!(recipients(&app) - before, 1);
        // The list page shows Budi to the data steward.
        steward
            .get("/petugas/jkp")
            .await
            .assert_contains("Budi Santoso");
    }
);
