//! The register of employed residents (issue 14): placements land in it by themselves, a
//! list naming the same job adds nothing, and an erased account takes its own jobs along.

use actix_web::http::StatusCode;
use chrono::NaiveDate;

use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use crate::seekers::complete_profile;
use sibuser::applications::placement::{self, Kind, NewPlacement};
use sibuser::employment::{self, NewJob, Source};
use sibuser::seekers::person_link;

const SITI: &str = "1275015203980001";

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
}

async fn siti_is_a_person(
    app: &TestApp,
) -> (sibuser::seekers::JobSeekerId, sibuser::people::PersonId) {
    let siti = signed_in(app, "pencaker@sibuser.example").await;
    complete_profile(app, &siti, "/pencaker/profil", SITI).await;
    let uid = crate::common::user_id(app, "pencaker@sibuser.example");
    with_conn(app, |c| {
        let seeker = sibuser::seekers::find_by_user(c, uid.into())
            .unwrap()
            .unwrap()
            .id;
        (seeker, person_link::person_of(c, seeker).unwrap().unwrap())
    })
}

fn place(app: &TestApp, seeker: sibuser::seekers::JobSeekerId) {
    with_conn(app, |c| {
        placement::record(
            c,
            &NewPlacement {
                job_seeker_id: seeker,
                application_id: None,
                vacancy_id: None,
                company_id: None,
                employer_name: "CV Rambutan Jaya",
                job_title: "Kasir",
                job_title_id: None,
                kbji_code: None,
                kind: Kind::Akl,
                start_date: start(),
                monthly_wage: None,
                recorded_by: None,
                kbli_section: None,
            },
            start(),
        )
        .unwrap();
    });
}

db_test!(a_placement_puts_the_job_in_the_register_once, |app| {
    seed_demo(&app);
    let (seeker, person) = siti_is_a_person(&app).await;
    place(&app, seeker);

    let jobs = with_conn(&app, |c| employment::jobs_of(c, person).unwrap());
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].employer_name, "CV Rambutan Jaya");
    assert_eq!(jobs[0].started_on, start());
    assert_eq!(jobs[0].source, Source::Placement);
    assert!(jobs[0].placement_id.is_some());

    // An employer's list naming the same job (spelt in capitals) adds nothing, but its
    // end date is kept.
    let ended = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let again = with_conn(&app, |c| {
        employment::record(
            c,
            &NewJob {
                person_id: person,
                employer_name: "CV RAMBUTAN JAYA",
                employer_nib: None,
                company_id: None,
                job_title: "KASIR",
                kbji_code: None,
                kbli_code: None,
                started_on: start(),
                ended_on: Some(ended),
                source: Source::Import,
                placement_id: None,
            },
            chrono::Utc::now().naive_utc(),
        )
        .unwrap()
    });
    assert!(!again.created);
    let jobs = with_conn(&app, |c| employment::jobs_of(c, person).unwrap());
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].ended_on, Some(ended));
});

db_test!(
    a_placement_of_a_seeker_without_a_checked_nik_waits_outside,
    |app| {
        seed_demo(&app);
        let uid = crate::common::user_id(&app, "pencaker@sibuser.example");
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        // A profile with no NIK at all.
        let res = crate::seekers::save_profile(
            &siti,
            "/pencaker/profil",
            &[
                ("full_name", "Siti Aisyah Lubis"),
                ("location", "12.75.01.1008"),
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let seeker = with_conn(&app, |c| {
            sibuser::seekers::find_by_user(c, uid.into())
                .unwrap()
                .unwrap()
                .id
        });
        let registered = |app: &TestApp| -> i64 {
            with_conn(app, |c| {
                use diesel::prelude::*;
                sibuser::schema::employed_residents::table
                    .count()
                    .get_result(c)
                    .unwrap()
            })
        };
        let before = registered(&app);
        place(&app, seeker);
        assert_eq!(
            registered(&app),
            before,
            "the placement counts, the register waits"
        );
        let of_siti = with_conn(&app, |c| person_link::person_of(c, seeker).unwrap());
        assert_eq!(of_siti, None, "no person, so no record can name her");
    }
);

db_test!(
    erasure_takes_the_residents_own_jobs_and_keeps_a_lists,
    |app| {
        seed_demo(&app);
        let (seeker, person) = siti_is_a_person(&app).await;
        place(&app, seeker);
        // An employer's list names another job of hers.
        with_conn(&app, |c| {
            employment::record(
                c,
                &NewJob {
                    person_id: person,
                    employer_name: "PT Sawit Binjai",
                    employer_nib: Some("9120001234567"),
                    company_id: None,
                    job_title: "Operator",
                    kbji_code: None,
                    kbli_code: None,
                    started_on: NaiveDate::from_ymd_opt(2024, 1, 8).unwrap(),
                    ended_on: NaiveDate::from_ymd_opt(2025, 6, 30),
                    source: Source::Import,
                    placement_id: None,
                },
                chrono::Utc::now().naive_utc(),
            )
            .unwrap();
        });
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        let data: serde_json::Value =
            serde_json::from_str(&siti.get("/pencaker/data-saya.json").await.body).unwrap();
        assert_eq!(data["employment"].as_array().map(Vec::len), Some(2));
        siti.get("/pencaker/hapus-akun").await;
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
        let jobs = with_conn(&app, |c| employment::jobs_of(c, person).unwrap());
        assert_eq!(
            jobs.len(),
            1,
            "the list's job stays, her own placement's goes"
        );
        assert_eq!(jobs[0].employer_name, "PT Sawit Binjai");
        let known = with_conn(&app, |c| sibuser::people::find(c, person).unwrap());
        assert!(known.is_some(), "the person the list names stays");
    }
);
