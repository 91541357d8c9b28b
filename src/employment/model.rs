//! The `employed_residents` table.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::code::stored_code;
use crate::domain::ids::{CompanyId, EmploymentId, PersonId, PlacementId};
use crate::domain::{KbjiCode, KbliCode};
use crate::people;
use crate::schema::employed_residents;

stored_code! {
    /// How the Dinas learnt of the job.
    pub enum Source in "ref_employment_source" {
        /// A placement recorded on the portal.
        Placement = "placement",
        /// A list an employer or another office gave the Dinas.
        Import = "import",
        /// A JKP recipient's re-employment, recorded by an operator.
        Jkp = "jkp",
        /// The national side.
        National = "national",
    }
}

impl Source {
    /// The source the person's own record is credited to when a job names them.
    fn person_source(self) -> people::Source {
        match self {
            Self::Placement => people::Source::Portal,
            Self::Import => people::Source::Import,
            Self::Jkp => people::Source::Counter,
            Self::National => people::Source::National,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = employed_residents)]
pub struct Job {
    pub id: EmploymentId,
    pub person_id: PersonId,
    pub employer_name: String,
    pub employer_nib: Option<String>,
    pub company_id: Option<CompanyId>,
    pub job_title: String,
    pub kbji_code: Option<KbjiCode>,
    pub kbli_code: Option<KbliCode>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub source: Source,
    pub placement_id: Option<PlacementId>,
    pub recorded_at: NaiveDateTime,
}

/// A job as a source tells it.
#[derive(Debug, Clone, Copy)]
pub struct NewJob<'a> {
    pub person_id: PersonId,
    pub employer_name: &'a str,
    pub employer_nib: Option<&'a str>,
    pub company_id: Option<CompanyId>,
    pub job_title: &'a str,
    pub kbji_code: Option<&'a KbjiCode>,
    pub kbli_code: Option<&'a KbliCode>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub source: Source,
    pub placement_id: Option<PlacementId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub id: EmploymentId,
    /// False when the person's job was known already (the same list imported again, or a
    /// list naming a job a placement recorded).
    pub created: bool,
}

/// The job as two sources naming it would both spell it: employer (NIB, else name), title
/// and start, in lower case. The migration that made the table builds the same key in SQL.
fn job_key(job: &NewJob) -> String {
    let employer = job.employer_nib.unwrap_or(job.employer_name);
    format!(
        "{}|{}|{}",
        employer.trim().to_ascii_lowercase(),
        job.job_title.trim().to_ascii_lowercase(),
        job.started_on
    )
}

pub(crate) fn reference(id: EmploymentId) -> String {
    format!("employed:{id}")
}

/// Records the job once per person: a job already known is left as it is, except that an
/// end date given later is kept.
pub fn record(conn: &mut DbConnection, job: &NewJob, now: NaiveDateTime) -> QueryResult<Recorded> {
    let key = job_key(job);
    conn.transaction(|conn| {
        let known: Option<(EmploymentId, Option<NaiveDate>)> = employed_residents::table
            .filter(employed_residents::person_id.eq(job.person_id))
            .filter(employed_residents::job_key.eq(&key))
            .select((employed_residents::id, employed_residents::ended_on))
            .first(conn)
            .optional()?;
        if let Some((id, ended_on)) = known {
            if ended_on.is_none() && job.ended_on.is_some() {
                diesel::update(employed_residents::table.find(id))
                    .set(employed_residents::ended_on.eq(job.ended_on))
                    .execute(conn)?;
            }
            return Ok(Recorded { id, created: false });
        }
        let id: EmploymentId = diesel::insert_into(employed_residents::table)
            .values((
                employed_residents::person_id.eq(job.person_id),
                employed_residents::employer_name.eq(job.employer_name.trim()),
                employed_residents::employer_nib.eq(job.employer_nib),
                employed_residents::company_id.eq(job.company_id),
                employed_residents::job_title.eq(job.job_title.trim()),
                employed_residents::kbji_code.eq(job.kbji_code),
                employed_residents::kbli_code.eq(job.kbli_code),
                employed_residents::started_on.eq(job.started_on),
                employed_residents::ended_on.eq(job.ended_on),
                employed_residents::source.eq(job.source),
                employed_residents::placement_id.eq(job.placement_id),
                employed_residents::job_key.eq(&key),
                employed_residents::recorded_at.eq(now),
            ))
            .returning(employed_residents::id)
            .get_result(conn)?;
        people::model::note_origin(
            conn,
            job.person_id,
            job.source.person_source(),
            &reference(id),
            now,
        )?;
        Ok(Recorded { id, created: true })
    })
}

/// The person's jobs, latest start first.
pub fn jobs_of(conn: &mut DbConnection, person: PersonId) -> QueryResult<Vec<Job>> {
    employed_residents::table
        .filter(employed_residents::person_id.eq(person))
        .order((
            employed_residents::started_on.desc(),
            employed_residents::id.desc(),
        ))
        .select(Job::as_select())
        .load(conn)
}

/// Deletes these jobs of the person, and the origins they gave the person.
pub(crate) fn delete(conn: &mut DbConnection, jobs: &[EmploymentId]) -> QueryResult<()> {
    for id in jobs {
        let person: Option<PersonId> = employed_residents::table
            .find(*id)
            .select(employed_residents::person_id)
            .first(conn)
            .optional()?;
        diesel::delete(employed_residents::table.find(*id)).execute(conn)?;
        if let Some(person) = person {
            people::forget_origin(conn, person, &reference(*id))?;
        }
    }
    Ok(())
}
