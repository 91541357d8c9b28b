//! The `companies`, `wlkp` and `employed-residents` kinds of the bulk import, as the data
//! steward meets them: a good list written once and a second import changing nothing, a
//! changed row updating without erasing what the list leaves out, every bad row named by
//! line and column with nothing written, and the command line.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;
use sibuser::domain::ids::CompanyId;
use sibuser::domain::{Nik, calendar};
use sibuser::employers::{NewCompany, VerificationStatus};
use sibuser::import::reader::Table;
use sibuser::import::{Collect, Counts, Kind, Problem, WriteError, importer};
use sibuser::schema::{
    companies, company_events, company_kbli, employed_residents, people, wlkp_reports,
    wlkp_revisions,
};

use crate::common::{TestApp, seed_demo, signed_in, with_conn};

/// A CSV as Excel in an Indonesian locale saves it: a BOM, semicolons, CRLF.
fn csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = String::from("\u{FEFF}");
    text.push_str(&header.join(";"));
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

/// A row in `header`'s order from the cells given by column; the others are empty.
fn row(header: &[&str], cells: &[(&str, &str)]) -> Vec<String> {
    let given: HashMap<&str, &str> = cells.iter().copied().collect();
    header
        .iter()
        .map(|h| given.get(h).copied().unwrap_or_default().to_owned())
        .collect()
}

fn check(app: &TestApp, kind: Kind, bytes: Vec<u8>) -> (Counts, Vec<Problem>) {
    with_conn(app, |c| {
        let mut found = Collect::default();
        let counts = importer(kind)
            .check(c, Table::open(bytes).unwrap(), &mut found)
            .unwrap();
        (counts, found.problems)
    })
}

fn write(
    app: &TestApp,
    kind: Kind,
    bytes: Vec<u8>,
    only_valid: bool,
) -> Result<Counts, WriteError> {
    with_conn(app, |c| {
        importer(kind).write(
            c,
            Table::open(bytes).unwrap(),
            None,
            only_valid,
            &mut Collect::default(),
        )
    })
}

/// What was written: created, updated, unchanged.
fn written(counts: &Counts) -> (u32, u32, u32) {
    (counts.created, counts.updated, counts.unchanged)
}

fn found(problems: &[Problem]) -> Vec<(u32, &str, &str)> {
    problems
        .iter()
        .map(|p| (p.line, p.column.as_deref().unwrap_or(""), p.reason))
        .collect()
}

/// The number of rows in a table.
macro_rules! count {
    ($app:expr, $table:expr) => {
        with_conn($app, |c| $table.count().get_result::<i64>(c).unwrap())
    };
}

// ---------------------------------------------------------------------------------------
// Companies

const COMPANY_HEADER: &[&str] = &[
    "NIB",
    "Nama",
    "Cabang",
    "Alamat",
    "Kelurahan",
    "Kabupaten Kota",
    "KBLI",
    "Bentuk Usaha",
    "Status Modal",
    "NPP",
    "Tanggal Berdiri",
    "Telepon",
];

fn company_row(cells: &[(&str, &str)]) -> Vec<String> {
    row(COMPANY_HEADER, cells)
}

fn company(app: &TestApp, nib: &str) -> sibuser::employers::Company {
    with_conn(app, |c| {
        companies::table
            .filter(companies::nib.eq(nib))
            .filter(companies::head_office_id.is_null())
            .select(sibuser::employers::Company::as_select())
            .first(c)
            .unwrap()
    })
}

fn branches_of(app: &TestApp, head: CompanyId) -> Vec<sibuser::employers::Company> {
    with_conn(app, |c| {
        sibuser::employers::branches::branches_of(c, head).unwrap()
    })
}

