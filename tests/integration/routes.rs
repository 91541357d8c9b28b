//! Every route with every role: the table below says who may use each route, and the test
//! fails on any unexpected allow or deny. A second test fails when a route is registered
//! in the code but missing from the table, so new features must add their routes here.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

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
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::JobSeeker,
    Who::CompanyOwner,
    Who::Provider,
    Who::Operator,
    Who::Verifier,
    Who::DataSteward,
    Who::SuperAdmin,
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
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Access {
    Public,
    SignedIn,
    Only(&'static [Who]),
}

#[derive(Debug, Clone, Copy)]
enum Method {
    Get,
    Post,
}

/// (method, route pattern as registered, a concrete path to request, who may use it).
/// Ids and tokens in the paths do not exist, so allowed requests change nothing.
const ROUTES: &[(Method, &str, &str, Access)] = &[
    (Method::Get, "/", "/", Access::Public),
    (Method::Get, "/tentang", "/tentang", Access::Public),
    (Method::Get, "/privasi", "/privasi", Access::Public),
    (
        Method::Get,
        "/bahasa/{code}",
        "/bahasa/id?next=/",
        Access::Public,
    ),
    (Method::Get, "/healthz", "/healthz", Access::Public),
    (Method::Get, "/readyz", "/readyz", Access::Public),
    (Method::Get, "/sitemap.xml", "/sitemap.xml", Access::Public),
    (Method::Get, "/robots.txt", "/robots.txt", Access::Public),
    (
        Method::Get,
        "/lowongan",
        "/lowongan?q=kasir",
        Access::Public,
    ),
    (
        Method::Get,
        "/lowongan/feed.xml",
        "/lowongan/feed.xml?q=kasir",
        Access::Public,
    ),
    (
        Method::Get,
        "/lowongan/{id:\\d+}",
        "/lowongan/1",
        Access::Public,
    ),
    (
        Method::Get,
        "/pelatihan",
        "/pelatihan?q=las&lembaga=blk",
        Access::Public,
    ),
    (
        Method::Get,
        "/pelatihan/{id:\\d+}",
        "/pelatihan/1",
        Access::Public,
    ),
    (
        Method::Get,
        "/perusahaan/{id:\\d+}",
        "/perusahaan/2",
        Access::Public,
    ),
    (
        Method::Get,
        "/static/{name:.+}",
        "/static/css/app.css",
        Access::Public,
    ),
    (Method::Get, "/masuk", "/masuk", Access::Public),
    (Method::Post, "/masuk", "/masuk", Access::Public),
    (Method::Get, "/daftar", "/daftar", Access::Public),
    (Method::Post, "/daftar", "/daftar", Access::Public),
    (
        Method::Get,
        "/daftar/periksa-surel",
        "/daftar/periksa-surel",
        Access::Public,
    ),
    (
        Method::Get,
        "/daftar/perusahaan",
        "/daftar/perusahaan",
        Access::Public,
    ),
    (
        Method::Post,
        "/daftar/perusahaan",
        "/daftar/perusahaan",
        Access::Public,
    ),
    (
        Method::Get,
        "/verifikasi/{token}",
        "/verifikasi/tidak-ada",
        Access::Public,
    ),
    (
        Method::Post,
        "/akun/verifikasi",
        "/akun/verifikasi",
        Access::SignedIn,
    ),
    (Method::Get, "/lupa-sandi", "/lupa-sandi", Access::Public),
    (Method::Post, "/lupa-sandi", "/lupa-sandi", Access::Public),
    (
        Method::Get,
        "/atur-sandi/{token}",
        "/atur-sandi/tidak-ada",
        Access::Public,
    ),
    (
        Method::Post,
        "/atur-sandi/{token}",
        "/atur-sandi/tidak-ada",
        Access::Public,
    ),
    (
        Method::Get,
        "/undangan/{token}",
        "/undangan/tidak-ada",
        Access::Public,
    ),
    (
        Method::Post,
        "/undangan/{token}",
        "/undangan/tidak-ada",
        Access::Public,
    ),
    (Method::Get, "/akun", "/akun", Access::SignedIn),
    (
        Method::Post,
        "/akun/profil",
        "/akun/profil",
        Access::SignedIn,
    ),
    (Method::Post, "/akun/sandi", "/akun/sandi", Access::SignedIn),
    (Method::Post, "/akun/surel", "/akun/surel", Access::SignedIn),
    (
        Method::Get,
        "/akun/surel/{token}",
        "/akun/surel/tidak-ada",
        Access::Public,
    ),
    (
        Method::Get,
        "/admin/pengguna",
        "/admin/pengguna",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/admin/pengguna/baru",
        "/admin/pengguna/baru",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/admin/pengguna/baru",
        "/admin/pengguna/baru",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/admin/pengguna/{id}",
        "/admin/pengguna/999999",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/admin/pengguna/{id}/peran",
        "/admin/pengguna/999999/peran",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/admin/pengguna/{id}/status",
        "/admin/pengguna/999999/status",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/admin/pengguna/{id}/atur-ulang-sandi",
        "/admin/pengguna/999999/atur-ulang-sandi",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/admin/audit",
        "/admin/audit",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/perusahaan/pengguna",
        "/perusahaan/pengguna",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/pengguna",
        "/perusahaan/pengguna",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/pengguna/{id}/status",
        "/perusahaan/pengguna/999999/status",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/admin/surel",
        "/admin/surel",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/admin/surel/{id}/ulang",
        "/admin/surel/999999/ulang",
        Access::Only(&[Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/perusahaan/profil",
        "/perusahaan/profil",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/profil",
        "/perusahaan/profil",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/petugas/verifikasi/perusahaan",
        "/petugas/verifikasi/perusahaan",
        Access::Only(&[Who::Verifier]),
    ),
    (
        Method::Get,
        "/petugas/verifikasi/perusahaan/{id}",
        "/petugas/verifikasi/perusahaan/999999",
        Access::Only(&[Who::Verifier]),
    ),
    (
        Method::Post,
        "/petugas/verifikasi/perusahaan/{id}",
        "/petugas/verifikasi/perusahaan/999999",
        Access::Only(&[Who::Verifier]),
    ),
    (
        Method::Get,
        "/perusahaan/lowongan",
        "/perusahaan/lowongan",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/lowongan/tutup",
        "/perusahaan/lowongan/tutup",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/perusahaan/lowongan/baru",
        "/perusahaan/lowongan/baru",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/lowongan/baru",
        "/perusahaan/lowongan/baru",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/perusahaan/lowongan/{id}",
        "/perusahaan/lowongan/999999",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/lowongan/{id}",
        "/perusahaan/lowongan/999999",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/lowongan/{id}/tutup",
        "/perusahaan/lowongan/999999/tutup",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/perusahaan/lowongan/{id}/terisi",
        "/perusahaan/lowongan/999999/terisi",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/lowongan/{id}/terisi",
        "/perusahaan/lowongan/999999/terisi",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/petugas/verifikasi/lowongan",
        "/petugas/verifikasi/lowongan",
        Access::Only(&[Who::Verifier]),
    ),
    (
        Method::Get,
        "/petugas/verifikasi/lowongan/{id}",
        "/petugas/verifikasi/lowongan/999999",
        Access::Only(&[Who::Verifier]),
    ),
    (
        Method::Post,
        "/petugas/verifikasi/lowongan/{id}",
        "/petugas/verifikasi/lowongan/999999",
        Access::Only(&[Who::Verifier]),
    ),
    (
        Method::Get,
        "/pencaker/profil",
        "/pencaker/profil",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/profil",
        "/pencaker/profil",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/profil/{section}",
        "/pencaker/profil/pendidikan",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/profil/{section}/{id}/hapus",
        "/pencaker/profil/bahasa/999999/hapus",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/pencaker/cv",
        "/pencaker/cv",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/cv",
        "/pencaker/cv",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/cv/hapus",
        "/pencaker/cv/hapus",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/petugas/pencaker/{user_id}/cv",
        "/petugas/pencaker/999999/cv",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/pencaker/ak1",
        "/pencaker/ak1",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/ak1/minta",
        "/pencaker/ak1/minta",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/ak1/lapor",
        "/pencaker/ak1/lapor",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/ak1/batal",
        "/pencaker/ak1/batal",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/pencaker/ak1/cetak",
        "/pencaker/ak1/cetak",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/ak1/cek",
        "/ak1/cek?nomor=1275-2026-000001&kode=AAAAAAAA",
        Access::Public,
    ),
    (
        Method::Get,
        "/petugas/pencaker",
        "/petugas/pencaker",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/{user_id:\\d+}/nik/{decision}",
        "/petugas/pencaker/999999/nik/cocok",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/cari",
        "/petugas/pencaker/cari",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pencaker/baru",
        "/petugas/pencaker/baru",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/baru",
        "/petugas/pencaker/baru",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pencaker/{user_id:\\d+}",
        "/petugas/pencaker/999999",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/{user_id:\\d+}/ak1/{action}",
        "/petugas/pencaker/999999/ak1/terbitkan",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pencaker/{user_id:\\d+}/ak1/cetak",
        "/petugas/pencaker/999999/ak1/cetak",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pencaker/{user_id}/profil",
        "/petugas/pencaker/999999/profil",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/{user_id}/profil",
        "/petugas/pencaker/999999/profil",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/{user_id}/profil/{section}",
        "/petugas/pencaker/999999/profil/pendidikan",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/{user_id}/profil/{section}/{id}/hapus",
        "/petugas/pencaker/999999/profil/bahasa/1/hapus",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/pencaker/foto",
        "/pencaker/foto",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/foto",
        "/pencaker/foto",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/foto/hapus",
        "/pencaker/foto/hapus",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/petugas/pencaker/{user_id:\\d+}/foto",
        "/petugas/pencaker/999999/foto",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/lowongan/{id:\\d+}/lamar",
        "/lowongan/999999/lamar",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/lowongan/{id:\\d+}/lamar",
        "/lowongan/999999/lamar",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/pencaker/lamaran",
        "/pencaker/lamaran",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/lamaran/{id:\\d+}/tarik",
        "/pencaker/lamaran/999999/tarik",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/perusahaan/lowongan/{id:\\d+}/pelamar",
        "/perusahaan/lowongan/999999/pelamar",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Post,
        "/perusahaan/lowongan/{id:\\d+}/pelamar",
        "/perusahaan/lowongan/999999/pelamar",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/perusahaan/lowongan/{id:\\d+}/pelamar/{app:\\d+}",
        "/perusahaan/lowongan/999999/pelamar/1",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/perusahaan/lowongan/{id:\\d+}/pelamar/{app:\\d+}/cv",
        "/perusahaan/lowongan/999999/pelamar/1/cv",
        Access::Only(&[Who::CompanyOwner]),
    ),
    (
        Method::Get,
        "/petugas/pencaker/{user_id:\\d+}/penempatan",
        "/petugas/pencaker/999999/penempatan",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pencaker/{user_id:\\d+}/penempatan",
        "/petugas/pencaker/999999/penempatan",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/pencaker/peringatan",
        "/pencaker/peringatan",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/peringatan",
        "/pencaker/peringatan",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/peringatan/{id:\\d+}/hapus",
        "/pencaker/peringatan/999999/hapus",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/peringatan/berhenti/{token}",
        "/peringatan/berhenti/tidak-ada",
        Access::Public,
    ),
    (
        Method::Post,
        "/peringatan/berhenti/{token}",
        "/peringatan/berhenti/tidak-ada",
        Access::Public,
    ),
    (
        Method::Get,
        "/pencaker/data-saya",
        "/pencaker/data-saya",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/pencaker/data-saya.json",
        "/pencaker/data-saya.json",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/hapus-akun",
        "/pencaker/hapus-akun",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/petugas/pelatihan/lembaga",
        "/petugas/pelatihan/lembaga",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pelatihan/lembaga/baru",
        "/petugas/pelatihan/lembaga/baru",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pelatihan/lembaga/baru",
        "/petugas/pelatihan/lembaga/baru",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pelatihan/lembaga/{id:\\d+}",
        "/petugas/pelatihan/lembaga/999999",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pelatihan/lembaga/{id:\\d+}",
        "/petugas/pelatihan/lembaga/999999",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pelatihan/lembaga/{id:\\d+}/pengguna",
        "/petugas/pelatihan/lembaga/999999/pengguna",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pelatihan/lembaga/{id:\\d+}/status",
        "/petugas/pelatihan/lembaga/999999/status",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/lembaga/profil",
        "/lembaga/profil",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Post,
        "/lembaga/profil",
        "/lembaga/profil",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Get,
        "/lembaga/program",
        "/lembaga/program",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Get,
        "/lembaga/program/baru",
        "/lembaga/program/baru",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Post,
        "/lembaga/program/baru",
        "/lembaga/program/baru",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Get,
        "/lembaga/program/{id:\\d+}",
        "/lembaga/program/999999",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Post,
        "/lembaga/program/{id:\\d+}",
        "/lembaga/program/999999",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Post,
        "/lembaga/program/{id:\\d+}/status",
        "/lembaga/program/999999/status",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Get,
        "/pelatihan/{id:\\d+}/daftar",
        "/pelatihan/999999/daftar",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pelatihan/{id:\\d+}/daftar",
        "/pelatihan/999999/daftar",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/pencaker/pelatihan",
        "/pencaker/pelatihan",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Post,
        "/pencaker/pelatihan/{id:\\d+}/batal",
        "/pencaker/pelatihan/999999/batal",
        Access::Only(&[Who::JobSeeker]),
    ),
    (
        Method::Get,
        "/lembaga/program/{id:\\d+}/peserta",
        "/lembaga/program/999999/peserta",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Post,
        "/lembaga/program/{id:\\d+}/peserta/{enrolment:\\d+}",
        "/lembaga/program/999999/peserta/999999",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Get,
        "/lembaga/program/{id:\\d+}/kehadiran",
        "/lembaga/program/999999/kehadiran",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Post,
        "/lembaga/program/{id:\\d+}/kehadiran",
        "/lembaga/program/999999/kehadiran",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Get,
        "/lembaga/hasil",
        "/lembaga/hasil",
        Access::Only(&[Who::Provider]),
    ),
    (
        Method::Get,
        "/petugas/pelatihan/program",
        "/petugas/pelatihan/program",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pelatihan/program/{id:\\d+}",
        "/petugas/pelatihan/program/999999",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pelatihan/program/{id:\\d+}/peserta/{enrolment:\\d+}",
        "/petugas/pelatihan/program/999999/peserta/999999",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pelatihan/program/{id:\\d+}/kehadiran",
        "/petugas/pelatihan/program/999999/kehadiran",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Post,
        "/petugas/pelatihan/program/{id:\\d+}/kehadiran",
        "/petugas/pelatihan/program/999999/kehadiran",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    (
        Method::Get,
        "/petugas/pelatihan/hasil",
        "/petugas/pelatihan/hasil",
        Access::Only(&[Who::Operator, Who::SuperAdmin]),
    ),
    // Last: they end the session.
    (
        Method::Post,
        "/akun/keluar-semua",
        "/akun/keluar-semua",
        Access::SignedIn,
    ),
    (Method::Post, "/keluar", "/keluar", Access::Public),
];

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
        for (method, pattern, path, access) in ROUTES {
            // A page with a form first, so the POST carries this session's CSRF token.
            browser.get("/masuk").await;
            let res = match method {
                Method::Get => browser.send(TestRequest::get().uri(path)).await,
                Method::Post => browser.post(path, &[]).await,
            };
            assert!(
                !res.status.is_server_error(),
                "{method:?} {path} as {who:?}: {}",
                res.status
            );
            let denied = res.status == StatusCode::FORBIDDEN;
            let sent_to_login = to_login(&res);
            let expected_ok = match access {
                Access::Public => true,
                Access::SignedIn => who != Who::Anonymous,
                Access::Only(roles) => roles.contains(&who),
            };
            let ok = match (expected_ok, who) {
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

/// The route patterns registered in src/: string literals passed to `.route(` or
/// `web::resource(`.
fn registered_routes() -> BTreeSet<String> {
    fn walk(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in [
                    ".route(\"",
                    "web::resource(\"",
                    ".route(\n",
                    ".route(r\"",
                    "web::resource(r\"",
                ] {
                    for (i, _) in text.match_indices(marker) {
                        let rest = &text[i + marker.len()..].trim_start();
                        let raw = marker.ends_with("r\"") || rest.starts_with("r\"");
                        let rest = rest.trim_start_matches('r').trim_start_matches('"');
                        if let Some(end) = rest.find('"') {
                            // As the source spells it: `\\d` there is `\d` here, unless raw.
                            let literal = if raw {
                                rest[..end].to_owned()
                            } else {
                                rest[..end].replace("\\\\", "\\")
                            };
                            if literal.starts_with('/') {
                                out.insert(literal);
                            }
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

#[test]
fn the_table_covers_every_registered_route() {
    let registered = registered_routes();
    assert!(registered.len() > 20, "found only {registered:?}");
    let table: BTreeSet<String> = ROUTES.iter().map(|(_, p, _, _)| (*p).to_owned()).collect();
    let missing: Vec<_> = registered.difference(&table).collect();
    let stale: Vec<_> = table.difference(&registered).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "routes missing from the table: {missing:?}; table rows with no route: {stale:?}"
    );
}
