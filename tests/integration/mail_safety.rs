//! Mail that cannot be turned against anyone: requests that send mail are capped, only
//! verified companies invite, words someone typed are quoted and cut short, and the
//! outbox forgets what a mail said once it is delivered.

use actix_web::http::StatusCode;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::accounts::{link_path, mail_text, signup_fields};
use crate::common::browser::Browser;
use crate::common::smtp::SmtpServer;
use crate::common::{Backend, TestApp, seed_demo, signed_in, with_conn};
use crate::vacancies::{owner_company, verify_company};
use sibuser::demo::DEMO_PASSWORD;
use sibuser::mail::MailKind;
use sibuser::schema::{mail_outbox, users};

fn outbox_count(app: &TestApp) -> i64 {
    with_conn(app, |c| mail_outbox::table.count().get_result(c).unwrap())
}

/// The body of the newest mail to this address.
fn last_body_to(app: &TestApp, to: &str) -> String {
    with_conn(app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq(to))
            .order(mail_outbox::id.desc())
            .select(mail_outbox::body_text)
            .first(c)
            .unwrap()
    })
}

fn account_exists(app: &TestApp, email: &str) -> bool {
    with_conn(app, |c| {
        users::table
            .filter(users::email.eq(email))
            .count()
            .get_result::<i64>(c)
            .unwrap()
            > 0
    })
}