db_test!(
    a_company_register_is_written_once_and_again_changes_nothing,
    |app| {
        let file = csv(
            COMPANY_HEADER,
            &[
                company_row(&[
                    ("NIB", "9120001111111"),
                    ("Nama", "PT Sumber Rezeki"),
                    ("Alamat", "Jl. Sudirman No. 10"),
                    ("Kelurahan", "12.75.02.1006"),
                    ("KBLI", "47111;10792"),
                    ("Bentuk Usaha", "PT"),
                    ("Status Modal", "PMDN"),
                    ("NPP", "1234 5678"),
                    ("Tanggal Berdiri", "01/03/2015"),
                    ("Telepon", "0618820001"),
                ]),
                // Outside Binjai, by the regency's name.
                company_row(&[
                    ("NIB", "9120002222222"),
                    ("Nama", "CV Medan Jaya"),
                    ("Cabang", "tidak"),
                    ("Alamat", "Jl. Gatot Subroto 5, Medan"),
                    ("Kabupaten Kota", "Kota Medan"),
                    ("KBLI", "56101"),
                    ("Bentuk Usaha", "cv"),
                ]),
                // A branch of the first, later in the same file, with no codes of its own.
                company_row(&[
                    ("NIB", "9120001111111"),
                    ("Nama", "PT Sumber Rezeki Cabang Binjai Timur"),
                    ("Cabang", "ya"),
                    ("Alamat", "Jl. Samanhudi 3"),
                    ("Kelurahan", "12.75.02.1006"),
                ]),
            ],
        );
        let (counts, problems) = check(&app, Kind::Companies, file.clone());
        assert_eq!(problems, []);
        assert_eq!((counts.rows, counts.bad), (3, 0));
        assert_eq!(count!(&app, companies::table), 0, "checking writes nothing");

        let first = write(&app, Kind::Companies, file.clone(), false).unwrap();
        assert_eq!(written(&first), (3, 0, 0));
        let head = company(&app, "9120001111111");
        assert_eq!(head.name, "PT Sumber Rezeki");
        assert_eq!(
            head.kbli_section.as_str(),
            "G",
            "the section follows the primary code"
        );
        assert_eq!(head.npp.as_deref(), Some("12345678"));
        assert_eq!(head.founded_on, NaiveDate::from_ymd_opt(2015, 3, 1));
        assert_eq!(head.legal_form, Some(sibuser::employers::LegalForm::Pt));
        // A list is not a verifier: every new company waits for one.
        assert_eq!(head.status(), VerificationStatus::Pending);
        let codes = with_conn(&app, |c| {
            sibuser::employers::kbli::current(c, head.id)
                .unwrap()
                .unwrap()
        });
        assert_eq!(codes.primary.as_str(), "47111");
        assert_eq!(codes.others.len(), 1);
        let medan = company(&app, "9120002222222");
        assert_eq!(
            (medan.kelurahan_code, medan.regency_code.as_str()),
            (None, "12.71")
        );
        assert_eq!(medan.kbli_section.as_str(), "I");

        // The branch shares the head office's NIB, section and legal form.
        let branches = branches_of(&app, head.id);
        assert_eq!(branches.len(), 1);
        assert_eq!(branches[0].nib.as_deref(), Some("9120001111111"));
        assert_eq!(branches[0].kbli_section.as_str(), "G");
        assert_eq!(
            branches[0].legal_form,
            Some(sibuser::employers::LegalForm::Pt)
        );
        assert_eq!(branches[0].status(), VerificationStatus::Pending);

        let events = count!(&app, company_events::table);
        let again = write(&app, Kind::Companies, file, false).unwrap();
        assert_eq!(written(&again), (0, 0, 3));
        assert_eq!(count!(&app, companies::table), 3);
        assert_eq!(count!(&app, company_events::table), events);

        // A second branch in a later file: known by its head office's NIB and its own name.
        let later = csv(
            COMPANY_HEADER,
            &[
                company_row(&[
                    ("NIB", "9120001111111"),
                    ("Nama", "PT SUMBER REZEKI CABANG  BINJAI TIMUR"),
                    ("Cabang", "ya"),
                    ("Alamat", "Jl. Samanhudi 3"),
                    ("Kelurahan", "12.75.02.1006"),
                ]),
                company_row(&[
                    ("NIB", "9120001111111"),
                    ("Nama", "PT Sumber Rezeki Cabang Stabat"),
                    ("Cabang", "ya"),
                    ("Alamat", "Jl. Proklamasi 7, Stabat"),
                    ("Kabupaten Kota", "12.05"),
                ]),
            ],
        );
        let counts = write(&app, Kind::Companies, later, false).unwrap();
        assert_eq!(
            written(&counts),
            (1, 1, 0),
            "the first branch again (its name in capitals), and a new one"
        );
        assert_eq!(branches_of(&app, head.id).len(), 2);
    }
);

