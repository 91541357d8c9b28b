//! Exports as the data steward meets them: each data set with the rows its filter selects,
//! personal data masked unless a purpose is stated (and then in the audit log), the form
//! refusing bad input with what was typed, the queue running a job to its file with
//! progress, the file for its owner only and gone after a week, XLSX and JSON lines that
//! read back, and the command line writing the same file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use actix_web::http::StatusCode;
use chrono::{Datelike as _, Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sibuser::domain::calendar;
use sibuser::exports::request::Request;
use sibuser::exports::run::{self, Count};
use sibuser::exports::{Dataset, Filter, Format, datasets, worker};
use sibuser::schema::{
    audit_log, companies, employed_residents, exports, file_jobs, jkp_recipients, job_seekers,
    people, placements, training_enrolments, training_programmes, vacancies, wlkp_reports,
};

use crate::common::{TestApp, TestResponse, seed_demo, signed_in, with_conn};

trait Answer {
    fn assert_status(&self, status: StatusCode);
}

impl Answer for TestResponse {
    #[track_caller]
    fn assert_status(&self, status: StatusCode) {
        assert_eq!(self.status, status, "{}", self.body);
    }
}

const STEWARD: &str = "walidata@sibuser.example";
const KECAMATAN: &str = "12.75.01";

fn request(dataset: Dataset, format: Format, filter: Filter) -> Request {
    Request {
        dataset,
        format,
        filter,
        unmasked: false,
        purpose: None,
    }
}

/// Writes an export straight through the code the worker and the command line share.
fn export(app: &TestApp, request: &Request, path: &Path) -> Count {
    with_conn(app, |c| {
        run::snapshot(c, |c| Ok(run::write(c, request, path, &mut |_| Ok(()))))
            .unwrap()
            .unwrap()
    })
}

/// The rows of a CSV export: the header and each record.
fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn first_column_ids(path: &Path) -> BTreeSet<i32> {
    csv_rows(path)
        .1
        .iter()
        .map(|r| r[0].parse().unwrap())
        .collect()
}

fn like() -> String {
    format!("{KECAMATAN}.%")
}

/// The ids each data set should give for a period and [`KECAMATAN`], read from the tables
/// here, by each data set's own date and place.
fn expected(
    c: &mut sibuser::db::DbConnection,
    dataset: Dataset,
    from: NaiveDate,
    to: NaiveDate,
) -> BTreeSet<i32> {
    let since = calendar::start_of(from);
    let until = calendar::start_of(to + Days::new(1));
    let ids: Vec<i32> = match dataset {
        Dataset::JobSeekers => job_seekers::table
            .filter(job_seekers::created_at.ge(since))
            .filter(job_seekers::created_at.lt(until))
            .filter(job_seekers::kelurahan_code.like(like()))
            .select(job_seekers::id)
            .load(c),
        Dataset::Vacancies => vacancies::table
            .filter(vacancies::status.ne("draft"))
            .filter(vacancies::opens_on.between(from, to))
            .filter(vacancies::kelurahan_code.like(like()))
            .select(vacancies::id)
            .load(c),
        Dataset::Companies => companies::table
            .filter(companies::created_at.ge(since))
            .filter(companies::created_at.lt(until))
            .filter(companies::kelurahan_code.like(like()))
            .select(companies::id)
            .load(c),
        Dataset::EmployedResidents => employed_residents::table
            .inner_join(people::table)
            .filter(employed_residents::started_on.between(from, to))
            .filter(people::kelurahan_code.like(like()))
            .select(employed_residents::id)
            .load(c),
        Dataset::Training => training_enrolments::table
            .inner_join(training_programmes::table)
            .inner_join(job_seekers::table)
            .filter(training_programmes::starts_on.between(from, to))
            .filter(job_seekers::kelurahan_code.like(like()))
            .select(training_enrolments::id)
            .load(c),
        Dataset::Placements => placements::table
            .inner_join(job_seekers::table)
            .filter(placements::start_date.between(from, to))
            .filter(job_seekers::kelurahan_code.like(like()))
            .select(placements::id)
            .load(c),
        Dataset::Wlkp => {
            let in_kecamatan: Vec<i32> = companies::table
                .filter(companies::kelurahan_code.like(like()))
                .select(companies::id)
                .load(c)
                .unwrap();
            wlkp_reports::table
                .filter(wlkp_reports::company_id.eq_any(in_kecamatan))
                .filter(wlkp_reports::created_at.ge(since))
                .filter(wlkp_reports::created_at.lt(until))
                .select(wlkp_reports::id)
                .load(c)
        }
        Dataset::Jkp => jkp_recipients::table
            .inner_join(people::table)
            .filter(jkp_recipients::terminated_on.between(from, to))
            .filter(people::kelurahan_code.like(like()))
            .select(jkp_recipients::id)
            .load(c),
    }
    .unwrap();
    ids.into_iter().collect()
}

/// Every record of a data set, unfiltered.
pub(crate) fn all_ids(c: &mut sibuser::db::DbConnection, dataset: Dataset) -> BTreeSet<i32> {
    let ids: Vec<i32> = match dataset {
        Dataset::JobSeekers => job_seekers::table.select(job_seekers::id).load(c),
        Dataset::Vacancies => vacancies::table
            .filter(vacancies::status.ne("draft"))
            .select(vacancies::id)
            .load(c),
        Dataset::Companies => companies::table.select(companies::id).load(c),
        Dataset::EmployedResidents => employed_residents::table
            .select(employed_residents::id)
            .load(c),
        Dataset::Training => training_enrolments::table
            .select(training_enrolments::id)
            .load(c),
        Dataset::Placements => placements::table.select(placements::id).load(c),
        Dataset::Wlkp => wlkp_reports::table.select(wlkp_reports::id).load(c),
        Dataset::Jkp => jkp_recipients::table.select(jkp_recipients::id).load(c),
    }
    .unwrap();
    ids.into_iter().collect()
}

db_test!(each_data_set_exports_the_rows_its_filter_selects, |app| {
    seed_demo(&app);
    let dir = tempfile::tempdir().unwrap();
    let today = calendar::today();
    // The last two years: most of the demo's history, not all of it.
    let from = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap();
    let mut non_empty = 0;
    for dataset in Dataset::ALL {
        let path = dir.path().join(format!("{}.csv", dataset.cli_name()));
        // Everything.
        let count = export(
            &app,
            &request(dataset, Format::Csv, Filter::default()),
            &path,
        );
        let all = with_conn(&app, |c| all_ids(c, dataset));
        assert_eq!(first_column_ids(&path), all, "{dataset:?}, unfiltered");
        assert_eq!(count.rows as usize, all.len());
        // A period and a kecamatan.
        let filter = Filter {
            from: Some(from),
            to: Some(today),
            kecamatan: Some(KECAMATAN),
        };
        export(&app, &request(dataset, Format::Csv, filter), &path);
        let want = with_conn(&app, |c| expected(c, dataset, from, today));
        assert_eq!(first_column_ids(&path), want, "{dataset:?}, filtered");
        assert!(want.len() <= all.len());
        if !want.is_empty() && want.len() < all.len() {
            non_empty += 1;
        }
    }
    // The filter chose a part of most data sets, so the comparison above means something.
    assert!(
        non_empty >= 5,
        "only {non_empty} data sets had a proper part selected"
    );
});

/// Every NIK the database holds, on profiles and people.
fn every_nik(app: &TestApp) -> Vec<String> {
    with_conn(app, |c| {
        let mut niks: Vec<String> = job_seekers::table
            .filter(job_seekers::nik.is_not_null())
            .select(job_seekers::nik.assume_not_null())
            .load(c)
            .unwrap();
        niks.extend(people::table.select(people::nik).load::<String>(c).unwrap());
        niks
    })
}

db_test!(personal_data_is_masked_by_default, |app| {
    seed_demo(&app);
    let dir = tempfile::tempdir().unwrap();
    let niks = every_nik(&app);
    assert!(niks.len() > 20);
    for dataset in [
        Dataset::JobSeekers,
        Dataset::EmployedResidents,
        Dataset::Placements,
        Dataset::Training,
        Dataset::Jkp,
    ] {
        for format in Format::ALL {
            let path = dir
                .path()
                .join(format!("{}.{}", dataset.cli_name(), format.as_str()));
            export(&app, &request(dataset, format, Filter::default()), &path);
            let text = match format {
                Format::Xlsx => xlsx_text(&path),
                _ => std::fs::read_to_string(&path).unwrap(),
            };
            for nik in &niks {
                assert!(
                    !text.contains(nik.as_str()),
                    "{dataset:?} {format:?} holds a NIK"
                );
            }
        }
        let path = dir.path().join(format!("{}.csv", dataset.cli_name()));
        let (header, rows) = csv_rows(&path);
        for omitted in [
            "nama",
            "surel",
            "telepon",
            "alamat",
            "disabilitas",
            "upah_bulanan",
        ] {
            assert!(
                !header.iter().any(|h| h == omitted),
                "{dataset:?} has {omitted}"
            );
        }
        let nik = header.iter().position(|h| h == "nik").unwrap();
        let born = header.iter().position(|h| h == "tanggal_lahir").unwrap();
        let mut masked = 0;
        for row in &rows {
            if !row[nik].is_empty() {
                assert_eq!(row[nik].len(), 16);
                assert_eq!(&row[nik][4..12], "********", "{dataset:?}");
                masked += 1;
            }
            if !row[born].is_empty() {
                assert_eq!(row[born].len(), 4, "{dataset:?}: a year, not {}", row[born]);
            }
        }
        assert!(masked > 0 || rows.is_empty(), "{dataset:?}");
    }
});

/// All the text of an XLSX's cells.
fn xlsx_text(path: &Path) -> String {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                out.push_str(&cell.to_string());
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

/// The export page's form, as typed.
fn form<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![
        ("data", "job-seekers"),
        ("format", "csv"),
        ("dari", ""),
        ("sampai", ""),
        ("kecamatan", ""),
        ("tujuan", ""),
    ];
    for (k, v) in fields {
        match all.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v,
            None => all.push((k, v)),
        }
    }
    all
}

