//! Vacancies from the employer's form to a verifier's decision, with the lifecycle rules.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use crate::reviewed_versions::decide;
use sibuser::employers::VerificationStatus;
use sibuser::schema::{kbji_occupations, mail_outbox, users, vacancies, vacancy_events};

pub(crate) fn cashier_id(app: &TestApp) -> String {
    with_conn(app, |c| {
        kbji_occupations::table
            .filter(kbji_occupations::title_id.eq("Kasir"))
            .select(kbji_occupations::id)
            .first::<i32>(c)
            .unwrap()
            .to_string()
    })
}

pub(crate) fn owner_company(app: &TestApp) -> i32 {
    with_conn(app, |c| {
        users::table
            .filter(users::email.eq("perusahaan@sibuser.example"))
            .select(users::company_id)
            .first::<Option<i32>>(c)
            .unwrap()
            .unwrap()
    })
}

pub(crate) fn verify_company(app: &TestApp, id: i32) {
    with_conn(app, |c| {
        sibuser::employers::set_status(c, id.into(), VerificationStatus::Verified, None, None)
            .unwrap();
    });
}

pub(crate) fn dates() -> (String, String) {
    let today = sibuser::domain::calendar::today();
    (
        today.to_string(),
        (today + chrono::Duration::days(30)).to_string(),
    )
}

