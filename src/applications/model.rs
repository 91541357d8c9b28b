//! Applications and their events. A stage change and its event are written together, and a
//! change only moves an application from the stage it was read in, so two people acting on
//! one application cannot both succeed.

use crate::domain::ids::{ApplicationId, JobFairId, JobSeekerId, UserId, VacancyId};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::placement::{self, Kind, NewPlacement};
use super::stage::{Channel, Stage};
use crate::db::DbConnection;
use crate::mail::text;
use crate::schema::{application_events, applications, placements};
use crate::vacancies::Vacancy;
use crate::web::Lang;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applications)]
pub struct Application {
    pub id: ApplicationId,
    pub vacancy_id: VacancyId,
    pub job_seeker_id: JobSeekerId,
    pub note: Option<String>,
    pub stage: Stage,
    pub applied_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub channel: Channel,
}

impl Application {
    pub fn stage(&self) -> Stage {
        self.stage
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = application_events)]
pub struct Event {
    pub id: i32,
    pub application_id: ApplicationId,
    pub stage: Stage,
    pub note: Option<String>,
    pub actor_user_id: Option<UserId>,
    pub occurred_at: NaiveDateTime,
}

/// An event as the timelines show it.
pub struct TimelineEntry {
    pub stage_key: &'static str,
    pub when: String,
    pub note: Option<String>,
}

impl Event {
    pub fn entry(&self, lang: Lang) -> TimelineEntry {
        TimelineEntry {
            stage_key: self.stage.label_key(),
            when: crate::web::format::day(lang, self.occurred_at),
            note: self.note.clone(),
        }
    }
}

/// Why an application or a move was refused; each has its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The vacancy is not published, not open yet, or past its closing date.
    Closed,
    /// The seeker applied to this vacancy before: that application, unless two clicks
    /// raced and the database's unique index refused the second.
    AlreadyApplied(Option<ApplicationId>),
    /// The move is not allowed from the stage the application is in.
    NotAllowed,
    /// Accepting would fill more positions than the vacancy has for the applicant's sex.
    Full,
    /// The applicant's profile no longer says their sex, which the hire is counted by.
    Incomplete,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Closed => "application.error.closed",
            Self::AlreadyApplied(_) => "application.error.twice",
            Self::NotAllowed => "application.error.not_allowed",
            Self::Full => "application.error.full",
            Self::Incomplete => "application.error.incomplete",
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

