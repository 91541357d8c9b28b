//! The living demo in a real browser: Debian's Chromium through chromedriver against a real
//! `sibuser serve --demo`, on a phone-sized window. Every page visited is also checked with
//! axe-core, failing on serious and critical accessibility problems.
//!
//! Runs when `SIBUSER_BROWSER_TESTS=1` (set by scripts/test.sh and so by CI), with
//! `SIBUSER_AXE_JS` naming axe.min.js.

use std::process::{Command, Stdio};

use serde_json::json;

use crate::common::webdriver::{Browser, Process, free_port, wait_for_port};

fn enabled() -> bool {
    if std::env::var("SIBUSER_BROWSER_TESTS").as_deref() == Ok("1") {
        return true;
    }
    eprintln!("browser tests not enabled (SIBUSER_BROWSER_TESTS=1): skipped");
    false
}

struct Portal {
    base: String,
    _process: Process,
    _dir: tempfile::TempDir,
}

fn start_portal() -> Portal {
    start_portal_with(&[])
}

fn start_portal_with(env: &[(&str, &str)]) -> Portal {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_sibuser"))
        .args(["serve", "--demo"])
        .current_dir(dir.path())
        .env_clear()
        .env("SIBUSER_BIND", format!("127.0.0.1:{port}"))
        .env("SIBUSER_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let process = Process(child);
    wait_for_port(port, "sibuser");
    Portal {
        base: format!("http://127.0.0.1:{port}"),
        _process: process,
        _dir: dir,
    }
}

/// A demo employer login, one of its vacancies with an open application, and that
/// application, read from the portal's own SQLite file.
fn demo_applicant(portal: &Portal) -> (String, i32, i32) {
    use diesel::prelude::*;
    use sibuser::schema::{applications, users, vacancies};
    let file = portal._dir.path().join("data/sibuser.db");
    let url = sibuser::config::DatabaseUrl::parse(&format!("sqlite://{}", file.display())).unwrap();
    let pool = sibuser::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    applications::table
        .inner_join(vacancies::table)
        .inner_join(users::table.on(users::company_id.eq(vacancies::company_id.nullable())))
        .filter(applications::stage.eq_any(["received", "reviewed"]))
        .select((
            users::email.assume_not_null(),
            vacancies::id,
            applications::id,
        ))
        .first(&mut conn)
        .expect("a demo vacancy with an open application")
}

/// Signs out with the menu's button, unfolding the menu first where it is folded (a phone).
fn sign_out(browser: &Browser) {
    if open_menu(browser) {
        browser.click(".site-menu form[action='/keluar'] button");
    } else {
        browser.click(".menu-wide form[action='/keluar'] button");
    }
}

/// Taps "Menu" when the menu is folded, as a person on a phone does; on a wide screen the
/// links stand in a row and there is nothing to tap. Whether the folding menu is in use.
fn open_menu(browser: &Browser) -> bool {
    let state = browser.execute(
        "const s = document.querySelector('details.site-menu > summary');
         return s.checkVisibility() ? (s.parentElement.open ? 'open' : 'folded') : 'wide';",
        json!([]),
    );
    if state == json!("folded") {
        browser.click("details.site-menu > summary");
    }
    state != json!("wide")
}

/// The width and height in points of each page of a PDF, from the pages' `/MediaBox`.
fn pdf_page_sizes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/MediaBox")
        .skip(1)
        .filter_map(|rest| {
            let inside = rest.trim_start().strip_prefix('[')?;
            let numbers: Vec<f64> = inside[..inside.find(']')?]
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            match numbers[..] {
                [x0, y0, x1, y1] => Some((x1 - x0, y1 - y0)),
                _ => None,
            }
        })
        .collect()
}

/// Signs a demo user in, in Indonesian, and waits for their home page.
fn sign_in(browser: &Browser, portal: &Portal, email: &str) {
    browser.go(&format!("{}/bahasa/id?next=/masuk", portal.base));
    browser.type_into("#email", email);
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
}

/// axe-core's script, from where scripts/test.sh installed it.
fn axe_source() -> String {
    std::fs::read_to_string(
        std::env::var("SIBUSER_AXE_JS").expect("SIBUSER_AXE_JS names axe.min.js"),
    )
    .expect("axe.min.js")
}

/// Runs axe-core on the current page; returns the serious and critical violations.
fn axe(browser: &Browser, source: &str) -> Vec<String> {
    browser.execute(
        "if (!window.axe) { (0, eval)(arguments[0]); } return true;",
        json!([source]),
    );
    let result = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] })
           .then(r => done(r.violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))
           .catch(e => done(['axe failed: ' + e]));",
    );
    result
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("axe returned {result}")])
}

/// The page's markup as the portal sent it (fetched again by the page itself, with its
/// cookies), for the Nu HTML checker: the DOM WebDriver gives back has been repaired by the
/// parser and has lost its doctype.
fn markup(browser: &Browser) -> String {
    let html = browser.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(location.href, { credentials: 'same-origin' })
           .then(r => r.text()).then(done, e => done('fetch failed: ' + e));",
    );
    html.as_str().unwrap_or_default().to_owned()
}

/// Runs the Nu HTML checker (vnu) over the pages; returns its errors, each with its page.
fn vnu(pages: &[(String, String)]) -> Vec<String> {
    let jar = std::env::var("SIBUSER_VNU_JAR").expect("SIBUSER_VNU_JAR names vnu.jar");
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (_, html)) in pages.iter().enumerate() {
        let file = dir.path().join(format!("{i}.html"));
        std::fs::write(&file, html).unwrap();
        files.push(file);
    }
    let out = Command::new("java")
        .args([
            "-jar",
            &jar,
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
        ])
        .args(&files)
        .output()
        .expect("java (apt-get install default-jre-headless)");
    let report: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("vnu: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["type"] == "error")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or_default();
            let index: usize = url
                .rsplit('/')
                .next()
                .and_then(|f| f.strip_suffix(".html"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(usize::MAX);
            let page = pages.get(index).map(|p| p.0.as_str()).unwrap_or(url);
            format!(
                "{page}: {} ({})",
                m["message"].as_str().unwrap_or_default(),
                m["extract"].as_str().unwrap_or_default().trim()
            )
        })
        .collect()
}

