//! Applications, the employer's pipeline and placements, on both backends.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};
use crate::seekers::complete_profile;
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};
use sibuser::schema::{
    ak1_cards, ak1_events, applications, audit_log, job_seekers, mail_outbox, placements, users,
    vacancies,
};

const SITI: &str = "pencaker@sibuser.example";
const SITI_NIK: &str = "1275015203980001";
const EMPLOYER: &str = "perusahaan@sibuser.example";

/// The demo company's vacancy, published: "Kasir Toko Roti", 2 women and 1 either.
async fn open_vacancy(app: &TestApp, employer: &Browser<'_>) -> i32 {
    verify_company(app, owner_company(app));
    let id = new_vacancy(app, employer, "submit").await;
    publish(app, id);
    id
}

fn application_of(app: &TestApp, email: &str, vacancy: i32) -> (i32, String) {
    with_conn(app, |c| {
        applications::table
            .inner_join(job_seekers::table.inner_join(users::table))
            .filter(users::email.eq(email))
            .filter(applications::vacancy_id.eq(vacancy))
            .select((applications::id, applications::stage))
            .first(c)
            .unwrap()
    })
}

fn mails_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    with_conn(app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq(email))
            .order(mail_outbox::id)
            .select((mail_outbox::subject, mail_outbox::body_text))
            .load(c)
            .unwrap()
    })
}

