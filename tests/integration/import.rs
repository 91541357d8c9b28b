//! Bulk import as the data steward and the operator meet it: files as spreadsheets really
//! save them, every bad row named by line and column with nothing written, a second import
//! of the same file changing nothing, the web flow from upload to done, and the CLI.

use std::path::Path;
use std::process::Command;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use diesel::prelude::*;
use sibuser::employers::{NewCompany, VerificationStatus};
use sibuser::import::reader::Table;
use sibuser::import::{Collect, Counts, Importer, Kind, WriteError, importer};
use sibuser::schema::{vacancies, vacancy_events};

use crate::common::{TestApp, seed_demo, signed_in, with_conn};

pub(crate) const NIB: &str = "9120001234567";

/// A verified company with [`NIB`], and one waiting for verification with another NIB.
pub(crate) fn companies(app: &TestApp) {
    with_conn(app, |c| {
        let kbli = sibuser::domain::KbliCode::parse("G").unwrap();
        for (name, nib, verified) in [
            ("PT Sumber Rezeki", NIB, true),
            ("CV Belum Terverifikasi", "9120007654321", false),
        ] {
            let id = sibuser::employers::create_company(
                c,
                &NewCompany {
                    name,
                    nib: Some(nib),
                    npwp: None,
                    kbli_section: &kbli,
                    address: "Jl. Sudirman 1",
                    kelurahan_code: Some("12.75.02.1006"),
                    regency_code: "12.75",
                },
            )
            .unwrap();
            if verified {
                sibuser::employers::set_status(c, id, VerificationStatus::Verified, None, None)
                    .unwrap();
            }
        }
    });
}

pub(crate) fn closing() -> String {
    (sibuser::domain::calendar::today() + chrono::Duration::days(20))
        .format("%d/%m/%Y")
        .to_string()
}

const HEADER: &[&str] = &[
    "Tanggal Tutup",
    "ID Eksternal",
    "NIB",
    "Judul",
    "kode_kbji",
    "Deskripsi",
    "Persyaratan",
    "Pendidikan Minimal",
    "jenis hubungan kerja",
    "Kelurahan",
    "Kuota Perempuan",
];

