//! One month worked out by hand, cell by cell: March 2025 in Kota Binjai, with February and
//! January before it (a carry-over), built through the model functions at chosen dates and
//! WIB times. Then March is signed off, and a profile edit, an erased account and a
//! placement back-dated into March leave March's figures as they were (issue 15, item 1).
//!
//! The cast. Job seekers (sex, born, education, the KBJI of the job sought, card):
//!
//! | name  | sex | born       | education | KBJI | card issued | how it left the register      |
//! |-------|-----|------------|-----------|------|-------------|-------------------------------|
//! | Dedi  | L   | 1975-11-30 | SD (2)    | 9329 | 2023-03-05  | expired 2025-03-05            |
//! | Eka   | P   | 1985-02-15 | D3 (8)    | 2320 | 2024-08-20  | lapsed 2025-03-23             |
//! | Intan | P   | 1999-09-09 | S1 (10)   | 4322 | 2025-01-15  | placed via V3 2025-02-25      |
//! | Ani   | P   | 2001-05-10 | SMA (4)   | 5223 | 2025-02-10  | placed via V2 2025-03-14      |
//! | Budi  | L   | 1990-08-01 | SMK (5)   | 7231 | 2025-02-14  | account erased 2025-04-03     |
//! | Citra | P   | 2005-03-15 | SMA (4)   | 4322 | 2025-03-03  | placed, counter, from 03-20   |
//! | Kiki  | P   | 2000-06-15 | SMA (4)   | 5223 | 2025-03-08  | placed, counter, from 03-28 * |
//! | Fajar | L   | 1998-07-07 | S1 (10)   | 2320 | 2025-03-10  | withdrew 2025-03-25           |
//! | Gita  | P   | 1995-12-01 | SMK (5)   | 8332 | 2025-03-12  | account erased 2025-03-28     |
//! | Hadi  | L   | 1968-04-04 | SMP (3)   | 9329 | 2025-03-18  | placed via V1 03-31 23:59 WIB |
//! | Joko  | L   | 2003-03-03 | SMA (4)   | 8321 | none        | placed, counter, 2025-03-05   |
//!
//! (*) recorded on 2025-04-04, after March was signed off: a correction counted in April.
//!
//! Age groups are those of the day the card was issued: Dedi 47 (45-54), Eka 39 (30-44),
//! Intan 25, Ani 23, Kiki 24, Fajar 26, Gita 29 (20-29), Budi 34 (30-44), Citra 19 (15-19,
//! though she turns 20 before she is placed), Hadi 56 (55+).
//!
//! Companies: K1 section C (manufacturing), K2 section G (trade) until it records KBLI
//! 56101 (section I) from 2025-03-18, K3 section A. Vacancies (positions men/women/either):
//!
//! | vacancy | company | education | KBJI | where         | published            | positions |
//! |---------|---------|-----------|------|---------------|----------------------|-----------|
//! | V3      | K3 (A)  | S1 (10)   | 4322 | 14.71 (AKAD)  | 2025-01-20           | 1/1/0     |
//! | V1      | K1 (C)  | SMP (3)   | 9329 | 12.75 (AKL)   | 2025-02-05           | 3/0/2     |
//! | V4      | K1 (C)  | SMK (5)   | 7231 | 12.75         | 2025-02-28 23:59 WIB | 4/0/0     |
//! | V2      | K2 (G)  | SMA (4)   | 5223 | 12.75         | 2025-03-01 00:01 WIB | 0/2/0     |
//! | V5      | K2 (I)  | SMA (4)   | 5223 | 12.75         | 2025-03-20           | 0/0/3     |
//!
//! V3: Intan fills a woman's position on 02-25; it closed on 02-28 and expires on 03-01
//! (the daily job runs 03-02): the man's position is removed in March. V1: the employer
//! records a woman taken on on 03-15 (an "either" position: none is for women), Hadi a
//! man's on 03-31 at 23:59 WIB. V4: on 03-10 the employer lowers it to 2/0/0 and the
//! verifier publishes it again on 03-11: two fewer positions. V2: Ani takes a woman's on
//! 03-14. V5: closed by the employer on 03-29.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sibuser::applications::Stage;
use sibuser::applications::model::{Move, apply, move_to};
use sibuser::applications::placement::Kind;
use sibuser::db::DbConnection;
use sibuser::domain::ids::{JobSeekerId, UserId, VacancyId};
use sibuser::domain::{AgeGroup, Sex};
use sibuser::ipk::Month;
use sibuser::ipk::tables::{BySex, Cell, Count};
use sibuser::schema::ipk_facts;
use sibuser::seekers::ak1::model::{self as cards, Step};