/// Closes the month before this one (and so every month before it) in the portal's own
/// SQLite file, as a data steward signing it off would, so that open data has months to
/// publish.
fn close_past_months(portal: &Portal) {
    let file = portal._dir.path().join("data/sibuser.db");
    let url = sibuser::config::DatabaseUrl::parse(&format!("sqlite://{}", file.display())).unwrap();
    let pool = sibuser::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let today = sibuser::domain::calendar::today();
    let month = sibuser::ipk::Month::of(today).previous();
    sibuser::ipk::period::close(
        &mut conn,
        month,
        None,
        today,
        chrono::Utc::now().naive_utc(),
    )
    .unwrap()
    .unwrap();
}

/// What a pull from the national system leaves: a national vacancy for the search, and a
/// conflict for the data steward.
fn pull_national_records(portal: &Portal) {
    use sibuser::national::{pulled, vacancies};
    let file = portal._dir.path().join("data/sibuser.db");
    let url = sibuser::config::DatabaseUrl::parse(&format!("sqlite://{}", file.display())).unwrap();
    let pool = sibuser::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let today = sibuser::domain::calendar::today();
    let now = chrono::Utc::now().naive_utc();
    let vacancy = vacancies::incoming(
        &json!({
            "judul": "Staf Gudang Ekspedisi",
            "nama_perusahaan": "PT Logistik Nusantara Sumut",
            "kode_kbji": "4321",
            "kode_kelurahan": "12.75.01.1003",
            "kode_kabupaten_kota": "12.75",
            "tanggal_buka": (today - chrono::Duration::days(1)).to_string(),
            "tanggal_tutup": (today + chrono::Duration::days(20)).to_string(),
            "tautan": "https://karirhub.kemnaker.go.id/lowongan/KH-9",
        }),
        "karirhub",
    )
    .unwrap();
    vacancies::store(&mut conn, "KH-9", 1, &vacancy, now).unwrap();
    let conflict = pulled::Landing::Conflict(pulled::Waiting {
        problem: "national.conflict.company_name",
        field: Some("nama_perusahaan".into()),
        local_value: Some("PT Maju Jaya".into()),
        national_value: Some("CV Usaha Lain".into()),
    });
    pulled::land(
        &mut conn,
        sibuser::national::contract::PullSet::Wlkp,
        "W-9",
        1,
        "{}",
        &conflict,
        now,
    )
    .unwrap();
}

