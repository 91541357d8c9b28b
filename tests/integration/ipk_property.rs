//! The IPK ledger over histories of cards, vacancies, placements and sign-offs (issue 15,
//! item 1).

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use sibuser::db::DbConnection;
use sibuser::domain::Sex;
use sibuser::ipk::Month;
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
