//! Enrolment in a programme: a job seeker applies; the provider or the Dinas accepts up to
//! the quota, keeps a waiting list, and records completion (with the certificate's number)
//! or a drop-out with its reason. Every change of status is a dated event, and a change
//! only moves an enrolment from the status it was read in, so two people acting on one
//! enrolment cannot both succeed.
//!
//! The quota is kept by `training_programmes.seats_taken`: accepting takes a seat with one
//! conditional UPDATE, the first statement of its transaction, so that on PostgreSQL the
//! row lock and on SQLite the write lock order concurrent accepts, and the second finds
//! the seat gone. A CHECK (seats_taken <= quota) is the last guard.

use crate::domain::ids::{EnrolmentId, JobSeekerId, ProgrammeId, UserId};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::programmes::{Programme, Status as ProgrammeStatus};
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::schema::{
    training_attendance, training_enrolment_events, training_enrolments, training_programmes,
};

choice!(
    /// Where an enrolment is.
    Status in "ref_enrolment_status" {
        Applied => "applied", "enrolment.status.applied",
        Waitlisted => "waitlisted", "enrolment.status.waitlisted",
        Accepted => "accepted", "enrolment.status.accepted",
        Rejected => "rejected", "enrolment.status.rejected",
        Withdrawn => "withdrawn", "enrolment.status.withdrawn",
        Completed => "completed", "enrolment.status.completed",
        DroppedOut => "dropped_out", "enrolment.status.dropped_out",
    }
);

impl Status {
    /// A participant: someone who took a seat, whether they finished or not.
    pub fn holds_seat(self) -> bool {
        matches!(self, Self::Accepted | Self::Completed | Self::DroppedOut)
    }

    /// Still waiting for the provider's decision.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::Applied | Self::Waitlisted)
    }
}

choice!(
    /// What the provider or the Dinas does with an enrolment.
    Action {
        Accept => "terima", "enrolment.action.accept",
        Waitlist => "tunggu", "enrolment.action.waitlist",
        Reject => "tolak", "enrolment.action.reject",
        Complete => "selesai", "enrolment.action.complete",
        DropOut => "keluar", "enrolment.action.drop_out",
        Cancel => "batal", "enrolment.action.cancel",
        Certificate => "sertifikat", "enrolment.action.certificate",
    }
);

impl Action {
    /// The actions open for an enrolment in `status` of a programme in `programme`.
    pub fn available(status: Status, programme: ProgrammeStatus) -> Vec<Action> {
        let admitting = matches!(
            programme,
            ProgrammeStatus::Published
                | ProgrammeStatus::RegistrationClosed
                | ProgrammeStatus::Running
        );
        let under_way = matches!(
            programme,
            ProgrammeStatus::Running | ProgrammeStatus::Finished
        );
        let mut out = Vec::new();
        match status {
            Status::Applied | Status::Waitlisted => {
                if admitting {
                    out.push(Self::Accept);
                }
                if status == Status::Applied {
                    out.push(Self::Waitlist);
                }
                out.push(Self::Reject);
            }
            Status::Accepted => {
                if under_way {
                    out.extend([Self::Complete, Self::DropOut]);
                } else {
                    out.push(Self::Cancel);
                }
            }
            Status::Completed => out.push(Self::Certificate),
            Status::Rejected | Status::Withdrawn | Status::DroppedOut => {}
        }
        out
    }

    /// A refusal, a drop-out and a cancelled seat are explained to the resident.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::DropOut | Self::Cancel)
    }

    fn target(self, from: Status) -> Status {
        match self {
            Self::Accept => Status::Accepted,
            Self::Waitlist => Status::Waitlisted,
            Self::Reject => Status::Rejected,
            Self::Complete => Status::Completed,
            Self::DropOut => Status::DroppedOut,
            Self::Cancel => Status::Withdrawn,
            Self::Certificate => from,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = training_enrolments)]