use crate::common::with_conn;
use crate::ipk_world::{Opening, Person, Rows, Tables, World, day, save_profile, wib};

/// Carried over, registered, placed (filled), removed, remaining: one cell of the forms.
type C5 = [i64; 5];
const O: C5 = [0; 5];

fn cell(five: C5) -> Cell {
    let [carried, registered, placed, removed, remaining] = five;
    assert_eq!(
        carried + registered - placed - removed,
        remaining,
        "the hand-computed cell {five:?} adds up"
    );
    Cell {
        carried,
        registered,
        placed,
        removed,
    }
}

fn by_sex(male: C5, female: C5, either: C5) -> BySex {
    BySex {
        male: cell(male),
        female: cell(female),
        either: cell(either),
    }
}

/// Job seekers' rows: men (L) and women (P); every seeker has a recorded sex.
fn seekers<K: Ord>(rows: Vec<(K, C5, C5)>) -> Vec<(K, BySex)> {
    rows.into_iter()
        .map(|(k, l, p)| (k, by_sex(l, p, O)))
        .collect()
}

/// Positions' rows: for men (L), for women (P), for either.
fn positions<K: Ord>(rows: Vec<(K, C5, C5, C5)>) -> Vec<(K, BySex)> {
    rows.into_iter()
        .map(|(k, l, p, e)| (k, by_sex(l, p, e)))
        .collect()
}

/// Every cell of a stock-flow table, and its total ("Jumlah"), as worked out by hand. A
/// row with nothing in it is as good as absent (the forms print every row anyway).
#[track_caller]
fn assert_table<K: Ord + Clone + std::fmt::Debug>(
    name: &str,
    actual: &Rows<K>,
    expected: Vec<(K, BySex)>,
    total: BySex,
) {
    let expected: BTreeMap<K, BySex> = expected.into_iter().collect();
    assert_eq!(
        crate::ipk_world::sum(expected.values()),
        total,
        "{name}: the hand-computed rows add up to the total"
    );
    let shown: BTreeMap<K, BySex> = actual
        .rows
        .iter()
        .filter(|(_, r)| **r != BySex::default())
        .map(|(k, r)| (k.clone(), *r))
        .collect();
    assert_eq!(shown, expected, "{name}: rows");
    assert_eq!(actual.total, total, "{name}: total");
}

fn count(male: i64, female: i64) -> Count {
    Count {
        male,
        female,
        unknown: 0,
    }
}

fn kbli_rows(rows: Vec<(Option<&str>, Count)>) -> BTreeMap<Option<String>, Count> {
    rows.into_iter()
        .map(|(k, c)| (k.map(str::to_owned), c))
        .collect()
}

fn inter_work_rows(
    rows: Vec<(&str, i16, Count)>,
) -> BTreeMap<(Option<String>, Option<i16>), Count> {
    rows.into_iter()
        .map(|(kind, edu, c)| ((Some(kind.to_owned()), Some(edu)), c))
        .collect()
}

fn person(sex: Sex, born: NaiveDate, education: i16, kbji: &'static str) -> Person {
    Person {
        sex,
        birth: born,
        education,
        kbji,
        kelurahan: "12.75.01.1001",
    }
}

const L: Sex = Sex::Male;
const P: Sex = Sex::Female;
const BASE_URL: &str = "http://sibuser.test";

struct Cast {
    world: World,
    users: BTreeMap<&'static str, (UserId, JobSeekerId)>,
}

impl Cast {
    fn seeker(&self, name: &str) -> JobSeekerId {
        self.users[name].1
    }

    fn user(&self, name: &str) -> UserId {
        self.users[name].0
    }

    fn issue(
        &self,
        c: &mut DbConnection,
        name: &str,
        on: NaiveDate,
    ) -> sibuser::seekers::ak1::Ak1CardId {
        self.world
            .issue(c, self.seeker(name), on)
            .unwrap_or_else(|e| panic!("issuing {name}'s card: {e:?}"))
    }

