//! Vacancies and their dated events.

use crate::domain::ids::{CompanyId, JobTitleId, UserId, VacancyId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::hash_map::Entry;

use crate::db::DbConnection;
use crate::domain::code::stored_code;
use crate::domain::{KbjiCode, Rupiah};
use crate::schema::{companies, vacancies, vacancy_events};

stored_code! {
    pub enum VacancyStatus in "ref_vacancy_status" {
        Draft = "draft",
        Submitted = "submitted",
        Published = "published",
        Rejected = "rejected",
        Closed = "closed",
        Filled = "filled",
        Expired = "expired",
    }
}

stored_code! {
    /// What a vacancy event records: a change of status, or people taken on.
    pub enum VacancyEventKind in "ref_vacancy_event" {
        Status = "status",
        Filled = "filled",
    }
}

impl VacancyStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Draft => "vacancy.status.draft",
            Self::Submitted => "vacancy.status.submitted",
            Self::Published => "vacancy.status.published",
            Self::Rejected => "vacancy.status.rejected",
            Self::Closed => "vacancy.status.closed",
            Self::Filled => "vacancy.status.filled",
            Self::Expired => "vacancy.status.expired",
        }
    }

    /// Whether the employer may still change the vacancy's content.
    pub fn editable(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::Submitted | Self::Published | Self::Rejected
        )
    }
}

stored_code! {
    pub enum EmploymentType in "ref_employment_type" {
        Pkwtt = "pkwtt",
        Pkwt = "pkwt",
        PartTime = "part_time",
        Internship = "internship",
        Daily = "daily",
    }
}

impl EmploymentType {
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Pkwtt => "vacancy.type.pkwtt",
            Self::Pkwt => "vacancy.type.pkwt",
            Self::PartTime => "vacancy.type.part_time",
            Self::Internship => "vacancy.type.internship",
            Self::Daily => "vacancy.type.daily",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vacancies)]
pub struct Vacancy {
    pub id: VacancyId,
    pub company_id: CompanyId,
    pub title: String,
    pub kbji_code: KbjiCode,
    pub job_title_id: Option<JobTitleId>,
    pub description: String,
    pub requirements: String,
    pub education_min: i16,
    pub field_of_study: Option<String>,
    pub experience_months: i32,
    pub skills: String,
    pub employment_type: EmploymentType,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub wage_min: Option<Rupiah>,
    pub wage_max: Option<Rupiah>,
    pub show_wage: bool,
    pub quota_male: i32,
    pub quota_female: i32,
    pub quota_any: i32,
    pub disability_friendly: bool,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub age_reason: Option<String>,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub status: VacancyStatus,
    pub status_note: Option<String>,
    pub status_changed_at: NaiveDateTime,
    pub filled_male: i32,
    pub filled_female: i32,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    /// Moved on by every change to the content: a verifier's decision names the one it saw.
    pub revision: i32,
}

impl Vacancy {
    pub fn status(&self) -> VacancyStatus {
        self.status
    }

    /// Persons needed: the IPK forms count people, not postings.
    /// Published and not past its closing date: residents see it as open and may apply.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.status() == VacancyStatus::Published && self.closes_on >= today
    }

    pub fn positions(&self) -> i32 {
        self.quota_male + self.quota_female + self.quota_any
    }
}

