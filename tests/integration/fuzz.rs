//! Issue 19, item 7: fuzzing the parsers of what comes from outside. proptest generates
//! query strings for the pages that take filters, values for every field of the forms
//! people fill in, and bytes for the import reader; each case must be answered, never
//! with a 500 and never by a panic. The runs are seeded (`SIBUSER_FUZZ_SEED`, default 19)
//! and sized by `SIBUSER_FUZZ_CASES` (default 48 per page or form), so a failure repeats
//! and a longer hunt is one variable away.

use actix_web::rt::{System, SystemRunner};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use crate::common::browser::Browser;
use crate::common::{Backend, TestApp, seed_demo, signed_in};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(cases: u32) -> TestRunner {
    let seed = env_number("SIBUSER_FUZZ_SEED", 19);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases: env_number("SIBUSER_FUZZ_CASES", u64::from(cases)) as u32,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// A value as people, scripts and attackers type them: text in any script with control
/// and direction marks, numbers near the edges, dates, codes, very long runs, nothing.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\PC{0,40}",
        2 => any::<String>().prop_map(|s| s.chars().take(60).collect()),
        2 => any::<i64>().prop_map(|n| n.to_string()),
        1 => "-?[0-9]{1,40}",
        1 => "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
        1 => "[0-9]{2}\\.[0-9]{2}(\\.[0-9]{2}(\\.[0-9]{4})?)?",
        1 => "(true|false|on|1|0|ya|tidak|null|NaN|-inf|1e999)",
        1 => (1usize..20_000).prop_map(|n| "x".repeat(n)),
        1 => "[\u{0}-\u{1f}\u{202e}\u{200b}\u{feff}'\"<>&%;]{0,12}",
        1 => Just(String::new()),
    ]
}

/// A query string: the page's own parameter names (and some others), each any value, some
/// repeated, sometimes with broken percent-escapes or separators appended.
fn query(names: &'static [&'static str]) -> impl Strategy<Value = String> {
    let name = prop_oneof![
        6 => proptest::sample::select(names).prop_map(str::to_owned),
        1 => "[a-z_\\[\\]]{1,12}",
    ];
    (
        proptest::collection::vec((name, value()), 0..8),
        prop_oneof![
            6 => Just(String::new()),
            1 => "(%|%Z|%zz|%C3|&&|==|=&=|\\+|;|#)+",
        ],
    )
        .prop_map(|(pairs, junk)| {
            let mut qs = serde_urlencoded::to_string(pairs).unwrap_or_default();
            qs.push_str(&junk);
            qs
        })
}

/// Every parameter the pages below read (src/search/query.rs, the staff filters).
const PARAMS: &[&str] = &[
    "q",
    "kecamatan",
    "kelurahan",
    "pendidikan",
    "jenis",
    "golongan",
    "upah",
    "sejak",
    "urut",
    "disabilitas",
    "halaman",
    "page",
    "kejuruan",
    "biaya",
    "mode",
    "lembaga",
    "tahun",
    "bulan",
    "dari",
    "sampai",
    "status",
    "dataset",
    "format",
    "set",
    "aksi",
    "pelaku",
    "tanggal",
    "peran",
    "kbji",
    "kbli",
    "next",
    "code",
    "state",
    "nomor",
    "kode",
    "per",
    "tampil",
    "bidang",
];

/// A portal with the demo loaded, or none when the backend is not configured.
fn demo_app(sys: &SystemRunner, backend: Backend) -> Option<TestApp> {
    let app = sys.block_on(TestApp::spawn(backend))?;
    seed_demo(&app);
    Some(app)
}