#[test]
fn the_demo_works_in_a_real_browser_and_passes_axe() {
    if !enabled() {
        return;
    }
    let axe_path = std::env::var("SIBUSER_AXE_JS").expect("SIBUSER_AXE_JS names axe.min.js");
    let axe_source = std::fs::read_to_string(&axe_path).expect("axe.min.js");
    let portal = start_portal();
    let browser = Browser::start();
    let at = |path: &str| format!("{}{path}", portal.base);
    let mut problems: Vec<String> = Vec::new();
    let mut pages: Vec<(String, String)> = Vec::new();
    let mut check = |browser: &Browser, page: &str| {
        for v in axe(browser, &axe_source) {
            problems.push(format!("{page}: {v}"));
        }
        pages.push((page.to_owned(), markup(browser)));
    };

    // Indonesian, whatever the browser prefers.
    browser.go(&at("/bahasa/id?next=/"));
    assert_eq!(
        browser.title(),
        "Bursa Kerja Kota Binjai · SIBUSER Kota Binjai"
    );
    check(&browser, "/");
    for path in [
        "/tentang",
        "/privasi",
        "/masuk",
        "/daftar",
        "/daftar/perusahaan",
        "/lupa-sandi",
        "/tidak-ada",
    ] {
        browser.go(&at(path));
        check(&browser, path);
    }

    // A resident searches from the home page (with a national vacancy pulled beside the
    // portal's own), narrows by kecamatan, and opens a vacancy.
    pull_national_records(&portal);
    browser.go(&at("/"));
    browser.type_into("#home-q", "staf");
    browser.click("form[action='/lowongan'] button[type=submit]");
    browser.wait_for_text("lowongan ditemukan");
    browser.wait_for_text("Staf Gudang Ekspedisi");
    check(&browser, "/lowongan?q=staf");
    browser.go(&at("/lowongan/nasional?q=staf"));
    browser.wait_for_text("1 lowongan nasional");
    check(&browser, "/lowongan/nasional");
    browser.go(&at("/lowongan"));
    browser.click("details.filters summary");
    browser.execute(
        "document.querySelector('select[name=kecamatan]').selectedIndex = 1; return true;",
        json!([]),
    );
    browser.click("details.filters button[type=submit]");
    browser.wait_for_text("Binjai Utara");
    check(&browser, "/lowongan (filtered)");
    browser.go(&at("/lowongan"));
    browser.click(".hit h3 a");
    browser.wait_for_text("Cara melamar");
    // With script the copy button shows itself; without, the link sits in a field.
    let copy_shown = browser.execute(
        "return !document.querySelector('button[data-copy]').hidden;",
        json!([]),
    );
    assert_eq!(copy_shown, json!(true));
    check(&browser, "/lowongan/{id}");
    browser.click(".lead a");
    browser.wait_for_text("Lowongan yang dibuka");
    check(&browser, "/perusahaan/{id}");

    // Training: the search from the menu, a programme, and programmes beside vacancies
    // (every demo programme's title has the word "Pelatihan").
    browser.go(&at("/"));
    open_menu(&browser);
    browser.click(".site-menu .nav-links a[href='/pelatihan']");
    browser.wait_for_text("pelatihan ditemukan");
    check(&browser, "/pelatihan");
    browser.click("details.filters summary");
    browser.execute(
        "document.querySelector('select[name=biaya]').selectedIndex = 1; return true;",
        json!([]),
    );
    browser.click("details.filters button[type=submit]");
    browser.wait_for_text("Hapus semua");
    check(&browser, "/pelatihan (filtered)");
    browser.go(&at("/pelatihan"));
    browser.click(".hit h3 a");
    browser.wait_for_text("Masa pendaftaran");
    check(&browser, "/pelatihan/{id}");
    browser.go(&at("/lowongan?q=pelatihan"));
    browser.wait_for_text("Pelatihan untuk");
    check(&browser, "/lowongan?q=pelatihan");

    // Job fairs: the list from the menu and the coming demo fair with its companies.
    browser.go(&at("/"));
    open_menu(&browser);
    browser.click(".site-menu .nav-links a[href='/bursa-kerja']");
    browser.wait_for_text("Bursa Kerja Binjai Awal Tahun 2027");
    check(&browser, "/bursa-kerja");
    browser.click(".fair-card h3 a");
    browser.wait_for_text("Perusahaan peserta");
    check(&browser, "/bursa-kerja/{id}");

    // A sign-up with mistakes comes back with the messages and what was typed.
    browser.go(&at("/daftar"));
    browser.type_into("#full_name", "Siti Aisyah");
    browser.type_into("#email", "siti@contoh");
    browser.type_into("#password", "pendek");
    browser.click("form[action='/daftar'] button[type=submit]");
    browser.wait_for_text("Isi alamat surel yang valid");
    assert!(browser.source().contains("value=\"Siti Aisyah\""));
    check(&browser, "/daftar (errors)");
    // The GOV.UK pattern: the title says so, the summary has the focus, and its links move
    // the focus to their fields (a box to tick among them).
    assert!(
        browser.title().starts_with("Kesalahan: "),
        "{}",
        browser.title()
    );
    let focused =
        |browser: &Browser| browser.execute("return document.activeElement.id;", json!([]));
    assert_eq!(focused(&browser), json!("error-summary"));
    browser.screenshot(
        &std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/signup-errors.png"),
    );
    for field in ["email", "password", "consent"] {
        browser.click(&format!(".error-summary a[href='#{field}']"));
        assert_eq!(
            focused(&browser),
            json!(field),
            "the summary's link to {field}"
        );
    }

    // The super admin signs in through the form and reaches the staff pages.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "admin@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    check(&browser, "/akun");
    for path in [
        "/admin/pengguna",
        "/admin/pengguna/1",
        "/admin/pengguna/baru",
        "/admin/audit",
        "/admin/surel",
    ] {
        browser.go(&at(path));
        check(&browser, path);
    }
    browser.go(&at("/admin/pengguna?peran=operator"));
    browser.wait_for_text("operator@sibuser.example");

    // Signing out is a button in the header (a POST with its CSRF token).
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");

    // The company owner manages the company's users.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "perusahaan@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/perusahaan/pengguna"));
    browser.wait_for_title("Pengguna perusahaan · SIBUSER Kota Binjai");
    check(&browser, "/perusahaan/pengguna");
    for path in [
        "/perusahaan/profil",
        "/perusahaan/lowongan",
        "/perusahaan/lowongan/baru",
        "/perusahaan/wlkp",
        "/perusahaan/wlkp/baru",
        "/perusahaan/bursa-kerja",
    ] {
        browser.go(&at(path));
        check(&browser, path);
    }
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");

    // The job seeker's profile.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "pencaker@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/pencaker/profil"));
    browser.wait_for_text("bagian wajib sudah selesai");
    check(&browser, "/pencaker/profil");
    browser.go(&at("/pencaker/profil/data-diri"));
    browser.wait_for_text("Jenis kelamin");
    check(&browser, "/pencaker/profil/data-diri");
    browser.go(&at("/pencaker/ak1"));
    browser.wait_for_text("Kartu AK/I");
    check(&browser, "/pencaker/ak1");
    for path in [
        "/pencaker/lamaran",
        "/pencaker/pelatihan",
        "/pencaker/bursa-kerja",
        "/pencaker/peringatan",
        "/pencaker/data-saya",
    ] {
        browser.go(&at(path));
        check(&browser, path);
    }
    // Applying with an incomplete profile: the page says what is missing.
    browser.go(&at("/lowongan"));
    browser.click(".hit h3 a");
    browser.wait_for_text("Cara melamar");
    browser.click(".apply a[role=button]");
    browser.wait_for_text("Lengkapi profil Anda sebelum melamar");
    check(&browser, "/lowongan/{id}/lamar");
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");

    // The counter: an operator opens the oldest request, issues the card and prints it;
    // the printed verification address opens the public check.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "operator@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/petugas/pencaker"));
    browser.wait_for_text("menunggu pemeriksaan");
    check(&browser, "/petugas/pencaker");
    // The operator's search bar on a phone: label above, field and button side by side
    // (the button a full, tappable one), hint below.
    let bar = browser.execute(
        "const at = s => document.querySelector(s).getBoundingClientRect();
         const [l, i, b, h] = ['label[for=q]', '#q', 'form.search-form button', '#q-help'].map(at);
         return Math.abs(i.top - b.top) < 2 && l.bottom <= i.top + 1 && h.top >= i.bottom - 1
           && b.width >= 44 && b.height >= 44 && b.left >= i.right - 1;",
        json!([]),
    );
    assert_eq!(bar, json!(true), "the counter's search bar");
    browser.go(&at("/petugas/pencaker/baru"));
    check(&browser, "/petugas/pencaker/baru");
    // The demo's fairs: 1 was held two months ago, 2 is next month's.
    for path in [
        "/petugas/pelatihan/lembaga",
        "/petugas/pelatihan/lembaga/baru",
        "/petugas/pelatihan/program",
        "/petugas/bursa-kerja",
        "/petugas/bursa-kerja/baru",
        "/petugas/bursa-kerja/2",
        "/petugas/bursa-kerja/2/stan",
        "/petugas/bursa-kerja/2/pintu",
        "/petugas/bursa-kerja/1/laporan",
    ] {
        browser.go(&at(path));
        check(&browser, path);
    }
    // The demo's JKP recipients, and one recipient's follow-up with its forms.
    browser.go(&at("/petugas/jkp"));
    browser.wait_for_text("Penerima JKP");
    check(&browser, "/petugas/jkp");
    browser.click("table tbody a");
    browser.wait_for_text("Catat bimbingan jabatan");
    check(&browser, "/petugas/jkp/{id}");
    // A finished demo programme: its figures, participants with their decisions, and the
    // attendance sheet of its last day.
    browser.go(&at("/petugas/pelatihan/hasil"));
    browser.wait_for_text("tingkat kelulusan");
    check(&browser, "/petugas/pelatihan/hasil");
    browser.click("table.outcomes tbody a");
    browser.wait_for_text("Pendaftar dan peserta");
    check(&browser, "/petugas/pelatihan/program/{id}");
    browser.click("a[href$='/kehadiran']");
    browser.wait_for_text("Kehadiran");
    check(&browser, "/petugas/pelatihan/program/{id}/kehadiran");
    browser.go(&at("/petugas/pencaker"));
    browser.click("section[aria-labelledby=queue-heading] table a");
    browser.wait_for_text("Pembukaan halaman ini tercatat");
    check(&browser, "/petugas/pencaker/{id}");
    browser.click("form[action$='/ak1/terbitkan'] button");
    browser.wait_for_text("Kartu AK/I diterbitkan.");
    browser.click("a[href$='/ak1/cetak']");
    browser.wait_for_text("Kode pemeriksaan");
    check(&browser, "/petugas/pencaker/{id}/ak1/cetak");
    // Issue 18, item 5: printed, each face of the card is one page of 148 × 105 mm.
    let pdf = browser.print_pdf();
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/ak1-card.pdf"),
        &pdf,
    )
    .unwrap();
    // Nothing on a face is cut off by its page.
    browser.emulate_media("print");
    let overflowing = browser.execute(
        "return [...document.querySelectorAll('.ak1-card')]
           .filter(c => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1)
           .map(c => c.getAttribute('aria-label'));",
        json!([]),
    );
    browser.screenshot(
        &std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/ak1-card-print.png"),
    );
    browser.emulate_media("");
    assert_eq!(overflowing, json!([]), "faces cut off in print");
    let printed = pdf_page_sizes(&pdf);
    assert_eq!(printed.len(), 2, "one page a face: {printed:?}");
    for (width, height) in printed {
        let mm = |points: f64| points * 25.4 / 72.0;
        assert!(
            (mm(width) - 148.0).abs() < 0.5 && (mm(height) - 105.0).abs() < 0.5,
            "a page of {:.1} × {:.1} mm",
            mm(width),
            mm(height)
        );
    }
    let verify = browser.execute(
        "return document.querySelector('.ak1-verify small').textContent.trim().split(' ').pop();",
        json!([]),
    );
    let verify = verify
        .as_str()
        .expect("the verification address")
        .to_owned();
    assert!(verify.starts_with(&portal.base), "{verify}");
    browser.go(&verify);
    browser.wait_for_text("Kartu asli dan terdaftar");
    check(&browser, "/ak1/cek");
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");

    // A demo employer with applicants: the pipeline and one applicant.
    let (employer_email, vacancy, application) = demo_applicant(&portal);
    browser.go(&at("/masuk"));
    browser.type_into("#email", &employer_email);
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at(&format!("/perusahaan/lowongan/{vacancy}/pelamar")));
    browser.wait_for_text("Pelamar:");
    check(&browser, "/perusahaan/lowongan/{id}/pelamar");
    browser.go(&at(&format!(
        "/perusahaan/lowongan/{vacancy}/pelamar/{application}"
    )));
    browser.wait_for_text("Riwayat lamaran");
    check(&browser, "/perusahaan/lowongan/{id}/pelamar/{app}");
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");

    // A training provider's own page.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "lembaga@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/lembaga/profil"));
    browser.wait_for_text("UPT Balai Latihan Kerja Kota Binjai");
    check(&browser, "/lembaga/profil");
    for path in [
        "/lembaga/program",
        "/lembaga/program/baru",
        "/lembaga/hasil",
    ] {
        browser.go(&at(path));
        check(&browser, path);
    }
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");

    // The ministry's partner user: its data sets, then a page of masked job seekers.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "mitra@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/mitra"));
    browser.wait_for_text("Kelompok data yang diizinkan");
    check(&browser, "/mitra");
    browser.go(&at("/mitra/job-seekers"));
    browser.wait_for_text("Halaman berikutnya");
    check(&browser, "/mitra/{dataset}");
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");

    // The verifier's queues.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "verifikator@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    for path in [
        "/petugas/verifikasi/perusahaan",
        "/petugas/verifikasi/lowongan",
        "/petugas/wlkp",
        "/petugas/wlkp/terlambat",
    ] {
        browser.go(&at(path));
        check(&browser, path);
    }
    // A demo company's report waiting for review, with its figures and the review form.
    browser.go(&at("/petugas/wlkp"));
    browser.click("table tbody a");
    browser.wait_for_text("Laporan WLKP");
    check(&browser, "/petugas/wlkp/{id}");
    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");
    // The data steward's imports.
    browser.go(&at("/masuk"));
    browser.type_into("#email", "walidata@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/petugas/impor"));
    check(&browser, "/petugas/impor");
    // The dashboard's charts, then their tables opened, then a bad filter's message.
    browser.go(&at("/petugas/dasbor"));
    browser.wait_for_text("Dasbor pasar kerja");
    check(&browser, "/petugas/dasbor");
    browser.execute(
        "document.querySelectorAll('details').forEach(d => d.open = true); return true;",
        json!([]),
    );
    check(&browser, "/petugas/dasbor (tables open)");
    browser.go(&at("/petugas/dasbor?kecamatan=12.75.99"));
    browser.wait_for_text("tidak dikenal");
    check(&browser, "/petugas/dasbor?kecamatan=12.75.99");
    // The IPK statistics: last month still open (the sign-off form is on the page), then a
    // month the demo signed, as a page and as its print view.
    browser.go(&at("/petugas/statistik"));
    browser.wait_for_text("Statistik IPK");
    check(&browser, "/petugas/statistik");
    let signed = sibuser::ipk::Month::of(sibuser::domain::calendar::today())
        .previous()
        .previous();
    let form = format!("/petugas/statistik/iii-1?dari={signed}&sampai={signed}");
    browser.go(&at(&form));
    browser.wait_for_text("Ikhtisar Statistik Antar Kerja");
    check(&browser, "/petugas/statistik/{form}");
    browser.go(&at(&format!("{form}&tampilan=cetak")));
    browser.wait_for_text("Ikhtisar Statistik Antar Kerja");
    check(&browser, "/petugas/statistik/{form}?tampilan=cetak");
    // Open data, once the data steward has closed the months before this one.
    close_past_months(&portal);
    browser.go(&at("/data-terbuka"));
    check(&browser, "/data-terbuka");
    browser.click("ul.datasets a");
    browser.wait_for_text("Metadata (Satu Data Indonesia)");
    check(&browser, "/data-terbuka/{dataset}");
    // The sharing API's documentation, with a data set's columns opened.
    browser.go(&at("/dokumentasi-api"));
    browser.wait_for_text("Dokumentasi API berbagi data");
    browser.click("details summary");
    check(&browser, "/dokumentasi-api");
    // An export: the form, then its page until the worker is done and the script shows the
    // download link.
    browser.go(&at("/petugas/ekspor"));
    check(&browser, "/petugas/ekspor");
    browser.execute(
        "document.querySelector('select[name=data]').value = 'wlkp'; return true;",
        json!([]),
    );
    browser.click("form[action='/petugas/ekspor'] button[type=submit]");
    browser.wait_for_text("/unduh");
    check(&browser, "/petugas/ekspor/{id}");
    // The data-sharing partners and one partner's page with its grants and key form.
    browser.go(&at("/petugas/mitra"));
    check(&browser, "/petugas/mitra");
    browser.click("table a[href^='/petugas/mitra/']");
    browser.wait_for_text("Kunci API");
    check(&browser, "/petugas/mitra/{id}");
    // What went out to whom by day, then a bad period's message with the form.
    browser.go(&at("/petugas/mitra/log"));
    browser.wait_for_text("Data keluar per hari");
    check(&browser, "/petugas/mitra/log");
    browser.go(&at("/petugas/mitra/log?dari=2026-13-01"));
    browser.wait_for_text("TTTT-BB-HH");
    check(&browser, "/petugas/mitra/log?dari=bad");
    // The push to the national system: not configured on the demo, so its state and an
    // empty list of parked events.
    browser.go(&at("/petugas/sinkronisasi"));
    browser.wait_for_text("Sinkronisasi SIAPkerja");
    check(&browser, "/petugas/sinkronisasi");
    // What was pulled from the national system, with a conflict to decide.
    browser.go(&at("/petugas/sinkronisasi/tarikan"));
    browser.wait_for_text("Menunggu keputusan walidata");
    check(&browser, "/petugas/sinkronisasi/tarikan");
    // The page an e-mailed NIK check opens, here for a link that no longer works.
    browser.go(&at("/konfirmasi-penduduk/tautan-lama"));
    browser.wait_for_text("Konfirmasi data Anda di Dinas");
    check(&browser, "/konfirmasi-penduduk/{token}");

    assert!(
        problems.is_empty(),
        "serious or critical accessibility problems:\n{}",
        problems.join("\n")
    );
    // Every page visited is valid HTML, as the Nu HTML checker reads it.
    let invalid = vnu(&pages);
    assert!(invalid.is_empty(), "vnu:\n{}", invalid.join("\n"));
}

