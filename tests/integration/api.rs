//! The sharing API (issue 16) as a partner's program meets it: only a key opens it, and
//! only for the data sets and masking of the partner's agreement; a signed-in browser gets
//! nothing; each data set pages through all its records and then only what changed; an
//! anonymised person is a tombstone; reads of personal data are in the audit log; bad
//! input is a 400 problem; the rate limit answers 429.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use chrono::Days;
use diesel::prelude::*;
use serde_json::Value;
use sibuser::domain::calendar;
use sibuser::domain::ids::UserId;
use sibuser::schema::{audit_log, job_seekers, vacancies};
use sibuser::sharing::keys::{self, KeyRequest};
use sibuser::sharing::out_log;
use sibuser::sharing::partners::{self, Actor, PartnerForm};
use sibuser::sharing::{Dataset, Masking, PartnerId};
use sibuser::web::respond::RequestMeta;

use crate::common::{TestApp, TestResponse, seed_demo, signed_in, user_id, with_conn};
use crate::exports::all_ids;
use crate::feed::settle;

const STEWARD: &str = "walidata@sibuser.example";

fn meta() -> RequestMeta {
    RequestMeta {
        address: "127.0.0.1".into(),
        request_id: None,
    }
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// A partner with these grants and a key for all of them, valid `days` more days.
fn partner_with_key(
    app: &TestApp,
    grants: &[(Dataset, Masking)],
    days: u64,
) -> (PartnerId, keys::IssuedKey) {
    let user = UserId::new(user_id(app, STEWARD));
    let meta = meta();
    let by = Actor { user, meta: &meta };
    let form = PartnerForm {
        name: "Kementerian Ketenagakerjaan (uji API)".into(),
        kind: "ministry".into(),
        legal_basis: "PKS Kemnaker–Pemkot Binjai 2025, Pasal 6 dan 9".into(),
        contact_name: "Budi Santoso".into(),
        contact_email: "api@kemnaker.go.id".into(),
    }
    .check()
    .unwrap();
    let today = calendar::today();
    with_conn(app, |c| {
        let id = partners::add(c, &form, &by, now()).unwrap();
        for (d, m) in grants {
            partners::grant(c, id, *d, *m, &by, now()).unwrap();
        }
        let request = KeyRequest {
            label: "Uji API".into(),
            expires_on: today + Days::new(days),
            datasets: grants.iter().map(|(d, _)| *d).collect(),
        };
        let key = keys::issue(c, id, &request, &by, today, now())
            .unwrap()
            .unwrap();
        (id, key)
    })
}

/// A request as a partner's program sends it. On PostgreSQL the feed first settles: other
/// tests' transactions on the same server hold it back for a moment (see `feed::settle`).
async fn api(app: &TestApp, path: &str, key: Option<&str>) -> TestResponse {
    settle(app);
    let mut req = TestRequest::get().uri(path);
    if let Some(key) = key {
        req = req.insert_header(("Authorization", format!("Bearer {key}")));
    }
    app.request(req).await
}

fn json(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

#[track_caller]
fn assert_problem(res: &TestResponse, status: StatusCode, slug: &str) {
    assert_eq!(res.status, status, "{}", res.body);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    let body = json(res);
    assert_eq!(body["status"], status.as_u16());
    assert!(
        body["type"].as_str().unwrap().ends_with(slug),
        "{slug}: {body}"
    );
}

/// Every page of a data set from `cursor` on: the records in order, and the last cursor.
async fn page_all(
    app: &TestApp,
    key: &str,
    dataset: &str,
    mut query: String,
) -> (Vec<Value>, String) {
    let mut records = Vec::new();
    loop {
        let res = api(app, &format!("/api/v1/{dataset}?{query}"), Some(key)).await;
        assert_eq!(res.status, StatusCode::OK, "{dataset}: {}", res.body);
        let body = json(&res);
        records.extend(body["records"].as_array().unwrap().iter().cloned());
        let cursor = body["next_cursor"].as_str().unwrap().to_owned();
        if !body["has_more"].as_bool().unwrap() {
            return (records, cursor);
        }
        query = format!("limit=7&cursor={cursor}");
    }
}

fn everything(masking: Masking) -> Vec<(Dataset, Masking)> {
    Dataset::ALL.into_iter().map(|d| (d, masking)).collect()
}

db_test!(
    only_a_valid_key_in_scope_reads_and_a_session_never_does,
    |app| {
        seed_demo(&app);
        let (_, key) = partner_with_key(&app, &[(Dataset::Vacancies, Masking::Masked)], 30);
        let key = key.reveal().to_owned();
        let path = "/api/v1/vacancies";

        let none = api(&app, path, None).await;
        assert_problem(&none, StatusCode::UNAUTHORIZED, "key-missing");
        assert!(none.header("www-authenticate").is_some());
        let malformed = api(&app, path, Some("not-a-key")).await;
        assert_problem(&malformed, StatusCode::UNAUTHORIZED, "key-refused");
        let mut wrong = key.clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        assert_problem(
            &api(&app, path, Some(&wrong)).await,
            StatusCode::UNAUTHORIZED,
            "key-refused",
        );
        // Out of scope: another data set of the same partner.
        let other = api(&app, "/api/v1/job-seekers", Some(&key)).await;
        assert_problem(&other, StatusCode::FORBIDDEN, "out-of-scope");
        other.assert_lacks("records");
        // The key itself works.
        let ok = api(&app, path, Some(&key)).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(!json(&ok)["records"].as_array().unwrap().is_empty());
        assert_eq!(ok.header("content-type"), Some("application/json"));

        // A signed-in super admin's cookie gets nothing, even with a valid key beside it.
        let admin = signed_in(&app, "admin@sibuser.example").await;
        for with_key in [false, true] {
            let mut req = TestRequest::get().uri(path);
            if with_key {
                req = req.insert_header(("Authorization", format!("Bearer {key}")));
            }
            let res = admin.send(req).await;
            assert_problem(&res, StatusCode::UNAUTHORIZED, "cookie-refused");
            res.assert_lacks("records");
        }

        let unknown_path = api(&app, "/api/v2/anything", Some(&key)).await;
        assert_problem(&unknown_path, StatusCode::NOT_FOUND, "not-found");
    }
);

db_test!(an_expired_or_revoked_key_reads_nothing, |app| {
    seed_demo(&app);
    let (partner, key) = partner_with_key(&app, &everything(Masking::Masked), 0);
    let key_text = key.reveal().to_owned();
    assert_eq!(
        api(&app, "/api/v1/wlkp", Some(&key_text)).await.status,
        StatusCode::OK,
        "a key works through its last day"
    );
    with_conn(&app, |c| {
        let user = UserId::new(user_id(&app, STEWARD));
        let meta = meta();
        let by = Actor { user, meta: &meta };
        keys::revoke(c, partner, key.id, &by, now()).unwrap();
    });
    let res = api(&app, "/api/v1/wlkp", Some(&key_text)).await;
    assert_problem(&res, StatusCode::UNAUTHORIZED, "key-refused");
    res.assert_lacks("records");
});

db_test!(
    a_withdrawn_grant_or_a_suspended_partner_ends_access_at_once,
    |app| {
        seed_demo(&app);
        let (partner, key) = partner_with_key(
            &app,
            &[
                (Dataset::Wlkp, Masking::Masked),
                (Dataset::Vacancies, Masking::Masked),
            ],
            30,
        );
        let key = key.reveal().to_owned();
        let steward = UserId::new(user_id(&app, STEWARD));
        let meta = meta();
        let by = Actor {
            user: steward,
            meta: &meta,
        };
        // Read just before each change: the portal remembers a key's caller for a moment,
        // never past a change to what it may read.
        assert_eq!(
            api(&app, "/api/v1/wlkp", Some(&key)).await.status,
            StatusCode::OK
        );
        with_conn(&app, |c| {
            partners::revoke_grant(c, partner, Dataset::Wlkp, &by).unwrap()
        });
        let res = api(&app, "/api/v1/wlkp", Some(&key)).await;
        assert_problem(&res, StatusCode::FORBIDDEN, "out-of-scope");
        assert_eq!(
            api(&app, "/api/v1/vacancies", Some(&key)).await.status,
            StatusCode::OK
        );
        with_conn(&app, |c| {
            partners::set_active(c, partner, false, &by).unwrap()
        });
        let res = api(&app, "/api/v1/vacancies", Some(&key)).await;
        assert_problem(&res, StatusCode::UNAUTHORIZED, "key-refused");
        res.assert_lacks("records");
    }
);

db_test!(
    every_data_set_pages_through_all_its_records_then_only_changes,
    |app| {
        seed_demo(&app);
        let (_, key) = partner_with_key(&app, &everything(Masking::Masked), 30);
        let key = key.reveal().to_owned();
        for dataset in Dataset::ALL {
            let slug = dataset.cli_name();
            let (records, cursor) = page_all(&app, &key, slug, "limit=7".into()).await;
            let live: BTreeSet<i32> = records
                .iter()
                .filter(|r| r["deleted"] == false)
                .map(|r| r["id"].as_i64().unwrap() as i32)
                .collect();
            let want = with_conn(&app, |c| all_ids(c, dataset));
            assert_eq!(
                live, want,
                "{slug}: every record exactly as the export has them"
            );
            let seen: Vec<i64> = records.iter().map(|r| r["id"].as_i64().unwrap()).collect();
            let unique: BTreeSet<i64> = seen.iter().copied().collect();
            assert_eq!(seen.len(), unique.len(), "{slug}: no record twice");
            for r in records.iter().filter(|r| r["deleted"] == false) {
                let data = &r["data"];
                let id_column = sibuser::exports::datasets::provider(dataset).columns()[0].name;
                assert_eq!(
                    data[id_column], r["id"],
                    "{slug}: the record's id is its first column"
                );
                assert!(data["versi_kode_wilayah"].is_string(), "{slug}: {r}");
                assert!(
                    data["sumber"].is_string(),
                    "{slug}: the record's source: {r}"
                );
                assert!(r["changed_at"].as_str().unwrap().ends_with('Z'));
            }
            // Nothing changed since: the last cursor gives an empty page.
            let res = api(&app, &format!("/api/v1/{slug}?cursor={cursor}"), Some(&key)).await;
            let body = json(&res);
            assert_eq!(
                body["records"].as_array().unwrap().len(),
                0,
                "{slug}: {body}"
            );
            assert_eq!(body["has_more"], false);
        }

        // A vacancy changes: from the last cursor, it alone comes; by updated_since too.
        let (_, cursor) = page_all(&app, &key, "vacancies", "limit=1000".into()).await;
        // `updated_since` goes to the second: from the start of the next second, every
        // change so far is older than `before` and the edit below is not (a slow machine
        // may have seeded the demo within the last second or two).
        let now = chrono::Utc::now();
        std::thread::sleep(std::time::Duration::from_millis(
            1_050 - u64::from(now.timestamp_subsec_millis()),
        ));
        let before = chrono::Utc::now();
        let changed: i32 = with_conn(&app, |c| {
            let id = vacancies::table
                .filter(vacancies::status.eq("published"))
                .select(vacancies::id)
                .first(c)
                .unwrap();
            diesel::update(vacancies::table.find(id))
                .set(vacancies::title.eq("Operator Produksi (diubah)"))
                .execute(c)
                .unwrap();
            id
        });
        let res = api(
            &app,
            &format!("/api/v1/vacancies?cursor={cursor}"),
            Some(&key),
        )
        .await;
        let records = json(&res)["records"].as_array().unwrap().clone();
        assert_eq!(records.len(), 1, "{}", res.body);
        assert_eq!(records[0]["id"], changed);
        assert!(res.body.contains("Operator Produksi (diubah)"));
        let since = before.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let (records, _) = page_all(
            &app,
            &key,
            "vacancies",
            format!("updated_since={}", since.replace('+', "%2B")),
        )
        .await;
        let ids: Vec<i64> = records.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [i64::from(changed)]);
    }
);

db_test!(an_anonymised_person_is_only_a_tombstone, |app| {
    seed_demo(&app);
    let (_, key) = partner_with_key(&app, &[(Dataset::JobSeekers, Masking::Unmasked)], 30);
    let key = key.reveal().to_owned();
    let (_, cursor) = page_all(&app, &key, "job-seekers", "limit=1000".into()).await;
    let (seeker, user, nik): (i32, i32, Option<String>) = with_conn(&app, |c| {
        job_seekers::table
            .filter(job_seekers::nik.is_not_null())
            .select((job_seekers::id, job_seekers::user_id, job_seekers::nik))
            .first(c)
            .unwrap()
    });
    with_conn(&app, |c| {
        sibuser::personal_data::anonymise(c, UserId::new(user), calendar::today()).unwrap();
    });
    let res = api(
        &app,
        &format!("/api/v1/job-seekers?cursor={cursor}"),
        Some(&key),
    )
    .await;
    let records = json(&res)["records"].as_array().unwrap().clone();
    let mine: Vec<&Value> = records.iter().filter(|r| r["id"] == seeker).collect();
    assert_eq!(mine.len(), 1, "{}", res.body);
    assert_eq!(mine[0]["deleted"], true);
    assert!(
        mine[0].get("data").is_none(),
        "a tombstone has no data: {}",
        mine[0]
    );
    res.assert_lacks(&nik.unwrap());
    // From the start too: the person is a tombstone, never their old data.
    let (all, _) = page_all(&app, &key, "job-seekers", "limit=1000".into()).await;
    let again: Vec<&Value> = all.iter().filter(|r| r["id"] == seeker).collect();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["deleted"], true);
});

