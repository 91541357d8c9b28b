//! The pull from the national system (issue 17, item 2) against the reference endpoint:
//! the demo's data pushed comes back equal and changes nothing; national vacancies, JKP
//! recipients and WLKP reports merge once by their external id (then NIK or NIB) and a
//! national vacancy shows in the public search with its source and a link; conflicts wait
//! for the data steward; a bad answer changes nothing.

use std::time::Duration;

use actix_web::http::StatusCode;
use diesel::prelude::*;
use serde_json::json;
use sibuser::db::DbConnection;
use sibuser::national::contract::PullSet;
use sibuser::national::{Link, outbox, pull, pulled};

use crate::common::{TestApp, seed_demo, with_conn};
use crate::national::{
    Sandbox, audit_actions, national_partner, options, push_all, settings, verify,
};

/// Puts national records into the sandbox (each a new version there).
fn put(sandbox: &Sandbox, set: &str, records: serde_json::Value) {
    let res = ureq::post(&format!("{}/sandbox/national/{set}", sandbox.base)).send_json(records);
    assert!(res.is_ok(), "the sandbox took the records: {res:?}");
}

fn pull_all(app: &TestApp, link: &Link) -> pull::PullReport {
    with_conn(app, |c| pull::round(c, link, u64::MAX).unwrap())
}

fn of(report: &pull::PullReport, set: PullSet) -> pull::SetReport {
    report
        .sets
        .iter()
        .find(|(s, _)| *s == set)
        .map(|(_, r)| *r)
        .unwrap_or_default()
}

fn count(c: &mut DbConnection, table: &str) -> i64 {
    use sibuser::schema::*;
    match table {
        "people" => people::table.count().get_result(c).unwrap(),
        "jkp" => jkp_recipients::table.count().get_result(c).unwrap(),
        "wlkp" => wlkp_reports::table.count().get_result(c).unwrap(),
        "national_vacancies" => national_vacancies::table.count().get_result(c).unwrap(),
        _ => unreachable!(),
    }
}

fn counts(app: &TestApp) -> [i64; 4] {
    with_conn(app, |c| {
        ["people", "jkp", "wlkp", "national_vacancies"].map(|t| count(c, t))
    })
}

pub(crate) fn vacancy(title: &str, kbji: &str, closes_in_days: i64) -> serde_json::Value {
    let today = sibuser::domain::calendar::today();
    json!({
        "judul": title,
        "nama_perusahaan": "PT Logistik Nusantara Sumut",
        "kode_kbji": kbji,
        "kode_kelurahan": "12.75.01.1003",
        "kode_kabupaten_kota": "12.75",
        "hubungan_kerja": "pkwt",
        "pendidikan_minimal": 4,
        "upah_minimum": 3_000_000,
        "upah_maksimum": 3_500_000,
        "kuota_bebas": 2,
        "tanggal_buka": (today - chrono::Duration::days(2)).to_string(),
        "tanggal_tutup": (today + chrono::Duration::days(closes_in_days)).to_string(),
        "tautan": "https://karirhub.kemnaker.go.id/lowongan/KH-1",
        "sumber": "karirhub",
    })
}

pub(crate) fn jkp(nik: &str, name: &str, birth: &str) -> serde_json::Value {
    json!({
        "nik": nik,
        "nama": name,
        "tanggal_lahir": birth,
        "kode_kelurahan": "12.75.01.1002",
        "kode_kabupaten_kota": "12.75",
        "pemberi_kerja_terakhir": "PT Tekstil Sumatera Binjai",
        "tanggal_phk": "2026-09-30",
        "alasan_phk": "efficiency",
        "manfaat_mulai": "2026-10-01",
        "manfaat_sampai": "2027-03-31",
    })
}

pub(crate) fn wlkp(nib: &str, name: &str) -> serde_json::Value {
    json!({
        "nib": nib,
        "nama_perusahaan": name,
        "tahun": 2026,
        "jenis_laporan": "annual",
        "tanggal_lapor": "2026-02-10",
        "l_wni_pkwtt": 3, "p_wni_pkwtt": 2,
        "pend_sma": 4, "pend_s1": 1,
        "usia_20_29": 3, "usia_30_44": 2,
        "bpjs_ketenagakerjaan": 5, "bpjs_kesehatan": 5,
        "upah_terendah": 3_000_000,
    })
}