    /// The seeker applies on `applied` and the employer takes them on at `at`.
    fn hire(
        &self,
        c: &mut DbConnection,
        name: &str,
        vacancy: VacancyId,
        applied: NaiveDate,
        at: NaiveDateTime,
        start: NaiveDate,
    ) {
        let v = sibuser::vacancies::find(c, vacancy).unwrap().unwrap();
        let app = apply(c, self.seeker(name), &v, None, self.user(name), applied)
            .unwrap_or_else(|e| panic!("{name} applies: {e:?}"));
        let app = sibuser::applications::model::find(c, app).unwrap().unwrap();
        move_to(
            c,
            &app,
            &Move {
                to: Stage::Accepted,
                note: None,
                actor: self.world.staff,
                start_date: start,
                now: at,
                base_url: BASE_URL,
            },
        )
        .unwrap_or_else(|e| panic!("{name} is taken on: {e:?}"));
    }

    fn place_at_counter(
        &self,
        c: &mut DbConnection,
        name: &str,
        kind: Kind,
        start: NaiveDate,
        today: NaiveDate,
    ) {
        self.world
            .place_at_counter(c, self.seeker(name), kind, start, today)
            .unwrap();
    }

    /// The daily jobs as they run at 06:00 WIB on `today`.
    fn daily_jobs(c: &mut DbConnection, today: NaiveDate) {
        sibuser::seekers::ak1::jobs::run_daily(c, today, BASE_URL).unwrap();
        sibuser::vacancies::expire_due(c, today).unwrap();
    }
}