/// The progress bar of an export's page moves as the job reports progress, without the
/// page being reloaded, and the page reloads once when the job is over.
#[test]
fn an_exports_progress_bar_moves_without_a_reload() {
    use diesel::prelude::*;
    use sibuser::schema::{exports, file_jobs, users};
    if !enabled() {
        return;
    }
    let portal = start_portal();
    // Signed in first: the portal answers once its demo data is loaded.
    let browser = Browser::start();
    let at = |path: &str| format!("{}{path}", portal.base);
    sign_in(&browser, &portal, "walidata@sibuser.example");
    let file = portal._dir.path().join("data/sibuser.db");
    let url = sibuser::config::DatabaseUrl::parse(&format!("sqlite://{}", file.display())).unwrap();
    let pool = sibuser::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let steward: i32 = users::table
        .filter(users::email.eq("walidata@sibuser.example"))
        .select(users::id)
        .first(&mut conn)
        .unwrap();
    let now = chrono::Utc::now().naive_utc();
    // Running and freshly claimed, so the portal's own worker leaves it alone.
    let job: i32 = diesel::insert_into(file_jobs::table)
        .values((
            file_jobs::kind.eq("export"),
            file_jobs::params.eq("{}"),
            file_jobs::requested_by.eq(steward),
            file_jobs::status.eq("running"),
            file_jobs::rows_total.eq(100_i64),
            file_jobs::attempts.eq(1),
            file_jobs::created_at.eq(now),
            file_jobs::updated_at.eq(now),
            file_jobs::claimed_at.eq(now),
        ))
        .returning(file_jobs::id)
        .get_result(&mut conn)
        .unwrap();
    let export: i32 = diesel::insert_into(exports::table)
        .values((
            exports::job_id.eq(job),
            exports::dataset.eq("wlkp"),
            exports::format.eq("csv"),
            exports::unmasked.eq(false),
            exports::requested_by.eq(steward),
            exports::created_at.eq(now),
        ))
        .returning(exports::id)
        .get_result(&mut conn)
        .unwrap();

    browser.go(&at(&format!("/petugas/ekspor/{export}")));
    browser.wait_for_text("0 dari 100 baris");
    browser.execute("window.sameDocument = 'yes'; return true;", json!([]));

    diesel::update(file_jobs::table.find(job))
        .set(file_jobs::rows_done.eq(40_i64))
        .execute(&mut conn)
        .unwrap();
    browser.wait_for_text("40 dari 100 baris");
    let state = browser.execute(
        "var p = document.querySelector('progress'); return [p.value, p.max, window.sameDocument || null];",
        json!([]),
    );
    assert_eq!(state, json!([40, 100, "yes"]), "{state}");

    diesel::update(file_jobs::table.find(job))
        .set((
            file_jobs::status.eq("failed"),
            file_jobs::message.eq("job.message.internal"),
        ))
        .execute(&mut conn)
        .unwrap();
    browser.wait_for_text("kesalahan di sisi kami");
    let state = browser.execute(
        "return [document.querySelector('progress') === null, window.sameDocument || null];",
        json!([]),
    );
    assert_eq!(state, json!([true, null]), "reloaded once: {state}");
}

