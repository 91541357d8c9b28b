//! The `jkp_recipients` and `jkp_events` tables.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::code::{choice, stored_code};
use crate::domain::ids::{EmploymentId, JkpRecipientId, PersonId, ProgrammeId, UserId, VacancyId};
use crate::people::{self, Facts};
use crate::schema::{jkp_events, jkp_recipients};

stored_code! {
    /// Who sent the list the recipient came on.
    pub enum Source in "ref_jkp_source" {
        /// BPJS Ketenagakerjaan, which pays the benefit.
        Bpjs = "bpjs",
        /// The ministry's side (SIAPkerja).
        National = "national",
    }
}

choice!(
    /// Why the job ended, as the PHK is reported to BPJS Ketenagakerjaan.
    Reason in "ref_jkp_termination_reason" {
        Efficiency => "efficiency", "jkp.reason.efficiency",
        Closure => "closure", "jkp.reason.closure",
        Bankruptcy => "bankruptcy", "jkp.reason.bankruptcy",
        Merger => "merger", "jkp.reason.merger",
        ForceMajeure => "force_majeure", "jkp.reason.force_majeure",
        ContractEnded => "contract_ended", "jkp.reason.contract_ended",
        Other => "other", "jkp.reason.other",
    }
);

choice!(
    /// A step of the Dinas's follow-up.
    EventKind in "ref_jkp_event_kind" {
        Counselled => "counselled", "jkp.event.counselled",
        ReferredVacancy => "referred_vacancy", "jkp.event.referred_vacancy",
        ReferredTraining => "referred_training", "jkp.event.referred_training",
        Reemployed => "reemployed", "jkp.event.reemployed",
    }
);

choice!(
    /// What career counselling (bimbingan jabatan, Permenaker 15/2021) recommended.
    CounsellingResult in "ref_jkp_counselling_result" {
        JobSearch => "job_search", "jkp.result.job_search",
        Training => "training", "jkp.result.training",
        SelfEmployment => "self_employment", "jkp.result.self_employment",
        NotReady => "not_ready", "jkp.result.not_ready",
    }
);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = jkp_recipients)]
pub struct Recipient {
    pub id: JkpRecipientId,
    pub person_id: PersonId,
    pub last_employer_name: String,
    pub last_employer_nib: Option<String>,
    pub terminated_on: NaiveDate,
    pub termination_reason: Reason,
    pub benefit_from: Option<NaiveDate>,
    pub benefit_until: Option<NaiveDate>,
    pub source: Source,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = jkp_events)]
pub struct Event {
    pub id: i32,
    pub recipient_id: JkpRecipientId,
    pub kind: EventKind,
    pub occurred_on: NaiveDate,
    pub officer_user_id: Option<UserId>,
    pub counselling_result: Option<CounsellingResult>,
    pub vacancy_id: Option<VacancyId>,
    pub programme_id: Option<ProgrammeId>,
    pub employment_id: Option<EmploymentId>,
    pub note: Option<String>,
    pub recorded_at: NaiveDateTime,
}

/// A recipient as a list gives them.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    pub person: Facts<'a>,
    pub last_employer_name: &'a str,
    pub last_employer_nib: Option<&'a str>,
    pub terminated_on: NaiveDate,
    pub reason: Reason,
    pub benefit_from: Option<NaiveDate>,
    pub benefit_until: Option<NaiveDate>,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created(JkpRecipientId),
    /// The list named this loss of work already (sent twice, or by both sides).
    Known(JkpRecipientId),
}

/// The person's origin for a recipient record: a person loses a job at most once a day.
fn reference(terminated_on: NaiveDate) -> String {
    format!("jkp:{terminated_on}")
}

/// The person a listing names, found by NIK or made, with the list's facts merged as the
/// sender is trusted.
fn record_person(
    conn: &mut DbConnection,
    listed: &Listed,
    now: NaiveDateTime,
) -> QueryResult<people::model::Recorded> {
    let source = match listed.source {
        Source::Bpjs => people::Source::Import,
        Source::National => people::Source::National,
    };
    people::model::record_within(
        conn,
        &listed.person,
        source,
        &reference(listed.terminated_on),
        now,
    )
}

/// Records a recipient from a list: the person by NIK (made if new, never twice), and the
/// loss of work once. Saying it again changes nothing.
pub fn record_listed(
    conn: &mut DbConnection,
    listed: &Listed,
    now: NaiveDateTime,
) -> QueryResult<Outcome> {
    crate::db::transaction(conn, |conn| record_listed_within(conn, listed, now))
}

