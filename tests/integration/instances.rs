//! Issue 19, item 4: three `sibuser serve` processes on one PostgreSQL database, as behind
//! a load balancer (docs/operations.md, "Several instances"). Started together on an empty
//! database, they take turns to migrate and seed it; a session made on one works on the
//! others and ends on all when it ends on one; the background jobs they all run (mail,
//! vacancy expiry, job-alert digests) do each piece of work once; and the vacancy search
//! of each sees a change made anywhere at once.

use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use sibuser::schema::{job_alerts, mail_outbox, vacancies, vacancy_events};

use crate::common::pg::PgTestDb;
use crate::common::served::{Served, Visitor};
use crate::common::smtp::SmtpServer;

/// Waits until `done` holds, at most `limit`.
fn eventually(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn three_instances_share_one_postgresql_database() {
    let Some(db) = PgTestDb::empty() else {
        return;
    };
    let smtp = SmtpServer::start();
    let mut env: Vec<(&str, String)> = smtp.env();
    // One key for all, as docs/operations.md asks: each reads the others' cookies.
    env.push((
        "SIBUSER_SECRET_KEY",
        "c2lidXNlci1pbnN0YW5jZXMtdGVzdC1rZXktb2YtYXQtbGVhc3QtNjQtYnl0ZXMtbG9uZy0wMTIzNDU2Nzg5YWJjZGVm"
            .to_owned(),
    ));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();

    // All three at once on the empty database.
    let servers: Vec<Served> = std::thread::scope(|scope| {
        let starting: Vec<_> = dirs
            .iter()
            .map(|dir| scope.spawn(|| Served::start(&db.url, dir.path(), &env)))
            .collect();
        starting.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let url = sibuser::config::DatabaseUrl::Postgres(db.url.clone());
    let pool = sibuser::db::connect(&url, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let demo_admins: i64 = sibuser::schema::users::table
        .filter(sibuser::schema::users::email.eq("admin@sibuser.example"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(demo_admins, 1, "the demo was loaded once");
    let (a, b, c) = (&servers[0].base, &servers[1].base, &servers[2].base);

    // A session made on one instance is good on the others, and signing out on one ends it
    // on all.
    let siti = Visitor::new();
    siti.sign_in(a, "pencaker@sibuser.example", sibuser::demo::DEMO_PASSWORD);
    for base in [a, b, c] {
        let page = siti.get(&format!("{base}/pencaker/profil")).unwrap();
        assert_eq!(page.status, 200, "{base}: {}", page.body);
        assert!(page.body.contains("Siti"), "{base}");
    }
    let out = siti.post(&format!("{c}/keluar"), &[]).unwrap();
    assert_eq!(out.status, 303);
    for base in [a, b] {
        let page = siti.get(&format!("{base}/pencaker/profil")).unwrap();
        assert_eq!(page.status, 303, "{base}: signed out everywhere");
    }

    // The search of every instance sees a change made anywhere (here by a script) at once.
    let newest: i32 = vacancies::table
        .filter(vacancies::status.eq("published"))
        .filter(vacancies::closes_on.ge(sibuser::domain::calendar::today()))
        .order(vacancies::published_at.desc())
        .select(vacancies::id)
        .first(&mut conn)
        .unwrap();
    let link = format!("href=\"/lowongan/{newest}\"");
    for base in [a, b, c] {
        let page = siti.get(&format!("{base}/lowongan")).unwrap();
        assert!(page.body.contains(&link), "{base} lists vacancy {newest}");
    }
    let yesterday = sibuser::domain::calendar::today() - chrono::Days::new(1);
    let to_expire: Vec<i32> = vacancies::table
        .filter(vacancies::status.eq("published"))
        .filter(vacancies::closes_on.ge(sibuser::domain::calendar::today()))
        .order(vacancies::published_at.desc())
        .limit(5)
        .select(vacancies::id)
        .load(&mut conn)
        .unwrap();
    diesel::update(vacancies::table.filter(vacancies::id.eq_any(&to_expire)))
        .set(vacancies::closes_on.eq(yesterday))
        .execute(&mut conn)
        .unwrap();
    for base in [a, b, c] {
        let page = siti.get(&format!("{base}/lowongan")).unwrap();
        assert!(
            !page.body.contains(&link),
            "{base} no longer lists {newest}"
        );
    }

    // The digests due at start-up are sent first: a pass still running when the work below
    // is set would date its mail after `started` but its alerts before.
    eventually(
        Duration::from_secs(60),
        "the start-up digests are done",
        || {
            let now = Utc::now().naive_utc();
            job_alerts::table
                .filter(job_alerts::stopped_at.is_null())
                .filter(job_alerts::next_run_at.le(now))
                .count()
                .get_result::<i64>(&mut conn)
                .unwrap()
                == 0
        },
    );
    // Work for the background jobs of all three: mail, the vacancies that just closed,
    // and every job alert due with a month of vacancies to look through.
    // To the microsecond, as the database keeps times.
    let now = Utc::now().naive_utc();
    let started = now
        - chrono::Duration::nanoseconds(i64::from(now.and_utc().timestamp_subsec_nanos() % 1000));
    for n in 0..60 {
        sibuser::mail::enqueue(
            &mut conn,
            sibuser::mail::MailKind::PasswordChanged,
            &format!("warga{n}@contoh.id"),
            "Tes",
            "Isi",
        )
        .unwrap();
    }
    let alerts: i64 = diesel::update(job_alerts::table.filter(job_alerts::stopped_at.is_null()))
        .set((
            job_alerts::next_run_at.eq(started),
            job_alerts::checked_until.eq(started - chrono::Duration::days(30)),
        ))
        .execute(&mut conn)
        .unwrap() as i64;
    assert!(alerts > 0, "the demo has job alerts");

    // Each vacancy expires once, with one dated event.
    eventually(Duration::from_secs(30), "the vacancies expire", || {
        vacancies::table
            .filter(vacancies::id.eq_any(&to_expire))
            .filter(vacancies::status.eq("expired"))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
            == to_expire.len() as i64
    });
    let events: i64 = vacancy_events::table
        .filter(vacancy_events::vacancy_id.eq_any(&to_expire))
        .filter(vacancy_events::status.eq("expired"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(
        events,
        to_expire.len() as i64,
        "one expiry event per vacancy"
    );

    // Each alert is looked at once: one digest at most, and only for alerts whose window moved.
    eventually(Duration::from_secs(30), "every alert is looked at", || {
        job_alerts::table
            .filter(job_alerts::stopped_at.is_null())
            .filter(job_alerts::next_run_at.le(started))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
            == 0
    });
    let digested: i64 = job_alerts::table
        .filter(job_alerts::last_sent_at.ge(started))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let digests: i64 = mail_outbox::table
        .filter(mail_outbox::kind.eq("job_alert"))
        .filter(mail_outbox::created_at.ge(started))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(digests, digested, "one digest per alert with news");

    // Every mail leaves, and the mail server gets each once.
    eventually(Duration::from_secs(60), "the outbox empties", || {
        sibuser::mail::pending_count(&mut conn).unwrap() == 0
    });
    let sent: i64 = mail_outbox::table
        .filter(mail_outbox::sent_at.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    eventually(
        Duration::from_secs(10),
        "the mail server has it all",
        || smtp.messages().len() as i64 >= sent,
    );
    assert_eq!(smtp.messages().len() as i64, sent, "no mail twice");
    let mut to: Vec<String> = smtp
        .messages()
        .iter()
        .filter_map(|m| m.lines().find_map(|l| l.strip_prefix("To: ")))
        .filter(|a| a.ends_with("@contoh.id"))
        .map(str::to_owned)
        .collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 60, "each of the 60 mails arrived");
    drop(servers);
}
