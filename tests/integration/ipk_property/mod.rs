//! The IPK tables over random histories (issue 15, item 1): cards issued, profiles edited,
//! accounts erased, past cards imported, vacancies published, edited, filled, closed and
//! expired, placements back-dated up to the limit, months signed off, and events at 23:59
//! and 00:01 WIB on month boundaries, each applied through the model functions at its
//! simulated moment. After each step every new fact must be dated on the step's Binjai day
//! and counted in a month that is still open; after each history, on every month and every
//! table III/1 to III/8:
//!
//! - no cell is negative;
//! - the tables agree with the ledger summed here: remaining = carried over + registered -
//!   placed - removed, and a month's carried over is the month before's remaining;
//! - each breakdown adds up to III/1, and III/7 and III/8 to the placements;
//! - a run of months (a quarter, the whole history) is its months added up;
//! - a month's tables are what they were when it, or a month after it, was closed, and a
//!   signed report's figures are what the forms give for its month now;
//! - what remains on the register is what the cards and vacancies hold.
//!
//! Each history runs in a transaction that is rolled back, so cases do not see each other.
//! The runner's seed is fixed: `SIBUSER_IPK_CASES` (24 by default) sets how many histories,
//! `SIBUSER_IPK_SEED` (a number) picks other ones. A failure is shrunk to a short history.

mod checks;
mod history;
mod sim;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use sibuser::db::DbConnection;
use sibuser::domain::Sex;
use sibuser::ipk::Month;
use sibuser::ipk::tables::Cell;
use sibuser::schema::ipk_facts;
use sibuser::seekers::ak1::model::{self as cards, PastCard, Status};

use crate::common::TestApp;
use crate::ipk_world::{Person, Tables, World, day, wib};
use history::{Step, history};
use sim::Sim;

type Fail = TestCaseError;

/// A database error is a failure of the case (with its message); a refusal is not.
fn db<T>(r: QueryResult<T>) -> Result<T, Fail> {
    r.map_err(|e| Fail::fail(format!("database error: {e}")))
}

/// The first simulated moment, and the last day the clock may reach: all in the past, so
/// nothing depends on the day the test runs.
fn start() -> NaiveDateTime {
    wib(day(2025, 1, 2), 9, 0)
}

