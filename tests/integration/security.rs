//! The security hardening of issue 12, as an attacker and an operator would see it:
//! sessions that end on the server, throttles that hold behind a proxy and under
//! concurrency, and personal data kept out of URLs and logs.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use chrono::{Duration, Utc};
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{Backend, TestApp, seed_demo, signed_in, user_id, with_conn};
use sibuser::demo::DEMO_PASSWORD;
use sibuser::schema::{audit_log, user_sessions, users};

const OPERATOR: &str = "operator@sibuser.example";
const SEEKER: &str = "pencaker@sibuser.example";

/// A second browser holding a copy of another's session cookie, as a thief would.
fn copy_of<'a>(app: &'a TestApp, original: &Browser<'_>) -> Browser<'a> {
    let thief = Browser::new(app);
    thief.set_cookie("sibuser", &original.cookie("sibuser").expect("signed in"));
    thief
}

fn assert_sent_to_login(res: &crate::common::TestResponse) {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        res.header("location")
            .is_some_and(|l| l.starts_with("/masuk")),
        "{:?}",
        res.header("location")
    );
}

/// Dates the user's sessions as last seen `last_seen` ago and, if given, as having ended
/// `expires` ago: as if that long had passed.
fn age_sessions(app: &TestApp, email: &str, last_seen: Duration, expires: Option<Duration>) {
    let uid = user_id(app, email);
    let now = Utc::now().naive_utc();
    with_conn(app, |c| {
        let target = user_sessions::table.filter(user_sessions::user_id.eq(uid));
        diesel::update(target)
            .set(user_sessions::last_seen_at.eq(now - last_seen))
            .execute(c)
            .unwrap();
        if let Some(expires) = expires {
            diesel::update(target)
                .set(user_sessions::expires_at.eq(now - expires))
                .execute(c)
                .unwrap();
        }
    });
}