/// Signing in through SIAPkerja in Chromium: the forms that leave for the provider are
/// allowed to by the pages' policy (browsers check `form-action` on the redirect), and
/// the pages on the way pass axe.
#[test]
fn a_resident_links_siapkerja_and_signs_in_through_it_in_a_real_browser() {
    if !enabled() {
        return;
    }
    let axe_source = axe_source();
    let sandbox = crate::national::Sandbox::with(crate::national::options());
    let issuer = format!("{}/oidc", sandbox.base);
    let client = sibuser::national::sandbox::OidcClient::default();
    let portal = start_portal_with(&[
        ("SIBUSER_OIDC_ISSUER", &issuer),
        ("SIBUSER_OIDC_CLIENT_ID", &client.id),
        ("SIBUSER_OIDC_CLIENT_SECRET", &client.secret),
    ]);
    let browser = Browser::start();
    let at = |path: &str| format!("{}{path}", portal.base);
    let mut problems: Vec<String> = Vec::new();

    browser.go(&at("/bahasa/id?next=/masuk"));
    browser.wait_for_text("Masuk dengan SIAPkerja");
    problems.extend(axe(&browser, &axe_source));
    browser.type_into("#email", "pencaker@sibuser.example");
    browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/masuk'] button[type=submit]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/akun"));
    browser.wait_for_text("Hubungkan dengan SIAPkerja");
    problems.extend(axe(&browser, &axe_source));
    browser.type_into("#sso_password", sibuser::demo::DEMO_PASSWORD);
    browser.click("form[action='/akun/sso'] button[type=submit]");
    browser.wait_for_title("SIAPkerja (sandbox)");
    browser.click("button[value=allow]");
    browser.wait_for_text("Akun SIAPkerja dihubungkan");

    sign_out(&browser);
    browser.wait_for_text("Anda telah keluar");
    browser.go(&at("/masuk"));
    browser.click("form[action='/masuk/sso'] button[type=submit]");
    browser.wait_for_title("SIAPkerja (sandbox)");
    browser.click("button[value=allow]");
    browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
    browser.go(&at("/akun"));
    browser.wait_for_text("pencaker@sibuser.example");
    assert!(
        browser
            .source()
            .contains("terhubung dengan SIAPkerja sejak"),
        "signed in through SIAPkerja, as the account page says"
    );
    assert!(problems.is_empty(), "axe: {problems:#?}");
}

