//! The ledger: one row a flow, with the groups it is counted under.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::period::{self, Month};
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::{AgeGroup, KbjiCode, Sex};
use crate::schema::ipk_facts;

choice!(
    /// What happened. A subject (a card, a vacancy) enters once and leaves any number of
    /// times, its exits adding up to at most its entry.
    Flow in "ref_ipk_flow" {
        /// An AK/I card was issued: the job seeker is on the register.
        SeekerRegistered => "seeker_registered", "ipk.flow.seeker_registered",
        SeekerPlaced => "seeker_placed", "ipk.flow.seeker_placed",
        SeekerRemoved => "seeker_removed", "ipk.flow.seeker_removed",
        /// A vacancy was published with its positions (or more were added later).
        VacancyRegistered => "vacancy_registered", "ipk.flow.vacancy_registered",
        VacancyFilled => "vacancy_filled", "ipk.flow.vacancy_filled",
        VacancyRemoved => "vacancy_removed", "ipk.flow.vacancy_removed",
        /// A placement, for the tables of placements (III/7, III/8): a flow only.
        Placement => "placement", "ipk.flow.placement",
    }
);

impl Flow {
    fn is_entry(self) -> bool {
        matches!(
            self,
            Self::SeekerRegistered | Self::VacancyRegistered | Self::Placement
        )
    }
}

choice!(
    /// Why a job seeker or positions left the register other than by placement: coded, as
    /// the forms count removals (free text stays on the record's own note).
    Reason in "ref_ipk_reason" {
        /// The AK/I card's two years ran out.
        Expired => "expired", "ipk.reason.expired",
        /// A six-monthly report was missed.
        Lapsed => "lapsed", "ipk.reason.lapsed",
        /// Withdrawn by the holder or an operator.
        Withdrawn => "withdrawn", "ipk.reason.withdrawn",
        /// The vacancy reached its closing date unfilled.
        VacancyExpired => "vacancy_expired", "ipk.reason.vacancy_expired",
        /// The employer or a verifier closed the vacancy before it was filled.
        VacancyClosed => "vacancy_closed", "ipk.reason.vacancy_closed",
        /// The employer lowered the number of positions.
        FewerPositions => "fewer_positions", "ipk.reason.fewer_positions",
    }
);

/// Persons a fact counts, by sex: a job seeker is one of the first two; a vacancy's
/// positions may be open to either sex.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Persons {
    pub male: i32,
    pub female: i32,
    pub either: i32,
}

impl Persons {
    /// One person of this sex (unknown sex counts as either: it is never guessed).
    pub fn one(sex: Option<Sex>) -> Self {
        match sex {
            Some(Sex::Male) => Self {
                male: 1,
                ..Self::default()
            },
            Some(Sex::Female) => Self {
                female: 1,
                ..Self::default()
            },
            None => Self {
                either: 1,
                ..Self::default()
            },
        }
    }

    pub fn total(self) -> i32 {
        self.male + self.female + self.either
    }

    pub fn is_empty(self) -> bool {
        self.male == 0 && self.female == 0 && self.either == 0
    }
}

/// What the tables group a fact by, as it was when it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ipk_facts)]
pub struct Dims {
    pub age_group: Option<AgeGroup>,
    /// The education level's code (`reference::education`).
    pub education: Option<i16>,
    pub field_of_study: Option<String>,
    pub kbji_code: Option<KbjiCode>,
    /// The KBLI 2020 section letter (A-U).
    pub kbli_section: Option<String>,
    pub kelurahan_code: Option<String>,
    pub regency_code: Option<String>,
    /// AKL, AKAD or AKAN, for placements.
    pub inter_work: Option<String>,
    /// How it came about: portal, counter, import; for placements and registrations.
    pub channel: Option<String>,
}

/// A subject's reference in the ledger (`ak1:17`, `vacancy:4`): opaque text, not a foreign
/// key, so that erasing the record leaves its statistics.
pub fn subject(kind: &str, id: impl std::fmt::Display) -> String {
    format!("{kind}:{id}")
}

#[derive(Debug, Clone, Queryable)]
struct Entry {
    occurred_on: NaiveDate,
    /// The month it is counted in (`yyyymm`).
    period: i32,
    male: i32,
    female: i32,
    either: i32,
}

fn entry_of(conn: &mut DbConnection, subject: &str) -> QueryResult<Option<(Entry, Dims)>> {
    ipk_facts::table
        .filter(ipk_facts::subject.eq(subject))
        .filter(ipk_facts::flow.eq_any([
            Flow::SeekerRegistered.as_str(),
            Flow::VacancyRegistered.as_str(),
        ]))
        .order(ipk_facts::id)
        .select((
            (
                ipk_facts::occurred_on,
                ipk_facts::period,
                ipk_facts::male,
                ipk_facts::female,
                ipk_facts::either,
            ),
            Dims::as_select(),
        ))
        .first(conn)
        .optional()
}