/// Everything up to the end of March 2025.
fn build(c: &mut DbConnection) -> Cast {
    let mut world = World::new(c).unwrap();
    let mut users = BTreeMap::new();
    for (name, p) in [
        ("Dedi", person(L, day(1975, 11, 30), 2, "9329")),
        ("Eka", person(P, day(1985, 2, 15), 8, "2320")),
        ("Intan", person(P, day(1999, 9, 9), 10, "4322")),
        ("Ani", person(P, day(2001, 5, 10), 4, "5223")),
        ("Budi", person(L, day(1990, 8, 1), 5, "7231")),
        ("Citra", person(P, day(2005, 3, 15), 4, "4322")),
        ("Kiki", person(P, day(2000, 6, 15), 4, "5223")),
        ("Fajar", person(L, day(1998, 7, 7), 10, "2320")),
        ("Gita", person(P, day(1995, 12, 1), 5, "8332")),
        ("Hadi", person(L, day(1968, 4, 4), 3, "9329")),
        ("Joko", person(L, day(2003, 3, 3), 4, "8321")),
    ] {
        users.insert(name, world.seeker(c, name, &p).unwrap());
    }
    let k1 = world.company(c, "PT Sawit Binjai Lestari", "C").unwrap();
    let k2 = world.company(c, "CV Toko Makmur", "G").unwrap();
    let k3 = world.company(c, "PT Kebun Riau Jaya", "A").unwrap();
    let cast = Cast { world, users };
    let w = &cast.world;
    let opening = |education, kbji, regency, quotas, closes_on| Opening {
        education,
        kbji,
        regency,
        quotas,
        closes_on,
    };
    let v1 = w
        .vacancy(
            c,
            k1,
            &opening(3, "9329", "12.75", (3, 0, 2), day(2025, 6, 30)),
        )
        .unwrap();
    let v2 = w
        .vacancy(
            c,
            k2,
            &opening(4, "5223", "12.75", (0, 2, 0), day(2025, 4, 30)),
        )
        .unwrap();
    let v3 = w
        .vacancy(
            c,
            k3,
            &opening(10, "4322", "14.71", (1, 1, 0), day(2025, 2, 28)),
        )
        .unwrap();
    let v4 = w
        .vacancy(
            c,
            k1,
            &opening(5, "7231", "12.75", (4, 0, 0), day(2025, 6, 30)),
        )
        .unwrap();
    let v5 = w
        .vacancy(
            c,
            k2,
            &opening(4, "5223", "12.75", (0, 0, 3), day(2025, 5, 31)),
        )
        .unwrap();

    // Dedi's card, issued two years before March 2025, reported every six months.
    let dedi = cast.issue(c, "Dedi", day(2023, 3, 5));
    for due in [day(2023, 9, 5), day(2024, 3, 5), day(2024, 9, 5)] {
        let step = Step {
            on: due,
            actor: None,
            note: None,
        };
        cards::report(c, dedi, step).unwrap();
    }
    cast.issue(c, "Eka", day(2024, 8, 20));

    cast.issue(c, "Intan", day(2025, 1, 15));
    assert!(w.publish(c, v3, wib(day(2025, 1, 20), 10, 0)).unwrap());
    assert!(w.publish(c, v1, wib(day(2025, 2, 5), 9, 0)).unwrap());
    cast.issue(c, "Ani", day(2025, 2, 10));
    cast.issue(c, "Budi", day(2025, 2, 14));
    cast.hire(
        c,
        "Intan",
        v3,
        day(2025, 2, 20),
        wib(day(2025, 2, 25), 11, 0),
        day(2025, 3, 3),
    );
    // The last minute of February and the first of March, in Binjai.
    assert!(w.publish(c, v4, wib(day(2025, 2, 28), 23, 59)).unwrap());
    assert!(w.publish(c, v2, wib(day(2025, 3, 1), 0, 1)).unwrap());

    Cast::daily_jobs(c, day(2025, 3, 2));
    cast.issue(c, "Citra", day(2025, 3, 3));
    cast.place_at_counter(c, "Joko", Kind::Akl, day(2025, 3, 5), day(2025, 3, 5));
    Cast::daily_jobs(c, day(2025, 3, 6));
    cast.issue(c, "Kiki", day(2025, 3, 8));
    cast.issue(c, "Fajar", day(2025, 3, 10));
    assert!(
        w.change_quotas(c, v4, (2, 0, 0), wib(day(2025, 3, 10), 14, 0))
            .unwrap()
    );
    assert!(w.publish(c, v4, wib(day(2025, 3, 11), 9, 0)).unwrap());
    let gita = cast.issue(c, "Gita", day(2025, 3, 12));
    cast.hire(
        c,
        "Ani",
        v2,
        day(2025, 3, 13),
        wib(day(2025, 3, 14), 10, 0),
        day(2025, 3, 17),
    );
    let v = sibuser::vacancies::find(c, v1).unwrap().unwrap();
    assert_eq!(
        sibuser::vacancies::record_filled(c, &v, 0, 1, w.staff, wib(day(2025, 3, 15), 10, 0))
            .unwrap(),
        sibuser::vacancies::Fill::Recorded { all_taken: false }
    );
    cast.issue(c, "Hadi", day(2025, 3, 18));
    let restaurant = sibuser::employers::kbli::KbliCodes {
        primary: sibuser::employers::kbli::parse_kelompok("56101").unwrap(),
        others: Vec::new(),
    };
    assert!(
        sibuser::employers::kbli::record(c, k2, Some(&restaurant), day(2025, 3, 18), None).unwrap()
    );
    assert!(w.publish(c, v5, wib(day(2025, 3, 20), 9, 0)).unwrap());
    // Gita's new diploma does not move the card she holds since 03-12.
    save_profile(
        c,
        cast.user("Gita"),
        "Gita",
        &person(P, day(1995, 12, 1), 10, "2320"),
    )
    .unwrap();
    let fajar = cards::cards_of(c, cast.seeker("Fajar")).unwrap()[0].id;
    let step = Step {
        on: day(2025, 3, 25),
        actor: None,
        note: None,
    };
    cards::withdraw(c, fajar, step).unwrap();
    Cast::daily_jobs(c, day(2025, 3, 25));
    cast.place_at_counter(c, "Citra", Kind::Akan, day(2025, 3, 20), day(2025, 3, 27));
    sibuser::seekers::own_data::anonymise(c, cast.user("Gita"), day(2025, 3, 28)).unwrap();
    assert_eq!(
        cards::find(c, gita).unwrap().unwrap().status(),
        cards::Status::Withdrawn
    );
    sibuser::vacancies::set_status(
        c,
        v5,
        sibuser::vacancies::VacancyStatus::Closed,
        None,
        Some(w.staff),
        wib(day(2025, 3, 29), 10, 0),
    )
    .unwrap();
    cast.hire(
        c,
        "Hadi",
        v1,
        day(2025, 3, 21),
        wib(day(2025, 3, 31), 23, 59),
        day(2025, 4, 7),
    );
    cast
}

