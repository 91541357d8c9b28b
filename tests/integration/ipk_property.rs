//! The IPK ledger over histories of cards, vacancies, placements and sign-offs (issue 15,
//! item 1).

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use sibuser::db::DbConnection;
use sibuser::domain::Sex;
use sibuser::ipk::Month;
use sibuser::ipk::tables::Cell;
use sibuser::schema::ipk_facts;
use sibuser::seekers::ak1::model::{self as cards, PastCard, Status};

use crate::ipk_world::{Person, Tables, World, day, wib};

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