fn export_id_of(location: &str) -> i32 {
    location
        .trim_start_matches("/petugas/ekspor/")
        .parse()
        .unwrap()
}

fn run_worker(app: &TestApp) -> bool {
    let dir = worker::dir(app.portal.state.settings.data_dir());
    worker::run_once(app.pool(), &dir).unwrap()
}

db_test!(
    bad_input_comes_back_with_a_message_and_what_was_typed,
    |app| {
        seed_demo(&app);
        let steward = signed_in(&app, STEWARD).await;
        steward
            .get("/petugas/ekspor")
            .await
            .assert_contains("name=\"dari\"");
        let next_year = (calendar::today().year() + 1).to_string() + "-01";
        let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (form(&[("dari", &next_year)]), "belum dimulai"),
            (
                form(&[("dari", "2025-06"), ("sampai", "2025-03")]),
                "sebelum awalnya",
            ),
            (form(&[("dari", "Maret 2025")]), "2025-01-31"),
            (form(&[("kecamatan", "12.71.01")]), "kecamatan Kota Binjai"),
            (form(&[("data", "penduduk")]), "Pilih salah satu data"),
            (form(&[("sampai", "1999-12")]), "sebelum data pertama"),
            (
                form(&[("lengkap", "on")]),
                "hanya dapat diekspor dengan tujuan",
            ),
            (
                form(&[("lengkap", "on"), ("tujuan", "perlu")]),
                "15 sampai 500",
            ),
        ];
        for (fields, message) in cases {
            let res = steward
                .submit("/petugas/ekspor", "/petugas/ekspor", &fields)
                .await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
            res.assert_contains(message);
            for (name, value) in &fields {
                // The lists offer only known values; typed text comes back as typed.
                if !value.is_empty() && ["dari", "sampai", "tujuan"].contains(name) {
                    res.assert_contains(value);
                }
            }
        }
        let none: i64 = with_conn(&app, |c| exports::table.count().get_result(c).unwrap());
        assert_eq!(none, 0, "nothing was queued");
        // The first date of the data is named.
        let res = steward
            .submit(
                "/petugas/ekspor",
                "/petugas/ekspor",
                &form(&[("sampai", "1999-12")]),
            )
            .await;
        let first: NaiveDateTime = with_conn(&app, |c| {
            job_seekers::table
                .select(diesel::dsl::min(job_seekers::created_at))
                .first::<Option<NaiveDateTime>>(c)
                .unwrap()
                .unwrap()
        });
        res.assert_contains(&calendar::date_of(first).to_string());
    }
);

