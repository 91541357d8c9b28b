//! The IPK ledger (issue 15): what the statistics count is fixed the day it happens, a
//! closed month never changes, and the stock-flow tables agree with the register they
//! count, on both backends.

use actix_web::http::StatusCode;
use chrono::{Datelike, Days, NaiveDate};
use diesel::prelude::*;
use sibuser::domain::AgeGroup;
use sibuser::ipk::Month;
use sibuser::ipk::tables::{BySex, seekers_by_age};
use sibuser::schema::{ak1_cards, ipk_facts};

use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};
use crate::seekers::{complete, complete_profile, with};

const SITI: &str = "1275015203980001";

fn today() -> NaiveDate {
    sibuser::domain::calendar::today()
}

fn this_month() -> Month {
    Month::of(today())
}

/// Writes a file of the Dinas's old register of job seekers, as the import does.
pub fn import_job_seekers(app: &TestApp, file: String) -> sibuser::import::Counts {
    with_conn(app, |c| {
        sibuser::import::importer(sibuser::import::Kind::JobSeekers)
            .write(
                c,
                sibuser::import::reader::Table::open(file.into_bytes()).unwrap(),
                None,
                false,
                &mut sibuser::import::Collect::default(),
            )
            .unwrap()
    })
}

/// Job seekers of one age group in III/1 for one month.
fn age_row(app: &TestApp, month: Month, group: AgeGroup) -> BySex {
    with_conn(app, |c| {
        seekers_by_age(c, month, month)
            .unwrap()
            .rows
            .get(&Some(group))
            .copied()
            .unwrap_or_default()
    })
}