db_test!(
    a_resident_applies_is_accepted_and_appears_as_placed,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, EMPLOYER).await;
        let vacancy = open_vacancy(&app, &employer).await;

        // Siti completes her profile, and the counter issues her card.
        let siti = signed_in(&app, SITI).await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let siti_uid = user_id(&app, SITI);
        let operator = signed_in(&app, "operator@sibuser.example").await;
        operator.get(&format!("/petugas/pencaker/{siti_uid}")).await;
        operator
            .post(&format!("/petugas/pencaker/{siti_uid}/ak1/terbitkan"), &[])
            .await;

        // She applies from the vacancy page, with a note.
        let page = siti.get(&format!("/lowongan/{vacancy}")).await;
        page.assert_contains(&format!("href=\"/lowongan/{vacancy}/lamar\""));
        let form = siti.get(&format!("/lowongan/{vacancy}/lamar")).await;
        assert_eq!(form.status, StatusCode::OK);
        form.assert_contains("Kirim lamaran");
        let res = siti
            .post(
                &format!("/lowongan/{vacancy}/lamar"),
                &[("catatan", "Saya bisa mulai bekerja minggu depan.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mine = siti.get("/pencaker/lamaran").await;
        mine.assert_contains("Kasir Toko Roti");
        mine.assert_contains("Terkirim, menunggu ditinjau");
        // The step tracker: sent is where it stands, the outcome still ahead.
        mine.assert_contains("<li class=\"step-current\" aria-current=\"step\">Terkirim</li>");
        mine.assert_contains("<li class=\"step-ahead\">Hasil</li>");
        let (app_id, stage) = application_of(&app, SITI, vacancy);
        assert_eq!(stage, "received");

        // The employer sees her in the pipeline with her note, and opens her profile and CV link.
        let pipeline = employer
            .get(&format!("/perusahaan/lowongan/{vacancy}/pelamar"))
            .await;
        assert_eq!(pipeline.status, StatusCode::OK);
        pipeline.assert_contains("Siti Aisyah Lubis");
        pipeline.assert_contains("Saya bisa mulai bekerja minggu depan.");
        pipeline.assert_contains("Terkirim, menunggu ditinjau (1)");
        let detail = employer
            .get(&format!("/perusahaan/lowongan/{vacancy}/pelamar/{app_id}"))
            .await;
        assert_eq!(detail.status, StatusCode::OK);
        detail.assert_contains("Akuntansi");
        // The employer has no business with her NIK.
        detail.assert_lacks(SITI_NIK);

        // Invited to an interview, with the time and place: she is told by e-mail.
        let note = "Wawancara Senin 7 Desember pukul 09.00 di kantor kami.";
        let res = employer
            .post(
                &format!("/perusahaan/lowongan/{vacancy}/pelamar"),
                &[
                    ("id", &app_id.to_string()),
                    ("tahap", "interview"),
                    ("catatan", note),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mails = mails_to(&app, SITI);
        let (subject, body) = mails.last().unwrap();
        assert!(subject.contains("Kasir Toko Roti"), "{subject}");
        assert!(body.contains("Wawancara") && body.contains(note), "{body}");
        siti.get("/pencaker/lamaran").await.assert_contains(note);

        // Accepted, starting on the 1st: a placement, a filled position, and off the register.
        let today = sibuser::domain::calendar::today();
        let start = today + chrono::Days::new(3);
        let res = employer
            .post(
                &format!("/perusahaan/lowongan/{vacancy}/pelamar"),
                &[
                    ("id", &app_id.to_string()),
                    ("tahap", "accepted"),
                    ("catatan", ""),
                    ("mulai", &start.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(application_of(&app, SITI, vacancy).1, "accepted");
        let (kind, start_date, employer_name): (String, NaiveDate, String) = with_conn(&app, |c| {
            placements::table
                .filter(placements::application_id.eq(app_id))
                .select((
                    placements::kind,
                    placements::start_date,
                    placements::employer_name,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!((kind.as_str(), start_date), ("AKL", start));
        assert!(!employer_name.is_empty());
        let (filled_female, filled_male): (i32, i32) = with_conn(&app, |c| {
            vacancies::table
                .find(vacancy)
                .select((vacancies::filled_female, vacancies::filled_male))
                .first(c)
                .unwrap()
        });
        assert_eq!((filled_female, filled_male), (1, 0));
        let (status, placed_on): (String, NaiveDate) = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(ak1_events::table)
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(siti_uid))
                .filter(ak1_events::kind.eq("placed"))
                .select((ak1_cards::status, ak1_events::occurred_on))
                .first(c)
                .unwrap()
        });
        assert_eq!((status.as_str(), placed_on), ("placed", today));
        siti.get("/pencaker/lamaran")
            .await
            .assert_contains("Diterima bekerja");
        siti.get("/pencaker/ak1")
            .await
            .assert_contains("Sudah bekerja");
        let counter = operator.get(&format!("/petugas/pencaker/{siti_uid}")).await;
        counter.assert_contains("Kasir Toko Roti");
        counter.assert_contains("AKL: di Sumatera Utara");
        // A decision stands: she can no longer withdraw, and the employer cannot move it.
        siti.get("/pencaker/lamaran")
            .await
            .assert_lacks("Tarik lamaran");
        let res = siti
            .post(&format!("/pencaker/lamaran/{app_id}/tarik"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        siti.get("/pencaker/lamaran")
            .await
            .assert_contains("sudah diputuskan dan tidak dapat ditarik");
    }
);

db_test!(
    applying_twice_closed_or_incomplete_is_refused_clearly,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, EMPLOYER).await;
        let vacancy = open_vacancy(&app, &employer).await;
        let siti = signed_in(&app, SITI).await;

        // Incomplete profile: the page lists what is missing and nothing is written.
        let res = siti.get(&format!("/lowongan/{vacancy}/lamar")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Lengkapi profil Anda sebelum melamar");
        res.assert_contains("Tanggal lahir");
        let res = siti
            .post(&format!("/lowongan/{vacancy}/lamar"), &[("catatan", "")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let none: i64 = with_conn(&app, |c| {
            applications::table
                .filter(applications::vacancy_id.eq(vacancy))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(none, 0);

        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        // A note too long comes back with what was typed.
        let long = "a".repeat(1001);
        siti.get(&format!("/lowongan/{vacancy}/lamar")).await;
        let res = siti
            .post(&format!("/lowongan/{vacancy}/lamar"), &[("catatan", &long)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("paling banyak 1.000 karakter");
        res.assert_contains(&long);
        // In the GOV.UK pattern: the summary links the field, the title says so.
        res.assert_contains(r##"<a href="#catatan">"##);
        res.assert_contains("<title>Kesalahan: ");

        let res = siti
            .post(&format!("/lowongan/{vacancy}/lamar"), &[("catatan", "")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // Twice: refused with a link to the first.
        let res = siti.get(&format!("/lowongan/{vacancy}/lamar")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        res.assert_contains("Anda sudah melamar lowongan ini");
        let res = siti
            .post(
                &format!("/lowongan/{vacancy}/lamar"),
                &[("catatan", "lagi")],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        let count: i64 = with_conn(&app, |c| {
            applications::table
                .filter(applications::vacancy_id.eq(vacancy))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(count, 1);

        // Closed: the employer closes the vacancy; another resident is refused.
        let other = crate::seekers::other_seeker(&app);
        with_conn(&app, |c| {
            sibuser::vacancies::set_status(
                c,
                vacancy.into(),
                sibuser::vacancies::VacancyStatus::Closed,
                None,
                None,
                chrono::Utc::now().naive_utc(),
            )
            .unwrap()
        });
        let resident = signed_in(&app, &other).await;
        let res = resident.get(&format!("/lowongan/{vacancy}/lamar")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        res.assert_contains("sudah ditutup");
        // A draft is nobody's to apply to.
        let draft = new_vacancy(&app, &employer, "draft").await;
        assert_eq!(
            siti.get(&format!("/lowongan/{draft}/lamar")).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

db_test!(employers_see_only_their_own_applicants, |app| {
    seed_demo(&app);
    let employer = signed_in(&app, EMPLOYER).await;
    let vacancy = open_vacancy(&app, &employer).await;
    let siti = signed_in(&app, SITI).await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
    crate::seekers::upload_to(
        &siti,
        "/pencaker/cv",
        "cv.pdf",
        &crate::seekers::plain_pdf(),
    )
    .await;
    siti.get(&format!("/lowongan/{vacancy}/lamar")).await;
    siti.post(&format!("/lowongan/{vacancy}/lamar"), &[("catatan", "")])
        .await;
    let (app_id, _) = application_of(&app, SITI, vacancy);

    // Her own employer downloads the CV, and the download is logged.
    let cv = employer
        .get(&format!(
            "/perusahaan/lowongan/{vacancy}/pelamar/{app_id}/cv"
        ))
        .await;
    assert_eq!(cv.status, StatusCode::OK);
    assert_eq!(cv.header("content-type"), Some("application/pdf"));
    let employer_uid = user_id(&app, EMPLOYER);
    let logged: i64 = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("seeker.cv_downloaded"))
            .filter(audit_log::actor_user_id.eq(employer_uid))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(logged, 1);

    // Another company, with a vacancy of its own: nothing of Siti's by guessing URLs.
    let (other_employer, other_company): (String, i32) = with_conn(&app, |c| {
        users::table
            .filter(users::email.like("%@perusahaan.example"))
            .filter(users::company_id.is_not_null())
            .select((
                users::email.assume_not_null(),
                users::company_id.assume_not_null(),
            ))
            .first(c)
            .unwrap()
    });
    verify_company(&app, other_company);
    let rival = signed_in(&app, &other_employer).await;
    for path in [
        format!("/perusahaan/lowongan/{vacancy}/pelamar"),
        format!("/perusahaan/lowongan/{vacancy}/pelamar/{app_id}"),
        format!("/perusahaan/lowongan/{vacancy}/pelamar/{app_id}/cv"),
    ] {
        assert_eq!(
            rival.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let rival_vacancy = new_vacancy(&app, &rival, "submit").await;
    publish(&app, rival_vacancy);
    for path in [
        format!("/perusahaan/lowongan/{rival_vacancy}/pelamar/{app_id}"),
        format!("/perusahaan/lowongan/{rival_vacancy}/pelamar/{app_id}/cv"),
    ] {
        assert_eq!(
            rival.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Moving someone else's application through one's own vacancy does nothing.
    rival
        .get(&format!("/perusahaan/lowongan/{rival_vacancy}/pelamar"))
        .await;
    rival
        .post(
            &format!("/perusahaan/lowongan/{rival_vacancy}/pelamar"),
            &[("id", &app_id.to_string()), ("tahap", "rejected")],
        )
        .await;
    assert_eq!(application_of(&app, SITI, vacancy).1, "received");
    // Nor does staff CV access stand in for an employer's.
    assert_eq!(
        rival
            .get(&format!("/petugas/pencaker/{}/cv", user_id(&app, SITI)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Another seeker cannot withdraw Siti's application.
    let other = signed_in(&app, &crate::seekers::other_seeker(&app)).await;
    other.get("/pencaker/lamaran").await;
    let res = other
        .post(&format!("/pencaker/lamaran/{app_id}/tarik"), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    other
        .get("/pencaker/lamaran")
        .await
        .assert_lacks("Kasir Toko Roti");

    // Siti withdraws; her CV is then no longer the employer's to read.
    siti.get("/pencaker/lamaran").await;
    let res = siti
        .post(&format!("/pencaker/lamaran/{app_id}/tarik"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(application_of(&app, SITI, vacancy).1, "withdrawn");
    assert_eq!(
        employer
            .get(&format!(
                "/perusahaan/lowongan/{vacancy}/pelamar/{app_id}/cv"
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
});

db_test!(
    bulk_moves_skip_what_cannot_move_and_respect_the_quota,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, EMPLOYER).await;
        let vacancy = open_vacancy(&app, &employer).await;
        // Four residents apply (the vacancy has 3 positions, at most 1 for a man).
        let residents: Vec<(String, i32)> = with_conn(&app, |c| {
            job_seekers::table
                .inner_join(users::table)
                .filter(users::email.like("%@warga.example"))
                .filter(job_seekers::nik.is_not_null())
                .select((users::email.assume_not_null(), job_seekers::id))
                .limit(4)
                .load(c)
                .unwrap()
        });
        let today = sibuser::domain::calendar::today();
        let ids: Vec<i32> = with_conn(&app, |c| {
            let v = sibuser::vacancies::find(c, vacancy.into())
                .unwrap()
                .unwrap();
            residents
                .iter()
                .map(|(_, seeker)| {
                    sibuser::applications::model::apply(
                        c,
                        (*seeker).into(),
                        &v,
                        None,
                        1.into(),
                        today,
                    )
                    .unwrap()
                    .get()
                })
                .collect()
        });
        employer
            .get(&format!("/perusahaan/lowongan/{vacancy}/pelamar"))
            .await;

        // No selection, no stage, and an acceptance without a start date: the form comes back.
        let res = employer
            .post(
                &format!("/perusahaan/lowongan/{vacancy}/pelamar"),
                &[("tahap", ""), ("catatan", "Terima kasih")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Pilih paling sedikit satu pelamar");
        res.assert_contains("Pilih tahap tujuan");
        res.assert_contains(">Terima kasih</textarea>");
        let res = employer
            .post(
                &format!("/perusahaan/lowongan/{vacancy}/pelamar"),
                &[
                    ("id", &ids[0].to_string()),
                    ("tahap", "accepted"),
                    ("mulai", "kemarin"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Isi tanggal mulai kerja");

        // All four shortlisted at once; each is e-mailed.
        let mut all: Vec<(&str, String)> = ids.iter().map(|id| ("id", id.to_string())).collect();
        all.push(("tahap", "shortlisted".into()));
        let refs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = employer
            .post(&format!("/perusahaan/lowongan/{vacancy}/pelamar"), &refs)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        for (email, _) in &residents {
            assert!(
                mails_to(&app, email)
                    .iter()
                    .any(|(_, b)| b.contains("Masuk daftar pendek")),
                "{email} is told"
            );
        }
        // Back to "reviewed" is not a move: all skipped, and the page says so.
        let mut back = all.clone();
        back.retain(|(k, _)| *k == "id");
        back.push(("tahap", "reviewed".into()));
        let refs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (*k, v.as_str())).collect();
        employer
            .post(&format!("/perusahaan/lowongan/{vacancy}/pelamar"), &refs)
            .await;
        employer
            .get(&format!("/perusahaan/lowongan/{vacancy}/pelamar"))
            .await
            .assert_contains("Tidak ada lamaran yang dipindahkan");

        // Accept everyone: at most 3 positions, never more, whatever the sexes.
        let mut accept = all.clone();
        accept.retain(|(k, _)| *k == "id");
        accept.push(("tahap", "accepted".into()));
        accept.push(("mulai", today.to_string()));
        let refs: Vec<(&str, &str)> = accept.iter().map(|(k, v)| (*k, v.as_str())).collect();
        employer
            .post(&format!("/perusahaan/lowongan/{vacancy}/pelamar"), &refs)
            .await;
        let (filled_m, filled_f, status): (i32, i32, String) = with_conn(&app, |c| {
            vacancies::table
                .find(vacancy)
                .select((
                    vacancies::filled_male,
                    vacancies::filled_female,
                    vacancies::status,
                ))
                .first(c)
                .unwrap()
        });
        let placed: i64 = with_conn(&app, |c| {
            placements::table
                .filter(placements::vacancy_id.eq(vacancy))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert!(
            filled_m <= 1 && filled_m + filled_f <= 3,
            "{filled_m} men, {filled_f} women"
        );
        assert_eq!(
            placed,
            i64::from(filled_m + filled_f),
            "one placement per filled position"
        );
        if placed == 3 {
            assert_eq!(status, "filled");
        }
    }
);

db_test!(
    the_counter_records_a_placement_made_outside_the_portal,
    |app| {
        seed_demo(&app);
        let siti = signed_in(&app, SITI).await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let siti_uid = user_id(&app, SITI);
        let operator = signed_in(&app, "operator@sibuser.example").await;
        operator.get(&format!("/petugas/pencaker/{siti_uid}")).await;
        operator
            .post(&format!("/petugas/pencaker/{siti_uid}/ak1/terbitkan"), &[])
            .await;
        let form = operator
            .get(&format!("/petugas/pencaker/{siti_uid}/penempatan"))
            .await;
        assert_eq!(form.status, StatusCode::OK);

        // Mistakes come back with the input and nothing is recorded.
        let res = operator
            .post(
                &format!("/petugas/pencaker/{siti_uid}/penempatan"),
                &[
                    ("employer", "CV Maju Jaya"),
                    ("nib", "12345"),
                    ("job_title_id", "abc"),
                    ("kind", "AKX"),
                    ("start", "2001-01-01"),
                    ("wage", "tiga juta"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "NIB terdiri atas 13 angka",
            "Pilih jabatan dari daftar",
            "Pilih jenis antarkerja",
            "paling lama setahun lalu",
        ] {
            res.assert_contains(message);
        }
        res.assert_contains("value=\"CV Maju Jaya\"");
        res.assert_contains("value=\"12345\"");
        // A NIB the portal does not know names no section: the form asks for one.
        let job = crate::vacancies::cashier_id(&app);
        let today = sibuser::domain::calendar::today().to_string();
        let res = operator
            .post(
                &format!("/petugas/pencaker/{siti_uid}/penempatan"),
                &[
                    ("employer", "CV Maju Jaya"),
                    ("nib", "9999999999999"),
                    ("job_title_id", &job),
                    ("kind", "AKL"),
                    ("start", &today),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Pilih kategori KBLI usaha pemberi kerja");
        let siti_seeker: i32 = with_conn(&app, |c| {
            job_seekers::table
                .filter(job_seekers::user_id.eq(siti_uid))
                .select(job_seekers::id)
                .first(c)
                .unwrap()
        });
        let placements_of_siti = || {
            with_conn(&app, |c| {
                placements::table
                    .filter(placements::job_seeker_id.eq(siti_seeker))
                    .count()
                    .get_result::<i64>(c)
                    .unwrap()
            })
        };
        assert_eq!(placements_of_siti(), 0);

        let start = sibuser::domain::calendar::today() - chrono::Days::new(10);
        let res = operator
            .post(
                &format!("/petugas/pencaker/{siti_uid}/penempatan"),
                &[
                    ("employer", "CV Maju Jaya"),
                    ("kbli_section", "G"),
                    ("job_title_id", &job),
                    ("kind", "AKAD"),
                    ("start", &start.to_string()),
                    ("wage", "3.100.000"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (kind, wage): (String, Option<i64>) = with_conn(&app, |c| {
            placements::table
                .filter(placements::job_seeker_id.eq(siti_seeker))
                .select((placements::kind, placements::monthly_wage))
                .first(c)
                .unwrap()
        });
        assert_eq!((kind.as_str(), wage), ("AKAD", Some(3_100_000)));
        // The IPK counts it under the section the operator chose (III/7).
        let section: Option<String> = with_conn(&app, |c| {
            sibuser::schema::ipk_facts::table
                .filter(sibuser::schema::ipk_facts::flow.eq("placement"))
                .order(sibuser::schema::ipk_facts::id.desc())
                .select(sibuser::schema::ipk_facts::kbli_section)
                .first(c)
                .unwrap()
        });
        assert_eq!(section.as_deref(), Some("G"));
        // Work started ten days ago: the card left the register that day.
        let (status, ended): (String, Option<NaiveDate>) = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(siti_uid))
                .select((ak1_cards::status, ak1_cards::ended_on))
                .first(c)
                .unwrap()
        });
        assert_eq!((status.as_str(), ended), ("placed", Some(start)));
        operator
            .get(&format!("/petugas/pencaker/{siti_uid}"))
            .await
            .assert_contains("CV Maju Jaya");
    }
);

db_test!(
    demo_applications_and_placements_agree_with_cards_and_vacancies,
    |app| {
        seed_demo(&app);
        // Every card that ended as placed has its placement, starting that day.
        let placed: Vec<(i32, Option<NaiveDate>)> = with_conn(&app, |c| {
            ak1_cards::table
                .filter(ak1_cards::status.eq("placed"))
                .select((ak1_cards::job_seeker_id, ak1_cards::ended_on))
                .load(c)
                .unwrap()
        });
        let rows: Vec<(i32, NaiveDate, Option<i32>, Option<i32>)> = with_conn(&app, |c| {
            placements::table
                .select((
                    placements::job_seeker_id,
                    placements::start_date,
                    placements::vacancy_id,
                    placements::application_id,
                ))
                .load(c)
                .unwrap()
        });
        assert!(!placed.is_empty());
        assert_eq!(rows.len(), placed.len(), "one placement per placed card");
        for (seeker, ended) in &placed {
            let p = rows.iter().find(|r| r.0 == *seeker).expect("a placement");
            assert_eq!(Some(p.1), *ended);
            // Through the portal: an accepted application to that vacancy.
            if let Some(v) = p.2 {
                let app_id = p.3.expect("the application");
                let (vacancy, stage): (i32, String) = with_conn(&app, |c| {
                    applications::table
                        .find(app_id)
                        .select((applications::vacancy_id, applications::stage))
                        .first(c)
                        .unwrap()
                });
                assert_eq!((vacancy, stage.as_str()), (v, "accepted"));
            }
        }
        // No vacancy has more portal placements than filled positions.
        let filled: Vec<(i32, i32, i32)> = with_conn(&app, |c| {
            vacancies::table
                .select((
                    vacancies::id,
                    vacancies::filled_male,
                    vacancies::filled_female,
                ))
                .load(c)
                .unwrap()
        });
        for (id, m, f) in filled {
            let n = rows.iter().filter(|r| r.2 == Some(id)).count() as i32;
            assert!(n <= m + f, "vacancy {id}: {n} placements, {m}+{f} filled");
        }
        // Each application's history ends in its stage, in order of time.
        let apps: Vec<(i32, String)> = with_conn(&app, |c| {
            applications::table
                .select((applications::id, applications::stage))
                .load(c)
                .unwrap()
        });
        assert!(apps.len() > 20, "{} demo applications", apps.len());
        let events: Vec<(i32, String, chrono::NaiveDateTime)> = with_conn(&app, |c| {
            sibuser::schema::application_events::table
                .order(sibuser::schema::application_events::id)
                .select((
                    sibuser::schema::application_events::application_id,
                    sibuser::schema::application_events::stage,
                    sibuser::schema::application_events::occurred_at,
                ))
                .load(c)
                .unwrap()
        });
        let today = sibuser::domain::calendar::today();
        for (id, stage) in &apps {
            let mine: Vec<&(i32, String, chrono::NaiveDateTime)> =
                events.iter().filter(|e| e.0 == *id).collect();
            assert_eq!(mine[0].1, "received", "application {id}");
            assert_eq!(&mine.last().unwrap().1, stage, "application {id}");
            assert!(
                mine.windows(2).all(|w| w[0].2 <= w[1].2),
                "application {id} in order"
            );
            assert!(mine.last().unwrap().2.date() <= today);
        }
    }
);

db_test!(
    the_counter_cannot_place_a_resident_the_statistics_could_not_count,
    |app| {
        seed_demo(&app);
        let uid = with_conn(&app, |c| {
            let email = sibuser::domain::Email::parse("tanpa.profil@contoh.example").unwrap();
            sibuser::accounts::create_user(
                c,
                &sibuser::accounts::NewUser::staff(
                    &email,
                    "Warga Tanpa Profil",
                    "!invited",
                    &[sibuser::domain::Role::JobSeeker],
                ),
            )
            .unwrap()
        });
        let operator = signed_in(&app, "operator@sibuser.example").await;
        let path = format!("/petugas/pencaker/{uid}/penempatan");
        assert_eq!(operator.get(&path).await.status, StatusCode::OK);
        let job = crate::vacancies::cashier_id(&app);
        let start = sibuser::domain::calendar::today().to_string();
        let res = operator
            .post(
                &path,
                &[
                    ("employer", "CV Maju Jaya"),
                    ("kbli_section", "G"),
                    ("job_title_id", &job),
                    ("kind", "AKL"),
                    ("start", &start),
                    ("wage", ""),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("belum memuat jenis kelamin, tanggal lahir, dan pendidikan");
        res.assert_contains(&format!("href=\"/petugas/pencaker/{uid}/profil\""));
        res.assert_contains("value=\"CV Maju Jaya\"");
        let placed: i64 = with_conn(&app, |c| placements::table.count().get_result(c).unwrap());
        let before: i64 = with_conn(&app, |c| {
            placements::table
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(uid))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(before, 0);
        assert!(placed > 0, "the demo's placements are untouched");
    }
);

db_test!(
    a_counter_placement_at_a_known_nib_is_counted_under_that_company,
    |app| {
        seed_demo(&app);
        let siti = signed_in(&app, SITI).await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let siti_uid = user_id(&app, SITI);
        let (company, nib): (i32, String) = with_conn(&app, |c| {
            sibuser::schema::companies::table
                .filter(sibuser::schema::companies::nib.is_not_null())
                .filter(sibuser::schema::companies::head_office_id.is_null())
                .select((
                    sibuser::schema::companies::id,
                    sibuser::schema::companies::nib.assume_not_null(),
                ))
                .first(c)
                .unwrap()
        });
        let section = with_conn(&app, |c| {
            sibuser::employers::kbli::section_on(
                c,
                sibuser::domain::ids::CompanyId::new(company),
                sibuser::domain::calendar::today(),
            )
            .unwrap()
        });
        assert!(section.is_some(), "a demo company has a section");
        let operator = signed_in(&app, "operator@sibuser.example").await;
        let path = format!("/petugas/pencaker/{siti_uid}/penempatan");
        operator.get(&path).await;
        let job = crate::vacancies::cashier_id(&app);
        let today = sibuser::domain::calendar::today().to_string();
        // The section field is left empty (and a wrong one would be ignored): the company's
        // own section is the one counted.
        let res = operator
            .post(
                &path,
                &[
                    ("employer", "Cabang toko"),
                    ("nib", &nib),
                    ("kbli_section", ""),
                    ("job_title_id", &job),
                    ("kind", "AKL"),
                    ("start", &today),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (placed_at, counted_under): (Option<i32>, Option<String>) = with_conn(&app, |c| {
            let placed_at = placements::table
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(siti_uid))
                .select(placements::company_id)
                .first(c)
                .unwrap();
            let counted_under = sibuser::schema::ipk_facts::table
                .filter(sibuser::schema::ipk_facts::flow.eq("placement"))
                .order(sibuser::schema::ipk_facts::id.desc())
                .select(sibuser::schema::ipk_facts::kbli_section)
                .first(c)
                .unwrap();
            (placed_at, counted_under)
        });
        assert_eq!(placed_at, Some(company));
        assert_eq!(counted_under, section);
    }
);

db_test!(
    a_hire_whose_profile_lost_its_sex_is_refused_and_says_why,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, EMPLOYER).await;
        let vacancy = open_vacancy(&app, &employer).await;
        let siti = signed_in(&app, SITI).await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        siti.post(&format!("/lowongan/{vacancy}/lamar"), &[("catatan", "")])
            .await;
        let (app_id, _) = application_of(&app, SITI, vacancy);
        // Applying needed her sex; the profile lost it since (as an erasure would leave it).
        let siti_uid = user_id(&app, SITI);
        with_conn(&app, |c| {
            diesel::update(job_seekers::table.filter(job_seekers::user_id.eq(siti_uid)))
                .set(job_seekers::sex.eq(None::<String>))
                .execute(c)
                .unwrap()
        });
        let start = sibuser::domain::calendar::today().to_string();
        let pipeline = format!("/perusahaan/lowongan/{vacancy}/pelamar");
        let res = employer
            .post(
                &pipeline,
                &[
                    ("id", &app_id.to_string()),
                    ("tahap", "accepted"),
                    ("catatan", ""),
                    ("mulai", &start),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        employer
            .get(&pipeline)
            .await
            .assert_contains("tidak lagi memuat jenis kelamin");
        assert_eq!(application_of(&app, SITI, vacancy).1, "received");
        let (men, women): (i32, i32) = with_conn(&app, |c| {
            vacancies::table
                .find(vacancy)
                .select((vacancies::filled_male, vacancies::filled_female))
                .first(c)
                .unwrap()
        });
        assert_eq!((men, women), (0, 0), "no position taken under a guess");
    }
);