db_test!(
    the_queue_runs_an_export_to_a_file_only_its_owner_downloads,
    |app| {
        seed_demo(&app);
        let steward = signed_in(&app, STEWARD).await;
        let res = steward
            .submit(
                "/petugas/ekspor",
                "/petugas/ekspor",
                &form(&[
                    ("data", "vacancies"),
                    ("format", "csv"),
                    ("kecamatan", KECAMATAN),
                ]),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let location = res.header("location").unwrap().to_owned();
        let id = export_id_of(&location);
        // Waiting: a progress bar that script follows and a link for readers without it.
        let page = steward.get(&location).await;
        page.assert_contains("<progress");
        page.assert_contains(&format!("data-status=\"/petugas/ekspor/{id}/status\""));
        page.assert_contains("js/job-progress.js");
        page.assert_contains(&format!("href=\"/petugas/ekspor/{id}\""));
        let status = steward.get(&format!("{location}/status")).await;
        let json: serde_json::Value = serde_json::from_str(&status.body).unwrap();
        assert_eq!(json["status"], "waiting");
        assert_eq!(json["running"], true);
        steward
            .get(&format!("{location}/unduh"))
            .await
            .assert_status(StatusCode::NOT_FOUND);

        assert!(run_worker(&app), "the worker took the job");
        assert!(!run_worker(&app), "and nothing is left");

        let json: serde_json::Value =
            serde_json::from_str(&steward.get(&format!("{location}/status")).await.body).unwrap();
        assert_eq!(json["status"], "done");
        assert_eq!(json["running"], false);
        assert_eq!(json["percent"], 100);
        let (done, total, rows): (i64, i64, Option<i64>) = with_conn(&app, |c| {
            exports::table
                .inner_join(file_jobs::table)
                .filter(exports::id.eq(id))
                .select((
                    file_jobs::rows_done,
                    file_jobs::rows_total,
                    exports::rows_written,
                ))
                .first(c)
                .unwrap()
        });
        let want = with_conn(&app, |c| {
            vacancies::table
                .filter(vacancies::status.ne("draft"))
                .filter(vacancies::kelurahan_code.like(like()))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        });
        assert_eq!((done, total, rows), (want, want, Some(want)));
        let page = steward.get(&location).await;
        page.assert_lacks("<progress");
        page.assert_contains(&format!("/petugas/ekspor/{id}/unduh"));
        let list = steward.get("/petugas/ekspor").await;
        list.assert_contains(&format!("/petugas/ekspor/{id}"));
        list.assert_contains("Selesai");

        let file = steward.get(&format!("{location}/unduh")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.header("content-type").unwrap().starts_with("text/csv"));
        assert!(
            file.header("content-disposition")
                .unwrap()
                .contains("sibuser-vacancies-127501.csv")
        );
        assert_eq!(file.body.lines().count() as i64, want + 1);
        assert!(file.body.starts_with("id_lowongan,"));

        // Another data steward, and the other roles, do not reach it.
        with_conn(&app, |c| {
            let email = sibuser::domain::Email::parse("walidata2@sibuser.example").unwrap();
            let hash = sibuser::accounts::hash_password(sibuser::demo::DEMO_PASSWORD).unwrap();
            sibuser::accounts::create_user(
                c,
                &sibuser::accounts::NewUser::staff(
                    &email,
                    "Walidata Kedua",
                    &hash,
                    &[sibuser::domain::Role::DataSteward],
                ),
            )
            .unwrap();
        });
        let other = signed_in(&app, "walidata2@sibuser.example").await;
        for path in [
            location.clone(),
            format!("{location}/status"),
            format!("{location}/unduh"),
        ] {
            other.get(&path).await.assert_status(StatusCode::NOT_FOUND);
        }
        for who in ["admin@sibuser.example", "operator@sibuser.example"] {
            let b = signed_in(&app, who).await;
            b.get(&format!("{location}/unduh"))
                .await
                .assert_status(StatusCode::FORBIDDEN);
        }

        // A week later the file is gone, and the page says so.
        let stored: String = with_conn(&app, |c| {
            diesel::update(file_jobs::table.filter(file_jobs::status.eq("done")))
                .set(
                    file_jobs::expires_at
                        .eq(chrono::Utc::now().naive_utc() - chrono::Duration::hours(1)),
                )
                .execute(c)
                .unwrap();
            file_jobs::table
                .select(file_jobs::stored_name.assume_not_null())
                .first(c)
                .unwrap()
        });
        let files = worker::dir(app.portal.state.settings.data_dir());
        assert!(files.join(&stored).exists());
        let removed = with_conn(&app, |c| worker::remove_expired(c, &files).unwrap());
        assert_eq!(removed, 1);
        assert!(!files.join(&stored).exists());
        steward
            .get(&format!("{location}/unduh"))
            .await
            .assert_status(StatusCode::NOT_FOUND);
        steward
            .get(&location)
            .await
            .assert_contains("sudah dihapus");
    }
);

db_test!(unmasked_data_needs_a_purpose_and_is_audited, |app| {
    seed_demo(&app);
    let steward = signed_in(&app, STEWARD).await;
    let purpose = "Verifikasi calon peserta pelatihan berbasis kompetensi 2026";
    let res = steward
        .submit(
            "/petugas/ekspor",
            "/petugas/ekspor",
            &form(&[
                ("data", "job-seekers"),
                ("lengkap", "on"),
                ("tujuan", purpose),
            ]),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let location = res.header("location").unwrap().to_owned();
    assert!(run_worker(&app));
    let file = steward.get(&format!("{location}/unduh")).await;
    assert_eq!(file.status, StatusCode::OK);
    let niks = every_nik(&app);
    assert!(
        niks.iter().any(|n| file.body.contains(n.as_str())),
        "the full NIKs are in the file"
    );
    assert!(file.body.starts_with("id_pencaker,nik,nama,"));
    let entries: Vec<(String, Option<i32>, Option<String>)> = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.like("export.%"))
            .order(audit_log::id)
            .select((
                audit_log::action,
                audit_log::actor_user_id,
                audit_log::detail,
            ))
            .load(c)
            .unwrap()
    });
    let steward_id = crate::common::user_id(&app, STEWARD);
    let actions: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        actions,
        ["export.requested", "export.written", "export.downloaded"]
    );
    for (action, actor, detail) in &entries {
        assert_eq!(*actor, Some(steward_id), "{action}");
        if action != "export.downloaded" {
            let detail: serde_json::Value =
                serde_json::from_str(detail.as_deref().unwrap()).unwrap();
            assert_eq!(detail["purpose"], purpose);
            assert_eq!(detail["unmasked"], true);
            assert_eq!(detail["dataset"], "job_seekers");
            assert_eq!(detail["format"], "csv");
        }
    }
    let written: serde_json::Value =
        serde_json::from_str(entries[1].2.as_deref().unwrap()).unwrap();
    let seekers: i64 = with_conn(&app, |c| job_seekers::table.count().get_result(c).unwrap());
    assert_eq!(written["rows"], seekers);
    let stored: (bool, Option<String>) = with_conn(&app, |c| {
        exports::table
            .select((exports::unmasked, exports::purpose))
            .first(c)
            .unwrap()
    });
    assert_eq!(stored, (true, Some(purpose.to_owned())));
});