/// The day a fact is dated and the month it is counted in, with whether that is a
/// correction (not its own month).
#[derive(Debug, Clone, Copy)]
struct Counted {
    on: NaiveDate,
    month: Month,
    correction: bool,
}

impl Counted {
    /// A fact dated `on` as [`period::month_for`] counts it.
    fn new(on: NaiveDate, (month, correction): (Month, bool)) -> Self {
        Self {
            on,
            month,
            correction,
        }
    }

    /// An exit is never counted before the month its subject entered (an entry dated in a
    /// closed month is counted later, as a correction): in between, its cells would hold
    /// less than nothing. It then follows the entry, as a correction too.
    fn not_before(self, entered: i32) -> Self {
        match Month::from_key(entered) {
            Some(entered) if entered > self.month => Self {
                month: entered,
                correction: true,
                ..self
            },
            _ => self,
        }
    }
}

/// Writes a fact, counted as `counted` says.
fn insert(
    conn: &mut DbConnection,
    flow: Flow,
    reason: Option<Reason>,
    subject: &str,
    Counted {
        on,
        month,
        correction,
    }: Counted,
    persons: Persons,
    dims: &Dims,
) -> QueryResult<()> {
    diesel::insert_into(ipk_facts::table)
        .values((
            ipk_facts::flow.eq(flow.as_str()),
            ipk_facts::reason.eq(reason.map(Reason::as_str)),
            ipk_facts::subject.eq(subject),
            ipk_facts::occurred_on.eq(on),
            ipk_facts::period.eq(month.key()),
            ipk_facts::correction.eq(correction),
            ipk_facts::male.eq(persons.male),
            ipk_facts::female.eq(persons.female),
            ipk_facts::either.eq(persons.either),
            ipk_facts::age_group.eq(dims.age_group.map(AgeGroup::as_str)),
            ipk_facts::education.eq(dims.education),
            ipk_facts::field_of_study.eq(dims.field_of_study.as_deref()),
            ipk_facts::kbji_code.eq(dims.kbji_code.as_ref()),
            // The major group (golongan pokok), the first digit, is what III/3 and III/5
            // group by.
            ipk_facts::kbji_major.eq(dims.kbji_code.as_ref().map(KbjiCode::major_group)),
            ipk_facts::kbli_section.eq(dims.kbli_section.as_deref()),
            ipk_facts::kelurahan_code.eq(dims.kelurahan_code.as_deref()),
            ipk_facts::regency_code.eq(dims.regency_code.as_deref()),
            ipk_facts::inter_work.eq(dims.inter_work.as_deref()),
            ipk_facts::channel.eq(dims.channel.as_deref()),
            ipk_facts::recorded_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A subject enters (a card issued, positions opened) or a placement happens, with the
/// groups as they are now. A seeker or vacancy enters once: a second entry of the same
/// flow adds positions only for vacancies (`VacancyRegistered` again is more positions).
/// Dated `on`, recorded on `today`.
pub fn enter(
    conn: &mut DbConnection,
    flow: Flow,
    subject: &str,
    on: NaiveDate,
    today: NaiveDate,
    persons: Persons,
    dims: &Dims,
) -> QueryResult<bool> {
    debug_assert!(flow.is_entry());
    if persons.is_empty() {
        return Ok(false);
    }
    let dims = match (flow, entry_of(conn, subject)?) {
        (Flow::SeekerRegistered, Some(_)) => return Ok(false),
        // Positions added later keep the groups the vacancy entered with.
        (Flow::VacancyRegistered, Some((_, first))) => first,
        _ => dims.clone(),
    };
    let counted = Counted::new(on, period::counted_in(conn, on, today)?);
    insert(conn, flow, None, subject, counted, persons, &dims)?;
    Ok(true)
}

/// Persons of a subject leave (placed, removed, filled), under the groups it entered with,
/// never dated before it entered. `persons` of `None` is the whole entry (a job seeker).
/// A subject that never entered (a card asked for and withdrawn) leaves nothing. Dated
/// `on`, recorded on `today`.
pub fn leave(
    conn: &mut DbConnection,
    flow: Flow,
    reason: Option<Reason>,
    subject: &str,
    on: NaiveDate,
    today: NaiveDate,
    persons: Option<Persons>,
) -> QueryResult<bool> {
    debug_assert!(!flow.is_entry());
    let Some((entry, dims)) = entry_of(conn, subject)? else {
        return Ok(false);
    };
    let persons = persons.unwrap_or(Persons {
        male: entry.male,
        female: entry.female,
        either: entry.either,
    });
    if persons.is_empty() {
        return Ok(false);
    }
    let on = on.max(entry.occurred_on);
    let counted = Counted::new(on, period::counted_in(conn, on, today)?).not_before(entry.period);
    insert(conn, flow, reason, subject, counted, persons, &dims)?;
    Ok(true)
}

/// A fact for [`insert_many`].
#[derive(Debug, Clone)]
pub struct NewFact {
    pub flow: Flow,
    pub reason: Option<Reason>,
    pub subject: String,
    pub on: NaiveDate,
    pub persons: Persons,
    pub dims: Dims,
}

#[derive(Insertable)]
#[diesel(table_name = ipk_facts)]
struct FactRow<'a> {
    flow: &'static str,
    reason: Option<&'static str>,
    subject: &'a str,
    occurred_on: NaiveDate,
    period: i32,
    correction: bool,
    male: i32,
    female: i32,
    either: i32,
    age_group: Option<&'static str>,
    education: Option<i16>,
    field_of_study: Option<&'a str>,
    kbji_code: Option<&'a KbjiCode>,
    kbji_major: Option<&'a str>,
    kbli_section: Option<&'a str>,
    kelurahan_code: Option<&'a str>,
    regency_code: Option<&'a str>,
    inter_work: Option<&'a str>,
    channel: Option<&'a str>,
    recorded_at: chrono::NaiveDateTime,
}

/// Writes facts made in bulk (the demo, a backfill) in a few statements: each an entry or
/// an exit whose groups the caller took from its entry, counted in its own month unless
/// that month or a later one is closed, and an exit not before its subject's entry in the
/// same call. Unlike [`enter`] and [`leave`] it checks nothing against facts already
/// stored: the caller writes each subject's facts once.
pub fn insert_many(conn: &mut DbConnection, facts: &[NewFact]) -> QueryResult<()> {
    let today = crate::domain::calendar::today();
    let latest_closed = period::closed_through(conn)?;
    let now = Utc::now().naive_utc();
    // The month each subject entered, for its exits.
    let mut entered: std::collections::HashMap<&str, i32> = std::collections::HashMap::new();
    for chunk in facts.chunks(1000) {
        let rows: Vec<FactRow<'_>> = chunk
            .iter()
            .map(|f| {
                let mut counted = Counted::new(f.on, period::month_for(f.on, today, latest_closed));
                if matches!(f.flow, Flow::SeekerRegistered | Flow::VacancyRegistered) {
                    entered.entry(&f.subject).or_insert(counted.month.key());
                } else if let Some(&month) = entered.get(f.subject.as_str()) {
                    counted = counted.not_before(month);
                }
                let Counted {
                    month, correction, ..
                } = counted;
                FactRow {
                    flow: f.flow.as_str(),
                    reason: f.reason.map(Reason::as_str),
                    subject: &f.subject,
                    occurred_on: f.on,
                    period: month.key(),
                    correction,
                    male: f.persons.male,
                    female: f.persons.female,
                    either: f.persons.either,
                    age_group: f.dims.age_group.map(AgeGroup::as_str),
                    education: f.dims.education,
                    field_of_study: f.dims.field_of_study.as_deref(),
                    kbji_code: f.dims.kbji_code.as_ref(),
                    kbji_major: f.dims.kbji_code.as_ref().map(KbjiCode::major_group),
                    kbli_section: f.dims.kbli_section.as_deref(),
                    kelurahan_code: f.dims.kelurahan_code.as_deref(),
                    regency_code: f.dims.regency_code.as_deref(),
                    inter_work: f.dims.inter_work.as_deref(),
                    channel: f.dims.channel.as_deref(),
                    recorded_at: now,
                }
            })
            .collect();
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(ipk_facts::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

/// What a subject still holds: its entries less its exits, by sex (`None` if it never
/// entered).
pub fn outstanding(conn: &mut DbConnection, subject: &str) -> QueryResult<Option<Persons>> {
    let rows: Vec<(Flow, i32, i32, i32)> = ipk_facts::table
        .filter(ipk_facts::subject.eq(subject))
        .select((
            ipk_facts::flow,
            ipk_facts::male,
            ipk_facts::female,
            ipk_facts::either,
        ))
        .load(conn)?;
    if !rows.iter().any(|(flow, ..)| flow.is_entry()) {
        return Ok(None);
    }
    let mut held = Persons::default();
    for (flow, male, female, either) in rows {
        let sign = if flow.is_entry() { 1 } else { -1 };
        held.male += sign * male;
        held.female += sign * female;
        held.either += sign * either;
    }
    Ok(Some(held))
}
