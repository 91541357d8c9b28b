//! The Dinas's own register of job seekers, imported (issue 14, item 6): accounts the
//! residents can take over, profiles and people by NIK, and the AK/I cards issued before
//! the portal with their own numbers and dates; every bad row named; a second import
//! changing nothing; on both backends.

use actix_web::http::StatusCode;
use chrono::{Datelike, Days, NaiveDate};
use diesel::prelude::*;
use sibuser::import::reader::Table;
use sibuser::import::{Collect, Counts, Importer, Kind, Problem, WriteError, importer};
use sibuser::schema::{
    ak1_cards, ak1_events, ak1_serials, job_seeker_people, job_seekers, people, users,
};
use sibuser::seekers::ak1::model as ak1;

use crate::common::{TestApp, browser::Browser, seed_demo, signed_in, user_id, with_conn};

const HEADER: &[&str] = &[
    "nik",
    "nama",
    "email",
    "tanggal_lahir",
    "kelurahan",
    "pendidikan",
    "kode_kbji_dicari",
    "nomor_ak1",
    "tanggal_terbit_ak1",
    "status_ak1",
    "tanggal_berakhir_ak1",
];

fn today() -> NaiveDate {
    sibuser::domain::calendar::today()
}

/// A NIK of a resident of Binjai Selatan born on `birth` (day + 40 for women).
fn nik(birth: NaiveDate, female: bool, serial: u32) -> String {
    let day = birth.day() + if female { 40 } else { 0 };
    format!(
        "127501{day:02}{:02}{:02}{serial:04}",
        birth.month(),
        birth.year() % 100
    )
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A resident of the register; the card columns empty.
struct Resident {
    nik: String,
    name: &'static str,
    email: &'static str,
    birth: NaiveDate,
}

impl Resident {
    fn new(
        name: &'static str,
        email: &'static str,
        birth: NaiveDate,
        female: bool,
        serial: u32,
    ) -> Self {
        Self {
            nik: nik(birth, female, serial),
            name,
            email,
            birth,
        }
    }

    /// The row in [`HEADER`]'s order, with a card: number, issued, status, ended.
    fn row(&self, card: [&str; 4]) -> Vec<String> {
        let birth = self.birth.format("%d/%m/%Y").to_string();
        let mut cells = vec![
            self.nik.as_str(),
            self.name,
            self.email,
            birth.as_str(),
            "12.75.01.1001",
            "SMA",
            "5230",
        ];
        cells.extend(card);
        cells.into_iter().map(str::to_owned).collect()
    }
}

fn number(year: i32, serial: u32) -> String {
    format!("1275-{year}-{serial:06}")
}

fn day(d: NaiveDate) -> String {
    d.to_string()
}

fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = HEADER.join(",");
    text.push('\n');
    for r in rows {
        text.push_str(&r.join(","));
        text.push('\n');
    }
    text.into_bytes()
}

fn seekers_importer() -> &'static dyn Importer {
    importer(Kind::JobSeekers)
}

fn check(app: &TestApp, bytes: Vec<u8>) -> (Counts, Vec<Problem>) {
    with_conn(app, |c| {
        let mut found = Collect::default();
        let counts = seekers_importer()
            .check(c, Table::open(bytes).unwrap(), &mut found)
            .unwrap();
        (counts, found.problems)
    })
}

fn write(app: &TestApp, bytes: Vec<u8>, only_valid: bool) -> Result<Counts, WriteError> {
    with_conn(app, |c| {
        seekers_importer().write(
            c,
            Table::open(bytes).unwrap(),
            None,
            only_valid,
            &mut Collect::default(),
        )
    })
}

/// (accounts, profiles, people, cards)
fn totals(app: &TestApp) -> (i64, i64, i64, i64) {
    with_conn(app, |c| {
        (
            users::table.count().get_result(c).unwrap(),
            job_seekers::table.count().get_result(c).unwrap(),
            people::table.count().get_result(c).unwrap(),
            ak1_cards::table.count().get_result(c).unwrap(),
        )
    })
}