db_test!(xlsx_and_json_lines_read_back, |app| {
    seed_demo(&app);
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("placements.csv");
    export(
        &app,
        &request(Dataset::Placements, Format::Csv, Filter::default()),
        &csv_path,
    );
    let (header, rows) = csv_rows(&csv_path);
    assert!(!rows.is_empty());

    let xlsx_path = dir.path().join("placements.xlsx");
    export(
        &app,
        &request(Dataset::Placements, Format::Xlsx, Filter::default()),
        &xlsx_path,
    );
    {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
        assert_eq!(book.sheet_names(), ["Data", "Keterangan"]);
        let data = book.worksheet_range("Data").unwrap();
        let mut sheet_rows = data.rows();
        let head: Vec<String> = sheet_rows
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(head, header);
        let body: Vec<&[Data]> = sheet_rows.collect();
        assert_eq!(body.len(), rows.len());
        let start = header.iter().position(|h| h == "tanggal_mulai").unwrap();
        for (cells, csv_row) in body.iter().zip(&rows) {
            assert_eq!(cells[0].to_string(), csv_row[0], "ids in the same order");
            // Dates are dates to the spreadsheet, not text.
            match &cells[start] {
                Data::DateTime(d) => {
                    let serial = d.as_f64() as u64;
                    let day = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + Days::new(serial);
                    assert_eq!(day.to_string(), csv_row[start]);
                }
                other => panic!("tanggal_mulai is {other:?}"),
            }
        }
        let meta = book.worksheet_range("Keterangan").unwrap();
        let text: Vec<String> = meta.rows().map(|r| r[1].to_string()).collect();
        assert!(text.iter().any(|t| t.contains("KBJI 2014")));
        assert!(text.iter().any(|t| t.contains("Kepmendagri")));
        assert!(text.contains(&rows.len().to_string()));
    }

    let jsonl_path = dir.path().join("placements.jsonl");
    export(
        &app,
        &request(Dataset::Placements, Format::Jsonl, Filter::default()),
        &jsonl_path,
    );
    let text = std::fs::read_to_string(&jsonl_path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rows.len());
    assert!(text.ends_with('\n'));
    for (line, csv_row) in lines.iter().zip(&rows) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let object = value.as_object().expect("one object per line");
        let keys: Vec<&String> = object.keys().collect();
        let mut want: Vec<&String> = header.iter().collect();
        want.sort();
        let mut got = keys.clone();
        got.sort();
        assert_eq!(got, want);
        assert_eq!(
            object["id_penempatan"].as_i64().unwrap().to_string(),
            csv_row[0]
        );
        assert!(object["kode_kbji"].is_string() || object["kode_kbji"].is_null());
    }
});

