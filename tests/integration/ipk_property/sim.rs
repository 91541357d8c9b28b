//! Playing a history through the model functions, each step at its simulated moment, and
//! checking the facts each step writes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use proptest::prelude::*;
use proptest::sample::Index;
use sibuser::applications::Stage;
use sibuser::db::DbConnection;
use sibuser::domain::ids::{CompanyId, JobSeekerId, UserId, VacancyId};
use sibuser::ipk::Month;
use sibuser::schema::ipk_facts;
use sibuser::seekers::ak1::model::{self as cards, PastCard, Status, Step as CardStep};
use sibuser::vacancies::{Vacancy, VacancyStatus};

use super::history::{Op, PastEnd, Step, When};
use super::{Fail, db, last_day, start};
use crate::ipk_world::{Opening, Person, Tables, World, save_profile, wib, wib_date};

struct Seeker {
    user: UserId,
    id: JobSeekerId,
    name: String,
    erased: bool,
}

pub(super) struct Sim<'c> {
    pub(super) conn: &'c mut DbConnection,
    world: World,
    now: NaiveDateTime,
    seekers: Vec<Seeker>,
    companies: Vec<CompanyId>,
    pub(super) vacancies: Vec<VacancyId>,
    /// The months signed off, with their tables as they were then.
    pub(super) closed: BTreeMap<Month, Tables>,
    last_fact: i32,
    imported: i32,
}

fn step_ok(r: Result<(), cards::StepError>) -> Result<(), Fail> {
    match r {
        Ok(()) | Err(cards::StepError::Refused(_)) => Ok(()),
        Err(cards::StepError::Db(e)) => Err(Fail::fail(format!("database error: {e}"))),
    }
}

/// The last day of the month of `d`.
fn month_end(d: NaiveDate) -> NaiveDate {
    Month::of(d).next().first_day() - Days::new(1)
}

impl<'c> Sim<'c> {
    pub(super) fn new(conn: &'c mut DbConnection) -> Result<Self, Fail> {
        let mut world = db(World::new(conn))?;
        let mut companies = Vec::new();
        for (name, section) in [
            ("PT Pabrik Binjai", "C"),
            ("CV Dagang", "G"),
            ("PT Kebun", "A"),
        ] {
            companies.push(db(world.company(conn, name, section))?);
        }
        let last_fact = db(ipk_facts::table
            .select(diesel::dsl::max(ipk_facts::id))
            .first::<Option<i32>>(conn))?
        .unwrap_or(0);
        Ok(Self {
            conn,
            world,
            now: start(),
            seekers: Vec::new(),
            companies,
            vacancies: Vec::new(),
            closed: BTreeMap::new(),
            last_fact,
            imported: 0,
        })
    }

    /// The Binjai date of the simulated moment, worked out by the test.
    pub(super) fn today(&self) -> NaiveDate {
        wib_date(self.now)
    }

    /// The date a handler passes to the model functions: `calendar::today()` at the
    /// simulated moment. The facts are checked against [`Self::today`].
    fn portal_today(&self) -> NaiveDate {
        sibuser::domain::calendar::date_of(self.now)
    }

    fn advance(&mut self, when: &When) {
        let today = self.today();
        let next = match when {
            When::Minutes(m) => self.now + Duration::minutes(i64::from(*m)),
            When::Days(d) => self.now + Duration::days(i64::from(*d)),
            When::LastMinuteOfMonth => wib(month_end(today), 23, 59).max(self.now),
            When::FirstMinuteOfNextMonth => wib(Month::of(today).next().first_day(), 0, 1),
        };
        if wib_date(next) <= last_day() {
            self.now = next;
        }
    }

    fn seeker(&self, i: &Index) -> Option<&Seeker> {
        if self.seekers.is_empty() {
            return None;
        }
        Some(&self.seekers[i.index(self.seekers.len())]).filter(|s| !s.erased)
    }

    /// The vacancy `i` picks, as it stands.
    fn vacancy(&mut self, i: &Index) -> Result<Option<Vacancy>, Fail> {
        if self.vacancies.is_empty() {
            return Ok(None);
        }
        let id = self.vacancies[i.index(self.vacancies.len())];
        let v = db(sibuser::vacancies::find(self.conn, id))?
            .ok_or_else(|| Fail::fail(format!("vacancy {id} vanished")))?;
        Ok(Some(v))
    }

