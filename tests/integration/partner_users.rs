//! Partner users and the out-log (issue 16, item 2), on both backends: a partner user sees
//! in the web portal exactly the data sets and masking of its partner's grants, every page
//! read is audited with the user and counted in the out-log, every staff page refuses it,
//! and removing the link (or deactivating the partner) ends its access. The data steward
//! reads the out-log by day, and a bad period gets the form again with a message.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use sibuser::audit::actions;
use sibuser::domain::calendar;
use sibuser::domain::ids::UserId;
use sibuser::schema::audit_log;
use sibuser::sharing::out_log::{self, Channel, Via};
use sibuser::sharing::partners::{self, Actor};
use sibuser::sharing::{Dataset, Masking, PartnerId, users};
use sibuser::web::respond::RequestMeta;

use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};

const STEWARD: &str = "walidata@sibuser.example";
const PARTNER_USER: &str = "mitra@sibuser.example";

fn meta() -> RequestMeta {
    RequestMeta {
        address: "127.0.0.1".into(),
        request_id: None,
    }
}

/// The demo's ministry, whose partner user the demo made.
fn kemnaker(app: &TestApp) -> PartnerId {
    with_conn(app, |c| partners::list(c, calendar::today()).unwrap())
        .into_iter()
        .find(|p| p.partner.name.starts_with("Kementerian"))
        .unwrap()
        .partner
        .id
}

fn grant(app: &TestApp, partner: PartnerId, dataset: Dataset, masking: Masking) {
    let meta = meta();
    let by = Actor {
        user: UserId::new(user_id(app, STEWARD)),
        meta: &meta,
    };
    with_conn(app, |c| {
        partners::grant(
            c,
            partner,
            dataset,
            masking,
            &by,
            chrono::Utc::now().naive_utc(),
        )
        .unwrap()
    });
}

