//! The staff dashboard (issue 15, item 3): every figure it shows is what the IPK tables
//! and the owning records say, its filters narrow them as they promise, and only the
//! Dinas's staff can open it.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;
use sibuser::ipk::Month;
use sibuser::ipk::tables::{placements_by_kbli, positions, seekers_by_age};
use sibuser::schema::{
    ipk_facts, jkp_events, training_enrolments, training_programmes, wlkp_report_events,
};

use crate::common::browser::Browser;
use crate::common::{TestApp, TestResponse, seed_demo, signed_in, with_conn};

fn this_month() -> Month {
    Month::of(sibuser::domain::calendar::today())
}

/// The 36 months the dashboard shows, oldest first.
fn window() -> Vec<Month> {
    let mut months = vec![this_month()];
    while months.len() < 36 {
        months.push(months[months.len() - 1].previous());
    }
    months.reverse();
    months
}

/// The numbers in a chart's table for one month: each series, then the total.
fn row(page: &TestResponse, chart: &str, month: Month) -> Vec<i64> {
    let table = page
        .body
        .split(&format!("<table id=\"data-{chart}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no table for {chart}"));
    let table = &table[..table.find("</table>").unwrap()];
    let tr = table
        .split(&format!("<tr data-period=\"{month}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no row for {month} in {chart}"));
    let tr = &tr[..tr.find("</tr>").unwrap()];
    tr.split("<td>")
        .skip(1)
        .map(|cell| {
            let text = &cell[..cell.find("</td>").unwrap()];
            text.replace('.', "").parse().unwrap()
        })
        .collect()
}

fn total(page: &TestResponse, chart: &str, month: Month) -> i64 {
    *row(page, chart, month).last().unwrap()
}

fn days(month: Month) -> (NaiveDate, NaiveDate) {
    (
        month.first_day(),
        month.next().first_day().pred_opt().unwrap(),
    )
}

db_test!(every_figure_is_what_the_records_say, |app| {
    seed_demo(&app);
    let walidata = signed_in(&app, "walidata@sibuser.example").await;
    let page = walidata.get("/petugas/dasbor").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    // Seven charts, each an image named by its title and description, with its table.
    assert_eq!(page.body.matches("<svg").count(), 7);
    assert_eq!(page.body.matches("role=\"img\"").count(), 7);
    assert_eq!(page.body.matches("<desc id=").count(), 7);
    assert_eq!(page.body.matches("<details>").count(), 7);
    page.assert_contains("<title id=\"chart-registered-title\">");

    let mut seen = [0i64; 7];
    for month in window() {
        let ages = with_conn(&app, |c| seekers_by_age(c, month, month).unwrap());
        let all = ages.total.all();
        let positions = with_conn(&app, |c| positions(c, month, month).unwrap()).all();
        let placed: i64 = with_conn(&app, |c| placements_by_kbli(c, month, month).unwrap())
            .values()
            .map(|c| c.all())
            .sum();
        let (first, last) = days(month);
        let cards: i64 = with_conn(&app, |c| {
            sibuser::schema::ak1_cards::table
                .filter(sibuser::schema::ak1_cards::issued_on.between(first, last))
                .count()
                .get_result(c)
                .unwrap()
        });
        let completions: i64 = with_conn(&app, |c| {
            training_enrolments::table
                .inner_join(training_programmes::table)
                .filter(training_programmes::ends_on.between(first, last))
                .filter(training_enrolments::status.eq("completed"))
                .count()
                .get_result(c)
                .unwrap()
        });
        let follow_ups: i64 = with_conn(&app, |c| {
            jkp_events::table
                .filter(jkp_events::occurred_on.between(first, last))
                .count()
                .get_result(c)
                .unwrap()
        });
        // A report is filed once, on the Binjai day of its first submission (or of its
        // acceptance from the national system).
        let filed = with_conn(&app, |c| {
            let events: Vec<(i32, chrono::NaiveDateTime)> = wlkp_report_events::table
                .filter(wlkp_report_events::status.eq_any(["submitted", "accepted"]))
                .select((
                    wlkp_report_events::report_id,
                    wlkp_report_events::occurred_at,
                ))
                .load(c)
                .unwrap();
            let mut firsts = std::collections::HashMap::new();
            for (report, at) in events {
                let day = sibuser::domain::calendar::date_of(at);
                let kept = firsts.entry(report).or_insert(day);
                *kept = (*kept).min(day);
            }
            firsts.values().filter(|d| Month::of(**d) == month).count() as i64
        });

        assert_eq!(total(&page, "registered", month), all.registered, "{month}");
        assert_eq!(
            all.registered, cards,
            "{month}: a card issued is a registration"
        );
        assert_eq!(
            total(&page, "on_register", month),
            all.remaining(),
            "{month}"
        );
        assert_eq!(
            total(&page, "open_positions", month),
            positions.remaining(),
            "{month}"
        );
        assert_eq!(total(&page, "placements", month), placed, "{month}");
        assert_eq!(total(&page, "training", month), completions, "{month}");
        assert_eq!(total(&page, "jkp", month), follow_ups, "{month}");
        assert_eq!(total(&page, "wlkp", month), filed, "{month}");
        // By sex, as the IPK table splits it.
        let registered = row(&page, "registered", month);
        assert_eq!(registered[0], ages.total.male.registered, "{month}");
        assert_eq!(registered[1], ages.total.female.registered, "{month}");
        for (n, figure) in seen.iter_mut().zip([
            all.registered,
            all.remaining(),
            positions.remaining(),
            placed,
            completions,
            follow_ups,
            filed,
        ]) {
            *n += figure;
        }
    }
    // The demo has some of everything, so the comparisons above compared something.
    assert!(seen.iter().all(|n| *n > 0), "{seen:?}");
});

