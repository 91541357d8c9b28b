//! The data steward's IPK reports (issue 15, item 2): each form of a period as a page, a
//! workbook laid out like the paper form, a CSV file and a print view; periods that cannot
//! be reported are refused clearly; a signed period keeps its figures whatever happens
//! later, and a correction makes a new version beside the old one. Both backends.

use actix_web::http::StatusCode;
use chrono::{Datelike, Days, NaiveDate};
use diesel::prelude::*;
use sibuser::ipk::tables::{positions, seekers_by_age};
use sibuser::ipk::{Month, Period};

use crate::common::{TestApp, seed_demo, signed_in, with_conn};

const STEWARD: &str = "walidata@sibuser.example";

fn last_month() -> Month {
    Month::of(sibuser::domain::calendar::today()).previous()
}

fn query(month: Month) -> String {
    format!("dari={month}&sampai={month}")
}

/// The CSV line whose label (third field) starts with `label`, as its fields.
fn csv_row(body: &str, part: &str, label: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| r.get(0) == Some(part) && r.get(2).is_some_and(|l| l.starts_with(label)))
        .unwrap_or_else(|| panic!("no row {label} in part {part:?}:\n{body}"))
        .iter()
        .map(str::to_owned)
        .collect()
}

fn last_number(row: &[String]) -> i64 {
    row.last().unwrap().parse().unwrap()
}

/// Who is on the register at the end of `month`, and the vacant positions, per the tables.
fn remaining(app: &TestApp, month: Month) -> (i64, i64) {
    with_conn(app, |c| {
        (
            seekers_by_age(c, month, month)
                .unwrap()
                .total
                .all()
                .remaining(),
            positions(c, month, month).unwrap().all().remaining(),
        )
    })
}

