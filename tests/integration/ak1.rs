//! The AK/I card, on both backends: asking, issuing at the counter, printing with a QR code
//! that opens the verification page, six-monthly reports, and the daily job that takes
//! lapsed and expired cards off the register.

use actix_web::http::StatusCode;
use chrono::{Datelike, Days, Months, NaiveDate};
use diesel::prelude::*;

use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};
use crate::seekers::complete_profile;
use sibuser::domain::ids::{Ak1CardId, JobSeekerId};
use sibuser::schema::{ak1_cards, ak1_events, audit_log, mail_outbox, users};
use sibuser::seekers::ak1::jobs::{Summary, run_daily};
use sibuser::seekers::ak1::model::{self as cards, Refusal, Step, StepError};

const SITI: &str = "pencaker@sibuser.example";
const OPERATOR: &str = "operator@sibuser.example";
const SITI_NIK: &str = "1275015203980001";

fn seeker_id(app: &TestApp, email: &str) -> JobSeekerId {
    let uid = user_id(app, email);
    with_conn(app, |c| {
        sibuser::seekers::history::ensure_profile(c, uid.into()).unwrap()
    })
}

/// A job-seeker account with an empty profile, on a database without demo data, so that
/// the daily job has only this test's cards to work on.
fn lone_seeker(app: &TestApp, email: &str) -> JobSeekerId {
    with_conn(app, |c| {
        let uid = sibuser::accounts::create_user(
            c,
            &sibuser::accounts::NewUser::staff(
                &sibuser::domain::Email::parse(email).unwrap(),
                "Siti Aisyah Lubis",
                "!",
                &[sibuser::domain::Role::JobSeeker],
            ),
        )
        .unwrap();
        sibuser::seekers::history::ensure_profile(c, uid).unwrap()
    })
}

/// The last card serial given in `year`.
fn last_serial(app: &TestApp, year: i32) -> i32 {
    use sibuser::schema::ak1_serials;
    with_conn(app, |c| {
        ak1_serials::table
            .find(year)
            .select(ak1_serials::last_serial)
            .first(c)
            .optional()
            .unwrap()
            .unwrap_or(0)
    })
}

fn cards_of(app: &TestApp, email: &str) -> i64 {
    with_conn(app, |c| {
        ak1_cards::table
            .inner_join(sibuser::schema::job_seekers::table.inner_join(users::table))
            .filter(users::email.eq(email))
            .count()
            .get_result(c)
            .unwrap()
    })
}