/// A row in [`HEADER`]'s order.
pub(crate) fn row(id: &str, nib: &str, title: &str, quota: &str, closes: &str) -> Vec<String> {
    [
        closes,
        id,
        nib,
        title,
        "5230",
        "Melayani pembayaran pelanggan di toko kami setiap hari.",
        "Jujur, teliti, dan ramah.",
        "SMA",
        "kontrak",
        "12.75.02.1006",
        quota,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// A CSV with a BOM and semicolons, as Excel in an Indonesian locale saves it.
pub(crate) fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = String::from("\u{FEFF}");
    text.push_str(&HEADER.join(";"));
    text.push_str("\r\n");
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains([';', '"', '\n']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        text.push_str(&cells.join(";"));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

fn vacancies_importer() -> &'static dyn Importer {
    importer(Kind::Vacancies)
}

fn check(app: &TestApp, bytes: Vec<u8>) -> (Counts, Vec<sibuser::import::Problem>) {
    with_conn(app, |c| {
        let mut found = Collect::default();
        let counts = vacancies_importer()
            .check(c, Table::open(bytes).unwrap(), &mut found)
            .unwrap();
        (counts, found.problems)
    })
}

pub(crate) fn write(app: &TestApp, bytes: Vec<u8>, only_valid: bool) -> Result<Counts, WriteError> {
    with_conn(app, |c| {
        vacancies_importer().write(
            c,
            Table::open(bytes).unwrap(),
            None,
            only_valid,
            &mut Collect::default(),
        )
    })
}

fn imported(app: &TestApp) -> Vec<(String, String, String)> {
    with_conn(app, |c| {
        vacancies::table
            .filter(vacancies::external_ref.is_not_null())
            .order(vacancies::external_ref)
            .select((
                vacancies::external_ref.assume_not_null(),
                vacancies::title,
                vacancies::status,
            ))
            .load(c)
            .unwrap()
    })
}

db_test!(
    a_spreadsheets_csv_is_written_once_and_again_changes_nothing,
    |app| {
        companies(&app);
        let file = csv(&[
            row("L-1", NIB, "Kasir Toko", "2", &closing()),
            row("L-2", NIB, "Kasir; shift malam", "1", &closing()),
        ]);
        let (counts, problems) = check(&app, file.clone());
        assert_eq!(problems, []);
        assert_eq!((counts.rows, counts.bad), (2, 0));
        // Checking writes nothing.
        assert!(imported(&app).is_empty());

        let first = write(&app, file.clone(), false).unwrap();
        assert_eq!((first.created, first.updated, first.unchanged), (2, 0, 0));
        let rows = imported(&app);
        assert_eq!(
            rows,
            [
                ("L-1".into(), "Kasir Toko".into(), "submitted".into()),
                (
                    "L-2".into(),
                    "Kasir; shift malam".into(),
                    "submitted".into()
                ),
            ]
        );
        // Each new vacancy has its dated event, as one an employer sends does.
        let events: i64 = with_conn(&app, |c| {
            vacancy_events::table
                .filter(vacancy_events::status.eq("submitted"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(events, 2);

        let again = write(&app, file, false).unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
        assert_eq!(imported(&app), rows);

        // A row that changed updates its vacancy, found by its id in the list.
        let changed = csv(&[
            row("L-1", NIB, "Kasir Toko Baru", "2", &closing()),
            row("L-2", NIB, "Kasir; shift malam", "1", &closing()),
        ]);
        let counts = write(&app, changed, false).unwrap();
        assert_eq!(
            (counts.created, counts.updated, counts.unchanged),
            (0, 1, 1)
        );
        assert_eq!(imported(&app)[0].1, "Kasir Toko Baru");
        assert_eq!(imported(&app).len(), 2);
    }
);

db_test!(windows_1252_text_is_read_as_the_user_wrote_it, |app| {
    companies(&app);
    let mut bytes = csv(&[row("L-1", NIB, "Kasir Kafe", "1", &closing())]);
    bytes.drain(..3); // no BOM: Excel's "CSV" on Windows is Windows-1252
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace("Kasir Kafe", "Kasir Kafé");
    let (encoded, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    write(&app, encoded.into_owned(), false).unwrap();
    assert_eq!(imported(&app)[0].1, "Kasir Kafé");
});

db_test!(an_xlsx_with_excel_dates_and_numbers_is_read, |app| {
    companies(&app);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let r = row("L-9", NIB, "Kasir Toko", "3", "");
    for (col, header) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    for (col, value) in r.iter().enumerate().skip(1) {
        sheet.write_string(1, col as u16, value.as_str()).unwrap();
    }
    // The NIB and the quota typed as numbers, the closing date as an Excel date.
    sheet
        .write_number(1, 2, NIB.parse::<f64>().unwrap())
        .unwrap();
    sheet.write_number(1, 10, 3.0).unwrap();
    let closes = sibuser::domain::calendar::today() + chrono::Duration::days(20);
    let serial = (closes - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
    sheet
        .write_number_with_format(1, 0, serial as f64, &date)
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let counts = write(&app, bytes, false).unwrap();
    assert_eq!(counts.created, 1);
    let stored: chrono::NaiveDate = with_conn(&app, |c| {
        vacancies::table
            .select(vacancies::closes_on)
            .first(c)
            .unwrap()
    });
    assert_eq!(stored, closes);
});

db_test!(
    every_bad_row_is_named_by_line_and_column_and_nothing_is_written,
    |app| {
        companies(&app);
        let good = row("L-1", NIB, "Kasir Toko", "1", &closing());
        let file = csv(&[
            good.clone(),
            row("L-2", NIB, "Kasir Toko", "dua", &closing()),
            row("L-3", NIB, "=cmd|' /C calc'!A0", "1", &closing()),
            row("L-1", NIB, "Kasir Toko lagi", "1", &closing()),
            row("L-5", "9120009999999", "Kasir Toko", "1", &closing()),
            row("L-6", "9120007654321", "Kasir Toko", "1", &closing()),
            row("L-7", NIB, "Kasir Toko", "1", "31/02/2026"),
            row("L-8", NIB, "Kasir Toko", "-1", &closing()),
        ]);
        let (counts, problems) = check(&app, file.clone());
        assert_eq!((counts.rows, counts.bad), (8, 7));
        let found: Vec<(u32, Option<&str>, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_deref(), p.reason))
            .collect();
        assert_eq!(
            found,
            [
                (3, Some("kuota_perempuan"), "import.cell.whole_number"),
                (4, Some("judul"), "import.cell.formula"),
                (5, Some("id_eksternal"), "import.row.duplicate"),
                (6, Some("nib"), "import.vacancies.error.nib_unknown"),
                (7, Some("nib"), "import.vacancies.error.company_unverified"),
                (8, Some("tanggal_tutup"), "import.cell.date"),
                // A signed number is a number (and then out of range), not a formula.
                (9, Some("kuota_bebas"), "vacancy.error.quota_number"),
            ]
        );
        assert_eq!(
            problems[2].detail.as_deref(),
            Some("2"),
            "sama dengan baris 2"
        );

        // Without the explicit choice, nothing is written.
        assert!(matches!(
            write(&app, file.clone(), false),
            Err(WriteError::BadRows(_))
        ));
        assert!(imported(&app).is_empty());
        // With it, the one good row is.
        let counts = write(&app, file, true).unwrap();
        assert_eq!((counts.created, counts.bad), (1, 7));
        assert_eq!(imported(&app).len(), 1);
    }
);

db_test!(a_file_without_a_required_header_is_refused_whole, |app| {
    companies(&app);
    let text = "id_eksternal,nib,judul,gaji\nL-1,9120001234567,Kasir,3000000\n";
    let (counts, problems) = check(&app, text.as_bytes().to_vec());
    assert!(counts.file_refused);
    assert_eq!(counts.rows, 0);
    let found: Vec<(u32, Option<&str>, &str)> = problems
        .iter()
        .map(|p| (p.line, p.column.as_deref(), p.reason))
        .collect();
    assert!(found.contains(&(1, Some("gaji"), "import.header.unknown")));
    assert!(found.contains(&(1, Some("tanggal_tutup"), "import.header.missing")));
    assert!(matches!(
        write(&app, text.as_bytes().to_vec(), true),
        Err(WriteError::BadRows(_))
    ));
});

/// A multipart body with the CSRF token first, as the upload form sends it.
pub(crate) fn multipart(token: &str, kind: &str, name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----sibuserimporttest";
    let mut body = Vec::new();
    for (field, value) in [("csrf_token", token), ("jenis", kind)] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) fn work(app: &TestApp) {
    let dir = sibuser::import::worker::dir(app.portal.state.settings.data_dir());
    assert!(sibuser::import::worker::run_once(app.pool(), &dir).unwrap());
}

db_test!(
    the_data_steward_uploads_reads_the_bad_rows_and_confirms,
    |app| {
        seed_demo(&app);
        companies(&app);
        // Others may not even see the page.
        let operator = signed_in(&app, "operator@sibuser.example").await;
        assert_eq!(
            operator.get("/petugas/impor").await.status,
            StatusCode::FORBIDDEN
        );

        let steward = signed_in(&app, "walidata@sibuser.example").await;
        let page = steward.get("/petugas/impor").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("64 MB");
        let template = steward.get("/petugas/impor/templat/vacancies/csv").await;
        assert_eq!(template.status, StatusCode::OK);
        assert!(template.body.contains("id_eksternal,nib,judul"));
        let token = crate::common::browser::csrf_token_in(&page.body).unwrap();
        let file = csv(&[
            row("W-1", NIB, "Kasir Toko", "1", &closing()),
            row("W-2", NIB, "Kasir Toko", "banyak", &closing()),
        ]);
        let (content_type, body) = multipart(&token, "vacancies", "loker.csv", &file);
        let res = steward
            .send(
                TestRequest::post()
                    .uri("/petugas/impor")
                    .insert_header(("content-type", content_type))
                    .set_payload(body),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let run_page = res.header("location").unwrap().to_owned();

        let waiting = steward.get(&run_page).await;
        waiting.assert_contains("data-refresh");
        work(&app);
        let checked = steward.get(&run_page).await;
        checked.assert_lacks("data-refresh");
        checked.assert_contains("kuota_perempuan");
        checked.assert_contains("bilangan bulat");
        // The list of one's imports leads back to it.
        steward
            .get("/petugas/impor")
            .await
            .assert_contains(&run_page);

        // Confirming without the choice writes nothing.
        let res = steward.post(&format!("{run_page}/tulis"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(imported(&app).is_empty());
        steward.get(&run_page).await;
        steward
            .post(&format!("{run_page}/tulis"), &[("hanya_valid", "on")])
            .await;
        work(&app);
        let done = steward.get(&run_page).await;
        done.assert_contains("Selesai");
        assert_eq!(imported(&app).len(), 1);
        // The uploaded file is gone once the run is done.
        let id: i32 = run_page.rsplit('/').next().unwrap().parse().unwrap();
        let run = with_conn(&app, |c| {
            sibuser::import::runs::find(c, sibuser::domain::ids::ImportRunId::new(id))
                .unwrap()
                .unwrap()
        });
        assert_eq!(run.stored_name, None);
        assert_eq!(
            (run.rows_created, run.rows_checked, run.rows_bad),
            (1, 2, 1)
        );
    }
);

pub(crate) fn sibuser_cli(app: &TestApp, dir: &Path, args: &[&str]) -> std::process::Output {
    let url = match app.db.url() {
        sibuser::config::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        sibuser::config::DatabaseUrl::Postgres(url) => url.to_string(),
    };
    Command::new(env!("CARGO_BIN_EXE_sibuser"))
        .args(args)
        .env_clear()
        .current_dir(dir)
        .env("SIBUSER_LOG", "warn")
        .env("SIBUSER_DATA_DIR", dir.join("data"))
        .env("DATABASE_URL", url)
        .output()
        .expect("run sibuser")
}

db_test!(
    the_cli_reports_like_the_web_and_writes_only_when_told,
    |app| {
        companies(&app);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("loker.csv");
        std::fs::write(
            &file,
            csv(&[
                row("C-1", NIB, "Kasir Toko", "1", &closing()),
                row("C-2", NIB, "Kasir Toko", "dua", &closing()),
            ]),
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let stdout = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();

        let dry = sibuser_cli(
            &app,
            dir.path(),
            &["import", "vacancies", path, "--dry-run"],
        );
        assert!(!dry.status.success());
        assert!(
            stdout(&dry).contains("Baris 3, kolom kuota_perempuan"),
            "{}",
            stdout(&dry)
        );
        assert!(imported(&app).is_empty());

        let refused = sibuser_cli(&app, dir.path(), &["import", "vacancies", path]);
        assert!(!refused.status.success());
        assert!(imported(&app).is_empty());

        let only = sibuser_cli(
            &app,
            dir.path(),
            &["import", "vacancies", path, "--only-valid", "--lang", "en"],
        );
        assert!(only.status.success(), "{}", stdout(&only));
        assert!(stdout(&only).contains("1 created"), "{}", stdout(&only));
        assert_eq!(imported(&app).len(), 1);

        let template = sibuser_cli(&app, dir.path(), &["import", "vacancies", "--template"]);
        assert!(template.status.success());
        assert!(stdout(&template).contains("id_eksternal,nib,judul"));

        let unknown = sibuser_cli(&app, dir.path(), &["import", "pekerja", path]);
        assert!(!unknown.status.success());
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown kind 'pekerja'"));

        // A 200 MB file is refused by its size, without being read.
        let huge = dir.path().join("besar.csv");
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(200 * 1024 * 1024)
            .unwrap();
        let big = sibuser_cli(
            &app,
            dir.path(),
            &["import", "vacancies", huge.to_str().unwrap(), "--dry-run"],
        );
        assert!(!big.status.success());
        assert!(stdout(&big).contains("64 MB"), "{}", stdout(&big));
    }
);

db_test!(an_upload_left_waiting_is_removed_after_a_week, |app| {
    use sibuser::import::runs;
    use sibuser::schema::import_runs;
    seed_demo(&app);
    let user =
        sibuser::domain::ids::UserId::new(crate::common::user_id(&app, "walidata@sibuser.example"));
    let dir = sibuser::import::worker::dir(app.portal.state.settings.data_dir());
    std::fs::create_dir_all(&dir).unwrap();
    let name = format!("lama-{:?}.csv", app.backend).to_lowercase();
    std::fs::write(dir.join(&name), b"id_eksternal\n").unwrap();
    let id = with_conn(&app, |c| {
        let id = runs::create(c, Kind::Vacancies, "lama.csv", &name, 13, user).unwrap();
        // Checked, then left without a decision for eight days.
        diesel::update(import_runs::table.find(id))
            .set((
                import_runs::status.eq("checked"),
                import_runs::created_at
                    .eq(chrono::Utc::now().naive_utc() - chrono::Duration::days(8)),
            ))
            .execute(c)
            .unwrap();
        assert_eq!(
            sibuser::import::worker::remove_old_files(c, &dir).unwrap(),
            1
        );
        id
    });
    assert!(!dir.join(&name).exists());
    let run = with_conn(&app, |c| runs::find(c, id).unwrap().unwrap());
    assert_eq!(run.status, sibuser::import::Status::Cancelled);
    assert_eq!(run.stored_name, None);
    assert_eq!(run.message.as_deref(), Some("import.message.expired"));
});