/// [`record_listed`] inside a transaction the caller holds: the bulk import's, which writes
/// a whole list at once, all or nothing.
pub fn record_listed_within(
    conn: &mut DbConnection,
    listed: &Listed,
    now: NaiveDateTime,
) -> QueryResult<Outcome> {
    let recorded = record_person(conn, listed, now)?;
    let person = recorded.id;
    // A person made just now has lost no job the portal knows of yet.
    let known: Option<JkpRecipientId> = if recorded.created {
        None
    } else {
        jkp_recipients::table
            .filter(jkp_recipients::person_id.eq(person))
            .filter(jkp_recipients::terminated_on.eq(listed.terminated_on))
            .select(jkp_recipients::id)
            .first(conn)
            .optional()?
    };
    if let Some(id) = known {
        return Ok(Outcome::Known(id));
    }
    let id = diesel::insert_into(jkp_recipients::table)
        .values((
            jkp_recipients::person_id.eq(person),
            jkp_recipients::last_employer_name.eq(listed.last_employer_name.trim()),
            jkp_recipients::last_employer_nib.eq(listed.last_employer_nib),
            jkp_recipients::terminated_on.eq(listed.terminated_on),
            jkp_recipients::termination_reason.eq(listed.reason),
            jkp_recipients::benefit_from.eq(listed.benefit_from),
            jkp_recipients::benefit_until.eq(listed.benefit_until),
            jkp_recipients::source.eq(listed.source),
            jkp_recipients::recorded_at.eq(now),
        ))
        .returning(jkp_recipients::id)
        .get_result(conn)?;
    Ok(Outcome::Created(id))
}

/// Brings a recipient known by the sender's own id up to a corrected listing (the national
/// side sent a new version): the person's facts as `people` merges them, and the loss of
/// work as now listed. The Dinas's follow-up stays.
pub fn correct_listed_within(
    conn: &mut DbConnection,
    id: JkpRecipientId,
    listed: &Listed,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let Some(known) = find(conn, id)? else {
        return Ok(false);
    };
    let recorded = record_person(conn, listed, now)?;
    diesel::update(jkp_recipients::table.find(known.id))
        .set((
            jkp_recipients::person_id.eq(recorded.id),
            jkp_recipients::last_employer_name.eq(listed.last_employer_name.trim()),
            jkp_recipients::last_employer_nib.eq(listed.last_employer_nib),
            jkp_recipients::terminated_on.eq(listed.terminated_on),
            jkp_recipients::termination_reason.eq(listed.reason),
            jkp_recipients::benefit_from.eq(listed.benefit_from),
            jkp_recipients::benefit_until.eq(listed.benefit_until),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn find(conn: &mut DbConnection, id: JkpRecipientId) -> QueryResult<Option<Recipient>> {
    jkp_recipients::table
        .find(id)
        .select(Recipient::as_select())
        .first(conn)
        .optional()
}

pub fn of_person(conn: &mut DbConnection, person: PersonId) -> QueryResult<Vec<Recipient>> {
    jkp_recipients::table
        .filter(jkp_recipients::person_id.eq(person))
        .order(jkp_recipients::terminated_on.desc())
        .select(Recipient::as_select())
        .load(conn)
}

/// The follow-up of these recipients, oldest first.
pub fn events_of(conn: &mut DbConnection, ids: &[JkpRecipientId]) -> QueryResult<Vec<Event>> {
    jkp_events::table
        .filter(jkp_events::recipient_id.eq_any(ids))
        .order((jkp_events::occurred_on, jkp_events::id))
        .select(Event::as_select())
        .load(conn)
}

/// One step of the follow-up, as an operator records it.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub on: NaiveDate,
    pub officer: UserId,
    pub note: Option<&'a str>,
}

#[derive(Debug, Clone, Copy)]
pub enum FollowUp<'a> {
    Counselled(CounsellingResult),
    ReferredVacancy(VacancyId),
    ReferredTraining(ProgrammeId),
    Reemployed {
        employer_name: &'a str,
        employer_nib: Option<&'a str>,
        job_title: &'a str,
    },
}

/// Records a step of the follow-up. A re-employment also lands in the register of employed
/// residents.
pub fn follow_up(
    conn: &mut DbConnection,
    recipient: &Recipient,
    step: Step,
    what: FollowUp,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        let (kind, result, vacancy, programme, employment) = match what {
            FollowUp::Counselled(r) => (EventKind::Counselled, Some(r), None, None, None),
            FollowUp::ReferredVacancy(v) => (EventKind::ReferredVacancy, None, Some(v), None, None),
            FollowUp::ReferredTraining(p) => {
                (EventKind::ReferredTraining, None, None, Some(p), None)
            }
            FollowUp::Reemployed {
                employer_name,
                employer_nib,
                job_title,
            } => {
                let job = crate::employment::NewJob {
                    person_id: recipient.person_id,
                    employer_name,
                    employer_nib,
                    company_id: None,
                    job_title,
                    kbji_code: None,
                    kbli_code: None,
                    started_on: step.on,
                    ended_on: None,
                    source: crate::employment::Source::Jkp,
                    placement_id: None,
                };
                let id = crate::employment::record(conn, &job, now)?.id;
                (EventKind::Reemployed, None, None, None, Some(id))
            }
        };
        diesel::insert_into(jkp_events::table)
            .values((
                jkp_events::recipient_id.eq(recipient.id),
                jkp_events::kind.eq(kind),
                jkp_events::occurred_on.eq(step.on),
                jkp_events::officer_user_id.eq(step.officer),
                jkp_events::counselling_result.eq(result),
                jkp_events::vacancy_id.eq(vacancy),
                jkp_events::programme_id.eq(programme),
                jkp_events::employment_id.eq(employment),
                jkp_events::note.eq(step.note),
                jkp_events::recorded_at.eq(now),
            ))
            .execute(conn)
            .map(|_| ())
    })
}

