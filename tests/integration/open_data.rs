//! Open data (issue 15, item 4): closed months only, small counts of people hidden so that
//! no total gives them away, the same figures as page, CSV and JSON, with their metadata,
//! and nothing personal anywhere.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use sibuser::domain::AgeGroup;
use sibuser::ipk::ledger::{NewFact, insert_many};
use sibuser::ipk::{Dims, Flow, Month, Persons};

use crate::common::{TestApp, TestResponse, seed_demo, with_conn};

fn this_month() -> Month {
    Month::of(sibuser::domain::calendar::today())
}

fn close(app: &TestApp, month: Month) {
    with_conn(app, |c| {
        sibuser::ipk::period::close(
            c,
            month,
            None,
            sibuser::domain::calendar::today(),
            chrono::Utc::now().naive_utc(),
        )
        .unwrap()
        .unwrap()
    });
}

/// `n` facts of one person each, registered in `month` under these groups.
fn facts(flow: Flow, month: Month, n: usize, persons: Persons, dims: Dims) -> Vec<NewFact> {
    (0..n)
        .map(|i| NewFact {
            flow,
            reason: None,
            subject: format!("test:{}:{month}:{i}:{dims:?}:{persons:?}", flow.as_str()),
            on: month.first_day() + chrono::Days::new(3),
            persons,
            dims: dims.clone(),
        })
        .collect()
}

const MAN: Persons = Persons {
    male: 1,
    female: 0,
    either: 0,
};
const WOMAN: Persons = Persons {
    male: 0,
    female: 1,
    either: 0,
};

fn aged(group: AgeGroup) -> Dims {
    Dims {
        age_group: Some(group),
        kelurahan_code: Some("12.75.01.1008".into()),
        ..Dims::default()
    }
}

/// A month with a few job seekers registered, some in groups under five.
fn crafted(app: &TestApp, month: Month) {
    let mut all = Vec::new();
    // Men: 15-19 2, 20-29 12, 30-44 7. Women: 15-19 9, 20-29 3.
    for (group, men, women) in [
        (AgeGroup::From15To19, 2, 9),
        (AgeGroup::From20To29, 12, 3),
        (AgeGroup::From30To44, 7, 0),
    ] {
        all.extend(facts(Flow::SeekerRegistered, month, men, MAN, aged(group)));
        all.extend(facts(
            Flow::SeekerRegistered,
            month,
            women,
            WOMAN,
            aged(group),
        ));
    }
    with_conn(app, |c| insert_many(c, &all).unwrap());
}

