//! Partners and their API keys (issue 16, item 2) as the data steward and the API meet
//! them: a key works until its last day, and revocation, a deactivated partner or a
//! revoked grant each end it with its own refusal; a key never reaches beyond the
//! partner's grants; the full key is shown once and kept nowhere; bad input is refused
//! with a reason.

use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use sibuser::domain::calendar;
use sibuser::domain::ids::UserId;
use sibuser::schema::{api_keys, audit_log};
use sibuser::sharing::keys::{self, IssueError, KeyRequest, Refusal};
use sibuser::sharing::partners::{self, Actor, PartnerForm};
use sibuser::sharing::{Dataset, Masking, PartnerId};
use sibuser::web::i18n::{Lang, has_translation};
use sibuser::web::respond::RequestMeta;

use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};

const STEWARD: &str = "walidata@sibuser.example";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).unwrap()
}

fn meta() -> RequestMeta {
    RequestMeta {
        address: "127.0.0.1".into(),
        request_id: None,
    }
}

fn form(name: &str, kind: &str, email: &str) -> PartnerForm {
    PartnerForm {
        name: name.into(),
        kind: kind.into(),
        legal_basis: "PKS Kemnaker–Pemkot Binjai 2025, Pasal 6".into(),
        contact_name: "Budi Santoso".into(),
        contact_email: email.into(),
    }
}

/// A partner with grants, added as the data steward.
fn partner(app: &TestApp, grants: &[(Dataset, Masking)]) -> (PartnerId, UserId) {
    let user = UserId::new(user_id(app, STEWARD));
    let meta = meta();
    let by = Actor { user, meta: &meta };
    let new = form(
        "Kementerian Ketenagakerjaan (uji)",
        "ministry",
        "data@kemnaker.go.id",
    )
    .check()
    .unwrap();
    let id = with_conn(app, |c| {
        let id = partners::add(c, &new, &by, at(today(), 1, 0)).unwrap();
        for (d, m) in grants {
            partners::grant(c, id, *d, *m, &by, at(today(), 1, 0)).unwrap();
        }
        id
    });
    (id, user)
}

fn issue(
    app: &TestApp,
    partner: PartnerId,
    user: UserId,
    datasets: &[Dataset],
    expires_on: NaiveDate,
) -> Result<keys::IssuedKey, IssueError> {
    let meta = meta();
    let by = Actor { user, meta: &meta };
    let request = KeyRequest {
        label: "Integrasi SIAPkerja".into(),
        expires_on,
        datasets: datasets.to_vec(),
    };
    with_conn(app, |c| {
        keys::issue(c, partner, &request, &by, today(), at(today(), 2, 0)).unwrap()
    })
}

fn authenticate(
    app: &TestApp,
    key: &str,
    day: NaiveDate,
    now: NaiveDateTime,
) -> Result<keys::Caller, Refusal> {
    with_conn(app, |c| keys::authenticate(c, key, day, now).unwrap())
}

db_test!(a_key_works_through_its_last_day_with_its_scopes, |app| {
    seed_demo(&app);
    let (id, user) = partner(
        &app,
        &[
            (Dataset::JobSeekers, Masking::Masked),
            (Dataset::Jkp, Masking::Unmasked),
        ],
    );
    let last_day = today() + Days::new(30);
    let key = issue(
        &app,
        id,
        user,
        &[Dataset::JobSeekers, Dataset::Jkp],
        last_day,
    )
    .unwrap();
    let caller = authenticate(&app, key.reveal(), last_day, at(last_day, 3, 0)).unwrap();
    assert_eq!(caller.partner_id, id);
    assert_eq!(caller.key_id, key.id);
    assert_eq!(caller.partner_name, "Kementerian Ketenagakerjaan (uji)");
    assert_eq!(
        caller.masking_for(Dataset::JobSeekers),
        Some(Masking::Masked)
    );
    assert_eq!(caller.masking_for(Dataset::Jkp), Some(Masking::Unmasked));
    assert_eq!(caller.masking_for(Dataset::Vacancies), None);
    let next_day = last_day + Days::new(1);
    assert_eq!(
        authenticate(&app, key.reveal(), next_day, at(next_day, 3, 0)),
        Err(Refusal::Expired)
    );
});