db_test!(
    the_command_line_writes_the_same_file_and_refuses_bad_input,
    |app| {
        seed_demo(&app);
        let dir = tempfile::tempdir().unwrap();
        let via_code = dir.path().join("code.csv");
        let filter = Filter {
            from: None,
            to: None,
            kecamatan: Some(KECAMATAN),
        };
        export(
            &app,
            &request(Dataset::JobSeekers, Format::Csv, filter),
            &via_code,
        );
        let via_cli: PathBuf = dir.path().join("cli.csv");
        let out = crate::import::sibuser_cli(
            &app,
            dir.path(),
            &[
                "export",
                "job-seekers",
                "--format",
                "csv",
                "--kecamatan",
                KECAMATAN,
                "--out",
                via_cli.to_str().unwrap(),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read(&via_cli).unwrap(),
            std::fs::read(&via_code).unwrap()
        );
        let written: (Option<i32>, Option<String>) = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("export.written"))
                .select((audit_log::actor_user_id, audit_log::detail))
                .first(c)
                .unwrap()
        });
        assert_eq!(written.0, None, "no actor on the command line");
        let detail: serde_json::Value = serde_json::from_str(&written.1.unwrap()).unwrap();
        assert_eq!(detail["via"], "cli");
        assert_eq!(detail["unmasked"], false);

        let bad = crate::import::sibuser_cli(
            &app,
            dir.path(),
            &[
                "export",
                "penduduk",
                "--from",
                "2025-06",
                "--to",
                "2025-03",
                "--out",
                dir.path().join("x.csv").to_str().unwrap(),
                "--lang",
                "en",
            ],
        );
        assert!(!bad.status.success());
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(
            err.contains("DATASET: Choose one of the data sets"),
            "{err}"
        );
        assert!(
            err.contains("--to: The period ends before it starts."),
            "{err}"
        );
        assert!(!dir.path().join("x.csv").exists());
    }
);