/// Where a recipient's follow-up stands, for the list's filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Not yet counselled.
    Waiting,
    /// Counselled or referred, not yet back at work.
    FollowedUp,
    Reemployed,
}

pub struct Row {
    pub recipient: Recipient,
    pub name: String,
    pub nik: crate::domain::Nik,
    pub last_step: Option<EventKind>,
}

/// A page of recipients, latest loss of work first, with the total.
pub fn list(
    conn: &mut DbConnection,
    standing: Option<Standing>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Row>, i64)> {
    let has = |kinds: &'static [&'static str]| {
        diesel::dsl::exists(
            jkp_events::table
                .filter(jkp_events::recipient_id.eq(jkp_recipients::id))
                .filter(jkp_events::kind.eq_any(kinds)),
        )
    };
    let base = || {
        let q = jkp_recipients::table.into_boxed();
        match standing {
            None => q,
            Some(Standing::Reemployed) => q.filter(has(&["reemployed"])),
            Some(Standing::FollowedUp) => q.filter(
                has(&["counselled", "referred_vacancy", "referred_training"])
                    .and(diesel::dsl::not(has(&["reemployed"]))),
            ),
            Some(Standing::Waiting) => q.filter(diesel::dsl::not(has(&[
                "counselled",
                "referred_vacancy",
                "referred_training",
                "reemployed",
            ]))),
        }
    };
    let total: i64 = base().count().get_result(conn)?;
    let rows: Vec<Recipient> = base()
        .order((
            jkp_recipients::terminated_on.desc(),
            jkp_recipients::id.desc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(Recipient::as_select())
        .load(conn)?;
    let ids: Vec<JkpRecipientId> = rows.iter().map(|r| r.id).collect();
    let person_ids: Vec<PersonId> = rows.iter().map(|r| r.person_id).collect();
    let mut who = people::model::names(conn, &person_ids)?;
    let events = events_of(conn, &ids)?;
    Ok((
        rows.into_iter()
            .filter_map(|recipient| {
                let (name, nik) = who.remove(&recipient.person_id)?;
                let last_step = events
                    .iter()
                    .rfind(|e| e.recipient_id == recipient.id)
                    .map(|e| e.kind);
                Some(Row {
                    recipient,
                    name,
                    nik,
                    last_step,
                })
            })
            .collect(),
        total,
    ))
}

/// Every step of the follow-up dated `first..=last`, with the person it was for: the
/// staff dashboard counts them by month, sex and place.
pub fn follow_ups_between(
    conn: &mut DbConnection,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<(NaiveDate, PersonId)>> {
    jkp_events::table
        .inner_join(jkp_recipients::table)
        .filter(jkp_events::occurred_on.between(first, last))
        .select((jkp_events::occurred_on, jkp_recipients::person_id))
        .load(conn)
}