db_test!(
    masking_follows_the_grant_and_personal_reads_are_audited,
    |app| {
        seed_demo(&app);
        let (_, masked) = partner_with_key(&app, &[(Dataset::JobSeekers, Masking::Masked)], 30);
        let (_, unmasked) = partner_with_key(&app, &[(Dataset::JobSeekers, Masking::Unmasked)], 30);
        let niks: Vec<String> = with_conn(&app, |c| {
            job_seekers::table
                .filter(job_seekers::nik.is_not_null())
                .select(job_seekers::nik.assume_not_null())
                .load(c)
                .unwrap()
        });
        let res = api(
            &app,
            "/api/v1/job-seekers?limit=1000",
            Some(masked.reveal()),
        )
        .await;
        let body = json(&res);
        assert_eq!(body["masking"], "masked");
        for nik in &niks {
            res.assert_lacks(nik);
        }
        let first = &body["records"][0]["data"];
        assert!(
            first.get("nama").is_none(),
            "a masked read has no names: {first}"
        );
        assert!(first["nik"].as_str().is_none_or(|n| n.contains("********")));

        let res = api(
            &app,
            "/api/v1/job-seekers?limit=1000",
            Some(unmasked.reveal()),
        )
        .await;
        assert_eq!(json(&res)["masking"], "unmasked");
        assert!(niks.iter().any(|n| res.body.contains(n.as_str())));

        let entries: Vec<(String, Option<String>, Option<String>)> = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("api.personal_read"))
                .select((
                    audit_log::subject_type.assume_not_null(),
                    audit_log::subject_id,
                    audit_log::detail,
                ))
                .load(c)
                .unwrap()
        });
        assert_eq!(entries.len(), 2, "one entry per page read: {entries:?}");
        let subjects: BTreeSet<String> = entries.iter().filter_map(|e| e.1.clone()).collect();
        assert!(subjects.contains(&masked.id.get().to_string()));
        assert!(subjects.contains(&unmasked.id.get().to_string()));
        assert!(entries.iter().all(|e| e.0 == "api_key"));
        assert!(
            entries
                .iter()
                .any(|e| e.2.as_deref().is_some_and(|d| d.contains("\"unmasked\"")))
        );
    }
);

