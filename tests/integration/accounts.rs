//! Accounts as people use them: sign up, verify, sign in and out, reset a password, and
//! every way of getting it wrong.

use actix_web::http::StatusCode;
use base64::Engine as _;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::smtp::SmtpServer;
use crate::common::{Backend, TestApp, seed_demo, with_conn};
use sibuser::mail::MailKind;
use sibuser::schema::{audit_log, mail_outbox, users};

const PASSWORD: &str = "rambutan-manis-binjai";

pub(crate) fn signup_fields(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("full_name", "Siti Aisyah Lubis"),
        ("email", email),
        ("phone", "0812-3456-7890"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("consent", "on"),
    ]
}

/// Signs up through a sign-up form, opens the verification link from the outbox and
/// signs in: a new account is used once its address is verified, and sign-up answers a
/// known address the same way as a new one, so it signs nobody in.
pub(crate) async fn sign_up_verified(
    app: &TestApp,
    browser: &Browser<'_>,
    form: &str,
    fields: &[(&str, &str)],
) {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .unwrap()
    };
    let email = field("email").to_lowercase();
    let res = browser.submit(form, form, fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), Some("/daftar/periksa-surel"));
    let (_, _, body) = outbox(app)
        .into_iter()
        .rev()
        .find(|(to, _, body)| *to == email && body.contains("/verifikasi/"))
        .unwrap_or_else(|| panic!("no verification mail to {email}"));
    let link = link_path(&body, "/verifikasi/");
    assert_eq!(browser.get(&link).await.status, StatusCode::OK);
    let res = browser.sign_in(&email, &field("password")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The mails waiting in the outbox, newest last: (to, subject, body).
fn outbox(app: &TestApp) -> Vec<(String, String, String)> {
    with_conn(app, |conn| {
        mail_outbox::table
            .order(mail_outbox::id)
            .select((
                mail_outbox::to_address,
                mail_outbox::subject,
                mail_outbox::body_text,
            ))
            .load(conn)
            .unwrap()
    })
}

/// The path of the first link in a text that starts with `prefix` (e.g. "/verifikasi/").
pub(crate) fn link_path(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in:\n{text}"));
    text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect()
}

/// The text of a raw mail, undoing quoted-printable or base64 transfer encoding.
pub(crate) fn mail_text(raw: &str) -> String {
    let (headers, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .unwrap_or((raw, ""));
    let headers = headers.to_ascii_lowercase();
    if headers.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    } else if headers.contains("content-transfer-encoding: quoted-printable") {
        body.replace("=\r\n", "")
            .replace("=\n", "")
            .replace("=3D", "=")
    } else {
        body.to_owned()
    }
}

#[actix_web::test]
async fn sign_up_and_verify_through_a_real_smtp_server() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let smtp = SmtpServer::start();
        let env = smtp.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Some(app) = TestApp::spawn_with(backend, &env).await else {
            continue;
        };
        let browser = Browser::new(&app);
        let res = browser
            .submit(
                "/daftar",
                "/daftar",
                &signup_fields("Siti.Aisyah@Contoh.id"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // Not signed in yet: the next page says to open the mail.
        assert_eq!(res.header("location"), Some("/daftar/periksa-surel"));
        browser
            .get("/daftar/periksa-surel")
            .await
            .assert_contains("Periksa kotak surel Anda");
        assert_eq!(browser.get("/akun").await.status, StatusCode::SEE_OTHER);

        // The worker hands the mail to the SMTP server.
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
        let messages = smtp.messages();
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].contains("To: siti.aisyah@contoh.id"),
            "{}",
            messages[0]
        );
        let text = mail_text(&messages[0]);
        assert!(text.contains("Halo Siti Aisyah Lubis"), "{text}");
        let link = link_path(&text, "/verifikasi/");

        let res = browser.get(&link).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_contains("Alamat surel terverifikasi");
        let res = browser.sign_in("siti.aisyah@contoh.id", PASSWORD).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = browser.get("/akun").await;
        page.assert_contains("siti.aisyah@contoh.id");
        page.assert_contains("terverifikasi</small>");
        // A second use of the same link is refused, clearly.
        let again = browser.get(&link).await;
        assert_eq!(again.status, StatusCode::GONE);
        again.assert_contains("sudah pernah digunakan");
    }
}

