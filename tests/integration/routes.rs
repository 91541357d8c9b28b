//! Every route with every role: the route table (`src/routes.rs`) says who may use each
//! route, and the test signs in as each role and fails on any unexpected allow or deny.
//! Another test fails when a route is registered anywhere but in the table.

use std::collections::BTreeSet;

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use sibuser::web::auth::Access;

use crate::common::browser::Browser;
use crate::common::{Backend, TestApp, TestResponse, with_conn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    JobSeeker,
    CompanyOwner,
    Provider,
    Operator,
    Verifier,
    DataSteward,
    SuperAdmin,
    /// Kemnaker's demo partner user (issue 16, item 2).
    Partner,
}

const EVERYONE: [Who; 9] = [
    Who::Anonymous,
    Who::JobSeeker,
    Who::CompanyOwner,
    Who::Provider,
    Who::Operator,
    Who::Verifier,
    Who::DataSteward,
    Who::SuperAdmin,
    Who::Partner,
];

impl Who {
    fn login(self) -> Option<&'static str> {
        Some(match self {
            Who::Anonymous => return None,
            Who::JobSeeker => "pencaker@sibuser.example",
            Who::CompanyOwner => "perusahaan@sibuser.example",
            Who::Provider => "lembaga@sibuser.example",
            Who::Operator => "operator@sibuser.example",
            Who::Verifier => "verifikator@sibuser.example",
            Who::DataSteward => "walidata@sibuser.example",
            Who::SuperAdmin => "admin@sibuser.example",
            Who::Partner => "mitra@sibuser.example",
        })
    }
}