db_test!(a_cookie_replayed_after_logout_opens_nothing, |app| {
    seed_demo(&app);
    let operator = signed_in(&app, OPERATOR).await;
    let thief = copy_of(&app, &operator);
    assert_eq!(thief.get("/petugas/pencaker").await.status, StatusCode::OK);
    operator.get("/akun").await;
    let res = operator.post("/keluar", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // The copy still holds the old cookie, word for word; the server no longer honours it.
    assert_sent_to_login(&thief.get("/petugas/pencaker").await);
    let ended: Option<String> = with_conn(&app, |c| {
        user_sessions::table
            .filter(user_sessions::user_id.eq(user_id(&app, OPERATOR)))
            .select(user_sessions::end_reason)
            .first(c)
            .unwrap()
    });
    assert_eq!(ended.as_deref(), Some("logout"));
});

db_test!(
    staff_sessions_end_after_thirty_idle_minutes_or_twelve_hours,
    |app| {
        seed_demo(&app);
        let operator = signed_in(&app, OPERATOR).await;
        age_sessions(&app, OPERATOR, Duration::minutes(29), None);
        assert_eq!(
            operator.get("/petugas/pencaker").await.status,
            StatusCode::OK
        );
        age_sessions(&app, OPERATOR, Duration::minutes(31), None);
        assert_sent_to_login(&operator.get("/petugas/pencaker").await);

        // In use all along, but past the absolute lifetime.
        let operator = signed_in(&app, OPERATOR).await;
        age_sessions(
            &app,
            OPERATOR,
            Duration::minutes(1),
            Some(Duration::seconds(1)),
        );
        assert_sent_to_login(&operator.get("/petugas/pencaker").await);

        // A resident's session that is not remembered stays through an hour's pause of
        // reading, not longer.
        let seeker = signed_in(&app, SEEKER).await;
        age_sessions(&app, SEEKER, Duration::minutes(50), None);
        assert_eq!(seeker.get("/akun").await.status, StatusCode::OK);
        age_sessions(&app, SEEKER, Duration::minutes(61), None);
        assert_sent_to_login(&seeker.get("/akun").await);
    }
);

/// The `Max-Age` of the session cookie a sign-in sets, if any.
async fn session_cookie_max_age(browser: &Browser<'_>, email: &str, remember: bool) -> Option<i64> {
    browser.get("/masuk").await;
    let mut fields = vec![("email", email), ("password", DEMO_PASSWORD)];
    if remember {
        fields.push(("remember", "1"));
    }
    let res = browser.post("/masuk", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let cookie = res
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sibuser="))
        .expect("a session cookie")
        .to_owned();
    actix_web::cookie::Cookie::parse(cookie)
        .unwrap()
        .max_age()
        .map(|a| a.whole_seconds())
}

db_test!(
    remember_me_keeps_residents_for_fourteen_days_but_never_staff,
    |app| {
        seed_demo(&app);
        let days = |s: i64| s as f64 / 86_400.0;
        let remembered = session_cookie_max_age(&Browser::new(&app), SEEKER, true)
            .await
            .expect("a remembered cookie has an end");
        assert!((13.9..=14.0).contains(&days(remembered)), "{remembered}");
        assert_eq!(
            session_cookie_max_age(&Browser::new(&app), SEEKER, false).await,
            None
        );
        // Staff tick the box in vain: their cookie ends with the browser, their session in 12 h.
        assert_eq!(
            session_cookie_max_age(&Browser::new(&app), OPERATOR, true).await,
            None
        );
        let staff_lifetime: Vec<(chrono::NaiveDateTime, chrono::NaiveDateTime, i32)> =
            with_conn(&app, |c| {
                user_sessions::table
                    .filter(user_sessions::user_id.eq(user_id(&app, OPERATOR)))
                    .select((
                        user_sessions::issued_at,
                        user_sessions::expires_at,
                        user_sessions::idle_minutes,
                    ))
                    .load(c)
                    .unwrap()
            });
        let (issued, expires, idle) = staff_lifetime[0];
        assert_eq!((expires - issued).num_hours(), 12);
        assert_eq!(idle, 30);
    }
);

db_test!(
    sign_out_everywhere_ends_every_session_of_the_account,
    |app| {
        seed_demo(&app);
        let phone = signed_in(&app, SEEKER).await;
        let laptop = signed_in(&app, SEEKER).await;
        let other = signed_in(&app, "perusahaan@sibuser.example").await;
        let page = laptop.get("/akun").await;
        page.assert_contains("Keluar dari semua perangkat");
        page.assert_contains("sedang masuk di 2 sesi");
        let res = laptop.post("/akun/keluar-semua", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_sent_to_login(&phone.get("/akun").await);
        assert_sent_to_login(&laptop.get("/akun").await);
        // Nobody else is signed out.
        assert_eq!(other.get("/akun").await.status, StatusCode::OK);
    }
);

/// The client address of every failed login in the audit log.
fn failed_login_addresses(app: &TestApp) -> Vec<Option<String>> {
    with_conn(app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("login.failed"))
            .select(audit_log::client_ip)
            .load(c)
            .unwrap()
    })
}

/// The app behind a reverse proxy on loopback that writes `X-Forwarded-For`.
async fn behind_proxy(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, &[("SIBUSER_TRUSTED_PROXIES", "127.0.0.0/8")]).await
}

fn visitor<'a>(app: &'a TestApp, proxy: &str, client: &str) -> Browser<'a> {
    let browser = Browser::at(app, proxy.parse::<IpAddr>().unwrap());
    browser.set_header("x-forwarded-for", &format!("6.6.6.6, {client}"));
    browser
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_visitor_is_throttled_alone() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = behind_proxy(backend).await else {
            continue;
        };
        seed_demo(&app);
        // Every visitor reaches the portal through the same proxy address.
        let attacker = visitor(&app, "127.0.0.1", "203.0.113.66");
        for _ in 0..5 {
            let res = attacker.sign_in(SEEKER, "bukan-sandinya").await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        assert_eq!(
            attacker.sign_in(SEEKER, DEMO_PASSWORD).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        // Another resident behind the same proxy, on another account and on the same one.
        let neighbour = visitor(&app, "127.0.0.1", "198.51.100.7");
        assert_eq!(
            neighbour.sign_in(OPERATOR, DEMO_PASSWORD).await.status,
            StatusCode::SEE_OTHER,
            "{backend:?}"
        );
        let owner = visitor(&app, "127.0.0.1", "198.51.100.8");
        assert_eq!(
            owner.sign_in(SEEKER, DEMO_PASSWORD).await.status,
            StatusCode::SEE_OTHER
        );
        // The audit log names the visitor, not the proxy, and not what the client wrote.
        let addresses = failed_login_addresses(&app);
        assert_eq!(addresses.len(), 5);
        assert!(
            addresses
                .iter()
                .all(|a| a.as_deref() == Some("203.0.113.66")),
            "{addresses:?}"
        );
    }
}