/// The CSV's rows after its header, each as its fields.
fn csv_rows(res: &TestResponse) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(res.body.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A published cell: `Some(value)`, or `None` when hidden.
fn cell(rows: &[Vec<String>], month: Month, sex: &str, code: &str) -> Option<i64> {
    let row = rows
        .iter()
        .find(|r| r[0] == month.to_string() && r[1] == sex && r[2] == code)
        .unwrap_or_else(|| panic!("no cell {month} {sex} {code}"));
    assert_eq!(row[5] == "true", row[4].is_empty(), "{row:?}");
    row[4].parse().ok()
}

db_test!(
    small_counts_are_hidden_and_no_total_gives_them_away,
    |app| {
        let month = this_month().previous().previous();
        crafted(&app, month);
        close(&app, month);

        let res = app.get("/data-terbuka/pencari-kerja-umur.csv").await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(res.body.starts_with(
            "periode,jenis_kelamin,kode_kelompok_umur,kelompok_umur,nilai,disembunyikan\n"
        ));
        let rows = csv_rows(&res);
        // Six age categories (five groups and "not recorded") by three sexes.
        assert_eq!(rows.len(), 18);
        assert_eq!(cell(&rows, month, "L", "20-29"), Some(12));
        assert_eq!(cell(&rows, month, "L", "15-19"), None, "2 men: hidden");
        assert_eq!(
            cell(&rows, month, "L", "30-44"),
            None,
            "7 men: hidden too, or the 2 would follow from the men's total (21)"
        );
        assert_eq!(cell(&rows, month, "P", "20-29"), None, "3 women: hidden");
        assert_eq!(
            cell(&rows, month, "P", "15-19"),
            None,
            "9 women: hidden with the 3"
        );
        assert_eq!(
            cell(&rows, month, "P", "30-44"),
            Some(0),
            "nobody is shown as 0"
        );
        assert_eq!(cell(&rows, month, "TT", "20-29"), Some(0));
        // No hidden value is written anywhere, not even as text.
        for row in rows.iter().filter(|r| r[5] == "true") {
            assert_eq!(row[4], "");
        }

        // The page: hidden cells marked, and no total over a hidden cell.
        let page = app
            .get(&format!("/data-terbuka/pencari-kerja-umur?bulan={month}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        let row_of = |code: &str| -> String {
            let start = body.find(&format!("<tr data-code=\"{code}\">")).unwrap();
            body[start..start + body[start..].find("</tr>").unwrap()].to_owned()
        };
        let cells = |code: &str| -> Vec<String> {
            row_of(code)
                .split("<td")
                .skip(1)
                .map(|c| {
                    let text = &c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()];
                    text.to_owned()
                })
                .collect()
        };
        assert_eq!(cells("20-29"), ["12", "r", "0", "r"]);
        assert_eq!(cells("15-19"), ["r", "r", "0", "r"]);
        assert_eq!(cells("30-44"), ["r", "0", "0", "r"]);
        assert_eq!(cells("45-54"), ["0", "0", "0", "0"]);
        assert_eq!(cells("total"), ["r", "r", "0", "r"]);
        assert!(row_of("20-29").contains("class=\"hidden-cell\""));
        page.assert_contains("r: disembunyikan");
        // Neither the hidden counts nor the totals that would reveal them appear.
        for secret in [
            "<td>2</td>",
            "<td>3</td>",
            "<td>7</td>",
            "<td>9</td>",
            "<td>33</td>",
        ] {
            page.assert_lacks(secret);
        }
    }
);

db_test!(only_closed_months_are_published, |app| {
    let closed = this_month().previous().previous().previous();
    let open = closed.next();
    crafted(&app, closed);
    crafted(&app, open);
    crafted(&app, this_month());

    // Nothing closed yet: nothing published, and the page says why.
    let rows = csv_rows(&app.get("/data-terbuka/pencari-kerja-umur.csv").await);
    assert!(rows.is_empty());
    let page = app.get("/data-terbuka/pencari-kerja-umur").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Belum ada bulan yang diterbitkan");

    close(&app, closed);
    let rows = csv_rows(&app.get("/data-terbuka/pencari-kerja-umur.csv").await);
    let months: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(months.into_iter().collect::<Vec<_>>(), [closed.to_string()]);

    // A month not published is refused with a message, not a 500 or an empty table.
    let res = app
        .get(&format!("/data-terbuka/pencari-kerja-umur?bulan={open}"))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(&format!("Bulan “{open}” tidak diterbitkan"));
    let res = app
        .get("/data-terbuka/pencari-kerja-umur?bulan=kemarin")
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/data-terbuka/tidak-ada").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/data-terbuka/tidak-ada.csv").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/data-terbuka/tidak-ada.json").await.status,
        StatusCode::NOT_FOUND
    );
});