/// Reads a QR code drawn by the `qrcode` crate's SVG renderer: one path of unit rectangles.
pub(crate) fn decode_qr(svg: &str) -> String {
    let attr = |name: &str| -> usize {
        let start = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        svg[start..].split('"').next().unwrap().parse().unwrap()
    };
    let (w, h) = (attr("width"), attr("height"));
    let d_start = svg.find(" d=\"").unwrap() + 4;
    let d = svg[d_start..].split('"').next().unwrap();
    let mut dark = vec![false; w * h];
    for rect in d.split('M').filter(|r| !r.is_empty()) {
        // "{left} {top}h{width}v{height}H{left}V{top}"
        let nums: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        let (left, top, rw, rh) = (nums[0], nums[1], nums[2], nums[3]);
        for y in top..top + rh {
            for x in left..left + rw {
                dark[y * w + x] = true;
            }
        }
    }
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| dark[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the card");
    grids[0].decode().expect("a readable QR code").1
}

pub(crate) fn extract_svg(body: &str) -> &str {
    let start = body.find("<svg").expect("an inline SVG QR code");
    let end = body[start..].find("</svg>").unwrap() + start + 6;
    &body[start..end]
}

db_test!(
    a_resident_asks_for_a_card_and_the_counter_issues_it,
    |app| {
        seed_demo(&app);
        let siti = signed_in(&app, SITI).await;

        // An incomplete profile cannot ask for a card: the page lists what is missing.
        let page = siti.get("/pencaker/ak1").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Lengkapi dulu bagian profil berikut");
        page.assert_lacks("action=\"/pencaker/ak1/minta\"");
        let res = siti.post("/pencaker/ak1/minta", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        siti.get("/pencaker/ak1")
            .await
            .assert_contains("Profil belum lengkap");
        assert_eq!(
            cards_of(&app, SITI),
            0,
            "nothing is written for an incomplete profile"
        );

        complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let page = siti.get("/pencaker/ak1").await;
        page.assert_contains("Profil Anda lengkap");
        let res = siti.post("/pencaker/ak1/minta", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = siti.get("/pencaker/ak1").await;
        page.assert_contains("Permohonan kartu AK/I terkirim");
        page.assert_contains("Menunggu pemeriksaan");
        // The step tracker: asked, now with the staff, the card still ahead.
        page.assert_contains("<li class=\"step-done\">Diminta</li>");
        page.assert_contains(
            "<li class=\"step-current\" aria-current=\"step\">Diperiksa petugas</li>",
        );
        page.assert_contains("<li class=\"step-ahead\">Terbit</li>");
        // Asking twice is refused with a message; still one card.
        siti.post("/pencaker/ak1/minta", &[]).await;
        siti.get("/pencaker/ak1")
            .await
            .assert_contains("sudah memiliki kartu AK/I yang aktif atau sedang diperiksa");
        assert_eq!(cards_of(&app, SITI), 1);
        // No printable card before it is issued.
        assert_eq!(
            siti.get("/pencaker/ak1/cetak").await.status,
            StatusCode::NOT_FOUND
        );

        // The operator finds the request in the queue and opens the resident: a logged read.
        let siti_uid = user_id(&app, SITI);
        let operator = signed_in(&app, OPERATOR).await;
        let queue = operator.get("/petugas/pencaker").await;
        assert_eq!(queue.status, StatusCode::OK);
        queue.assert_contains("Siti Aisyah Lubis");
        queue.assert_contains("1275••••••••0001");
        queue.assert_lacks(SITI_NIK);
        let found = operator
            .post("/petugas/pencaker/cari", &[("q", SITI_NIK)])
            .await;
        found.assert_contains(&format!("/petugas/pencaker/{siti_uid}"));
        let detail = operator.get(&format!("/petugas/pencaker/{siti_uid}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        detail.assert_contains(SITI_NIK);
        let operator_uid = user_id(&app, OPERATOR);
        let reads: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("seeker.profile_viewed"))
                .filter(audit_log::actor_user_id.eq(operator_uid))
                .filter(audit_log::subject_id.eq(siti_uid.to_string()))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(reads, 1);

        let today = sibuser::domain::calendar::today();
        let serial_before = last_serial(&app, today.year());
        let res = operator
            .post(&format!("/petugas/pencaker/{siti_uid}/ak1/terbitkan"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (number, status, valid_until, due): (
            Option<String>,
            String,
            Option<NaiveDate>,
            Option<NaiveDate>,
        ) = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(sibuser::schema::job_seekers::table.inner_join(users::table))
                .filter(users::email.eq(SITI))
                .select((
                    ak1_cards::number,
                    ak1_cards::status,
                    ak1_cards::valid_until,
                    ak1_cards::next_report_due,
                ))
                .first(c)
                .unwrap()
        });
        let number = number.unwrap();
        // The year's next serial: the demo's cards came first.
        assert_eq!(
            number,
            format!("1275-{}-{:06}", today.year(), serial_before + 1)
        );
        assert_eq!(status, "active");
        assert_eq!(valid_until, Some(today + Months::new(24) - Days::new(1)));
        assert_eq!(due, Some(today + Months::new(6)));
        let page = siti.get("/pencaker/ak1").await;
        page.assert_contains(&number);
        page.assert_contains("Aktif");
        page.assert_contains("Cetak kartu");
        page.assert_contains("<li class=\"step-done\">Terbit</li>");
        page.assert_lacks("aria-current=\"step\"");

        // The printed card carries the particulars and a QR code of the verification page.
        let sheet = siti.get("/pencaker/ak1/cetak").await;
        assert_eq!(sheet.status, StatusCode::OK);
        for text in [
            number.as_str(),
            SITI_NIK,
            "Siti Aisyah Lubis",
            "Binjai, 12 Maret 1998",
            "Perempuan",
        ] {
            sheet.assert_contains(text);
        }
        let url = decode_qr(extract_svg(&sheet.body));
        assert!(url.contains("/ak1/cek?nomor="), "{url}");
        sheet.assert_contains(&url.replace('&', "&#38;"));
        let path = &url[url.find("/ak1/cek").unwrap()..];

        // Anyone can open it: number, initials, status, validity; never the NIK or the name.
        let anonymous = crate::common::browser::Browser::new(&app);
        let check = anonymous.get(path).await;
        assert_eq!(check.status, StatusCode::OK);
        check.assert_contains("Kartu asli dan terdaftar");
        check.assert_contains(&number);
        check.assert_contains("S.A.L.");
        check.assert_lacks(SITI_NIK);
        check.assert_lacks("Siti");
        check.assert_contains("noindex");
        // A wrong code and an unknown number get the same answer.
        let wrong = anonymous
            .get(&format!("/ak1/cek?nomor={number}&kode=AAAAAAAA"))
            .await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
        wrong.assert_contains("Tidak ada kartu dengan nomor dan kode ini");
        let code = &path[path.find("kode=").unwrap() + 5..];
        let unknown = anonymous
            .get(&format!("/ak1/cek?nomor=1275-2001-000009&kode={code}"))
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let bad = anonymous.get("/ak1/cek?nomor=12752026&kode=x").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        bad.assert_contains("Nomor kartu terdiri dari 4 angka");
        bad.assert_contains("value=\"12752026\"");

        // Staff printing is logged too.
        let staff_sheet = operator
            .get(&format!("/petugas/pencaker/{siti_uid}/ak1/cetak"))
            .await;
        assert_eq!(staff_sheet.status, StatusCode::OK);
        let prints: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("ak1.printed"))
                .filter(audit_log::actor_user_id.eq_any([siti_uid, operator_uid]))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(prints, 2);
    }
);

db_test!(only_counter_staff_see_residents, |app| {
    seed_demo(&app);
    let siti_uid = user_id(&app, SITI);
    let employer_uid = user_id(&app, "perusahaan@sibuser.example");
    for who in [
        "perusahaan@sibuser.example",
        "verifikator@sibuser.example",
        "walidata@sibuser.example",
    ] {
        let b = signed_in(&app, who).await;
        for path in [
            "/petugas/pencaker".to_owned(),
            format!("/petugas/pencaker/{siti_uid}"),
            format!("/petugas/pencaker/{siti_uid}/profil"),
            format!("/petugas/pencaker/{siti_uid}/ak1/cetak"),
        ] {
            assert_eq!(
                b.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
    }
    // Another seeker cannot open Siti's pages either.
    let other = signed_in(&app, &crate::seekers::other_seeker(&app)).await;
    assert_eq!(
        other
            .get(&format!("/petugas/pencaker/{siti_uid}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // An operator opening an account that is no job seeker finds nothing.
    let operator = signed_in(&app, OPERATOR).await;
    assert_eq!(
        operator
            .get(&format!("/petugas/pencaker/{employer_uid}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
});

db_test!(
    a_resident_without_an_account_is_served_at_the_counter,
    |app| {
        seed_demo(&app);
        let operator = signed_in(&app, OPERATOR).await;
        let form = operator.get("/petugas/pencaker/baru").await;
        assert_eq!(form.status, StatusCode::OK);

        // Without the resident's consent nothing is created, and the form keeps what was typed.
        let res = operator
            .post(
                "/petugas/pencaker/baru",
                &[
                    ("full_name", "Rahmat Hidayat Sembiring"),
                    ("email", "rahmat@warga.example"),
                    ("phone", "0813 7000 2222"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Warga harus menyetujui pemberitahuan privasi");
        res.assert_contains("value=\"Rahmat Hidayat Sembiring\"");
        let exists: i64 = with_conn(&app, |c| {
            users::table
                .filter(users::email.eq("rahmat@warga.example"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(exists, 0);
        // An e-mail that already has an account is pointed to the search instead.
        let res = operator
            .post(
                "/petugas/pencaker/baru",
                &[
                    ("full_name", "Siti Lain"),
                    ("email", SITI),
                    ("phone", "0813 7000 2222"),
                    ("consent", "ya"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("sudah memiliki akun");

        let res = operator
            .post(
                "/petugas/pencaker/baru",
                &[
                    ("full_name", "Rahmat Hidayat Sembiring"),
                    ("email", "rahmat@warga.example"),
                    ("phone", "0813 7000 2222"),
                    ("consent", "ya"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let uid = user_id(&app, "rahmat@warga.example");
        let profile_path = format!("/petugas/pencaker/{uid}/profil");
        assert_eq!(res.header("location"), Some(profile_path.as_str()));
        let invited: i64 = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::to_address.eq("rahmat@warga.example"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(
            invited, 1,
            "the resident is e-mailed a link to set a password"
        );

        // The operator fills in the profile with the resident, then issues the card at once.
        complete_profile(&app, &operator, &profile_path, "1275015203980003").await;
        let page = operator.get(&profile_path).await;
        page.assert_contains("3 dari 3 bagian wajib sudah selesai.");
        // The list's last task leads the operator to the resident's page, where the card is
        // issued.
        page.assert_contains(&format!(
            r#"<a href="/petugas/pencaker/{uid}" aria-describedby="task-kartu-status">Minta kartu AK/I</a>"#
        ));
        let res = operator
            .post(&format!("/petugas/pencaker/{uid}/ak1/terbitkan"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = operator.get(&format!("/petugas/pencaker/{uid}")).await;
        page.assert_contains("Kartu AK/I diterbitkan");
        page.assert_contains("Aktif");
        let kinds: Vec<String> = with_conn(&app, |c| {
            ak1_events::table
                .inner_join(ak1_cards::table.inner_join(sibuser::schema::job_seekers::table))
                .filter(sibuser::schema::job_seekers::user_id.eq(uid))
                .order(ak1_events::id)
                .select(ak1_events::kind)
                .load(c)
                .unwrap()
        });
        assert_eq!(kinds, ["requested", "issued"]);
        // The profile edits are logged as the operator's.
        let operator_uid = user_id(&app, OPERATOR);
        let edits: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("seeker.profile_changed"))
                .filter(audit_log::actor_user_id.eq(operator_uid))
                .filter(audit_log::subject_id.eq(uid.to_string()))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(edits, 3, "one for each page");
    }
);

db_test!(a_declined_request_tells_the_seeker_why, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, SITI).await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
    siti.get("/pencaker/ak1").await;
    siti.post("/pencaker/ak1/minta", &[]).await;
    let siti_uid = user_id(&app, SITI);
    let operator = signed_in(&app, OPERATOR).await;
    operator.get(&format!("/petugas/pencaker/{siti_uid}")).await;
    // A reason is required: the form comes back with the message and what was typed.
    let res = operator
        .post(
            &format!("/petugas/pencaker/{siti_uid}/ak1/tolak"),
            &[("catatan", "KTP")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Tulis alasannya");
    res.assert_contains(">KTP</textarea>");
    let status: String = with_conn(&app, |c| {
        ak1_cards::table
            .inner_join(sibuser::schema::job_seekers::table)
            .filter(sibuser::schema::job_seekers::user_id.eq(siti_uid))
            .select(ak1_cards::status)
            .first(c)
            .unwrap()
    });
    assert_eq!(status, "requested");

    let reason = "Tanggal lahir di profil berbeda dengan KTP.";
    let res = operator
        .post(
            &format!("/petugas/pencaker/{siti_uid}/ak1/tolak"),
            &[("catatan", reason)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = siti.get("/pencaker/ak1").await;
    page.assert_contains("Tidak diterbitkan");
    page.assert_contains(reason);
    // She may put it right and ask again.
    page.assert_contains("action=\"/pencaker/ak1/minta\"");
    // Issuing the declined card is refused: the page was stale.
    operator
        .post(&format!("/petugas/pencaker/{siti_uid}/ak1/lapor"), &[])
        .await;
    operator
        .get(&format!("/petugas/pencaker/{siti_uid}"))
        .await
        .assert_contains("tidak dapat dilakukan pada kartu dalam keadaannya sekarang");
});

/// A card issued on `on` for the seeker, straight through the model.
fn issue_on(app: &TestApp, seeker: JobSeekerId, on: NaiveDate) -> Ak1CardId {
    with_conn(app, |c| {
        let step = Step {
            on,
            actor: None,
            note: None,
        };
        cards::issue_at_counter(c, seeker, step).unwrap().0
    })
}

fn card_state(app: &TestApp, id: Ak1CardId) -> (String, Option<NaiveDate>, Option<NaiveDate>) {
    with_conn(app, |c| {
        ak1_cards::table
            .find(id)
            .select((
                ak1_cards::status,
                ak1_cards::next_report_due,
                ak1_cards::ended_on,
            ))
            .first(c)
            .unwrap()
    })
}

db_test!(
    reports_keep_a_card_on_the_register_and_missed_ones_take_it_off,
    |app| {
        let seeker = lone_seeker(&app, SITI);
        let issued = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
        let card = issue_on(&app, seeker, issued);
        let first_due = NaiveDate::from_ymd_opt(2025, 7, 15).unwrap();
        assert_eq!(card_state(&app, card).1, Some(first_due));

        // Too early: refused with the day the window opens.
        let early = with_conn(&app, |c| {
            cards::report(
                c,
                card,
                Step {
                    on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                    actor: None,
                    note: None,
                },
            )
        });
        assert!(matches!(
            early,
            Err(StepError::Refused(Refusal::TooEarly(d))) if d == NaiveDate::from_ymd_opt(2025, 6, 15).unwrap()
        ));

        // A reminder goes out 14 days before, once.
        let base = "http://127.0.0.1:8080";
        let before = with_conn(&app, |c| {
            run_daily(c, NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(), base).unwrap()
        });
        assert_eq!(before, Summary::default(), "15 days before: nothing yet");
        let on = with_conn(&app, |c| {
            run_daily(c, NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(), base).unwrap()
        });
        assert_eq!(on.reminded, 1);
        let again = with_conn(&app, |c| {
            run_daily(c, NaiveDate::from_ymd_opt(2025, 7, 2).unwrap(), base).unwrap()
        });
        assert_eq!(again.reminded, 0, "one reminder per due date");
        let (to, body): (String, String) = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::subject.like("%AK/I%"))
                .select((mail_outbox::to_address, mail_outbox::body_text))
                .first(c)
                .unwrap()
        });
        assert_eq!(to, SITI);
        assert!(
            body.contains("15 Juli 2025") && body.contains("/pencaker/ak1"),
            "{body}"
        );

        // Reported in the window: the next report is six months on.
        with_conn(&app, |c| {
            cards::report(
                c,
                card,
                Step {
                    on: NaiveDate::from_ymd_opt(2025, 7, 20).unwrap(),
                    actor: None,
                    note: None,
                },
            )
            .unwrap()
        });
        let second_due = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        assert_eq!(
            card_state(&app, card),
            ("active".into(), Some(second_due), None)
        );
        let twice = with_conn(&app, |c| {
            cards::report(
                c,
                card,
                Step {
                    on: NaiveDate::from_ymd_opt(2025, 7, 21).unwrap(),
                    actor: None,
                    note: None,
                },
            )
        });
        assert!(matches!(
            twice,
            Err(StepError::Refused(Refusal::TooEarly(_)))
        ));

        // The second report is missed: the card lapses, dated the day after the grace period,
        // even though the job only runs weeks later.
        let lapse_day = NaiveDate::from_ymd_opt(2026, 2, 15).unwrap();
        let still = with_conn(&app, |c| {
            run_daily(c, lapse_day.pred_opt().unwrap(), base).unwrap()
        });
        assert_eq!(still.lapsed, 0);
        let late = with_conn(&app, |c| {
            run_daily(c, NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(), base).unwrap()
        });
        assert_eq!(late.lapsed, 1);
        assert_eq!(
            card_state(&app, card),
            ("lapsed".into(), None, Some(lapse_day))
        );
        let lapsed_on: NaiveDate = with_conn(&app, |c| {
            ak1_events::table
                .filter(ak1_events::card_id.eq(card))
                .filter(ak1_events::kind.eq("lapsed"))
                .select(ak1_events::occurred_on)
                .first(c)
                .unwrap()
        });
        assert_eq!(lapsed_on, lapse_day);

        // A new card can be asked for; one that runs two years (all reports made) expires,
        // dated the day after its last valid day.
        let renewed = issue_on(&app, seeker, NaiveDate::from_ymd_opt(2026, 3, 21).unwrap());
        assert_ne!(renewed, card);
        let mut day = NaiveDate::from_ymd_opt(2026, 3, 21).unwrap();
        while let (_, Some(due), _) = card_state(&app, renewed) {
            day = due;
            with_conn(&app, |c| {
                cards::report(
                    c,
                    renewed,
                    Step {
                        on: due,
                        actor: None,
                        note: None,
                    },
                )
                .unwrap()
            });
        }
        let last_valid = NaiveDate::from_ymd_opt(2028, 3, 20).unwrap();
        assert_eq!(
            day, last_valid,
            "four reports: at 6, 12 and 18 months, and on the card's last day"
        );
        let made: i16 = with_conn(&app, |c| {
            ak1_cards::table
                .find(renewed)
                .select(ak1_cards::reports_made)
                .first(c)
                .unwrap()
        });
        assert_eq!(made, 4);
        let not_yet = with_conn(&app, |c| run_daily(c, last_valid, base).unwrap());
        assert_eq!(not_yet.expired, 0);
        let expired = with_conn(&app, |c| {
            run_daily(c, last_valid + Days::new(1), base).unwrap()
        });
        assert_eq!(expired.expired, 1);
        assert_eq!(card_state(&app, renewed).2, Some(last_valid + Days::new(1)));
    }
);

db_test!(
    a_missed_fourth_report_lets_the_card_run_out_rather_than_lapse,
    |app| {
        let base = "http://localhost";
        let seeker = lone_seeker(&app, SITI);
        let issued = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
        let card = issue_on(&app, seeker, issued);
        let report = |on: NaiveDate| {
            with_conn(&app, |c| {
                cards::report(
                    c,
                    card,
                    Step {
                        on,
                        actor: None,
                        note: None,
                    },
                )
            })
        };
        for _ in 0..3 {
            let due = card_state(&app, card).1.expect("a report is due");
            report(due).unwrap();
        }
        let last_valid = NaiveDate::from_ymd_opt(2027, 1, 14).unwrap();
        assert_eq!(
            card_state(&app, card).1,
            Some(last_valid),
            "the fourth is due"
        );
        // Its window closes with the card: the day after is too late, job or no job.
        assert!(matches!(
            report(last_valid + Days::new(1)),
            Err(StepError::Refused(Refusal::WrongState))
        ));
        let summary = with_conn(&app, |c| {
            run_daily(c, last_valid + Days::new(1), base).unwrap()
        });
        assert_eq!((summary.expired, summary.lapsed), (1, 0));
        assert_eq!(
            card_state(&app, card),
            ("expired".into(), None, Some(last_valid + Days::new(1)))
        );
        // The month of grace that follows brings no second ending.
        let later = with_conn(&app, |c| {
            run_daily(c, last_valid + Days::new(40), base).unwrap()
        });
        assert_eq!((later.expired, later.lapsed), (0, 0));
    }
);

db_test!(
    card_numbers_are_unique_when_operators_issue_at_once,
    |app| {
        // Twenty residents ask for a card; four operators issue them at once.
        let seekers: Vec<JobSeekerId> = (0..20)
            .map(|n| lone_seeker(&app, &format!("warga{n}@warga.example")))
            .collect();
        let on = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let requested: Vec<Ak1CardId> = with_conn(&app, |c| {
            seekers
                .iter()
                .filter_map(|s| {
                    cards::request(
                        c,
                        *s,
                        Step {
                            on,
                            actor: None,
                            note: None,
                        },
                    )
                    .ok()
                })
                .collect()
        });
        assert_eq!(requested.len(), 20);
        let chunks: Vec<Vec<Ak1CardId>> = requested
            .chunks(requested.len().div_ceil(4))
            .map(<[Ak1CardId]>::to_vec)
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|ids| {
                let pool = app.pool().clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    for id in ids {
                        cards::issue(
                            &mut conn,
                            id,
                            Step {
                                on,
                                actor: None,
                                note: None,
                            },
                        )
                        .unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut numbers: Vec<String> = with_conn(&app, |c| {
            ak1_cards::table
                .filter(ak1_cards::number.is_not_null())
                .select(ak1_cards::number.assume_not_null())
                .load(c)
                .unwrap()
        });
        numbers.sort();
        let expected: Vec<String> = (1..=requested.len())
            .map(|n| format!("1275-2026-{n:06}"))
            .collect();
        assert_eq!(numbers, expected, "one number each, no gaps, no repeats");
    }
);

/// A PNG signature and header of the given size: what the photo check reads.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b
}

db_test!(the_card_carries_the_photo_the_holder_gave, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, SITI).await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;

    // A program renamed to .jpg and a thumbnail are refused with their reasons.
    let res = crate::seekers::upload_to(
        &siti,
        "/pencaker/foto",
        "foto.jpg",
        b"MZ\x90\x00 not a photo",
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    siti.get("/pencaker/profil/foto")
        .await
        .assert_contains("bukan foto JPEG atau PNG");
    crate::seekers::upload_to(&siti, "/pencaker/foto", "kecil.png", &png(40, 50)).await;
    siti.get("/pencaker/profil/foto")
        .await
        .assert_contains("antara 150 dan 6.000 piksel");
    let none: Option<String> = with_conn(&app, |c| {
        sibuser::schema::job_seekers::table
            .inner_join(users::table)
            .filter(users::email.eq(SITI))
            .select(sibuser::schema::job_seekers::photo_file)
            .first(c)
            .unwrap()
    });
    assert_eq!(none, None, "nothing stored");

    let res =
        crate::seekers::upload_to(&siti, "/pencaker/foto", "pasfoto.png", &png(300, 400)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    siti.get("/pencaker/profil/foto")
        .await
        .assert_contains("Pas foto tersimpan.");
    let photo = siti.get("/pencaker/foto").await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(photo.header("content-type"), Some("image/png"));

    let siti_uid = user_id(&app, SITI);
    // Only counter staff see it; another seeker's own photo address shows their own (none).
    let employer = signed_in(&app, "perusahaan@sibuser.example").await;
    assert_eq!(
        employer
            .get(&format!("/petugas/pencaker/{siti_uid}/foto"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let other = signed_in(&app, &crate::seekers::other_seeker(&app)).await;
    assert_eq!(
        other.get("/pencaker/foto").await.status,
        StatusCode::NOT_FOUND
    );

    let operator = signed_in(&app, OPERATOR).await;
    operator.get(&format!("/petugas/pencaker/{siti_uid}")).await;
    operator
        .post(&format!("/petugas/pencaker/{siti_uid}/ak1/terbitkan"), &[])
        .await;
    let staff_photo = operator
        .get(&format!("/petugas/pencaker/{siti_uid}/foto"))
        .await;
    assert_eq!(staff_photo.status, StatusCode::OK);
    let sheet = siti.get("/pencaker/ak1/cetak").await;
    sheet.assert_contains("<img src=\"/pencaker/foto\"");
    sheet.assert_lacks("Pas foto 3x4</span>");
});

db_test!(demo_cards_follow_the_card_calendar, |app| {
    seed_demo(&app);
    let today = sibuser::domain::calendar::today();
    type CardRow = (
        i32,
        Option<String>,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        i16,
    );
    let (cards, events): (Vec<CardRow>, Vec<(i32, String, NaiveDate)>) = with_conn(&app, |c| {
        let cards = ak1_cards::table
            .select((
                ak1_cards::id,
                ak1_cards::number,
                ak1_cards::status,
                ak1_cards::valid_until,
                ak1_cards::next_report_due,
                ak1_cards::ended_on,
                ak1_cards::reports_made,
            ))
            .load(c)
            .unwrap();
        let events = ak1_events::table
            .order((ak1_events::card_id, ak1_events::occurred_on, ak1_events::id))
            .select((
                ak1_events::card_id,
                ak1_events::kind,
                ak1_events::occurred_on,
            ))
            .load(c)
            .unwrap();
        (cards, events)
    });
    let mut numbers = std::collections::BTreeSet::new();
    let mut by_status = std::collections::BTreeMap::<String, usize>::new();
    for (id, number, status, valid_until, due, ended, reports) in &cards {
        *by_status.entry(status.clone()).or_default() += 1;
        let kinds: Vec<&str> = events
            .iter()
            .filter(|e| e.0 == *id)
            .map(|e| e.1.as_str())
            .collect();
        assert_eq!(kinds[0], "requested", "card {id}: {kinds:?}");
        let reported = kinds.iter().filter(|k| **k == "reported").count();
        assert_eq!(reported, *reports as usize, "card {id}");
        assert!(
            reported <= sibuser::seekers::ak1::rules::REPORTS,
            "card {id}: {reported} reports"
        );
        match status.as_str() {
            "requested" => assert_eq!(kinds, ["requested"]),
            "declined" => assert_eq!(kinds, ["requested", "declined"]),
            _ => {
                let number = number.clone().expect("an issued card has its number");
                assert!(numbers.insert(number), "numbers are unique");
                assert_eq!(kinds[1], "issued", "card {id}");
                if status == "active" {
                    assert!(
                        valid_until.unwrap() >= today,
                        "card {id} should have expired"
                    );
                    if let Some(d) = due {
                        assert!(
                            sibuser::seekers::ak1::rules::lapses_on(*d) > today,
                            "card {id} should have lapsed"
                        );
                    }
                } else {
                    let last = events.iter().rfind(|e| e.0 == *id).unwrap();
                    assert_eq!(&last.1, status, "card {id} ends with its event");
                    assert_eq!(Some(last.2), *ended, "card {id} ends on its event's day");
                    assert!(last.2 <= today);
                }
            }
        }
    }
    assert!(
        by_status.get("requested").is_some_and(|n| *n >= 2),
        "{by_status:?}"
    );
    assert!(
        by_status.get("active").is_some_and(|n| *n >= 10),
        "{by_status:?}"
    );
    // The demo is up to date: today's job has no card to take off the register.
    let summary = with_conn(&app, |c| {
        run_daily(c, today, "http://127.0.0.1:8080").unwrap()
    });
    assert_eq!((summary.lapsed, summary.expired), (0, 0));
    // The next card issued continues the year's numbering.
    let seeker = seeker_id(&app, SITI);
    let card = issue_on(&app, seeker, today);
    let number: String = with_conn(&app, |c| {
        ak1_cards::table
            .find(card)
            .select(ak1_cards::number.assume_not_null())
            .first(c)
            .unwrap()
    });
    assert!(!numbers.contains(&number), "{number} was already given");
});
