//! The push to the national system (issue 17) against the reference endpoint: everything
//! the portal shares arrives once and equal, a change goes again at a new version, a
//! sandbox that fails, drops connections after storing and garbles answers still ends
//! with every event applied exactly once, and the exchange log verifies after all of it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use sibuser::config::sync::{self, KeySpec, SyncSettings};
use sibuser::db::DbConnection;
use sibuser::exports::Dataset;
use sibuser::national::sandbox::{self, Counters};
use sibuser::national::{Link, exchange_log, outbox, push};
use sibuser::sharing::{Masking, PartnerId, partners};

use crate::common::{TestApp, seed_demo, with_conn};

const PORTAL_SEED: [u8; 32] = [11; 32];
const SANDBOX_SEED: [u8; 32] = [22; 32];

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn public(id: &str, seed: [u8; 32]) -> KeySpec {
    sibuser::national::signing::Signer::new(&KeySpec {
        id: id.into(),
        bytes: seed,
    })
    .public()
}

pub(crate) struct Sandbox {
    pub(crate) base: String,
}

/// The sandbox's options in the tests: its key, the portal's key, no faults.
pub(crate) fn options() -> sandbox::Options {
    sandbox::Options {
        fail_rate: 0.0,
        drop_after_store_rate: 0.0,
        latency: Duration::ZERO,
        malformed_rate: 0.0,
        tls: None,
        demo: false,
        oidc_client: sandbox::OidcClient::default(),
        signing_key: KeySpec {
            id: "sandbox-1".into(),
            bytes: SANDBOX_SEED,
        },
        peer_keys: vec![public("binjai-1", PORTAL_SEED)],
    }
}

impl Sandbox {
    pub(crate) fn start(fail: f64, drop: f64, malformed: f64) -> Self {
        Self::with(sandbox::Options {
            fail_rate: fail,
            drop_after_store_rate: drop,
            malformed_rate: malformed,
            ..options()
        })
    }

    pub(crate) fn with(options: sandbox::Options) -> Self {
        let scheme = if options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let addr = sandbox::spawn(options).expect("the sandbox listens");
        Self {
            base: format!("{scheme}://{addr}"),
        }
    }

    pub(crate) fn counters(&self) -> Counters {
        ureq::get(&format!("{}/sandbox/state", self.base))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    }

    pub(crate) fn records(&self, dataset: &str) -> HashMap<String, serde_json::Value> {
        ureq::get(&format!("{}/sandbox/records/{dataset}", self.base))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    }
}

/// The national partner of the demo, granted all eight data sets unmasked.
pub(crate) fn national_partner(c: &mut DbConnection) -> i32 {
    use sibuser::schema::partners as p;
    let id: PartnerId = p::table
        .filter(p::kind.eq("ministry"))
        .select(p::id)
        .first(c)
        .unwrap();
    let steward = sibuser::schema::users::table
        .select(sibuser::schema::users::id)
        .first::<sibuser::domain::ids::UserId>(c)
        .unwrap();
    let meta = sibuser::web::respond::RequestMeta {
        address: "127.0.0.1".into(),
        request_id: None,
    };
    let by = partners::Actor {
        user: steward,
        meta: &meta,
    };
    let now = chrono::Utc::now().naive_utc();
    for dataset in Dataset::ALL {
        partners::grant(c, id, dataset, Masking::Unmasked, &by, now).unwrap();
    }
    id.get()
}