/// Issue 18, item 1: on a 360 × 640 phone a keyword search shows its first result on the
/// first screen (the filters folded), the whole card opens the vacancy, and the vacancy's
/// apply action is on the first screen; on a wide screen the filters stand open in a
/// column beside the results.
#[test]
fn on_a_phone_results_and_the_apply_action_come_first() {
    if !enabled() {
        return;
    }
    let axe_source = axe_source();
    let portal = start_portal();
    let browser = Browser::start();
    let at = |path: &str| format!("{}{path}", portal.base);
    let mut problems: Vec<String> = Vec::new();
    browser.resize(360, 640);
    let on_first_screen = |css: &str| {
        browser.execute(
            "const e = document.querySelector(arguments[0]);
             if (!e || e.offsetParent === null) return 'missing or hidden';
             const r = e.getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight
               ? true : [r.top, r.bottom, window.innerHeight];",
            json!([css]),
        )
    };

    browser.go(&at("/bahasa/id?next=/"));
    browser.type_into("#home-q", "staf");
    browser.click("form[action='/lowongan'] button[type=submit]");
    browser.wait_for_text("lowongan ditemukan");
    assert_eq!(
        browser.execute(
            "return document.querySelector('details.filters').open;",
            json!([])
        ),
        json!(false),
        "a keyword alone leaves the filters folded"
    );
    assert_eq!(on_first_screen(".hits .hit h3"), json!(true));
    problems.extend(axe(&browser, &axe_source));

    // A tap anywhere on the card lands on the vacancy's link.
    let card_is_the_link = browser.execute(
        "const hit = document.querySelector('.hits .hit');
         const r = hit.querySelector('.hit-facts').getBoundingClientRect();
         const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
         return at === hit.querySelector('h3 a');",
        json!([]),
    );
    assert_eq!(card_is_the_link, json!(true));
    browser.click(".hits .hit h3 a");
    browser.wait_for_text("Cara melamar");
    assert_eq!(on_first_screen(".apply-top a"), json!(true));
    problems.extend(axe(&browser, &axe_source));

    // A filter set: the panel says how many, and opens.
    browser.go(&at("/lowongan?q=staf&jenis=pkwt"));
    browser.wait_for_text("Saring hasil (1)");

    browser.resize(1366, 768);
    browser.go(&at("/lowongan?q=staf"));
    browser.wait_for_text("lowongan ditemukan");
    let side_by_side = browser.execute(
        "const f = document.querySelector('details.filters');
         const r = document.querySelector('.results');
         return f.open && f.getBoundingClientRect().right <= r.getBoundingClientRect().left;",
        json!([]),
    );
    assert_eq!(
        side_by_side,
        json!(true),
        "filters open in a column beside the results"
    );
    problems.extend(axe(&browser, &axe_source));

    // Issue 18, item 8: the employer's tables on a phone are cards, nothing runs off the
    // screen, and the boxes to tick and the actions are 44 px targets.
    browser.resize(360, 640);
    let (employer, vacancy, _) = demo_applicant(&portal);
    sign_in(&browser, &portal, &employer);
    let fits = |browser: &Browser| {
        browser.execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            json!([]),
        )
    };
    let smallest = |browser: &Browser, css: &str| {
        browser.execute(
            "const sizes = [...document.querySelectorAll(arguments[0])]
               .filter(e => e.checkVisibility())
               .map(e => { const r = e.getBoundingClientRect(); return Math.min(r.width, r.height); });
             return sizes.length ? Math.min(...sizes) : 'none';",
            json!([css]),
        )
    };
    browser.go(&at(&format!("/perusahaan/lowongan/{vacancy}/pelamar")));
    browser.wait_for_text("Pelamar");
    assert_eq!(fits(&browser), json!(true), "the pipeline fits a phone");
    assert_eq!(
        browser.execute(
            "return getComputedStyle(document.querySelector('table.stack tbody tr')).display;",
            json!([])
        ),
        json!("block"),
        "an applicant is a card"
    );
    let target = smallest(&browser, ".row-select .tap-target");
    assert!(
        target.as_f64().is_some_and(|s| s >= 44.0),
        "tick box target {target}"
    );
    let tabs = smallest(&browser, ".stage-tabs a");
    assert!(tabs.as_f64().is_some_and(|s| s >= 44.0), "stage tab {tabs}");
    problems.extend(axe(&browser, &axe_source));
    browser.go(&at("/perusahaan/lowongan"));
    browser.wait_for_text("Pelamar");
    assert_eq!(fits(&browser), json!(true), "the vacancy list fits a phone");
    let actions = browser.execute(
        "return [...document.querySelectorAll('.action-list a, .action-list button')]
           .filter(e => e.checkVisibility())
           .map(e => e.getBoundingClientRect().height);",
        json!([]),
    );
    let heights: Vec<f64> = actions
        .as_array()
        .map(|a| a.iter().filter_map(|h| h.as_f64()).collect())
        .unwrap_or_default();
    assert!(
        !heights.is_empty() && heights.iter().all(|h| *h >= 44.0),
        "every action is a 44 px target: {heights:?}"
    );
    browser.screenshot(
        &std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("screenshots/employer-vacancies-360.png"),
    );
    problems.extend(axe(&browser, &axe_source));
    assert!(problems.is_empty(), "axe: {problems:#?}");
}

