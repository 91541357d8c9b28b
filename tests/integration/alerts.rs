//! Job alerts, on both backends: saved from a search, e-mailed through a real SMTP server
//! with only the vacancies published since the last digest, stopped from the e-mail
//! without signing in.

use actix_web::http::StatusCode;
use chrono::Duration;
use diesel::prelude::*;

use crate::accounts::{link_path, mail_text};
use crate::common::browser::Browser;
use crate::common::smtp::SmtpServer;
use crate::common::{Backend, TestApp, seed_demo, signed_in, with_conn};
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};
use sibuser::alerts::digest;
use sibuser::schema::{job_alert_stop_links, job_alerts, mail_outbox};
use sibuser::vacancies::search::BoardCache;

const SITI: &str = "pencaker@sibuser.example";

fn digest_at(app: &TestApp, after: Duration) -> usize {
    let now = chrono::Utc::now().naive_utc() + after;
    with_conn(app, |c| {
        digest::run(
            c,
            &BoardCache::new(0),
            now,
            &app.portal.state.settings.base_url,
        )
        .unwrap()
    })
}

#[actix_web::test]
async fn an_alert_emails_only_new_vacancies_through_real_smtp() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let smtp = SmtpServer::start();
        let env = smtp.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Some(app) = TestApp::spawn_with(backend, &env).await else {
            continue;
        };
        seed_demo(&app);
        // Only Siti's alert is followed here: the demo residents' saved searches would be
        // due at the same moments and are other tests' business.
        with_conn(&app, |c| {
            diesel::delete(job_alerts::table).execute(c).unwrap()
        });
        // The demo's open vacancies came before the alert: none of them is ever sent.
        let siti = signed_in(&app, SITI).await;
        let search = siti.get("/lowongan?q=kasir&hal=2&urut=upah").await;
        search.assert_contains("Simpan peringatan");
        search.assert_contains("name=\"kueri\" value=\"q=kasir\"");
        let res = siti
            .post(
                "/pencaker/peringatan",
                &[("kueri", "q=kasir"), ("frekuensi", "daily")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let list = siti.get("/pencaker/peringatan").await;
        list.assert_contains("Peringatan tersimpan");
        list.assert_contains("\u{201c}kasir\u{201d}");
        list.assert_contains("Setiap hari");
        // The same search twice is refused, with a message on the search page.
        siti.get("/lowongan?q=kasir").await;
        siti.post(
            "/pencaker/peringatan",
            &[("kueri", "q=kasir"), ("frekuensi", "weekly")],
        )
        .await;
        siti.get("/lowongan?q=kasir")
            .await
            .assert_contains("Peringatan untuk pencarian ini sudah ada");

        // Not due yet: nothing.
        assert_eq!(digest_at(&app, Duration::hours(1)), 0, "{backend:?}");

        // A company publishes a cashier's job; the next daily digest carries it alone.
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        verify_company(&app, owner_company(&app));
        let vacancy = new_vacancy(&app, &employer, "submit").await;
        publish(&app, vacancy);
        assert_eq!(digest_at(&app, Duration::days(1) + Duration::minutes(1)), 1);
        let transport =
            sibuser::mail::MailTransport::from_settings(&app.portal.state.settings).unwrap();
        let sent = sibuser::mail::deliver_due(
            app.pool(),
            &transport,
            app.portal.state.settings.mail_body_retention(),
        )
        .unwrap()
        .sent;
        assert!(sent >= 1);
        let messages = smtp.messages();
        let alert_mail = messages
            .iter()
            .map(|m| (m.clone(), mail_text(m)))
            .find(|(_, text)| text.contains("lowongan baru untuk pencarian Anda"))
            .expect("the digest arrived through SMTP");
        assert!(
            alert_mail.0.contains(&format!("To: {SITI}")),
            "{}",
            alert_mail.0
        );
        let text = alert_mail.1;
        assert!(text.contains("Ada 1 lowongan baru"), "{text}");
        assert!(text.contains("Kasir Toko Roti"), "{text}");
        assert!(text.contains(&format!("/lowongan/{vacancy}")), "{text}");
        // Exactly one vacancy link (the list), besides the "see them all" search link.
        assert_eq!(text.matches("/lowongan/").count(), 1, "{text}");

        // Nothing new since: the next day brings no e-mail.
        assert_eq!(digest_at(&app, Duration::days(2) + Duration::minutes(2)), 0);

        // The unsubscribe link works without signing in, after a confirmation.
        let stop = link_path(&text, "/peringatan/berhenti/");
        // Neither the alert nor the delivered mail keeps the link's token: a copy of the
        // database cannot stop anyone's alert.
        let token = stop.trim_start_matches("/peringatan/berhenti/").to_owned();
        assert!(token.len() >= 20, "{stop}");
        let stored: Vec<String> = with_conn(&app, |c| {
            job_alert_stop_links::table
                .select(job_alert_stop_links::token_hash)
                .load(c)
                .unwrap()
        });
        assert_eq!(stored.len(), 1, "{backend:?}");
        assert!(!stored[0].contains(&token), "{backend:?}");
        let alert_row: String = with_conn(&app, |c| {
            job_alerts::table
                .select((job_alerts::query, job_alerts::frequency))
                .first::<(String, String)>(c)
                .map(|(q, f)| format!("{q} {f}"))
                .unwrap()
        });
        assert!(!alert_row.contains(&token));
        let bodies: Vec<String> = with_conn(&app, |c| {
            mail_outbox::table
                .select(mail_outbox::body_text)
                .load(c)
                .unwrap()
        });
        assert!(bodies.iter().all(|b| !b.contains(&token)), "{backend:?}");
        let stranger = Browser::new(&app);
        let page = stranger.get(&stop).await;
        assert_eq!(page.status, StatusCode::OK, "{stop}");
        page.assert_contains("Ya, berhenti");
        let res = stranger.post(&stop, &[]).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_contains("Peringatan ini sudah berhenti");
        let stopped: i64 = with_conn(&app, |c| {
            job_alerts::table
                .filter(job_alerts::stopped_at.is_not_null())
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(stopped, 1);
        // A stopped alert sends nothing, whatever is published.
        let another = new_vacancy(&app, &employer, "submit").await;
        publish(&app, another);
        assert_eq!(digest_at(&app, Duration::days(4)), 0);
        let mails: i64 = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::kind.eq("job_alert"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(mails, 1);
        // A made-up token finds nothing.
        assert_eq!(
            stranger
                .get("/peringatan/berhenti/bukan-token")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

db_test!(alerts_are_the_seekers_own, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, SITI).await;
    siti.get("/lowongan").await;
    // No frequency chosen: back to the search with the message, nothing saved.
    siti.post("/pencaker/peringatan", &[("kueri", "kecamatan=12.75.01")])
        .await;
    siti.get("/lowongan")
        .await
        .assert_contains("Pilih seberapa sering");
    for n in 0..10 {
        let q = format!("q=kata{n}");
        siti.post(
            "/pencaker/peringatan",
            &[("kueri", &q), ("frekuensi", "weekly")],
        )
        .await;
    }
    siti.post(
        "/pencaker/peringatan",
        &[("kueri", "q=lagi"), ("frekuensi", "weekly")],
    )
    .await;
    siti.get("/lowongan")
        .await
        .assert_contains("sudah memiliki 10 peringatan");
    let id: i32 = with_conn(&app, |c| {
        job_alerts::table
            .inner_join(
                sibuser::schema::job_seekers::table.inner_join(sibuser::schema::users::table),
            )
            .filter(sibuser::schema::users::email.eq(SITI))
            .select(job_alerts::id)
            .first(c)
            .unwrap()
    });
    // Another seeker cannot delete it, nor see it.
    let other = signed_in(&app, &crate::seekers::other_seeker(&app)).await;
    other
        .get("/pencaker/peringatan")
        .await
        .assert_lacks("kata0");
    let res = other
        .post(&format!("/pencaker/peringatan/{id}/hapus"), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Siti can.
    siti.get("/pencaker/peringatan").await;
    let res = siti
        .post(&format!("/pencaker/peringatan/{id}/hapus"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    siti.get("/pencaker/peringatan")
        .await
        .assert_contains("Peringatan dihapus");
});
