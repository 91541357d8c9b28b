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

fn vacancy(title: &str, kbji: &str, closes_in_days: i64) -> serde_json::Value {
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

fn jkp(nik: &str, name: &str, birth: &str) -> serde_json::Value {
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

fn wlkp(nib: &str, name: &str) -> serde_json::Value {
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