db_test!(
    a_changed_company_keeps_what_its_employer_entered_and_its_kbli_history,
    |app| {
        seed_demo(&app);
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let res = employer
            .submit(
                "/perusahaan/profil",
                "/perusahaan/profil",
                &[
                    ("company_name", "CV Rambutan Manis"),
                    ("nib", "1111122222333"),
                    ("npwp", ""),
                    ("kbli_section", "I"),
                    ("location", "12.75.02.1006"),
                    ("address", "Jl. Jenderal Sudirman No. 8"),
                    ("size_band", "small"),
                    ("contact_phone", "0618821234"),
                    ("contact_email", "hrd@rambutan.co.id"),
                    ("website", "rambutan.co.id"),
                    ("description", "Rumah makan keluarga sejak 2015."),
                    ("legal_form", "cv"),
                    ("investment_status", "pmdn"),
                    ("npp", "1234 5678"),
                    ("founded_on", "2015-03-01"),
                    ("kbli_primary", "56101"),
                    ("kbli_others", "10792"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let before = company(&app, "1111122222333");
        let a_year_ago = calendar::today() - chrono::Days::new(365);
        with_conn(&app, |c| {
            sibuser::employers::set_status(c, before.id, VerificationStatus::Verified, None, None)
                .unwrap();
            // As if the codes had been given a year ago.
            diesel::update(company_kbli::table.filter(company_kbli::company_id.eq(before.id)))
                .set(company_kbli::valid_from.eq(a_year_ago))
                .execute(c)
                .unwrap();
        });

        // The register knows a new address and a new primary code; it has no phone, e-mail,
        // website or description.
        let header = ["nib", "nama", "alamat", "kelurahan", "kbli", "bentuk_usaha"];
        let cells = |address: &str| -> Vec<String> {
            vec![
                "1111122222333".into(),
                "CV Rambutan Manis".into(),
                address.into(),
                "12.75.02.1006".into(),
                "47111, 56101".into(),
                "CV".into(),
            ]
        };
        let file = csv(&header, &[cells("Jl. Jenderal Sudirman No. 10")]);
        let counts = write(&app, Kind::Companies, file.clone(), false).unwrap();
        assert_eq!(written(&counts), (0, 1, 0));
        let after = company(&app, "1111122222333");
        assert_eq!(after.id, before.id);
        assert_eq!(after.address, "Jl. Jenderal Sudirman No. 10");
        assert_eq!(after.contact_email, before.contact_email);
        assert_eq!(after.contact_phone, before.contact_phone);
        assert_eq!(after.website.as_deref(), Some("https://rambutan.co.id"));
        assert_eq!(after.description, before.description);
        assert_eq!(after.size_band, before.size_band);
        assert_eq!(after.npp, before.npp);
        assert_eq!(after.kbli_section.as_str(), "G");
        assert!(after.revision > before.revision);
        // Verified details changed without a verifier: seen again before they show as such.
        assert_eq!(after.status(), VerificationStatus::Pending);

        // The past keeps its code; today has the new one.
        with_conn(&app, |c| {
            let then = sibuser::employers::kbli_on(c, after.id, a_year_ago).unwrap();
            assert_eq!(then.unwrap().as_str(), "56101");
            let now = sibuser::employers::kbli_on(c, after.id, calendar::today()).unwrap();
            assert_eq!(now.unwrap().as_str(), "47111");
            let history = sibuser::employers::kbli::history(c, after.id).unwrap();
            let closed: Vec<(&str, bool)> = history
                .iter()
                .filter(|p| p.valid_to == Some(calendar::today()))
                .map(|p| (p.code.as_str(), p.is_primary))
                .collect();
            assert_eq!(closed.len(), 2, "56101 as primary and 10792: {history:?}");
            assert!(closed.contains(&("56101", true)));
        });

        // The same register again changes nothing, and its status stays.
        let revision = after.revision;
        let again = write(&app, Kind::Companies, file, false).unwrap();
        assert_eq!(written(&again), (0, 0, 1));
        assert_eq!(company(&app, "1111122222333").revision, revision);
    }
);

db_test!(
    every_bad_company_row_is_named_and_nothing_is_written,
    |app| {
        let good = [
            ("NIB", "9120001111111"),
            ("Nama", "PT Baik"),
            ("Alamat", "Jl. Baik No. 1"),
            ("Kelurahan", "12.75.02.1006"),
            ("KBLI", "47111"),
        ];
        let with = |changes: &[(&'static str, &'static str)]| {
            let mut cells = good.to_vec();
            for (column, value) in changes {
                cells.retain(|(c, _)| c != column);
                cells.push((column, value));
            }
            company_row(&cells)
        };
        let file = csv(
            COMPANY_HEADER,
            &[
                with(&[]),
                with(&[("NIB", "91200011")]),
                with(&[("NIB", "9120003333333"), ("KBLI", "47111;04111")]),
                with(&[("NIB", "9120004444444"), ("Tanggal Berdiri", "2999-01-01")]),
                with(&[("NIB", "9120005555555"), ("Tanggal Berdiri", "31/02/2020")]),
                with(&[("NIB", "9120006666666"), ("Cabang", "ya")]),
                with(&[("NIB", "9120007777777"), ("Kelurahan", "Antah Berantah")]),
                with(&[("Nama", "PT Baik Lagi")]),
                with(&[("NIB", "9120008888888"), ("Nama", "=HYPERLINK(\"x\")")]),
                with(&[("NIB", "9120009999999"), ("NPP", "12ab")]),
                with(&[("NIB", "9120001010101"), ("Bentuk Usaha", "Kongsi")]),
                with(&[("NIB", "9120001212121"), ("Status Modal", "campuran")]),
                with(&[("NIB", "9120001313131"), ("KBLI", "")]),
                with(&[
                    ("NIB", "9120001414141"),
                    ("Kelurahan", ""),
                    ("Kabupaten Kota", "12.75"),
                ]),
                // A branch of the first row's head office: good.
                with(&[
                    ("Nama", "PT Baik Cabang Timur"),
                    ("Cabang", "ya"),
                    ("KBLI", ""),
                ]),
            ],
        );
        let (counts, problems) = check(&app, Kind::Companies, file.clone());
        assert_eq!((counts.rows, counts.bad), (15, 13));
        assert_eq!(
            found(&problems),
            [
                (3, "nib", "import.companies.error.nib"),
                (4, "kbli", "import.companies.error.kbli"),
                (
                    5,
                    "tanggal_berdiri",
                    "import.companies.error.founded_future"
                ),
                (6, "tanggal_berdiri", "import.cell.date"),
                (7, "nib", "import.companies.error.no_head_office"),
                (8, "kelurahan", "import.companies.error.kelurahan"),
                (9, "nib", "import.row.duplicate"),
                (10, "nama", "import.cell.formula"),
                (11, "npp", "import.companies.error.npp"),
                (12, "bentuk_usaha", "import.companies.error.legal_form"),
                (
                    13,
                    "status_modal",
                    "import.companies.error.investment_status"
                ),
                (14, "kbli", "import.cell.required"),
                (
                    15,
                    "kelurahan",
                    "import.companies.error.kelurahan_in_binjai"
                ),
            ]
        );
        assert_eq!(problems[1].detail.as_deref(), Some("04111"));
        assert_eq!(problems[6].detail.as_deref(), Some("2"));

        assert!(matches!(
            write(&app, Kind::Companies, file.clone(), false),
            Err(WriteError::BadRows(_))
        ));
        assert_eq!(count!(&app, companies::table), 0, "nothing is written");
        let counts = write(&app, Kind::Companies, file, true).unwrap();
        assert_eq!(
            written(&counts),
            (2, 0, 0),
            "the head office and its branch"
        );
    }
);

db_test!(
    the_cli_checks_a_company_list_and_writes_nothing_on_a_bad_row,
    |app| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("perusahaan.csv");
        std::fs::write(
            &file,
            csv(
                COMPANY_HEADER,
                &[
                    company_row(&[
                        ("NIB", "9120001111111"),
                        ("Nama", "PT Baik"),
                        ("Alamat", "Jl. Baik No. 1"),
                        ("Kelurahan", "12.75.02.1006"),
                        ("KBLI", "47111"),
                    ]),
                    company_row(&[
                        ("NIB", "9120002222222"),
                        ("Nama", "PT Kurang"),
                        ("Alamat", "Jl. Kurang No. 2"),
                        ("Kelurahan", "12.75.02.1006"),
                        ("KBLI", "4711"),
                    ]),
                ],
            ),
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let stdout = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
        let dry = crate::import::sibuser_cli(
            &app,
            dir.path(),
            &["import", "companies", path, "--dry-run"],
        );
        assert!(!dry.status.success());
        let report = stdout(&dry);
        assert!(
            report.contains("Baris 3, kolom kbli: Kode KBLI 4711 bukan kode KBLI 2020 lima angka"),
            "{report}"
        );
        assert_eq!(count!(&app, companies::table), 0);

        let template =
            crate::import::sibuser_cli(&app, dir.path(), &["import", "companies", "--template"]);
        assert!(template.status.success());
        assert!(
            stdout(&template).contains("nib,nama,cabang,npwp,alamat"),
            "{}",
            stdout(&template)
        );

        let only = crate::import::sibuser_cli(
            &app,
            dir.path(),
            &["import", "companies", path, "--only-valid"],
        );
        assert!(only.status.success(), "{}", stdout(&only));
        assert_eq!(count!(&app, companies::table), 1);
    }
);

// ---------------------------------------------------------------------------------------
// WLKP

const WLKP_HEADER: &[&str] = &[
    "nib",
    "id_eksternal",
    "tahun",
    "jenis_laporan",
    "tanggal_lapor",
    "l_wni_pkwtt",
    "l_wni_pkwt",
    "l_wni_alih_daya",
    "l_wna_pkwtt",
    "l_wna_pkwt",
    "l_wna_alih_daya",
    "p_wni_pkwtt",
    "p_wni_pkwt",
    "p_wni_alih_daya",
    "p_wna_pkwtt",
    "p_wna_pkwt",
    "p_wna_alih_daya",
    "pend_sma",
    "pend_s1",
    "usia_20_29",
    "usia_30_44",
    "disabilitas",
    "upah_terendah",
    "peserta_bpjs_tk",
];

/// Five workers (three men, two women), told the same three ways, with `changes` laid over.
fn wlkp_row(nib: &str, id: &str, changes: &[(&str, &str)]) -> Vec<String> {
    let mut cells: Vec<(&str, &str)> = vec![
        ("nib", nib),
        ("id_eksternal", id),
        ("tahun", "2025"),
        ("jenis_laporan", "tahunan"),
        ("tanggal_lapor", "15/01/2026"),
        ("l_wni_pkwtt", "3"),
        ("p_wni_pkwtt", "2"),
        ("pend_sma", "4"),
        ("pend_s1", "1"),
        ("usia_20_29", "3"),
        ("usia_30_44", "2"),
        ("disabilitas", "0"),
        ("upah_terendah", "Rp 2.900.000"),
        ("peserta_bpjs_tk", "5"),
    ];
    for (column, value) in changes {
        cells.retain(|(c, _)| c != column);
        cells.push((column, value));
    }
    row(WLKP_HEADER, &cells)
}

const KNOWN_NIB: &str = "9120001234567";

fn known_company(app: &TestApp) -> CompanyId {
    with_conn(app, |c| {
        sibuser::employers::create_company(
            c,
            &NewCompany {
                name: "PT Sumber Rezeki",
                nib: Some(KNOWN_NIB),
                npwp: None,
                kbli_section: &sibuser::domain::KbliCode::parse("G").unwrap(),
                address: "Jl. Sudirman 1",
                kelurahan_code: Some("12.75.02.1006"),
                regency_code: "12.75",
            },
        )
        .unwrap()
    })
}

db_test!(
    a_national_wlkp_list_is_kept_once_and_a_correction_is_a_revision,
    |app| {
        let company = known_company(&app);
        let file = csv(
            WLKP_HEADER,
            &[
                wlkp_row(KNOWN_NIB, "WLKP-1", &[]),
                // A company not on the portal is kept by its NIB.
                wlkp_row("9120005555555", "WLKP-2", &[("jenis_laporan", "baru")]),
            ],
        );
        let (counts, problems) = check(&app, Kind::Wlkp, file.clone());
        assert_eq!(problems, []);
        assert_eq!(counts.rows, 2);
        assert_eq!(count!(&app, wlkp_reports::table), 0);

        let first = write(&app, Kind::Wlkp, file.clone(), false).unwrap();
        assert_eq!(written(&first), (2, 0, 0));
        let reports: Vec<(Option<CompanyId>, String, String, String)> = with_conn(&app, |c| {
            wlkp_reports::table
                .order(wlkp_reports::id)
                .select((
                    wlkp_reports::company_id,
                    wlkp_reports::source,
                    wlkp_reports::status,
                    wlkp_reports::report_trigger,
                ))
                .load(c)
                .unwrap()
        });
        assert_eq!(
            reports,
            [
                (
                    Some(company),
                    "national".into(),
                    "accepted".into(),
                    "annual".into()
                ),
                (None, "national".into(), "accepted".into(), "new".into()),
            ]
        );
        let again = write(&app, Kind::Wlkp, file, false).unwrap();
        assert_eq!(written(&again), (0, 0, 2));
        assert_eq!(count!(&app, wlkp_revisions::table), 2);

        // The national side corrected the first report: one woman more.
        let corrected = csv(
            WLKP_HEADER,
            &[
                wlkp_row(
                    KNOWN_NIB,
                    "WLKP-1",
                    &[("p_wni_pkwtt", "3"), ("pend_s1", "2"), ("usia_30_44", "3")],
                ),
                wlkp_row("9120005555555", "WLKP-2", &[("jenis_laporan", "baru")]),
            ],
        );
        let counts = write(&app, Kind::Wlkp, corrected.clone(), false).unwrap();
        assert_eq!(written(&counts), (0, 1, 1));
        let (revision, figures) = with_conn(&app, |c| {
            let report = sibuser::wlkp::model::of_company(c, company)
                .unwrap()
                .remove(0);
            let current = sibuser::wlkp::model::current_revision(c, &report).unwrap();
            (report.revision, current.figures)
        });
        assert_eq!(revision, 2, "the first figures are kept as revision 1");
        assert_eq!(figures.total(), 6);
        assert_eq!(count!(&app, wlkp_reports::table), 2);
        let again = write(&app, Kind::Wlkp, corrected, false).unwrap();
        assert_eq!(written(&again), (0, 0, 2));
    }
);

db_test!(
    every_bad_wlkp_row_names_its_column_and_nothing_is_written,
    |app| {
        let file = csv(
            WLKP_HEADER,
            &[
                wlkp_row(KNOWN_NIB, "W-1", &[]),
                wlkp_row(KNOWN_NIB, "W-2", &[("l_wni_pkwtt", "-1")]),
                wlkp_row(KNOWN_NIB, "W-3", &[("p_wni_pkwtt", "dua")]),
                wlkp_row(KNOWN_NIB, "W-4", &[("pend_sma", "3")]),
                wlkp_row(KNOWN_NIB, "W-5", &[("usia_20_29", "4")]),
                wlkp_row(KNOWN_NIB, "W-6", &[("peserta_bpjs_tk", "9")]),
                wlkp_row(KNOWN_NIB, "W-7", &[("upah_terendah", "")]),
                wlkp_row(KNOWN_NIB, "W-8", &[("tanggal_lapor", "2999-01-01")]),
                wlkp_row(KNOWN_NIB, "W-9", &[("jenis_laporan", "bulanan")]),
                wlkp_row(KNOWN_NIB, "W-10", &[("tahun", "1999")]),
                wlkp_row("123", "W-11", &[]),
                wlkp_row(KNOWN_NIB, "W-1", &[]),
                wlkp_row(KNOWN_NIB, "W-13", &[("upah_terendah", "tiga juta")]),
            ],
        );
        let (counts, problems) = check(&app, Kind::Wlkp, file.clone());
        assert_eq!((counts.rows, counts.bad), (13, 12));
        assert_eq!(
            found(&problems),
            [
                (3, "l_wni_pkwtt", "import.wlkp.error.negative"),
                (4, "p_wni_pkwtt", "import.cell.whole_number"),
                (5, "pend_*", "import.wlkp.error.education_total"),
                (6, "usia_*", "import.wlkp.error.age_total"),
                (7, "peserta_bpjs_tk", "wlkp.error.more_than_total"),
                (8, "upah_terendah", "wlkp.error.wage_required"),
                (9, "tanggal_lapor", "wlkp.error.reported_future"),
                (10, "jenis_laporan", "import.wlkp.error.trigger"),
                (11, "tahun", "wlkp.error.period"),
                (12, "nib", "import.wlkp.error.nib"),
                (13, "id_eksternal", "import.row.duplicate"),
                (14, "upah_terendah", "import.wlkp.error.wage"),
            ]
        );
        assert!(matches!(
            write(&app, Kind::Wlkp, file.clone(), false),
            Err(WriteError::BadRows(_))
        ));
        assert_eq!(count!(&app, wlkp_reports::table), 0, "nothing is written");
        let counts = write(&app, Kind::Wlkp, file, true).unwrap();
        assert_eq!(written(&counts), (1, 0, 0));
    }
);

db_test!(the_data_steward_imports_a_wlkp_list_on_the_web, |app| {
    seed_demo(&app);
    let steward = signed_in(&app, "walidata@sibuser.example").await;
    let page = steward.get("/petugas/impor").await;
    assert_eq!(page.status, StatusCode::OK);
    // Each new kind has its templates on the page, its columns described.
    for kind in ["companies", "wlkp", "employed-residents"] {
        page.assert_contains(&format!("/petugas/impor/templat/{kind}/csv"));
    }
    page.assert_contains("l_wni_alih_daya");
    let template = steward.get("/petugas/impor/templat/wlkp/xlsx").await;
    assert_eq!(template.status, StatusCode::OK);

    let reports_before = count!(&app, wlkp_reports::table);
    let token = crate::common::browser::csrf_token_in(&page.body).unwrap();
    let file = csv(
        WLKP_HEADER,
        &[
            wlkp_row(KNOWN_NIB, "WEB-1", &[]),
            wlkp_row(KNOWN_NIB, "WEB-2", &[("pend_sma", "3")]),
        ],
    );
    let (content_type, body) = crate::import::multipart(&token, "wlkp", "wlkp.csv", &file);
    let res = steward
        .send(
            actix_web::test::TestRequest::post()
                .uri("/petugas/impor")
                .insert_header(("content-type", content_type))
                .set_payload(body),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let run_page = res.header("location").unwrap().to_owned();
    crate::import::work(&app);
    let checked = steward.get(&run_page).await;
    checked.assert_contains("pend_*");
    checked.assert_contains("Jumlah kolom pend_ tidak sama dengan jumlah tenaga kerja");
    steward.get(&run_page).await;
    steward
        .post(&format!("{run_page}/tulis"), &[("hanya_valid", "on")])
        .await;
    crate::import::work(&app);
    steward.get(&run_page).await.assert_contains("Selesai");
    assert_eq!(count!(&app, wlkp_reports::table) - reports_before, 1);
});

// ---------------------------------------------------------------------------------------
// Employed residents

const JOB_HEADER: &[&str] = &[
    "NIK",
    "Nama",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Pemberi Kerja",
    "NIB Pemberi Kerja",
    "Jabatan",
    "Kode KBJI",
    "Kode KBLI",
    "Tanggal Mulai",
    "Tanggal Selesai",
];

/// Siti, the demo job seeker once her profile has her NIK (born 12 March 1998).
const SITI: &str = "1275015203980001";
/// A JKP recipient (born 5 May 1990, a man).
const BUDI: &str = "1275010505900003";
/// Not known before (born 4 February 1995, a woman).
const DEWI: &str = "1275014402950003";

fn job_row(nik: &str, name: &str, changes: &[(&str, &str)]) -> Vec<String> {
    let mut cells: Vec<(&str, &str)> = vec![
        ("NIK", nik),
        ("Nama", name),
        ("Pemberi Kerja", "PT Sumber Rezeki"),
        ("NIB Pemberi Kerja", KNOWN_NIB),
        ("Jabatan", "Kasir"),
        ("Kode KBJI", "5230"),
        ("Kode KBLI", "47111"),
        ("Tanggal Mulai", "05/01/2026"),
    ];
    for (column, value) in changes {
        cells.retain(|(c, _)| c != column);
        cells.push((column, value));
    }
    row(JOB_HEADER, &cells)
}

fn person_by_nik(app: &TestApp, nik: &str) -> sibuser::people::PersonId {
    with_conn(app, |c| {
        people::table
            .filter(people::nik.eq(nik))
            .select(people::id)
            .first(c)
            .unwrap()
    })
}

fn jobs_of(app: &TestApp, nik: &str) -> Vec<sibuser::employment::Job> {
    let person = person_by_nik(app, nik);
    with_conn(app, |c| sibuser::employment::jobs_of(c, person).unwrap())
}

db_test!(
    an_employers_list_of_workers_links_known_residents_and_is_written_once,
    |app| {
        seed_demo(&app);
        let company = known_company(&app);
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        crate::seekers::complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
        let budi = Nik::parse(BUDI).unwrap();
        with_conn(&app, |c| {
            sibuser::jkp::model::record_listed(
                c,
                &sibuser::jkp::model::Listed {
                    person: sibuser::people::Facts {
                        nik: &budi,
                        name: "Budi Santoso",
                        sex: Some(sibuser::domain::Sex::Male),
                        birth_date: None,
                        kelurahan_code: None,
                        regency_code: None,
                        email: None,
                        phone: None,
                    },
                    last_employer_name: "PT Tekstil Binjai",
                    last_employer_nib: None,
                    terminated_on: NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(),
                    reason: sibuser::jkp::model::Reason::Efficiency,
                    benefit_from: None,
                    benefit_until: None,
                    source: sibuser::jkp::model::Source::Bpjs,
                },
                chrono::Utc::now().naive_utc(),
            )
            .unwrap();
        });
        let people_before = count!(&app, people::table);
        let jobs_before = count!(&app, employed_residents::table);

        let file = csv(
            JOB_HEADER,
            &[
                job_row(
                    SITI,
                    "SITI AISYAH LUBIS",
                    &[("Jenis Kelamin", "P"), ("Tanggal Lahir", "12/03/1998")],
                ),
                job_row(
                    BUDI,
                    "Budi Santoso",
                    &[("Jabatan", "Operator Gudang"), ("Kode KBJI", "")],
                ),
                // Without a NIB: the employer is kept by its name.
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[
                        ("Pemberi Kerja", "Warung Bu Dewi"),
                        ("NIB Pemberi Kerja", ""),
                        ("Kode KBLI", "I"),
                    ],
                ),
            ],
        );
        let (counts, problems) = check(&app, Kind::EmployedResidents, file.clone());
        assert_eq!(problems, []);
        assert_eq!(counts.rows, 3);
        let first = write(&app, Kind::EmployedResidents, file.clone(), false).unwrap();
        assert_eq!(written(&first), (3, 0, 0));
        assert_eq!(
            count!(&app, people::table) - people_before,
            1,
            "Siti (a job seeker) and Budi (a JKP recipient) were known by their NIK"
        );

        let hers = jobs_of(&app, SITI);
        assert_eq!(hers.len(), 1);
        assert_eq!(hers[0].job_title, "Kasir");
        assert_eq!(
            hers[0].company_id,
            Some(company),
            "linked by the employer's NIB"
        );
        assert_eq!(hers[0].kbji_code.as_ref().map(|k| k.as_str()), Some("5230"));
        assert_eq!(hers[0].source, sibuser::employment::Source::Import);
        assert_eq!(hers[0].ended_on, None);
        // The job is hers: it is in her own-data copy.
        let data: serde_json::Value =
            serde_json::from_str(&siti.get("/pencaker/data-saya.json").await.body).unwrap();
        assert_eq!(data["employment"].as_array().map(Vec::len), Some(1));
        let dewi = jobs_of(&app, DEWI);
        assert_eq!(
            (dewi[0].employer_nib.as_deref(), dewi[0].company_id),
            (None, None)
        );
        assert_eq!(dewi[0].kbli_code.as_ref().map(|k| k.as_str()), Some("I"));

        let again = write(&app, Kind::EmployedResidents, file, false).unwrap();
        assert_eq!(written(&again), (0, 0, 3));
        assert_eq!(count!(&app, people::table) - people_before, 1);
        assert_eq!(count!(&app, employed_residents::table) - jobs_before, 3);

        // Dewi left at the end of February: the list says so, and the job is updated.
        let later = csv(
            JOB_HEADER,
            &[job_row(
                DEWI,
                "Dewi Sembiring",
                &[
                    ("Pemberi Kerja", "WARUNG BU DEWI"),
                    ("NIB Pemberi Kerja", ""),
                    ("Kode KBLI", "I"),
                    ("Tanggal Selesai", "28/02/2026"),
                ],
            )],
        );
        let counts = write(&app, Kind::EmployedResidents, later, false).unwrap();
        assert_eq!(written(&counts), (0, 1, 0));
        let dewi = jobs_of(&app, DEWI);
        assert_eq!(dewi.len(), 1);
        assert_eq!(dewi[0].ended_on, NaiveDate::from_ymd_opt(2026, 2, 28));
    }
);

db_test!(
    every_bad_worker_row_is_named_and_nothing_is_written,
    |app| {
        let tomorrow = (calendar::today() + chrono::Days::new(1))
            .format("%d/%m/%Y")
            .to_string();
        let file = csv(
            JOB_HEADER,
            &[
                job_row(DEWI, "Dewi Sembiring", &[]),
                job_row("12750144029500", "Nik Pendek", &[]),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("Jenis Kelamin", "L"), ("Jabatan", "Pramusaji")],
                ),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("Tanggal Lahir", "05/02/1995"), ("Jabatan", "Juru Masak")],
                ),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("Kode KBJI", "0999"), ("Jabatan", "Satpam")],
                ),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("Kode KBLI", "04"), ("Jabatan", "Sopir")],
                ),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("Tanggal Selesai", "01/01/2026"), ("Jabatan", "Kurir")],
                ),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("Tanggal Mulai", "besok"), ("Jabatan", "Admin")],
                ),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("Tanggal Mulai", tomorrow.as_str()), ("Jabatan", "Staf")],
                ),
                job_row(DEWI, "dewi sembiring", &[("Jabatan", "KASIR")]),
                job_row(
                    DEWI,
                    "Dewi Sembiring",
                    &[("NIB Pemberi Kerja", "12345"), ("Jabatan", "Gudang")],
                ),
            ],
        );
        let (counts, problems) = check(&app, Kind::EmployedResidents, file.clone());
        assert_eq!((counts.rows, counts.bad), (11, 10));
        assert_eq!(
            found(&problems),
            [
                (3, "nik", "nik.error.length"),
                (4, "jenis_kelamin", "import.employed.error.nik_sex"),
                (5, "tanggal_lahir", "import.employed.error.nik_birth"),
                (6, "kode_kbji", "import.employed.error.kbji"),
                (7, "kode_kbli", "import.employed.error.kbli"),
                (
                    8,
                    "tanggal_selesai",
                    "import.employed.error.end_before_start"
                ),
                (9, "tanggal_mulai", "import.cell.date"),
                (10, "tanggal_mulai", "import.employed.error.start_future"),
                (11, "nik", "import.row.duplicate"),
                (12, "nib_pemberi_kerja", "import.employed.error.nib"),
            ]
        );
        assert!(matches!(
            write(&app, Kind::EmployedResidents, file.clone(), false),
            Err(WriteError::BadRows(_))
        ));
        assert_eq!(count!(&app, people::table), 0, "nothing is written");
        assert_eq!(count!(&app, employed_residents::table), 0);
        let counts = write(&app, Kind::EmployedResidents, file, true).unwrap();
        assert_eq!(written(&counts), (1, 0, 0));
        assert_eq!(count!(&app, people::table), 1);
    }
);