fn last_day() -> NaiveDate {
    day(2026, 6, 30)
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Plays one history in a transaction that is rolled back.
fn play_and_roll_back(app: &TestApp, steps: &[Step]) -> Result<(), Fail> {
    let mut pooled = app.conn();
    let conn: &mut DbConnection = &mut pooled;
    let mut outcome = Ok(());
    let rolled_back = sibuser::db::transaction::<(), diesel::result::Error, _>(conn, |c| {
        outcome = Sim::new(c).and_then(|mut sim| sim.play(steps));
        Err(diesel::result::Error::RollbackTransaction)
    });
    if !matches!(rolled_back, Err(diesel::result::Error::RollbackTransaction)) {
        return Err(Fail::fail(format!(
            "the history was not rolled back: {rolled_back:?}"
        )));
    }
    outcome
}

fn check_histories(app: &TestApp) {
    let cases = env_number("SIBUSER_IPK_CASES").unwrap_or(24) as u32;
    let seed = env_number("SIBUSER_IPK_SEED").unwrap_or(15);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let started = std::time::Instant::now();
    if let Err(e) = runner.run(&history(40), |steps| play_and_roll_back(app, &steps)) {
        panic!("{e}");
    }
    eprintln!(
        "ipk_property on {:?}: {cases} histories in {:.1} s",
        app.backend,
        started.elapsed().as_secs_f64()
    );
}

db_test!(the_ipk_tables_hold_over_random_histories, |app| {
    check_histories(&app);
});

fn past_card(issued_on: NaiveDate, status: Status, ended_on: Option<NaiveDate>) -> PastCard {
    PastCard {
        number: sibuser::seekers::ak1::rules::card_number(issued_on.year(), 700_001)
            .expect("a card number"),
        issued_on,
        status,
        ended_on,
    }
}

fn old_man() -> Person {
    Person {
        sex: Sex::Male,
        birth: day(1955, 1, 1),
        education: 2,
        kbji: "2320",
        kelurahan: "12.75.01.1001",
    }
}

/// The ledger's facts of job seekers: flow, month counted in, correction.
fn seeker_facts(c: &mut DbConnection) -> Vec<(String, i32, bool)> {
    ipk_facts::table
        .filter(ipk_facts::subject.like("ak1:%"))
        .order(ipk_facts::id)
        .select((ipk_facts::flow, ipk_facts::period, ipk_facts::correction))
        .load(c)
        .unwrap()
}

// A card from the old register issued in November, imported in January after December was
// signed off, was counted in November: still open, but December carried it over, so
// December's figures changed after the sign-off.
db_test!(
    a_card_dated_before_a_signed_off_month_leaves_that_month_as_it_was,
    |app| {
        crate::common::with_conn(&app, |c| {
            let (december, today) = (Month::new(2024, 12).unwrap(), day(2025, 1, 2));
            let mut world = World::new(c).unwrap();
            sibuser::ipk::period::close(c, december, None, today, wib(today, 9, 0))
                .unwrap()
                .unwrap();
            let signed_off = Tables::of(c, december, december).unwrap();
            let (_, seeker) = world.seeker(c, "Rahmat", &old_man()).unwrap();
            let card = past_card(day(2024, 11, 30), Status::Active, None);
            assert!(cards::record_past(c, seeker, &card, None, today).unwrap());
            assert_eq!(Tables::of(c, december, december).unwrap(), signed_off);
            assert_eq!(
                seeker_facts(c),
                vec![("seeker_registered".to_owned(), 202501, true)],
                "counted in January, as a correction"
            );
        });
    }
);

// A card issued in 2022 and expired on 31 December 2024, imported in January 2025 after
// October 2024 was signed off: its issue was counted in January as a correction, but its
// expiry in December, its own month, still open. December removed a job seeker it never
// had: a cell below zero.
db_test!(
    a_card_never_leaves_the_register_before_it_is_counted_on_it,
    |app| {
        crate::common::with_conn(&app, |c| {
            let today = day(2025, 1, 2);
            let mut world = World::new(c).unwrap();
            let october = Month::new(2024, 10).unwrap();
            sibuser::ipk::period::close(c, october, None, today, wib(today, 9, 0))
                .unwrap()
                .unwrap();
            let (_, seeker) = world.seeker(c, "Rahmat", &old_man()).unwrap();
            let card = past_card(day(2022, 12, 31), Status::Expired, Some(day(2024, 12, 31)));
            assert!(cards::record_past(c, seeker, &card, None, today).unwrap());
            assert_eq!(
                seeker_facts(c),
                vec![
                    ("seeker_registered".to_owned(), 202501, true),
                    ("seeker_removed".to_owned(), 202501, true),
                ],
                "the expiry follows the issue into January"
            );
            let december = Month::new(2024, 12).unwrap();
            let total = |c: &mut DbConnection, m| {
                sibuser::ipk::tables::seekers_by_age(c, m, m)
                    .unwrap()
                    .total
                    .all()
            };
            assert_eq!(total(c, december), Cell::default());
            let january = total(c, Month::of(today));
            assert_eq!(
                (january.registered, january.removed, january.remaining()),
                (1, 1, 0)
            );

            // Written in bulk (a backfill, the demo), the card is counted the same way.
            diesel::delete(ipk_facts::table).execute(c).unwrap();
            let holder = sibuser::seekers::ak1::facts::SeekerFacts {
                sex: Some(Sex::Male),
                birth_date: Some(day(1955, 1, 1)),
                ..Default::default()
            };
            let facts = sibuser::seekers::ak1::facts::card_facts(
                sibuser::seekers::ak1::Ak1CardId::new(1),
                card.issued_on,
                Some((cards::EventKind::Expired, day(2024, 12, 31))),
                &holder,
            );
            sibuser::ipk::ledger::insert_many(c, &facts).unwrap();
            let bulk = seeker_facts(c);
            assert_eq!(bulk.len(), 2);
            assert_eq!(bulk[0].1, bulk[1].1, "the expiry is counted with the issue");
            assert!(bulk[0].2 && bulk[1].2, "both as corrections");
        });
    }
);