db_test!(
    a_card_counts_under_the_facts_of_its_day_whatever_happens_later,
    |app| {
        seed_demo(&app);
        let month = this_month();
        let before = age_row(&app, month, AgeGroup::From20To29);
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
        let uid = user_id(&app, "pencaker@sibuser.example");
        let operator = signed_in(&app, "operator@sibuser.example").await;
        operator.get(&format!("/petugas/pencaker/{uid}")).await;
        let res = operator
            .post(
                &format!("/petugas/pencaker/{uid}/ak1/terbitkan"),
                &[("note", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        // Siti (born March 1998, a woman) is registered this month among 20-29.
        let issued = age_row(&app, month, AgeGroup::From20To29);
        assert_eq!(issued.female.registered, before.female.registered + 1);
        assert_eq!(issued.male, before.male);
        assert_eq!(issued.female.remaining(), before.female.remaining() + 1);
        let card: i32 = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(sibuser::schema::job_seekers::table)
                .filter(sibuser::schema::job_seekers::user_id.eq(uid))
                .select(ak1_cards::id)
                .first(c)
                .unwrap()
        });
        let subject = format!("ak1:{card}");
        let education = |app: &TestApp| -> Option<i16> {
            with_conn(app, |c| {
                ipk_facts::table
                    .filter(ipk_facts::subject.eq(&subject))
                    .select(ipk_facts::education)
                    .first(c)
                    .unwrap()
            })
        };
        assert_eq!(education(&app), Some(5));

        // She edits her education afterwards: the card still counts as it was issued.
        let res = crate::seekers::save_profile(
            &siti,
            "/pencaker/profil",
            &with(&complete(SITI), "education_level", "8"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(education(&app), Some(5));
        assert_eq!(age_row(&app, month, AgeGroup::From20To29), issued);

        // She erases her account: her registration stays counted, and leaving the register
        // is a removal of this month (the card is withdrawn), under the same groups.
        siti.get("/pencaker/data-saya").await;
        let res = siti
            .post(
                "/pencaker/hapus-akun",
                &[
                    ("password", sibuser::demo::DEMO_PASSWORD),
                    ("konfirmasi", "HAPUS"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let erased = age_row(&app, month, AgeGroup::From20To29);
        assert_eq!(erased.female.registered, issued.female.registered);
        assert_eq!(erased.female.removed, issued.female.removed + 1);
        assert_eq!(erased.female.remaining(), before.female.remaining());
        let reason: Option<String> = with_conn(&app, |c| {
            ipk_facts::table
                .filter(ipk_facts::subject.eq(&subject))
                .filter(ipk_facts::flow.eq("seeker_removed"))
                .select(ipk_facts::reason)
                .first(c)
                .unwrap()
        });
        assert_eq!(reason.as_deref(), Some("withdrawn"));
    }
);

db_test!(
    a_closed_month_keeps_its_figures_and_a_late_card_is_a_correction,
    |app| {
        let month = this_month();
        let closed = month.previous().previous();
        with_conn(&app, |c| {
            let now = chrono::Utc::now().naive_utc();
            assert!(
                sibuser::ipk::period::close(c, month, None, today(), now)
                    .unwrap()
                    .is_err(),
                "a month that has not ended cannot be closed"
            );
            sibuser::ipk::period::close(c, closed, None, today(), now)
                .unwrap()
                .unwrap();
        });
        let closed_before = age_row(&app, closed, AgeGroup::From30To44);
        let now_before = age_row(&app, month, AgeGroup::From30To44);

        // A card issued in the closed month, entered now (from the Dinas's old register).
        let issued = closed.first_day() + Days::new(9);
        let birth = NaiveDate::from_ymd_opt(1988, 4, 2).unwrap();
        let nik = format!("127501020488{:04}", 77);
        let number = format!("1275-{}-000901", issued.year());
        let file = format!(
            "nik,nama,email,tanggal_lahir,kelurahan,pendidikan,nomor_ak1,tanggal_terbit_ak1,status_ak1\n\
             {nik},Rahmat Hidayat,rahmat@contoh.example,{},12.75.01.1001,SMA,{number},{issued},aktif\n",
            birth.format("%d/%m/%Y")
        );
        let counts = import_job_seekers(&app, file);
        assert_eq!(counts.created, 1);

        assert_eq!(
            age_row(&app, closed, AgeGroup::From30To44),
            closed_before,
            "a closed month never changes"
        );
        let now_after = age_row(&app, month, AgeGroup::From30To44);
        assert_eq!(now_after.male.registered, now_before.male.registered + 1);
        let (occurred, period, correction): (NaiveDate, i32, bool) = with_conn(&app, |c| {
            ipk_facts::table
                .filter(ipk_facts::flow.eq("seeker_registered"))
                .order(ipk_facts::id.desc())
                .select((
                    ipk_facts::occurred_on,
                    ipk_facts::period,
                    ipk_facts::correction,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!(occurred, issued, "the fact keeps its own date");
        assert_eq!((period, correction), (month.key(), true));
    }
);

db_test!(the_register_month_by_month_is_what_the_cards_say, |app| {
    seed_demo(&app);
    let month = this_month();
    let mut m = Month::new(month.year() - 2, month.month()).unwrap();
    let mut previous: Option<BySex> = None;
    while m <= month {
        let table = with_conn(&app, |c| seekers_by_age(c, m, m).unwrap());
        let total = table.total;
        // Each cell: what was carried in is what the month before left.
        if let Some(before) = previous {
            assert_eq!(total.male.carried, before.male.remaining(), "{m}");
            assert_eq!(total.female.carried, before.female.remaining(), "{m}");
        }
        let mut by_rows = BySex::default();
        for cells in table.rows.values() {
            for (sum, cell) in [
                (&mut by_rows.male, cells.male),
                (&mut by_rows.female, cells.female),
            ] {
                assert!(cell.remaining() >= 0, "{m}: {cell:?}");
                sum.carried += cell.carried;
                sum.registered += cell.registered;
                sum.placed += cell.placed;
                sum.removed += cell.removed;
            }
        }
        assert_eq!((by_rows.male, by_rows.female), (total.male, total.female));
        // The cards on the register at the end of the month, counted from the cards.
        let next = m.next().first_day();
        let on_register: i64 = with_conn(&app, |c| {
            ak1_cards::table
                .filter(ak1_cards::issued_on.lt(next))
                .filter(
                    ak1_cards::ended_on
                        .is_null()
                        .or(ak1_cards::ended_on.ge(next)),
                )
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(total.all().remaining(), on_register, "{m}");
        previous = Some(total);
        m = m.next();
    }
});

db_test!(
    the_backfill_of_cards_made_before_the_ledger_gives_the_same_figures,
    |app| {
        seed_demo(&app);
        let month = this_month();
        let year_ago = Month::new(month.year() - 1, month.month()).unwrap();
        let figures = |app: &TestApp| {
            with_conn(app, |c| {
                let t = seekers_by_age(c, year_ago, month).unwrap();
                (t.rows, t.total)
            })
        };
        let live = figures(&app);
        assert!(live.1.all().registered > 0, "the demo issues cards");
        // As on a database from before the ledger: no facts, no month closed (the demo
        // signs its past months), and the backfill listed.
        with_conn(&app, |c| {
            use sibuser::schema::{ipk_closed_months, ipk_month_sums, ipk_signoffs, ipk_stocks};
            diesel::delete(ipk_signoffs::table).execute(c).unwrap();
            diesel::delete(ipk_stocks::table).execute(c).unwrap();
            diesel::delete(ipk_month_sums::table).execute(c).unwrap();
            diesel::delete(ipk_closed_months::table).execute(c).unwrap();
            diesel::delete(ipk_facts::table).execute(c).unwrap();
            diesel::insert_into(sibuser::schema::ipk_backfills::table)
                .values(sibuser::schema::ipk_backfills::name.eq("ak1_cards"))
                .execute(c)
                .unwrap();
        });
        let filled = with_conn(&app, |c| {
            sibuser::ipk::backfill::run_once(c, "ak1_cards", |c| {
                sibuser::seekers::ak1::facts::backfill(c)
            })
            .unwrap()
        });
        assert!(filled > 0);
        assert_eq!(figures(&app), live);
        // It runs once.
        let again = with_conn(&app, |c| {
            sibuser::ipk::backfill::run_once(c, "ak1_cards", |c| {
                sibuser::seekers::ak1::facts::backfill(c)
            })
            .unwrap()
        });
        assert_eq!(again, 0);
        assert_eq!(figures(&app), live);
    }
);

/// Vacant positions in III/1 part II for one month.
fn positions_in(app: &TestApp, month: Month) -> BySex {
    with_conn(app, |c| {
        sibuser::ipk::tables::positions(c, month, month).unwrap()
    })
}

db_test!(
    positions_count_from_publication_to_fill_and_the_day_after_closing,
    |app| {
        use sibuser::schema::vacancies;
        crate::import::companies(&app);
        let closes = today() + Days::new(20);
        let file = crate::import::csv(&[crate::import::row(
            "P-1",
            crate::import::NIB,
            "Kasir Toko",
            "2",
            &closes.format("%d/%m/%Y").to_string(),
        )]);
        crate::import::write(&app, file, false).unwrap();
        let verifier = with_conn(&app, |c| {
            let email = sibuser::domain::Email::parse("verif@contoh.example").unwrap();
            sibuser::accounts::create_user(
                c,
                &sibuser::accounts::NewUser::staff(
                    &email,
                    "Verifikator",
                    "!invited",
                    &[sibuser::domain::Role::Verifier],
                ),
            )
            .unwrap()
        });
        let (id, revision): (sibuser::vacancies::VacancyId, i32) = with_conn(&app, |c| {
            vacancies::table
                .select((vacancies::id, vacancies::revision))
                .first(c)
                .unwrap()
        });
        let month = this_month();
        let before = positions_in(&app, month);
        // Waiting for review, it is not on the register yet.
        assert_eq!(before.all().registered, 0);
        with_conn(&app, |c| {
            assert!(
                sibuser::vacancies::decide(
                    c,
                    id,
                    revision,
                    sibuser::vacancies::VacancyStatus::Published,
                    None,
                    verifier,
                    chrono::Utc::now().naive_utc()
                )
                .unwrap()
            );
        });
        // Two positions for women ("kuota_perempuan" 2) from the day it is published.
        let published = positions_in(&app, month);
        assert_eq!(published.female.registered, 2);
        assert_eq!(published.all().remaining(), 2);

        // One woman is taken on.
        with_conn(&app, |c| {
            let v = sibuser::vacancies::find(c, id).unwrap().unwrap();
            assert_eq!(
                sibuser::vacancies::record_filled(
                    c,
                    &v,
                    0,
                    1,
                    verifier,
                    chrono::Utc::now().naive_utc()
                )
                .unwrap(),
                sibuser::vacancies::Fill::Recorded { all_taken: false }
            );
            // A fill beyond the quota is refused inside the transaction.
            let v = sibuser::vacancies::find(c, id).unwrap().unwrap();
            assert!(matches!(
                sibuser::vacancies::record_filled(
                    c,
                    &v,
                    0,
                    2,
                    verifier,
                    chrono::Utc::now().naive_utc()
                )
                .unwrap(),
                sibuser::vacancies::Fill::Refused(_)
            ));
        });
        let after_fill = positions_in(&app, month);
        assert_eq!(after_fill.female.placed, 1);
        assert_eq!(after_fill.all().remaining(), 1);

        // It expires: the open position is removed on the day after the closing date,
        // whenever the job notices.
        let job_day = closes + Days::new(5);
        with_conn(&app, |c| {
            assert_eq!(sibuser::vacancies::expire_due(c, job_day).unwrap(), 1);
        });
        let removal_month = Month::of(closes + Days::new(1));
        let (reason, on): (Option<String>, NaiveDate) = with_conn(&app, |c| {
            ipk_facts::table
                .filter(ipk_facts::flow.eq("vacancy_removed"))
                .select((ipk_facts::reason, ipk_facts::occurred_on))
                .first(c)
                .unwrap()
        });
        assert_eq!(reason.as_deref(), Some("vacancy_expired"));
        assert_eq!(on, closes + Days::new(1));
        let mut total = sibuser::ipk::tables::Cell::default();
        let mut m = month;
        while m <= removal_month {
            let cell = positions_in(&app, m).all();
            total.registered += cell.registered;
            total.placed += cell.placed;
            total.removed += cell.removed;
            m = m.next();
        }
        assert_eq!((total.registered, total.placed, total.removed), (2, 1, 1));
        assert_eq!(positions_in(&app, removal_month).all().remaining(), 0);
    }
);

db_test!(
    the_demos_positions_month_by_month_are_what_the_vacancies_say,
    |app| {
        seed_demo(&app);
        let month = this_month();
        let mut m = Month::new(month.year() - 2, month.month()).unwrap();
        let mut previous: Option<BySex> = None;
        while m <= month {
            let cells = positions_in(&app, m);
            for cell in [cells.male, cells.female, cells.either] {
                assert!(cell.remaining() >= 0, "{m}: {cell:?}");
            }
            if let Some(before) = previous {
                assert_eq!(cells.all().carried, before.all().remaining(), "{m}");
            }
            previous = Some(cells);
            m = m.next();
        }
        // What remains open now is what the published vacancies have open.
        let open: i64 = with_conn(&app, |c| {
            use sibuser::schema::vacancies;
            let rows: Vec<(i32, i32, i32, i32, i32)> = vacancies::table
                .filter(vacancies::status.eq("published"))
                .select((
                    vacancies::quota_male,
                    vacancies::quota_female,
                    vacancies::quota_any,
                    vacancies::filled_male,
                    vacancies::filled_female,
                ))
                .load(c)
                .unwrap();
            rows.iter()
                .map(|(m, f, a, fm, ff)| i64::from(m + f + a - fm - ff))
                .sum()
        });
        assert!(open > 0);
        assert_eq!(previous.unwrap().all().remaining(), open);
    }
);

db_test!(
    placements_are_counted_by_kbli_section_and_by_inter_work_as_the_placements_say,
    |app| {
        seed_demo(&app);
        let month = this_month();
        let from = Month::new(month.year() - 3, month.month()).unwrap();
        let (by_kbli, by_inter_work) = with_conn(&app, |c| {
            (
                sibuser::ipk::tables::placements_by_kbli(c, from, month).unwrap(),
                sibuser::ipk::tables::placements_by_inter_work(c, from, month).unwrap(),
            )
        });
        let placements: i64 = with_conn(&app, |c| {
            sibuser::schema::placements::table
                .count()
                .get_result(c)
                .unwrap()
        });
        assert!(placements > 0);
        let total =
            |rows: Vec<sibuser::ipk::tables::Count>| -> i64 { rows.iter().map(|c| c.all()).sum() };
        assert_eq!(total(by_kbli.values().copied().collect()), placements);
        assert_eq!(total(by_inter_work.values().copied().collect()), placements);
        // Every placement counts under a KBLI section: its company's, or the one the counter
        // recorded for an employer outside the portal.
        assert_eq!(by_kbli.get(&None).map_or(0, |c| c.all()), 0);
        assert!(by_kbli.keys().filter(|k| k.is_some()).count() > 1);
        // Each placement counts once in III/1 as a job seeker placed, too.
        let seekers_placed = with_conn(&app, |c| seekers_by_age(c, from, month).unwrap().total);
        assert!(seekers_placed.all().placed <= placements);
    }
);

db_test!(every_breakdown_of_a_month_adds_up_to_its_summary, |app| {
    use crate::ipk_world::sum;
    use sibuser::ipk::tables as t;
    seed_demo(&app);
    let month = this_month();
    let quarter = (month.previous().previous(), month);
    with_conn(&app, |c| {
        for (from, to) in [(month, month), quarter] {
            let seekers = t::seekers_by_age(c, from, to).unwrap().total;
            let positions = t::positions(c, from, to).unwrap();
            let by_edu = t::seekers_by_education(c, from, to).unwrap();
            assert_eq!(sum(by_edu.rows.values()), seekers);
            let by_kbji = t::seekers_by_kbji(c, from, to).unwrap();
            assert_eq!(sum(by_kbji.rows.values()), seekers);
            for table in [
                t::positions_by_kbji(c, from, to).unwrap(),
                t::positions_by_kbli(c, from, to).unwrap(),
            ] {
                assert_eq!(sum(table.rows.values()), positions);
            }
            let by_edu = t::positions_by_education(c, from, to).unwrap();
            assert_eq!(sum(by_edu.rows.values()), positions);
            assert!(seekers.all().total_in() > 0 && positions.all().total_in() > 0);
        }
    });
});