db_test!(the_demo_pushes_and_pulls_back_equal, |app| {
    seed_demo(&app);
    let sandbox = Sandbox::with(options());
    let partner = with_conn(&app, national_partner);
    let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
    crate::feed::settle(&app);
    with_conn(&app, |c| outbox::start_capture(c).unwrap());
    push_all(&app, &link, Duration::from_secs(120));
    let before = counts(&app);

    let report = pull_all(&app, &link);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for (set, held) in [
        (PullSet::Vacancies, sandbox.records("vacancies").len()),
        (PullSet::Jkp, sandbox.records("jkp").len()),
        (PullSet::Wlkp, sandbox.records("wlkp").len()),
    ] {
        let r = of(&report, set);
        assert!(held > 0, "the demo pushed {set:?}");
        assert_eq!(r.own_equal as usize, held, "{set:?} came back equal");
        assert_eq!(
            (r.own_differs, r.merged, r.parked, r.conflicts),
            (0, 0, 0, 0)
        );
    }
    assert_eq!(
        counts(&app),
        before,
        "pulling the portal's own records back made nothing"
    );

    // Pulled again: the cursor stands after what came, so nothing comes twice.
    let again = pull_all(&app, &link);
    assert!(again.sets.iter().all(|(_, r)| r.items == 0), "{again:?}");
    // A change not yet pushed shows as a difference, and is equal once pushed.
    with_conn(&app, |c| {
        use sibuser::schema::vacancies as v;
        let id: i32 = v::table
            .filter(v::status.eq("published"))
            .select(v::id)
            .first(c)
            .unwrap();
        diesel::update(v::table.find(id))
            .set(v::title.eq("Juru Las Berpengalaman"))
            .execute(c)
            .unwrap();
    });
    crate::feed::settle(&app);
    push_all(&app, &link, Duration::from_secs(30));
    let r = of(&pull_all(&app, &link), PullSet::Vacancies);
    assert_eq!((r.items, r.own_equal, r.own_differs), (1, 1, 0));

    let log = verify(&app, &link);
    assert!(log.ok(), "{:?}", log.problems);
    assert!(
        log.received >= 6,
        "every pull answer is in the log: {log:?}"
    );
    assert!(sandbox.counters().pulls >= 6);
});

/// A person of the demo with a birth date, and a head office with a NIB.
fn known_person_and_company(
    c: &mut DbConnection,
) -> ((String, chrono::NaiveDate), (String, String)) {
    use sibuser::schema::{companies as co, people as p};
    let person: (String, Option<chrono::NaiveDate>) = p::table
        .filter(p::birth_date.is_not_null())
        .order(p::id)
        .select((p::nik, p::birth_date))
        .first(c)
        .unwrap();
    let company: (Option<String>, String) = co::table
        .filter(co::nib.is_not_null())
        .filter(co::head_office_id.is_null())
        .order(co::id)
        .select((co::nib, co::name))
        .first(c)
        .unwrap();
    (
        (person.0, person.1.unwrap()),
        (company.0.unwrap(), company.1),
    )
}