/// The cards of the profile holding this NIK: (number, status, issued, ended).
fn cards_of(app: &TestApp, nik: &str) -> Vec<(String, String, NaiveDate, Option<NaiveDate>)> {
    with_conn(app, |c| {
        ak1_cards::table
            .inner_join(job_seekers::table)
            .filter(job_seekers::nik.eq(nik))
            .order(ak1_cards::issued_on)
            .select((
                ak1_cards::number.assume_not_null(),
                ak1_cards::status,
                ak1_cards::issued_on.assume_not_null(),
                ak1_cards::ended_on,
            ))
            .load(c)
            .unwrap()
    })
}

/// (kind, occurred on) of the card's events, in order.
fn events_of(app: &TestApp, number: &str) -> Vec<(String, NaiveDate)> {
    with_conn(app, |c| {
        ak1_events::table
            .inner_join(ak1_cards::table)
            .filter(ak1_cards::number.eq(number))
            .order(ak1_events::id)
            .select((ak1_events::kind, ak1_events::occurred_on))
            .load(c)
            .unwrap()
    })
}

db_test!(
    a_register_makes_accounts_profiles_people_and_past_cards_once,
    |app| {
        let year = today().year();
        // Issued on the first of January, so that its year is this year whatever today is.
        let issued = date(year, 1, 1);
        let old_issue = today() - Days::new(3 * 366);
        let placed_issue = today() - Days::new(400);
        let placed_on = today() - Days::new(200);
        let andi = Resident::new(
            "Andi Saputra",
            "andi.saputra@contoh.example",
            date(1995, 4, 10),
            false,
            1,
        );
        let butet = Resident::new(
            "Butet Manurung",
            "butet@contoh.example",
            date(2000, 1, 20),
            true,
            2,
        );
        let citra = Resident::new(
            "Citra Lestari",
            "citra@contoh.example",
            date(1998, 7, 3),
            true,
            3,
        );
        let file = csv(&[
            andi.row([&number(year, 412), &day(issued), "aktif", ""]),
            andi.row([
                &number(old_issue.year(), 77),
                &day(old_issue),
                "kedaluwarsa",
                "",
            ]),
            butet.row(["", "", "", ""]),
            citra.row([
                &number(placed_issue.year(), 9),
                &day(placed_issue),
                "ditempatkan",
                &day(placed_on),
            ]),
        ]);
        let (counts, problems) = check(&app, file.clone());
        assert_eq!(problems, []);
        assert_eq!((counts.rows, counts.bad), (4, 0));
        let before = totals(&app);
        assert_eq!(before.1, 0, "checking wrote nothing");

        let first = write(&app, file.clone(), false).unwrap();
        // Andi's second row adds his older card to the profile his first row made.
        assert_eq!((first.created, first.updated, first.unchanged), (3, 1, 0));
        let after = totals(&app);
        assert_eq!(
            (
                after.0 - before.0,
                after.1 - before.1,
                after.2 - before.2,
                after.3 - before.3
            ),
            (3, 3, 3, 3)
        );

        // Each resident has an account no one can sign in to yet, and a linked person.
        with_conn(&app, |c| {
            let (hash, verified, name): (String, Option<chrono::NaiveDateTime>, String) =
                users::table
                    .filter(users::email.eq(andi.email))
                    .select((
                        users::password_hash,
                        users::email_verified_at,
                        users::full_name,
                    ))
                    .first(c)
                    .unwrap();
            assert!(
                hash.starts_with('!'),
                "no password until the resident sets one"
            );
            assert!(
                verified.is_none(),
                "an address from an old list is not confirmed"
            );
            assert_eq!(name, "Andi Saputra");
            let (sex, birth, kelurahan, education): (
                Option<String>,
                Option<NaiveDate>,
                Option<String>,
                Option<i16>,
            ) = job_seekers::table
                .filter(job_seekers::nik.eq(&butet.nik))
                .select((
                    job_seekers::sex,
                    job_seekers::birth_date,
                    job_seekers::kelurahan_code,
                    job_seekers::education_level,
                ))
                .first(c)
                .unwrap();
            assert_eq!(sex.as_deref(), Some("P"), "read from the NIK");
            assert_eq!(birth, Some(butet.birth));
            assert_eq!(kelurahan.as_deref(), Some("12.75.01.1001"));
            assert!(education.is_some());
            let linked: Vec<(String, String, bool)> = job_seeker_people::table
                .inner_join(people::table)
                .inner_join(job_seekers::table)
                .order(people::nik)
                .select((people::nik, people::source, job_seeker_people::confirmed))
                .load(c)
                .unwrap();
            assert_eq!(linked.len(), 3);
            assert!(
                linked
                    .iter()
                    .all(|(_, source, confirmed)| source == "import" && *confirmed)
            );
        });

        // The cards keep their own numbers, dates and states, with dated events.
        let andis = cards_of(&app, &andi.nik);
        assert_eq!(
            andis,
            [
                (
                    number(old_issue.year(), 77),
                    "expired".to_owned(),
                    old_issue,
                    Some(sibuser::seekers::ak1::rules::valid_until(old_issue) + Days::new(1)),
                ),
                (number(year, 412), "active".to_owned(), issued, None),
            ]
        );
        assert_eq!(
            events_of(&app, &number(year, 412)),
            [("issued".to_owned(), issued)]
        );
        assert_eq!(
            events_of(&app, &number(placed_issue.year(), 9)),
            [
                ("issued".to_owned(), placed_issue),
                ("placed".to_owned(), placed_on)
            ]
        );
        // The active card is not treated as a missed report: its holder reports next.
        let card = with_conn(&app, |c| {
            ak1::find_by_number(
                c,
                &sibuser::domain::Ak1Number::parse(&number(year, 412)).unwrap(),
            )
            .unwrap()
            .unwrap()
        });
        let (due, window) = card.report_window(today()).expect("a report is due");
        assert!(due >= issued);
        assert_ne!(window, sibuser::seekers::ak1::rules::ReportWindow::Missed);

        // No card issued later takes an imported number: the year's serials go on after it.
        let serial: i32 = with_conn(&app, |c| {
            ak1_serials::table
                .find(year)
                .select(ak1_serials::last_serial)
                .first(c)
                .unwrap()
        });
        assert!(serial >= 412);

        // The same file again changes nothing.
        let again = write(&app, file, false).unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
        assert_eq!(totals(&app), after);
    }
);

