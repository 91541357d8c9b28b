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
    key_of(
        job.employer_nib,
        job.employer_name,
        job.job_title,
        job.started_on,
    )
}

fn key_of(
    employer_nib: Option<&str>,
    employer_name: &str,
    job_title: &str,
    started_on: NaiveDate,
) -> String {
    let employer = employer_nib.unwrap_or(employer_name);
    format!(
        "{}|{}|{}",
        employer.trim().to_ascii_lowercase(),
        job_title.trim().to_ascii_lowercase(),
        started_on
    )
}

pub(crate) fn reference(id: EmploymentId) -> String {
    format!("employed:{id}")
}

/// Records the job once per person: a job already known is left as it is, except that an
/// end date given later is kept.
pub fn record(conn: &mut DbConnection, job: &NewJob, now: NaiveDateTime) -> QueryResult<Recorded> {
    let key = job_key(job);
    crate::db::transaction(conn, |conn| {
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
        let id = insert(conn, job, &key, now)?;
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

fn insert(
    conn: &mut DbConnection,
    job: &NewJob,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<EmploymentId> {
    diesel::insert_into(employed_residents::table)
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
            employed_residents::job_key.eq(key),
            employed_residents::recorded_at.eq(now),
        ))
        .returning(employed_residents::id)
        .get_result(conn)
}

/// The origin a list's job leaves on the person it names: the job as the list spells it
/// (its key), since the person is recorded before the job's row exists.
pub(crate) fn listed_reference(key: &str) -> String {
    format!("employed:{key}")
}

/// A job from a list (an employer's, the national side's), with the person as the list
/// names them.
#[derive(Debug, Clone, Copy)]
pub struct ListedJob<'a> {
    pub person: people::Facts<'a>,
    pub employer_name: &'a str,
    pub employer_nib: Option<&'a str>,
    /// The head office on the portal with that NIB, if any.
    pub company_id: Option<CompanyId>,
    pub job_title: &'a str,
    pub kbji_code: Option<&'a KbjiCode>,
    pub kbli_code: Option<&'a KbliCode>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// `Import` or `National`.
    pub source: Source,
}

/// What recording a listed job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Created(EmploymentId),
    /// The job was known; the list filled in or corrected it, or the person's facts.
    Updated(EmploymentId),
    Unchanged(EmploymentId),
}

type KnownJob = (
    EmploymentId,
    Option<NaiveDate>,
    Option<KbjiCode>,
    Option<KbliCode>,
    Option<CompanyId>,
    Source,
);

/// Records a listed job inside a transaction the caller holds (a bulk import's): the person
/// found or made by NIK (`people::record_within`, so a resident already known as a job
/// seeker or a JKP recipient is not made twice), and the job once per person. A job already
/// known gets what the list adds: an end date, codes and the company where it had none;
/// where the job came from the same kind of list, the list's end date and codes replace
/// the earlier ones. The same list again changes nothing.
pub fn record_listed_within(
    conn: &mut DbConnection,
    listed: &ListedJob,
    now: NaiveDateTime,
) -> QueryResult<Listed> {
    let source = listed.source;
    let key = key_of(
        listed.employer_nib,
        listed.employer_name,
        listed.job_title,
        listed.started_on,
    );
    let person = people::model::record_within(
        conn,
        &listed.person,
        source.person_source(),
        &listed_reference(&key),
        now,
    )?;
    // A person made just now has no job yet.
    let known: Option<KnownJob> = if person.created {
        None
    } else {
        employed_residents::table
            .filter(employed_residents::person_id.eq(person.id))
            .filter(employed_residents::job_key.eq(&key))
            .select((
                employed_residents::id,
                employed_residents::ended_on,
                employed_residents::kbji_code,
                employed_residents::kbli_code,
                employed_residents::company_id,
                employed_residents::source,
            ))
            .first(conn)
            .optional()?
    };
    let Some((id, ended_on, kbji, kbli, company, known_source)) = known else {
        let job = NewJob {
            person_id: person.id,
            employer_name: listed.employer_name,
            employer_nib: listed.employer_nib,
            company_id: listed.company_id,
            job_title: listed.job_title,
            kbji_code: listed.kbji_code,
            kbli_code: listed.kbli_code,
            started_on: listed.started_on,
            ended_on: listed.ended_on,
            source,
            placement_id: None,
        };
        return insert(conn, &job, &key, now).map(Listed::Created);
    };
    // The list's word wins over a blank, and over an earlier list of its kind.
    let same_source = known_source == source;
    fn pick<T: Clone>(given: Option<&T>, known: Option<T>, replace: bool) -> Option<T> {
        match (given, known) {
            (Some(g), None) => Some(g.clone()),
            (Some(g), Some(_)) if replace => Some(g.clone()),
            (_, k) => k,
        }
    }
    let new_ended = pick(listed.ended_on.as_ref(), ended_on, same_source);
    let new_kbji = pick(listed.kbji_code, kbji.clone(), same_source);
    let new_kbli = pick(listed.kbli_code, kbli.clone(), same_source);
    let new_company = company.or(listed.company_id);
    if (new_ended, &new_kbji, &new_kbli, new_company) == (ended_on, &kbji, &kbli, company) {
        return Ok(if person.updated {
            Listed::Updated(id)
        } else {
            Listed::Unchanged(id)
        });
    }
    diesel::update(employed_residents::table.find(id))
        .set((
            employed_residents::ended_on.eq(new_ended),
            employed_residents::kbji_code.eq(new_kbji),
            employed_residents::kbli_code.eq(new_kbli),
            employed_residents::company_id.eq(new_company),
        ))
        .execute(conn)?;
    Ok(Listed::Updated(id))
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

/// Deletes these jobs of the person, and the origins they gave the person (a list that
/// named the same job left one by its key).
pub(crate) fn delete(conn: &mut DbConnection, jobs: &[EmploymentId]) -> QueryResult<()> {
    for id in jobs {
        let known: Option<(PersonId, String)> = employed_residents::table
            .find(*id)
            .select((employed_residents::person_id, employed_residents::job_key))
            .first(conn)
            .optional()?;
        diesel::delete(employed_residents::table.find(*id)).execute(conn)?;
        if let Some((person, key)) = known {
            people::forget_origin(conn, person, &reference(*id))?;
            if people::find(conn, person)?.is_some() {
                people::forget_origin(conn, person, &listed_reference(&key))?;
            }
        }
    }
    Ok(())
}