db_test!(national_records_merge_once_and_show_in_the_search, |app| {
    seed_demo(&app);
    let sandbox = Sandbox::with(options());
    let partner = with_conn(&app, national_partner);
    let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
    let ((nik, born), (nib, company)) = with_conn(&app, known_person_and_company);
    put(
        &sandbox,
        "vacancies",
        json!([
            { "external_id": "KH-1", "record": vacancy("Pengemudi Ekspedisi Antarkota", "8322", 20) },
            // A KBJI code that is not in KBJI 2014: parked, nothing written.
            { "external_id": "KH-2", "record": vacancy("Operator Mesin Aneh", "9999", 20) },
            // Outside Binjai: parked.
            { "external_id": "KH-3", "record": vacancy("Kasir", "5230", 20)
                .as_object().cloned().map(|mut o| { o.insert("kode_kabupaten_kota".into(), json!("12.71")); o }) },
        ]),
    );
    put(
        &sandbox,
        "jkp",
        json!([
            // A resident the portal knows, with the same birth date: merged into them.
            { "external_id": "JKP-1", "origin": "bpjs", "record": jkp(&nik, "Nama Dari BPJS", &born.to_string()) },
            // Someone new.
            { "external_id": "JKP-2", "origin": "bpjs", "record": jkp("1275016505900002", "Rina Ginting", "1990-05-25") },
        ]),
    );
    put(
        &sandbox,
        "wlkp",
        json!([
            // The NIB of a company here, under its own name written otherwise: the same.
            { "external_id": "W-1", "origin": "wlkp", "record": wlkp(&nib, &format!("{}, PT.", company.to_uppercase().trim_start_matches("PT ").trim_start_matches("PT. "))) },
            // A NIB the portal does not know: kept with its NIB.
            { "external_id": "W-2", "origin": "wlkp", "record": wlkp("9120001777001", "PT Sawit Langkat Makmur") },
        ]),
    );
    let before = counts(&app);
    let report = pull_all(&app, &link);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let v = of(&report, PullSet::Vacancies);
    assert_eq!((v.items, v.merged, v.parked), (3, 1, 2));
    let j = of(&report, PullSet::Jkp);
    assert_eq!((j.items, j.merged, j.conflicts), (2, 2, 0));
    let w = of(&report, PullSet::Wlkp);
    assert_eq!((w.items, w.merged, w.conflicts), (2, 2, 0), "{report:?}");
    let after = counts(&app);
    assert_eq!(
        after[0],
        before[0] + 1,
        "one new person, the known one merged"
    );
    assert_eq!(after[1], before[1] + 2);
    assert_eq!(after[2], before[2] + 2);
    assert_eq!(after[3], 1);
    let linked: Option<i32> = with_conn(&app, |c| {
        use sibuser::schema::wlkp_reports as r;
        r::table
            .filter(r::external_id.eq("W-1"))
            .select(r::company_id)
            .first(c)
            .unwrap()
    });
    assert!(linked.is_some(), "the report is the known company's");

    // The same again, and a new version of the vacancy: nothing twice, the vacancy changed.
    put(
        &sandbox,
        "jkp",
        json!([{ "external_id": "JKP-2", "origin": "bpjs", "record": jkp("1275016505900002", "Rina Ginting", "1990-05-25") }]),
    );
    put(
        &sandbox,
        "vacancies",
        json!([{ "external_id": "KH-1", "record": vacancy("Pengemudi Truk Ekspedisi", "8322", 20) }]),
    );
    let report = pull_all(&app, &link);
    assert_eq!(of(&report, PullSet::Vacancies).merged, 1);
    assert_eq!(
        counts(&app),
        after,
        "a record pulled again is never a second one"
    );

    // In the public search, with its source and a link to the original.
    let page = app.get("/lowongan?q=pengemudi").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Pengemudi Truk Ekspedisi");
    page.assert_contains("Karirhub Kemnaker");
    page.assert_contains(
        r#"href="https://karirhub.kemnaker.go.id/lowongan/KH-1" rel="external noopener""#,
    );
    page.assert_lacks("Pengemudi Ekspedisi Antarkota");
    // Not for a search it does not match.
    let page = app.get("/lowongan?q=perawat").await;
    page.assert_lacks("Pengemudi Truk Ekspedisi");
    let page = app.get("/lowongan?kecamatan=12.75.02").await;
    page.assert_lacks("Pengemudi Truk Ekspedisi");
    let list = app.get("/lowongan/nasional?golongan=8").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("1 lowongan nasional");
    list.assert_contains("Pengemudi Truk Ekspedisi");

    // Withdrawn on the national side: gone from the search.
    put(
        &sandbox,
        "vacancies",
        json!([{ "external_id": "KH-1", "deleted": true }]),
    );
    let report = pull_all(&app, &link);
    assert_eq!(of(&report, PullSet::Vacancies).withdrawn, 1);
    let page = app.get("/lowongan?q=pengemudi").await;
    page.assert_lacks("Pengemudi Truk Ekspedisi");

    // The parked vacancies wait with their reason.
    let (waiting, total) = with_conn(&app, |c| pulled::waiting(c, 0, 10).unwrap());
    assert_eq!(total, 2);
    assert!(waiting.iter().all(|p| p.state == pulled::State::Parked));
    let kh2 = waiting.iter().find(|p| p.external_id == "KH-2").unwrap();
    assert_eq!(
        (kh2.field.as_deref(), kh2.problem.as_deref()),
        (Some("kode_kbji"), Some("national.pull.error.unknown_code"))
    );
    let kh3 = waiting.iter().find(|p| p.external_id == "KH-3").unwrap();
    assert_eq!(
        kh3.problem.as_deref(),
        Some("national.pull.error.not_binjai")
    );
    // Corrected on the national side: merged by itself.
    put(
        &sandbox,
        "vacancies",
        json!([{ "external_id": "KH-2", "record": vacancy("Operator Mesin Jahit", "8153", 20) }]),
    );
    let report = pull_all(&app, &link);
    assert_eq!(of(&report, PullSet::Vacancies).merged, 1);
    assert_eq!(with_conn(&app, |c| pulled::waiting(c, 0, 10).unwrap()).1, 1);
    let log = verify(&app, &link);
    assert!(log.ok(), "{:?}", log.problems);
});