pub fn find(conn: &mut DbConnection, id: ApplicationId) -> QueryResult<Option<Application>> {
    applications::table
        .find(id)
        .select(Application::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_seeker(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    vacancy_id: VacancyId,
) -> QueryResult<Option<Application>> {
    applications::table
        .filter(applications::job_seeker_id.eq(job_seeker_id))
        .filter(applications::vacancy_id.eq(vacancy_id))
        .select(Application::as_select())
        .first(conn)
        .optional()
}

fn record(
    conn: &mut DbConnection,
    application_id: ApplicationId,
    stage: Stage,
    note: Option<&str>,
    actor: Option<UserId>,
) -> QueryResult<()> {
    diesel::insert_into(application_events::table)
        .values((
            application_events::application_id.eq(application_id),
            application_events::stage.eq(stage.as_str()),
            application_events::note.eq(note),
            application_events::actor_user_id.eq(actor),
            application_events::occurred_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The seeker applies. The caller has checked that the profile is complete.
pub fn apply(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    vacancy: &Vacancy,
    note: Option<&str>,
    actor: UserId,
    today: NaiveDate,
) -> Result<ApplicationId, Error> {
    // Open for applying exactly when its page says so.
    if !vacancy.is_open(today) {
        return Err(Refusal::Closed.into());
    }
    crate::db::transaction::<_, Error, _>(conn, |conn| {
        if let Some(earlier) = find_by_seeker(conn, job_seeker_id, vacancy.id)? {
            return Err(Refusal::AlreadyApplied(Some(earlier.id)).into());
        }
        let received = Received {
            job_seeker_id,
            vacancy_id: vacancy.id,
            note,
            channel: Channel::Portal,
            external_id: None,
            job_fair: None,
            actor: Some(actor),
        };
        insert_received(conn, &received).map_err(|e| match e {
            // Two clicks at once: the unique index keeps one.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => Error::Refused(Refusal::AlreadyApplied(None)),
            e => Error::Db(e),
        })
    })
}

/// A new application, as received.
struct Received<'a> {
    job_seeker_id: JobSeekerId,
    vacancy_id: VacancyId,
    note: Option<&'a str>,
    channel: Channel,
    external_id: Option<&'a str>,
    /// The fair an application made at a booth came from.
    job_fair: Option<JobFairId>,
    actor: Option<UserId>,
}

/// Inserts the application at its first stage, with that stage's event.
fn insert_received(conn: &mut DbConnection, r: &Received) -> QueryResult<ApplicationId> {
    let now = Utc::now().naive_utc();
    let id = diesel::insert_into(applications::table)
        .values((
            applications::vacancy_id.eq(r.vacancy_id),
            applications::job_seeker_id.eq(r.job_seeker_id),
            applications::note.eq(r.note),
            applications::stage.eq(Stage::Received.as_str()),
            applications::applied_at.eq(now),
            applications::updated_at.eq(now),
            applications::channel.eq(r.channel),
            applications::external_id.eq(r.external_id),
            applications::job_fair_id.eq(r.job_fair),
        ))
        .returning(applications::id)
        .get_result(conn)?;
    record(conn, id, Stage::Received, None, r.actor)?;
    Ok(id)
}

/// The channel of each of these applications.
pub fn channels_of(
    conn: &mut DbConnection,
    ids: &[ApplicationId],
) -> QueryResult<std::collections::HashMap<ApplicationId, Channel>> {
    Ok(applications::table
        .filter(applications::id.eq_any(ids))
        .select((applications::id, applications::channel))
        .load::<(ApplicationId, Channel)>(conn)?
        .into_iter()
        .collect())
}

/// What a placement's channel is in the statistics and the data set: through an
/// application on the portal, through one forwarded from Karirhub, or recorded at the
/// counter.
pub fn placement_channel(application: Option<Channel>) -> &'static str {
    match application {
        Some(Channel::Karirhub) => "karirhub",
        Some(Channel::Portal) => "portal",
        Some(Channel::JobFair) => "job_fair",
        None => "counter",
    }
}

/// What became of an application forwarded from the national job board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forwarded {
    Received(ApplicationId),
    /// The seeker had applied to this vacancy already (here, or forwarded before).
    Known(ApplicationId),
}

/// An application made on the national job board (Karirhub) and forwarded with the
/// resident's consent: it enters the employer's pipeline as received, by its channel.
/// `external_id` is the national side's id; forwarded again, it is the same application.
pub fn receive_forwarded(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    vacancy: &Vacancy,
    note: Option<&str>,
    external_id: &str,
    today: NaiveDate,
) -> Result<Forwarded, Error> {
    let known: Option<ApplicationId> = applications::table
        .filter(
            applications::external_id
                .eq(external_id)
                .and(applications::channel.eq(Channel::Karirhub))
                .or(applications::vacancy_id
                    .eq(vacancy.id)
                    .and(applications::job_seeker_id.eq(job_seeker_id))),
        )
        .select(applications::id)
        .first(conn)
        .optional()?;
    if let Some(id) = known {
        return Ok(Forwarded::Known(id));
    }
    if !vacancy.is_open(today) {
        return Err(Refusal::Closed.into());
    }
    let received = Received {
        job_seeker_id,
        vacancy_id: vacancy.id,
        note,
        channel: Channel::Karirhub,
        external_id: Some(external_id),
        job_fair: None,
        actor: None,
    };
    Ok(Forwarded::Received(insert_received(conn, &received)?))
}

/// An application made at a job fair's booth, after an interview there (issue 20): it
/// enters the employer's pipeline as received, with the channel `job_fair` and the fair.
/// A resident who had already applied to the vacancy keeps the one application.
pub fn receive_at_fair(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    vacancy: &Vacancy,
    fair: JobFairId,
    actor: UserId,
    today: NaiveDate,
) -> Result<Forwarded, Error> {
    if let Some(earlier) = find_by_seeker(conn, job_seeker_id, vacancy.id)? {
        return Ok(Forwarded::Known(earlier.id));
    }
    if !vacancy.is_open(today) {
        return Err(Refusal::Closed.into());
    }
    let received = Received {
        job_seeker_id,
        vacancy_id: vacancy.id,
        note: None,
        channel: Channel::JobFair,
        external_id: None,
        job_fair: Some(fair),
        actor: Some(actor),
    };
    Ok(Forwarded::Received(insert_received(conn, &received)?))
}

/// The placements that came from a fair's applications: for each, the placement's start
/// and the person's job-seeker id. The fair's report counts them.
pub fn placements_from_fair(
    conn: &mut DbConnection,
    fair: JobFairId,
) -> QueryResult<Vec<(JobSeekerId, NaiveDate)>> {
    placements::table
        .inner_join(
            applications::table.on(placements::application_id.eq(applications::id.nullable())),
        )
        .filter(applications::job_fair_id.eq(fair))
        .select((placements::job_seeker_id, placements::start_date))
        .load(conn)
}

/// How many applications came from a fair.
pub fn count_from_fair(conn: &mut DbConnection, fair: JobFairId) -> QueryResult<i64> {
    applications::table
        .filter(applications::job_fair_id.eq(fair))
        .count()
        .get_result(conn)
}

fn set_stage(conn: &mut DbConnection, app: &Application, to: Stage) -> Result<(), Error> {
    let n = diesel::update(
        applications::table
            .find(app.id)
            .filter(applications::stage.eq(&app.stage)),
    )
    .set((
        applications::stage.eq(to.as_str()),
        applications::updated_at.eq(Utc::now().naive_utc()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(Refusal::NotAllowed.into());
    }
    Ok(())
}

/// The applicant withdraws before a decision.
pub fn withdraw(conn: &mut DbConnection, app: &Application, actor: UserId) -> Result<(), Error> {
    if app.stage().is_final() {
        return Err(Refusal::NotAllowed.into());
    }
    crate::db::transaction::<_, Error, _>(conn, |conn| {
        set_stage(conn, app, Stage::Withdrawn)?;
        record(conn, app.id, Stage::Withdrawn, None, Some(actor))?;
        Ok(())
    })
}

/// An employer's move of one application. Acceptance also places the applicant: the
/// placement, the vacancy's filled count and the applicant's register status, all at once.
pub struct Move<'a> {
    pub to: Stage,
    pub note: Option<&'a str>,
    pub actor: UserId,
    /// The first working day, for an acceptance.
    pub start_date: NaiveDate,
    /// When the move is made.
    pub now: NaiveDateTime,
    pub base_url: &'a str,
}

pub fn move_to(conn: &mut DbConnection, app: &Application, mv: &Move) -> Result<(), Error> {
    if !app.stage().employer_may_move_to(mv.to) {
        return Err(Refusal::NotAllowed.into());
    }
    crate::db::transaction::<_, Error, _>(conn, |conn| {
        set_stage(conn, app, mv.to)?;
        record(conn, app.id, mv.to, mv.note, Some(mv.actor))?;
        if mv.to == Stage::Accepted {
            place(conn, app, mv)?;
        }
        notify(conn, app, mv.to, mv.note, mv.base_url)?;
        Ok(())
    })
}

fn place(conn: &mut DbConnection, app: &Application, mv: &Move) -> Result<(), Error> {
    let vacancy = crate::vacancies::find(conn, app.vacancy_id)?.ok_or(Refusal::NotAllowed)?;
    // The positions a hire takes, and the IPK cell it is counted in, follow the person's
    // sex; applying needs it, but a profile can lose it afterwards (an erasure).
    let (male, female) = match crate::seekers::person(conn, app.job_seeker_id)?.sex {
        Some(crate::domain::Sex::Female) => (0, 1),
        Some(crate::domain::Sex::Male) => (1, 0),
        None => return Err(Refusal::Incomplete.into()),
    };
    if crate::vacancies::check_fill(&vacancy, male, female).is_some() {
        return Err(Refusal::Full.into());
    }
    let company = crate::employers::find_company(conn, vacancy.company_id)?
        .ok_or(Refusal::NotAllowed)?
        .name;
    placement::record(
        conn,
        &NewPlacement {
            job_seeker_id: app.job_seeker_id,
            application_id: Some(app.id),
            vacancy_id: Some(vacancy.id),
            company_id: Some(vacancy.company_id),
            employer_name: &company,
            job_title: &vacancy.title,
            job_title_id: vacancy.job_title_id,
            kbji_code: Some(&vacancy.kbji_code),
            kind: Kind::for_regency(&vacancy.regency_code),
            start_date: mv.start_date,
            monthly_wage: vacancy.wage_min,
            recorded_by: Some(mv.actor),
            kbli_section: None,
        },
        crate::domain::calendar::date_of(mv.now),
    )?;
    match crate::vacancies::record_filled(conn, &vacancy, male, female, mv.actor, mv.now)? {
        crate::vacancies::Fill::Recorded { .. } => Ok(()),
        crate::vacancies::Fill::Refused(_) => Err(Refusal::Full.into()),
    }
}

/// Queues the e-mail that tells the applicant about the new stage, in their language. The
/// company's words are quoted as the company's, and the Dinas's warning ends the mail.
fn notify(
    conn: &mut DbConnection,
    app: &Application,
    stage: Stage,
    note: Option<&str>,
    base_url: &str,
) -> QueryResult<()> {
    let crate::accounts::directory::Contact {
        email,
        full_name: name,
        locale,
        ..
    } = crate::seekers::person(conn, app.job_seeker_id)?.contact;
    // A resident registered at the counter without an address hears of it there.
    let Some(email) = email else {
        return Ok(());
    };
    let (title, company) = crate::vacancies::headings(conn, &[app.vacancy_id])?
        .remove(&app.vacancy_id)
        .ok_or(diesel::result::Error::NotFound)?;
    let lang = locale;
    let note_text = match note {
        Some(n) if !n.trim().is_empty() => lang.tf(
            "mail.application.note",
            &[("note", &text::quoted(n, text::NOTE_MAX))],
        ),
        _ => String::new(),
    };
    let title = text::title(&title, text::TITLE_MAX);
    let body = lang.tf(
        "mail.application.body",
        &[
            ("name", &text::name(&name)),
            ("title", &title),
            ("company", &text::title(&company, text::TITLE_MAX)),
            ("stage", &lang.t(stage.label_key())),
            ("note", &note_text),
            ("link", &format!("{base_url}/pencaker/lamaran")),
        ],
    );
    crate::mail::enqueue(
        conn,
        crate::mail::MailKind::ApplicationNews,
        &email,
        &lang.tf("mail.application.subject", &[("title", &title)]),
        &text::with_warning(lang, &body),
    )
}

/// The events of the given applications, oldest first.
/// A job seeker's applications, newest first.
pub fn of_seeker(conn: &mut DbConnection, seeker_id: JobSeekerId) -> QueryResult<Vec<Application>> {
    applications::table
        .filter(applications::job_seeker_id.eq(seeker_id))
        .order(applications::applied_at.desc())
        .select(Application::as_select())
        .load(conn)
}

/// How many applications of a vacancy stand at each stage, by the stage's stored name.
pub fn stage_counts(
    conn: &mut DbConnection,
    vacancy_id: VacancyId,
) -> QueryResult<Vec<(String, i64)>> {
    applications::table
        .filter(applications::vacancy_id.eq(vacancy_id))
        .group_by(applications::stage)
        .select((applications::stage, diesel::dsl::count_star()))
        .load(conn)
}

/// How many of a seeker's applications stand at each stage.
pub fn stage_counts_of_seeker(
    conn: &mut DbConnection,
    seeker_id: JobSeekerId,
) -> QueryResult<Vec<(Stage, i64)>> {
    let rows: Vec<(String, i64)> = applications::table
        .filter(applications::job_seeker_id.eq(seeker_id))
        .group_by(applications::stage)
        .select((applications::stage, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(stage, n)| Some((Stage::parse(&stage)?, n)))
        .collect())
}

/// For each given vacancy, how many applications it has and how many of them no one has
/// looked at yet: what an employer's home page and vacancy list show.
pub fn applicant_counts(
    conn: &mut DbConnection,
    vacancy_ids: &[VacancyId],
) -> QueryResult<std::collections::HashMap<VacancyId, (i64, i64)>> {
    let rows: Vec<(VacancyId, String, i64)> = applications::table
        .filter(applications::vacancy_id.eq_any(vacancy_ids))
        .group_by((applications::vacancy_id, applications::stage))
        .select((
            applications::vacancy_id,
            applications::stage,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut counts = std::collections::HashMap::new();
    for (vacancy, stage, n) in rows {
        let entry: &mut (i64, i64) = counts.entry(vacancy).or_default();
        entry.0 += n;
        if stage == Stage::Received.as_str() {
            entry.1 += n;
        }
    }
    Ok(counts)
}

/// A vacancy's applications in the order they came, at one stage or all, at most `limit`.
pub fn of_vacancy(
    conn: &mut DbConnection,
    vacancy_id: VacancyId,
    stage: Option<Stage>,
    limit: i64,
) -> QueryResult<Vec<Application>> {
    let mut query = applications::table
        .filter(applications::vacancy_id.eq(vacancy_id))
        .into_boxed();
    if let Some(stage) = stage {
        query = query.filter(applications::stage.eq(stage.as_str()));
    }
    query
        .order(applications::applied_at)
        .select(Application::as_select())
        .limit(limit)
        .load(conn)
}

pub fn events_of(conn: &mut DbConnection, ids: &[ApplicationId]) -> QueryResult<Vec<Event>> {
    application_events::table
        .filter(application_events::application_id.eq_any(ids))
        .order((application_events::occurred_at, application_events::id))
        .select(Event::as_select())
        .load(conn)
}