db_test!(resending_the_verification_link_is_capped, |app| {
    let browser = Browser::new(&app);
    let res = browser
        .submit("/daftar", "/daftar", &signup_fields("siti@contoh.id"))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(outbox_count(&app), 1);
    let res = browser
        .sign_in("siti@contoh.id", "rambutan-manis-binjai")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    for n in 1..=3 {
        browser.get("/akun").await;
        let res = browser.post("/akun/verifikasi", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "resend {n}");
        assert_eq!(outbox_count(&app), 1 + n);
    }
    browser.get("/akun").await;
    let res = browser.post("/akun/verifikasi", &[]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    res.assert_contains("Terlalu banyak permintaan");
    res.assert_contains("tidak ada surel baru yang dikirim");
    assert_eq!(outbox_count(&app), 4, "nothing queued when refused");
});

async fn change(browser: &Browser<'_>, to: String) -> crate::common::TestResponse {
    browser.get("/akun").await;
    browser
        .post(
            "/akun/surel",
            &[("new_email", &to), ("current_password", DEMO_PASSWORD)],
        )
        .await
}

db_test!(email_changes_are_capped_per_account_and_per_inbox, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, "pencaker@sibuser.example").await;
    // One account, three different inboxes of the same person: all go.
    for n in 1..=3 {
        let res = change(&siti, format!("korban+{n}@contoh.id")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "change {n}");
    }
    let before = outbox_count(&app);
    // A fourth from the same account is refused, whatever the address.
    let res = change(&siti, "lain@contoh.id".into()).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    res.assert_contains("Terlalu banyak permintaan ganti alamat surel");
    res.assert_contains(r#"value="lain@contoh.id""#);
    assert_eq!(outbox_count(&app), before);
    // Another account cannot add to that inbox either: it has had its three.
    let other = signed_in(&app, "operator@sibuser.example").await;
    let res = change(&other, "Korban+99@contoh.id".into()).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(outbox_count(&app), before);
    // ...while it may still write to a fresh one.
    let res = change(&other, "operator.baru@contoh.id".into()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
});

async fn invite(owner: &Browser<'_>, name: &str, email: &str) -> crate::common::TestResponse {
    owner.get("/perusahaan/pengguna").await;
    owner
        .post(
            "/perusahaan/pengguna",
            &[("full_name", name), ("email", email)],
        )
        .await
}

db_test!(an_unverified_company_cannot_invite, |app| {
    seed_demo(&app);
    let owner = signed_in(&app, "perusahaan@sibuser.example").await;
    let page = owner.get("/perusahaan/pengguna").await;
    page.assert_contains("setelah data perusahaan Anda diverifikasi");
    let before = outbox_count(&app);
    let res = invite(&owner, "Dedi Saragih", "dedi@rekan.example").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("setelah data perusahaan Anda diverifikasi");
    assert_eq!(outbox_count(&app), before);
    assert!(!account_exists(&app, "dedi@rekan.example"));
});

db_test!(invitations_are_capped_per_company_and_per_inbox, |app| {
    seed_demo(&app);
    verify_company(&app, owner_company(&app));
    let owner = signed_in(&app, "perusahaan@sibuser.example").await;
    for n in 1..=3 {
        let res = invite(&owner, "Dedi Saragih", &format!("dedi+{n}@rekan.example")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "invitation {n}");
    }
    // The fourth to the same inbox, under yet another tag, is refused.
    let before = outbox_count(&app);
    let res = invite(&owner, "Dedi Saragih", "dedi+4@rekan.example").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    res.assert_contains("Terlalu banyak undangan");
    res.assert_contains(r#"value="dedi+4@rekan.example""#);
    assert_eq!(outbox_count(&app), before);
    assert!(!account_exists(&app, "dedi+4@rekan.example"));
    // Ten invitations an hour per company, to anyone.
    for n in 4..=10 {
        let res = invite(&owner, "Rekan Kerja", &format!("rekan{n}@rekan.example")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "invitation {n}");
    }
    let before = outbox_count(&app);
    let res = invite(&owner, "Rekan Kerja", "rekan11@rekan.example").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(outbox_count(&app), before);
    assert!(!account_exists(&app, "rekan11@rekan.example"));
});

db_test!(
    an_invitation_quotes_and_cuts_what_the_inviter_wrote,
    |app| {
        seed_demo(&app);
        verify_company(&app, owner_company(&app));
        // A name no form accepts (older data, or another way in) is cut all the same.
        let long_name = format!(
            "Budi https://dinas-binjai.example/masuk\nDinas Ketenagakerjaan meminta kata sandi Anda {}",
            "x".repeat(500)
        );
        with_conn(&app, |c| {
            diesel::update(users::table.filter(users::email.eq("perusahaan@sibuser.example")))
                .set(users::full_name.eq(&long_name))
                .execute(c)
                .unwrap();
        });
        let owner = signed_in(&app, "perusahaan@sibuser.example").await;
        let res = invite(
            &owner,
            "Siti Balas dengan sandi Anda ke www.phish.example",
            "siti.rekan@contoh.id",
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let body = last_body_to(&app, "siti.rekan@contoh.id");
        // The inviter's words, in quotes, cut to one short line, without a working address.
        assert!(
            body.contains("\u{201c}Budi https[:]//dinas-binjai[.]example/masuk Dinas Ketenaga"),
            "{body}"
        );
        assert!(
            body.contains("\u{2026}\u{201d} dari perusahaan \u{201c}"),
            "{body}"
        );
        assert!(!body.contains("https://dinas-binjai"), "{body}");
        assert!(!body.contains(&"x".repeat(60)), "{body}");
        assert!(
            body.contains("\u{201c}Siti Balas dengan sandi Anda ke www[.]phish[.]example\u{201d}"),
            "{body}"
        );
        assert!(!body.contains("www.phish.example"), "{body}");
        assert!(
            body.contains("ditulis oleh pengundang, bukan oleh Dinas"),
            "{body}"
        );
        assert!(
            body.contains("tidak pernah meminta kata sandi"),
            "the Dinas's own warning ends the mail: {body}"
        );
        // Whatever was typed, no line of the mail starts with the inviter's words.
        assert!(
            body.lines()
                .all(|l| !l.starts_with("Balas") && !l.starts_with("Budi")),
            "{body}"
        );
    }
);

#[actix_web::test]
async fn a_delivered_mail_keeps_no_text_and_only_the_recipients_domain() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let smtp = SmtpServer::start();
        let env = smtp.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Some(app) = TestApp::spawn_with(backend, &env).await else {
            continue;
        };
        seed_demo(&app);
        let browser = Browser::new(&app);
        let res = browser
            .submit(
                "/lupa-sandi",
                "/lupa-sandi",
                &[("email", "pencaker@sibuser.example")],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        // A second mail that is not due yet stays as it was.
        with_conn(&app, |c| {
            sibuser::mail::enqueue(
                c,
                MailKind::PasswordChanged,
                "warga@contoh.id",
                "Belum terkirim",
                "Isi yang menunggu",
            )
            .unwrap();
            diesel::update(
                mail_outbox::table.filter(mail_outbox::to_address.eq("warga@contoh.id")),
            )
            .set(mail_outbox::next_attempt_at.eq(Utc::now().naive_utc() + Duration::hours(1)))
            .execute(c)
            .unwrap();
        });
        let transport =
            sibuser::mail::MailTransport::from_settings(&app.portal.state.settings).unwrap();
        let sent = sibuser::mail::deliver_due(
            app.pool(),
            &transport,
            app.portal.state.settings.mail_body_retention(),
        )
        .unwrap()
        .sent;
        assert_eq!(sent, 1, "{backend:?}");
        let text = mail_text(&smtp.messages()[0]);
        let link = link_path(&text, "/atur-sandi/");

        type Row = (String, String, String, String, Option<NaiveDateTime>);
        let rows: Vec<Row> = with_conn(&app, |c| {
            mail_outbox::table
                .order(mail_outbox::id)
                .select((
                    mail_outbox::kind,
                    mail_outbox::to_address,
                    mail_outbox::subject,
                    mail_outbox::body_text,
                    mail_outbox::sent_at,
                ))
                .load(c)
                .unwrap()
        });
        let (kind, to, subject, body, sent_at) = &rows[0];
        assert_eq!(kind, "reset_password");
        assert_eq!(to, "sibuser.example", "{backend:?}");
        assert_eq!(subject, "");
        assert_eq!(body, "");
        assert!(sent_at.is_some());
        let token = link.trim_start_matches("/atur-sandi/");
        assert!(rows.iter().all(|r| !r.3.contains(token)));
        // The undelivered one still says everything.
        let (kind, to, subject, body, sent_at) = &rows[1];
        assert_eq!(kind, "password_changed");
        assert_eq!(to, "warga@contoh.id");
        assert_eq!(subject, "Belum terkirim");
        assert_eq!(body, "Isi yang menunggu");
        assert!(sent_at.is_none());

        // The link in the inbox still works: only the database forgot it.
        let res = browser.get(&link).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}");
    }
}

db_test!(with_a_retention_mail_text_is_cleared_after_it, |app| {
    // No SMTP here: every row is made to look delivered or parked, so the worker only
    // prunes.
    let app = TestApp::spawn_with(app.backend, &[("SIBUSER_MAIL_BODY_RETENTION_HOURS", "2")])
        .await
        .unwrap();
    seed_demo(&app);
    let now = Utc::now().naive_utc();
    let ids: Vec<i32> = with_conn(&app, |c| {
        let cases = [
            // (address, sent hours ago, parked hours ago)
            ("baru@contoh.id", Some(1), None),
            ("lama@contoh.id", Some(3), None),
            ("macet.baru@contoh.id", None, Some(3)),
            ("macet.lama@contoh.id", None, Some(24 * 8)),
        ];
        cases
            .iter()
            .map(|(to, sent, parked)| {
                sibuser::mail::enqueue(c, MailKind::ResetPassword, to, "Subjek", "Tautan rahasia")
                    .unwrap();
                let id: i32 = mail_outbox::table
                    .select(diesel::dsl::max(mail_outbox::id))
                    .first::<Option<i32>>(c)
                    .unwrap()
                    .unwrap();
                diesel::update(mail_outbox::table.find(id))
                    .set((
                        mail_outbox::sent_at.eq(sent.map(|h| now - Duration::hours(h))),
                        mail_outbox::parked_at.eq(parked.map(|h| now - Duration::hours(h))),
                        mail_outbox::attempts.eq(if parked.is_some() { 8 } else { 1 }),
                        mail_outbox::last_error
                            .eq(parked.map(|_| format!("550 <{to}>: no such user"))),
                    ))
                    .execute(c)
                    .unwrap();
                id
            })
            .collect()
    });
    let transport =
        sibuser::mail::MailTransport::from_settings(&app.portal.state.settings).unwrap();
    let sent = sibuser::mail::deliver_due(
        app.pool(),
        &transport,
        app.portal.state.settings.mail_body_retention(),
    )
    .unwrap()
    .sent;
    assert_eq!(sent, 0);
    let state: Vec<(String, String)> = with_conn(&app, |c| {
        ids.iter()
            .map(|id| {
                mail_outbox::table
                    .find(id)
                    .select((mail_outbox::to_address, mail_outbox::body_text))
                    .first(c)
                    .unwrap()
            })
            .collect()
    });
    assert_eq!(state[0], ("baru@contoh.id".into(), "Tautan rahasia".into()));
    assert_eq!(state[1], ("contoh.id".into(), String::new()));
    // A parked mail waits for an admin at least a week, then goes the same way.
    assert_eq!(
        state[2],
        ("macet.baru@contoh.id".into(), "Tautan rahasia".into())
    );
    assert_eq!(state[3], ("contoh.id".into(), String::new()));
    let error: Option<String> = with_conn(&app, |c| {
        mail_outbox::table
            .find(ids[3])
            .select(mail_outbox::last_error)
            .first(c)
            .unwrap()
    });
    assert_eq!(error.as_deref(), Some("550 <…@contoh.id>: no such user"));

    // The super admin still sees both parked mails, and may send again only the one that
    // still has its text.
    let admin = signed_in(&app, "admin@sibuser.example").await;
    let page = admin.get("/admin/surel").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("macet.baru@contoh.id");
    page.assert_contains("…@contoh.id");
    page.assert_contains("isi sudah dihapus");
    page.assert_contains("Atur ulang kata sandi");
    page.assert_contains(&format!("/admin/surel/{}/ulang", ids[2]));
    page.assert_lacks(&format!("/admin/surel/{}/ulang", ids[3]));
    let res = admin
        .post(&format!("/admin/surel/{}/ulang", ids[3]), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
});

/// Takes this migration back (its down.sql), as if the database were from before it.
fn revert_mail_retention(conn: &mut sibuser::db::DbConnection) {
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
    // Back to the schema just before mail_retention: it and every later migration are
    // reverted, newest first, as an old database would stand.
    macro_rules! revert {
        ($conn:expr, $source:expr) => {{
            let mut migrations = diesel::migration::MigrationSource::migrations(&$source).unwrap();
            migrations.sort_by_key(|m| m.name().to_string());
            let ours = migrations
                .iter()
                .position(|m| m.name().to_string().ends_with("_mail_retention"))
                .expect("the mail_retention migration");
            for m in migrations[ours..].iter().rev() {
                $conn.revert_migration(&**m).unwrap();
            }
        }};
    }
    match conn {
        sibuser::db::DbConnection::Sqlite(c) => revert!(c, SQLITE),
        sibuser::db::DbConnection::Pg(c) => revert!(c, POSTGRES),
    }
}

db_test!(stop_links_mailed_before_the_migration_still_work, |app| {
    seed_demo(&app);
    let token = "n0-sudah-lama_ada-di-kotak-masuk-1234567";
    with_conn(&app, |c| {
        revert_mail_retention(c);
        diesel::sql_query(format!(
            "INSERT INTO job_alerts (job_seeker_id, query, frequency, unsubscribe_token, \
             created_at, checked_until, next_run_at) \
             SELECT id, 'q=kasir', 'weekly', '{token}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, \
             CURRENT_TIMESTAMP FROM job_seekers ORDER BY id LIMIT 1"
        ))
        .execute(c)
        .unwrap();
        sibuser::db::run_migrations(c).unwrap();
    });
    let stored: Vec<String> = with_conn(&app, |c| {
        sibuser::schema::job_alert_stop_links::table
            .select(sibuser::schema::job_alert_stop_links::token_hash)
            .load(c)
            .unwrap()
    });
    // The demo's own alerts got links of their own; this one's is among them, hashed.
    assert!(stored.contains(&sibuser::accounts::tokens::hash(token)));
    assert!(
        !stored.iter().any(|h| h == token),
        "no link is kept in the clear"
    );
    let stranger = Browser::new(&app);
    let page = stranger.get(&format!("/peringatan/berhenti/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Ya, berhenti");
});
