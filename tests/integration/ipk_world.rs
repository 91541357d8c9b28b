//! What the IPK tests build on: job seekers, companies and vacancies made through the model
//! functions at chosen Binjai dates and times, and every IPK table of a period in one value
//! that can be compared, summed and checked cell by cell.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::QueryResult;
use sibuser::applications::placement::{self, Kind, NewPlacement};
use sibuser::db::DbConnection;
use sibuser::domain::ids::{
    Ak1CardId, CompanyId, JobSeekerId, JobTitleId, PlacementId, UserId, VacancyId,
};
use sibuser::domain::{AgeGroup, Email, KbjiCode, KbliCode, Role, Sex};
use sibuser::ipk::Month;
use sibuser::ipk::tables::{self as t, BySex, Cell, Count, InterWorkRow};
use sibuser::seekers::ak1::model::{self as cards, Step};
use sibuser::vacancies::{EmploymentType, VacancyContent, VacancyStatus};

/// A calendar date (the tests' literals are all valid).
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The stored (UTC) moment of a Binjai wall-clock time: WIB is UTC+7 all year, so 00:01
/// WIB on the 1st is 17:01 UTC on the last day of the month before.
pub fn wib(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, minute, 0).expect("a valid time") - chrono::Duration::hours(7)
}

/// The Binjai date of a stored moment, worked out here rather than by the code under test.
pub fn wib_date(at: NaiveDateTime) -> NaiveDate {
    (at + chrono::Duration::hours(7)).date()
}

/// What the IPK tables count a job seeker by, as the profile form takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub sex: Sex,
    pub birth: NaiveDate,
    /// The education level's code (`reference::education`).
    pub education: i16,
    /// The KBJI code of the job sought.
    pub kbji: &'static str,
    pub kelurahan: &'static str,
}

/// A vacancy as the employer's form gives it: what the tables group it by, and its
/// positions by sex (men, women, either).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub education: i16,
    pub kbji: &'static str,
    pub regency: &'static str,
    pub quotas: (i32, i32, i32),
    pub closes_on: NaiveDate,
}

/// The acting staff and the counters that keep e-mails and NIBs apart.
pub struct World {
    pub staff: UserId,
    made: u32,
}

impl World {
    /// A member of staff who registers, verifies and records for everyone.
    pub fn new(conn: &mut DbConnection) -> QueryResult<Self> {
        let email = Email::parse("petugas.ipk@contoh.example").expect("an e-mail");
        let staff = sibuser::accounts::create_user(
            conn,
            &sibuser::accounts::NewUser::staff(
                &email,
                "Petugas IPK",
                "!invited",
                &[Role::Operator, Role::Verifier],
            ),
        )?;
        Ok(Self { staff, made: 0 })
    }

    fn next(&mut self) -> u32 {
        self.made += 1;
        self.made
    }

    /// A resident's account and job-seeker profile.
    pub fn seeker(
        &mut self,
        conn: &mut DbConnection,
        name: &str,
        person: &Person,
    ) -> QueryResult<(UserId, JobSeekerId)> {
        let n = self.next();
        let email = Email::parse(&format!("pencaker{n}@contoh.example")).expect("an e-mail");
        let user = sibuser::accounts::create_user(
            conn,
            &sibuser::accounts::NewUser::staff(&email, name, "!invited", &[Role::JobSeeker]),
        )?;
        save_profile(conn, user, name, person)?;
        let profile = sibuser::seekers::find_by_user(conn, user)?.ok_or(diesel::NotFound)?;
        Ok((user, profile.id))
    }

    /// A verified company declaring KBLI section `section`.
    pub fn company(
        &mut self,
        conn: &mut DbConnection,
        name: &str,
        section: &str,
    ) -> QueryResult<CompanyId> {
        let nib = format!("91200{:08}", self.next());
        let kbli = KbliCode::parse(section).expect("a KBLI section");
        let id = sibuser::employers::create_company(
            conn,
            &sibuser::employers::NewCompany {
                name,
                nib: Some(&nib),
                npwp: None,
                kbli_section: &kbli,
                address: "Jl. Jenderal Sudirman 1",
                kelurahan_code: Some("12.75.02.1006"),
                regency_code: "12.75",
            },
        )?;
        sibuser::employers::set_status(
            conn,
            id,
            sibuser::employers::VerificationStatus::Verified,
            None,
            Some(self.staff),
        )?;
        Ok(id)
    }