/// The content of a vacancy, as the employer's form gives it (already validated).
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset, Insertable)]
#[diesel(table_name = vacancies)]
#[diesel(treat_none_as_null = true)]
pub struct VacancyContent {
    pub title: String,
    pub kbji_code: KbjiCode,
    pub job_title_id: Option<JobTitleId>,
    pub description: String,
    pub requirements: String,
    pub education_min: i16,
    pub field_of_study: Option<String>,
    pub experience_months: i32,
    pub skills: String,
    pub employment_type: EmploymentType,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub wage_min: Option<Rupiah>,
    pub wage_max: Option<Rupiah>,
    pub show_wage: bool,
    pub quota_male: i32,
    pub quota_female: i32,
    pub quota_any: i32,
    pub disability_friendly: bool,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub age_reason: Option<String>,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

impl From<&Vacancy> for VacancyContent {
    fn from(v: &Vacancy) -> Self {
        Self {
            title: v.title.clone(),
            kbji_code: v.kbji_code.clone(),
            job_title_id: v.job_title_id,
            description: v.description.clone(),
            requirements: v.requirements.clone(),
            education_min: v.education_min,
            field_of_study: v.field_of_study.clone(),
            experience_months: v.experience_months,
            skills: v.skills.clone(),
            employment_type: v.employment_type,
            kelurahan_code: v.kelurahan_code.clone(),
            regency_code: v.regency_code.clone(),
            wage_min: v.wage_min,
            wage_max: v.wage_max,
            show_wage: v.show_wage,
            quota_male: v.quota_male,
            quota_female: v.quota_female,
            quota_any: v.quota_any,
            disability_friendly: v.disability_friendly,
            age_min: v.age_min,
            age_max: v.age_max,
            age_reason: v.age_reason.clone(),
            opens_on: v.opens_on,
            closes_on: v.closes_on,
        }
    }
}

/// The searchable document of a vacancy: its title, job title (in both languages, so that
/// "driver" finds "Pengemudi"), skills, company and description, folded for full-text search.
fn search_document(
    conn: &mut DbConnection,
    content: &VacancyContent,
    company_id: CompanyId,
) -> QueryResult<String> {
    let company = crate::employers::find_company(conn, company_id)?
        .ok_or(diesel::result::Error::NotFound)?
        .name;
    let job_title: Option<(String, String)> = match content.job_title_id {
        Some(id) => crate::reference::job_title(conn, id)?.map(|t| (t.1, t.2)),
        None => None,
    };
    let (title_id, title_en) = job_title.unwrap_or_default();
    Ok(crate::db::fulltext::fold(
        &[
            content.title.as_str(),
            &title_id,
            &title_en,
            &content.skills,
            &company,
            &content.description,
        ]
        .join(" \n "),
    ))
}

/// Writes the search document of each of the company's vacancies again, after the company
/// was renamed.
pub fn refresh_search_for_company(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<()> {
    let rows = vacancies::table
        .filter(vacancies::company_id.eq(company_id))
        .select(Vacancy::as_select())
        .load(conn)?;
    for v in rows {
        let doc = search_document(conn, &VacancyContent::from(&v), company_id)?;
        diesel::update(vacancies::table.find(v.id))
            .set(vacancies::search_text.eq(doc))
            .execute(conn)?;
    }
    Ok(())
}

/// Gives a search document to every vacancy without one (rows written before search
/// existed); returns how many. Cheap when there are none, so it runs at every start.
pub fn backfill_search(conn: &mut DbConnection) -> QueryResult<usize> {
    let rows = vacancies::table
        .filter(vacancies::search_text.eq(""))
        .select(Vacancy::as_select())
        .load(conn)?;
    let n = rows.len();
    for v in rows {
        let doc = search_document(conn, &VacancyContent::from(&v), v.company_id)?;
        diesel::update(vacancies::table.find(v.id))
            .set(vacancies::search_text.eq(doc))
            .execute(conn)?;
    }
    Ok(n)
}

/// A change of status at `at`, recorded on `today` (the daily job dates an expiry before
/// the day it runs).
fn record_event(
    conn: &mut DbConnection,
    vacancy_id: VacancyId,
    status: VacancyStatus,
    note: Option<&str>,
    actor: Option<UserId>,
    at: NaiveDateTime,
    today: NaiveDate,
) -> QueryResult<()> {
    diesel::insert_into(vacancy_events::table)
        .values((
            vacancy_events::vacancy_id.eq(vacancy_id),
            vacancy_events::kind.eq(VacancyEventKind::Status),
            vacancy_events::status.eq(status.as_str()),
            vacancy_events::note.eq(note),
            vacancy_events::actor_user_id.eq(actor),
            vacancy_events::occurred_at.eq(at),
        ))
        .execute(conn)?;
    // The IPK ledger follows every change of status that opens or ends positions; an
    // expiry is dated the day after the closing date, whenever the job that noticed it ran.
    if matches!(status, VacancyStatus::Draft | VacancyStatus::Submitted) {
        return Ok(());
    }
    let Some(vacancy) = find(conn, vacancy_id)? else {
        return Ok(());
    };
    let on = if status == VacancyStatus::Expired {
        vacancy.closes_on + chrono::Days::new(1)
    } else {
        crate::domain::calendar::date_of(at)
    };
    super::facts::sync(conn, &vacancy, on, today)
}

/// Saves a new vacancy in `status` (draft or submitted) with its first event.
pub fn create(
    conn: &mut DbConnection,
    company_id: CompanyId,
    content: &VacancyContent,
    status: VacancyStatus,
    actor: UserId,
) -> QueryResult<VacancyId> {
    let now = chrono::Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        let doc = search_document(conn, content, company_id)?;
        let id = diesel::insert_into(vacancies::table)
            .values((
                content,
                vacancies::search_text.eq(doc),
                vacancies::company_id.eq(company_id),
                vacancies::status.eq(status.as_str()),
                vacancies::status_changed_at.eq(now),
                vacancies::created_by.eq(actor),
                vacancies::created_at.eq(now),
                vacancies::updated_at.eq(now),
            ))
            .returning(vacancies::id)
            .get_result(conn)?;
        record_event(
            conn,
            id,
            status,
            None,
            Some(actor),
            now,
            crate::domain::calendar::date_of(now),
        )?;
        Ok(id)
    })
}