/// The details of the audit entries of a user's reads.
fn reads_audited(app: &TestApp, user: i32) -> Vec<String> {
    with_conn(app, |c| {
        audit_log::table
            .filter(audit_log::action.eq(actions::PARTNER_RECORDS_READ))
            .filter(audit_log::actor_user_id.eq(user))
            .select(audit_log::detail)
            .load::<Option<String>>(c)
            .unwrap()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// A 16-digit NIK of Binjai (1275…) anywhere in a page.
fn has_full_nik(body: &str) -> bool {
    body.as_bytes()
        .windows(16)
        .any(|w| w.starts_with(b"1275") && w.iter().all(u8::is_ascii_digit))
}

db_test!(a_partner_user_sees_only_its_grants_masked, |app| {
    seed_demo(&app);
    let partner = kemnaker(&app);
    let user = user_id(&app, PARTNER_USER);
    let browser = signed_in(&app, PARTNER_USER).await;
    let home = browser.get("/mitra").await;
    assert_eq!(home.status, StatusCode::OK);
    home.assert_contains("PKS Kemnaker–Pemkot Binjai 2025, Pasal 6");
    home.assert_contains("href=\"/mitra/job-seekers\"");
    home.assert_contains("href=\"/mitra/placements\"");
    home.assert_lacks("/mitra/jkp");
    home.assert_lacks("Penerima JKP");
    // Not granted: not found, and nothing read or counted.
    assert_eq!(
        browser.get("/mitra/jkp").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get("/mitra/no-such-set").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(reads_audited(&app, user).is_empty());
    // Granted masked: the NIK masked, no names.
    let page = browser.get("/mitra/job-seekers").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("<th scope=\"col\">nik</th>");
    page.assert_lacks("<th scope=\"col\">nama</th>");
    page.assert_contains("1275********");
    assert!(!has_full_nik(&page.body));
    let rows = page.body.matches("<tr><td>").count();
    assert_eq!(rows, 25, "a page of 25 records");
    // Each page read is audited with the user, and counted in the out-log.
    let audited = reads_audited(&app, user);
    assert_eq!(audited.len(), 1);
    assert!(
        audited[0].contains("\"masking\":\"masked\""),
        "{}",
        audited[0]
    );
    let today = calendar::today();
    let lines = with_conn(&app, |c| {
        out_log::for_days(c, today, today, Some(partner)).unwrap()
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].via, Via::User(UserId::new(user)));
    assert_eq!(lines[0].via_name, "Rina Simanjuntak");
    assert_eq!(lines[0].dataset, Dataset::JobSeekers);
    assert!(!lines[0].unmasked);
    assert_eq!((lines[0].requests, lines[0].records), (1, 25));
});

db_test!(pages_follow_an_id_cursor_and_refuse_a_bad_one, |app| {
    seed_demo(&app);
    let browser = signed_in(&app, PARTNER_USER).await;
    let first = browser.get("/mitra/job-seekers").await;
    let start = first.body.find("/mitra/job-seekers?setelah=").unwrap();
    let next: String = first.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let cursor = next.rsplit('=').next().unwrap();
    assert!(cursor.chars().all(|c| c.is_ascii_digit()), "{next}");
    let second = browser.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    second.assert_contains("href=\"/mitra/job-seekers\"");
    let first_row = |body: &str| {
        let at = body.find("<tr><td>").unwrap();
        body[at..at + 40].to_owned()
    };
    assert_ne!(first_row(&first.body), first_row(&second.body));
    for bad in ["abc", "-5", "99999999999"] {
        let res = browser
            .get(&format!("/mitra/job-seekers?setelah={bad}"))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // Past the last record: an empty page, no next link.
    let end = browser.get("/mitra/job-seekers?setelah=2000000000").await;
    assert_eq!(end.status, StatusCode::OK);
    end.assert_lacks("?setelah=");
});

db_test!(an_unmasked_grant_shows_personal_fields_audited, |app| {
    seed_demo(&app);
    let partner = kemnaker(&app);
    grant(&app, partner, Dataset::JobSeekers, Masking::Unmasked);
    let user = user_id(&app, PARTNER_USER);
    let browser = signed_in(&app, PARTNER_USER).await;
    let page = browser.get("/mitra/job-seekers").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<th scope=\"col\">nama</th>");
    assert!(has_full_nik(&page.body));
    let audited = reads_audited(&app, user);
    assert_eq!(audited.len(), 1);
    assert!(
        audited[0].contains("\"masking\":\"unmasked\"") && audited[0].contains("job_seekers"),
        "{}",
        audited[0]
    );
    let today = calendar::today();
    let lines = with_conn(&app, |c| {
        out_log::for_days(c, today, today, Some(partner)).unwrap()
    });
    assert!(lines[0].unmasked);
});

db_test!(a_partner_user_gets_no_staff_page, |app| {
    seed_demo(&app);
    let partner = kemnaker(&app);
    let browser = signed_in(&app, PARTNER_USER).await;
    for path in [
        "/petugas/dasbor".to_owned(),
        "/petugas/mitra".to_owned(),
        format!("/petugas/mitra/{partner}"),
        "/petugas/mitra/log".to_owned(),
        "/petugas/ekspor".to_owned(),
        "/petugas/pencaker".to_owned(),
        "/admin/pengguna".to_owned(),
        "/lembaga/profil".to_owned(),
    ] {
        assert_eq!(
            browser.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let res = browser
        .post(
            &format!("/petugas/mitra/{partner}/pengguna"),
            &[
                ("user_name", "Orang Lain"),
                ("user_email", "lain@kemnaker.example"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Staff do not get the partner portal either.
    let steward = signed_in(&app, STEWARD).await;
    assert_eq!(steward.get("/mitra").await.status, StatusCode::FORBIDDEN);
});

db_test!(
    removing_the_user_or_deactivating_the_partner_ends_access,
    |app| {
        seed_demo(&app);
        let partner = kemnaker(&app);
        let page = format!("/petugas/mitra/{partner}");
        let steward = signed_in(&app, STEWARD).await;
        // The data steward adds a user: refused with what was typed kept, then invited.
        let refused = steward
            .submit(
                &page,
                &format!("{page}/pengguna"),
                &[
                    ("user_name", "Budi Santoso"),
                    ("user_email", "budi@@kemnaker"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.assert_contains("Budi Santoso");
        refused.assert_contains("budi@@kemnaker");
        refused.assert_contains("Alamat e-mail tidak valid.");
        let taken = steward
            .submit(
                &page,
                &format!("{page}/pengguna"),
                &[
                    ("user_name", "Siti"),
                    ("user_email", "pencaker@sibuser.example"),
                ],
            )
            .await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
        taken.assert_contains("sudah memiliki akun");
        let added = steward
            .submit(
                &page,
                &format!("{page}/pengguna"),
                &[
                    ("user_name", "Budi Santoso"),
                    ("user_email", "budi@kemnaker.example"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let listed = steward.get(&page).await;
        listed.assert_contains("Budi Santoso (budi@kemnaker.example)");
        listed.assert_contains("Rina Simanjuntak (mitra@sibuser.example)");
        let budi = UserId::new(user_id(&app, "budi@kemnaker.example"));
        assert_eq!(
            with_conn(&app, |c| users::partner_of(c, budi).unwrap()),
            Some(partner)
        );
        // Removing the demo user ends its session and its access.
        let browser = signed_in(&app, PARTNER_USER).await;
        assert_eq!(browser.get("/mitra").await.status, StatusCode::OK);
        let rina = user_id(&app, PARTNER_USER);
        let res = steward
            .post(&format!("{page}/pengguna/{rina}/hapus"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_ne!(browser.get("/mitra").await.status, StatusCode::OK);
        let again = browser
            .sign_in(PARTNER_USER, sibuser::demo::DEMO_PASSWORD)
            .await;
        assert_ne!(
            again.status,
            StatusCode::SEE_OTHER,
            "a removed user cannot sign in"
        );
        steward
            .get(&page)
            .await
            .assert_lacks("mitra@sibuser.example");
        // A deactivated partner's users lose the portal with its keys.
        assert_eq!(
            with_conn(&app, |c| users::partner_of(c, budi).unwrap()),
            Some(partner)
        );
        let res = steward
            .post(&format!("{page}/status"), &[("active", "0")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(
            with_conn(&app, |c| users::partner_of(c, budi).unwrap()),
            None
        );
    }
);

db_test!(the_out_log_counts_by_day_and_refuses_a_bad_period, |app| {
    seed_demo(&app);
    let partner = kemnaker(&app);
    let user = UserId::new(user_id(&app, PARTNER_USER));
    let day = calendar::today();
    let yesterday = day.pred_opt().unwrap();
    with_conn(&app, |c| {
        // An upsert: the same day, way, data set and masking add up on one row, a batch
        // of requests as well as one.
        let on = |day| Channel {
            day,
            partner,
            via: Via::User(user),
            dataset: Dataset::Vacancies,
            unmasked: false,
        };
        out_log::count(c, on(day), 1, 25).unwrap();
        out_log::count(c, on(day), 2, 7).unwrap();
        out_log::count(c, on(yesterday), 1, 3).unwrap();
    });
    let lines = with_conn(&app, |c| out_log::for_days(c, day, day, None).unwrap());
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0].requests, lines[0].records), (3, 32));
    let lines = with_conn(&app, |c| {
        out_log::for_days(c, yesterday, day, Some(partner)).unwrap()
    });
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].day, day, "newest day first");
    let steward = signed_in(&app, STEWARD).await;
    steward
        .get("/petugas/mitra")
        .await
        .assert_contains("href=\"/petugas/mitra/log\"");
    let page = steward.get("/petugas/mitra/log").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Kementerian Ketenagakerjaan RI");
    page.assert_contains("Pengguna mitra: Rina Simanjuntak");
    page.assert_contains("<td>32</td>");
    page.assert_contains("<td>35</td>");
    // The super admin reads it too.
    let admin = signed_in(&app, "admin@sibuser.example").await;
    assert_eq!(admin.get("/petugas/mitra/log").await.status, StatusCode::OK);
    // One day only, and another partner: nothing from Kemnaker.
    let other = with_conn(&app, |c| partners::list(c, day).unwrap())
        .into_iter()
        .find(|p| p.partner.id != partner)
        .unwrap()
        .partner
        .id;
    let only = steward
        .get(&format!(
            "/petugas/mitra/log?dari={day}&sampai={day}&mitra={other}"
        ))
        .await;
    assert_eq!(only.status, StatusCode::OK);
    only.assert_lacks("Rina Simanjuntak");
    for (query, message) in [
        ("dari=2026-13-01", "TTTT-BB-HH"),
        (
            "dari=2026-12-06&sampai=2026-12-01",
            "sebelum atau sama dengan",
        ),
        ("dari=2024-01-01&sampai=2026-01-01", "paling lama 366 hari"),
        ("mitra=abc", "Pilih mitra dari daftar"),
    ] {
        let res = steward.get(&format!("/petugas/mitra/log?{query}")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        res.assert_contains(message);
        res.assert_contains("<form method=\"get\" action=\"/petugas/mitra/log\"");
    }
});