db_test!(pages_read_at_once_are_each_counted_and_audited, |app| {
    seed_demo(&app);
    let (partner, key) = partner_with_key(&app, &[(Dataset::JobSeekers, Masking::Masked)], 30);
    settle(&app);
    // Sent together, so that the ledger writes several in one batch.
    let pages = (0..12).map(|_| {
        let req = TestRequest::get()
            .uri("/api/v1/job-seekers?limit=5")
            .insert_header(("Authorization", format!("Bearer {}", key.reveal())));
        app.request(req)
    });
    for res in futures_util::future::join_all(pages).await {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(json(&res)["records"].as_array().unwrap().len(), 5);
    }
    let audited: i64 = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("api.personal_read"))
            .filter(audit_log::subject_id.eq(key.id.get().to_string()))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(audited, 12, "one audit entry per page");
    let today = calendar::today();
    let lines = with_conn(&app, |c| {
        out_log::for_days(c, today, today, Some(partner)).unwrap()
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!((lines[0].requests, lines[0].records), (12, 60));
});

db_test!(a_page_whose_logs_cannot_be_written_is_not_sent, |app| {
    seed_demo(&app);
    let (_, key) = partner_with_key(&app, &[(Dataset::JobSeekers, Masking::Masked)], 30);
    with_conn(&app, |c| {
        diesel::sql_query("DROP TABLE sharing_out_log")
            .execute(c)
            .unwrap()
    });
    let res = api(&app, "/api/v1/job-seekers?limit=5", Some(key.reveal())).await;
    assert_problem(&res, StatusCode::INTERNAL_SERVER_ERROR, "internal");
    assert!(!res.body.contains("records"), "{}", res.body);
    let audited: i64 = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("api.personal_read"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(
        audited, 0,
        "the count and the entry go in together or not at all"
    );
});

db_test!(bad_input_is_a_400_problem_naming_the_parameter, |app| {
    seed_demo(&app);
    let (_, key) = partner_with_key(&app, &[(Dataset::Wlkp, Masking::Masked)], 30);
    let key = key.reveal().to_owned();
    let future = (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%dT%H:%M:%SZ");
    let long = format!("cursor={}", "A".repeat(600));
    for (query, parameter) in [
        ("unknown=1", Some("unknown")),
        ("filter%5Ba%5D%5Bb%5D%5Bc%5D=1", Some("filter[a][b][c]")),
        ("cursor=zzzz", Some("cursor")),
        ("limit=-5", Some("limit")),
        ("limit=1&limit=2", Some("limit")),
        (&format!("updated_since={future}"), Some("updated_since")),
        ("updated_since=2026-13-45", Some("updated_since")),
        (&long, None),
    ] {
        let res = api(&app, &format!("/api/v1/wlkp?{query}"), Some(&key)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{query}: {}", res.body);
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
        assert_eq!(json(&res)["parameter"].as_str(), parameter, "{query}");
    }
    let other = api(
        &app,
        &format!(
            "/api/v1/wlkp?cursor={}",
            sibuser::interop::query::cursor(Dataset::Vacancies, 3)
        ),
        Some(&key),
    )
    .await;
    assert_problem(&other, StatusCode::BAD_REQUEST, "invalid-parameter");
});

#[actix_web::test]
async fn a_key_past_its_rate_waits_with_retry_after() {
    let app = TestApp::spawn_with(crate::common::Backend::Sqlite, &[("SIBUSER_API_RATE", "1")])
        .await
        .unwrap();
    seed_demo(&app);
    let (_, key) = partner_with_key(&app, &[(Dataset::Wlkp, Masking::Masked)], 30);
    let mut statuses = Vec::new();
    let mut limited = None;
    for _ in 0..6 {
        let res = api(&app, "/api/v1/wlkp?limit=1", Some(key.reveal())).await;
        statuses.push(res.status.as_u16());
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(res);
            break;
        }
    }
    let limited = limited.unwrap_or_else(|| panic!("never limited: {statuses:?}"));
    assert_problem(&limited, StatusCode::TOO_MANY_REQUESTS, "rate-limited");
    assert!(
        limited
            .header("retry-after")
            .is_some_and(|s| s.parse::<u64>().unwrap() >= 1)
    );
    assert_eq!(
        statuses[..3],
        [200, 200, 200],
        "a burst of three seconds' worth passes"
    );
    // Another partner's key is not held back by this one.
    let (_, other) = partner_with_key(&app, &[(Dataset::Wlkp, Masking::Masked)], 30);
    assert_eq!(
        api(&app, "/api/v1/wlkp?limit=1", Some(other.reveal()))
            .await
            .status,
        StatusCode::OK
    );
}

db_test!(the_openapi_document_describes_what_the_api_sends, |app| {
    seed_demo(&app);
    let doc = app.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = json(&doc);
    assert_eq!(doc["openapi"], "3.1.0");
    let (_, key) = partner_with_key(&app, &everything(Masking::Unmasked), 30);
    for dataset in Dataset::ALL {
        let slug = dataset.cli_name();
        let op = &doc["paths"][format!("/api/v1/{slug}")]["get"];
        for status in ["200", "400", "401", "403", "429"] {
            assert!(op["responses"][status].is_object(), "{slug} {status}");
        }
        let name = sibuser::interop::openapi::record_schema(dataset).replace("Record", "Data");
        let schema = &doc["components"]["schemas"][&name];
        let properties = schema["properties"].as_object().unwrap();
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let res = api(
            &app,
            &format!("/api/v1/{slug}?limit=50"),
            Some(key.reveal()),
        )
        .await;
        for record in json(&res)["records"].as_array().unwrap() {
            let Some(data) = record["data"].as_object() else {
                continue;
            };
            for field in data.keys() {
                assert!(
                    properties.contains_key(field),
                    "{slug}: {field} is not in {name}"
                );
            }
            for field in &required {
                assert!(data.contains_key(*field), "{slug}: {field} is required");
            }
        }
    }
});

#[actix_web::test]
async fn the_documentation_page_explains_every_data_set_and_problem_offline() {
    let app = TestApp::spawn(crate::common::Backend::Sqlite)
        .await
        .unwrap();
    let page = app.get("/dokumentasi-api").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Dokumentasi API berbagi data");
    page.assert_lacks("apidoc.");
    page.assert_lacks("<script");
    for dataset in Dataset::ALL {
        page.assert_contains(&format!("GET /api/v1/{}", dataset.cli_name()));
    }
    for kind in sibuser::interop::problem::Kind::ALL {
        // Each problem's type URI points at an anchor of this page.
        let uri = kind.uri();
        let anchor = uri.split('#').nth(1).unwrap();
        assert!(uri.starts_with("/dokumentasi-api#"));
        page.assert_contains(&format!("id=\"{anchor}\""));
    }
    for parameter in ["cursor", "updated_since", "limit"] {
        page.assert_contains(&format!("<code>{parameter}</code>"));
    }
}