db_test!(revocation_and_deactivation_end_a_key, |app| {
    seed_demo(&app);
    let (id, user) = partner(&app, &[(Dataset::Vacancies, Masking::Masked)]);
    let expiry = today() + Days::new(90);
    let first = issue(&app, id, user, &[Dataset::Vacancies], expiry).unwrap();
    let second = issue(&app, id, user, &[Dataset::Vacancies], expiry).unwrap();
    let meta = meta();
    let by = Actor { user, meta: &meta };
    let now = at(today(), 4, 0);
    assert!(with_conn(&app, |c| keys::revoke(c, id, first.id, &by, now)).unwrap());
    assert_eq!(
        authenticate(&app, first.reveal(), today(), now),
        Err(Refusal::Revoked)
    );
    assert!(authenticate(&app, second.reveal(), today(), now).is_ok());

    assert!(with_conn(&app, |c| partners::set_active(c, id, false, &by)).unwrap());
    assert_eq!(
        authenticate(&app, second.reveal(), today(), now),
        Err(Refusal::PartnerInactive)
    );
    assert!(with_conn(&app, |c| partners::set_active(c, id, true, &by)).unwrap());
    assert!(authenticate(&app, second.reveal(), today(), now).is_ok());
});

db_test!(a_revoked_grant_ends_that_data_set_at_once, |app| {
    seed_demo(&app);
    let (id, user) = partner(
        &app,
        &[
            (Dataset::Vacancies, Masking::Masked),
            (Dataset::Placements, Masking::Unmasked),
        ],
    );
    let key = issue(
        &app,
        id,
        user,
        &[Dataset::Vacancies, Dataset::Placements],
        today() + Days::new(10),
    )
    .unwrap();
    let meta = meta();
    let by = Actor { user, meta: &meta };
    let now = at(today(), 5, 0);
    with_conn(&app, |c| {
        assert!(partners::revoke_grant(c, id, Dataset::Vacancies, &by).unwrap());
        // Narrowing a grant narrows the key with it.
        partners::grant(c, id, Dataset::Placements, Masking::Masked, &by, now).unwrap();
    });
    let caller = authenticate(&app, key.reveal(), today(), now).unwrap();
    assert_eq!(caller.scopes, vec![(Dataset::Placements, Masking::Masked)]);
    assert_eq!(caller.masking_for(Dataset::Vacancies), None);
});

/// Counts the queries a connection runs.
#[derive(Clone, Default)]
struct Counter(Arc<Mutex<usize>>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            *self.0.lock().unwrap() += 1;
        }
    }
}

db_test!(bad_keys_are_refused_with_at_most_one_lookup, |app| {
    seed_demo(&app);
    let (id, user) = partner(&app, &[(Dataset::Vacancies, Masking::Masked)]);
    let key = issue(
        &app,
        id,
        user,
        &[Dataset::Vacancies],
        today() + Days::new(10),
    )
    .unwrap();
    let real = key.reveal().to_owned();
    let wrong_secret = format!(
        "{}{}",
        &real[..real.len() - 1],
        if real.ends_with('0') { '1' } else { '0' }
    );
    let unknown_prefix = format!("sibuser_ffffffff_{}", &real[17..]);
    let cases: [(&str, Refusal, usize); 6] = [
        ("", Refusal::Malformed, 0),
        ("Bearer nonsense", Refusal::Malformed, 0),
        (&real[..real.len() - 1], Refusal::Malformed, 0),
        (&real.to_uppercase(), Refusal::Malformed, 0),
        (&wrong_secret, Refusal::Unknown, 1),
        (&unknown_prefix, Refusal::Unknown, 1),
    ];
    for (presented, refusal, queries) in cases {
        let counter = Counter::default();
        let mut conn = app.conn();
        conn.set_instrumentation(counter.clone());
        let got = keys::authenticate(&mut conn, presented, today(), at(today(), 6, 0)).unwrap();
        assert_eq!(got, Err(refusal), "{presented}");
        assert_eq!(*counter.0.lock().unwrap(), queries, "{presented}");
    }
});