/// The page each demo role opens most: its daily task.
fn main_task(role: &str) -> &'static str {
    match role {
        "job_seeker" => "/pencaker/lamaran",
        "employer" => "/perusahaan/lowongan",
        "training_provider" => "/lembaga/program",
        "operator" => "/petugas/pencaker",
        "verifier" => "/petugas/verifikasi/lowongan",
        "data_steward" => "/petugas/statistik",
        "super_admin" => "/admin/pengguna",
        "partner_user" => "/mitra",
        other => panic!("no main task named for the role {other}"),
    }
}

/// Issue 18, item 2 and its "Done when": every demo role signs in and lands on its own home
/// page, at 360 × 640 and at 1366 × 768, with the page's script on and off. On the phone
/// the menu is one "Menu" button under which the links fold, so the page starts at the
/// top; on the wide screen the links stand in one row. A screenshot of each home page at
/// both widths is kept for review (`target/tmp/screenshots/`).
#[test]
fn every_role_lands_on_its_home_page_through_a_menu_that_folds_on_phones() {
    if !enabled() {
        return;
    }
    let axe_source = axe_source();
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let portal = start_portal();
    let at = |path: &str| format!("{}{path}", portal.base);
    let mut problems: Vec<String> = Vec::new();
    let mut pages: Vec<(String, String)> = Vec::new();
    let visible = |browser: &Browser, css: &str| {
        browser.execute(
            "const e = document.querySelector(arguments[0]);
             if (!e) return 'missing';
             const r = e.getBoundingClientRect();
             return e.checkVisibility() && r.width > 0 && r.bottom <= window.innerHeight;",
            json!([css]),
        )
    };
    for script in [true, false] {
        // axe is a script itself: it checks the pages with script on (they are the same
        // markup with it off).
        let checked = |browser: &Browser| {
            if script {
                axe(browser, &axe_source)
            } else {
                Vec::new()
            }
        };
        let browser = if script {
            Browser::start()
        } else {
            Browser::start_without_script()
        };
        let run = if script { "script" } else { "no-script" };
        for (email, _, role) in sibuser::demo::DEMO_ACCOUNTS {
            let role = role.as_str();
            browser.resize(360, 640);
            browser.go(&at("/bahasa/id?next=/masuk"));
            browser.wait_for_title("Masuk ke SIBUSER · SIBUSER Kota Binjai");
            browser.type_into("#email", email);
            browser.type_into("#password", sibuser::demo::DEMO_PASSWORD);
            browser.click("form[action='/masuk'] button[type=submit]");
            browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
            assert_eq!(
                browser.execute("return window.innerWidth;", json!([])),
                json!(360)
            );

            // Folded: the page's heading is near the top, the menu's links are hidden.
            assert_eq!(
                visible(&browser, ".site-menu a[href='/saya']"),
                json!(false),
                "{role} ({run}): the menu folds on a phone"
            );
            let heading_top = browser.execute(
                "return document.querySelector('main h1').getBoundingClientRect().top;",
                json!([]),
            );
            assert!(
                heading_top.as_f64().is_some_and(|top| top < 200.0),
                "{role} ({run}): the page starts at the top, its heading at {heading_top}"
            );
            browser.screenshot(&shots.join(format!("{role}-360-{run}.png")));
            problems.extend(
                checked(&browser)
                    .into_iter()
                    .map(|p| format!("{role} 360: {p}")),
            );
            // Unfolded with a tap: the links show on the first screen.
            open_menu(&browser);
            assert_eq!(
                visible(&browser, ".site-menu a[href='/saya']"),
                json!(true),
                "{role} ({run}): the menu opens with a tap"
            );
            problems.extend(
                checked(&browser)
                    .into_iter()
                    .map(|p| format!("{role} 360 menu: {p}")),
            );

            // Wide: no button, the links in one row beside the brand.
            browser.resize(1366, 768);
            browser.go(&at("/saya"));
            browser.wait_for_title("Beranda saya · SIBUSER Kota Binjai");
            assert_eq!(
                visible(&browser, ".site-menu > summary"),
                json!(false),
                "{role} ({run}): no menu button on a wide screen"
            );
            assert_eq!(
                visible(&browser, ".menu-wide a[href='/saya']"),
                json!(true),
                "{role} ({run}): the links stand open on a wide screen"
            );
            let rows = browser.execute(
                "const tops = [...document.querySelectorAll('.menu-wide .nav-links > li')]
                   .map(li => Math.round(li.getBoundingClientRect().top / 10));
                 return new Set(tops).size;",
                json!([]),
            );
            browser.screenshot(&shots.join(format!("{role}-1366-{run}.png")));
            if script {
                pages.push((format!("/saya ({role})"), markup(&browser)));
            }
            assert_eq!(rows, json!(1), "{role} ({run}): the menu is one row");
            problems.extend(
                checked(&browser)
                    .into_iter()
                    .map(|p| format!("{role} 1366: {p}")),
            );

            // The role's main task at both widths: the page opens and nothing runs off a
            // phone's screen (wide tables scroll inside their own box).
            let task = main_task(role);
            for (width, height) in [(1366, 768), (360, 640)] {
                browser.resize(width, height);
                browser.go(&at(task));
                let fits = browser.execute(
                    "return document.title.includes('SIBUSER')
                       && document.documentElement.scrollWidth <= window.innerWidth;",
                    json!([]),
                );
                assert_eq!(fits, json!(true), "{role} ({run}): {task} at {width} px");
                problems.extend(
                    checked(&browser)
                        .into_iter()
                        .map(|p| format!("{role} {task} {width}: {p}")),
                );
            }
            if script {
                pages.push((format!("{task} ({role})"), markup(&browser)));
            }
            sign_out(&browser);
            browser.wait_for_text("Anda telah keluar");
        }
    }
    assert!(problems.is_empty(), "axe: {problems:#?}");
    let invalid = vnu(&pages);
    assert!(invalid.is_empty(), "vnu:\n{}", invalid.join("\n"));
}