db_test!(conflicts_wait_for_the_data_steward, |app| {
    seed_demo(&app);
    let sandbox = Sandbox::with(options());
    let partner = with_conn(&app, national_partner);
    let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
    let ((nik, born), (nib, company)) = with_conn(&app, known_person_and_company);
    let other_birth = born - chrono::Duration::days(400);
    put(
        &sandbox,
        "jkp",
        json!([{ "external_id": "JKP-9", "origin": "bpjs", "record": jkp(&nik, "Nama Dari BPJS", &other_birth.to_string()) }]),
    );
    put(
        &sandbox,
        "wlkp",
        json!([{ "external_id": "W-9", "origin": "wlkp", "record": wlkp(&nib, "CV Usaha Lain Sama Sekali") }]),
    );
    let before = counts(&app);
    let report = pull_all(&app, &link);
    assert_eq!(of(&report, PullSet::Jkp).conflicts, 1);
    assert_eq!(of(&report, PullSet::Wlkp).conflicts, 1);
    assert_eq!(counts(&app), before, "nothing merged while it waits");

    let steward = crate::common::signed_in(&app, "walidata@sibuser.example").await;
    let page = steward.get("/petugas/sinkronisasi/tarikan").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("NIK yang sama sudah ada di SIBUSER dengan tanggal lahir lain");
    page.assert_contains(&other_birth.to_string());
    page.assert_contains(&born.to_string());
    page.assert_contains("CV Usaha Lain Sama Sekali");
    page.assert_contains(&company);
    assert!(
        audit_actions(&app)
            .iter()
            .any(|(a, _)| a == "national.pulled_viewed"),
        "reading birth dates is audited"
    );
    let (waiting, _) = with_conn(&app, |c| pulled::waiting(c, 0, 10).unwrap());
    let jkp_id = waiting.iter().find(|p| p.set == PullSet::Jkp).unwrap().id;
    let wlkp_id = waiting.iter().find(|p| p.set == PullSet::Wlkp).unwrap().id;

    // No note: the page again with the choice and what was typed, nothing decided.
    let res = steward
        .post(
            &format!("/petugas/sinkronisasi/tarikan/{jkp_id}/putuskan"),
            &[("resolution", "keep_local"), ("note", "ok")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Kesalahan: ");
    res.assert_contains("paling sedikit 5 huruf");
    res.assert_contains(r#"value="ok""#);
    res.assert_contains(&format!(
        r#"id="r-{jkp_id}-keep_local" name="resolution" value="keep_local" required checked"#
    ));
    assert_eq!(counts(&app), before);

    // Ours is right: merged, our birth date kept.
    steward.get("/petugas/sinkronisasi/tarikan").await;
    let res = steward
        .post(
            &format!("/petugas/sinkronisasi/tarikan/{jkp_id}/putuskan"),
            &[
                ("resolution", "keep_local"),
                ("note", "KTP diperiksa di loket"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let person_birth: Option<chrono::NaiveDate> = with_conn(&app, |c| {
        use sibuser::schema::people as p;
        p::table
            .filter(p::nik.eq(&nik))
            .select(p::birth_date)
            .first(c)
            .unwrap()
    });
    assert_eq!(person_birth, Some(born));
    assert_eq!(counts(&app)[1], before[1] + 1, "the JKP record is merged");

    // Not the same company: refused, and stays refused in later versions.
    steward.get("/petugas/sinkronisasi/tarikan").await;
    let res = steward
        .post(
            &format!("/petugas/sinkronisasi/tarikan/{wlkp_id}/putuskan"),
            &[
                ("resolution", "rejected"),
                ("note", "NIB salah ketik di WLKP"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    put(
        &sandbox,
        "wlkp",
        json!([{ "external_id": "W-9", "origin": "wlkp", "record": wlkp(&nib, "CV Usaha Lain Sama Sekali") }]),
    );
    let report = pull_all(&app, &link);
    assert_eq!(of(&report, PullSet::Wlkp).unchanged, 1);
    assert_eq!(counts(&app)[2], before[2]);
    let audit = audit_actions(&app);
    let decided: Vec<_> = audit
        .iter()
        .filter(|(a, _)| a == "national.pulled_resolved")
        .collect();
    assert_eq!(decided.len(), 2);
    assert!(decided[1].1.as_deref().unwrap().contains("NIB salah ketik"));
    // Decided twice: not found.
    steward.get("/petugas/sinkronisasi/tarikan").await;
    let res = steward
        .post(
            &format!("/petugas/sinkronisasi/tarikan/{wlkp_id}/putuskan"),
            &[("resolution", "rejected"), ("note", "Sekali lagi saja")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // The super admin reads, without the forms.
    let admin = crate::common::signed_in(&app, "admin@sibuser.example").await;
    let page = admin.get("/petugas/sinkronisasi/tarikan").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_lacks("/putuskan");
});

db_test!(a_bad_answer_changes_nothing, |app| {
    seed_demo(&app);
    let partner = with_conn(&app, national_partner);
    // Every answer cut in half (still signed).
    let garbled = Sandbox::with(sibuser::national::sandbox::Options {
        malformed_rate: 1.0,
        ..options()
    });
    put(
        &garbled,
        "vacancies",
        json!([{ "external_id": "KH-1", "record": vacancy("Pengemudi", "8322", 20) }]),
    );
    let link = Link::new(&settings(&garbled, partner, &[])).unwrap();
    let report = pull_all(&app, &link);
    assert_eq!(report.errors.len(), PullSet::ALL.len(), "{report:?}");
    assert!(
        report.errors[0].1.contains("malformed"),
        "{:?}",
        report.errors
    );
    assert_eq!(counts(&app)[3], 0);
    let states = with_conn(&app, |c| pulled::states(c).unwrap());
    assert!(states.iter().all(|s| {
        s.last_error
            .as_deref()
            .is_some_and(|e| e.contains("malformed"))
    }));
    assert!(states.iter().all(|s| s.last_success_at.is_none()));

    // Signed by a key the portal does not list: refused, not even logged.
    let impostor = Sandbox::with(sibuser::national::sandbox::Options {
        signing_key: sibuser::config::sync::KeySpec {
            id: "sandbox-1".into(),
            bytes: [99; 32],
        },
        ..options()
    });
    put(
        &impostor,
        "vacancies",
        json!([{ "external_id": "KH-1", "record": vacancy("Pengemudi", "8322", 20) }]),
    );
    let link = Link::new(&settings(&impostor, partner, &[])).unwrap();
    let entries_before = verify(&app, &link).entries;
    let report = pull_all(&app, &link);
    assert!(
        report.errors.iter().all(|(_, e)| e.contains("signature")),
        "{report:?}"
    );
    assert_eq!(counts(&app)[3], 0);
    assert_eq!(
        verify(&app, &link).entries,
        entries_before + PullSet::ALL.len() as u64,
        "only the requests are logged"
    );
    let steward = crate::common::signed_in(&app, "walidata@sibuser.example").await;
    let page = steward.get("/petugas/sinkronisasi/tarikan").await;
    page.assert_contains("the answer&#39;s signature");
});

pub(crate) fn forwarded(
    vacancy: i32,
    email: &str,
    nik: Option<&str>,
    consent: bool,
) -> serde_json::Value {
    let mut record = json!({
        "id_lowongan": vacancy,
        "nama": "Dedi Sembiring",
        "surel": email,
        "telepon": "081260009999",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1999-01-01",
        "kode_kelurahan": "12.75.03.1001",
        "pendidikan": 5,
        "pesan": "Saya berpengalaman dua tahun di gudang.",
    });
    if let Some(nik) = nik {
        record["nik"] = json!(nik);
    }
    if consent {
        record["persetujuan"] = json!("2026-12-01T08:00:00Z");
    }
    record
}

db_test!(
    an_application_forwarded_from_karirhub_reaches_the_employer,
    |app| {
        use sibuser::applications::Stage;
        use sibuser::applications::model::{Move, find, move_to};
        seed_demo(&app);
        let sandbox = Sandbox::with(options());
        let partner = with_conn(&app, national_partner);
        let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
        let today = sibuser::domain::calendar::today();
        // An open vacancy with a place left, and a login of its company.
        let (vacancy, employer, employer_email): (i32, i32, String) = with_conn(&app, |c| {
            use sibuser::schema::{users as u, vacancies as v};
            v::table
                .inner_join(u::table.on(u::company_id.eq(v::company_id.nullable())))
                .filter(v::status.eq("published"))
                .filter(v::closes_on.ge(today))
                .filter(
                    (v::filled_male + v::filled_female)
                        .lt(v::quota_male + v::quota_female + v::quota_any),
                )
                .order(v::id)
                .select((v::id, u::id, u::email.assume_not_null()))
                .first(c)
                .unwrap()
        });
        let users_before: i64 = with_conn(&app, |c| {
            sibuser::schema::users::table.count().get_result(c).unwrap()
        });
        put(
            &sandbox,
            "applications",
            json!([
                { "external_id": "KHA-1", "record": forwarded(vacancy, "dedi.sembiring@contoh.id", Some("1275030101990007"), true) },
                // No consent to forward it: parked, nobody made.
                { "external_id": "KHA-2", "record": forwarded(vacancy, "tanpa.izin@contoh.id", None, false) },
                // A vacancy the portal does not have.
                { "external_id": "KHA-3", "record": forwarded(999_999, "salah.lowongan@contoh.id", None, true) },
                // The e-mail of a staff account: not a job seeker to take over.
                { "external_id": "KHA-4", "record": forwarded(vacancy, "walidata@sibuser.example", None, true) },
            ]),
        );
        let report = pull_all(&app, &link);
        let r = of(&report, PullSet::Applications);
        assert_eq!((r.items, r.merged, r.parked), (4, 1, 3), "{report:?}");
        let users_after: i64 = with_conn(&app, |c| {
            sibuser::schema::users::table.count().get_result(c).unwrap()
        });
        assert_eq!(
            users_after,
            users_before + 1,
            "one account, for the consenting resident"
        );
        let (waiting, _) = with_conn(&app, |c| pulled::waiting(c, 0, 10).unwrap());
        let problem = |id: &str| {
            waiting
                .iter()
                .find(|p| p.external_id == id)
                .and_then(|p| p.problem.clone())
        };
        assert_eq!(
            problem("KHA-2").as_deref(),
            Some("national.pull.error.no_consent")
        );
        assert_eq!(
            problem("KHA-3").as_deref(),
            Some("national.pull.error.unknown_vacancy")
        );
        assert_eq!(
            problem("KHA-4").as_deref(),
            Some("national.pull.error.email_not_seeker")
        );

        // Forwarded again (a new version on the national side): still one application.
        put(
            &sandbox,
            "applications",
            json!([{ "external_id": "KHA-1", "record": forwarded(vacancy, "dedi.sembiring@contoh.id", Some("1275030101990007"), true) }]),
        );
        pull_all(&app, &link);
        let ids: Vec<(i32, String)> = with_conn(&app, |c| {
            use sibuser::schema::applications as a;
            a::table
                .filter(a::external_id.eq("KHA-1"))
                .select((a::id, a::channel))
                .load(c)
                .unwrap()
        });
        assert_eq!(ids.len(), 1);
        assert_eq!(ids[0].1, "karirhub");

        // In the employer's pipeline, marked by its channel.
        let company = crate::common::signed_in(&app, &employer_email).await;
        let page = company
            .get(&format!("/perusahaan/lowongan/{vacancy}/pelamar"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Dedi Sembiring");
        page.assert_contains("Karirhub (diteruskan dari SIAPkerja)");

        // Taken on: the placement counts in the statistics under its channel.
        let placement_channel: Option<String> = with_conn(&app, |c| {
            let application = find(c, sibuser::domain::ids::ApplicationId::new(ids[0].0))
                .unwrap()
                .unwrap();
            move_to(
                c,
                &application,
                &Move {
                    to: Stage::Accepted,
                    note: None,
                    actor: sibuser::domain::ids::UserId::new(employer),
                    start_date: today,
                    now: chrono::Utc::now().naive_utc(),
                    base_url: "http://127.0.0.1",
                },
            )
            .unwrap();
            use sibuser::schema::{ipk_facts as f, placements as p};
            let placement: i32 = p::table
                .filter(p::application_id.eq(ids[0].0))
                .select(p::id)
                .first(c)
                .unwrap();
            f::table
                .filter(f::subject.eq(format!("placement:{placement}")))
                .select(f::channel)
                .first(c)
                .unwrap()
        });
        assert_eq!(placement_channel.as_deref(), Some("karirhub"));
    }
);