db_test!(last_use_is_written_at_most_once_a_minute, |app| {
    seed_demo(&app);
    let (id, user) = partner(&app, &[(Dataset::Vacancies, Masking::Masked)]);
    let key = issue(
        &app,
        id,
        user,
        &[Dataset::Vacancies],
        today() + Days::new(10),
    )
    .unwrap();
    let last_used = |app: &TestApp| {
        with_conn(app, |c| {
            api_keys::table
                .find(key.id)
                .select(api_keys::last_used_at)
                .first::<Option<NaiveDateTime>>(c)
                .unwrap()
        })
    };
    assert_eq!(last_used(&app), None);
    let first = at(today(), 7, 0);
    authenticate(&app, key.reveal(), today(), first).unwrap();
    assert_eq!(last_used(&app), Some(first));
    authenticate(
        &app,
        key.reveal(),
        today(),
        at(today(), 7, 0) + chrono::Duration::seconds(59),
    )
    .unwrap();
    assert_eq!(last_used(&app), Some(first));
    authenticate(&app, key.reveal(), today(), at(today(), 7, 1)).unwrap();
    assert_eq!(last_used(&app), Some(at(today(), 7, 1)));
});

db_test!(a_key_cannot_reach_beyond_the_grants, |app| {
    seed_demo(&app);
    let (id, user) = partner(&app, &[(Dataset::Vacancies, Masking::Masked)]);
    let ok = today() + Days::new(10);
    assert_eq!(
        issue(
            &app,
            id,
            user,
            &[Dataset::Vacancies, Dataset::JobSeekers],
            ok
        )
        .err(),
        Some(IssueError::NotGranted(Dataset::JobSeekers))
    );
    assert_eq!(
        issue(&app, id, user, &[], ok).err(),
        Some(IssueError::NoDataset)
    );
    assert_eq!(
        issue(
            &app,
            id,
            user,
            &[Dataset::Vacancies],
            today() - Days::new(1)
        )
        .err(),
        Some(IssueError::ExpiryPast)
    );
    assert_eq!(
        issue(
            &app,
            id,
            user,
            &[Dataset::Vacancies],
            today() + Days::new(800)
        )
        .err(),
        Some(IssueError::ExpiryTooFar)
    );
    let refused = with_conn(&app, |c| {
        api_keys::table
            .filter(api_keys::partner_id.eq(id))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    });
    assert_eq!(refused, 0, "a refused key is not stored");
    for message in [
        IssueError::NotGranted(Dataset::JobSeekers).message_key(),
        IssueError::ExpiryTooFar.message_key(),
    ] {
        for lang in [Lang::Id, Lang::En] {
            assert!(has_translation(lang, message), "{message}");
        }
    }
});

db_test!(the_full_key_is_kept_nowhere, |app| {
    seed_demo(&app);
    let (id, user) = partner(&app, &[(Dataset::Jkp, Masking::Unmasked)]);
    let key = issue(&app, id, user, &[Dataset::Jkp], today() + Days::new(10)).unwrap();
    let secret = key.reveal().rsplit('_').next().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    let (stored, details): (Vec<String>, Vec<Option<String>>) = with_conn(&app, |c| {
        (
            api_keys::table
                .select(api_keys::secret_sha256)
                .load(c)
                .unwrap(),
            audit_log::table.select(audit_log::detail).load(c).unwrap(),
        )
    });
    assert!(stored.iter().all(|s| !s.contains(&secret)));
    assert!(details.iter().flatten().all(|d| !d.contains(&secret)));
    assert!(
        details.iter().flatten().any(|d| d.contains(&key.prefix)),
        "the issue is in the log by its prefix"
    );
    let listed = with_conn(&app, |c| keys::list(c, id).unwrap());
    assert_eq!(listed.len(), 1);
    assert!(!listed[0].shown().contains(&secret));
    assert_eq!(listed[0].scopes, vec![(Dataset::Jkp, Masking::Unmasked)]);
});