fn month(y: i32, m: u32) -> Month {
    Month::new(y, m).unwrap()
}

fn age(group: AgeGroup) -> Option<AgeGroup> {
    Some(group)
}

use AgeGroup::{From15To19, From20To29, From30To44, From45To54, From55};

/// III/1 to III/8 for March 2025, as worked out from the cast.
fn assert_march(t: &Tables) {
    // III/1 part I. Carried over (on the register at the end of February): Ani (P 20-29),
    // Budi (L 30-44), Dedi (L 45-54), Eka (P 30-44); Intan left in February. Registered:
    // Citra, Kiki, Fajar, Gita, Hadi. Placed: Ani, Citra, Hadi. Removed: Dedi (expired),
    // Eka (lapsed), Fajar (withdrew), Gita (erased). Remaining: Budi, Kiki.
    assert_table(
        "III/1 I, March",
        &t.seekers_by_age,
        seekers(vec![
            (age(From15To19), O, [0, 1, 1, 0, 0]),
            (age(From20To29), [0, 1, 0, 1, 0], [1, 2, 1, 1, 1]),
            (age(From30To44), [1, 0, 0, 0, 1], [1, 0, 0, 1, 0]),
            (age(From45To54), [1, 0, 0, 1, 0], O),
            (age(From55), [0, 1, 1, 0, 0], O),
        ]),
        by_sex([2, 2, 1, 2, 1], [2, 3, 2, 2, 1], O),
    );
    // III/1 part II, in positions. Carried over: V1 3/0/2, V3 1/0/0 (its woman's position
    // was filled in February), V4 4/0/0 (published at 23:59 on 28 February). Registered:
    // V2 0/2/0 (00:01 on 1 March), V5 0/0/3. Filled: V1 a man (Hadi) and an "either" (the
    // woman of 03-15), V2 a woman (Ani). Removed: V3 the man's (expired), V4 two men's
    // (fewer positions), V5 three (closed). Remaining: V1 2/0/1, V2 0/1/0, V4 2/0/0.
    assert_eq!(
        t.positions,
        by_sex([8, 0, 1, 3, 4], [0, 2, 1, 0, 1], [2, 3, 1, 3, 1]),
        "III/1 II, March"
    );
    // III/2 by education: SD Dedi; SMP Hadi; SMA Ani (carried, placed), Citra (placed),
    // Kiki; SMK Budi, Gita (as at issue, not the S1 she entered later); D3 Eka; S1 Fajar.
    // Intan (S1) entered and left before March: her row is empty.
    assert_table(
        "III/2, March",
        &t.seekers_by_education,
        seekers(vec![
            (Some(2), [1, 0, 0, 1, 0], O),
            (Some(3), [0, 1, 1, 0, 0], O),
            (Some(4), O, [1, 2, 2, 0, 1]),
            (Some(5), [1, 0, 0, 0, 1], [0, 1, 0, 1, 0]),
            (Some(8), O, [1, 0, 0, 1, 0]),
            (Some(10), [0, 1, 0, 1, 0], O),
        ]),
        by_sex([2, 2, 1, 2, 1], [2, 3, 2, 2, 1], O),
    );
    // III/3 by the major group of the job sought: 2 Eka, Fajar; 4 Citra; 5 Ani, Kiki;
    // 7 Budi; 8 Gita; 9 Dedi, Hadi.
    assert_table(
        "III/3, March",
        &t.seekers_by_kbji,
        seekers(vec![
            (Some("2".into()), [0, 1, 0, 1, 0], [1, 0, 0, 1, 0]),
            (Some("4".into()), O, [0, 1, 1, 0, 0]),
            (Some("5".into()), O, [1, 1, 1, 0, 1]),
            (Some("7".into()), [1, 0, 0, 0, 1], O),
            (Some("8".into()), O, [0, 1, 0, 1, 0]),
            (Some("9".into()), [1, 1, 1, 1, 0], O),
        ]),
        by_sex([2, 2, 1, 2, 1], [2, 3, 2, 2, 1], O),
    );
    // III/4 by education asked for: SMP V1; SMA V2 and V5; SMK V4; S1 V3.
    let total = by_sex([8, 0, 1, 3, 4], [0, 2, 1, 0, 1], [2, 3, 1, 3, 1]);
    assert_table(
        "III/4, March",
        &t.positions_by_education,
        positions(vec![
            (Some(3), [3, 0, 1, 0, 2], O, [2, 0, 1, 0, 1]),
            (Some(4), O, [0, 2, 1, 0, 1], [0, 3, 0, 3, 0]),
            (Some(5), [4, 0, 0, 2, 2], O, O),
            (Some(10), [1, 0, 0, 1, 0], O, O),
        ]),
        total,
    );
    // III/5 by KBJI major group: 9 V1; 5 V2 and V5; 7 V4; 4 V3.
    assert_table(
        "III/5, March",
        &t.positions_by_kbji,
        positions(vec![
            (Some("4".into()), [1, 0, 0, 1, 0], O, O),
            (Some("5".into()), O, [0, 2, 1, 0, 1], [0, 3, 0, 3, 0]),
            (Some("7".into()), [4, 0, 0, 2, 2], O, O),
            (Some("9".into()), [3, 0, 1, 0, 2], O, [2, 0, 1, 0, 1]),
        ]),
        total,
    );
    // III/6 by the employer's KBLI section on the day of publication: A V3; C V1 and V4;
    // G V2; I V5 (published after K2 recorded its restaurant code).
    assert_table(
        "III/6, March",
        &t.positions_by_kbli,
        positions(vec![
            (Some("A".into()), [1, 0, 0, 1, 0], O, O),
            (Some("C".into()), [7, 0, 1, 2, 4], O, [2, 0, 1, 0, 1]),
            (Some("G".into()), O, [0, 2, 1, 0, 1], O),
            (Some("I".into()), O, O, [0, 3, 0, 3, 0]),
        ]),
        total,
    );
    // III/7 placements by KBLI section and sex: Joko and Citra at the counter (no
    // employer named), Ani at K2 (still G on 03-14), Hadi at K1 (C).
    assert_eq!(
        t.placements_by_kbli,
        kbli_rows(vec![
            (None, count(1, 1)),
            (Some("C"), count(1, 0)),
            (Some("G"), count(0, 1)),
        ]),
        "III/7, March"
    );
    // III/8 by AKL/AKAD/AKAN and education: Hadi AKL SMP; Joko, Ani AKL SMA; Citra AKAN
    // SMA.
    assert_eq!(
        t.placements_by_inter_work,
        inter_work_rows(vec![
            ("AKAN", 4, count(0, 1)),
            ("AKL", 3, count(1, 0)),
            ("AKL", 4, count(1, 1)),
        ]),
        "III/8, March"
    );
}