pub struct Enrolment {
    pub id: EnrolmentId,
    pub programme_id: ProgrammeId,
    pub job_seeker_id: JobSeekerId,
    pub status: Status,
    pub reason: Option<String>,
    pub certificate_number: Option<String>,
    pub applied_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Enrolment {
    pub fn status(&self) -> Status {
        self.status
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = training_enrolment_events)]
pub struct Event {
    pub id: i32,
    pub enrolment_id: EnrolmentId,
    pub status: Status,
    pub note: Option<String>,
    pub actor_user_id: Option<UserId>,
    pub occurred_at: NaiveDateTime,
}

/// Why an enrolment or a move was refused; each has its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Registration is not open today (not published, not yet open, or closed).
    NotOpen,
    /// The seeker enrolled in this programme before.
    Twice,
    /// Every seat is taken: the seeker may join the waiting list; a provider cannot accept.
    Full,
    /// The seeker's education is below the programme's minimum.
    Education,
    /// The seeker's age at the start is outside the programme's (justified) limit.
    Age,
    /// The move is not open from where the enrolment or the programme is.
    NotAllowed,
    /// No decision was chosen: the form starts at "— Pilih —" so none is made by accident.
    NoChoice,
    /// A refusal, a drop-out or a cancelled seat needs its reason.
    ReasonNeeded,
    /// Another participant of the programme already has this certificate number.
    CertificateTaken,
    /// A certificate number is needed (or is malformed).
    CertificateNeeded,
    /// The reason or the certificate number holds hidden control characters.
    HiddenCharacters,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::NotOpen => "enrolment.error.not_open",
            Self::Twice => "enrolment.error.twice",
            Self::Full => "enrolment.error.full",
            Self::Education => "enrolment.error.education",
            Self::Age => "enrolment.error.age",
            Self::NotAllowed => "enrolment.error.not_allowed",
            Self::NoChoice => "enrolment.error.no_choice",
            Self::ReasonNeeded => "enrolment.error.reason",
            Self::CertificateTaken => "enrolment.error.certificate_taken",
            Self::CertificateNeeded => "enrolment.error.certificate",
            Self::HiddenCharacters => "form.error.hidden_characters",
        }
    }
}

#[derive(Debug)]
pub enum Error {
    Refused(Refusal),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e)
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

impl From<Error> for crate::web::AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::Db(e) => e.into(),
            // Callers show refusals as pages; one reaching here is a caller's bug.
            Error::Refused(r) => Self::internal(anyhow::anyhow!("unhandled refusal {r:?}")),
        }
    }
}

/// Registration is open on `today`: the programme is published and the day is in its window.
pub fn registration_open(p: &Programme, today: NaiveDate) -> bool {
    p.status() == ProgrammeStatus::Published
        && p.registration_opens_on <= today
        && today <= p.registration_closes_on
}