/// Issue 19, item 3: the mail server away for a while. The mail waits, however many passes
/// the worker makes meanwhile (none of them spends the mail's attempts, so a long outage
/// parks nothing), and once the server is back every mail leaves, each exactly once.
#[actix_web::test]
async fn mail_waits_out_an_smtp_outage_and_each_leaves_once_when_it_ends() {
    const MAILS: usize = 45; // more than two of the worker's batches
    for backend in [Backend::Sqlite, Backend::Postgres] {
        // Nothing listens on this port yet: the mail server is down.
        let port = crate::common::webdriver::free_port().to_string();
        let env = [
            ("SIBUSER_SMTP_HOST", "127.0.0.1"),
            ("SIBUSER_SMTP_PORT", port.as_str()),
            ("SIBUSER_SMTP_SECURITY", "none"),
        ];
        let Some(app) = TestApp::spawn_with(backend, &env).await else {
            continue;
        };
        with_conn(&app, |conn| {
            for n in 0..MAILS {
                let to = format!("warga{n}@contoh.id");
                sibuser::mail::enqueue(conn, MailKind::PasswordChanged, &to, "Tes", "Isi").unwrap();
            }
        });
        let transport =
            sibuser::mail::MailTransport::from_settings(&app.portal.state.settings).unwrap();
        let pass = || {
            sibuser::mail::deliver_due(
                app.pool(),
                &transport,
                app.portal.state.settings.mail_body_retention(),
            )
            .unwrap()
        };
        for _ in 0..10 {
            let down = pass();
            assert_eq!(down.sent, 0, "{backend:?}");
            let why = down.server_unreachable.expect("the server is unreachable");
            assert!(why.to_lowercase().contains("connect"), "{why}");
        }
        let waiting: Vec<(i32, Option<String>)> = with_conn(&app, |conn| {
            mail_outbox::table
                .filter(mail_outbox::sent_at.is_null())
                .filter(mail_outbox::parked_at.is_null())
                .select((mail_outbox::attempts, mail_outbox::last_error))
                .load(conn)
                .unwrap()
        });
        assert_eq!(waiting.len(), MAILS, "{backend:?}: every mail still waits");
        assert!(
            waiting.iter().all(|(attempts, _)| *attempts == 0),
            "{backend:?}: the outage spent no mail's attempts: {waiting:?}"
        );
        assert!(
            waiting.iter().any(|(_, error)| error.is_some()),
            "{backend:?}: the queue page can tell why the mail waits"
        );

        // The server is back: the next pass sends everything, and nothing is sent twice.
        let smtp = SmtpServer::start_on(port.parse().unwrap());
        assert_eq!(
            pass(),
            sibuser::mail::Delivered {
                sent: MAILS,
                server_unreachable: None
            },
            "{backend:?}"
        );
        assert_eq!(pass().sent, 0, "{backend:?}");
        let messages = smtp.messages();
        let mut recipients: Vec<String> = messages
            .iter()
            .filter_map(|m| m.lines().find_map(|l| l.strip_prefix("To: ")))
            .map(str::to_owned)
            .collect();
        recipients.sort();
        let mut expected: Vec<String> = (0..MAILS).map(|n| format!("warga{n}@contoh.id")).collect();
        expected.sort();
        assert_eq!(recipients, expected, "{backend:?}: each mail exactly once");
    }
}