/// A concrete path for a route pattern. Ids and tokens in it do not exist, so allowed
/// requests change nothing; a few routes get the query or value their page needs.
fn sample(pattern: &str) -> String {
    let special = [
        ("/bahasa/{code}", "/bahasa/id?next=/"),
        ("/lowongan", "/lowongan?q=kasir"),
        ("/lowongan/feed.xml", "/lowongan/feed.xml?q=kasir"),
        ("/pelatihan", "/pelatihan?q=las&lembaga=blk"),
        ("/perusahaan/{id:\\d+}", "/perusahaan/2"),
        ("/static/{name:.+}", "/static/css/app.css"),
        ("/lowongan/{id:\\d+}", "/lowongan/1"),
        ("/pelatihan/{id:\\d+}", "/pelatihan/1"),
        ("/ak1/cek", "/ak1/cek?nomor=1275-2026-000001&kode=AAAAAAAA"),
        (
            "/petugas/statistik/{form}/{format:csv|xlsx}",
            "/petugas/statistik/iii-1/csv",
        ),
        (
            "/data-terbuka/{dataset:[a-z0-9-]+}",
            "/data-terbuka/pencari-kerja-umur",
        ),
        (
            "/data-terbuka/{dataset:[a-z0-9-]+}.csv",
            "/data-terbuka/penempatan-kbli.csv",
        ),
        (
            "/data-terbuka/{dataset:[a-z0-9-]+}.json",
            "/data-terbuka/lowongan-kbji.json",
        ),
        ("/api/v1/{dataset:[a-z-]+}", "/api/v1/job-seekers"),
        // A data set granted to the demo's Kemnaker.
        ("/mitra/{dataset:[a-z-]+}", "/mitra/job-seekers"),
        (
            "/petugas/dasbor",
            "/petugas/dasbor?kecamatan=12.75.01&jenis_kelamin=P",
        ),
    ];
    if let Some((_, path)) = special.iter().find(|(p, _)| *p == pattern) {
        return (*path).to_owned();
    }
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find('}').expect("a closed {parameter}");
        let name = rest[start + 1..end].split(':').next().unwrap_or_default();
        out.push_str(match name {
            "token" => "tidak-ada",
            "section" => "pendidikan",
            "decision" => "cocok",
            "action" => "terbitkan",
            _ => "999999",
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether the table's access admits this test user, decided here from what each group
/// means rather than by the portal's own check.
fn admits(access: Access, who: Who) -> bool {
    use sibuser::domain::Role;
    let role = match who {
        Who::Anonymous => return access == Access::Public,
        Who::JobSeeker => Role::JobSeeker,
        Who::CompanyOwner => Role::Employer,
        Who::Provider => Role::TrainingProvider,
        Who::Operator => Role::Operator,
        Who::Verifier => Role::Verifier,
        Who::DataSteward => Role::DataSteward,
        Who::SuperAdmin => Role::SuperAdmin,
        Who::Partner => Role::PartnerUser,
    };
    match access {
        Access::Public | Access::SignedIn => true,
        Access::AnyOf(roles) => roles.contains(&role),
        Access::CompanyOwner => who == Who::CompanyOwner,
        Access::ProviderUser => who == Who::Provider,
        // A key, never a session: checked apart in `check_all`.
        Access::ApiKey => false,
        Access::PartnerUser => who == Who::Partner,
    }
}

/// The rows of the route table, with the two that end the session moved last.
fn rows() -> Vec<(Method, &'static str, Access)> {
    let mut rows: Vec<_> = sibuser::routes::table()
        .into_iter()
        .map(|r| (r.method, r.path, r.access))
        .collect();
    let last = ["/akun/keluar-semua", "/keluar"];
    rows.sort_by_key(|(_, path, _)| last.iter().position(|p| p == path));
    rows
}

fn to_login(res: &TestResponse) -> bool {
    res.status == StatusCode::SEE_OTHER
        && res
            .header("location")
            .is_some_and(|l| l.starts_with("/masuk?next="))
}

async fn check_all(app: &TestApp) {
    with_conn(app, |c| {
        sibuser::demo::seed(c, sibuser::demo::Scale::Small).unwrap();
    });
    let rows = rows();
    let mut wrong = Vec::new();
    for who in EVERYONE {
        let browser = Browser::new(app);
        if let Some(email) = who.login() {
            let res = browser.sign_in(email, sibuser::demo::DEMO_PASSWORD).await;
            assert_eq!(
                res.status,
                StatusCode::SEE_OTHER,
                "{who:?} could not sign in"
            );
        }
        for (method, pattern, access) in &rows {
            let path = sample(pattern);
            // A page with a form first, so the POST carries this session's CSRF token.
            browser.get("/masuk").await;
            let res = match *method {
                Method::GET => browser.send(TestRequest::get().uri(&path)).await,
                Method::POST => browser.post(&path, &[]).await,
                ref other => panic!("the test knows GET and POST, not {other}"),
            };
            assert!(
                !res.status.is_server_error(),
                "{method:?} {path} as {who:?}: {}",
                res.status
            );
            let denied = res.status == StatusCode::FORBIDDEN;
            let sent_to_login = to_login(&res);
            let expected_ok = admits(*access, who);
            let ok = match (expected_ok, who) {
                // The test holds no key: everyone, signed in or not, gets a 401 problem.
                _ if *access == Access::ApiKey => {
                    res.status == StatusCode::UNAUTHORIZED
                        && res
                            .header("content-type")
                            .is_some_and(|c| c == "application/problem+json")
                }
                (true, _) => !denied && !sent_to_login,
                (false, Who::Anonymous) => sent_to_login,
                (false, _) => denied,
            };
            if !ok {
                wrong.push(format!(
                    "{method:?} {pattern} as {who:?}: got {} (expected {})",
                    res.status,
                    if expected_ok { "allowed" } else { "denied" }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "unexpected access:\n{}", wrong.join("\n"));
}

#[actix_web::test]
async fn every_route_admits_exactly_the_roles_in_the_table_sqlite() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    check_all(&app).await;
}

#[actix_web::test]
async fn every_route_admits_exactly_the_roles_in_the_table_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    check_all(&app).await;
}

/// Route patterns registered anywhere in src/ outside the table: string literals passed
/// to actix's `.route(` or `web::resource(`. There should be none.
fn registered_outside_the_table() -> BTreeSet<String> {
    fn walk(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("src/routes.rs")
                // The reference national endpoint is another server (`sibuser
                // national-sandbox`), not a page of the portal.
                && !path.to_string_lossy().contains("src/national/sandbox")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in [
                    ".route(\"",
                    "web::resource(\"",
                    ".route(r\"",
                    "resource(r\"",
                ] {
                    for (i, _) in text.match_indices(marker) {
                        let rest = &text[i + marker.len()..];
                        if let Some(end) = rest.find('"') {
                            out.insert(format!("{}: {}", path.display(), &rest[..end]));
                        }
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    out
}

/// Exports carry every data set's personal data: the data steward alone reaches them, not
/// even a super admin (issue 15).
#[test]
fn exports_admit_the_data_steward_alone() {
    use sibuser::web::auth::access::DATA_STEWARD;
    let rows: Vec<_> = sibuser::routes::table()
        .into_iter()
        .filter(|r| r.path.starts_with("/petugas/ekspor"))
        .collect();
    assert!(rows.len() >= 5, "the export pages, status and download");
    for row in rows {
        assert_eq!(row.access, DATA_STEWARD, "{} {}", row.method, row.path);
    }
    for who in EVERYONE {
        assert_eq!(
            admits(DATA_STEWARD, who),
            who == Who::DataSteward,
            "{who:?}"
        );
    }
}

/// Partners and API keys (issue 16): the super admin reads every page, only the data
/// steward changes anything.
#[test]
fn partners_are_read_by_data_staff_and_changed_by_the_data_steward() {
    use sibuser::web::auth::access::{DATA_STAFF, DATA_STEWARD};
    let rows: Vec<_> = sibuser::routes::table()
        .into_iter()
        .filter(|r| r.path.starts_with("/petugas/mitra"))
        .collect();
    assert_eq!(
        rows.len(),
        12,
        "the partner pages and their forms, the partner users' forms and the out-log"
    );
    for row in rows {
        let expected = if row.method == Method::GET {
            DATA_STAFF
        } else {
            DATA_STEWARD
        };
        assert_eq!(row.access, expected, "{} {}", row.method, row.path);
    }
}

#[test]
fn routes_are_declared_only_in_the_table() {
    let outside = registered_outside_the_table();
    assert!(
        outside.is_empty(),
        "routes registered outside src/routes.rs: {outside:?}"
    );
}

#[test]
fn the_table_has_each_route_once_and_none_hidden_behind_an_earlier_pattern() {
    use actix_web::dev::ResourceDef;
    let rows = sibuser::routes::table();
    assert!(rows.len() > 100, "only {} rows", rows.len());
    let mut seen = BTreeSet::new();
    let mut earlier: Vec<&str> = Vec::new();
    for row in &rows {
        assert!(
            seen.insert((row.method.to_string(), row.path)),
            "{} {} appears twice",
            row.method,
            row.path
        );
        // actix tries paths in order: an earlier pattern that matches this row's path
        // would answer instead of it (with 405 when the method differs).
        let path = sample(row.path);
        let path = path.split('?').next().unwrap_or_default();
        if let Some(hiding) = earlier
            .iter()
            .find(|p| **p != row.path && ResourceDef::new(**p).is_match(path))
        {
            panic!("{} {} is hidden behind {hiding}", row.method, row.path);
        }
        earlier.push(row.path);
    }
}