/// An employer's edit at `now`: the new content, a new revision, and the status it leads to
/// (with a dated event) if that changes. Succeeds only while the vacancy is as the
/// employer's request read it (same status and revision); false when it moved on meanwhile.
pub fn revise(
    conn: &mut DbConnection,
    read: &Vacancy,
    content: &VacancyContent,
    next: Option<VacancyStatus>,
    actor: UserId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let doc = search_document(conn, content, read.company_id)?;
        let changed = diesel::update(
            vacancies::table
                .find(read.id)
                .filter(vacancies::status.eq(&read.status))
                .filter(vacancies::revision.eq(read.revision)),
        )
        .set((
            content,
            vacancies::search_text.eq(doc),
            vacancies::revision.eq(vacancies::revision + 1),
            vacancies::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        if let Some(status) = next {
            set_status(conn, read.id, status, None, Some(actor), now)?;
        }
        Ok(true)
    })
}

/// A verifier's decision at `now` on the revision they reviewed: publishes or rejects a
/// submitted vacancy, with a dated event, only while it is still submitted at that
/// revision (and, to publish, while its company is verified). False when any of that no
/// longer holds.
pub fn decide(
    conn: &mut DbConnection,
    id: VacancyId,
    revision: i32,
    decision: VacancyStatus,
    note: Option<&str>,
    actor: UserId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let reviewed = vacancies::table
        .find(id)
        .filter(vacancies::status.eq(VacancyStatus::Submitted.as_str()))
        .filter(vacancies::revision.eq(revision));
    let changes = (
        vacancies::status.eq(decision.as_str()),
        vacancies::status_note.eq(note),
        vacancies::status_changed_at.eq(now),
        vacancies::updated_at.eq(now),
    );
    crate::db::transaction(conn, |conn| {
        let decided = if decision == VacancyStatus::Published {
            let verified = companies::table
                .filter(
                    companies::verification_status
                        .eq(crate::employers::VerificationStatus::Verified.as_str()),
                )
                .select(companies::id);
            diesel::update(reviewed.filter(vacancies::company_id.eq_any(verified)))
                .set((changes, vacancies::published_at.eq(now)))
                .execute(conn)?
        } else {
            diesel::update(reviewed).set(changes).execute(conn)?
        };
        if decided == 1 {
            let today = crate::domain::calendar::date_of(now);
            record_event(conn, id, decision, note, Some(actor), now, today)?;
        }
        Ok(decided == 1)
    })
}