/// The ledger's registrations of a month whose kelurahan lies in a kecamatan, by sex.
fn registered_in(app: &TestApp, month: Month, kecamatan: &str) -> (i64, i64) {
    with_conn(app, |c| {
        let rows: Vec<(i32, i32)> = ipk_facts::table
            .filter(ipk_facts::flow.eq("seeker_registered"))
            .filter(ipk_facts::period.eq(month.key()))
            .filter(ipk_facts::kelurahan_code.like(format!("{kecamatan}.%")))
            .select((ipk_facts::male, ipk_facts::female))
            .load(c)
            .unwrap();
        rows.iter().fold((0, 0), |(m, f), (a, b)| {
            (m + i64::from(*a), f + i64::from(*b))
        })
    })
}

db_test!(the_kecamatan_and_sex_filters_narrow_the_figures, |app| {
    seed_demo(&app);
    let operator = signed_in(&app, "operator@sibuser.example").await;
    let all = operator.get("/petugas/dasbor").await;
    let kecamatan: Vec<&str> = sibuser::reference::regions::binjai_kecamatan()
        .map(|r| r.code)
        .collect();
    let mut pages = Vec::new();
    for code in &kecamatan {
        let page = operator
            .get(&format!("/petugas/dasbor?kecamatan={code}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        pages.push(page);
    }
    let men = operator.get("/petugas/dasbor?jenis_kelamin=L").await;
    let women = operator.get("/petugas/dasbor?jenis_kelamin=P").await;
    let both = operator
        .get(&format!(
            "/petugas/dasbor?kecamatan={}&jenis_kelamin=P",
            kecamatan[0]
        ))
        .await;
    let mut placed_in_kecamatan = 0;
    for month in window() {
        for (code, page) in kecamatan.iter().zip(&pages) {
            let (m, f) = registered_in(&app, month, code);
            assert_eq!(
                row(page, "registered", month),
                vec![m, f, m + f],
                "{code} {month}"
            );
        }
        // Every demo resident lives in a Binjai kelurahan: the kecamatan add up to all.
        // One demo vacancy in ten is outside Binjai, in no kecamatan.
        for chart in ["registered", "on_register", "placements", "open_positions"] {
            let sum: i64 = pages.iter().map(|p| total(p, chart, month)).sum();
            if chart == "open_positions" {
                assert!(sum <= total(&all, chart, month), "{chart} {month}");
            } else {
                assert_eq!(sum, total(&all, chart, month), "{chart} {month}");
            }
        }
        placed_in_kecamatan += total(&pages[0], "placements", month);
        // By sex: one series each; positions open to either sex are shown beside them.
        for chart in ["registered", "on_register", "placements", "training", "jkp"] {
            let mixed = row(&all, chart, month);
            assert_eq!(row(&men, chart, month)[0], mixed[0], "{chart} {month}");
            assert_eq!(row(&women, chart, month)[0], mixed[1], "{chart} {month}");
            assert_eq!(row(&men, chart, month).len(), 2, "one series and its total");
        }
        let positions = row(&all, "open_positions", month);
        assert_eq!(row(&men, "open_positions", month)[0], positions[0]);
        assert_eq!(row(&women, "open_positions", month)[0], positions[1]);
        // WLKP reports are by company: the sex filter leaves them whole.
        assert_eq!(total(&men, "wlkp", month), total(&all, "wlkp", month));
        let (_, f) = registered_in(&app, month, kecamatan[0]);
        assert_eq!(row(&both, "registered", month), vec![f, f], "{month}");
    }
    assert!(
        placed_in_kecamatan > 0,
        "placements know where the person lived"
    );
    men.assert_contains("laki-laki saja");
    both.assert_contains("Kecamatan Binjai Utara, perempuan saja");
});

db_test!(a_bad_filter_is_named_and_nothing_is_drawn, |app| {
    seed_demo(&app);
    let operator = signed_in(&app, "operator@sibuser.example").await;
    let res = operator
        .get("/petugas/dasbor?kecamatan=12.75.99&jenis_kelamin=X")
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Kecamatan “12.75.99” tidak dikenal");
    res.assert_contains("Jenis kelamin “X” tidak dikenal");
    res.assert_contains("aria-invalid=\"true\"");
    res.assert_lacks("<svg");
    // The form is there to choose again.
    res.assert_contains("<option value=\"12.75.01\">Binjai Utara</option>");
});

db_test!(only_the_dinas_staff_open_the_dashboard, |app| {
    seed_demo(&app);
    for email in [
        "operator@sibuser.example",
        "verifikator@sibuser.example",
        "walidata@sibuser.example",
        "admin@sibuser.example",
    ] {
        let staff = signed_in(&app, email).await;
        let res = staff.get("/petugas/dasbor").await;
        assert_eq!(res.status, StatusCode::OK, "{email}");
        // Their home page leads there.
        staff
            .get("/saya")
            .await
            .assert_contains("href=\"/petugas/dasbor\"");
    }
    for email in [
        "pencaker@sibuser.example",
        "perusahaan@sibuser.example",
        "lembaga@sibuser.example",
    ] {
        let other = signed_in(&app, email).await;
        let res = other.get("/petugas/dasbor").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{email}");
        other
            .get("/saya")
            .await
            .assert_lacks("href=\"/petugas/dasbor\"");
    }
    let res = Browser::new(&app).get("/petugas/dasbor").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
});

db_test!(an_empty_portal_draws_empty_charts, |app| {
    let admin = {
        with_conn(&app, |c| {
            sibuser::demo::seed(c, sibuser::demo::Scale::Small).unwrap();
            diesel::delete(ipk_facts::table).execute(c).unwrap();
        });
        signed_in(&app, "admin@sibuser.example").await
    };
    let res = admin.get("/petugas/dasbor").await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Belum ada data");
    assert_eq!(total(&res, "registered", this_month()), 0);
});

db_test!(what_is_kept_between_views_follows_the_ledger, |app| {
    seed_demo(&app);
    let operator = signed_in(&app, "operator@sibuser.example").await;
    let before = operator.get("/petugas/dasbor").await;
    // Closing last month moves nothing: its sums are kept apart from then on.
    with_conn(&app, |c| {
        sibuser::ipk::period::close(
            c,
            this_month().previous(),
            None,
            sibuser::domain::calendar::today(),
            chrono::Utc::now().naive_utc(),
        )
        .unwrap()
        .unwrap()
    });
    let closed = operator.get("/petugas/dasbor").await;
    for month in window() {
        for chart in ["registered", "on_register", "open_positions", "placements"] {
            assert_eq!(row(&closed, chart, month), row(&before, chart, month));
        }
    }
    // A card issued now, and one dated last month (a correction, counted now).
    let card = |subject: &str, on: NaiveDate| sibuser::ipk::ledger::NewFact {
        flow: sibuser::ipk::Flow::SeekerRegistered,
        reason: None,
        subject: subject.into(),
        on,
        persons: sibuser::ipk::Persons {
            male: 0,
            female: 1,
            either: 0,
        },
        dims: sibuser::ipk::Dims {
            kelurahan_code: Some("12.75.02.1003".into()),
            ..Default::default()
        },
    };
    let today = sibuser::domain::calendar::today();
    with_conn(&app, |c| {
        sibuser::ipk::ledger::insert_many(
            c,
            &[
                card("test:now", today),
                card("test:late", this_month().previous().first_day()),
            ],
        )
        .unwrap()
    });
    let after = operator.get("/petugas/dasbor").await;
    let now = this_month();
    let was = row(&closed, "registered", now);
    assert_eq!(row(&after, "registered", now)[1], was[1] + 2);
    assert_eq!(
        row(&after, "registered", now.previous()),
        row(&closed, "registered", now.previous()),
        "a closed month keeps its figures"
    );
    assert_eq!(
        total(&after, "on_register", now),
        total(&closed, "on_register", now) + 2
    );
});