db_test!(sign_up_errors_keep_the_input_and_change_nothing, |app| {
    let browser = Browser::new(&app);
    let res = browser
        .submit(
            "/daftar",
            "/daftar",
            &[
                ("full_name", "S"),
                ("email", "siti-at-contoh"),
                ("phone", "12"),
                ("password", "qwertyuiop"),
                ("password_confirm", "qwertyuiop"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Isi nama lengkap");
    res.assert_contains("Isi alamat surel yang valid");
    res.assert_contains("Isi nomor HP yang valid");
    res.assert_contains("terlalu umum");
    res.assert_contains("Persetujuan pengolahan data diperlukan");
    res.assert_contains(r#"value="siti-at-contoh""#);
    res.assert_lacks("qwertyuiop");
    let count: i64 = with_conn(&app, |c| users::table.count().get_result(c).unwrap());
    assert_eq!(count, 0);

    let res = browser
        .submit(
            "/daftar",
            "/daftar",
            &[
                ("full_name", "Siti"),
                ("email", "siti@contoh.id"),
                ("phone", "081234567890"),
                ("password", PASSWORD),
                ("password_confirm", "lain-sekali-bedanya"),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Kedua kata sandi tidak sama");
});

db_test!(
    sign_up_tells_nobody_whether_an_address_is_registered,
    |app| {
        let first = Browser::new(&app);
        let new = first
            .submit("/daftar", "/daftar", &signup_fields("budi@contoh.id"))
            .await;
        // Somebody else types the same address, in other case: the same answer, word for
        // word, and no second account.
        let second = Browser::new(&app);
        let known = second
            .submit("/daftar", "/daftar", &signup_fields("BUDI@contoh.id"))
            .await;
        for res in [&new, &known] {
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
            assert_eq!(res.header("location"), Some("/daftar/periksa-surel"));
            assert_eq!(res.body, "");
        }
        assert_eq!(
            first.get("/daftar/periksa-surel").await.body,
            second.get("/daftar/periksa-surel").await.body
        );
        let count: i64 = with_conn(&app, |c| users::table.count().get_result(c).unwrap());
        assert_eq!(count, 1);
        // Only the owner hears of the second attempt, by mail, with no link to act on but the
        // ordinary sign-in and reset pages.
        let mails = outbox(&app);
        assert_eq!(mails.len(), 2, "{mails:?}");
        assert!(mails[0].2.contains("/verifikasi/"));
        assert_eq!(mails[1].0, "budi@contoh.id");
        assert!(
            mails[1].1.contains("Percobaan pendaftaran"),
            "{}",
            mails[1].1
        );
        assert!(!mails[1].2.contains("/verifikasi/"));
        assert!(mails[1].2.contains("/lupa-sandi"));
        // Repeated attempts do not turn the Dinas into a mail cannon against the owner.
        for n in 0..3 {
            let other = Browser::new(&app);
            let res = other
                .submit("/daftar", "/daftar", &signup_fields("budi@contoh.id"))
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "attempt {n}");
        }
        let notices = outbox(&app)
            .iter()
            .filter(|(_, subject, _)| subject.contains("Percobaan pendaftaran"))
            .count();
        assert_eq!(notices, 2);
    }
);

db_test!(sign_in_and_out, |app| {
    seed_demo(&app);
    let browser = Browser::new(&app);
    // A protected page sends an anonymous visitor to sign in, and back after.
    let res = browser.get("/akun").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/masuk?next=%2Fakun"));
    let res = browser
        .submit(
            "/masuk?next=%2Ftentang",
            "/masuk",
            &[
                ("email", "Admin@Sibuser.example"),
                ("password", sibuser::demo::DEMO_PASSWORD),
                ("next", "/tentang"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), Some("/tentang"));
    let page = browser.get("/akun").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Admin utama");
    page.assert_contains("Keluar");

    let res = browser.post("/keluar", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    browser.get("/").await.assert_contains("Anda telah keluar");
    assert_eq!(browser.get("/akun").await.status, StatusCode::SEE_OTHER);

    let actions: Vec<String> = with_conn(&app, |c| {
        audit_log::table.select(audit_log::action).load(c).unwrap()
    });
    assert!(
        actions.contains(&"login.succeeded".to_owned()),
        "{actions:?}"
    );
});

db_test!(wrong_password_and_unknown_account_look_the_same, |app| {
    seed_demo(&app);
    let browser = Browser::new(&app);
    let wrong = browser
        .sign_in("admin@sibuser.example", "bukan-sandinya-ini")
        .await;
    let unknown = browser
        .sign_in("siapa@tidak.ada", "bukan-sandinya-ini")
        .await;
    for res in [&wrong, &unknown] {
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Alamat surel atau kata sandi salah.");
        res.assert_lacks("bukan-sandinya-ini");
    }
    wrong.assert_contains(r#"value="admin@sibuser.example""#);
    assert!(
        !browser.has_cookie("sibuser")
            || browser.get("/akun").await.status == StatusCode::SEE_OTHER
    );
    let failures: i64 = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("login.failed"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(failures, 2);
});

db_test!(
    one_address_guessing_is_throttled_without_locking_the_owner_out,
    |app| {
        with_conn(&app, |c| {
            sibuser::demo::seed(c, sibuser::demo::Scale::Small).unwrap();
        });
        let attacker = Browser::new(&app);
        for _ in 0..5 {
            let res = attacker
                .sign_in("operator@sibuser.example", "salah-salah-salah")
                .await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        // From the guessing address even the right password now waits...
        let res = attacker
            .sign_in("operator@sibuser.example", sibuser::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        res.assert_contains("Terlalu banyak percobaan masuk yang gagal");
        // ...and an account that does not exist behaves the same, so the throttle tells
        // nothing about which accounts exist.
        for _ in 0..5 {
            let res = attacker
                .sign_in("tidak.ada@contoh.id", "apa-saja-sandinya")
                .await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let res = attacker
            .sign_in("tidak.ada@contoh.id", "apa-saja-sandinya")
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        res.assert_contains("Terlalu banyak percobaan masuk yang gagal");
        // The owner, signing in from their own address, is not locked out by the attacker.
        let owner = Browser::new(&app);
        let res = owner
            .sign_in("operator@sibuser.example", sibuser::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(owner.get("/petugas/pencaker").await.status, StatusCode::OK);
    }
);

db_test!(a_missing_or_wrong_csrf_token_is_refused, |app| {
    seed_demo(&app);
    let browser = Browser::new(&app);
    browser.get("/masuk").await;
    let fields = vec![
        ("email".to_owned(), "admin@sibuser.example".to_owned()),
        (
            "password".to_owned(),
            sibuser::demo::DEMO_PASSWORD.to_owned(),
        ),
    ];
    let res = browser.post_raw("/masuk", &fields).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Akses ditolak");
    let mut forged = fields.clone();
    forged.push(("csrf_token".into(), "bukan-token".into()));
    let res = browser.post_raw("/masuk", &forged).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Nothing happened: still signed out, no login recorded.
    assert_eq!(browser.get("/akun").await.status, StatusCode::SEE_OTHER);
    let logins: i64 = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.like("login.%"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(logins, 0);
});

db_test!(a_tampered_session_cookie_is_just_signed_out, |app| {
    let browser = Browser::new(&app);
    browser.set_cookie("sibuser", "dGFtcGVyZWQ-cookie-value");
    let res = browser.get("/akun").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/").await.status, StatusCode::OK);
});

db_test!(password_reset_ends_other_sessions_and_works_once, |app| {
    seed_demo(&app);
    let elsewhere = Browser::new(&app);
    elsewhere
        .sign_in("pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(elsewhere.get("/akun").await.status, StatusCode::OK);

    let browser = Browser::new(&app);
    let res = browser
        .submit(
            "/lupa-sandi",
            "/lupa-sandi",
            &[("email", "pencaker@sibuser.example")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Periksa surel Anda");
    // An unknown address gets the very same page, and no mail.
    let unknown = browser
        .submit(
            "/lupa-sandi",
            "/lupa-sandi",
            &[("email", "siapa@tidak.ada")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    unknown.assert_contains("Periksa surel Anda");
    let mails = outbox(&app);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "pencaker@sibuser.example");
    let link = link_path(&mails[0].2, "/atur-sandi/");

    // Bad input first: the form comes back with the message.
    let res = browser
        .submit(
            &link,
            &link,
            &[("password", "pendek"), ("password_confirm", "pendek")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("minimal 10 karakter");

    let new_password = "durian-medan-binjai";
    let res = browser
        .submit(
            &link,
            &link,
            &[
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/masuk"));
    // The other browser's session ended at its next request.
    assert_eq!(elsewhere.get("/akun").await.status, StatusCode::SEE_OTHER);
    // The old password no longer works, the new one does.
    let old = browser
        .sign_in("pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = browser
        .sign_in("pencaker@sibuser.example", new_password)
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
    // The link was single use; a notice of the change was mailed.
    let again = browser.get(&link).await;
    assert_eq!(again.status, StatusCode::GONE);
    let mails = outbox(&app);
    assert!(
        mails
            .iter()
            .any(|(_, subject, _)| subject.contains("telah diubah"))
    );
});

db_test!(an_expired_reset_link_is_refused, |app| {
    seed_demo(&app);
    let browser = Browser::new(&app);
    browser
        .submit(
            "/lupa-sandi",
            "/lupa-sandi",
            &[("email", "pencaker@sibuser.example")],
        )
        .await;
    let link = link_path(&outbox(&app)[0].2, "/atur-sandi/");
    with_conn(&app, |c| {
        use sibuser::schema::user_tokens;
        diesel::update(user_tokens::table)
            .set(
                user_tokens::expires_at
                    .eq(chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1)),
            )
            .execute(c)
            .unwrap();
    });
    let res = browser.get(&link).await;
    assert_eq!(res.status, StatusCode::GONE);
    res.assert_contains("sudah kedaluwarsa");
    assert_eq!(
        browser.get("/atur-sandi/tidak-dikenal").await.status,
        StatusCode::GONE
    );
});

db_test!(
    a_deactivated_user_is_signed_out_at_the_next_request,
    |app| {
        with_conn(&app, |c| {
            sibuser::demo::seed(c, sibuser::demo::Scale::Small).unwrap();
        });
        let browser = Browser::new(&app);
        browser
            .sign_in("perusahaan@sibuser.example", sibuser::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(browser.get("/akun").await.status, StatusCode::OK);
        with_conn(&app, |c| {
            diesel::update(users::table.filter(users::email.eq("perusahaan@sibuser.example")))
                .set(users::is_active.eq(false))
                .execute(c)
                .unwrap();
        });
        assert_eq!(browser.get("/akun").await.status, StatusCode::SEE_OTHER);
        let res = browser
            .sign_in("perusahaan@sibuser.example", sibuser::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("dinonaktifkan");
    }
);

pub(crate) fn employer_fields<'a>(
    email: &'a str,
    nib: &'a str,
    location: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut fields = signup_fields(email);
    fields.extend([
        ("company_name", "CV Rambutan Jaya"),
        ("nib", nib),
        ("npwp", "01.234.567.8-901.000"),
        ("kbli_section", "G"),
        ("location", location),
        ("address", "Jl. Jenderal Sudirman No. 12"),
    ]);
    fields
}

db_test!(an_employer_signs_up_with_a_company_it_owns, |app| {
    let browser = Browser::new(&app);
    let res = browser
        .submit(
            "/daftar/perusahaan",
            "/daftar/perusahaan",
            &employer_fields("hrd@rambutanjaya.co.id", "1234567890123", "12.75.01.1008"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    use sibuser::schema::companies;
    let (name, nib, npwp, kelurahan, regency): (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    ) = with_conn(&app, |c| {
        companies::table
            .select((
                companies::name,
                companies::nib,
                companies::npwp,
                companies::kelurahan_code,
                companies::regency_code,
            ))
            .first(c)
            .unwrap()
    });
    assert_eq!(name, "CV Rambutan Jaya");
    assert_eq!(nib.as_deref(), Some("1234567890123"));
    assert_eq!(npwp.as_deref(), Some("012345678901000"));
    assert_eq!(kelurahan.as_deref(), Some("12.75.01.1008"));
    assert_eq!(regency, "12.75");
    let (owner, company_id): (bool, Option<i32>) = with_conn(&app, |c| {
        users::table
            .select((users::is_company_owner, users::company_id))
            .first(c)
            .unwrap()
    });
    assert!(owner);
    assert!(company_id.is_some());

    // A second sign-up with the same NIB is refused: colleagues are invited instead.
    let other = Browser::new(&app);
    let res = other
        .submit(
            "/daftar/perusahaan",
            "/daftar/perusahaan",
            &employer_fields("lain@rambutanjaya.co.id", "1234567890123", "12.75.01.1008"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("NIB ini sudah terdaftar");
    res.assert_contains(r#"value="CV Rambutan Jaya""#);
});

db_test!(an_employer_outside_binjai_names_its_regency, |app| {
    let browser = Browser::new(&app);
    let res = browser
        .submit(
            "/daftar/perusahaan",
            "/daftar/perusahaan",
            &employer_fields("hrd@medan.co.id", "9876543210987", "luar"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Pilih kabupaten/kota lokasi perusahaan");
    // The choice of "outside Binjai" is kept.
    res.assert_contains(r#"<option value="luar" selected>"#);

    let mut fields = employer_fields("hrd@medan.co.id", "9876543210987", "luar");
    fields.push(("regency_code", "12.71"));
    let res = browser.post("/daftar/perusahaan", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    use sibuser::schema::companies;
    let regency: String = with_conn(&app, |c| {
        companies::table
            .select(companies::regency_code)
            .first(c)
            .unwrap()
    });
    assert_eq!(regency, "12.71");
});

db_test!(employer_sign_up_errors_name_every_field, |app| {
    let browser = Browser::new(&app);
    let mut fields = signup_fields("hrd@contoh.id");
    fields.extend([
        ("company_name", ""),
        ("nib", "12345"),
        ("npwp", "abc"),
        ("kbli_section", "Z"),
        ("location", "12.75.09.9999"),
        ("address", "x"),
    ]);
    let res = browser
        .submit("/daftar/perusahaan", "/daftar/perusahaan", &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Isi nama perusahaan",
        "NIB terdiri atas 13 angka",
        "NPWP terdiri atas 15 atau 16 angka",
        "Pilih bidang usaha",
        "Pilih kelurahan lokasi perusahaan",
        "Isi alamat perusahaan",
    ] {
        res.assert_contains(message);
    }
    res.assert_contains(r#"value="hrd@contoh.id""#);
    use sibuser::schema::companies;
    let n: i64 = with_conn(&app, |c| companies::table.count().get_result(c).unwrap());
    assert_eq!(n, 0);
});

db_test!(own_account_changes_name_phone_and_language, |app| {
    seed_demo(&app);
    let browser = Browser::new(&app);
    browser
        .sign_in("pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD)
        .await;
    browser.get("/akun").await;
    let res = browser
        .post(
            "/akun/profil",
            &[("full_name", "X"), ("phone", "abc"), ("locale", "fr")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Isi nama lengkap");
    res.assert_contains("Isi nomor HP yang valid");
    res.assert_contains(r#"value="abc""#);
    let res = browser
        .post(
            "/akun/profil",
            &[
                ("full_name", "Siti Aisyah"),
                ("phone", "0813 1111 2222"),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        res.header("set-cookie")
            .is_some_and(|c| c.contains("lang=en"))
    );
    let page = browser.get("/akun").await;
    page.assert_contains("Your changes were saved.");
    page.assert_contains(r#"value="081311112222""#);
});

db_test!(
    changing_the_password_keeps_this_session_and_ends_others,
    |app| {
        with_conn(&app, |c| {
            sibuser::demo::seed(c, sibuser::demo::Scale::Small).unwrap();
        });
        let here = Browser::new(&app);
        let there = Browser::new(&app);
        here.sign_in("pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD)
            .await;
        there
            .sign_in("pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD)
            .await;
        here.get("/akun").await;
        let res = here
            .post(
                "/akun/sandi",
                &[
                    ("current_password", "salah-sekali-ini"),
                    ("password", "jeruk-nipis-binjai"),
                    ("password_confirm", "jeruk-nipis-binjai"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Kata sandi saat ini salah");
        let res = here
            .post(
                "/akun/sandi",
                &[
                    ("current_password", sibuser::demo::DEMO_PASSWORD),
                    ("password", "jeruk-nipis-binjai"),
                    ("password_confirm", "jeruk-nipis-binjai"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(here.get("/akun").await.status, StatusCode::OK);
        assert_eq!(there.get("/akun").await.status, StatusCode::SEE_OTHER);
        assert!(
            outbox(&app)
                .iter()
                .any(|(to, subject, _)| to == "pencaker@sibuser.example"
                    && subject.contains("telah diubah"))
        );
    }
);

db_test!(a_new_email_address_is_verified_before_use, |app| {
    seed_demo(&app);
    let browser = Browser::new(&app);
    browser
        .sign_in("pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD)
        .await;
    browser.get("/akun").await;
    let res = browser
        .post(
            "/akun/surel",
            &[
                ("new_email", "operator@sibuser.example"),
                ("current_password", sibuser::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    // An address that has an account is answered like any other: the owner is told
    // instead, with no link, so a signed-in user cannot test addresses.
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    browser.get("/akun").await.assert_lacks("sudah terdaftar");
    let to_owner: Vec<(String, String, String)> = outbox(&app)
        .into_iter()
        .filter(|(to, _, _)| to == "operator@sibuser.example")
        .collect();
    assert_eq!(to_owner.len(), 1, "{to_owner:?}");
    assert!(!to_owner[0].2.contains("/akun/surel/"), "{}", to_owner[0].2);
    assert!(to_owner[0].2.contains("/lupa-sandi"), "{}", to_owner[0].2);
    let res = browser
        .post(
            "/akun/surel",
            &[
                ("new_email", "siti.baru@contoh.id"),
                ("current_password", sibuser::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Until the link is opened, the old address still signs in.
    let mails = outbox(&app);
    let (to, _, body) = mails
        .iter()
        .find(|(to, _, _)| to == "siti.baru@contoh.id")
        .unwrap();
    assert_eq!(to, "siti.baru@contoh.id");
    assert!(
        mails
            .iter()
            .any(|(to, _, _)| to == "pencaker@sibuser.example")
    );
    let link = link_path(body, "/akun/surel/");
    let res = browser.get(&link).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Alamat surel diganti");
    let other = Browser::new(&app);
    let res = other
        .sign_in("pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = other
        .sign_in("siti.baru@contoh.id", sibuser::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
});

db_test!(
    a_company_owner_invites_and_deactivates_colleagues_of_their_own_company_only,
    |app| {
        with_conn(&app, |c| {
            sibuser::demo::seed(c, sibuser::demo::Scale::Small).unwrap();
        });
        // Only a verified company invites (see mail_safety.rs for the refusal).
        let company = crate::vacancies::owner_company(&app);
        crate::vacancies::verify_company(&app, company);
        let owner = Browser::new(&app);
        owner
            .sign_in("perusahaan@sibuser.example", sibuser::demo::DEMO_PASSWORD)
            .await;
        let page = owner.get("/perusahaan/pengguna").await;
        assert_eq!(page.status, StatusCode::OK);
        let res = owner
            .post(
                "/perusahaan/pengguna",
                &[
                    ("full_name", "Dedi Saragih"),
                    ("email", "dedi@rekan.example"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let (to, _, body) = outbox(&app).pop().unwrap();
        assert_eq!(to, "dedi@rekan.example");
        let link = link_path(&body, "/undangan/");
        let dedi = Browser::new(&app);
        dedi.submit(
            &link,
            &link,
            &[
                ("password", "kopi-luwak-binjai"),
                ("password_confirm", "kopi-luwak-binjai"),
            ],
        )
        .await;
        assert_eq!(
            dedi.sign_in("dedi@rekan.example", "kopi-luwak-binjai")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        // A colleague is an employer, not an owner: no access to the company's users.
        assert_eq!(
            dedi.get("/perusahaan/pengguna").await.status,
            StatusCode::FORBIDDEN
        );

        let (dedi_id, company): (i32, Option<i32>) = with_conn(&app, |c| {
            users::table
                .filter(users::email.eq("dedi@rekan.example"))
                .select((users::id, users::company_id))
                .first(c)
                .unwrap()
        });
        let owner_company: Option<i32> = with_conn(&app, |c| {
            users::table
                .filter(users::email.eq("perusahaan@sibuser.example"))
                .select(users::company_id)
                .first(c)
                .unwrap()
        });
        assert_eq!(company, owner_company);
        owner.get("/perusahaan/pengguna").await;
        let res = owner
            .post(
                &format!("/perusahaan/pengguna/{dedi_id}/status"),
                &[("active", "0")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(dedi.get("/akun").await.status, StatusCode::SEE_OTHER);

        // Another company's user cannot be touched: it is simply not found.
        let stranger: i32 = with_conn(&app, |c| {
            users::table
                .filter(users::company_id.ne(owner_company.unwrap()))
                .filter(users::company_id.is_not_null())
                .select(users::id)
                .first(c)
                .unwrap()
        });
        let res = owner
            .post(
                &format!("/perusahaan/pengguna/{stranger}/status"),
                &[("active", "0")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let active: bool = with_conn(&app, |c| {
            users::table
                .find(stranger)
                .select(users::is_active)
                .first(c)
                .unwrap()
        });
        assert!(active);
    }
);

db_test!(sign_ups_and_reset_requests_are_capped_per_address, |app| {
    let browser = Browser::new(&app);
    for n in 0..5 {
        let email = format!("warga{n}@contoh.id");
        let res = browser
            .submit("/daftar", "/daftar", &signup_fields(&email))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-up {n}");
        // Signing in renewed the session and its token: sign out from a fresh page.
        browser.get("/akun").await;
        browser.post("/keluar", &[]).await;
    }
    let res = browser
        .submit("/daftar", "/daftar", &signup_fields("warga6@contoh.id"))
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    res.assert_contains("Terlalu banyak pendaftaran");
    res.assert_contains(r#"value="warga6@contoh.id""#);
    // Another visitor is not affected.
    let other = Browser::new(&app);
    let res = other
        .submit("/daftar", "/daftar", &signup_fields("warga7@contoh.id"))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    let asker = Browser::new(&app);
    for _ in 0..5 {
        let res = asker
            .submit(
                "/lupa-sandi",
                "/lupa-sandi",
                &[("email", "warga1@contoh.id")],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let res = asker
        .submit(
            "/lupa-sandi",
            "/lupa-sandi",
            &[("email", "warga1@contoh.id")],
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // Only 3 mails a hour reach one account, however many addresses ask.
    let resets = outbox(&app)
        .iter()
        .filter(|(to, subject, _)| to == "warga1@contoh.id" && subject.contains("kata sandi baru"))
        .count();
    assert_eq!(resets, 3);
});