pub(crate) fn settings(sandbox: &Sandbox, partner: i32, extra: &[(&str, &str)]) -> SyncSettings {
    let mut env: HashMap<String, String> = [
        ("SIBUSER_SYNC_URL", format!("{}/v1", sandbox.base)),
        ("SIBUSER_SYNC_PARTNER_ID", partner.to_string()),
        (
            "SIBUSER_SYNC_SIGNING_KEY",
            format!("binjai-1:{}", b64(&PORTAL_SEED)),
        ),
        (
            "SIBUSER_SYNC_PEER_KEYS",
            format!(
                "sandbox-1:{}",
                b64(&public("sandbox-1", SANDBOX_SEED).bytes)
            ),
        ),
        ("SIBUSER_SYNC_TIMEOUT_SECONDS", "10".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (k, v) in extra {
        env.insert((*k).into(), (*v).into());
    }
    sync::parse(&|n: &str| env.get(n).cloned())
        .unwrap()
        .unwrap()
}

/// Pushes until the queue is empty (waiting out backoffs), at most `limit`.
pub(crate) fn push_all(app: &TestApp, link: &Link, limit: Duration) -> push::PushReport {
    let started = Instant::now();
    let mut total = push::PushReport::default();
    loop {
        let r = with_conn(app, |c| push::round(c, link, u64::MAX).unwrap());
        total.batches += r.batches;
        total.delivered += r.delivered;
        total.parked += r.parked;
        total.retrying += r.retrying;
        total.failures += r.failures;
        let counts = queue(app);
        if counts.pending == 0 {
            return total;
        }
        assert!(
            started.elapsed() < limit,
            "the queue did not empty in {limit:?}: {counts:?}"
        );
        if r.batches == 0 || r.failures > 0 {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// How the push queue stands now.
pub(crate) fn queue(app: &TestApp) -> outbox::Counts {
    with_conn(app, |c| {
        outbox::counts(c, chrono::Utc::now().naive_utc()).unwrap()
    })
}

/// Records in the change feed, by data set slug.
fn feed_counts(c: &mut DbConnection) -> HashMap<String, u64> {
    use sibuser::schema::record_versions as rv;
    let rows: Vec<(Dataset, i64)> = rv::table
        .group_by(rv::dataset)
        .select((rv::dataset, diesel::dsl::count_star()))
        .load(c)
        .unwrap();
    rows.into_iter()
        .map(|(d, n)| (d.cli_name().to_owned(), n as u64))
        .collect()
}

pub(crate) fn verify(app: &TestApp, link: &Link) -> exchange_log::Report {
    with_conn(app, |c| {
        exchange_log::verify(c, &link.ours, &link.theirs).unwrap()
    })
}

db_test!(
    the_push_delivers_every_shared_record_once_and_a_change_again,
    |app| {
        seed_demo(&app);
        let sandbox = Sandbox::start(0.0, 0.0, 0.0);
        let partner = with_conn(&app, national_partner);
        let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();

        crate::feed::settle(&app);
        let queued =
            with_conn(&app, |c| outbox::start_capture(c).unwrap()).expect("capture starts");
        let local = with_conn(&app, feed_counts);
        assert_eq!(queued as u64, local.values().sum::<u64>());
        assert!(queued > 100, "the demo shares its records: {queued}");
        assert_eq!(with_conn(&app, |c| outbox::start_capture(c).unwrap()), None);

        let report = push_all(&app, &link, Duration::from_secs(120));
        let first_error = with_conn(&app, |c| {
            use sibuser::schema::sync_outbox as o;
            o::table
                .filter(o::state.eq("parked"))
                .select(o::last_error)
                .first::<Option<String>>(c)
                .optional()
                .unwrap()
        });
        assert_eq!(first_error, None, "nothing parked");
        assert_eq!(report.delivered, queued as u64);
        assert_eq!(report.parked, 0);
        let counters = sandbox.counters();
        assert_eq!(counters.applied, queued as u64);
        assert_eq!(counters.duplicates, 0);
        assert_eq!(
            counters.records, local,
            "the sandbox holds what the feed holds"
        );

        // A vacancy's new title goes again, at a higher version, as a change.
        let vacancy: i32 = with_conn(&app, |c| {
            use sibuser::schema::vacancies as v;
            let id = v::table
                .filter(v::status.eq("published"))
                .select(v::id)
                .first(c)
                .unwrap();
            diesel::update(v::table.find(id))
                .set(v::title.eq("Juru Las Bersertifikat"))
                .execute(c)
                .unwrap();
            id
        });
        let again = push_all(&app, &link, Duration::from_secs(30));
        assert_eq!(again.delivered, 1);
        let held = &sandbox.records("vacancies")[&vacancy.to_string()];
        assert_eq!(held["version"], 2);
        assert_eq!(held["record"]["judul"], "Juru Las Bersertifikat");

        // Resync sends everything again under a new generation: applied, not duplicates.
        let resent = with_conn(&app, |c| outbox::resync(c).unwrap());
        assert_eq!(resent, queued);
        push_all(&app, &link, Duration::from_secs(120));
        let counters = sandbox.counters();
        assert_eq!(counters.applied, 2 * queued as u64 + 1);
        assert_eq!(counters.duplicates, 0);

        // The out-log counts the push under the national partner.
        let lines = with_conn(&app, |c| {
            let today = sibuser::domain::calendar::today();
            sibuser::sharing::out_log::for_days(c, today, today, None).unwrap()
        });
        let pushed: i64 = lines
            .iter()
            .filter(|l| l.via == sibuser::sharing::out_log::Via::Sync)
            .map(|l| l.records)
            .sum();
        assert_eq!(pushed, 2 * queued + 1);

        let log = verify(&app, &link);
        assert!(log.ok(), "{:?}", log.problems);
        assert_eq!(log.sent, log.received);
        assert!(log.sent >= 3);

        // The log refuses to be edited, and an entry slipped in breaks the chain.
        let edited = with_conn(&app, |c| {
            diesel::sql_query("UPDATE exchange_log SET peer = 'elsewhere' WHERE seq = 1").execute(c)
        });
        assert!(edited.is_err(), "the exchange log is append-only");
    }
);

db_test!(
    a_rejected_event_is_parked_with_the_reason_and_goes_again_once_corrected,
    |app| {
        seed_demo(&app);
        let sandbox = Sandbox::start(0.0, 0.0, 0.0);
        let partner = with_conn(&app, national_partner);
        let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
        crate::feed::settle(&app);
        with_conn(&app, |c| outbox::start_capture(c).unwrap());
        push_all(&app, &link, Duration::from_secs(120));

        // A vacancy whose KBJI code the national list does not have (as an old import left
        // it): parked with the reason, the rest of the queue unharmed.
        assert!(sibuser::reference::kbji::occupation("9999").is_none());
        let (vacancy, code): (i32, String) = with_conn(&app, |c| {
            use sibuser::schema::vacancies as v;
            let (id, code): (i32, String) = v::table
                .filter(v::status.eq("published"))
                .select((v::id, v::kbji_code))
                .first(c)
                .unwrap();
            diesel::update(v::table.find(id))
                .set(v::kbji_code.eq("9999"))
                .execute(c)
                .unwrap();
            (id, code)
        });
        let r = push_all(&app, &link, Duration::from_secs(30));
        assert_eq!((r.delivered, r.parked), (0, 1));
        let counts = queue(&app);
        assert_eq!((counts.pending, counts.parked), (0, 1));
        let error = with_conn(&app, |c| {
            use sibuser::schema::sync_outbox as o;
            o::table
                .filter(o::state.eq("parked"))
                .select((o::record_id, o::last_error))
                .first::<(i32, Option<String>)>(c)
                .unwrap()
        });
        assert_eq!(error.0, vacancy);
        assert!(error.1.unwrap().contains("unknown_code"));
        assert_eq!(
            sandbox.records("vacancies")[&vacancy.to_string()]["version"],
            1,
            "the national side kept what it had"
        );

        // Corrected, it goes again by itself.
        with_conn(&app, |c| {
            use sibuser::schema::vacancies as v;
            diesel::update(v::table.find(vacancy))
                .set(v::kbji_code.eq(&code))
                .execute(c)
                .unwrap();
        });
        let r = push_all(&app, &link, Duration::from_secs(30));
        assert_eq!((r.delivered, r.parked), (1, 0));
        let counts = queue(&app);
        assert_eq!(counts.parked, 0);
        assert_eq!(
            sandbox.records("vacancies")[&vacancy.to_string()]["version"],
            3
        );
    }
);

db_test!(
    a_faulty_endpoint_still_gets_every_event_exactly_once,
    |app| {
        seed_demo(&app);
        let sandbox = Sandbox::start(0.3, 0.05, 0.05);
        let partner = with_conn(&app, national_partner);
        let link = Link::new(&settings(
            &sandbox,
            partner,
            &[
                ("SIBUSER_SYNC_BATCH", "10"),
                ("SIBUSER_SYNC_MAX_ATTEMPTS", "100"),
                ("SIBUSER_SYNC_MAX_BACKOFF_SECONDS", "1"),
            ],
        ))
        .unwrap();
        crate::feed::settle(&app);
        let queued = with_conn(&app, |c| outbox::start_capture(c).unwrap()).unwrap() as u64;
        let report = push_all(&app, &link, Duration::from_secs(300));
        assert_eq!(report.parked, 0);
        let counters = sandbox.counters();
        assert!(
            counters.failed_on_purpose > 0
                && counters.dropped_after_store > 0
                && counters.malformed_answers > 0,
            "{counters:?}"
        );
        assert_eq!(
            counters.applied, queued,
            "every event applied once: {counters:?}"
        );
        assert_eq!(
            counters.records.values().sum::<u64>(),
            queued,
            "every record arrived"
        );
        // What a dropped connection or a garbled answer left unconfirmed came again and was
        // recognised.
        assert!(counters.duplicates > 0, "{counters:?}");
        let log = verify(&app, &link);
        assert!(log.ok(), "{:?}", log.problems);
    }
);

/// Adds `n` employed residents (as a bulk import would) in one statement: `n` changes of
/// shared records, so `n` events.
fn add_employed_residents(c: &mut DbConnection, n: i64) {
    let person: i32 = {
        use sibuser::schema::people as p;
        p::table.select(p::id).order(p::id).first(c).unwrap()
    };
    let sql = format!(
        "INSERT INTO employed_residents (person_id, employer_name, job_title, started_on, source, job_key, recorded_at) \
         WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) \
         SELECT {person}, 'PT Sumber Uji', 'Operator Produksi', '2026-01-05', 'import', 'uji-' || n, CURRENT_TIMESTAMP FROM s"
    );
    let added = diesel::sql_query(sql).execute(c).unwrap();
    assert_eq!(added as i64, n);
}

db_test!(
    a_hundred_thousand_events_reach_a_faulty_endpoint_from_two_pushers_exactly_once,
    |app| {
        seed_demo(&app);
        let sandbox = Sandbox::start(0.3, 0.05, 0.0);
        let partner = with_conn(&app, national_partner);
        let settings = settings(
            &sandbox,
            partner,
            &[
                ("SIBUSER_SYNC_BATCH", "1000"),
                ("SIBUSER_SYNC_MAX_ATTEMPTS", "100"),
                ("SIBUSER_SYNC_MAX_BACKOFF_SECONDS", "1"),
            ],
        );
        crate::feed::settle(&app);
        with_conn(&app, |c| outbox::start_capture(c).unwrap());
        with_conn(&app, |c| add_employed_residents(c, 100_000));
        let queued = queue(&app).pending as u64;
        assert!(queued >= 100_000);

        // Two pushers on their own connections, as two instances would run.
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let link = Link::new(&settings).unwrap();
                    push_all(&app, &link, Duration::from_secs(900));
                });
            }
        });
        let counters = sandbox.counters();
        assert_eq!(
            counters.applied, queued,
            "every event applied once: {counters:?}"
        );
        assert_eq!(counters.records.values().sum::<u64>(), queued);
        assert!(
            counters.failed_on_purpose > 0 && counters.dropped_after_store > 0,
            "{counters:?}"
        );
        let link = Link::new(&settings).unwrap();
        let log = verify(&app, &link);
        assert!(log.ok(), "{:?}", log.problems);
    }
);