    fn open_card(&mut self, seeker: JobSeekerId) -> Result<Option<cards::Card>, Fail> {
        Ok(db(cards::cards_of(self.conn, seeker))?
            .into_iter()
            .find(|c| c.status().is_open()))
    }

    fn new_seeker(&mut self, person: &Person) -> Result<JobSeekerId, Fail> {
        let name = format!("Pencari Kerja {}", self.seekers.len() + 1);
        let (user, id) = db(self.world.seeker(self.conn, &name, person))?;
        self.seekers.push(Seeker {
            user,
            id,
            name,
            erased: false,
        });
        Ok(id)
    }

    fn card_step(&self) -> CardStep<'static> {
        CardStep {
            on: self.portal_today(),
            actor: Some(self.world.staff),
            note: None,
        }
    }

    fn apply(&mut self, op: &Op) -> Result<(), Fail> {
        let today = self.portal_today();
        let now = self.now;
        match op {
            Op::NewSeeker(p) => {
                self.new_seeker(p)?;
            }
            Op::Issue(i) => {
                if let Some(s) = self.seeker(i) {
                    let id = s.id;
                    step_ok(self.world.issue(self.conn, id, today).map(|_| ()))?;
                }
            }
            Op::EditProfile(i, p) => {
                if let Some(s) = self.seeker(i) {
                    let (user, name) = (s.user, s.name.clone());
                    db(save_profile(self.conn, user, &name, p))?;
                }
            }
            Op::Erase(i) => {
                if let Some(s) = self.seeker(i) {
                    let user = s.user;
                    let at = i.index(self.seekers.len());
                    db(sibuser::seekers::own_data::anonymise(
                        self.conn, user, today,
                    ))?;
                    self.seekers[at].erased = true;
                }
            }
            Op::Withdraw(i) | Op::Report(i) => {
                let Some(id) = self.seeker(i).map(|s| s.id) else {
                    return Ok(());
                };
                if let Some(card) = self.open_card(id)? {
                    let step = self.card_step();
                    step_ok(match op {
                        Op::Withdraw(_) => cards::withdraw(self.conn, card.id, step),
                        _ => cards::report(self.conn, card.id, step),
                    })?;
                }
            }
            Op::PastCard {
                person,
                days_back,
                end,
                end_at,
            } => self.past_card(person, *days_back, *end, *end_at)?,
            Op::Publish {
                company,
                education,
                kbji,
                away,
                quotas,
                closes_in,
                at_once,
            } => {
                let company = self.companies[company.index(self.companies.len())];
                let opening = Opening {
                    education: *education,
                    kbji,
                    regency: if *away { "14.71" } else { "12.75" },
                    quotas: *quotas,
                    closes_on: today + Days::new(u64::from(*closes_in)),
                };
                let id = db(self.world.vacancy(self.conn, company, &opening))?;
                self.vacancies.push(id);
                if *at_once {
                    db(self.world.publish(self.conn, id, now))?;
                }
            }
            Op::EditQuotas {
                vacancy,
                quotas,
                republish,
            } => {
                let Some(v) = self.vacancy(vacancy)? else {
                    return Ok(());
                };
                if v.status().editable()
                    && db(self.world.change_quotas(self.conn, v.id, *quotas, now))?
                    && *republish
                {
                    db(self.world.publish(self.conn, v.id, now))?;
                }
            }
            Op::Decide { vacancy, publish } => {
                let Some(v) = self.vacancy(vacancy)? else {
                    return Ok(());
                };
                if v.status() == VacancyStatus::Submitted {
                    if *publish {
                        db(self.world.publish(self.conn, v.id, now))?;
                    } else {
                        db(sibuser::vacancies::decide(
                            self.conn,
                            v.id,
                            v.revision,
                            VacancyStatus::Rejected,
                            None,
                            self.world.staff,
                            now,
                        ))?;
                    }
                }
            }
            Op::Fill {
                vacancy,
                male,
                female,
            } => {
                let Some(v) = self.vacancy(vacancy)? else {
                    return Ok(());
                };
                // As the employer's form: after publication, while shown or once ended.
                let fillable = matches!(
                    v.status(),
                    VacancyStatus::Published | VacancyStatus::Closed | VacancyStatus::Expired
                );
                if fillable && sibuser::vacancies::check_fill(&v, *male, *female).is_none() {
                    db(sibuser::vacancies::record_filled(
                        self.conn,
                        &v,
                        *male,
                        *female,
                        self.world.staff,
                        now,
                    ))?;
                }
            }
            Op::CloseVacancy(vacancy) => {
                let Some(v) = self.vacancy(vacancy)? else {
                    return Ok(());
                };
                if v.status() == VacancyStatus::Published {
                    db(sibuser::vacancies::set_status(
                        self.conn,
                        v.id,
                        VacancyStatus::Closed,
                        None,
                        Some(self.world.staff),
                        now,
                    ))?;
                }
            }
            Op::Hire {
                seeker,
                vacancy,
                start,
            } => self.hire(seeker, vacancy, *start)?,
            Op::PlaceAtCounter {
                seeker,
                start,
                kind,
            } => {
                let Some(id) = self.seeker(seeker).map(|s| s.id) else {
                    return Ok(());
                };
                let start = today + Duration::days(i64::from(*start));
                db(self
                    .world
                    .place_at_counter(self.conn, id, *kind, start, today))?;
            }
            Op::ChangeKbli { company, code } => {
                let company = self.companies[company.index(self.companies.len())];
                let codes = sibuser::employers::kbli::KbliCodes {
                    primary: sibuser::employers::kbli::parse_kelompok(code)
                        .ok_or_else(|| Fail::fail(format!("{code} is no KBLI code")))?,
                    others: Vec::new(),
                };
                db(sibuser::employers::kbli::record(
                    self.conn,
                    company,
                    Some(&codes),
                    today,
                    None,
                ))?;
            }
            Op::DailyJobs => {
                sibuser::seekers::ak1::jobs::run_daily(self.conn, today, "http://sibuser.test")
                    .map_err(|e| Fail::fail(format!("the daily card job: {e}")))?;
                db(sibuser::vacancies::expire_due(self.conn, today))?;
            }
            Op::CloseMonth(back) => {
                let mut month = Month::of(today);
                for _ in 0..*back {
                    month = month.previous();
                }
                let closed = db(sibuser::ipk::period::close(
                    self.conn,
                    month,
                    Some(self.world.staff),
                    today,
                    now,
                ))?;
                if closed.is_ok() {
                    let tables = db(Tables::of(self.conn, month, month))?;
                    self.closed.insert(month, tables);
                }
            }
        }
        Ok(())
    }

    fn past_card(
        &mut self,
        person: &Person,
        days_back: u16,
        end: PastEnd,
        end_at: u8,
    ) -> Result<(), Fail> {
        use sibuser::seekers::ak1::rules;
        let today = self.portal_today();
        let issued_on = today - Days::new(u64::from(days_back));
        let valid_until = rules::valid_until(issued_on);
        let expiry = valid_until + Days::new(1);
        let within = |to: NaiveDate| {
            let span = (to - issued_on).num_days().max(0);
            issued_on + Duration::days(span * i64::from(end_at) / 100)
        };
        let (status, ended_on) = match end {
            PastEnd::Active | PastEnd::Expired if expiry <= today => {
                (Status::Expired, Some(expiry))
            }
            PastEnd::Active | PastEnd::Expired => (Status::Active, None),
            PastEnd::Placed => (Status::Placed, Some(within(today.min(valid_until)))),
            PastEnd::Lapsed => (Status::Lapsed, Some(within(today.min(valid_until)))),
            PastEnd::Withdrawn => (Status::Withdrawn, Some(within(today.min(valid_until)))),
        };
        self.imported += 1;
        let number = rules::card_number(issued_on.year(), 500_000 + self.imported)
            .ok_or_else(|| Fail::fail("no card number"))?;
        let seeker = self.new_seeker(person)?;
        let card = PastCard {
            number,
            issued_on,
            status,
            ended_on,
        };
        db(cards::record_past(self.conn, seeker, &card, None, today))?;
        Ok(())
    }

    fn hire(&mut self, seeker: &Index, vacancy: &Index, start: i16) -> Result<(), Fail> {
        use sibuser::applications::model::{self as applications, Error, Move};
        let (today, now) = (self.portal_today(), self.now);
        let Some((seeker, user)) = self.seeker(seeker).map(|s| (s.id, s.user)) else {
            return Ok(());
        };
        let Some(v) = self.vacancy(vacancy)? else {
            return Ok(());
        };
        let refused = |e: Error| match e {
            Error::Refused(_) => Ok(None),
            Error::Db(e) => Err(Fail::fail(format!("database error: {e}"))),
        };
        let app = match applications::apply(self.conn, seeker, &v, None, user, today) {
            Ok(id) => Some(id),
            Err(e) => refused(e)?,
        };
        let Some(app) = app else {
            return Ok(());
        };
        let app = db(applications::find(self.conn, app))?
            .ok_or_else(|| Fail::fail("an application vanished"))?;
        let moved = applications::move_to(
            self.conn,
            &app,
            &Move {
                to: Stage::Accepted,
                note: None,
                actor: self.world.staff,
                start_date: today + Duration::days(i64::from(start)),
                now,
                base_url: "http://sibuser.test",
            },
        );
        match moved {
            Ok(()) => Ok(()),
            Err(e) => refused(e).map(|_| ()),
        }
    }

    /// The facts the last step wrote: each dated on the step's Binjai day (or, for an end
    /// or a placement dated earlier, not after it), and counted in its own month or, as a
    /// correction, in the current one; never in or before a month signed off.
    fn check_new_facts(&mut self, op: &Op, closed_before: &BTreeSet<Month>) -> Result<(), Fail> {
        let today = self.today();
        let facts: Vec<(i32, String, NaiveDate, i32, bool)> = db(ipk_facts::table
            .filter(ipk_facts::id.gt(self.last_fact))
            .order(ipk_facts::id)
            .select((
                ipk_facts::id,
                ipk_facts::flow,
                ipk_facts::occurred_on,
                ipk_facts::period,
                ipk_facts::correction,
            ))
            .load(self.conn))?;
        let dated_today = matches!(
            op,
            Op::Issue(_)
                | Op::Erase(_)
                | Op::Withdraw(_)
                | Op::Publish { .. }
                | Op::EditQuotas { .. }
                | Op::Decide { .. }
                | Op::Fill { .. }
                | Op::CloseVacancy(_)
        );
        let latest_closed = closed_before.iter().next_back().copied();
        for (id, flow, on, period, correction) in facts {
            let what = format!(
                "fact {id} ({flow}, dated {on}, counted in {period}, correction {correction}) \
                 written by {op:?} on {today} at {} UTC",
                self.now
            );
            prop_assert!(on <= today, "dated after the day it happened: {}", what);
            if dated_today || flow == "vacancy_filled" {
                prop_assert_eq!(on, today, "not dated on the Binjai day: {}", what);
            }
            if correction {
                // In the current month, or in a later month its subject entered in.
                prop_assert!(
                    Month::of(on).key() < period && period <= Month::of(today).key(),
                    "a correction is counted after its own month, by the current one: {}",
                    what
                );
            } else {
                prop_assert_eq!(
                    period,
                    Month::of(on).key(),
                    "not in its own month: {}",
                    what
                );
            }
            if let Some(closed) = latest_closed {
                prop_assert!(
                    period > closed.key(),
                    "counted in or before {}, signed off: {}",
                    closed,
                    what
                );
            }
            self.last_fact = id;
        }
        Ok(())
    }

    pub(super) fn play(&mut self, steps: &[Step]) -> Result<(), Fail> {
        for step in steps {
            self.advance(&step.when);
            let closed_before: BTreeSet<Month> = self.closed.keys().copied().collect();
            self.apply(&step.op)?;
            self.check_new_facts(&step.op, &closed_before)?;
        }
        self.check_tables()
    }
}