db_test!(positions_are_published_whole_with_their_metadata, |app| {
    let month = this_month().previous();
    let developer = Dims {
        kbji_code: Some(sibuser::domain::KbjiCode::parse("2514").unwrap()),
        kelurahan_code: Some("12.75.02.1001".into()),
        ..Dims::default()
    };
    let either = Persons {
        male: 0,
        female: 0,
        either: 2,
    };
    let mut all = facts(Flow::VacancyRegistered, month, 1, either, developer.clone());
    all.extend(facts(Flow::VacancyRegistered, month, 3, WOMAN, developer));
    with_conn(&app, |c| insert_many(c, &all).unwrap());
    close(&app, month);

    let res = app.get("/data-terbuka/lowongan-kbji.json").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/json"));
    let doc: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(doc["dataset"], "lowongan-kbji");
    let meta = &doc["metadata"];
    for field in [
        "judul",
        "definisi",
        "satuan",
        "periode",
        "frekuensi",
        "wilayah",
        "produsen_data",
        "sumber",
        "kerahasiaan",
        "kontak",
        "lisensi",
    ] {
        assert!(
            meta[field].as_str().is_some_and(|s| !s.is_empty()),
            "metadata.{field}: {meta}"
        );
    }
    assert_eq!(meta["bulan_pertama"], month.to_string());
    assert_eq!(meta["lisensi"], "CC BY 4.0");
    assert!(
        meta["produsen_data"]
            .as_str()
            .unwrap()
            .contains("Dinas Ketenagakerjaan")
    );
    let lists = meta["daftar_kode"].to_string();
    assert!(lists.contains("KBJI 2014"), "{lists}");
    assert!(lists.contains("Kepmendagri"), "{lists}");
    let data = doc["data"].as_array().unwrap();
    // Eleven categories (ten major groups and "not recorded") by three sexes.
    assert_eq!(data.len(), 33);
    let find = |sex: &str| {
        data.iter()
            .find(|d| d["jenis_kelamin"] == sex && d["kode_kbji"] == "2")
            .unwrap()
            .clone()
    };
    // Positions are not people: 3 and 2 are published as they are.
    assert_eq!(find("P")["nilai"], 3);
    assert_eq!(find("LP")["nilai"], 2);
    assert_eq!(find("L")["nilai"], 0);
    assert_eq!(find("P")["disembunyikan"], false);
    assert_eq!(find("P")["golongan_pokok_kbji"], "Profesional");

    let page = app.get("/data-terbuka/lowongan-kbji").await;
    page.assert_contains("KBJI 2014");
    page.assert_contains("CC BY 4.0");
    page.assert_contains("Laki-laki atau perempuan (LP)");
    let kbli = app.get("/data-terbuka/penempatan-kbli").await;
    kbli.assert_contains("KBLI 2020");
    let index = app.get("/data-terbuka").await;
    assert_eq!(index.status, StatusCode::OK);
    for d in sibuser::open_data::DATASETS {
        index.assert_contains(&format!("href=\"/data-terbuka/{}.csv\"", d.slug));
        index.assert_contains(&format!("href=\"/data-terbuka/{}.json\"", d.slug));
    }
    let sitemap = app.get("/sitemap.xml").await;
    sitemap.assert_contains("/data-terbuka/penempatan-kecamatan</loc>");
});

db_test!(
    the_demo_s_closed_month_is_its_ledger_and_names_no_one,
    |app| {
        seed_demo(&app);
        let month = this_month().previous();
        close(&app, month);
        let table = with_conn(&app, |c| {
            sibuser::ipk::tables::seekers_by_age(c, month, month).unwrap()
        });
        let rows = csv_rows(&app.get("/data-terbuka/pencari-kerja-umur.csv").await);
        for group in AgeGroup::ALL {
            let cell_of = table.rows.get(&Some(group)).copied().unwrap_or_default();
            for (sex, expected) in [
                ("L", cell_of.male.registered),
                ("P", cell_of.female.registered),
            ] {
                if let Some(shown) = cell(&rows, month, sex, group.as_str()) {
                    assert_eq!(shown, expected, "{sex} {}", group.as_str());
                } else {
                    assert!(expected > 0, "only people are hidden, never zero");
                }
            }
        }
        let placements = csv_rows(&app.get("/data-terbuka/penempatan-kecamatan.csv").await);
        assert!(!placements.is_empty());

        // Nobody's name, NIK or e-mail address, on any page or file.
        let people: Vec<(String, String)> = with_conn(&app, |c| {
            use sibuser::schema::{job_seekers, users};
            job_seekers::table
                .inner_join(users::table)
                .filter(job_seekers::nik.is_not_null())
                .select((users::full_name, job_seekers::nik.assume_not_null()))
                .limit(40)
                .load(c)
                .unwrap()
        });
        assert!(!people.is_empty());
        let mut paths = vec!["/data-terbuka".to_owned()];
        for d in sibuser::open_data::DATASETS {
            paths.push(format!("/data-terbuka/{}", d.slug));
            paths.push(format!("/data-terbuka/{}.csv", d.slug));
            paths.push(format!("/data-terbuka/{}.json", d.slug));
        }
        for path in paths {
            let res = app.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
            res.assert_lacks("@warga.example");
            res.assert_lacks("@sibuser.example");
            for (name, nik) in &people {
                res.assert_lacks(name);
                res.assert_lacks(nik);
            }
        }
    }
);
