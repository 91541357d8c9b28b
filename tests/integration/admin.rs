//! Staff administration and the audit log, as a super admin uses them.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};
use sibuser::demo::DEMO_PASSWORD;
use sibuser::mail::MailKind;
use sibuser::schema::{audit_log, mail_outbox, user_roles, users};

async fn admin(app: &TestApp) -> Browser<'_> {
    signed_in(app, "admin@sibuser.example").await
}

fn last_mail_body(app: &TestApp) -> (String, String) {
    with_conn(app, |c| {
        mail_outbox::table
            .order(mail_outbox::id.desc())
            .select((mail_outbox::to_address, mail_outbox::body_text))
            .first(c)
            .unwrap()
    })
}

fn link_path(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).expect("a link");
    text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect()
}

db_test!(the_user_list_filters_and_pages, |app| {
    seed_demo(&app);
    let browser = admin(&app).await;
    let res = browser.get("/admin/pengguna").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("83 pengguna ditemukan.");
    res.assert_contains("rel=\"next\"");
    let res = browser.get("/admin/pengguna?peran=operator").await;
    res.assert_contains("1 pengguna ditemukan.");
    res.assert_contains("operator@sibuser.example");
    let res = browser.get("/admin/pengguna?peran=training_provider").await;
    res.assert_contains("1 pengguna ditemukan.");
    res.assert_contains("lembaga@sibuser.example");
    let res = browser.get("/admin/pengguna?q=WALIDATA").await;
    res.assert_contains("walidata@sibuser.example");
    res.assert_contains("1 pengguna ditemukan.");
    let res = browser
        .get("/admin/pengguna?q=perusahaan.example&hal=2")
        .await;
    res.assert_contains("15 pengguna ditemukan.");
    // Filter values that make no sense are ignored, never an error.
    let res = browser
        .get("/admin/pengguna?peran=raja&status=%27%3B--&dari=kemarin&hal=-3&q=%25_%5C")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("0 pengguna ditemukan.");
    // The date not applied is not shown either.
    res.assert_contains(r#"<input name="dari" type="date" value="">"#);
    res.assert_lacks("kemarin");
});

db_test!(only_super_admins_reach_the_admin_pages, |app| {
    seed_demo(&app);
    let anonymous = Browser::new(&app);
    let res = anonymous.get("/admin/pengguna").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let operator = Browser::new(&app);
    operator
        .sign_in("operator@sibuser.example", DEMO_PASSWORD)
        .await;
    for path in [
        "/admin/pengguna",
        "/admin/pengguna/1",
        "/admin/audit",
        "/admin/pengguna/baru",
    ] {
        let res = operator.get(path).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        res.assert_contains("Akses ditolak");
    }
    let res = operator
        .post("/admin/pengguna/1/status", &[("active", "0")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let active: bool = with_conn(&app, |c| {
        users::table
            .find(1)
            .select(users::is_active)
            .first(c)
            .unwrap()
    });
    assert!(active);
});

db_test!(a_new_staff_member_is_invited_and_sets_a_password, |app| {
    seed_demo(&app);
    let browser = admin(&app).await;
    let res = browser
        .submit(
            "/admin/pengguna/baru",
            "/admin/pengguna/baru",
            &[("full_name", ""), ("email", "bukan-surel")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Pilih minimal satu peran");
    res.assert_contains(r#"value="bukan-surel""#);

    let res = browser
        .post(
            "/admin/pengguna/baru",
            &[
                ("full_name", "Rina Ginting"),
                ("email", "rina.ginting@binjaikota.go.id"),
                ("role", "verifier"),
                ("role", "operator"),
                ("role", "job_seeker"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = user_id(&app, "rina.ginting@binjaikota.go.id");
    let roles: Vec<String> = with_conn(&app, |c| {
        user_roles::table
            .filter(user_roles::user_id.eq(id))
            .order(user_roles::role)
            .select(user_roles::role)
            .load(c)
            .unwrap()
    });
    // Only staff roles can be given here.
    assert_eq!(roles, ["operator", "verifier"]);
    let (to, body) = last_mail_body(&app);
    assert_eq!(to, "rina.ginting@binjaikota.go.id");
    let link = link_path(&body, "/undangan/");

    let rina = Browser::new(&app);
    let res = rina
        .submit(
            &link,
            &link,
            &[
                ("password", "sawit-kopi-rambutan"),
                ("password_confirm", "sawit-kopi-rambutan"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = rina
        .sign_in("rina.ginting@binjaikota.go.id", "sawit-kopi-rambutan")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = rina.get("/akun").await;
    page.assert_contains("Verifikator");
    page.assert_contains("terverifikasi</small>");

    let created: i64 = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("user.created"))
            .filter(audit_log::subject_id.eq(id.to_string()))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(created, 1);
});

db_test!(
    roles_change_with_an_audit_entry_but_never_the_last_super_admin,
    |app| {
        seed_demo(&app);
        let browser = admin(&app).await;
        let operator = user_id(&app, "operator@sibuser.example");
        browser.get(&format!("/admin/pengguna/{operator}")).await;
        let res = browser
            .post(
                &format!("/admin/pengguna/{operator}/peran"),
                &[("role", "operator"), ("role", "data_steward")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = browser.get(&format!("/admin/pengguna/{operator}")).await;
        page.assert_contains("Peran disimpan.");
        page.assert_contains("Petugas antar kerja, Walidata");
        let detail: String = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("user.roles_changed"))
                .select(audit_log::detail)
                .first::<Option<String>>(c)
                .unwrap()
                .unwrap()
        });
        assert!(detail.contains(r#""from":["operator"]"#), "{detail}");
        assert!(
            detail.contains(r#""to":["operator","data_steward"]"#),
            "{detail}"
        );

        // The only super admin cannot take the role away from themselves.
        let me = user_id(&app, "admin@sibuser.example");
        browser.get(&format!("/admin/pengguna/{me}")).await;
        browser
            .post(
                &format!("/admin/pengguna/{me}/peran"),
                &[("role", "operator")],
            )
            .await;
        let page = browser.get(&format!("/admin/pengguna/{me}")).await;
        page.assert_contains("harus tetap ada minimal satu admin utama");
        page.assert_contains("Admin utama");
    }
);

db_test!(deactivation_ends_sessions_and_can_be_undone, |app| {
    seed_demo(&app);
    let browser = admin(&app).await;
    let seeker = Browser::new(&app);
    seeker
        .sign_in("pencaker@sibuser.example", DEMO_PASSWORD)
        .await;
    assert_eq!(seeker.get("/akun").await.status, StatusCode::OK);
    let id = user_id(&app, "pencaker@sibuser.example");
    browser.get(&format!("/admin/pengguna/{id}")).await;
    let res = browser
        .post(&format!("/admin/pengguna/{id}/status"), &[("active", "0")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(seeker.get("/akun").await.status, StatusCode::SEE_OTHER);
    let res = seeker
        .sign_in("pencaker@sibuser.example", DEMO_PASSWORD)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    browser.get(&format!("/admin/pengguna/{id}")).await;
    browser
        .post(&format!("/admin/pengguna/{id}/status"), &[("active", "1")])
        .await;
    let res = seeker
        .sign_in("pencaker@sibuser.example", DEMO_PASSWORD)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // An admin cannot lock themselves out.
    let me = user_id(&app, "admin@sibuser.example");
    browser.get(&format!("/admin/pengguna/{me}")).await;
    browser
        .post(&format!("/admin/pengguna/{me}/status"), &[("active", "0")])
        .await;
    let page = browser.get(&format!("/admin/pengguna/{me}")).await;
    page.assert_contains("tidak dapat menonaktifkan akun Anda sendiri");
    let actions: Vec<String> = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.like("user.%activated"))
            .order(audit_log::id)
            .select(audit_log::action)
            .load(c)
            .unwrap()
    });
    assert_eq!(actions, ["user.deactivated", "user.reactivated"]);
});

db_test!(a_forced_reset_disables_the_old_password, |app| {
    seed_demo(&app);
    let browser = admin(&app).await;
    let id = user_id(&app, "walidata@sibuser.example");
    browser.get(&format!("/admin/pengguna/{id}")).await;
    let res = browser
        .post(&format!("/admin/pengguna/{id}/atur-ulang-sandi"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let other = Browser::new(&app);
    let res = other
        .sign_in("walidata@sibuser.example", DEMO_PASSWORD)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (to, body) = last_mail_body(&app);
    assert_eq!(to, "walidata@sibuser.example");
    let link = link_path(&body, "/atur-sandi/");
    let res = other
        .submit(
            &link,
            &link,
            &[
                ("password", "walidata-baru-2026"),
                ("password_confirm", "walidata-baru-2026"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = other
        .sign_in("walidata@sibuser.example", "walidata-baru-2026")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // An admin cannot force a reset of their own password: it would end their session
    // and lock them out (the web scan found this by posting the form on their own page).
    let me = user_id(&app, "admin@sibuser.example");
    let page = browser.get(&format!("/admin/pengguna/{me}")).await;
    assert!(
        !page.body.contains("atur-ulang-sandi"),
        "no reset form on one's own page"
    );
    page.assert_contains("href=\"/akun/sandi\"");
    browser
        .post(&format!("/admin/pengguna/{me}/atur-ulang-sandi"), &[])
        .await;
    let page = browser.get(&format!("/admin/pengguna/{me}")).await;
    assert_eq!(page.status, StatusCode::OK, "still signed in");
    page.assert_contains("tidak dapat memaksa atur ulang sandi akun Anda sendiri");
    let again = Browser::new(&app);
    let res = again.sign_in("admin@sibuser.example", DEMO_PASSWORD).await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "the password still works"
    );
    let forced: Vec<Option<String>> = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("password.reset_forced"))
            .select(audit_log::subject_id)
            .load(c)
            .unwrap()
    });
    assert_eq!(forced, [Some(id.to_string())]);
});

db_test!(the_audit_log_can_be_browsed_and_filtered, |app| {
    seed_demo(&app);
    let failed = Browser::new(&app);
    failed
        .sign_in("operator@sibuser.example", "bukan-sandi-ini")
        .await;
    let browser = admin(&app).await;
    let res = browser.get("/admin/audit").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("login.failed");
    res.assert_contains("login.succeeded");
    res.assert_contains("admin@sibuser.example");
    // In words, the stored name beside them for the filter; the subject named too.
    res.assert_contains("Masuk gagal<br><small><code>login.failed</code></small>");
    res.assert_contains("Pengguna #");
    let res = browser.get("/admin/audit?aksi=login.failed").await;
    res.assert_contains("1 catatan.");
    res.assert_lacks("<code>login.succeeded</code>");
    let res = browser
        .get("/admin/audit?aksi=%25&pengguna=abc&dari=x&hal=0")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("0 catatan.");
    res.assert_contains(r#"<input name="dari" type="date" value="">"#);
});

db_test!(the_audit_log_keeps_binjai_time, |app| {
    seed_demo(&app);
    // 20:30 UTC on 1 March is 03:30 on 2 March in Binjai.
    let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_opt(20, 30, 0))
        .unwrap();
    with_conn(&app, |c| {
        // The log is append-only, so the entry is written with its time rather than moved.
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::occurred_at.eq(at),
                audit_log::action.eq("test.late_evening"),
            ))
            .execute(c)
            .unwrap();
    });
    let browser = admin(&app).await;
    let res = browser
        .get("/admin/audit?aksi=test.late_evening&dari=2026-03-02&sampai=2026-03-02")
        .await;
    res.assert_contains("1 catatan.");
    res.assert_contains("2 Maret 2026 03:30:00 WIB");
    // An action no version names any more shows as it was stored.
    res.assert_contains("test.late_evening<br>");
    let res = browser
        .get("/admin/audit?aksi=test.late_evening&dari=2026-03-01&sampai=2026-03-01")
        .await;
    res.assert_contains("0 catatan.");
});

db_test!(parked_mail_is_shown_and_can_be_sent_again, |app| {
    seed_demo(&app);
    with_conn(&app, |c| {
        sibuser::mail::enqueue(
            c,
            MailKind::PasswordChanged,
            "warga@contoh.id",
            "Surel yang gagal",
            "Isi",
        )
        .unwrap();
        diesel::update(mail_outbox::table)
            .set((
                mail_outbox::attempts.eq(8),
                mail_outbox::parked_at.eq(Some(chrono::Utc::now().naive_utc())),
                mail_outbox::last_error.eq(Some("connection refused")),
            ))
            .execute(c)
            .unwrap();
        sibuser::mail::enqueue(
            c,
            MailKind::PasswordChanged,
            "lain@contoh.id",
            "Surel menunggu",
            "Isi",
        )
        .unwrap();
    });
    let browser = admin(&app).await;
    let page = browser.get("/admin/surel").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Surel yang gagal");
    page.assert_contains("connection refused");
    page.assert_contains("Surel menunggu");
    let (parked_id, waiting_id): (i32, i32) = with_conn(&app, |c| {
        let ids: Vec<i32> = mail_outbox::table
            .order(mail_outbox::id)
            .select(mail_outbox::id)
            .load(c)
            .unwrap();
        (ids[0], ids[1])
    });
    // Only a parked mail can be sent again; a waiting one is already on its way.
    let res = browser
        .post(&format!("/admin/surel/{waiting_id}/ulang"), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = browser
        .post(&format!("/admin/surel/{parked_id}/ulang"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let (attempts, parked): (i32, Option<chrono::NaiveDateTime>) = with_conn(&app, |c| {
        mail_outbox::table
            .find(parked_id)
            .select((mail_outbox::attempts, mail_outbox::parked_at))
            .first(c)
            .unwrap()
    });
    assert_eq!(attempts, 0);
    assert!(parked.is_none());
    assert_eq!(
        with_conn(&app, |c| sibuser::mail::pending_count(c).unwrap()),
        2
    );
});

db_test!(an_id_that_no_row_can_have_is_a_missing_page, |app| {
    seed_demo(&app);
    // Ids are read from the path as positive numbers only; anything else is the same
    // missing page as an id that is not there.
    for path in [
        "/lowongan/0",
        "/perusahaan/0",
        "/pelatihan/0",
        "/lowongan/99999999999",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        res.assert_contains("Halaman tidak ditemukan");
    }
    let admin = admin(&app).await;
    let me = user_id(&app, "admin@sibuser.example");
    let res = admin.get(&format!("/admin/pengguna/{me}")).await;
    assert_eq!(res.status, StatusCode::OK);
    for path in [
        "/admin/pengguna/0",
        "/admin/pengguna/-7",
        "/admin/pengguna/abc",
        "/admin/pengguna/999999",
    ] {
        let res = admin.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        res.assert_contains("Halaman tidak ditemukan");
    }
    let verifier = signed_in(&app, "verifikator@sibuser.example").await;
    for path in [
        "/petugas/verifikasi/lowongan/0",
        "/petugas/verifikasi/perusahaan/-1",
    ] {
        let res = verifier.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        res.assert_contains("Halaman tidak ditemukan");
    }
});
