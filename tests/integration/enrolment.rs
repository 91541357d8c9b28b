//! Enrolment in training programmes, on both backends: a resident enrols, the provider
//! accepts up to the quota (never more, even when several accept at once), records
//! attendance and completion, and the outcome figures count it; refusals are clear.

use actix_web::http::StatusCode;
use chrono::Duration;
use diesel::prelude::*;

use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};
use sibuser::domain::ids::{EnrolmentId, JobSeekerId, ProgrammeId};
use sibuser::schema::{
    audit_log, job_seekers, mail_outbox, training_enrolment_events, training_enrolments,
    training_programmes, users,
};
use sibuser::training::enrolment::{self, Action, Decision, Error, Refusal, Status};
use sibuser::training::programmes;

const SITI: &str = "pencaker@sibuser.example";
const SITI_NIK: &str = "1275015203980001";
const BLK: &str = "lembaga@sibuser.example";
const OPERATOR: &str = "operator@sibuser.example";

fn day(offset: i64) -> String {
    (sibuser::domain::calendar::today() + Duration::days(offset)).to_string()
}

/// The demo BLK publishes a programme through its form: registration open from yesterday
/// for `window` days, training from `starts` days ahead for two weeks.
pub(crate) async fn publish(
    app: &TestApp,
    title: &str,
    quota: &str,
    window: i64,
    starts: i64,
) -> i32 {
    let job = crate::vacancies::cashier_id(app);
    let blk = signed_in(app, BLK).await;
    blk.get("/lembaga/program/baru").await;
    let (opens, closes, first, last) = (day(-1), day(window), day(starts), day(starts + 14));
    let fields = vec![
        ("title", title),
        ("field", "bisnis"),
        (
            "description",
            "Kasir ritel modern: mesin kasir, pembayaran digital, dan layanan pelanggan.",
        ),
        ("requirements", "Sehat jasmani."),
        ("education_min", "3"),
        ("job_title_ids", job.as_str()),
        ("age_min", ""),
        ("age_max", ""),
        ("age_reason", ""),
        ("registration_opens_on", opens.as_str()),
        ("registration_closes_on", closes.as_str()),
        ("starts_on", first.as_str()),
        ("ends_on", last.as_str()),
        ("hours", "80"),
        ("mode", "in_person"),
        ("place", "Ruang kelas BLK Binjai"),
        ("location", "12.75.01.1008"),
        ("regency_code", ""),
        ("quota", quota),
        ("cost_kind", "free"),
        ("cost", ""),
        ("funding", "apbd"),
        ("certificate", "bnsp"),
        ("action", "publish"),
    ];
    let res = blk.post("/lembaga/program/baru", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    with_conn(app, |c| {
        training_programmes::table
            .filter(training_programmes::title.eq(title))
            .select(training_programmes::id)
            .first(c)
            .unwrap()
    })
}

fn status_of(app: &TestApp, enrolment: i32) -> String {
    with_conn(app, |c| {
        training_enrolments::table
            .find(enrolment)
            .select(training_enrolments::status)
            .first(c)
            .unwrap()
    })
}

fn seats(app: &TestApp, programme: i32) -> i32 {
    with_conn(app, |c| {
        training_programmes::table
            .find(programme)
            .select(training_programmes::seats_taken)
            .first(c)
            .unwrap()
    })
}

fn enrolment_of(app: &TestApp, programme: i32, email: &str) -> i32 {
    with_conn(app, |c| {
        training_enrolments::table
            .inner_join(job_seekers::table.inner_join(users::table))
            .filter(training_enrolments::programme_id.eq(programme))
            .filter(users::email.eq(email))
            .select(training_enrolments::id)
            .first(c)
            .unwrap()
    })
}

/// Demo residents with a complete profile (education of at least SMA), by job-seeker id.
fn demo_seekers(app: &TestApp, n: i64) -> Vec<JobSeekerId> {
    with_conn(app, |c| {
        job_seekers::table
            .inner_join(users::table)
            .filter(users::email.like("%@warga.example"))
            .filter(job_seekers::education_level.ge(3))
            .order(job_seekers::id)
            .limit(n)
            .select(job_seekers::id)
            .load(c)
            .unwrap()
    })
}

fn programme(app: &TestApp, id: i32) -> programmes::Programme {
    with_conn(app, |c| programmes::find(c, id.into()).unwrap().unwrap())
}

db_test!(
    a_resident_enrols_completes_and_the_figures_count_it,
    |app| {
        seed_demo(&app);
        let id = publish(&app, "Kasir Ritel Modern Angkatan I", "16", 5, 7).await;

        // Siti finds the way from the programme's page; the form says what is missing first.
        let siti = signed_in(&app, SITI).await;
        // Found beside the vacancies for the same words, and in the programme search.
        siti.get("/lowongan?q=ritel+modern")
            .await
            .assert_contains(&format!("href=\"/pelatihan/{id}\""));
        siti.get("/pelatihan?q=ritel")
            .await
            .assert_contains("Kasir Ritel Modern Angkatan I");
        let page = siti.get(&format!("/pelatihan/{id}")).await;
        page.assert_contains(&format!("href=\"/pelatihan/{id}/daftar\""));
        page.assert_contains("0 dari 16 kursi terisi");
        let res = siti.get(&format!("/pelatihan/{id}/daftar")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Lengkapi profil");
        crate::seekers::complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let res = siti.get(&format!("/pelatihan/{id}/daftar")).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_contains("0 dari 16 kursi terisi");
        let res = siti.post(&format!("/pelatihan/{id}/daftar"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mine = siti.get("/pencaker/pelatihan").await;
        mine.assert_contains("Kasir Ritel Modern Angkatan I");
        mine.assert_contains("Mendaftar");

        // Twice is refused, and nothing is added.
        siti.get(&format!("/pelatihan/{id}/daftar")).await;
        let res = siti.post(&format!("/pelatihan/{id}/daftar"), &[]).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        res.assert_contains("Anda sudah terdaftar di pelatihan ini");
        let count: i64 = with_conn(&app, |c| {
            training_enrolments::table
                .filter(training_enrolments::programme_id.eq(id))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(count, 1);

        // The provider sees her and accepts her; she is told by e-mail.
        let blk = signed_in(&app, BLK).await;
        let page = blk.get(&format!("/lembaga/program/{id}/peserta")).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Siti Aisyah Lubis");
        page.assert_lacks(SITI_NIK);
        let siti_enrolment = enrolment_of(&app, id, SITI);
        // No decision is chosen for her until the provider chooses one.
        page.assert_contains(&format!(
            "<select id=\"aksi-{siti_enrolment}\" name=\"aksi\">\n        <option value=\"\" selected>— Pilih —</option>"
        ));
        let decide = format!("/lembaga/program/{id}/peserta/{siti_enrolment}");
        let res = blk.post(&decide, &[("aksi", "")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Pilih keputusan untuk peserta ini.");
        assert_eq!(status_of(&app, siti_enrolment), "applied");
        let res = blk.post(&decide, &[("aksi", "terima")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&app, siti_enrolment), "accepted");
        assert_eq!(seats(&app, id), 1);
        let mail: String = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::to_address.eq(SITI))
                .order(mail_outbox::id.desc())
                .select(mail_outbox::body_text)
                .first(c)
                .unwrap()
        });
        assert!(mail.contains("Kasir Ritel Modern Angkatan I") && mail.contains("Diterima"));

        // Completion waits for the training to run; then it carries the certificate number.
        let res = blk
            .post(
                &decide,
                &[("aksi", "selesai"), ("nomor_sertifikat", "BNSP-001")],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert_eq!(status_of(&app, siti_enrolment), "accepted");
        blk.get(&format!("/lembaga/program/{id}")).await;
        let res = blk
            .post(
                &format!("/lembaga/program/{id}/status"),
                &[("ke", "running")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);

        // Attendance for a day of training; a day outside it is refused with the ticks kept.
        let sheet = blk.get(&format!("/lembaga/program/{id}/kehadiran")).await;
        // The programme has not reached its first day: there is nothing to record yet.
        assert_eq!(sheet.status, StatusCode::NOT_FOUND);
        let (first, last) = (
            sibuser::domain::calendar::today() - Duration::days(3),
            sibuser::domain::calendar::today() + Duration::days(10),
        );
        with_conn(&app, |c| {
            diesel::update(training_programmes::table.find(id))
                .set((
                    training_programmes::registration_opens_on.eq(first - Duration::days(10)),
                    training_programmes::registration_closes_on.eq(first - Duration::days(1)),
                    training_programmes::starts_on.eq(first),
                    training_programmes::ends_on.eq(last),
                ))
                .execute(c)
                .unwrap()
        });
        let sheet = blk.get(&format!("/lembaga/program/{id}/kehadiran")).await;
        assert_eq!(sheet.status, StatusCode::OK);
        sheet.assert_contains("Siti Aisyah Lubis");
        let e = siti_enrolment.to_string();
        let too_late = (last + Duration::days(30)).to_string();
        let res = blk
            .post(
                &format!("/lembaga/program/{id}/kehadiran"),
                &[("tanggal", too_late.as_str())],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Pilih tanggal antara hari pertama");
        for (offset, present) in [(0, true), (1, false), (2, true)] {
            let d = (first + Duration::days(offset)).to_string();
            let mut form = vec![("tanggal", d.as_str())];
            if present {
                form.push(("hadir", e.as_str()));
            }
            blk.get(&format!("/lembaga/program/{id}/kehadiran")).await;
            let res = blk
                .post(&format!("/lembaga/program/{id}/kehadiran"), &form)
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        siti.get("/pencaker/pelatihan")
            .await
            .assert_contains("Hadir 2 dari 3 hari yang dicatat");

        blk.get(&format!("/lembaga/program/{id}/peserta")).await;
        let res = blk
            .post(
                &decide,
                &[("aksi", "selesai"), ("nomor_sertifikat", "BNSP-001")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&app, siti_enrolment), "completed");

        // She sees the certificate on her training page, her profile and her AK/I form.
        let mine = siti.get("/pencaker/pelatihan").await;
        mine.assert_contains("Lulus");
        mine.assert_contains("BNSP-001");
        siti.get("/pencaker/profil/pelatihan")
            .await
            .assert_contains("Kasir Ritel Modern Angkatan I · UPT Balai Latihan Kerja Kota Binjai");

        let seeker_id: JobSeekerId = with_conn(&app, |c| {
            job_seekers::table
                .filter(job_seekers::user_id.eq(user_id(&app, SITI)))
                .select(job_seekers::id)
                .first(c)
                .unwrap()
        });
        // And on her printed AK/I card, under training.
        with_conn(&app, |c| {
            sibuser::seekers::ak1::model::issue_at_counter(
                c,
                seeker_id,
                sibuser::seekers::ak1::model::Step {
                    on: sibuser::domain::calendar::today(),
                    actor: None,
                    note: None,
                },
            )
            .unwrap()
        });
        let card = siti.get("/pencaker/ak1/cetak").await;
        assert_eq!(card.status, StatusCode::OK);
        card.assert_contains("Kasir Ritel Modern Angkatan I · UPT Balai Latihan Kerja Kota Binjai");
        card.assert_contains("BNSP-001");

        // Placed in work a month after the end: counted within 3 and 6 months.
        with_conn(&app, |c| {
            sibuser::applications::placement::record(
                c,
                &sibuser::applications::placement::NewPlacement {
                    job_seeker_id: seeker_id,
                    application_id: None,
                    vacancy_id: None,
                    company_id: None,
                    employer_name: "Toko Sinar Jaya",
                    job_title: "Kasir",
                    job_title_id: None,
                    kbji_code: None,
                    kind: sibuser::applications::placement::Kind::Akl,
                    start_date: last + Duration::days(30),
                    monthly_wage: sibuser::domain::Rupiah::new(3_000_000).ok(),
                    recorded_by: None,
                    kbli_section: None,
                },
                sibuser::domain::calendar::today(),
            )
            .unwrap()
        });
        let figures = with_conn(&app, |c| {
            let id = ProgrammeId::new(id);
            sibuser::training::outcomes::of_programmes(c, &[id]).unwrap()[&id]
        });
        assert_eq!(
            (
                figures.applicants,
                figures.participants,
                figures.completions,
                figures.certificates,
                figures.placed_3_months,
                figures.placed_6_months
            ),
            (1, 1, 1, 1, 1, 1)
        );
        let year = chrono::Datelike::year(&last).to_string();
        let outcomes = blk.get(&format!("/lembaga/hasil?tahun={year}")).await;
        assert_eq!(outcomes.status, StatusCode::OK);
        outcomes.assert_contains("Kasir Ritel Modern Angkatan I");
        // Its row: ended, then applicants, participants, completed, dropped out, certified,
        // in work within 3 and within 6 months.
        let row = outcomes
            .body
            .split("<tr>")
            .find(|r| r.contains("Kasir Ritel Modern Angkatan I"))
            .expect("the programme's row");
        let cells: Vec<&str> = row
            .split("<td>")
            .skip(3)
            .map(|c| c.split('<').next().unwrap_or_default())
            .collect();
        assert_eq!(cells, ["1", "1", "1", "0", "1", "1", "1"], "{row}");

        // Every step is a dated event.
        let steps: Vec<String> = with_conn(&app, |c| {
            training_enrolment_events::table
                .filter(training_enrolment_events::enrolment_id.eq(siti_enrolment))
                .order(training_enrolment_events::id)
                .select(training_enrolment_events::status)
                .load(c)
                .unwrap()
        });
        assert_eq!(steps, ["applied", "accepted", "completed"]);

        // The Dinas sees every programme and its participants, and the read is audited.
        let operator = signed_in(&app, OPERATOR).await;
        operator
            .get("/petugas/pelatihan/program")
            .await
            .assert_contains("Kasir Ritel Modern Angkatan I");
        let page = operator
            .get(&format!("/petugas/pelatihan/program/{id}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Siti Aisyah Lubis");
        let reads: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("training_programme.participants_viewed"))
                .filter(audit_log::actor_user_id.eq(user_id(&app, OPERATOR)))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(reads, 1);
        operator
            .get(&format!("/petugas/pelatihan/hasil?tahun={year}"))
            .await
            .assert_contains("Kasir Ritel Modern Angkatan I");
    }
);

db_test!(
    a_provider_never_sees_another_providers_participants,
    |app| {
        seed_demo(&app);
        // A demo programme of another provider, with someone enrolled.
        let (other, provider): (i32, i32) = with_conn(&app, |c| {
            let blk: i32 = users::table
                .filter(users::email.eq(BLK))
                .select(users::provider_id.assume_not_null())
                .first(c)
                .unwrap();
            training_programmes::table
                .filter(training_programmes::provider_id.ne(blk))
                .filter(training_programmes::status.ne("draft"))
                .order(training_programmes::id)
                .select((training_programmes::id, training_programmes::provider_id))
                .first(c)
                .unwrap()
        });
        assert!(other > 0 && provider > 0);
        let blk = signed_in(&app, BLK).await;
        for path in [
            format!("/lembaga/program/{other}/peserta"),
            format!("/lembaga/program/{other}/kehadiran"),
            format!("/lembaga/hasil?lembaga={provider}"),
        ] {
            let res = blk.get(&path).await;
            if path.contains("hasil") {
                assert_eq!(res.status, StatusCode::OK);
                res.assert_lacks(&format!("/lembaga/program/{other}/peserta"));
            } else {
                assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            }
        }
        blk.get("/lembaga/program").await;
        let res = blk
            .post(
                &format!("/lembaga/program/{other}/peserta/1"),
                &[("aksi", "terima")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
);

db_test!(
    enrolment_outside_the_window_over_the_quota_or_without_reason_is_refused,
    |app| {
        seed_demo(&app);
        let id = publish(&app, "Kasir Ritel Modern Angkatan II", "1", 5, 7).await;
        let siti = signed_in(&app, SITI).await;
        crate::seekers::complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let others = demo_seekers(&app, 2);
        let p = programme(&app, id);
        let today = sibuser::domain::calendar::today();
        let first = with_conn(&app, |c| {
            enrolment::enrol(c, &p, others[0], false, 1.into(), today)
                .unwrap()
                .0
        });
        let blk = signed_in(&app, BLK).await;
        blk.get(&format!("/lembaga/program/{id}/peserta")).await;
        let res = blk
            .post(
                &format!("/lembaga/program/{id}/peserta/{first}"),
                &[("aksi", "terima")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);

        // Full: Siti is told so and offered the waiting list, which she joins.
        let page = siti.get(&format!("/pelatihan/{id}/daftar")).await;
        page.assert_contains("Masuk daftar tunggu");
        let res = siti.post(&format!("/pelatihan/{id}/daftar"), &[]).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        res.assert_contains("Kuota pelatihan ini sudah penuh");
        let res = siti
            .post(&format!("/pelatihan/{id}/daftar"), &[("tunggu", "1")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let waiting = enrolment_of(&app, id, SITI);
        assert_eq!(status_of(&app, waiting), "waitlisted");

        // The provider cannot accept past the quota; the page says why and nothing moves.
        blk.get(&format!("/lembaga/program/{id}/peserta")).await;
        let res = blk
            .post(
                &format!("/lembaga/program/{id}/peserta/{waiting}"),
                &[("aksi", "terima")],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        res.assert_contains("Kuota pelatihan ini sudah penuh");
        assert_eq!(status_of(&app, waiting), "waitlisted");
        assert_eq!(seats(&app, id), 1);

        // A refusal needs its reason; the form comes back with what was typed.
        let res = blk
            .post(
                &format!("/lembaga/program/{id}/peserta/{first}"),
                &[("aksi", "batal"), ("alasan", "x")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tuliskan alasannya");
        res.assert_contains("value=\"x\"");
        // With its reason the place is freed, and the waiting list moves up.
        let res = blk
            .post(
                &format!("/lembaga/program/{id}/peserta/{first}"),
                &[("aksi", "batal"), ("alasan", "Sudah diterima bekerja")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(seats(&app, id), 0);
        let res = blk
            .post(
                &format!("/lembaga/program/{id}/peserta/{waiting}"),
                &[("aksi", "terima")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, waiting), "accepted");

        // Registration closed: refused clearly, before and after the window.
        with_conn(&app, |c| {
            diesel::update(training_programmes::table.find(id))
                .set(training_programmes::registration_closes_on.eq(today - Duration::days(1)))
                .execute(c)
                .unwrap()
        });
        let late = with_conn(&app, |c| {
            enrolment::enrol(c, &programme(&app, id), others[1], true, 1.into(), today)
        });
        assert!(matches!(late, Err(Error::Refused(Refusal::NotOpen))));
        // Nor does a provider the Dinas switched off take anyone, even within its window.
        with_conn(&app, |c| {
            diesel::update(training_programmes::table.find(id))
                .set(training_programmes::registration_closes_on.eq(today))
                .execute(c)
                .unwrap();
            diesel::update(sibuser::schema::training_providers::table)
                .set(sibuser::schema::training_providers::is_active.eq(false))
                .execute(c)
                .unwrap();
        });
        let switched_off = with_conn(&app, |c| {
            enrolment::enrol(c, &programme(&app, id), others[1], true, 1.into(), today)
        });
        assert!(matches!(
            switched_off,
            Err(Error::Refused(Refusal::NotOpen))
        ));
        // Siti withdraws while it has not started: her place is freed again.
        siti.get("/pencaker/pelatihan").await;
        let res = siti
            .post(&format!("/pencaker/pelatihan/{waiting}/batal"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, waiting), "withdrawn");
        assert_eq!(seats(&app, id), 0);
        let res = siti.get(&format!("/pelatihan/{id}/daftar")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
    }
);

db_test!(concurrent_accepts_never_pass_the_quota, |app| {
    seed_demo(&app);
    let id = publish(&app, "Kasir Ritel Modern Angkatan III", "3", 5, 7).await;
    let p = programme(&app, id);
    let today = sibuser::domain::calendar::today();
    let seekers = demo_seekers(&app, 12);
    assert_eq!(seekers.len(), 12);
    let applied: Vec<EnrolmentId> = with_conn(&app, |c| {
        seekers
            .iter()
            .map(|s| {
                enrolment::enrol(c, &p, *s, false, 1.into(), today)
                    .unwrap()
                    .0
            })
            .collect()
    });
    // Four people accept three applicants each, at the same time.
    let handles: Vec<_> = applied
        .chunks(3)
        .map(|ids| {
            let pool = app.pool().clone();
            let ids = ids.to_vec();
            let p = p.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                let mut outcomes = Vec::new();
                for id in ids {
                    let e = enrolment::find(&mut conn, id).unwrap().unwrap();
                    let decision = Decision {
                        action: Action::Accept,
                        reason: "",
                        certificate: "",
                        actor: 1.into(),
                    };
                    outcomes.push(match enrolment::decide(&mut conn, &p, &e, &decision) {
                        Ok(status) => Ok(status),
                        Err(Error::Refused(r)) => Err(r),
                        Err(Error::Db(e)) => panic!("database error: {e}"),
                    });
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<Result<Status, Refusal>> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let accepted = outcomes.iter().filter(|o| o.is_ok()).count();
    let full = outcomes
        .iter()
        .filter(|o| **o == Err(Refusal::Full))
        .count();
    assert_eq!((accepted, full), (3, 9), "{outcomes:?}");
    assert_eq!(seats(&app, id), 3);
    let in_db: i64 = with_conn(&app, |c| {
        training_enrolments::table
            .filter(training_enrolments::programme_id.eq(id))
            .filter(training_enrolments::status.eq("accepted"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(in_db, 3);
});

db_test!(demo_enrolments_agree_with_their_programmes, |app| {
    seed_demo(&app);
    type Row = (i32, String, i32, i32);
    let programmes: Vec<Row> = with_conn(&app, |c| {
        training_programmes::table
            .select((
                training_programmes::id,
                training_programmes::status,
                training_programmes::quota,
                training_programmes::seats_taken,
            ))
            .load(c)
            .unwrap()
    });
    let enrolled: Vec<(i32, i32, String)> = with_conn(&app, |c| {
        training_enrolments::table
            .select((
                training_enrolments::id,
                training_enrolments::programme_id,
                training_enrolments::status,
            ))
            .load(c)
            .unwrap()
    });
    let events: Vec<(i32, String)> = with_conn(&app, |c| {
        training_enrolment_events::table
            .order((
                training_enrolment_events::occurred_at,
                training_enrolment_events::id,
            ))
            .select((
                training_enrolment_events::enrolment_id,
                training_enrolment_events::status,
            ))
            .load(c)
            .unwrap()
    });
    for (id, status, quota, seats_taken) in &programmes {
        let mine: Vec<&String> = enrolled
            .iter()
            .filter(|e| e.1 == *id)
            .map(|e| &e.2)
            .collect();
        let holders = mine
            .iter()
            .filter(|s| enrolment::SEAT_HOLDERS.contains(&s.as_str()))
            .count() as i32;
        assert_eq!(holders, *seats_taken, "programme {id}");
        assert!(holders <= *quota, "programme {id} over its quota");
        if matches!(status.as_str(), "draft" | "cancelled") {
            assert!(mine.is_empty(), "programme {id} is {status}");
        }
        if status == "finished" {
            assert!(
                !mine.iter().any(|s| s.as_str() == "accepted"),
                "a finished programme {id} has only outcomes"
            );
        }
    }
    for (id, _, status) in &enrolled {
        let steps: Vec<&String> = events.iter().filter(|e| e.0 == *id).map(|e| &e.1).collect();
        assert_eq!(steps[0], "applied", "enrolment {id}");
        assert_eq!(steps.last().copied(), Some(status), "enrolment {id}");
    }
    let ids: Vec<ProgrammeId> = programmes.iter().map(|p| p.0.into()).collect();
    let figures = with_conn(&app, |c| {
        sibuser::training::outcomes::of_programmes(c, &ids).unwrap()
    });
    let mut total = sibuser::training::outcomes::Figures::default();
    for f in figures.values() {
        total.add(f);
    }
    assert!(total.completions > 0 && total.certificates > 0, "{total:?}");
    assert!(total.dropped_out > 0, "{total:?}");
    assert!(total.placed_6_months >= total.placed_3_months, "{total:?}");
    assert!(total.placed_6_months > 0, "{total:?}");
});

db_test!(
    enrolments_are_in_the_residents_export_and_leave_with_the_account,
    |app| {
        seed_demo(&app);
        let id = publish(&app, "Kasir Ritel Modern Angkatan IV", "2", 5, 7).await;
        let siti = signed_in(&app, SITI).await;
        crate::seekers::complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        siti.get(&format!("/pelatihan/{id}/daftar")).await;
        let res = siti.post(&format!("/pelatihan/{id}/daftar"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mine = enrolment_of(&app, id, SITI);
        let blk = signed_in(&app, BLK).await;
        blk.get(&format!("/lembaga/program/{id}/peserta")).await;
        blk.post(
            &format!("/lembaga/program/{id}/peserta/{mine}"),
            &[("aksi", "terima")],
        )
        .await;
        assert_eq!(seats(&app, id), 1);

        let export = siti.get("/pencaker/data-saya.json").await;
        let data: serde_json::Value = serde_json::from_str(&export.body).unwrap();
        let enrolments = data["training_enrolments"].as_array().unwrap();
        assert_eq!(enrolments.len(), 1);
        assert_eq!(enrolments[0]["programme"], "Kasir Ritel Modern Angkatan IV");
        assert_eq!(enrolments[0]["status"], "accepted");
        assert_eq!(enrolments[0]["events"].as_array().unwrap().len(), 2);

        // Deleting the account gives the place back before the course starts.
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
        assert_eq!(status_of(&app, mine), "withdrawn");
        assert_eq!(seats(&app, id), 0);
    }
);

db_test!(a_programme_without_a_certificate_records_no_number, |app| {
    seed_demo(&app);
    let id = publish(&app, "Kasir Ritel Modern Angkatan V", "4", 5, 7).await;
    with_conn(&app, |c| {
        diesel::update(training_programmes::table.find(id))
            .set((
                training_programmes::certificate.eq("none"),
                training_programmes::status.eq("running"),
            ))
            .execute(c)
            .unwrap()
    });
    let seeker = demo_seekers(&app, 1)[0];
    let today = sibuser::domain::calendar::today();
    let mut p = programme(&app, id);
    p.status = sibuser::training::programmes::Status::Published;
    let e = with_conn(&app, |c| {
        enrolment::enrol(c, &p, seeker, false, 1.into(), today)
            .unwrap()
            .0
    });
    let p = programme(&app, id);
    let decide = |action, certificate: &'static str| {
        with_conn(&app, |c| {
            let found = enrolment::find(c, e).unwrap().unwrap();
            enrolment::decide(
                c,
                &p,
                &found,
                &Decision {
                    action,
                    reason: "",
                    certificate,
                    actor: 1.into(),
                },
            )
        })
    };
    assert!(decide(Action::Accept, "").is_ok());
    assert!(matches!(
        decide(Action::Complete, "SRT-0001"),
        Err(Error::Refused(Refusal::NotAllowed))
    ));
    assert_eq!(status_of(&app, e.get()), "accepted");
    let blk = signed_in(&app, BLK).await;
    let page = blk.get(&format!("/lembaga/program/{id}/peserta")).await;
    page.assert_contains("value=\"selesai\"");
    page.assert_lacks("name=\"nomor_sertifikat\"");
    assert!(matches!(
        decide(Action::Complete, ""),
        Ok(Status::Completed)
    ));
});