/// Moves a vacancy to a new status at `now`, with a dated event.
pub fn set_status(
    conn: &mut DbConnection,
    id: VacancyId,
    status: VacancyStatus,
    note: Option<&str>,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        diesel::update(vacancies::table.find(id))
            .set((
                vacancies::status.eq(status.as_str()),
                vacancies::status_note.eq(note),
                vacancies::status_changed_at.eq(now),
                vacancies::updated_at.eq(now),
            ))
            .execute(conn)?;
        if status == VacancyStatus::Published {
            diesel::update(vacancies::table.find(id))
                .set(vacancies::published_at.eq(now))
                .execute(conn)?;
        }
        let today = crate::domain::calendar::date_of(now);
        record_event(conn, id, status, note, actor, now, today)
    })
}

/// A vacancy of the given company; another company's vacancy is simply not found.
pub fn find_for_company(
    conn: &mut DbConnection,
    id: VacancyId,
    company_id: CompanyId,
) -> QueryResult<Option<Vacancy>> {
    vacancies::table
        .filter(vacancies::id.eq(id))
        .filter(vacancies::company_id.eq(company_id))
        .select(Vacancy::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: VacancyId) -> QueryResult<Option<Vacancy>> {
    vacancies::table
        .find(id)
        .select(Vacancy::as_select())
        .first(conn)
        .optional()
}

/// The company's vacancies, newest first, optionally of one status.
pub fn list_for_company(
    conn: &mut DbConnection,
    company_id: CompanyId,
    status: Option<VacancyStatus>,
) -> QueryResult<Vec<Vacancy>> {
    let mut query = vacancies::table
        .filter(vacancies::company_id.eq(company_id))
        .into_boxed::<crate::db::MultiBackend>();
    if let Some(status) = status {
        query = query.filter(vacancies::status.eq(status.as_str()));
    }
    query
        .order((vacancies::updated_at.desc(), vacancies::id.desc()))
        .select(Vacancy::as_select())
        .load(conn)
}

/// Vacancies waiting for a verifier, the longest-waiting first, with the company's name and
/// whether the company is verified.
pub fn submitted_queue(
    conn: &mut DbConnection,
    limit: i64,
) -> QueryResult<Vec<(Vacancy, String, String)>> {
    vacancies::table
        .inner_join(companies::table)
        .filter(vacancies::status.eq(VacancyStatus::Submitted.as_str()))
        .order((vacancies::status_changed_at.asc(), vacancies::id.asc()))
        .limit(limit)
        .select((
            Vacancy::as_select(),
            companies::name,
            companies::verification_status,
        ))
        .load(conn)
}

/// How many vacancies wait for a verifier: the count beside the verifiers' menu entry.
pub fn count_submitted(conn: &mut DbConnection) -> QueryResult<i64> {
    vacancies::table
        .filter(vacancies::status.eq(VacancyStatus::Submitted.as_str()))
        .count()
        .get_result(conn)
}

/// An open vacancy on its company's public page: id, title, kelurahan, regency, closing date.
pub type OpenVacancy = (VacancyId, String, Option<String>, String, NaiveDate);

/// The company's open vacancies for its public page, newest first; and how many it ever
/// published.
pub fn open_of_company(
    conn: &mut DbConnection,
    company_id: CompanyId,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<(Vec<OpenVacancy>, i64)> {
    let open = vacancies::table
        .filter(vacancies::company_id.eq(company_id))
        .filter(vacancies::status.eq(VacancyStatus::Published.as_str()))
        .filter(vacancies::closes_on.ge(today))
        .order((vacancies::published_at.desc(), vacancies::id.desc()))
        .limit(limit)
        .select((
            vacancies::id,
            vacancies::title,
            vacancies::kelurahan_code,
            vacancies::regency_code,
            vacancies::closes_on,
        ))
        .load(conn)?;
    // Every vacancy the public has seen, open or not.
    let posted = vacancies::table
        .filter(vacancies::company_id.eq(company_id))
        .filter(vacancies::published_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok((open, posted))
}

/// Which of these vacancies are open today, with their company: the vacancies a company
/// brings to a job fair, as the fair's page lists them.
pub fn open_among(
    conn: &mut DbConnection,
    ids: &[VacancyId],
    today: NaiveDate,
) -> QueryResult<Vec<(CompanyId, OpenVacancy)>> {
    let rows: Vec<(
        CompanyId,
        VacancyId,
        String,
        Option<String>,
        String,
        NaiveDate,
    )> = vacancies::table
        .filter(vacancies::id.eq_any(ids))
        .filter(vacancies::status.eq(VacancyStatus::Published.as_str()))
        .filter(vacancies::closes_on.ge(today))
        .order((vacancies::title.asc(), vacancies::id.asc()))
        .select((
            vacancies::company_id,
            vacancies::id,
            vacancies::title,
            vacancies::kelurahan_code,
            vacancies::regency_code,
            vacancies::closes_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(c, id, t, k, r, d)| (c, (id, t, k, r, d)))
        .collect())
}

/// The open vacancies for the sitemap, newest first: id and last change.
pub fn sitemap_entries(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(VacancyId, NaiveDateTime)>> {
    vacancies::table
        .filter(vacancies::status.eq(VacancyStatus::Published.as_str()))
        .filter(vacancies::closes_on.ge(today))
        .order(vacancies::id.desc())
        .limit(limit)
        .select((vacancies::id, vacancies::updated_at))
        .load(conn)
}

/// The title of each given vacancy and its company's name, as other modules show a
/// vacancy they refer to (an application, a placement).
pub fn headings(
    conn: &mut DbConnection,
    ids: &[VacancyId],
) -> QueryResult<std::collections::HashMap<VacancyId, (String, String)>> {
    let rows: Vec<(VacancyId, String, String)> = vacancies::table
        .inner_join(companies::table)
        .filter(vacancies::id.eq_any(ids))
        .select((vacancies::id, vacancies::title, companies::name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, t, c)| (id, (t, c))).collect())
}

#[derive(Debug, Clone, Queryable)]
pub struct VacancyEvent {
    pub kind: VacancyEventKind,
    pub status: VacancyStatus,
    pub note: Option<String>,
    pub filled_male: i32,
    pub filled_female: i32,
    pub occurred_at: NaiveDateTime,
}

pub fn events(conn: &mut DbConnection, vacancy_id: VacancyId) -> QueryResult<Vec<VacancyEvent>> {
    vacancy_events::table
        .filter(vacancy_events::vacancy_id.eq(vacancy_id))
        .order((vacancy_events::occurred_at.asc(), vacancy_events::id.asc()))
        .select((
            vacancy_events::kind,
            vacancy_events::status,
            vacancy_events::note,
            vacancy_events::filled_male,
            vacancy_events::filled_female,
            vacancy_events::occurred_at,
        ))
        .load(conn)
}

/// Expires every published vacancy whose closing date has passed; returns how many. Safe to
/// run again and on several instances: each vacancy is moved only while still published.
pub fn expire_due(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<usize> {
    let due: Vec<(VacancyId, NaiveDate)> = vacancies::table
        .filter(vacancies::status.eq(VacancyStatus::Published.as_str()))
        .filter(vacancies::closes_on.lt(today))
        .select((vacancies::id, vacancies::closes_on))
        .load(conn)?;
    let mut expired = 0;
    for (id, closes_on) in due {
        // Dated the first moment after the closing day in Binjai, not when the job ran.
        let now = crate::domain::calendar::start_of(closes_on + chrono::Days::new(1))
            .min(chrono::Utc::now().naive_utc());
        let moved = crate::db::transaction(conn, |conn| {
            let updated = diesel::update(
                vacancies::table
                    .find(id)
                    .filter(vacancies::status.eq(VacancyStatus::Published.as_str())),
            )
            .set((
                vacancies::status.eq(VacancyStatus::Expired.as_str()),
                vacancies::status_changed_at.eq(now),
                vacancies::updated_at.eq(now),
            ))
            .execute(conn)?;
            if updated == 1 {
                record_event(conn, id, VacancyStatus::Expired, None, None, now, today)?;
            }
            Ok::<_, diesel::result::Error>(updated == 1)
        })?;
        if moved {
            expired += 1;
        }
    }
    Ok(expired)
}

/// What recording a fill did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Recorded; whether every position is now taken.
    Recorded { all_taken: bool },
    /// The vacancy changed since the caller read it and no longer has room: the message.
    Refused(&'static str),
}

/// Records positions filled at `now`, by sex, as a dated event and in the vacancy's totals;
/// when every position is taken the vacancy becomes filled. The numbers are checked again
/// against the vacancy as it stands inside the transaction, so two fills at once cannot
/// overfill it.
pub fn record_filled(
    conn: &mut DbConnection,
    vacancy: &Vacancy,
    male: i32,
    female: i32,
    actor: UserId,
    now: NaiveDateTime,
) -> QueryResult<Fill> {
    crate::db::transaction(conn, |conn| {
        // On PostgreSQL the row lock taken by this update holds off a concurrent fill until
        // this one commits; SQLite has one writer at a time anyway.
        diesel::update(vacancies::table.find(vacancy.id))
            .set(vacancies::updated_at.eq(now))
            .execute(conn)?;
        let Some(vacancy) = find(conn, vacancy.id)? else {
            return Ok(Fill::Refused("vacancy.fill.error.status"));
        };
        if let Some(key) = check_fill(&vacancy, male, female) {
            return Ok(Fill::Refused(key));
        }
        let vacancy = &vacancy;
        super::facts::filled(
            conn,
            vacancy.id,
            male,
            female,
            crate::domain::calendar::date_of(now),
        )?;
        diesel::update(vacancies::table.find(vacancy.id))
            .set((
                vacancies::filled_male.eq(vacancies::filled_male + male),
                vacancies::filled_female.eq(vacancies::filled_female + female),
                vacancies::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::insert_into(vacancy_events::table)
            .values((
                vacancy_events::vacancy_id.eq(vacancy.id),
                vacancy_events::kind.eq(VacancyEventKind::Filled),
                vacancy_events::status.eq(vacancy.status().as_str()),
                vacancy_events::filled_male.eq(male),
                vacancy_events::filled_female.eq(female),
                vacancy_events::actor_user_id.eq(actor),
                vacancy_events::occurred_at.eq(now),
            ))
            .execute(conn)?;
        let all_taken =
            vacancy.filled_male + vacancy.filled_female + male + female >= vacancy.positions();
        if all_taken {
            set_status(
                conn,
                vacancy.id,
                VacancyStatus::Filled,
                None,
                Some(actor),
                now,
            )?;
        }
        Ok(Fill::Recorded { all_taken })
    })
}

/// What a fill would break, if anything: the translation key of the message.
pub fn check_fill(vacancy: &Vacancy, male: i32, female: i32) -> Option<&'static str> {
    if male < 0 || female < 0 || male + female < 1 {
        return Some("vacancy.fill.error.none");
    }
    let men = vacancy.filled_male + male;
    let women = vacancy.filled_female + female;
    if men > vacancy.quota_male + vacancy.quota_any
        || women > vacancy.quota_female + vacancy.quota_any
        || men + women > vacancy.positions()
    {
        return Some("vacancy.fill.error.too_many");
    }
    None
}

/// One vacancy of an imported list: its company, the list's own id for it (unique within
/// the company) and its content, checked by the same rules as the employer's form.
#[derive(Debug, Clone)]
pub struct ImportedVacancy {
    pub company_id: CompanyId,
    pub external_ref: String,
    pub content: VacancyContent,
    /// Whether the list gave an opening date; if not, a known vacancy keeps its own.
    pub opens_on_given: bool,
}

/// What importing one vacancy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created(VacancyId),
    Updated(VacancyId),
    /// Already there as the list has it, or no longer editable (closed, filled, expired):
    /// the list does not reopen or rewrite a vacancy that has ended.
    Unchanged(VacancyId),
}

/// The company names and job titles a batch's search documents need, each read once.
#[derive(Default)]
struct SearchNames {
    companies: std::collections::HashMap<CompanyId, String>,
    titles: std::collections::HashMap<JobTitleId, (String, String)>,
}

impl SearchNames {
    fn document(
        &mut self,
        conn: &mut DbConnection,
        content: &VacancyContent,
        company_id: CompanyId,
    ) -> QueryResult<String> {
        let company = match self.companies.entry(company_id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(
                crate::employers::find_company(conn, company_id)?
                    .ok_or(diesel::result::Error::NotFound)?
                    .name,
            ),
        }
        .clone();
        let (title_id, title_en) = match content.job_title_id {
            Some(id) => match self.titles.entry(id) {
                Entry::Occupied(e) => e.get().clone(),
                Entry::Vacant(e) => e
                    .insert(
                        crate::reference::job_title(conn, id)?
                            .map(|t| (t.1, t.2))
                            .unwrap_or_default(),
                    )
                    .clone(),
            },
            None => Default::default(),
        };
        Ok(crate::db::fulltext::fold(
            &[
                content.title.as_str(),
                &title_id,
                &title_en,
                &content.skills,
                &company,
                &content.description,
            ]
            .join(" \n "),
        ))
    }
}

/// Creates or updates the vacancies of an imported list, each found by its company and the
/// list's own id, so that importing the same list again changes nothing. A new vacancy
/// waits for a verifier (submitted, with a dated event) as one the employer sends does; a
/// changed one goes back to the verifiers unless only its closing date moved, as an
/// employer's edit does. The caller holds the transaction; new vacancies are inserted in
/// one statement per batch (one round trip per row would make a large list slow on
/// PostgreSQL). Outcomes are in the order of `items`, whose keys are distinct.
pub fn upsert_imported(
    conn: &mut DbConnection,
    items: &[ImportedVacancy],
    actor: Option<UserId>,
) -> QueryResult<Vec<ImportOutcome>> {
    use std::collections::HashMap;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let now = chrono::Utc::now().naive_utc();
    let mut companies: Vec<CompanyId> = items.iter().map(|i| i.company_id).collect();
    companies.sort();
    companies.dedup();
    let refs: Vec<&str> = items.iter().map(|i| i.external_ref.as_str()).collect();
    // One query per company, each finding its ids through the unique index, which the
    // list's id leads (see the migration `vacancy_external_ref`).
    let refs_of = |company: CompanyId, at: &[usize]| -> Vec<&str> {
        at.iter()
            .filter(|&&i| items[i].company_id == company)
            .map(|&i| refs[i])
            .collect()
    };
    let all: Vec<usize> = (0..items.len()).collect();
    let mut known: HashMap<(CompanyId, String), Vacancy> = HashMap::new();
    for &company in &companies {
        let rows: Vec<(Vacancy, Option<String>)> = vacancies::table
            .filter(vacancies::company_id.eq(company))
            .filter(vacancies::external_ref.eq_any(refs_of(company, &all)))
            .select((Vacancy::as_select(), vacancies::external_ref))
            .load(conn)?;
        known.extend(
            rows.into_iter()
                .filter_map(|(v, r)| r.map(|r| ((v.company_id, r), v))),
        );
    }
    let mut names = SearchNames::default();
    let mut outcomes: Vec<Option<ImportOutcome>> = vec![None; items.len()];
    let mut new_rows = Vec::new();
    let mut new_at = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = (item.company_id, item.external_ref.clone());
        match known.remove(&key) {
            Some(stored) => {
                outcomes[i] = Some(update_imported(
                    conn, &mut names, &stored, item, actor, now,
                )?);
            }
            None => {
                let doc = names.document(conn, &item.content, item.company_id)?;
                new_rows.push((
                    &item.content,
                    vacancies::search_text.eq(doc),
                    vacancies::company_id.eq(item.company_id),
                    vacancies::external_ref.eq(item.external_ref.as_str()),
                    vacancies::status.eq(VacancyStatus::Submitted.as_str()),
                    vacancies::status_changed_at.eq(now),
                    vacancies::created_by.eq(actor),
                    vacancies::created_at.eq(now),
                    vacancies::updated_at.eq(now),
                ));
                new_at.push(i);
            }
        }
    }
    if !new_rows.is_empty() {
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(vacancies::table)
            .values(new_rows)
            .execute(c))?;
        let mut ids: HashMap<(CompanyId, String), VacancyId> = HashMap::new();
        for &company in &companies {
            let new_refs = refs_of(company, &new_at);
            if new_refs.is_empty() {
                continue;
            }
            let rows: Vec<(Option<String>, VacancyId)> = vacancies::table
                .filter(vacancies::company_id.eq(company))
                .filter(vacancies::external_ref.eq_any(new_refs))
                .select((vacancies::external_ref, vacancies::id))
                .load(conn)?;
            ids.extend(
                rows.into_iter()
                    .filter_map(|(r, id)| r.map(|r| ((company, r), id))),
            );
        }
        let mut events = Vec::new();
        for &i in &new_at {
            let item = &items[i];
            let id = *ids
                .get(&(item.company_id, item.external_ref.clone()))
                .ok_or(diesel::result::Error::NotFound)?;
            outcomes[i] = Some(ImportOutcome::Created(id));
            events.push((
                vacancy_events::vacancy_id.eq(id),
                vacancy_events::kind.eq(VacancyEventKind::Status),
                vacancy_events::status.eq(VacancyStatus::Submitted.as_str()),
                vacancy_events::actor_user_id.eq(actor),
                vacancy_events::occurred_at.eq(now),
            ));
        }
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(vacancy_events::table)
            .values(events)
            .execute(c))?;
    }
    Ok(outcomes.into_iter().flatten().collect())
}

/// One imported vacancy that is already stored: unchanged, or its content updated (and
/// sent back to the verifiers when that is what an employer's edit would do).
fn update_imported(
    conn: &mut DbConnection,
    names: &mut SearchNames,
    known: &Vacancy,
    item: &ImportedVacancy,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<ImportOutcome> {
    let stored = VacancyContent::from(known);
    let mut content = item.content.clone();
    if !item.opens_on_given {
        content.opens_on = stored.opens_on;
    }
    if content == stored || !known.status.editable() {
        return Ok(ImportOutcome::Unchanged(known.id));
    }
    let only_closing = VacancyContent {
        closes_on: stored.closes_on,
        ..content.clone()
    } == stored;
    let next = match known.status {
        VacancyStatus::Published if only_closing => None,
        VacancyStatus::Submitted => None,
        _ => Some(VacancyStatus::Submitted),
    };
    let doc = names.document(conn, &content, known.company_id)?;
    diesel::update(vacancies::table.find(known.id))
        .set((
            &content,
            vacancies::search_text.eq(doc),
            vacancies::revision.eq(vacancies::revision + 1),
            vacancies::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(status) = next {
        set_status(conn, known.id, status, None, actor, now)?;
    }
    Ok(ImportOutcome::Updated(known.id))
}