db_test!(
    each_form_of_a_period_is_a_page_a_csv_a_workbook_and_a_print_view,
    |app| {
        seed_demo(&app);
        let month = last_month();
        let steward = signed_in(&app, STEWARD).await;
        let index = steward.get("/petugas/statistik").await;
        assert_eq!(index.status, StatusCode::OK);
        for code in [
            "III/1", "III/2", "III/3", "III/4", "III/5", "III/6", "III/7", "III/8",
        ] {
            index.assert_contains(&format!("{code}: "));
        }
        index.assert_contains(&format!("value=\"{month}\""));
        index.assert_contains("belum ditandatangani");

        let q = query(month);
        let page = steward.get(&format!("/petugas/statistik/iii-1?{q}")).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Ikhtisar Statistik Antar Kerja");
        page.assert_contains("Kota Binjai");
        page.assert_contains("colspan=\"2\">15-19</th>");

        // The CSV's last row of each part is what the tables say is still open.
        let csv = steward
            .get(&format!("/petugas/statistik/iii-1/csv?{q}"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        let (seekers, vacant) = remaining(&app, month);
        assert!(seekers > 0 && vacant > 0, "the demo has a register");
        let row = csv_row(&csv.body, "I. Pencari kerja", "5.");
        assert_eq!(last_number(&row), seekers);
        let row = csv_row(&csv.body, "II. Lowongan (orang)", "5.");
        assert_eq!(last_number(&row), vacant);
        // Remaining = carried + registered - placed - removed, in the file as well.
        let value = |label: &str| last_number(&csv_row(&csv.body, "I. Pencari kerja", label));
        assert_eq!(
            value("5."),
            value("1.") + value("2.") - value("3.") - value("4.")
        );
        // And a month's carried over is the month before's remaining.
        let (before, _) = remaining(&app, month.previous());
        assert_eq!(value("1."), before);

        // III/7: the placements of the month by section add up to all of them.
        let csv = steward
            .get(&format!("/petugas/statistik/iii-7/csv?{q}"))
            .await;
        let placed: i64 = with_conn(&app, |c| {
            sibuser::ipk::tables::placements_by_kbli(c, month, month)
                .unwrap()
                .values()
                .map(|n| n.all())
                .sum()
        });
        assert_eq!(last_number(&csv_row(&csv.body, "", "Jumlah")), placed);

        let xlsx = steward
            .get(&format!("/petugas/statistik/iii-2/xlsx?{q}"))
            .await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(
            xlsx.header("content-disposition")
                .unwrap()
                .contains(".xlsx")
        );
        let all = steward
            .get(&format!("/petugas/statistik/semua/xlsx?{q}"))
            .await;
        assert_eq!(all.status, StatusCode::OK);
        let print = steward
            .get(&format!("/petugas/statistik/iii-4?{q}&tampilan=cetak"))
            .await;
        assert_eq!(print.status, StatusCode::OK);
        print.assert_contains("Walidata");
        print.assert_lacks("Unduh CSV");

        // Other staff have no business here.
        let operator = signed_in(&app, "operator@sibuser.example").await;
        assert_eq!(
            operator.get("/petugas/statistik").await.status,
            StatusCode::FORBIDDEN
        );
    }
);

#[test]
fn the_workbook_is_laid_out_like_the_paper_form() {
    use calamine::{Data, Reader, Xlsx};
    let forms = sibuser::ipk::form::load(std::path::Path::new("/nonexistent"));
    let form = forms.find("iii-1").unwrap();
    let figures = sibuser::ipk::grid::Figures {
        parts: form
            .parts
            .iter()
            .map(|p| sibuser::ipk::grid::PartFigures {
                cells: (0..p.rows.len())
                    .map(|r| (0..p.columns.len()).map(|c| (r * 100 + c) as i64).collect())
                    .collect(),
            })
            .collect(),
    };
    let sheet = sibuser::ipk::layout::sheet(form, &figures, sibuser::web::i18n::Lang::Id);
    let heading = sibuser::ipk::workbook::Heading {
        region: "Kota Binjai, Provinsi Sumatera Utara",
        period: "Periode: November 2026",
        status: "Ditandatangani (versi 1)",
    };
    let bytes = sibuser::ipk::workbook::workbook(&[sheet], &heading).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["III-1"]);
    let range = book.worksheet_range("III-1").unwrap();
    let text = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(text(0, 0), "III/1  Ikhtisar Statistik Antar Kerja");
    assert_eq!(text(1, 0), "Kota Binjai, Provinsi Sumatera Utara");
    assert_eq!(text(2, 0), "Periode: November 2026");
    // Part I: its title, the age groups over L and P, the column numbers, the rows.
    assert_eq!(text(5, 0), "I. Pencari kerja");
    assert_eq!(text(6, 1), "15-19");
    assert_eq!(text(7, 1), "L");
    assert_eq!(text(7, 2), "P");
    assert_eq!(text(8, 0), "(1)");
    assert_eq!(text(8, 13), "(14)");
    assert!(text(9, 0).starts_with("1. Pencari kerja"));
    assert_eq!(text(9, 1), "0");
    assert_eq!(text(10, 2), "101");
}

db_test!(
    a_period_that_cannot_be_reported_says_why_and_keeps_what_was_typed,
    |app| {
        seed_demo(&app);
        let steward = signed_in(&app, STEWARD).await;
        let this = Month::of(sibuser::domain::calendar::today());
        let first: Month = with_conn(&app, |c| {
            sibuser::ipk::period::first_month(c).unwrap().unwrap()
        });
        for (from, to, message) in [
            (
                this.to_string(),
                this.previous().to_string(),
                "tidak boleh sebelum bulan awal",
            ),
            (
                this.to_string(),
                this.next().to_string(),
                "tidak boleh melewati bulan ini",
            ),
            (
                first.previous().to_string(),
                first.to_string(),
                "sebelum ada data",
            ),
            ("November".to_owned(), this.to_string(), "tahun-bulan"),
        ] {
            let res = steward
                .get(&format!("/petugas/statistik?dari={from}&sampai={to}"))
                .await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{from} {to}");
            res.assert_contains(message);
            res.assert_contains(&format!("value=\"{from}\""));
            res.assert_contains(&format!("value=\"{to}\""));
        }
        // A form of such a period is no page at all.
        let res = steward
            .get(&format!(
                "/petugas/statistik/iii-1?dari={}&sampai={}",
                this,
                this.previous()
            ))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // The current month, still running, can be shown but not signed off.
        let res = steward
            .get(&format!("/petugas/statistik?{}", query(this)))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_lacks("Tandatangani periode ini");
    }
);

/// The figures of every form of the month as the database computes them now.
fn live(app: &TestApp, month: Month) -> Vec<sibuser::ipk::grid::Figures> {
    let forms = sibuser::ipk::form::load(std::path::Path::new("/nonexistent")).forms;
    with_conn(app, |c| {
        sibuser::ipk::signoff::figures(
            c,
            Period::month(month),
            &forms,
            sibuser::ipk::tables::Basis::Reported,
        )
        .unwrap()
    })
}

db_test!(
    a_signed_month_keeps_its_figures_and_a_correction_makes_a_new_version,
    |app| {
        use sibuser::schema::{ak1_cards, job_seekers};
        seed_demo(&app);
        let month = last_month();
        let q = query(month);
        // Two cards issued that month, whatever the demo's dice gave: issued at the
        // counter to residents with a complete profile and no open card.
        with_conn(&app, |c| {
            use sibuser::schema::ak1_cards::dsl as card;
            let issued: i64 = ak1_cards::table
                .filter(card::issued_on.ge(month.first_day()))
                .filter(card::issued_on.lt(month.next().first_day()))
                .count()
                .get_result(c)
                .unwrap();
            let open = ak1_cards::table
                .filter(card::status.eq_any(["requested", "active"]))
                .select(card::job_seeker_id);
            let free: Vec<sibuser::domain::ids::JobSeekerId> = job_seekers::table
                .filter(job_seekers::nik.is_not_null())
                .filter(job_seekers::education_level.is_not_null())
                .filter(job_seekers::id.ne_all(open))
                .order(job_seekers::id)
                .select(job_seekers::id)
                .limit(2)
                .load(c)
                .unwrap();
            for seeker in free
                .into_iter()
                .take(2_usize.saturating_sub(issued as usize))
            {
                let step = sibuser::seekers::ak1::model::Step {
                    on: month.first_day() + Days::new(9),
                    actor: None,
                    note: None,
                };
                sibuser::seekers::ak1::model::issue_at_counter(c, seeker, step).unwrap();
            }
        });
        let steward = signed_in(&app, STEWARD).await;
        steward.get(&format!("/petugas/statistik?{q}")).await;
        let res = steward
            .post(
                "/petugas/statistik/tanda-tangan",
                &[("dari", &month.to_string()), ("sampai", &month.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let index = steward.get(&format!("/petugas/statistik?{q}")).await;
        index.assert_contains("Laporan ditandatangani");
        index.assert_contains("Versi 1");
        index.assert_lacks("Tandatangani versi baru");
        let signed_csv = steward
            .get(&format!("/petugas/statistik/iii-1/csv?{q}"))
            .await
            .body;
        let signed = live(&app, month);

        // People registered that month edit their profile, and one erases the account.
        let people: Vec<i32> = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(job_seekers::table)
                .filter(ak1_cards::issued_on.ge(month.first_day()))
                .filter(ak1_cards::issued_on.lt(month.next().first_day()))
                .select(job_seekers::user_id)
                .limit(2)
                .load(c)
                .unwrap()
        });
        assert_eq!(people.len(), 2, "the demo issued cards that month");
        with_conn(&app, |c| {
            diesel::update(job_seekers::table.filter(job_seekers::user_id.eq(people[0])))
                .set((
                    job_seekers::sex.eq("P"),
                    job_seekers::birth_date.eq(NaiveDate::from_ymd_opt(1960, 1, 1)),
                    job_seekers::education_level.eq(Some(12_i16)),
                ))
                .execute(c)
                .unwrap();
            sibuser::personal_data::anonymise(
                c,
                sibuser::domain::ids::UserId::new(people[1]),
                sibuser::domain::calendar::today(),
            )
            .unwrap();
        });
        assert_eq!(live(&app, month), signed, "a signed month never changes");
        assert_eq!(
            steward
                .get(&format!("/petugas/statistik/iii-1/csv?{q}"))
                .await
                .body,
            signed_csv
        );

        // A card of that month from the Dinas's old register arrives late: a correction.
        let issued = month.first_day() + Days::new(4);
        let file = format!(
            "nik,nama,email,tanggal_lahir,kelurahan,pendidikan,nomor_ak1,tanggal_terbit_ak1,status_ak1\n\
             1275010204880077,Rahmat Hidayat,rahmat@contoh.example,02/04/1988,12.75.01.1001,SMA,1275-{}-000901,{issued},aktif\n",
            issued.year()
        );
        crate::ipk::import_job_seekers(&app, file);
        assert_eq!(
            live(&app, month),
            signed,
            "the late card is not in the signed month"
        );
        let index = steward.get(&format!("/petugas/statistik?{q}")).await;
        index.assert_contains("1 koreksi untuk periode ini");
        steward
            .post(
                "/petugas/statistik/tanda-tangan",
                &[("dari", &month.to_string()), ("sampai", &month.to_string())],
            )
            .await;
        let index = steward.get(&format!("/petugas/statistik?{q}")).await;
        index.assert_contains("Versi 2");
        index.assert_contains("menghitung 1 koreksi pada bulannya sendiri");

        // Version 2 counts him among the men of 30-44 registered that month; version 1
        // still says what it said.
        let registered = |body: &str| {
            csv_row(body, "I. Pencari kerja", "2.")[3..]
                .iter()
                .map(|v| v.parse::<i64>().unwrap())
                .collect::<Vec<_>>()
        };
        let v2 = steward
            .get(&format!("/petugas/statistik/iii-1/csv?{q}&versi=2"))
            .await
            .body;
        let v1 = steward
            .get(&format!("/petugas/statistik/iii-1/csv?{q}&versi=1"))
            .await
            .body;
        assert_eq!(v1, signed_csv);
        let (before, after) = (registered(&v1), registered(&v2));
        // Columns: 15-19 L, P, 20-29 L, P, 30-44 L (index 4) ...; Jumlah L (10), L+P (12).
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            let expected = b + i64::from([4, 10, 12].contains(&i));
            assert_eq!(*a, expected, "column {i}");
        }
        // Nothing new since: no third version.
        steward
            .post(
                "/petugas/statistik/tanda-tangan",
                &[("dari", &month.to_string()), ("sampai", &month.to_string())],
            )
            .await;
        steward
            .get(&format!("/petugas/statistik?{q}"))
            .await
            .assert_contains("Tidak ada koreksi sejak versi terakhir");
    }
);

db_test!(
    the_demo_has_its_past_months_signed_and_last_month_open,
    |app| {
        seed_demo(&app);
        let steward = signed_in(&app, STEWARD).await;
        let before_last = last_month().previous();
        let signed = steward
            .get(&format!("/petugas/statistik?{}", query(before_last)))
            .await;
        signed.assert_contains("Versi 1");
        // By the demo's data steward, on the fifth of the month after, at nine.
        signed.assert_contains("ditandatangani oleh Hendra Tarigan");
        signed.assert_contains("09:00 WIB");
        let open = steward
            .get(&format!("/petugas/statistik?{}", query(last_month())))
            .await;
        open.assert_lacks("Versi 1");
        // Signing last month is what the demo leaves to try.
        let month = last_month().to_string();
        let res = steward
            .post(
                "/petugas/statistik/tanda-tangan",
                &[("dari", month.as_str()), ("sampai", month.as_str())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
);