/// Issue 18, item 3: on a phone the profile is a list of short pages. Each row of the list
/// is one 44 px target that opens its page, the list fits the screen, a page saved leads
/// back to the list, and both pass axe.
#[test]
fn the_profile_is_a_task_list_a_phone_works_through() {
    if !enabled() {
        return;
    }
    let axe_source = axe_source();
    let portal = start_portal();
    let at = |path: &str| format!("{}{path}", portal.base);
    let browser = Browser::start();
    browser.resize(360, 640);
    sign_in(&browser, &portal, "pencaker@sibuser.example");

    browser.go(&at("/pencaker/profil"));
    browser.wait_for_text("bagian wajib sudah selesai");
    assert_eq!(
        browser.execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            json!([])
        ),
        json!(true),
        "the list fits a phone"
    );
    let rows = browser.execute(
        "return [...document.querySelectorAll('.task-list-item')]
           .map(li => Math.round(li.getBoundingClientRect().height));",
        json!([]),
    );
    let heights: Vec<f64> = rows
        .as_array()
        .map(|a| a.iter().filter_map(|h| h.as_f64()).collect())
        .unwrap_or_default();
    assert!(
        heights.len() >= 9 && heights.iter().all(|h| *h >= 44.0),
        "every task is a 44 px row: {heights:?}"
    );
    // A thumb on the status, at the row's far side, still opens the task.
    let under_status = browser.execute(
        "const r = document.getElementById('task-data-diri-status').getBoundingClientRect();
         const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
         const link = hit && hit.closest('a');
         return link ? link.getAttribute('href') : String(hit && hit.outerHTML);",
        json!([]),
    );
    assert_eq!(under_status, json!("/pencaker/profil/data-diri"));
    browser.screenshot(
        &std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("screenshots/profile-tasks-360.png"),
    );
    let mut problems = axe(&browser, &axe_source);

    browser.click("a[href='/pencaker/profil/data-diri']");
    browser.wait_for_text("Jenis kelamin");
    problems.extend(axe(&browser, &axe_source));
    browser.type_into("#birth_place", "Binjai");
    browser.click("form.form-page button[type=submit]");
    browser.wait_for_text("Profil tersimpan.");
    assert_eq!(
        browser.execute("return location.pathname;", json!([])),
        json!("/pencaker/profil"),
        "a saved page leads back to the list"
    );
    assert!(problems.is_empty(), "axe: {problems:#?}");
}