    /// A vacancy sent for review (it counts from the day it is published).
    pub fn vacancy(
        &self,
        conn: &mut DbConnection,
        company: CompanyId,
        opening: &Opening,
    ) -> QueryResult<VacancyId> {
        let kbji = KbjiCode::parse(opening.kbji).expect("a KBJI code");
        let content = VacancyContent {
            title: format!("Lowongan {}", opening.kbji),
            job_title_id: job_title(conn, opening.kbji)?,
            kbji_code: kbji,
            description: "Bekerja penuh waktu di Binjai dan sekitarnya.".into(),
            requirements: "Jujur dan teliti.".into(),
            education_min: opening.education,
            field_of_study: None,
            experience_months: 0,
            skills: String::new(),
            employment_type: EmploymentType::Pkwt,
            kelurahan_code: opening
                .regency
                .eq("12.75")
                .then(|| "12.75.02.1006".to_owned()),
            regency_code: opening.regency.to_owned(),
            wage_min: None,
            wage_max: None,
            show_wage: false,
            quota_male: opening.quotas.0,
            quota_female: opening.quotas.1,
            quota_any: opening.quotas.2,
            disability_friendly: false,
            age_min: None,
            age_max: None,
            age_reason: None,
            opens_on: opening.closes_on - Days::new(60),
            closes_on: opening.closes_on,
        };
        sibuser::vacancies::create(
            conn,
            company,
            &content,
            VacancyStatus::Submitted,
            self.staff,
        )
    }

    /// The verifier publishes the vacancy waiting for review at `now`, as the review page
    /// allows: not once its closing date has passed.
    pub fn publish(
        &self,
        conn: &mut DbConnection,
        id: VacancyId,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let v = sibuser::vacancies::find(conn, id)?.ok_or(diesel::NotFound)?;
        if v.closes_on < wib_date(now) {
            return Ok(false);
        }
        sibuser::vacancies::decide(
            conn,
            id,
            v.revision,
            VacancyStatus::Published,
            None,
            self.staff,
            now,
        )
    }

    /// The employer changes the positions of a published vacancy at `now`: it goes back to
    /// review, as the employer's form sends it.
    pub fn change_quotas(
        &self,
        conn: &mut DbConnection,
        id: VacancyId,
        quotas: (i32, i32, i32),
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let read = sibuser::vacancies::find(conn, id)?.ok_or(diesel::NotFound)?;
        let content = VacancyContent {
            quota_male: quotas.0,
            quota_female: quotas.1,
            quota_any: quotas.2,
            ..VacancyContent::from(&read)
        };
        let next = match read.status() {
            VacancyStatus::Published | VacancyStatus::Submitted => Some(VacancyStatus::Submitted),
            _ => None,
        };
        sibuser::vacancies::revise(conn, &read, &content, next, self.staff, now)
    }

    /// An operator records at the counter, on `today`, that the seeker started work on
    /// `start` with an employer outside the portal whose section was not given (as a
    /// placement recorded before the counter asked for it).
    pub fn place_at_counter(
        &self,
        conn: &mut DbConnection,
        seeker: JobSeekerId,
        kind: Kind,
        start: NaiveDate,
        today: NaiveDate,
    ) -> QueryResult<PlacementId> {
        placement::record(
            conn,
            &NewPlacement {
                job_seeker_id: seeker,
                application_id: None,
                vacancy_id: None,
                company_id: None,
                employer_name: "Usaha di luar portal",
                job_title: "Staf",
                job_title_id: None,
                kbji_code: None,
                kind,
                start_date: start,
                monthly_wage: None,
                recorded_by: Some(self.staff),
                kbli_section: None,
            },
            today,
        )
    }

    /// An operator issues the seeker's card at the counter on `on`.
    pub fn issue(
        &self,
        conn: &mut DbConnection,
        seeker: JobSeekerId,
        on: NaiveDate,
    ) -> Result<Ak1CardId, cards::StepError> {
        let step = Step {
            on,
            actor: Some(self.staff),
            note: None,
        };
        cards::issue_at_counter(conn, seeker, step).map(|(id, _)| id)
    }
}

/// Saves the profile as the profile form would, with `person`'s facts.
pub fn save_profile(
    conn: &mut DbConnection,
    user: UserId,
    name: &str,
    person: &Person,
) -> QueryResult<()> {
    let profile = sibuser::seekers::forms::ValidProfile {
        full_name: name.to_owned(),
        phone: None,
        nik: None,
        sex: Some(person.sex.code()),
        birth_place: Some("Binjai".into()),
        birth_date: Some(person.birth),
        marital_status: None,
        religion: None,
        address: Some("Jl. Samanhudi 10".into()),
        kelurahan_code: Some(person.kelurahan.to_owned()),
        regency_code: Some("12.75".into()),
        education_level: Some(person.education),
        field_of_study: None,
        skills: String::new(),
        desired_job_title_id: job_title(conn, person.kbji)?,
        desired_wage: None,
        disability: None,
    };
    sibuser::seekers::save(conn, user, &profile)
}