pub(crate) fn fields(
    job: &str,
    opens: &str,
    closes: &str,
    action: &'static str,
) -> Vec<(String, String)> {
    [
        ("title", "Kasir Toko Roti"),
        ("job_title_id", job),
        (
            "description",
            "Melayani pembayaran pelanggan dan menjaga kebersihan kasir.",
        ),
        (
            "requirements",
            "Jujur, teliti, dan dapat bekerja dalam shift.",
        ),
        ("education_min", "4"),
        ("experience_months", "0"),
        ("employment_type", "pkwt"),
        ("location", "12.75.02.1006"),
        ("wage_min", "3.000.000"),
        ("wage_max", "3.500.000"),
        ("show_wage", "on"),
        ("quota_female", "2"),
        ("quota_any", "1"),
        ("opens_on", opens),
        ("closes_on", closes),
        ("action", action),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

pub(crate) async fn post(
    browser: &Browser<'_>,
    path: &str,
    fields: &[(String, String)],
) -> crate::common::TestResponse {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    browser.post(path, &refs).await
}

pub(crate) fn status_of(app: &TestApp, id: i32) -> String {
    with_conn(app, |c| {
        vacancies::table
            .find(id)
            .select(vacancies::status)
            .first(c)
            .unwrap()
    })
}

pub(crate) fn latest_vacancy(app: &TestApp) -> i32 {
    with_conn(app, |c| {
        vacancies::table
            .order(vacancies::id.desc())
            .select(vacancies::id)
            .first(c)
            .unwrap()
    })
}

/// Posts the standard vacancy through the employer's form; returns its id.
pub(crate) async fn new_vacancy(
    app: &TestApp,
    employer: &Browser<'_>,
    action: &'static str,
) -> i32 {
    let (opens, closes) = dates();
    employer.get("/perusahaan/lowongan/baru").await;
    let res = post(
        employer,
        "/perusahaan/lowongan/baru",
        &fields(&cashier_id(app), &opens, &closes, action),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    latest_vacancy(app)
}

/// Publishes a vacancy directly, standing in for a verifier's decision.
pub(crate) fn publish(app: &TestApp, id: i32) {
    with_conn(app, |c| {
        sibuser::vacancies::set_status(
            c,
            id.into(),
            sibuser::vacancies::VacancyStatus::Published,
            None,
            None,
            chrono::Utc::now().naive_utc(),
        )
        .unwrap();
    });
}

db_test!(a_vacancy_goes_from_the_form_to_published, |app| {
    seed_demo(&app);
    let demo_vacancies: i64 = with_conn(&app, |c| vacancies::table.count().get_result(c).unwrap());
    let company = owner_company(&app);
    let job = cashier_id(&app);
    let (opens, closes) = dates();
    let employer = signed_in(&app, "perusahaan@sibuser.example").await;

    // Mistakes come back with the messages and what was typed.
    employer.get("/perusahaan/lowongan/baru").await;
    let mut bad = fields(&job, &opens, &closes, "submit");
    bad.retain(|(k, _)| k != "quota_female" && k != "quota_any");
    bad.push(("age_max".into(), "30".into()));
    for (k, v) in bad.iter_mut() {
        if k == "wage_min" {
            *v = "banyak".into();
        }
    }
    let res = post(&employer, "/perusahaan/lowongan/baru", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Isi jumlah pekerja yang dibutuhkan");
    res.assert_contains("Batas usia hanya boleh dengan alasan yang jelas");
    res.assert_contains(r#"value="Kasir Toko Roti""#);
    let count: i64 = with_conn(&app, |c| vacancies::table.count().get_result(c).unwrap());
    assert_eq!(count, demo_vacancies, "nothing was saved");

    // Sent for review; the company is not verified yet, so it cannot be published.
    let res = post(
        &employer,
        "/perusahaan/lowongan/baru",
        &fields(&job, &opens, &closes, "submit"),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = latest_vacancy(&app);
    assert_eq!(status_of(&app, id), "submitted");
    let verifier = signed_in(&app, "verifikator@sibuser.example").await;
    let queue = verifier.get("/petugas/verifikasi/lowongan").await;
    queue.assert_contains("Kasir Toko Roti");
    queue.assert_contains("belum terverifikasi");
    let path = format!("/petugas/verifikasi/lowongan/{id}");
    decide(&verifier, &path, &[("keputusan", "tayangkan")]).await;
    assert_eq!(status_of(&app, id), "submitted");
    verifier
        .get("/petugas/verifikasi/lowongan")
        .await
        .assert_contains("belum dapat ditayangkan karena perusahaannya");

    // Once the company is verified, it is published and the employer is told.
    verify_company(&app, company);
    let res = decide(&verifier, &path, &[("keputusan", "tayangkan")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, id), "published");
    let subject: String = with_conn(&app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq("perusahaan@sibuser.example"))
            .order(mail_outbox::id.desc())
            .select(mail_outbox::subject)
            .first(c)
            .unwrap()
    });
    assert!(subject.contains("tayang"), "{subject}");
    let (positions, published_at): (i32, Option<chrono::NaiveDateTime>) = with_conn(&app, |c| {
        vacancies::table
            .find(id)
            .select((
                vacancies::quota_male + vacancies::quota_female + vacancies::quota_any,
                vacancies::published_at,
            ))
            .first(c)
            .unwrap()
    });
    assert_eq!(positions, 3);
    assert!(published_at.is_some());
    let history: Vec<String> = with_conn(&app, |c| {
        vacancy_events::table
            .filter(vacancy_events::vacancy_id.eq(id))
            .order(vacancy_events::id)
            .select(vacancy_events::status)
            .load(c)
            .unwrap()
    });
    assert_eq!(history, ["submitted", "published"]);
});

db_test!(
    editing_a_published_vacancy_sends_it_back_unless_only_the_closing_date_moves,
    |app| {
        seed_demo(&app);
        let company = owner_company(&app);
        verify_company(&app, company);
        let job = cashier_id(&app);
        let (opens, _) = dates();
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let id = new_vacancy(&app, &employer, "submit").await;
        publish(&app, id);
        let path = format!("/perusahaan/lowongan/{id}");
        let later = (sibuser::domain::calendar::today() + chrono::Duration::days(45)).to_string();
        employer.get(&path).await;
        let res = post(&employer, &path, &fields(&job, &opens, &later, "submit")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&app, id), "published");

        employer.get(&path).await;
        let mut changed = fields(&job, &opens, &later, "submit");
        changed[0].1 = "Kasir dan Pramuniaga".into();
        post(&employer, &path, &changed).await;
        assert_eq!(status_of(&app, id), "submitted");
        employer
            .get("/perusahaan/lowongan")
            .await
            .assert_contains("diperiksa ulang");
    }
);

db_test!(
    a_rejected_vacancy_shows_the_reason_and_can_be_sent_again,
    |app| {
        seed_demo(&app);
        verify_company(&app, owner_company(&app));
        let job = cashier_id(&app);
        let (opens, closes) = dates();
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let id = new_vacancy(&app, &employer, "submit").await;
        let verifier = signed_in(&app, "verifikator@sibuser.example").await;
        let path = format!("/petugas/verifikasi/lowongan/{id}");
        verifier.get(&path).await;
        let res = verifier
            .post(&path, &[("keputusan", "tolak"), ("alasan", "kurang")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reason = "Upah di bawah UMK Binjai; perbaiki kisaran upah.";
        decide(
            &verifier,
            &path,
            &[("keputusan", "tolak"), ("alasan", reason)],
        )
        .await;
        assert_eq!(status_of(&app, id), "rejected");
        let own = format!("/perusahaan/lowongan/{id}");
        let page = employer.get(&own).await;
        page.assert_contains(reason);
        post(&employer, &own, &fields(&job, &opens, &closes, "submit")).await;
        assert_eq!(status_of(&app, id), "submitted");
    }
);

db_test!(closing_and_the_limits_of_an_employer, |app| {
    seed_demo(&app);
    verify_company(&app, owner_company(&app));
    let job = cashier_id(&app);
    let (opens, closes) = dates();
    let employer = signed_in(&app, "perusahaan@sibuser.example").await;
    let id = new_vacancy(&app, &employer, "draft").await;
    assert_eq!(status_of(&app, id), "draft");
    // A draft cannot be closed; a published one can.
    employer.get("/perusahaan/lowongan").await;
    employer
        .post(&format!("/perusahaan/lowongan/{id}/tutup"), &[])
        .await;
    assert_eq!(status_of(&app, id), "draft");
    publish(&app, id);
    employer.get("/perusahaan/lowongan").await;
    let res = employer
        .post(&format!("/perusahaan/lowongan/{id}/tutup"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, id), "closed");

    // Another company's employer cannot see or touch it: it is not found.
    let other: String = with_conn(&app, |c| {
        users::table
            .filter(users::company_id.is_not_null())
            .filter(users::email.ne("perusahaan@sibuser.example"))
            .select(users::email.assume_not_null())
            .first(c)
            .unwrap()
    });
    let stranger = signed_in(&app, &other).await;
    assert_eq!(
        stranger
            .get(&format!("/perusahaan/lowongan/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    stranger.get("/perusahaan/lowongan").await;
    let res = post(
        &stranger,
        &format!("/perusahaan/lowongan/{id}"),
        &fields(&job, &opens, &closes, "submit"),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let title: String = with_conn(&app, |c| {
        vacancies::table
            .find(id)
            .select(vacancies::title)
            .first(c)
            .unwrap()
    });
    assert_eq!(title, "Kasir Toko Roti");
});

db_test!(a_published_vacancy_expires_after_its_closing_date, |app| {
    seed_demo(&app);
    verify_company(&app, owner_company(&app));
    let employer = signed_in(&app, "perusahaan@sibuser.example").await;
    let id = new_vacancy(&app, &employer, "submit").await;
    publish(&app, id);
    let closing = sibuser::domain::calendar::today() + chrono::Duration::days(30);
    // The day it closes it is still open; the day after, the job expires it, once. (The
    // demo's own vacancies that close earlier expire along the way.)
    with_conn(&app, |c| {
        sibuser::vacancies::expire_due(c, closing).unwrap()
    });
    assert_eq!(status_of(&app, id), "published");
    let day_after = closing + chrono::Duration::days(1);
    let expired = with_conn(&app, |c| {
        sibuser::vacancies::expire_due(c, day_after).unwrap()
    });
    assert!(expired >= 1);
    assert_eq!(status_of(&app, id), "expired");
    assert_eq!(
        with_conn(&app, |c| sibuser::vacancies::expire_due(c, day_after)
            .unwrap()),
        0
    );
    assert_eq!(status_of(&app, id), "expired");
    let last: String = with_conn(&app, |c| {
        vacancy_events::table
            .filter(vacancy_events::vacancy_id.eq(id))
            .order(vacancy_events::id.desc())
            .select(vacancy_events::status)
            .first(c)
            .unwrap()
    });
    assert_eq!(last, "expired");
});

db_test!(
    filled_positions_are_counted_by_sex_and_fill_the_vacancy,
    |app| {
        seed_demo(&app);
        verify_company(&app, owner_company(&app));
        let job = cashier_id(&app);
        let (opens, closes) = dates();
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        employer.get("/perusahaan/lowongan/baru").await;
        // 2 women and 1 either: 3 positions.
        post(
            &employer,
            "/perusahaan/lowongan/baru",
            &fields(&job, &opens, &closes, "submit"),
        )
        .await;
        let id = latest_vacancy(&app);
        let path = format!("/perusahaan/lowongan/{id}/terisi");
        // Not before it was published.
        employer.get(&path).await;
        let res = employer.post(&path, &[("laki", "1")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("pernah tayang");
        publish(&app, id);
        // Two men is more than the one position open to men.
        employer.get(&path).await;
        let res = employer
            .post(&path, &[("laki", "2"), ("perempuan", "")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("melebihi posisi");
        res.assert_contains(r#"value="2""#);
        let res = employer
            .post(&path, &[("laki", "1"), ("perempuan", "1")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, id), "published");
        employer.get(&path).await;
        employer.post(&path, &[("perempuan", "1")]).await;
        assert_eq!(status_of(&app, id), "filled");
        let (men, women): (i32, i32) = with_conn(&app, |c| {
            vacancies::table
                .find(id)
                .select((vacancies::filled_male, vacancies::filled_female))
                .first(c)
                .unwrap()
        });
        assert_eq!((men, women), (1, 2));
        let fills: Vec<(i32, i32)> = with_conn(&app, |c| {
            vacancy_events::table
                .filter(vacancy_events::vacancy_id.eq(id))
                .filter(vacancy_events::kind.eq("filled"))
                .order(vacancy_events::id)
                .select((vacancy_events::filled_male, vacancy_events::filled_female))
                .load(c)
                .unwrap()
        });
        assert_eq!(fills, [(1, 1), (0, 1)]);
    }
);

db_test!(
    bulk_close_closes_only_the_companys_published_vacancies,
    |app| {
        seed_demo(&app);
        verify_company(&app, owner_company(&app));
        let job = cashier_id(&app);
        let (opens, closes) = dates();
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let mut ids = Vec::new();
        for action in ["submit", "submit", "draft"] {
            employer.get("/perusahaan/lowongan/baru").await;
            post(
                &employer,
                "/perusahaan/lowongan/baru",
                &fields(&job, &opens, &closes, action),
            )
            .await;
            ids.push(latest_vacancy(&app));
        }
        for id in &ids[..2] {
            with_conn(&app, |c| {
                sibuser::vacancies::set_status(
                    c,
                    (*id).into(),
                    sibuser::vacancies::VacancyStatus::Published,
                    None,
                    None,
                    chrono::Utc::now().naive_utc(),
                )
                .unwrap();
            });
        }
        let page = employer.get("/perusahaan/lowongan?q=kasir").await;
        page.assert_contains("Tutup lowongan yang dipilih");
        let id_strings: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        let mut form: Vec<(&str, &str)> = id_strings.iter().map(|i| ("id", i.as_str())).collect();
        form.push(("id", "999999"));
        let res = employer.post("/perusahaan/lowongan/tutup", &form).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, ids[0]), "closed");
        assert_eq!(status_of(&app, ids[1]), "closed");
        assert_eq!(status_of(&app, ids[2]), "draft");
        // The title filter finds nothing for another word.
        employer
            .get("/perusahaan/lowongan?q=montir")
            .await
            .assert_contains("Belum ada lowongan");
    }
);