fn check_pages(
    sys: &SystemRunner,
    browser: &Browser<'_>,
    paths: &[&'static str],
    backend: Backend,
) -> Result<(), String> {
    let mut runner = runner(48);
    for path in paths {
        runner
            .run(&query(PARAMS), |qs| {
                let target = format!("{path}?{qs}");
                let res = sys.block_on(browser.get(&target));
                prop_assert!(
                    res.status.as_u16() < 500,
                    "{backend:?} GET {target}: {}",
                    res.status
                );
                Ok(())
            })
            .map_err(|e| format!("{e}"))?;
    }
    Ok(())
}

#[test]
fn query_strings_never_fail_a_page() {
    let sys = System::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = demo_app(&sys, backend) else {
            continue;
        };
        let anonymous = Browser::new(&app);
        let public = [
            "/lowongan",
            "/lowongan/nasional",
            "/lowongan/feed.xml",
            "/pelatihan",
            "/ak1/cek",
            "/data-terbuka",
            "/masuk",
            "/masuk/sso/kembali",
            "/daftar/periksa-surel",
        ];
        check_pages(&sys, &anonymous, &public, backend).unwrap_or_else(|e| panic!("{e}"));
        let staff: [(&str, &[&'static str]); 4] = [
            (
                "walidata@sibuser.example",
                &[
                    "/petugas/statistik",
                    "/petugas/dasbor",
                    "/petugas/ekspor",
                    "/petugas/sinkronisasi",
                    "/petugas/sinkronisasi/tarikan",
                    "/petugas/mitra/log",
                    "/petugas/impor",
                    "/petugas/jkp",
                ],
            ),
            (
                "admin@sibuser.example",
                &["/admin/audit", "/admin/pengguna", "/admin/surel"],
            ),
            (
                "operator@sibuser.example",
                &["/petugas/pencaker", "/petugas/pelatihan/hasil"],
            ),
            (
                "verifikator@sibuser.example",
                &[
                    "/petugas/verifikasi/lowongan",
                    "/petugas/verifikasi/perusahaan",
                    "/petugas/wlkp",
                    "/petugas/wlkp/terlambat",
                ],
            ),
        ];
        for (email, paths) in staff {
            let browser = sys.block_on(signed_in(&app, email));
            check_pages(&sys, &browser, paths, backend).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// The forms of a page: each one's action and the names of its fields (the CSRF token
/// apart: the browser sends it).
fn forms_in(html: &str) -> Vec<(String, Vec<String>)> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let marker = format!("{name}=\"");
        let start = tag.find(&marker)? + marker.len();
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].replace("&amp;", "&"))
    };
    let mut forms = Vec::new();
    for part in html.split("<form").skip(1) {
        let Some(end) = part.find("</form>") else {
            continue;
        };
        let form = &part[..end];
        let Some(action) = attribute(&form[..form.find('>').unwrap_or(0)], "action") else {
            continue;
        };
        let mut names: Vec<String> = form
            .split('<')
            .filter(|t| {
                t.starts_with("input") || t.starts_with("select") || t.starts_with("textarea")
            })
            .filter_map(|t| attribute(t, "name"))
            .filter(|n| n != "csrf_token")
            .collect();
        names.sort();
        names.dedup();
        if !names.is_empty() {
            forms.push((action, names));
        }
    }
    forms
}

/// Fills every field of every form on `page` with fuzzed values (some left out, some
/// sent twice) and posts it.
fn check_forms(
    sys: &SystemRunner,
    browser: &Browser<'_>,
    page: &str,
    backend: Backend,
) -> Result<usize, String> {
    let html = sys.block_on(browser.get(page)).body;
    let forms = forms_in(&html);
    if forms.is_empty() {
        return Err(format!("{backend:?}: no form on {page}"));
    }
    let mut runner = runner(48);
    // What the fuzzed posts got, printed: a run answered only 403 (a lost token) tests nothing.
    let statuses = std::cell::RefCell::new(std::collections::BTreeMap::<u16, usize>::new());
    for (action, names) in &forms {
        // Mostly as a browser sends a form, every field once; now and then one left out or
        // sent twice, as only a script would.
        let fields = (
            proptest::collection::vec(
                (
                    proptest::option::weighted(0.9, value()),
                    proptest::bool::weighted(0.1),
                ),
                names.len(),
            ),
            proptest::bool::weighted(0.8),
        )
            .prop_map(|(mut values, as_a_browser)| {
                if as_a_browser {
                    for (value, twice) in &mut values {
                        *twice = false;
                        value.get_or_insert_with(String::new);
                    }
                }
                values
            });
        runner
            .run(&fields, |values| {
                // The page again first: the form's token, as a person's browser has it.
                sys.block_on(browser.get(page));
                let mut sent: Vec<(String, String)> = Vec::new();
                for (name, (value, twice)) in names.iter().zip(&values) {
                    if let Some(value) = value {
                        sent.push((name.clone(), value.clone()));
                        if *twice {
                            sent.push((name.clone(), value.chars().rev().collect()));
                        }
                    }
                }
                let fields: Vec<(&str, &str)> =
                    sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let res = sys.block_on(browser.post(action, &fields));
                *statuses
                    .borrow_mut()
                    .entry(res.status.as_u16())
                    .or_default() += 1;
                if res.status.as_u16() >= 500 {
                    return Err(TestCaseError::fail(format!(
                        "{backend:?} POST {action} (from {page}) {sent:?}: {}",
                        res.status
                    )));
                }
                Ok(())
            })
            .map_err(|e| format!("{e}"))?;
    }
    let statuses = statuses.into_inner();
    eprintln!("fuzz {backend:?} {page}: {statuses:?}");
    if statuses.keys().all(|s| *s == 403) {
        return Err(format!(
            "{backend:?} {page}: every fuzzed post was refused as forged"
        ));
    }
    Ok(forms.len())
}

#[test]
fn fuzzed_forms_never_fail() {
    let sys = System::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = demo_app(&sys, backend) else {
            continue;
        };
        let anonymous = Browser::new(&app);
        for page in ["/daftar", "/daftar/perusahaan", "/lupa-sandi"] {
            check_forms(&sys, &anonymous, page, backend).unwrap_or_else(|e| panic!("{e}"));
        }
        let people: [(&str, &[&str]); 5] = [
            (
                "pencaker@sibuser.example",
                &[
                    "/pencaker/profil/data-diri",
                    "/pencaker/profil/alamat-kontak",
                    "/pencaker/profil/pendidikan-pekerjaan",
                ],
            ),
            (
                "perusahaan@sibuser.example",
                &[
                    "/perusahaan/lowongan/baru",
                    "/perusahaan/profil",
                    "/perusahaan/wlkp/baru",
                    "/akun",
                ],
            ),
            ("operator@sibuser.example", &["/petugas/pencaker/baru"]),
            ("walidata@sibuser.example", &["/petugas/ekspor"]),
            ("lembaga@sibuser.example", &["/lembaga/program/baru"]),
        ];
        let mut tried = 0;
        for (email, pages) in people {
            let browser = sys.block_on(signed_in(&app, email));
            for page in pages {
                tried +=
                    check_forms(&sys, &browser, page, backend).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        eprintln!("fuzz on {backend:?}: {tried} signed-in forms");
    }
}

/// Bytes for the import reader: anything, or a CSV or an XLSX (zip) start with noise.
fn import_file() -> impl Strategy<Value = Vec<u8>> {
    let csv_line = proptest::collection::vec("[^\n]{0,30}", 1..8)
        .prop_map(|cells| cells.join(if cells.len() % 2 == 0 { ";" } else { "," }));
    prop_oneof![
        3 => proptest::collection::vec(any::<u8>(), 0..2048),
        3 => proptest::collection::vec(csv_line, 0..30).prop_map(|lines| {
            let mut text = String::from("nik,nama,tanggal_lahir,jenis_kelamin,pendidikan\n");
            text.push_str(&lines.join("\r\n"));
            text.into_bytes()
        }),
        2 => proptest::collection::vec(any::<u8>(), 0..4096).prop_map(|rest| {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(rest);
            bytes
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..256).prop_map(|rest| {
            let mut bytes = vec![0xef, 0xbb, 0xbf];
            bytes.extend(rest);
            bytes
        }),
    ]
}

#[test]
fn the_import_reader_survives_any_file() {
    let mut runner = runner(2_000);
    runner
        .run(&import_file(), |bytes| {
            if let Ok(table) = sibuser::import::reader::Table::open(bytes) {
                for row in table.take(10_000) {
                    drop(row);
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Any JSON value, for a field of a national record.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    prop_oneof![
        4 => value().prop_map(Value::String),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(json!([1, "dua", null])),
        1 => Just(json!({ "nested": { "deeper": [] } })),
    ]
}

/// A national record of one of the pulled sets: a good one with some fields replaced by
/// anything, taken out, or joined by fields nobody asked for.
fn national_record(vacancy: i32) -> impl Strategy<Value = (&'static str, serde_json::Value)> {
    let base = prop_oneof![
        Just((
            "vacancies",
            crate::national_pull::vacancy("Pengemudi Ekspedisi", "8322", 20)
        )),
        Just((
            "jkp",
            crate::national_pull::jkp("1275016505900002", "Rina Ginting", "1990-05-25")
        )),
        Just((
            "wlkp",
            crate::national_pull::wlkp("9120001777001", "PT Sawit Langkat Makmur")
        )),
        Just((
            "applications",
            crate::national_pull::forwarded(vacancy, "dedi@contoh.id", None, true)
        )),
    ];
    let edits = proptest::collection::vec(
        (any::<proptest::sample::Index>(), 0u8..4, json_value()),
        0..6,
    );
    (base, edits).prop_map(|((set, mut record), edits)| {
        let object = record.as_object_mut().expect("a record is an object");
        for (at, how, value) in edits {
            let keys: Vec<String> = object.keys().cloned().collect();
            if keys.is_empty() {
                break;
            }
            let key = keys[at.index(keys.len())].clone();
            match how {
                0 => {
                    object.remove(&key);
                }
                1 => {
                    object.insert(format!("{key}_lain"), value);
                }
                _ => {
                    object.insert(key, value);
                }
            }
        }
        (set, record)
    })
}

#[test]
fn fuzzed_national_records_are_landed_or_set_aside_never_a_crash() {
    use crate::national::{Sandbox, national_partner, options, settings};
    use sibuser::national::{Link, pull};
    let sys = System::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = demo_app(&sys, backend) else {
            continue;
        };
        let steward = sys.block_on(signed_in(&app, "walidata@sibuser.example"));
        let sandbox = Sandbox::with(options());
        let partner = crate::common::with_conn(&app, national_partner);
        let link = Link::new(&settings(&sandbox, partner, &[])).unwrap();
        let vacancy: i32 = crate::common::with_conn(&app, |c| {
            use diesel::prelude::*;
            use sibuser::schema::vacancies;
            vacancies::table
                .filter(vacancies::status.eq("published"))
                .select(vacancies::id)
                .first(c)
                .unwrap()
        });
        let n = std::cell::Cell::new(0);
        // (landed, set aside): a run where every record went one way tested one path.
        let outcomes = std::cell::Cell::new((0u64, 0u64));
        runner(40)
            .run(&national_record(vacancy), |(set, record)| {
                n.set(n.get() + 1);
                let id = format!("FUZZ-{}", n.get());
                let put = serde_json::json!([{ "external_id": id, "record": record }]);
                let stored =
                    ureq::post(&format!("{}/sandbox/national/{set}", sandbox.base)).send_json(put);
                prop_assert!(stored.is_ok(), "the sandbox took it: {stored:?}");
                let report = crate::common::with_conn(&app, |c| pull::round(c, &link, u64::MAX));
                let report = match report {
                    Ok(r) => r,
                    Err(e) => return Err(TestCaseError::fail(format!("{backend:?} {set}: {e:#}"))),
                };
                let (landed, aside) = outcomes.get();
                let this = report.sets.iter().fold((0, 0), |(l, a), (_, r)| {
                    (l + r.merged + r.unchanged, a + r.parked + r.conflicts)
                });
                outcomes.set((landed + this.0, aside + this.1));
                for page in ["/petugas/sinkronisasi/tarikan", "/lowongan", "/petugas/jkp"] {
                    let res = sys.block_on(steward.get(page));
                    prop_assert!(
                        res.status.as_u16() < 500,
                        "{backend:?} {page}: {}",
                        res.status
                    );
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let (landed, aside) = outcomes.get();
        eprintln!("fuzzed national records on {backend:?}: {landed} landed, {aside} set aside");
        assert!(
            landed > 0 && aside > 0,
            "{backend:?}: both outcomes reached"
        );
    }
}