/// What the programme asks of an applicant and the seeker's own facts.
pub fn eligibility(
    p: &Programme,
    education: Option<i16>,
    birth_date: Option<NaiveDate>,
) -> Result<(), Refusal> {
    if education.is_none_or(|e| e < p.education_min) {
        return Err(Refusal::Education);
    }
    if let (Some(min), Some(max)) = (p.age_min, p.age_max) {
        // Age on the first day of training, which is what the limit's reason is about.
        let age = birth_date
            .and_then(|b| p.starts_on.years_since(b))
            .map(|a| a as i16);
        if age.is_none_or(|a| a < min || a > max) {
            return Err(Refusal::Age);
        }
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: EnrolmentId) -> QueryResult<Option<Enrolment>> {
    training_enrolments::table
        .find(id)
        .select(Enrolment::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_seeker(
    conn: &mut DbConnection,
    programme_id: ProgrammeId,
    job_seeker_id: JobSeekerId,
) -> QueryResult<Option<Enrolment>> {
    training_enrolments::table
        .filter(training_enrolments::programme_id.eq(programme_id))
        .filter(training_enrolments::job_seeker_id.eq(job_seeker_id))
        .select(Enrolment::as_select())
        .first(conn)
        .optional()
}

fn record(
    conn: &mut DbConnection,
    enrolment_id: EnrolmentId,
    status: Status,
    note: Option<&str>,
    actor: Option<UserId>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(training_enrolment_events::table)
        .values((
            training_enrolment_events::enrolment_id.eq(enrolment_id),
            training_enrolment_events::status.eq(status.as_str()),
            training_enrolment_events::note.eq(note),
            training_enrolment_events::actor_user_id.eq(actor),
            training_enrolment_events::occurred_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether the programme has a free seat now.
pub fn has_seat(conn: &mut DbConnection, programme_id: ProgrammeId) -> QueryResult<bool> {
    training_programmes::table
        .find(programme_id)
        .select(training_programmes::seats_taken.lt(training_programmes::quota))
        .first(conn)
}

/// The seeker enrols. With every seat taken the enrolment is refused as full unless the
/// seeker asked for the waiting list (`wait`). Returns the enrolment and where it stands.
pub fn enrol(
    conn: &mut DbConnection,
    p: &Programme,
    job_seeker_id: JobSeekerId,
    wait: bool,
    actor: UserId,
    today: NaiveDate,
) -> Result<(EnrolmentId, Status), Error> {
    if !registration_open(p, today) {
        return Err(Refusal::NotOpen.into());
    }
    // A provider the Dinas switched off takes no one.
    let active: bool = crate::schema::training_providers::table
        .find(p.provider_id)
        .select(crate::schema::training_providers::is_active)
        .first(conn)?;
    if !active {
        return Err(Refusal::NotOpen.into());
    }
    crate::db::transaction::<_, Error, _>(conn, |conn| {
        if find_by_seeker(conn, p.id, job_seeker_id)?.is_some() {
            return Err(Refusal::Twice.into());
        }
        let status = if has_seat(conn, p.id)? {
            Status::Applied
        } else if wait {
            Status::Waitlisted
        } else {
            return Err(Refusal::Full.into());
        };
        let now = Utc::now().naive_utc();
        let id = diesel::insert_into(training_enrolments::table)
            .values((
                training_enrolments::programme_id.eq(p.id),
                training_enrolments::job_seeker_id.eq(job_seeker_id),
                training_enrolments::status.eq(status.as_str()),
                training_enrolments::applied_at.eq(now),
                training_enrolments::updated_at.eq(now),
            ))
            .returning(training_enrolments::id)
            .get_result(conn)
            .map_err(|e| match e {
                // Two clicks at once: the unique index keeps one.
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => Error::Refused(Refusal::Twice),
                e => Error::Db(e),
            })?;
        record(conn, id, status, None, Some(actor), now)?;
        Ok((id, status))
    })
}

/// Takes a seat if one is free; false when the programme is full.
fn take_seat(conn: &mut DbConnection, programme_id: ProgrammeId) -> QueryResult<bool> {
    let n = diesel::update(
        training_programmes::table
            .find(programme_id)
            .filter(training_programmes::seats_taken.lt(training_programmes::quota)),
    )
    .set(training_programmes::seats_taken.eq(training_programmes::seats_taken + 1))
    .execute(conn)?;
    Ok(n == 1)
}

fn release_seat(conn: &mut DbConnection, programme_id: ProgrammeId) -> QueryResult<()> {
    diesel::update(training_programmes::table.find(programme_id))
        .set(training_programmes::seats_taken.eq(training_programmes::seats_taken - 1))
        .execute(conn)
        .map(|_| ())
}

fn set_status(
    conn: &mut DbConnection,
    e: &Enrolment,
    to: Status,
    reason: Option<&str>,
    certificate: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), Error> {
    let n = diesel::update(
        training_enrolments::table
            .find(e.id)
            .filter(training_enrolments::status.eq(&e.status)),
    )
    .set((
        training_enrolments::status.eq(to.as_str()),
        training_enrolments::reason.eq(reason.or(e.reason.as_deref())),
        training_enrolments::certificate_number.eq(certificate.or(e.certificate_number.as_deref())),
        training_enrolments::updated_at.eq(now),
    ))
    .execute(conn)
    .map_err(|err| match err {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => Error::Refused(Refusal::CertificateTaken),
        err => Error::Db(err),
    })?;
    if n == 0 {
        return Err(Refusal::NotAllowed.into());
    }
    Ok(())
}

/// The longest certificate number kept; BNSP numbers are well under it.
pub const CERTIFICATE_MAX: usize = 60;
pub const REASON_MAX: usize = 500;

/// A decision of the provider or the Dinas on one enrolment.
pub struct Decision<'a> {
    pub action: Action,
    pub reason: &'a str,
    pub certificate: &'a str,
    pub actor: UserId,
}

/// Carries out a decision; returns the enrolment's new status.
pub fn decide(
    conn: &mut DbConnection,
    p: &Programme,
    e: &Enrolment,
    d: &Decision,
) -> Result<Status, Error> {
    let from = e.status();
    if e.programme_id != p.id || !Action::available(from, p.status()).contains(&d.action) {
        return Err(Refusal::NotAllowed.into());
    }
    let reason = d.reason.trim();
    let mut hidden = crate::web::forms::FieldErrors::default();
    if !crate::web::forms::check_lines(&mut hidden, "alasan", reason)
        || !crate::web::forms::check_line(&mut hidden, "nomor_sertifikat", d.certificate.trim())
    {
        return Err(Refusal::HiddenCharacters.into());
    }
    if d.action.needs_reason() && !(5..=REASON_MAX).contains(&reason.chars().count()) {
        return Err(Refusal::ReasonNeeded.into());
    }
    let certificate = d.certificate.trim();
    let gives_certificate = p.certificate != super::programmes::Certificate::None;
    if !gives_certificate && (d.action == Action::Certificate || !certificate.is_empty()) {
        return Err(Refusal::NotAllowed.into());
    }
    if certificate.chars().count() > CERTIFICATE_MAX
        || (d.action == Action::Certificate && certificate.is_empty())
    {
        return Err(Refusal::CertificateNeeded.into());
    }
    let to = d.action.target(from);
    let reason = d.action.needs_reason().then_some(reason);
    let certificate = (!certificate.is_empty()).then_some(certificate);
    crate::db::transaction::<_, Error, _>(conn, |conn| {
        // The seat first: see the module's note on concurrent accepts.
        if d.action == Action::Accept && !take_seat(conn, p.id)? {
            return Err(Refusal::Full.into());
        }
        if from.holds_seat() && !to.holds_seat() {
            release_seat(conn, p.id)?;
        }
        let now = Utc::now().naive_utc();
        set_status(conn, e, to, reason, certificate, now)?;
        let note = reason.or(certificate);
        record(conn, e.id, to, note, Some(d.actor), now)?;
        Ok(to)
    })
}

/// Whether the seeker may still withdraw: while waiting for a decision, or accepted to a
/// programme that has not started.
pub fn may_withdraw(p: &Programme, status: Status, today: NaiveDate) -> bool {
    let started = today >= p.starts_on
        || matches!(
            p.status(),
            ProgrammeStatus::Running | ProgrammeStatus::Finished
        );
    status.is_pending() || (status == Status::Accepted && !started)
}

/// The seeker withdraws before the programme starts; a seat they held is freed.
pub fn withdraw(
    conn: &mut DbConnection,
    p: &Programme,
    e: &Enrolment,
    actor: Option<UserId>,
    today: NaiveDate,
) -> Result<(), Error> {
    let from = e.status();
    if !may_withdraw(p, from, today) {
        return Err(Refusal::NotAllowed.into());
    }
    crate::db::transaction::<_, Error, _>(conn, |conn| {
        let now = Utc::now().naive_utc();
        if from.holds_seat() {
            release_seat(conn, p.id)?;
        }
        set_status(conn, e, Status::Withdrawn, None, None, now)?;
        record(conn, e.id, Status::Withdrawn, None, actor, now)?;
        Ok(())
    })
}

/// Withdraws every enrolment the seeker may still withdraw from (waiting for a decision, or
/// accepted to a programme not yet started), as when their account is deleted.
pub fn withdraw_all(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    today: NaiveDate,
) -> QueryResult<usize> {
    let open: Vec<(Enrolment, Programme)> = training_enrolments::table
        .inner_join(training_programmes::table)
        .filter(training_enrolments::job_seeker_id.eq(job_seeker_id))
        .filter(training_enrolments::status.eq_any([
            Status::Applied.as_str(),
            Status::Waitlisted.as_str(),
            Status::Accepted.as_str(),
        ]))
        .select((Enrolment::as_select(), Programme::as_select()))
        .load(conn)?;
    let mut done = 0;
    for (e, p) in open {
        match withdraw(conn, &p, &e, None, today) {
            Ok(()) => done += 1,
            Err(Error::Refused(_)) => {}
            Err(Error::Db(e)) => return Err(e),
        }
    }
    Ok(done)
}

/// The days attendance can be recorded for: the programme's days up to today.
pub fn attendance_days(p: &Programme, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let last = p.ends_on.min(today);
    (p.starts_on <= last
        && matches!(
            p.status(),
            ProgrammeStatus::Running | ProgrammeStatus::Finished
        ))
    .then_some((p.starts_on, last))
}

/// Records one day's attendance of the programme's participants; `present` holds the
/// enrolments marked present, every other participant is recorded absent. Returns how many
/// participants were recorded, or None when the day is not a recordable training day.
pub fn record_attendance(
    conn: &mut DbConnection,
    p: &Programme,
    day: NaiveDate,
    present: &[EnrolmentId],
    actor: UserId,
    today: NaiveDate,
) -> QueryResult<Option<usize>> {
    let Some((first, last)) = attendance_days(p, today) else {
        return Ok(None);
    };
    if day < first || day > last {
        return Ok(None);
    }
    crate::db::transaction(conn, |conn| {
        let participants: Vec<EnrolmentId> = training_enrolments::table
            .filter(training_enrolments::programme_id.eq(p.id))
            .filter(training_enrolments::status.eq_any(SEAT_HOLDERS))
            .select(training_enrolments::id)
            .load(conn)?;
        diesel::delete(
            training_attendance::table
                .filter(training_attendance::enrolment_id.eq_any(&participants))
                .filter(training_attendance::day.eq(day)),
        )
        .execute(conn)?;
        let now = Utc::now().naive_utc();
        // One row at a time: a batch insert is not offered over both backends, and a
        // programme has at most a few dozen participants.
        for id in &participants {
            diesel::insert_into(training_attendance::table)
                .values((
                    training_attendance::enrolment_id.eq(*id),
                    training_attendance::day.eq(day),
                    training_attendance::present.eq(present.contains(id)),
                    training_attendance::recorded_by.eq(Some(actor)),
                    training_attendance::recorded_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(Some(participants.len()))
    })
}

/// The programmes the seeker completed through the portal, oldest first, each as one line:
/// title, provider, year and the certificate's number when there is one.
pub fn completed_of(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
) -> QueryResult<Vec<String>> {
    use crate::schema::training_providers;
    let rows: Vec<(String, String, NaiveDate, Option<String>)> = training_enrolments::table
        .inner_join(training_programmes::table.inner_join(training_providers::table))
        .filter(training_enrolments::job_seeker_id.eq(job_seeker_id))
        .filter(training_enrolments::status.eq(Status::Completed.as_str()))
        .order((training_programmes::ends_on, training_enrolments::id))
        .select((
            training_programmes::title,
            training_providers::name,
            training_programmes::ends_on,
            training_enrolments::certificate_number,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(title, provider, ends, certificate)| {
            let mut parts = vec![title, provider, chrono::Datelike::year(&ends).to_string()];
            parts.extend(certificate);
            parts.join(" · ")
        })
        .collect())
}

/// How many enrolments of each given programme wait for a decision.
pub fn pending_counts(
    conn: &mut DbConnection,
    programme_ids: &[ProgrammeId],
) -> QueryResult<std::collections::HashMap<ProgrammeId, i64>> {
    let rows: Vec<(ProgrammeId, i64)> = training_enrolments::table
        .filter(training_enrolments::programme_id.eq_any(programme_ids))
        .filter(
            training_enrolments::status
                .eq_any([Status::Applied.as_str(), Status::Waitlisted.as_str()]),
        )
        .group_by(training_enrolments::programme_id)
        .select((training_enrolments::programme_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The seeker's enrolments as their own-data export gives them: programme, provider,
/// status, reason, certificate, attendance and the dated steps.
pub fn export_of(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
) -> QueryResult<Vec<serde_json::Value>> {
    use crate::schema::training_providers;
    let rows: Vec<(Enrolment, String, String)> = training_enrolments::table
        .inner_join(training_programmes::table.inner_join(training_providers::table))
        .filter(training_enrolments::job_seeker_id.eq(job_seeker_id))
        .order(training_enrolments::id)
        .select((
            Enrolment::as_select(),
            training_programmes::title,
            training_providers::name,
        ))
        .load(conn)?;
    let ids: Vec<EnrolmentId> = rows.iter().map(|r| r.0.id).collect();
    let events = events_of(conn, &ids)?;
    let attendance: Vec<(EnrolmentId, NaiveDate, bool)> = training_attendance::table
        .filter(training_attendance::enrolment_id.eq_any(&ids))
        .order(training_attendance::day)
        .select((
            training_attendance::enrolment_id,
            training_attendance::day,
            training_attendance::present,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(e, title, provider)| {
            serde_json::json!({
                "programme": title,
                "provider": provider,
                "status": e.status,
                "reason": e.reason,
                "certificate_number": e.certificate_number,
                "applied_at": e.applied_at,
                "events": events.iter().filter(|ev| ev.enrolment_id == e.id).map(|ev| serde_json::json!({
                    "status": ev.status, "at": ev.occurred_at, "note": ev.note,
                })).collect::<Vec<_>>(),
                "attendance": attendance.iter().filter(|a| a.0 == e.id).map(|a| serde_json::json!({
                    "day": a.1, "present": a.2,
                })).collect::<Vec<_>>(),
            })
        })
        .collect())
}

/// The statuses of those who hold a seat.
/// The attendance recorded for these enrolments, as (enrolment, present): every day's, or
/// only one day's.
pub fn attendance_of(
    conn: &mut DbConnection,
    ids: &[EnrolmentId],
    day: Option<NaiveDate>,
) -> QueryResult<Vec<(EnrolmentId, bool)>> {
    let mut query = training_attendance::table
        .filter(training_attendance::enrolment_id.eq_any(ids))
        .into_boxed();
    if let Some(day) = day {
        query = query.filter(training_attendance::day.eq(day));
    }
    query
        .select((
            training_attendance::enrolment_id,
            training_attendance::present,
        ))
        .load(conn)
}

/// A programme's enrolments in the order they came.
pub fn of_programme(
    conn: &mut DbConnection,
    programme_id: ProgrammeId,
) -> QueryResult<Vec<Enrolment>> {
    training_enrolments::table
        .filter(training_enrolments::programme_id.eq(programme_id))
        .order((training_enrolments::applied_at, training_enrolments::id))
        .select(Enrolment::as_select())
        .load(conn)
}

/// Those who hold a seat in a programme, as (enrolment, job seeker).
pub fn seat_holders(
    conn: &mut DbConnection,
    programme_id: ProgrammeId,
) -> QueryResult<Vec<(EnrolmentId, JobSeekerId)>> {
    training_enrolments::table
        .filter(training_enrolments::programme_id.eq(programme_id))
        .filter(training_enrolments::status.eq_any(SEAT_HOLDERS))
        .select((training_enrolments::id, training_enrolments::job_seeker_id))
        .load(conn)
}

pub const SEAT_HOLDERS: [&str; 3] = ["accepted", "completed", "dropped_out"];

/// The events of the given enrolments, oldest first.
/// A job seeker's enrolments, newest first, with each programme and its provider's name.
pub fn of_seeker(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
) -> QueryResult<Vec<(Enrolment, Programme, String)>> {
    training_enrolments::table
        .inner_join(training_programmes::table.inner_join(crate::schema::training_providers::table))
        .filter(training_enrolments::job_seeker_id.eq(job_seeker_id))
        .order(training_enrolments::applied_at.desc())
        .select((
            Enrolment::as_select(),
            Programme::as_select(),
            crate::schema::training_providers::name,
        ))
        .load(conn)
}

pub fn events_of(conn: &mut DbConnection, ids: &[EnrolmentId]) -> QueryResult<Vec<Event>> {
    training_enrolment_events::table
        .filter(training_enrolment_events::enrolment_id.eq_any(ids))
        .order((
            training_enrolment_events::occurred_at,
            training_enrolment_events::id,
        ))
        .select(Event::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_is_offered_only_where_it_makes_sense() {
        use ProgrammeStatus as P;
        assert!(Action::available(Status::Applied, P::Published).contains(&Action::Accept));
        assert!(!Action::available(Status::Applied, P::Finished).contains(&Action::Accept));
        assert!(Action::available(Status::Waitlisted, P::Running).contains(&Action::Accept));
        assert!(!Action::available(Status::Waitlisted, P::Running).contains(&Action::Waitlist));
        assert_eq!(
            Action::available(Status::Accepted, P::Published),
            vec![Action::Cancel]
        );
        assert_eq!(
            Action::available(Status::Accepted, P::Running),
            vec![Action::Complete, Action::DropOut]
        );
        assert_eq!(
            Action::available(Status::Completed, P::Finished),
            vec![Action::Certificate]
        );
        assert!(Action::available(Status::DroppedOut, P::Finished).is_empty());
    }

    #[test]
    fn seats_are_held_by_participants_only() {
        assert!(Status::Accepted.holds_seat());
        assert!(Status::DroppedOut.holds_seat());
        assert!(!Status::Waitlisted.holds_seat());
        assert!(!Status::Withdrawn.holds_seat());
        for s in SEAT_HOLDERS {
            assert!(Status::parse(s).is_some_and(Status::holds_seat));
        }
    }
}