/// The contract names every field the push can send, so the ministry's engineers can map
/// each one.
#[test]
fn the_contract_lists_every_field_of_every_data_set() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/national-sync.md"
    ))
    .unwrap();
    let mut missing = Vec::new();
    for dataset in Dataset::ALL {
        let section = format!("#### `{}`", dataset.cli_name());
        let Some(start) = doc.find(&section) else {
            missing.push(section);
            continue;
        };
        let rest = &doc[start + section.len()..];
        let table = &rest[..rest.find("\n#").unwrap_or(rest.len())];
        for column in sibuser::exports::datasets::provider(dataset).columns() {
            if !table.contains(&format!("| `{}` |", column.name)) {
                missing.push(format!("{}.{}", dataset.cli_name(), column.name));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/national-sync.md lacks: {missing:?}"
    );
}

pub(crate) fn audit_actions(app: &TestApp) -> Vec<(String, Option<String>)> {
    use sibuser::schema::audit_log as a;
    with_conn(app, |c| {
        a::table
            .order(a::id)
            .select((a::action, a::detail))
            .load::<(String, Option<String>)>(c)
            .unwrap()
    })
}

db_test!(
    the_data_steward_sees_the_queue_retries_discards_with_a_reason_and_resyncs,
    |app| {
        use actix_web::http::StatusCode;
        seed_demo(&app);
        let sandbox = Sandbox::start(0.0, 0.0, 0.0);
        let partner = with_conn(&app, national_partner);
        let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
        crate::feed::settle(&app);
        let queued = with_conn(&app, |c| outbox::start_capture(c).unwrap()).unwrap();
        push_all(&app, &link, Duration::from_secs(120));
        // Two vacancies the national list refuses.
        let refused: Vec<i32> = with_conn(&app, |c| {
            use sibuser::schema::vacancies as v;
            let ids: Vec<i32> = v::table
                .filter(v::status.eq("published"))
                .order(v::id)
                .limit(2)
                .select(v::id)
                .load(c)
                .unwrap();
            diesel::update(v::table.filter(v::id.eq_any(&ids)))
                .set(v::kbji_code.eq("9999"))
                .execute(c)
                .unwrap();
            ids
        });
        push_all(&app, &link, Duration::from_secs(30));
        let event_of = |record: i32| {
            with_conn(&app, |c| {
                use sibuser::schema::sync_outbox as o;
                o::table
                    .filter(o::dataset.eq("vacancies"))
                    .filter(o::record_id.eq(record))
                    .select(o::id)
                    .first::<i32>(c)
                    .unwrap()
            })
        };
        let (first, second) = (event_of(refused[0]), event_of(refused[1]));

        let steward = crate::common::signed_in(&app, "walidata@sibuser.example").await;
        let page = steward.get("/petugas/sinkronisasi").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Kiriman yang ditahan");
        page.assert_contains("unknown_code");
        page.assert_contains(&format!("/petugas/sinkronisasi/{first}/buang"));

        // A discard without a reason: the page again with the message, nothing changed.
        let res = steward
            .post(
                &format!("/petugas/sinkronisasi/{first}/buang"),
                &[("reason", " ab ")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Kesalahan: ");
        res.assert_contains("paling sedikit 5 huruf");
        res.assert_contains(r#"value=" ab ""#);
        let counts = queue(&app);
        assert_eq!(counts.parked, 2);

        // With a reason: gone from the list, audited with the reason.
        steward.get("/petugas/sinkronisasi").await;
        let res = steward
            .post(
                &format!("/petugas/sinkronisasi/{first}/buang"),
                &[("reason", "Kode jabatan lama, dikoreksi di SIAPkerja")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let audit = audit_actions(&app);
        let (_, detail) = audit
            .iter()
            .find(|(a, _)| a == "national.event_discarded")
            .expect("the discard is audited");
        assert!(
            detail
                .as_deref()
                .unwrap()
                .contains("dikoreksi di SIAPkerja")
        );
        // Discarded twice: not found.
        steward.get("/petugas/sinkronisasi").await;
        let res = steward
            .post(
                &format!("/petugas/sinkronisasi/{first}/buang"),
                &[("reason", "Sekali lagi, tidak ada")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);

        // Retry the other, after correcting nothing: it goes and is parked again.
        steward.get("/petugas/sinkronisasi").await;
        let res = steward
            .post(&format!("/petugas/sinkronisasi/{second}/ulang"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(
            audit_actions(&app)
                .iter()
                .any(|(a, _)| a == "national.event_retried")
        );
        let r = push_all(&app, &link, Duration::from_secs(30));
        assert_eq!((r.delivered, r.parked), (0, 1));

        // Resync: every record queued again, the progress shown, audited.
        steward.get("/petugas/sinkronisasi").await;
        let res = steward.post("/petugas/sinkronisasi/kirim-ulang", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let counts = queue(&app);
        assert_eq!(counts.pending, queued);
        let page = steward.get("/petugas/sinkronisasi").await;
        page.assert_contains("Kirim ulang terakhir dimulai");
        page.assert_contains(r#"<progress max="100" value="0""#);
        assert!(
            audit_actions(&app)
                .iter()
                .any(|(a, _)| a == "national.resync")
        );

        // The super admin reads the page but has no buttons.
        let admin = crate::common::signed_in(&app, "admin@sibuser.example").await;
        let page = admin.get("/petugas/sinkronisasi").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_lacks("/petugas/sinkronisasi/kirim-ulang");
    }
);

/// The `sibuser sync` worker as its own process, against the test database.
fn sync_process(
    app: &TestApp,
    settings_env: &[(String, String)],
) -> crate::common::webdriver::Process {
    let url = match app.db.url() {
        sibuser::config::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        sibuser::config::DatabaseUrl::Postgres(url) => url,
    };
    let dir = std::env::temp_dir().join("sibuser-test-data");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_sibuser"))
        .arg("sync")
        .env_clear()
        .env("DATABASE_URL", url)
        .env("SIBUSER_DATA_DIR", dir)
        .env("SIBUSER_LOG", "warn")
        .envs(settings_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sibuser sync starts");
    crate::common::webdriver::Process(child)
}

db_test!(
    a_sync_worker_killed_mid_push_and_started_again_delivers_every_event_once,
    |app| {
        seed_demo(&app);
        let sandbox = Sandbox::with(sandbox::Options {
            // Slow answers, so the kill lands while a batch is on the way.
            latency: Duration::from_millis(150),
            ..options()
        });
        let partner = with_conn(&app, national_partner);
        crate::feed::settle(&app);
        let queued = with_conn(&app, |c| outbox::start_capture(c).unwrap()).unwrap() as u64;
        let env: Vec<(String, String)> = vec![
            ("SIBUSER_SYNC_URL".into(), format!("{}/v1", sandbox.base)),
            ("SIBUSER_SYNC_PARTNER_ID".into(), partner.to_string()),
            (
                "SIBUSER_SYNC_SIGNING_KEY".into(),
                format!("binjai-1:{}", b64(&PORTAL_SEED)),
            ),
            (
                "SIBUSER_SYNC_PEER_KEYS".into(),
                format!(
                    "sandbox-1:{}",
                    b64(&public("sandbox-1", SANDBOX_SEED).bytes)
                ),
            ),
            ("SIBUSER_SYNC_BATCH".into(), "20".into()),
            ("SIBUSER_SYNC_TIMEOUT_SECONDS".into(), "2".into()),
            ("SIBUSER_SYNC_EVERY_SECONDS".into(), "1".into()),
        ];

        let worker = sync_process(&app, &env);
        let started = Instant::now();
        while sandbox.counters().batches_stored < 5 {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the worker pushes"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(worker); // SIGKILL, then reaped.
        let before = sandbox.counters();
        assert!(before.applied < queued, "killed before the end: {before:?}");

        let worker = sync_process(&app, &env);
        let started = Instant::now();
        loop {
            let counts = queue(&app);
            if counts.pending == 0 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "the restarted worker empties the queue: {counts:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        drop(worker);
        let after = sandbox.counters();
        assert_eq!(after.applied, queued, "every event applied once: {after:?}");
        assert_eq!(after.records.values().sum::<u64>(), queued);
        let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
        let log = verify(&app, &link);
        assert!(log.ok(), "{:?}", log.problems);
    }
);

/// A self-signed certificate for 127.0.0.1 and its key, as PEM files in `dir`.
pub(crate) fn self_signed(
    dir: &std::path::Path,
    name: &str,
) -> (std::path::PathBuf, std::path::PathBuf) {
    use openssl::asn1::Asn1Time;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::PKey;
    use openssl::x509::extension::SubjectAlternativeName;
    use openssl::x509::{X509, X509NameBuilder};
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap();
    let mut subject = X509NameBuilder::new().unwrap();
    subject.append_entry_by_text("CN", name).unwrap();
    let subject = subject.build();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&subject).unwrap();
    cert.set_issuer_name(&subject).unwrap();
    cert.set_pubkey(&key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    let san = SubjectAlternativeName::new()
        .ip("127.0.0.1")
        .build(&cert.x509v3_context(None, None))
        .unwrap();
    cert.append_extension(san).unwrap();
    cert.sign(&key, MessageDigest::sha256()).unwrap();
    let cert = cert.build();
    let (cert_path, key_path) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key")),
    );
    std::fs::write(&cert_path, cert.to_pem().unwrap()).unwrap();
    std::fs::write(&key_path, key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    (cert_path, key_path)
}

db_test!(
    the_push_goes_over_https_to_the_pinned_certificate_only,
    |app| {
        seed_demo(&app);
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = self_signed(dir.path(), "siapkerja");
        let (other, _) = self_signed(dir.path(), "impostor");
        let sandbox = Sandbox::with(sandbox::Options {
            tls: Some(sandbox::Tls {
                cert: cert.clone(),
                key,
            }),
            ..options()
        });
        let partner = with_conn(&app, national_partner);
        crate::feed::settle(&app);
        let queued = with_conn(&app, |c| outbox::start_capture(c).unwrap()).unwrap() as u64;
        let pinned = |pem: &std::path::Path| {
            Link::new(&settings(
                &sandbox,
                partner,
                &[("SIBUSER_SYNC_CA_CERT", pem.to_str().unwrap())],
            ))
            .unwrap()
        };

        // The system's roots do not know the sandbox's certificate; another pinned one is not
        // it: nothing goes, and the error says why.
        for link in [
            Link::new(&settings(&sandbox, partner, &[])).unwrap(),
            pinned(&other),
        ] {
            let r = with_conn(&app, |c| push::round(c, &link, 1).unwrap());
            assert_eq!((r.delivered, r.failures), (0, 1));
            let state = with_conn(&app, |c| outbox::state(c).unwrap());
            assert!(
                state
                    .last_error
                    .as_deref()
                    .unwrap_or("")
                    .contains("certificate"),
                "{:?}",
                state.last_error
            );
            // Due again at once for the next try.
            with_conn(&app, |c| {
                use sibuser::schema::sync_outbox as o;
                diesel::update(o::table)
                    .set(o::next_attempt_at.eq(chrono::Utc::now().naive_utc()))
                    .execute(c)
                    .unwrap();
            });
        }
        assert_eq!(sandbox_counters_over_tls(&sandbox, &cert).requests, 0);

        // Pinned to the sandbox's own certificate: everything arrives.
        let report = push_all(&app, &pinned(&cert), Duration::from_secs(120));
        assert_eq!(report.delivered, queued);
        assert_eq!(sandbox_counters_over_tls(&sandbox, &cert).applied, queued);
    }
);

fn sandbox_counters_over_tls(sandbox: &Sandbox, cert: &std::path::Path) -> Counters {
    let pem = std::fs::read(cert).unwrap();
    let tls = native_tls::TlsConnector::builder()
        .add_root_certificate(native_tls::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    ureq::AgentBuilder::new()
        .tls_connector(std::sync::Arc::new(tls))
        .build()
        .get(&format!("{}/sandbox/state", sandbox.base))
        .call()
        .unwrap()
        .into_json()
        .unwrap()
}