db_test!(
    a_forwarded_header_from_an_untrusted_peer_is_ignored,
    |app| {
        seed_demo(&app);
        // No proxy is configured: a visitor who writes X-Forwarded-For cannot escape the
        // throttle by changing it, nor put another address in the audit log.
        let attacker = Browser::new(&app);
        for n in 0..5 {
            attacker.set_header("x-forwarded-for", &format!("203.0.113.{n}"));
            attacker.set_header("forwarded", &format!("for=198.51.100.{n}"));
            assert_eq!(
                attacker.sign_in(SEEKER, "bukan-sandinya").await.status,
                StatusCode::UNPROCESSABLE_ENTITY
            );
        }
        attacker.set_header("x-forwarded-for", "203.0.113.99");
        assert_eq!(
            attacker.sign_in(SEEKER, DEMO_PASSWORD).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        let addresses = failed_login_addresses(&app);
        let peer = attacker.address().to_string();
        assert!(
            addresses
                .iter()
                .all(|a| a.as_deref() == Some(peer.as_str()))
        );
    }
);

db_test!(
    concurrent_guesses_are_checked_no_more_than_the_allowance,
    |app| {
        seed_demo(&app);
        let address: IpAddr = "127.9.9.9".parse().unwrap();
        let browsers: Vec<Browser> = (0..20).map(|_| Browser::at(&app, address)).collect();
        for b in &browsers {
            b.get("/masuk").await;
        }
        let guesses = browsers.iter().map(|b| {
            b.post(
                "/masuk",
                &[("email", SEEKER), ("password", "tebakan-yang-salah")],
            )
        });
        let answers = futures_util::future::join_all(guesses).await;
        let wrong = answers
            .iter()
            .filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY)
            .count();
        let throttled = answers
            .iter()
            .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
            .count();
        assert_eq!((wrong, throttled), (5, 15));
        let checked: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("login.failed"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(checked, 5);
    }
);

db_test!(the_current_password_is_throttled_like_a_login, |app| {
    seed_demo(&app);
    let thief = signed_in(&app, SEEKER).await;
    let hash_before: String = with_conn(&app, |c| {
        users::table
            .filter(users::email.eq(SEEKER))
            .select(users::password_hash)
            .first(c)
            .unwrap()
    });
    thief.get("/akun").await;
    let change = |current: &'static str| {
        vec![
            ("current_password", current),
            ("password", "sandi-baru-yang-panjang"),
            ("password_confirm", "sandi-baru-yang-panjang"),
        ]
    };
    for _ in 0..5 {
        let res = thief.post("/akun/sandi", &change("tebakan-salah")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Kata sandi saat ini salah");
    }
    // Now even the right one waits, and the e-mail change is behind the same count.
    let res = thief.post("/akun/sandi", &change(DEMO_PASSWORD)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Terlalu banyak kata sandi salah");
    let res = thief
        .post(
            "/akun/surel",
            &[
                ("new_email", "pencuri@contoh.id"),
                ("current_password", DEMO_PASSWORD),
            ],
        )
        .await;
    res.assert_contains("Terlalu banyak kata sandi salah");
    let hash_after: String = with_conn(&app, |c| {
        users::table
            .filter(users::email.eq(SEEKER))
            .select(users::password_hash)
            .first(c)
            .unwrap()
    });
    assert_eq!(hash_before, hash_after);
});

db_test!(
    a_failed_login_keeps_no_typed_address_in_the_audit_log,
    |app| {
        seed_demo(&app);
        let browser = Browser::new(&app);
        browser
            .sign_in("rahasia.seseorang@contoh.id", "apa-saja-sandinya")
            .await;
        let details: Vec<Option<String>> = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("login.failed"))
                .select(audit_log::detail)
                .load(c)
                .unwrap()
        });
        assert_eq!(details.len(), 1);
        let detail = details[0].clone().unwrap_or_default();
        assert!(!detail.contains("rahasia.seseorang"), "{detail}");
        assert!(detail.contains("contoh.id"), "{detail}");
    }
);

/// Everything the test process logs from the moment it is first asked for. A process-wide
/// subscriber, because a thread-scoped one misses events while other tests run (tracing
/// caches per call site whether anyone listens); the assertions below are "never in any
/// log line", which a shared log only makes stronger.
struct LogCapture {
    lines: Arc<Mutex<Vec<u8>>>,
}