db_test!(
    the_resident_takes_over_the_imported_account_with_a_password_reset,
    |app| {
        seed_demo(&app);
        let year = today().year();
        let dewi = Resident::new(
            "Dewi Sartika",
            "dewi.sartika@contoh.example",
            date(1997, 8, 17),
            true,
            4,
        );
        write(
            &app,
            csv(&[dewi.row([&number(year, 900_001), &day(date(year, 1, 1)), "aktif", ""])]),
            false,
        )
        .unwrap();
        // Nothing was mailed by the import.
        let mails = |app: &TestApp| -> Vec<String> {
            with_conn(app, |c| {
                sibuser::schema::mail_outbox::table
                    .filter(sibuser::schema::mail_outbox::to_address.eq(dewi.email))
                    .select(sibuser::schema::mail_outbox::body_text)
                    .load(c)
                    .unwrap()
            })
        };
        assert!(mails(&app).is_empty());

        let browser = Browser::new(&app);
        let res = browser
            .submit("/lupa-sandi", "/lupa-sandi", &[("email", dewi.email)])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let sent = mails(&app);
        assert_eq!(sent.len(), 1);
        let link = crate::accounts::link_path(&sent[0], "/atur-sandi/");
        let password = "rambutan-binjai-2026";
        let res = browser
            .submit(
                &link,
                &link,
                &[("password", password), ("password_confirm", password)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let signed = Browser::new(&app);
        assert_eq!(
            signed.sign_in(dewi.email, password).await.status,
            StatusCode::SEE_OTHER
        );
        // Her card is there, with the number the Dinas gave it.
        let page = signed.get("/pencaker/ak1").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains(&number(year, 900_001));
    }
);

db_test!(
    bad_rows_of_a_register_are_named_and_nothing_is_written,
    |app| {
        let year = today().year();
        let jan = day(date(year, 1, 1));
        let dian = Resident::new(
            "Dian Purba",
            "dian@contoh.example",
            date(1990, 2, 2),
            true,
            5,
        );
        // Dian is on the portal with an active card.
        write(
            &app,
            csv(&[dian.row([&number(year, 500), &jan, "aktif", ""])]),
            false,
        )
        .unwrap();
        with_conn(&app, |c| {
            let email = sibuser::domain::Email::parse("dipakai@contoh.example").unwrap();
            sibuser::accounts::create_user(
                c,
                &sibuser::accounts::NewUser::staff(
                    &email,
                    "Akun Lain",
                    "!invited",
                    &[sibuser::domain::Role::Employer],
                ),
            )
            .unwrap();
        });
        let eko = Resident::new(
            "Eko Prasetyo",
            "eko@contoh.example",
            date(1993, 6, 1),
            false,
            6,
        );
        let fajar = Resident::new(
            "Fajar Nasution",
            "sama@contoh.example",
            date(1994, 3, 3),
            false,
            7,
        );
        let gita = Resident::new(
            "Gita Siregar",
            "sama@contoh.example",
            date(1996, 9, 9),
            true,
            8,
        );
        let hadi = Resident::new(
            "Hadi Ginting",
            "hadi@contoh.example",
            date(1991, 11, 11),
            false,
            9,
        );
        let mut wrong_birth = Resident::new(
            "Intan Sari",
            "intan@contoh.example",
            date(1995, 4, 10),
            true,
            10,
        );
        wrong_birth.birth = date(1995, 4, 11);
        let taken = Resident::new(
            "Joko Susilo",
            "dipakai@contoh.example",
            date(1989, 5, 5),
            false,
            11,
        );
        let long_ago = today() - Days::new(3 * 366);
        let mut bad_nik = hadi.row(["", "", "", ""]);
        bad_nik[0] = "12345".into();
        let mut formula = Resident::new("x", "kiki@contoh.example", date(1999, 1, 1), true, 12)
            .row(["", "", "", ""]);
        formula[1] = "=HYPERLINK(\"http://evil\")".into();
        let rows = vec![
            bad_nik,                                                              // 2
            wrong_birth.row(["", "", "", ""]),                                    // 3
            taken.row(["", "", "", ""]),                                          // 4
            hadi.row([&number(year, 500), &jan, "ditempatkan", &jan]),            // 5
            hadi.row([&number(long_ago.year(), 3), &day(long_ago), "aktif", ""]), // 6
            eko.row([&number(year, 601), &jan, "aktif", ""]),                     // 7
            eko.row([&number(year, 602), &jan, "aktif", ""]),                     // 8
            fajar.row(["", "", "", ""]),                                          // 9
            gita.row(["", "", "", ""]),                                           // 10
            hadi.row([&number(year - 1, 44), &jan, "kedaluwarsa", ""]),           // 11
            formula,                                                              // 12
            dian.row([&number(year, 777), &jan, "aktif", ""]),                    // 13
            hadi.row([&number(year, 778), &jan, "lapor", ""]),                    // 14
            hadi.row(["", "", "", ""]),                                           // 15 (good)
        ];
        let file = csv(&rows);
        let (counts, problems) = check(&app, file.clone());
        let found: Vec<(u32, Option<&str>, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_deref(), p.reason))
            .collect();
        assert_eq!(
            found,
            [
                (2, Some("nik"), "nik.error.length"),
                (3, Some("nik"), "seeker.error.nik_birth_date"),
                (4, Some("email"), "import.job_seekers.error.email_taken"),
                (5, Some("nomor_ak1"), "import.job_seekers.error.card_taken"),
                (
                    6,
                    Some("status_ak1"),
                    "import.job_seekers.error.active_expired"
                ),
                (
                    8,
                    Some("status_ak1"),
                    "import.job_seekers.error.card_open_in_file"
                ),
                (10, Some("email"), "import.job_seekers.error.email_in_file"),
                (
                    11,
                    Some("tanggal_terbit_ak1"),
                    "import.job_seekers.error.card_year"
                ),
                (
                    11,
                    Some("status_ak1"),
                    "import.job_seekers.error.not_expired"
                ),
                (12, Some("nama"), "import.cell.formula"),
                (13, Some("status_ak1"), "import.job_seekers.error.card_open"),
                (
                    14,
                    Some("status_ak1"),
                    "import.job_seekers.error.card_status"
                ),
            ]
        );
        assert_eq!((counts.rows, counts.bad), (14, 11));

        // Refused whole unless told to write the good rows.
        let before = totals(&app);
        assert!(matches!(
            write(&app, file.clone(), false),
            Err(WriteError::BadRows(_))
        ));
        assert_eq!(totals(&app), before);
        let written = write(&app, file, true).unwrap();
        // Eko (line 7), Fajar (9) and Hadi (15).
        assert_eq!(
            (written.created, written.updated, written.unchanged),
            (3, 0, 0)
        );
        assert_eq!(cards_of(&app, &eko.nik).len(), 1);
        assert_eq!(
            cards_of(&app, &dian.nik).len(),
            1,
            "Dian keeps her one active card"
        );
    }
);

db_test!(
    a_known_job_seeker_keeps_the_profile_and_a_known_person_is_not_made_twice,
    |app| {
        seed_demo(&app);
        let uid = user_id(&app, "pencaker@sibuser.example");
        let seeker = signed_in(&app, "pencaker@sibuser.example").await;
        crate::seekers::complete_profile(&app, &seeker, "/pencaker/profil", crate::people::SITI)
            .await;
        let siti_birth = date(1998, 3, 12);
        let long_ago = today() - Days::new(3 * 366);
        let mut siti = Resident::new(
            "SITI A. LUBIS",
            "siti.lama@contoh.example",
            siti_birth,
            true,
            1,
        );
        siti.nik = crate::people::SITI.to_owned();
        // A person the Dinas knows from a JKP list, without an account.
        let rudi = Resident::new(
            "Rudi Hartono",
            "rudi@contoh.example",
            date(1985, 12, 1),
            false,
            13,
        );
        with_conn(&app, |c| {
            sibuser::people::record(
                c,
                &sibuser::people::Facts {
                    nik: &sibuser::domain::Nik::parse(&rudi.nik).unwrap(),
                    name: "RUDI HARTONO",
                    sex: Some(sibuser::domain::Sex::Male),
                    birth_date: None,
                    kelurahan_code: None,
                    regency_code: Some("12.75"),
                    email: None,
                    phone: None,
                },
                sibuser::people::Source::Import,
                "jkp:9",
                chrono::Utc::now().naive_utc(),
            )
            .unwrap();
        });
        let before = totals(&app);
        let counts = write(
            &app,
            csv(&[
                siti.row([
                    &number(long_ago.year(), 31),
                    &day(long_ago),
                    "kedaluwarsa",
                    "",
                ]),
                rudi.row(["", "", "", ""]),
            ]),
            false,
        )
        .unwrap();
        assert_eq!(
            (counts.created, counts.updated, counts.unchanged),
            (1, 1, 0)
        );
        let after = totals(&app);
        // One new account and profile (Rudi's), no new person, one card (Siti's old one).
        assert_eq!(
            (
                after.0 - before.0,
                after.1 - before.1,
                after.2 - before.2,
                after.3 - before.3
            ),
            (1, 1, 0, 1)
        );
        with_conn(&app, |c| {
            // Siti's account and her own entries are as she left them.
            let (email, name): (String, String) = users::table
                .find(uid)
                .select((users::email.assume_not_null(), users::full_name))
                .first(c)
                .unwrap();
            assert_eq!(email, "pencaker@sibuser.example");
            assert_eq!(name, "Siti Aisyah Lubis");
            // Rudi's new profile points at the person the JKP list made.
            let linked: i64 = job_seeker_people::table
                .inner_join(people::table)
                .filter(people::nik.eq(&rudi.nik))
                .filter(job_seeker_people::confirmed.eq(true))
                .count()
                .get_result(c)
                .unwrap();
            assert_eq!(linked, 1);
        });
        assert!(
            cards_of(&app, crate::people::SITI)
                .iter()
                .any(|(n, status, ..)| *n == number(long_ago.year(), 31) && status == "expired")
        );
    }
);

db_test!(the_cli_prints_the_job_seekers_template, |app| {
    let dir = tempfile::tempdir().unwrap();
    let out =
        crate::import::sibuser_cli(&app, dir.path(), &["import", "job-seekers", "--template"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // A BOM first, so that Excel reads the names as UTF-8.
    let header = text.lines().next().unwrap().trim_start_matches('\u{FEFF}');
    assert!(header.starts_with("nik,nama,email,"), "{header}");
    assert!(header.contains("nomor_ak1") && header.contains("tanggal_terbit_ak1"));
});
