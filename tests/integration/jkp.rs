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