/// The first quarter adds January and February: Intan registered (January) and placed
/// (February, via V3 in Riau: AKAD); V3 registered in January, V1 and V4 in February; Dedi
/// and Eka were carried over from 2024.
fn assert_first_quarter(t: &Tables) {
    assert_table(
        "III/1 I, Q1",
        &t.seekers_by_age,
        seekers(vec![
            (age(From15To19), O, [0, 1, 1, 0, 0]),
            (age(From20To29), [0, 1, 0, 1, 0], [0, 4, 2, 1, 1]),
            (age(From30To44), [0, 1, 0, 0, 1], [1, 0, 0, 1, 0]),
            (age(From45To54), [1, 0, 0, 1, 0], O),
            (age(From55), [0, 1, 1, 0, 0], O),
        ]),
        by_sex([1, 3, 1, 2, 1], [1, 5, 3, 2, 1], O),
    );
    let total = by_sex([0, 8, 1, 3, 4], [0, 3, 2, 0, 1], [0, 5, 1, 3, 1]);
    assert_eq!(t.positions, total, "III/1 II, Q1");
    assert_table(
        "III/2, Q1",
        &t.seekers_by_education,
        seekers(vec![
            (Some(2), [1, 0, 0, 1, 0], O),
            (Some(3), [0, 1, 1, 0, 0], O),
            (Some(4), O, [0, 3, 2, 0, 1]),
            (Some(5), [0, 1, 0, 0, 1], [0, 1, 0, 1, 0]),
            (Some(8), O, [1, 0, 0, 1, 0]),
            (Some(10), [0, 1, 0, 1, 0], [0, 1, 1, 0, 0]),
        ]),
        by_sex([1, 3, 1, 2, 1], [1, 5, 3, 2, 1], O),
    );
    assert_table(
        "III/3, Q1",
        &t.seekers_by_kbji,
        seekers(vec![
            (Some("2".into()), [0, 1, 0, 1, 0], [1, 0, 0, 1, 0]),
            (Some("4".into()), O, [0, 2, 2, 0, 0]),
            (Some("5".into()), O, [0, 2, 1, 0, 1]),
            (Some("7".into()), [0, 1, 0, 0, 1], O),
            (Some("8".into()), O, [0, 1, 0, 1, 0]),
            (Some("9".into()), [1, 1, 1, 1, 0], O),
        ]),
        by_sex([1, 3, 1, 2, 1], [1, 5, 3, 2, 1], O),
    );
    assert_table(
        "III/4, Q1",
        &t.positions_by_education,
        positions(vec![
            (Some(3), [0, 3, 1, 0, 2], O, [0, 2, 1, 0, 1]),
            (Some(4), O, [0, 2, 1, 0, 1], [0, 3, 0, 3, 0]),
            (Some(5), [0, 4, 0, 2, 2], O, O),
            (Some(10), [0, 1, 0, 1, 0], [0, 1, 1, 0, 0], O),
        ]),
        total,
    );
    assert_table(
        "III/5, Q1",
        &t.positions_by_kbji,
        positions(vec![
            (Some("4".into()), [0, 1, 0, 1, 0], [0, 1, 1, 0, 0], O),
            (Some("5".into()), O, [0, 2, 1, 0, 1], [0, 3, 0, 3, 0]),
            (Some("7".into()), [0, 4, 0, 2, 2], O, O),
            (Some("9".into()), [0, 3, 1, 0, 2], O, [0, 2, 1, 0, 1]),
        ]),
        total,
    );
    assert_table(
        "III/6, Q1",
        &t.positions_by_kbli,
        positions(vec![
            (Some("A".into()), [0, 1, 0, 1, 0], [0, 1, 1, 0, 0], O),
            (Some("C".into()), [0, 7, 1, 2, 4], O, [0, 2, 1, 0, 1]),
            (Some("G".into()), O, [0, 2, 1, 0, 1], O),
            (Some("I".into()), O, O, [0, 3, 0, 3, 0]),
        ]),
        total,
    );
    assert_eq!(
        t.placements_by_kbli,
        kbli_rows(vec![
            (None, count(1, 1)),
            (Some("A"), count(0, 1)),
            (Some("C"), count(1, 0)),
            (Some("G"), count(0, 1)),
        ]),
        "III/7, Q1"
    );
    assert_eq!(
        t.placements_by_inter_work,
        inter_work_rows(vec![
            ("AKAD", 10, count(0, 1)),
            ("AKAN", 4, count(0, 1)),
            ("AKL", 3, count(1, 0)),
            ("AKL", 4, count(1, 1)),
        ]),
        "III/8, Q1"
    );
}