impl LogCapture {
    fn start() -> Self {
        static LINES: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
        let lines = LINES
            .get_or_init(|| {
                let lines = Arc::new(Mutex::new(Vec::new()));
                let sink = lines.clone();
                let subscriber = tracing_subscriber::fmt()
                    .with_max_level(tracing::Level::INFO)
                    .with_ansi(false)
                    .with_writer(move || SharedWriter(sink.clone()))
                    .finish();
                tracing::subscriber::set_global_default(subscriber)
                    .expect("no other test sets a global subscriber");
                lines
            })
            .clone();
        Self { lines }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.lines.lock().unwrap()).into_owned()
    }
}

struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

db_test!(
    personal_data_and_secrets_stay_out_of_the_access_log_and_links,
    |app| {
        seed_demo(&app);
        let log = LogCapture::start();
        let visitor = Browser::new(&app);
        // A resident types their NIK into the public search; a card's QR code is opened.
        let search = visitor.get("/lowongan?q=1275015203980007&page=1").await;
        assert_eq!(search.status, StatusCode::OK);
        let check = visitor
            .get("/ak1/cek?nomor=1275-2026-000123&kode=ZXCV2345")
            .await;
        // An e-mailed link's token is a live secret until used.
        visitor
            .get("/atur-sandi/Rahasia-Tautan-Reset-0123456789")
            .await;
        let text = log.text();
        assert!(text.contains("/atur-sandi/{token}"), "{text}");
        assert!(!text.contains("Rahasia-Tautan-Reset"), "{text}");
        assert!(text.contains("/lowongan?q=~&page=1"), "{text}");
        assert!(!text.contains("1275015203980007"), "{text}");
        assert!(!text.contains("ZXCV2345"), "{text}");
        assert!(!text.contains("1275-2026-000123"), "{text}");
        // The language switch and the way back after signing in carry no secret either.
        check.assert_contains("/bahasa/en?next=%2Fak1%2Fcek\"");
        let res = visitor.get("/pencaker/lamaran?nik=1275015203980007").await;
        let location = res.header("location").unwrap_or_default();
        assert!(!location.contains("1275015203980007"), "{location}");
        // The counter's search by NIK is sent in the body, not the URL.
        let operator = signed_in(&app, OPERATOR).await;
        let page = operator.get("/petugas/pencaker").await;
        page.assert_contains(r#"<form method="post" action="/petugas/pencaker/cari""#);
        let found = operator
            .post("/petugas/pencaker/cari", &[("q", "1275015203980007")])
            .await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        assert!(!log.text().contains("1275015203980007"));
    }
);

db_test!(
    deleting_an_account_takes_the_name_out_of_text_that_stays,
    |app| {
        seed_demo(&app);
        let seeker = signed_in(&app, SEEKER).await;
        let uid = user_id(&app, SEEKER);
        let name: String = with_conn(&app, |c| {
            users::table
                .find(uid)
                .select(users::full_name)
                .first(c)
                .unwrap()
        });
        // Mail about the person still waiting to reach someone else, and one already gone.
        with_conn(&app, |c| {
            sibuser::mail::enqueue(
                c,
                sibuser::mail::MailKind::ApplicationNews,
                "hrd@contoh.id",
                &format!("Pelamar baru: {name}"),
                &format!("{name} melamar lowongan Anda."),
            )
            .unwrap();
        });
        seeker.get("/pencaker/data-saya").await;
        let res = seeker
            .post(
                "/pencaker/hapus-akun",
                &[("password", DEMO_PASSWORD), ("konfirmasi", "HAPUS")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body): (String, String) = with_conn(&app, |c| {
            sibuser::schema::mail_outbox::table
                .filter(sibuser::schema::mail_outbox::to_address.eq("hrd@contoh.id"))
                .select((
                    sibuser::schema::mail_outbox::subject,
                    sibuser::schema::mail_outbox::body_text,
                ))
                .first(c)
                .unwrap()
        });
        assert!(!subject.contains(&name), "{subject}");
        assert!(!body.contains(&name), "{body}");
        assert!(body.contains("[nama dihapus] melamar"), "{body}");
        // The audit log never held the person's addresses.
        let details: Vec<Option<String>> = with_conn(&app, |c| {
            audit_log::table.select(audit_log::detail).load(c).unwrap()
        });
        assert!(
            details
                .iter()
                .flatten()
                .all(|d| !d.contains(SEEKER) && !d.contains(&name)),
            "{details:?}"
        );
    }
);

db_test!(
    an_upload_carries_its_csrf_token_in_the_body_not_the_url,
    |app| {
        seed_demo(&app);
        let seeker = signed_in(&app, SEEKER).await;
        let page = seeker.get("/pencaker/profil/foto").await;
        page.assert_lacks("csrf_token=");
        page.assert_contains(r#"action="/pencaker/foto" enctype="multipart/form-data""#);
        let token = crate::common::browser::csrf_token_in(&page.body).unwrap();
        // The old way, with the token in the query string, is refused.
        let boundary = "----b";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n"
        );
        let res = seeker
            .send(
                actix_web::test::TestRequest::post()
                    .uri(&format!("/pencaker/cv?csrf_token={token}"))
                    .insert_header((
                        "content-type",
                        format!("multipart/form-data; boundary={boundary}"),
                    ))
                    .set_payload(body),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // With the token as the first field, the upload reaches its own checks.
        let res = crate::seekers::upload_to(&seeker, "/pencaker/cv", "cv.pdf", b"not a pdf").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        seeker
            .get("/pencaker/profil/cv")
            .await
            .assert_contains("bukan PDF");
    }
);

db_test!(
    a_reset_link_is_checked_before_the_new_password_is_considered,
    |app| {
        seed_demo(&app);
        let visitor = Browser::new(&app);
        visitor.get("/masuk").await;
        // A made-up link with a password that would fail the policy: the dead link is what
        // is answered, before any work on the password.
        let res = visitor
            .post(
                "/atur-sandi/tautan-karangan",
                &[("password", "123"), ("password_confirm", "123")],
            )
            .await;
        assert_eq!(res.status, StatusCode::GONE, "{}", res.body);
        res.assert_lacks("minimal 10 karakter");
    }
);

db_test!(
    a_nik_held_by_another_profile_is_settled_at_the_counter_unseen,
    |app| {
        use sibuser::schema::job_seekers;
        seed_demo(&app);
        const NIK: &str = "1275015203980007";
        let nik_of = |email: &str| -> (Option<String>, Option<String>) {
            let uid = user_id(&app, email);
            with_conn(&app, |c| {
                job_seekers::table
                    .filter(job_seekers::user_id.eq(uid))
                    .select((job_seekers::nik, job_seekers::nik_claim))
                    .first(c)
                    .unwrap()
            })
        };
        let holder = signed_in(&app, SEEKER).await;
        crate::seekers::complete_profile(&app, &holder, "/pencaker/profil", NIK).await;
        // Somebody else types the same NIK: told it is saved, as anyone is, and shown it back.
        let other = crate::seekers::other_seeker(&app);
        let claimant = signed_in(&app, &other).await;
        crate::seekers::complete_profile(&app, &claimant, "/pencaker/profil", NIK).await;
        let page = claimant.get("/pencaker/profil/data-diri").await;
        page.assert_lacks("sudah terdaftar");
        page.assert_contains(&format!(r#"value="{NIK}""#));
        assert_eq!(nik_of(SEEKER).0.as_deref(), Some(NIK));
        assert_eq!(nik_of(&other).1.as_deref(), Some(NIK));
        // The card can be asked for like any other; the counter sees the claim and cannot
        // issue before settling it with the KTP.
        claimant.get("/pencaker/ak1").await;
        claimant.post("/pencaker/ak1/minta", &[]).await;
        let uid = user_id(&app, &other);
        let operator = signed_in(&app, OPERATOR).await;
        let path = format!("/petugas/pencaker/{uid}");
        operator
            .get(&path)
            .await
            .assert_contains("sudah tercatat pada profil lain");
        operator.post(&format!("{path}/ak1/terbitkan"), &[]).await;
        operator
            .get(&path)
            .await
            .assert_contains("harus dicocokkan dengan KTP");
        // The KTP is not the claimant's: the claim goes, the holder keeps the NIK.
        let res = operator.post(&format!("{path}/nik/tidak-cocok"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(nik_of(&other).1, None);
        assert_eq!(nik_of(SEEKER).0.as_deref(), Some(NIK));
        // Claimed again, and this time the KTP is theirs: the NIK moves.
        crate::seekers::complete_profile(&app, &claimant, "/pencaker/profil", NIK).await;
        operator.get(&path).await;
        operator.post(&format!("{path}/nik/cocok"), &[]).await;
        assert_eq!(nik_of(&other), (Some(NIK.to_owned()), None));
        assert_eq!(nik_of(SEEKER).0, None);
    }
);