#[test]
fn every_data_set_has_a_provider_and_a_name_on_the_command_line() {
    for dataset in Dataset::ALL {
        assert_eq!(Dataset::from_cli_name(dataset.cli_name()), Some(dataset));
        assert!(!datasets::provider(dataset).columns().is_empty());
    }
}

db_test!(a_job_seekers_dates_are_exported_as_stored, |app| {
    use sibuser::schema::ak1_cards;
    seed_demo(&app);
    // An evening registration (after 17:00 UTC) is the next day in Binjai.
    let evening = NaiveDate::from_ymd_opt(2026, 3, 9)
        .unwrap()
        .and_hms_opt(17, 30, 0)
        .unwrap();
    let seeker: i32 = with_conn(&app, |c| {
        let id: i32 = ak1_cards::table
            .filter(ak1_cards::issued_on.is_not_null())
            .select(ak1_cards::job_seeker_id)
            .order(ak1_cards::id)
            .first(c)
            .unwrap();
        diesel::update(job_seekers::table.find(id))
            .set((
                job_seekers::birth_date.eq(NaiveDate::from_ymd_opt(1987, 12, 31)),
                job_seekers::created_at.eq(evening),
            ))
            .execute(c)
            .unwrap();
        id
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job-seekers.csv");
    let mut full = request(Dataset::JobSeekers, Format::Csv, Filter::default());
    full.unmasked = true;
    full.purpose = Some("checking the dates".into());
    export(&app, &full, &path);
    let (header, rows) = csv_rows(&path);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows
        .iter()
        .find(|r| r[0] == seeker.to_string())
        .expect("the job seeker is exported");
    assert_eq!(row[column("tanggal_lahir")], "1987-12-31");
    assert_eq!(row[column("terdaftar")], "2026-03-10");
    // Every card's dates are the stored ones, on both backends.
    let cards: Vec<(i32, Option<NaiveDate>, Option<NaiveDate>)> = with_conn(&app, |c| {
        ak1_cards::table
            .order(ak1_cards::id)
            .select((
                ak1_cards::job_seeker_id,
                ak1_cards::issued_on,
                ak1_cards::valid_until,
            ))
            .load(c)
            .unwrap()
    });
    let latest: std::collections::HashMap<i32, (Option<NaiveDate>, Option<NaiveDate>)> =
        cards.into_iter().map(|(s, i, v)| (s, (i, v))).collect();
    let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut checked = 0;
    for row in &rows {
        if let Some((issued, valid)) = latest.get(&row[0].parse::<i32>().unwrap()) {
            assert_eq!(row[column("tanggal_terbit_ak1")], text(*issued), "{row:?}");
            assert_eq!(row[column("berlaku_sampai")], text(*valid), "{row:?}");
            checked += 1;
        }
    }
    assert!(checked > 10, "the demo's cards are exported");
});