db_test!(bad_partner_input_is_refused_field_by_field, |app| {
    let bad = form("  ", "embassy", "not-an-address");
    let errors = bad.check().unwrap_err();
    let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, ["name", "kind", "contact_email"]);
    assert_eq!(
        bad.contact_email, "not-an-address",
        "what was typed is kept"
    );
    let good = form(
        " BPJS Ketenagakerjaan Cabang Binjai ",
        "bpjs",
        "Data@BPJS.example",
    );
    let checked = good.check().unwrap();
    assert_eq!(checked.name, "BPJS Ketenagakerjaan Cabang Binjai");
    assert_eq!(checked.contact_email.as_str(), "data@bpjs.example");
    seed_demo(&app);
    let listed = with_conn(&app, |c| partners::list(c, today()).unwrap());
    assert!(
        listed
            .iter()
            .all(|p| p.partner.active || !p.grants.is_empty() || p.active_keys == 0)
    );
});

db_test!(only_the_data_steward_changes_partners, |app| {
    seed_demo(&app);
    let id = with_conn(&app, |c| partners::list(c, today()).unwrap())[0]
        .partner
        .id;
    let page = format!("/petugas/mitra/{id}");
    let posts = [
        "/petugas/mitra".to_owned(),
        page.clone(),
        format!("{page}/status"),
        format!("{page}/hak"),
        format!("{page}/hak/hapus"),
        format!("{page}/kunci"),
        format!("{page}/kunci/1/cabut"),
    ];
    for who in [
        "operator@sibuser.example",
        "verifikator@sibuser.example",
        "pencaker@sibuser.example",
    ] {
        let browser = signed_in(&app, who).await;
        for path in ["/petugas/mitra", page.as_str()] {
            assert_eq!(
                browser.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
        for path in &posts {
            let res = browser.post(path, &[("data", "vacancies")]).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}");
        }
    }
    // The super admin reads, with no form to change anything.
    let admin = signed_in(&app, "admin@sibuser.example").await;
    let list = admin.get("/petugas/mitra").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("BPJS Ketenagakerjaan Cabang Binjai");
    list.assert_lacks("action=\"/petugas/mitra\"");
    let shown = admin.get(&page).await;
    assert_eq!(shown.status, StatusCode::OK);
    shown.assert_lacks("/kunci\"");
    assert_eq!(
        admin
            .post(&format!("{page}/kunci"), &[("label", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
});

db_test!(a_refused_partner_form_keeps_what_was_typed, |app| {
    seed_demo(&app);
    let steward = signed_in(&app, STEWARD).await;
    let res = steward
        .submit(
            "/petugas/mitra",
            "/petugas/mitra",
            &[
                ("name", ""),
                ("kind", "embassy"),
                ("legal_basis", "Nota Kesepahaman 2026, Pasal 3"),
                ("contact_name", "Rina Marpaung"),
                ("contact_email", "rina@@contoh"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Nota Kesepahaman 2026, Pasal 3");
    res.assert_contains("Rina Marpaung");
    res.assert_contains("rina@@contoh");
    res.assert_contains("Wajib diisi.");
    res.assert_contains("Alamat e-mail tidak valid.");
    res.assert_contains("Pilih jenis mitra dari daftar.");
    let added = steward
        .submit(
            "/petugas/mitra",
            "/petugas/mitra",
            &[
                ("name", "Bappeda Kota Binjai"),
                ("kind", "other"),
                ("legal_basis", "Perwal Satu Data 2024, Pasal 9"),
                ("contact_name", "Rina Marpaung"),
                ("contact_email", "rina@bappeda.example"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    steward
        .get("/petugas/mitra")
        .await
        .assert_contains("Bappeda Kota Binjai");
});

db_test!(a_new_key_is_shown_once_on_the_page, |app| {
    seed_demo(&app);
    let id = with_conn(&app, |c| partners::list(c, today()).unwrap())
        .into_iter()
        .find(|p| p.partner.name.starts_with("Kementerian"))
        .unwrap()
        .partner
        .id;
    let page = format!("/petugas/mitra/{id}");
    let steward = signed_in(&app, STEWARD).await;
    let expiry = (calendar::today() + Days::new(365)).to_string();
    // Out of the grants: refused with a message, nothing issued.
    let refused = steward
        .submit(
            &page,
            &format!("{page}/kunci"),
            &[
                ("label", "SIAPkerja"),
                ("expires_on", &expiry),
                ("data", "jkp"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("tidak berhak menerima");
    refused.assert_lacks("sibuser_");
    let issued = steward
        .submit(
            &page,
            &format!("{page}/kunci"),
            &[
                ("label", "SIAPkerja"),
                ("expires_on", &expiry),
                ("data", "job_seekers"),
                ("data", "vacancies"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert_eq!(issued.header("cache-control"), Some("no-store"));
    issued.assert_contains("tidak akan ditampilkan lagi");
    let start = issued.body.find("sibuser_").expect("the key on the page");
    let key: String = issued.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert_eq!(key.len(), "sibuser_".len() + 8 + 1 + 64, "{key}");
    let caller = authenticate(&app, &key, calendar::today(), at(calendar::today(), 8, 0)).unwrap();
    assert_eq!(
        caller.masking_for(Dataset::Vacancies),
        Some(Masking::Masked)
    );
    let later = steward.get(&page).await;
    later.assert_lacks(&key);
    later.assert_contains(&key[..17]);
    let log = with_conn(&app, |c| {
        audit_log::table
            .select(audit_log::detail)
            .load::<Option<String>>(c)
            .unwrap()
    });
    assert!(log.iter().flatten().all(|d| !d.contains(&key[17..])));
    // Revoked from the page, it stops working at once.
    let listed = with_conn(&app, |c| keys::list(c, id).unwrap());
    let res = steward
        .post(&format!("{page}/kunci/{}/cabut", listed[0].id), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        authenticate(&app, &key, calendar::today(), at(calendar::today(), 8, 5)),
        Err(Refusal::Revoked)
    );
});

db_test!(
    a_partner_is_changed_with_what_was_typed_kept_on_refusal,
    |app| {
        seed_demo(&app);
        let id = with_conn(&app, |c| partners::list(c, today()).unwrap())[0]
            .partner
            .id;
        let page = format!("/petugas/mitra/{id}");
        let steward = signed_in(&app, STEWARD).await;
        let fields = |email: &'static str| {
            [
                ("name", "Kementerian Ketenagakerjaan RI"),
                ("kind", "ministry"),
                ("legal_basis", "PKS Kemnaker–Pemkot Binjai 2026, Pasal 7"),
                ("contact_name", "Pusdatinaker"),
                ("contact_email", email),
            ]
        };
        let refused = steward.submit(&page, &page, &fields("bukan-email")).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        refused.assert_contains("PKS Kemnaker–Pemkot Binjai 2026, Pasal 7");
        refused.assert_contains("bukan-email");
        refused.assert_contains("Alamat e-mail tidak valid.");
        let changed = steward
            .submit(&page, &page, &fields("data@kemnaker.example"))
            .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        steward
            .get(&page)
            .await
            .assert_contains("PKS Kemnaker–Pemkot Binjai 2026, Pasal 7");
        let entries = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq(sibuser::audit::actions::PARTNER_CHANGED))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        });
        assert_eq!(entries, 1);
    }
);