/// The first stored job title with this KBJI code.
pub fn job_title(conn: &mut DbConnection, kbji: &str) -> QueryResult<Option<JobTitleId>> {
    Ok(sibuser::reference::job_titles(conn)?
        .into_iter()
        .find(|(_, code, _, _)| code.as_str() == kbji)
        .map(|(id, ..)| id))
}

/// A stock-flow table: its rows and its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows<K> {
    pub rows: BTreeMap<K, BySex>,
    pub total: BySex,
}

impl<K> From<t::StockFlow<K>> for Rows<K> {
    fn from(table: t::StockFlow<K>) -> Self {
        Self {
            rows: table.rows,
            total: table.total,
        }
    }
}

/// Cells added up, row by row.
pub fn sum<'a>(rows: impl IntoIterator<Item = &'a BySex>) -> BySex {
    let mut total = BySex::default();
    for row in rows {
        for (a, b) in [
            (&mut total.male, row.male),
            (&mut total.female, row.female),
            (&mut total.either, row.either),
        ] {
            add(a, &b);
        }
    }
    total
}

fn add(a: &mut Cell, b: &Cell) {
    a.carried += b.carried;
    a.registered += b.registered;
    a.placed += b.placed;
    a.removed += b.removed;
}

/// Every IPK table of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    /// III/1 part I: job seekers by age group.
    pub seekers_by_age: Rows<Option<AgeGroup>>,
    /// III/1 part II: vacant positions.
    pub positions: BySex,
    /// III/2.
    pub seekers_by_education: Rows<Option<i16>>,
    /// III/3.
    pub seekers_by_kbji: Rows<Option<String>>,
    /// III/4.
    pub positions_by_education: Rows<Option<i16>>,
    /// III/5.
    pub positions_by_kbji: Rows<Option<String>>,
    /// III/6.
    pub positions_by_kbli: Rows<Option<String>>,
    /// III/7.
    pub placements_by_kbli: BTreeMap<Option<String>, Count>,
    /// III/8.
    pub placements_by_inter_work: BTreeMap<InterWorkRow, Count>,
}

impl Tables {
    /// III/1 to III/8 for the months `from..=to`.
    pub fn of(conn: &mut DbConnection, from: Month, to: Month) -> QueryResult<Self> {
        Ok(Self {
            seekers_by_age: t::seekers_by_age(conn, from, to)?.into(),
            positions: t::positions(conn, from, to)?,
            seekers_by_education: t::seekers_by_education(conn, from, to)?.into(),
            seekers_by_kbji: t::seekers_by_kbji(conn, from, to)?.into(),
            positions_by_education: t::positions_by_education(conn, from, to)?.into(),
            positions_by_kbji: t::positions_by_kbji(conn, from, to)?.into(),
            positions_by_kbli: t::positions_by_kbli(conn, from, to)?.into(),
            placements_by_kbli: t::placements_by_kbli(conn, from, to)?,
            placements_by_inter_work: t::placements_by_inter_work(conn, from, to)?,
        })
    }

    /// Every stock-flow table, III/1 part II as a table of one row, walked alike.
    pub fn stock_tables(&self) -> Vec<Named> {
        let part_two = Rows {
            rows: BTreeMap::from([((), self.positions)]),
            total: self.positions,
        };
        vec![
            named("III/1", &self.seekers_by_age, false),
            named("III/2", &self.seekers_by_education, false),
            named("III/3", &self.seekers_by_kbji, false),
            named("III/1 II", &part_two, true),
            named("III/4", &self.positions_by_education, true),
            named("III/5", &self.positions_by_kbji, true),
            named("III/6", &self.positions_by_kbli, true),
        ]
    }
}

/// A stock-flow table of any key: its name, its rows by printed key, its total, and
/// whether it counts positions (or job seekers).
pub struct Named {
    pub name: &'static str,
    pub rows: BTreeMap<String, BySex>,
    pub total: BySex,
    pub of_positions: bool,
}

fn named<K: std::fmt::Debug>(name: &'static str, table: &Rows<K>, of_positions: bool) -> Named {
    Named {
        name,
        rows: table
            .rows
            .iter()
            .map(|(k, v)| (format!("{k:?}"), *v))
            .collect(),
        total: table.total,
        of_positions,
    }
}
