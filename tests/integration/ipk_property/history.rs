//! What a history is: steps of the clock and operations, and how proptest draws them.

use proptest::prelude::*;
use proptest::sample::Index;
use sibuser::applications::placement::Kind;
use sibuser::domain::Sex;

use crate::ipk_world::{Person, day};

/// How the clock moves before a step.
#[derive(Debug, Clone)]
pub(super) enum When {
    Minutes(u16),
    Days(u8),
    /// 23:59 WIB on the last day of the month (16:59 UTC).
    LastMinuteOfMonth,
    /// 00:01 WIB on the first day of the next month (17:01 UTC the day before).
    FirstMinuteOfNextMonth,
}

/// How a card imported from the Dinas's old register stands.
#[derive(Debug, Clone, Copy)]
pub(super) enum PastEnd {
    Active,
    Placed,
    Expired,
    Lapsed,
    Withdrawn,
}

#[derive(Debug, Clone)]
pub(super) enum Op {
    NewSeeker(Person),
    Issue(Index),
    EditProfile(Index, Person),
    Erase(Index),
    Withdraw(Index),
    Report(Index),
    /// A card from the old register, issued `days_back` days ago, ended `end_at` percent of
    /// the way from its issue to today (or to its expiry).
    PastCard {
        person: Person,
        days_back: u16,
        end: PastEnd,
        end_at: u8,
    },
    Publish {
        company: Index,
        education: i16,
        kbji: &'static str,
        away: bool,
        quotas: (i32, i32, i32),
        closes_in: u8,
        at_once: bool,
    },
    EditQuotas {
        vacancy: Index,
        quotas: (i32, i32, i32),
        republish: bool,
    },
    Decide {
        vacancy: Index,
        publish: bool,
    },
    Fill {
        vacancy: Index,
        male: i32,
        female: i32,
    },
    CloseVacancy(Index),
    /// The seeker applies and is taken on, starting `start` days from today.
    Hire {
        seeker: Index,
        vacancy: Index,
        start: i16,
    },
    /// Work found outside the portal, recorded at the counter, starting `start` days from
    /// today (back to the 366 days the counter form allows).
    PlaceAtCounter {
        seeker: Index,
        start: i16,
        kind: Kind,
    },
    ChangeKbli {
        company: Index,
        code: &'static str,
    },
    DailyJobs,
    /// Sign off the month `back` months before the current one.
    CloseMonth(u8),
}

#[derive(Debug, Clone)]
pub(super) struct Step {
    pub(super) when: When,
    pub(super) op: Op,
}

const KBJI: [&str; 6] = ["2320", "4322", "5223", "7231", "8332", "9329"];
const EDUCATION: [i16; 6] = [2, 3, 4, 5, 8, 10];
const KELURAHAN: [&str; 3] = ["12.75.01.1001", "12.75.03.1004", "12.75.05.1008"];
const KBLI: [&str; 4] = ["01111", "10110", "47111", "56101"];

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        4 => (0u16..600).prop_map(When::Minutes),
        4 => (1u8..20).prop_map(When::Days),
        1 => Just(When::LastMinuteOfMonth),
        1 => Just(When::FirstMinuteOfNextMonth),
    ]
}

fn person() -> impl Strategy<Value = Person> {
    (
        prop::sample::select(vec![Sex::Male, Sex::Female]),
        // Born 1955 to 2012: every age group, and some under 15, whom no group counts.
        (1955i32..=2012, 1u32..=12, 1u32..=28),
        prop::sample::select(EDUCATION.to_vec()),
        prop::sample::select(KBJI.to_vec()),
        prop::sample::select(KELURAHAN.to_vec()),
    )
        .prop_map(|(sex, (y, m, d), education, kbji, kelurahan)| Person {
            sex,
            birth: day(y, m, d),
            education,
            kbji,
            kelurahan,
        })
}

fn quotas() -> impl Strategy<Value = (i32, i32, i32)> {
    (0i32..=3, 0i32..=3, 0i32..=3).prop_map(|(m, f, e)| {
        // The form asks for at least one position.
        if m + f + e == 0 { (0, 0, 1) } else { (m, f, e) }
    })
}

fn op() -> impl Strategy<Value = Op> {
    let i = any::<Index>;
    prop_oneof![
        3 => person().prop_map(Op::NewSeeker),
        5 => i().prop_map(Op::Issue),
        2 => (i(), person()).prop_map(|(s, p)| Op::EditProfile(s, p)),
        1 => i().prop_map(Op::Erase),
        1 => i().prop_map(Op::Withdraw),
        1 => i().prop_map(Op::Report),
        2 => (
            person(),
            0u16..900,
            prop::sample::select(vec![
                PastEnd::Active,
                PastEnd::Placed,
                PastEnd::Expired,
                PastEnd::Lapsed,
                PastEnd::Withdrawn,
            ]),
            0u8..=100,
        )
            .prop_map(|(person, days_back, end, end_at)| Op::PastCard {
                person,
                days_back,
                end,
                end_at,
            }),
        4 => (
            i(),
            prop::sample::select(EDUCATION.to_vec()),
            prop::sample::select(KBJI.to_vec()),
            any::<bool>(),
            quotas(),
            0u8..90,
            prop::bool::weighted(0.8),
        )
            .prop_map(|(company, education, kbji, away, quotas, closes_in, at_once)| {
                Op::Publish {
                    company,
                    education,
                    kbji,
                    away,
                    quotas,
                    closes_in,
                    at_once,
                }
            }),
        2 => (i(), quotas(), prop::bool::weighted(0.7)).prop_map(|(vacancy, quotas, republish)| {
            Op::EditQuotas {
                vacancy,
                quotas,
                republish,
            }
        }),
        1 => (i(), prop::bool::weighted(0.7))
            .prop_map(|(vacancy, publish)| Op::Decide { vacancy, publish }),
        3 => (i(), 0i32..=2, 0i32..=2)
            .prop_map(|(vacancy, male, female)| Op::Fill { vacancy, male, female }),
        1 => i().prop_map(Op::CloseVacancy),
        5 => (i(), i(), -90i16..=120)
            .prop_map(|(seeker, vacancy, start)| Op::Hire { seeker, vacancy, start }),
        3 => (
            i(),
            prop_oneof![3 => -366i16..=0, 1 => 0i16..=90],
            prop::sample::select(Kind::ALL.to_vec()),
        )
            .prop_map(|(seeker, start, kind)| Op::PlaceAtCounter { seeker, start, kind }),
        1 => (i(), prop::sample::select(KBLI.to_vec()))
            .prop_map(|(company, code)| Op::ChangeKbli { company, code }),
        3 => Just(Op::DailyJobs),
        2 => prop_oneof![4 => 1u8..=3, 1 => 4u8..=30].prop_map(Op::CloseMonth),
    ]
}

pub(super) fn history(max_steps: usize) -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (when(), op()).prop_map(|(when, op)| Step { when, op }),
        1..=max_steps,
    )
}