db_test!(
    the_fixture_month_matches_the_hand_computed_figures_and_holds_after_sign_off,
    |app| {
        let (march, q1) = (month(2025, 3), (month(2025, 1), month(2025, 3)));
        let cast = with_conn(&app, build);
        let before = with_conn(&app, |c| {
            let t = Tables::of(c, march, march).unwrap();
            assert_march(&t);
            let q = Tables::of(c, q1.0, q1.1).unwrap();
            assert_first_quarter(&q);
            (t, q)
        });

        // Signed off at 00:01 WIB on 1 April, the first minute it may be: March has ended in
        // Binjai, though it is still 31 March in UTC.
        let sign_off = wib(day(2025, 4, 1), 0, 1);
        with_conn(&app, |c| {
            for m in [month(2025, 1), month(2025, 2), march] {
                sibuser::ipk::period::close(
                    c,
                    m,
                    Some(cast.world.staff),
                    day(2025, 4, 1),
                    sign_off,
                )
                .unwrap()
                .unwrap();
            }
        });

        // After the sign-off: Budi edits his profile and erases his account; Kiki's work,
        // which started on 28 March, is recorded at the counter on 4 April.
        with_conn(&app, |c| {
            save_profile(
                c,
                cast.user("Budi"),
                "Budi",
                &Person {
                    kelurahan: "12.75.05.1003",
                    ..person(L, day(1990, 8, 1), 10, "2320")
                },
            )
            .unwrap();
            sibuser::seekers::own_data::anonymise(c, cast.user("Budi"), day(2025, 4, 3)).unwrap();
            cast.place_at_counter(c, "Kiki", Kind::Akl, day(2025, 3, 28), day(2025, 4, 4));
        });

        with_conn(&app, |c| {
            let t = Tables::of(c, march, march).unwrap();
            assert_eq!(t, before.0, "March is as it was signed off");
            assert_march(&t);
            let q = Tables::of(c, q1.0, q1.1).unwrap();
            assert_eq!(q, before.1, "so is the first quarter");

            // April carries Budi and Kiki over; Kiki's placement, dated in March, is
            // counted in April as a correction, and Budi's erasure removes him in April
            // under the groups of his card.
            let april = Tables::of(c, month(2025, 4), month(2025, 4)).unwrap();
            assert_table(
                "III/1 I, April",
                &april.seekers_by_age,
                seekers(vec![
                    (age(From20To29), O, [1, 0, 1, 0, 0]),
                    (age(From30To44), [1, 0, 0, 1, 0], O),
                ]),
                by_sex([1, 0, 0, 1, 0], [1, 0, 1, 0, 0], O),
            );
            assert_table(
                "III/2, April",
                &april.seekers_by_education,
                seekers(vec![
                    (Some(4), O, [1, 0, 1, 0, 0]),
                    (Some(5), [1, 0, 0, 1, 0], O),
                ]),
                by_sex([1, 0, 0, 1, 0], [1, 0, 1, 0, 0], O),
            );
            assert_eq!(
                april.placements_by_kbli,
                kbli_rows(vec![(None, count(0, 1))])
            );
            let corrections: Vec<(String, NaiveDate, i32)> = ipk_facts::table
                .filter(ipk_facts::correction.eq(true))
                .order(ipk_facts::flow)
                .select((ipk_facts::flow, ipk_facts::occurred_on, ipk_facts::period))
                .load(c)
                .unwrap();
            assert_eq!(
                corrections,
                vec![
                    ("placement".to_owned(), day(2025, 3, 28), 202504),
                    ("seeker_placed".to_owned(), day(2025, 3, 28), 202504),
                ]
            );

            // The first semester holds the correction with the rest.
            let s1 = Tables::of(c, month(2025, 1), month(2025, 6)).unwrap();
            assert_table(
                "III/1 I, S1",
                &s1.seekers_by_age,
                seekers(vec![
                    (age(From15To19), O, [0, 1, 1, 0, 0]),
                    (age(From20To29), [0, 1, 0, 1, 0], [0, 4, 3, 1, 0]),
                    (age(From30To44), [0, 1, 0, 1, 0], [1, 0, 0, 1, 0]),
                    (age(From45To54), [1, 0, 0, 1, 0], O),
                    (age(From55), [0, 1, 1, 0, 0], O),
                ]),
                by_sex([1, 3, 1, 3, 0], [1, 5, 4, 2, 0], O),
            );
            assert_eq!(s1.positions, q.positions, "no position moved after March");
            assert_eq!(
                s1.placements_by_kbli,
                kbli_rows(vec![
                    (None, count(1, 2)),
                    (Some("A"), count(0, 1)),
                    (Some("C"), count(1, 0)),
                    (Some("G"), count(0, 1)),
                ]),
                "III/7, S1"
            );
            assert_eq!(
                s1.placements_by_inter_work,
                inter_work_rows(vec![
                    ("AKAD", 10, count(0, 1)),
                    ("AKAN", 4, count(0, 1)),
                    ("AKL", 3, count(1, 0)),
                    ("AKL", 4, count(1, 2)),
                ]),
                "III/8, S1"
            );
        });
    }
);
