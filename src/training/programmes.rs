//! Training programmes: the model, the form and its checks. A programme belongs to one
//! provider; its status moves draft → published → registration closed → running →
//! finished, or to cancelled before it finishes, each move a dated event.

use crate::domain::ids::{JobTitleId, ProgrammeId, ProviderId, UserId};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::Rupiah;
use crate::domain::code::choice;
use crate::employers::forms::OUTSIDE_BINJAI;
use crate::reference::education::EducationLevel;
use crate::reference::regions;
use crate::schema::{
    training_programme_events, training_programme_job_titles, training_programmes,
    training_providers,
};
use crate::web::forms::{FieldErrors, check_line, check_lines};

/// The vocational fields (kejuruan) of the Ministry's training centres.
pub const FIELDS: [(&str, &str); 14] = [
    ("ti", "field.training.ti"),
    ("otomotif", "field.training.otomotif"),
    ("listrik", "field.training.listrik"),
    ("elektronika", "field.training.elektronika"),
    ("las", "field.training.las"),
    ("konstruksi", "field.training.konstruksi"),
    ("refrigerasi", "field.training.refrigerasi"),
    ("garmen", "field.training.garmen"),
    ("tata_boga", "field.training.tata_boga"),
    ("tata_kecantikan", "field.training.tata_kecantikan"),
    ("pariwisata", "field.training.pariwisata"),
    ("bisnis", "field.training.bisnis"),
    ("bahasa", "field.training.bahasa"),
    ("pertanian", "field.training.pertanian"),
];

pub fn field_label(code: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("field.training.other", |f| f.1)
}

choice!(Mode in "ref_programme_mode" {
    InPerson => "in_person", "programme.mode.in_person",
    Online => "online", "programme.mode.online",
    Mixed => "mixed", "programme.mode.mixed",
});

choice!(Funding in "ref_programme_funding" {
    Apbn => "apbn", "programme.funding.apbn",
    Apbd => "apbd", "programme.funding.apbd",
    Company => "company", "programme.funding.company",
    SelfFunded => "self", "programme.funding.self",
    Other => "other", "programme.funding.other",
});

choice!(Certificate in "ref_programme_certificate" {
    None => "none", "programme.certificate.none",
    Attendance => "attendance", "programme.certificate.attendance",
    Bnsp => "bnsp", "programme.certificate.bnsp",
});

choice!(
    /// Where a programme is in its life.
    Status in "ref_programme_status" {
        Draft => "draft", "programme.status.draft",
        Published => "published", "programme.status.published",
        RegistrationClosed => "registration_closed", "programme.status.registration_closed",
        Running => "running", "programme.status.running",
        Finished => "finished", "programme.status.finished",
        Cancelled => "cancelled", "programme.status.cancelled",
    }
);

impl Status {
    /// The moves a provider may make from here.
    pub fn next(self) -> &'static [Status] {
        match self {
            Self::Draft => &[Self::Published, Self::Cancelled],
            Self::Published => &[Self::RegistrationClosed, Self::Running, Self::Cancelled],
            Self::RegistrationClosed => &[Self::Running, Self::Cancelled],
            Self::Running => &[Self::Finished],
            Self::Finished | Self::Cancelled => &[],
        }
    }

    /// Only drafts and published programmes are still edited; later the facts stand.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Published)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = training_programmes)]
pub struct Programme {
    pub id: ProgrammeId,
    pub provider_id: ProviderId,
    pub title: String,
    pub field: String,
    pub description: String,
    pub requirements: String,
    pub education_min: i16,
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub age_reason: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i32,
    pub mode: Mode,
    pub place: String,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub quota: i32,
    pub cost: Option<Rupiah>,
    pub funding: Funding,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
    pub certificate: Certificate,
    pub status: Status,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Seats held by accepted participants (including those who finished or dropped out).
    pub seats_taken: i32,
}

impl Programme {
    pub fn status(&self) -> Status {
        self.status
    }
}

/// The programme form as typed.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeForm {
    pub title: String,
    pub field: String,
    pub description: String,
    pub requirements: String,
    pub education_min: String,
    pub age_min: String,
    pub age_max: String,
    pub age_reason: String,
    pub starts_on: String,
    pub ends_on: String,
    pub hours: String,
    pub mode: String,
    pub place: String,
    pub location: String,
    pub regency_code: String,
    pub quota: String,
    /// "free" or "paid".
    pub cost_kind: String,
    pub cost: String,
    pub funding: String,
    pub registration_opens_on: String,
    pub registration_closes_on: String,
    pub certificate: String,
    pub job_title_ids: Vec<String>,
}

impl ProgrammeForm {
    /// From a form body; job titles come as repeated `job_title_ids` fields.
    pub fn parse(body: &[u8]) -> (Self, String) {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let mut f = Self::default();
        let mut action = String::new();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v,
                "field" => f.field = v,
                "description" => f.description = v,
                "requirements" => f.requirements = v,
                "education_min" => f.education_min = v,
                "age_min" => f.age_min = v,
                "age_max" => f.age_max = v,
                "age_reason" => f.age_reason = v,
                "starts_on" => f.starts_on = v,
                "ends_on" => f.ends_on = v,
                "hours" => f.hours = v,
                "mode" => f.mode = v,
                "place" => f.place = v,
                "location" => f.location = v,
                "regency_code" => f.regency_code = v,
                "quota" => f.quota = v,
                "cost_kind" => f.cost_kind = v,
                "cost" => f.cost = v,
                "funding" => f.funding = v,
                "registration_opens_on" => f.registration_opens_on = v,
                "registration_closes_on" => f.registration_closes_on = v,
                "certificate" => f.certificate = v,
                "job_title_ids" if f.job_title_ids.len() < 10 => f.job_title_ids.push(v),
                "action" => action = v,
                _ => {}
            }
        }
        (f, action)
    }

    pub fn of(p: &Programme, job_titles: &[JobTitleId]) -> Self {
        let opt = |v: Option<i16>| v.map(|x| x.to_string()).unwrap_or_default();
        Self {
            title: p.title.clone(),
            field: p.field.clone(),
            description: p.description.clone(),
            requirements: p.requirements.clone(),
            education_min: p.education_min.to_string(),
            age_min: opt(p.age_min),
            age_max: opt(p.age_max),
            age_reason: p.age_reason.clone().unwrap_or_default(),
            starts_on: p.starts_on.to_string(),
            ends_on: p.ends_on.to_string(),
            hours: p.hours.to_string(),
            mode: p.mode.as_str().to_owned(),
            place: p.place.clone(),
            location: p
                .kelurahan_code
                .clone()
                .unwrap_or_else(|| OUTSIDE_BINJAI.to_owned()),
            regency_code: if p.regency_code == regions::BINJAI_CODE {
                String::new()
            } else {
                p.regency_code.clone()
            },
            quota: p.quota.to_string(),
            cost_kind: if p.cost.is_some() { "paid" } else { "free" }.into(),
            cost: p.cost.map(|c| c.to_string()).unwrap_or_default(),
            funding: p.funding.as_str().to_owned(),
            registration_opens_on: p.registration_opens_on.to_string(),
            registration_closes_on: p.registration_closes_on.to_string(),
            certificate: p.certificate.as_str().to_owned(),
            job_title_ids: job_titles.iter().map(|i| i.to_string()).collect(),
        }
    }

    pub fn outside_binjai(&self) -> bool {
        self.location == OUTSIDE_BINJAI
    }

    pub fn has_job_title(&self, id: &str) -> bool {
        self.job_title_ids.iter().any(|j| j == id)
    }
}

pub struct ValidProgramme {
    pub title: String,
    pub field: &'static str,
    pub description: String,
    pub requirements: String,
    pub education_min: i16,
    pub age: Option<(i16, i16, String)>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i32,
    pub mode: Mode,
    pub place: String,
    pub kelurahan_code: Option<&'static str>,
    pub regency_code: &'static str,
    pub quota: i32,
    pub cost: Option<Rupiah>,
    pub funding: Funding,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
    pub certificate: Certificate,
    pub job_title_ids: Vec<JobTitleId>,
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

fn number<T: std::str::FromStr>(raw: &str) -> Option<T> {
    raw.trim().replace('.', "").parse().ok()
}

/// Checks the form; every mistake is named, by field. `title_exists` says whether a KBJI
/// job title id is real.
pub fn validate(
    f: &ProgrammeForm,
    mut title_exists: impl FnMut(JobTitleId) -> bool,
    errors: &mut FieldErrors,
) -> Option<ValidProgramme> {
    // First, so that a hidden character is the error shown for its field.
    check_line(errors, "title", f.title.trim());
    check_lines(errors, "description", f.description.trim());
    check_lines(errors, "requirements", f.requirements.trim());
    check_lines(errors, "age_reason", f.age_reason.trim());
    check_line(errors, "place", f.place.trim());
    let title = f.title.trim();
    if !(5..=150).contains(&title.chars().count()) {
        errors.add("title", "programme.error.title");
    }
    let field = FIELDS
        .iter()
        .find(|(c, _)| *c == f.field.trim())
        .map(|(c, _)| *c);
    if field.is_none() {
        errors.add("field", "programme.error.field");
    }
    let description = f.description.trim();
    if !(20..=5000).contains(&description.chars().count()) {
        errors.add("description", "programme.error.description");
    }
    let requirements = f.requirements.trim();
    if requirements.chars().count() > 3000 {
        errors.add("requirements", "programme.error.requirements");
    }
    let education = number::<i16>(&f.education_min).and_then(EducationLevel::from_code);
    if education.is_none() {
        errors.add("education_min", "programme.error.education");
    }
    // An age limit only with its reason (the issue: "age if justified").
    let age = match (f.age_min.trim(), f.age_max.trim()) {
        ("", "") => None,
        (min, max) => {
            let (lo, hi) = (number::<i16>(min), number::<i16>(max));
            match (lo, hi) {
                (Some(lo), Some(hi))
                    if (15..=70).contains(&lo) && (15..=70).contains(&hi) && lo <= hi =>
                {
                    let reason = f.age_reason.trim();
                    if reason.chars().count() < 10 {
                        errors.add("age_reason", "programme.error.age_reason");
                    }
                    Some((lo, hi, reason.to_owned()))
                }
                _ => {
                    errors.add("age_min", "programme.error.age");
                    None
                }
            }
        }
    };
    let starts_on = date(&f.starts_on);
    let ends_on = date(&f.ends_on);
    if starts_on.is_none() {
        errors.add("starts_on", "programme.error.date");
    }
    if ends_on.is_none() {
        errors.add("ends_on", "programme.error.date");
    }
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add("ends_on", "programme.error.ends_before_start");
    }
    let hours = number::<i32>(&f.hours).filter(|h| (1..=2000).contains(h));
    if hours.is_none() {
        errors.add("hours", "programme.error.hours");
    }
    let mode = Mode::parse(f.mode.trim());
    if mode.is_none() {
        errors.add("mode", "programme.error.mode");
    }
    let place = f.place.trim();
    if !(3..=200).contains(&place.chars().count()) {
        errors.add("place", "programme.error.place");
    }
    let (kelurahan_code, regency_code) = crate::employers::forms::check_place(
        &f.location,
        &f.regency_code,
        "company.error.location",
        errors,
    );
    let quota = number::<i32>(&f.quota).filter(|q| (1..=1000).contains(q));
    if quota.is_none() {
        errors.add("quota", "programme.error.quota");
    }
    let cost = match f.cost_kind.trim() {
        "free" => Some(None),
        "paid" => match Rupiah::parse(&f.cost).ok().filter(|c| c.amount() > 0) {
            Some(c) => Some(Some(c)),
            None => {
                errors.add("cost", "programme.error.cost");
                None
            }
        },
        _ => {
            errors.add("cost_kind", "programme.error.cost_kind");
            None
        }
    };
    let funding = Funding::parse(f.funding.trim());
    if funding.is_none() {
        errors.add("funding", "programme.error.funding");
    }
    let opens = date(&f.registration_opens_on);
    let closes = date(&f.registration_closes_on);
    if opens.is_none() {
        errors.add("registration_opens_on", "programme.error.date");
    }
    if closes.is_none() {
        errors.add("registration_closes_on", "programme.error.date");
    }
    if let (Some(o), Some(c)) = (opens, closes)
        && c < o
    {
        errors.add(
            "registration_closes_on",
            "programme.error.closes_before_opens",
        );
    }
    if let (Some(c), Some(s)) = (closes, starts_on)
        && c > s
    {
        errors.add(
            "registration_closes_on",
            "programme.error.closes_after_start",
        );
    }
    let certificate = Certificate::parse(f.certificate.trim());
    if certificate.is_none() {
        errors.add("certificate", "programme.error.certificate");
    }
    let job_title_ids: Vec<JobTitleId> = f
        .job_title_ids
        .iter()
        .filter_map(|id| id.trim().parse().ok())
        .filter(|id| title_exists(*id))
        .collect();
    if job_title_ids.is_empty() || job_title_ids.len() != f.job_title_ids.len() {
        errors.add("job_title_ids", "programme.error.job_titles");
    }
    if !errors.is_empty() {
        return None;
    }
    Some(ValidProgramme {
        title: title.to_owned(),
        field: field?,
        description: description.to_owned(),
        requirements: requirements.to_owned(),
        education_min: education?.code(),
        age,
        starts_on: starts_on?,
        ends_on: ends_on?,
        hours: hours?,
        mode: mode?,
        place: place.to_owned(),
        kelurahan_code,
        regency_code: regency_code?,
        quota: quota?,
        cost: cost?,
        funding: funding?,
        registration_opens_on: opens?,
        registration_closes_on: closes?,
        certificate: certificate?,
        job_title_ids,
    })
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = training_programmes)]
#[diesel(treat_none_as_null = true)]
struct Fields<'a> {
    title: &'a str,
    field: &'a str,
    description: &'a str,
    requirements: &'a str,
    education_min: i16,
    age_min: Option<i16>,
    age_max: Option<i16>,
    age_reason: Option<&'a str>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    hours: i32,
    mode: &'a str,
    place: &'a str,
    kelurahan_code: Option<&'a str>,
    regency_code: &'a str,
    quota: i32,
    cost: Option<Rupiah>,
    funding: &'a str,
    registration_opens_on: NaiveDate,
    registration_closes_on: NaiveDate,
    certificate: &'a str,
    updated_at: NaiveDateTime,
}

fn fields(v: &ValidProgramme) -> Fields<'_> {
    Fields {
        title: &v.title,
        field: v.field,
        description: &v.description,
        requirements: &v.requirements,
        education_min: v.education_min,
        age_min: v.age.as_ref().map(|a| a.0),
        age_max: v.age.as_ref().map(|a| a.1),
        age_reason: v.age.as_ref().map(|a| a.2.as_str()),
        starts_on: v.starts_on,
        ends_on: v.ends_on,
        hours: v.hours,
        mode: v.mode.as_str(),
        place: &v.place,
        kelurahan_code: v.kelurahan_code,
        regency_code: v.regency_code,
        quota: v.quota,
        cost: v.cost,
        funding: v.funding.as_str(),
        registration_opens_on: v.registration_opens_on,
        registration_closes_on: v.registration_closes_on,
        certificate: v.certificate.as_str(),
        updated_at: Utc::now().naive_utc(),
    }
}

fn record(
    conn: &mut DbConnection,
    id: ProgrammeId,
    status: Status,
    actor: UserId,
) -> QueryResult<()> {
    diesel::insert_into(training_programme_events::table)
        .values((
            training_programme_events::programme_id.eq(id),
            training_programme_events::status.eq(status.as_str()),
            training_programme_events::actor_user_id.eq(actor),
            training_programme_events::occurred_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

fn set_job_titles(
    conn: &mut DbConnection,
    id: ProgrammeId,
    titles: &[JobTitleId],
) -> QueryResult<()> {
    diesel::delete(
        training_programme_job_titles::table
            .filter(training_programme_job_titles::programme_id.eq(id)),
    )
    .execute(conn)?;
    for t in titles {
        diesel::insert_into(training_programme_job_titles::table)
            .values((
                training_programme_job_titles::programme_id.eq(id),
                training_programme_job_titles::job_title_id.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The searchable document of a programme: its title, field (in both languages, so that
/// "welding" finds "Pengelasan"), description, requirements, provider and the job titles it
/// prepares for (both languages too), folded for full-text search.
pub fn search_document(
    title: &str,
    field: &str,
    description: &str,
    requirements: &str,
    provider_name: &str,
    job_titles: &[(String, String)],
) -> String {
    let key = field_label(field);
    let (field_id, field_en) = (crate::web::Lang::Id.t(key), crate::web::Lang::En.t(key));
    let mut parts: Vec<&str> = vec![title, &field_id, &field_en];
    for (id, en) in job_titles {
        parts.extend([id.as_str(), en.as_str()]);
    }
    parts.extend([provider_name, description, requirements]);
    crate::db::fulltext::fold(&parts.join(" \n "))
}

/// The names (Indonesian, English) of these KBJI job titles.
fn job_title_names(
    conn: &mut DbConnection,
    ids: &[JobTitleId],
) -> QueryResult<Vec<(String, String)>> {
    Ok(crate::reference::job_titles_of(conn, ids)?
        .into_iter()
        .map(|(_, id, en)| (id, en))
        .collect())
}

fn document_of(
    conn: &mut DbConnection,
    provider: ProviderId,
    title: &str,
    field: &str,
    description: &str,
    requirements: &str,
    job_titles: &[JobTitleId],
) -> QueryResult<String> {
    let provider_name: String = training_providers::table
        .find(provider)
        .select(training_providers::name)
        .first(conn)?;
    let names = job_title_names(conn, job_titles)?;
    Ok(search_document(
        title,
        field,
        description,
        requirements,
        &provider_name,
        &names,
    ))
}

/// Writes the search document of each programme again where `only_empty` says: all of a
/// provider's after it was renamed, or every one without a document (rows written before
/// search existed). Returns how many were written.
fn refresh_search(
    conn: &mut DbConnection,
    provider: Option<ProviderId>,
    only_empty: bool,
) -> QueryResult<usize> {
    let mut query = training_programmes::table.into_boxed();
    if let Some(p) = provider {
        query = query.filter(training_programmes::provider_id.eq(p));
    }
    if only_empty {
        query = query.filter(training_programmes::search_text.eq(""));
    }
    let rows: Vec<Programme> = query.select(Programme::as_select()).load(conn)?;
    let n = rows.len();
    for p in rows {
        let titles = job_titles_of(conn, p.id)?;
        let doc = document_of(
            conn,
            p.provider_id,
            &p.title,
            &p.field,
            &p.description,
            &p.requirements,
            &titles,
        )?;
        diesel::update(training_programmes::table.find(p.id))
            .set(training_programmes::search_text.eq(doc))
            .execute(conn)?;
    }
    Ok(n)
}

/// After a provider is renamed: its programmes are found by the new name.
pub fn refresh_search_for_provider(
    conn: &mut DbConnection,
    provider: ProviderId,
) -> QueryResult<()> {
    refresh_search(conn, Some(provider), false).map(|_| ())
}

/// Gives a search document to every programme without one; cheap when there are none, so
/// it runs at every start.
pub fn backfill_search(conn: &mut DbConnection) -> QueryResult<usize> {
    refresh_search(conn, None, true)
}

fn valid_document(
    conn: &mut DbConnection,
    provider: ProviderId,
    v: &ValidProgramme,
) -> QueryResult<String> {
    document_of(
        conn,
        provider,
        &v.title,
        v.field,
        &v.description,
        &v.requirements,
        &v.job_title_ids,
    )
}

/// Saves a new programme as a draft.
pub fn create(
    conn: &mut DbConnection,
    provider: ProviderId,
    v: &ValidProgramme,
    actor: UserId,
) -> QueryResult<ProgrammeId> {
    crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        let doc = valid_document(conn, provider, v)?;
        let id = diesel::insert_into(training_programmes::table)
            .values((
                fields(v),
                training_programmes::search_text.eq(doc),
                training_programmes::provider_id.eq(provider),
                training_programmes::status.eq(Status::Draft.as_str()),
                training_programmes::created_by.eq(actor),
                training_programmes::created_at.eq(now),
            ))
            .returning(training_programmes::id)
            .get_result(conn)?;
        set_job_titles(conn, id, &v.job_title_ids)?;
        record(conn, id, Status::Draft, actor)?;
        Ok(id)
    })
}

/// Saves changes to an editable programme; false when it is no longer editable.
pub fn update(conn: &mut DbConnection, id: ProgrammeId, v: &ValidProgramme) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let provider: ProviderId = training_programmes::table
            .find(id)
            .select(training_programmes::provider_id)
            .first(conn)?;
        let doc = valid_document(conn, provider, v)?;
        let n = diesel::update(
            training_programmes::table
                .find(id)
                .filter(training_programmes::status.eq_any(["draft", "published"]))
                // Never fewer seats than participants already accepted.
                .filter(training_programmes::seats_taken.le(v.quota)),
        )
        .set((fields(v), training_programmes::search_text.eq(doc)))
        .execute(conn)?;
        if n == 1 {
            set_job_titles(conn, id, &v.job_title_ids)?;
        }
        Ok(n == 1)
    })
}

/// Moves a programme on, if the move is allowed from where it is; false otherwise.
pub fn move_to(
    conn: &mut DbConnection,
    p: &Programme,
    to: Status,
    actor: UserId,
) -> QueryResult<bool> {
    if !p.status().next().contains(&to) {
        return Ok(false);
    }
    crate::db::transaction(conn, |conn| {
        let n = diesel::update(
            training_programmes::table
                .find(p.id)
                .filter(training_programmes::status.eq(&p.status)),
        )
        .set((
            training_programmes::status.eq(to.as_str()),
            training_programmes::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
        if n == 1 {
            record(conn, p.id, to, actor)?;
        }
        Ok(n == 1)
    })
}

pub fn find(conn: &mut DbConnection, id: ProgrammeId) -> QueryResult<Option<Programme>> {
    training_programmes::table
        .find(id)
        .select(Programme::as_select())
        .first(conn)
        .optional()
}

/// The provider's programme, or None whatever the id (another provider's is not found).
pub fn find_own(
    conn: &mut DbConnection,
    id: ProgrammeId,
    provider: ProviderId,
) -> QueryResult<Option<Programme>> {
    training_programmes::table
        .find(id)
        .filter(training_programmes::provider_id.eq(provider))
        .select(Programme::as_select())
        .first(conn)
        .optional()
}

pub fn of_provider(conn: &mut DbConnection, provider: ProviderId) -> QueryResult<Vec<Programme>> {
    training_programmes::table
        .filter(training_programmes::provider_id.eq(provider))
        .order(training_programmes::starts_on.desc())
        .select(Programme::as_select())
        .load(conn)
}

pub fn job_titles_of(conn: &mut DbConnection, id: ProgrammeId) -> QueryResult<Vec<JobTitleId>> {
    training_programme_job_titles::table
        .filter(training_programme_job_titles::programme_id.eq(id))
        .select(training_programme_job_titles::job_title_id)
        .load(conn)
}

/// What the staff's list of programmes is narrowed to.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaffFilter {
    pub status: Option<Status>,
    pub provider: Option<ProviderId>,
    /// Programmes that start in this year.
    pub year: Option<i32>,
}

/// One page of the staff's list, newest start first, with each programme's provider name,
/// and how many programmes the filter finds in all. Drafts are the provider's own work
/// until published, so never listed.
pub fn staff_page(
    conn: &mut DbConnection,
    filter: StaffFilter,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<(Programme, String)>, i64)> {
    let filtered = || {
        let mut q = training_programmes::table
            .inner_join(training_providers::table)
            .filter(training_programmes::status.ne(Status::Draft.as_str()))
            .into_boxed();
        if let Some(s) = filter.status {
            q = q.filter(training_programmes::status.eq(s.as_str()));
        }
        if let Some(p) = filter.provider {
            q = q.filter(training_programmes::provider_id.eq(p));
        }
        if let Some(y) = filter.year {
            let first = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
            let last = NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default();
            q = q.filter(training_programmes::starts_on.between(first, last));
        }
        q
    };
    let total: i64 = filtered().select(diesel::dsl::count_star()).first(conn)?;
    let rows = filtered()
        .order((
            training_programmes::starts_on.desc(),
            training_programmes::id.desc(),
        ))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((Programme::as_select(), training_providers::name))
        .load(conn)?;
    Ok((rows, total))
}

/// The programmes that ended between two days (one provider's, or all), with their
/// provider's name, in the order they ended. Drafts and cancelled programmes trained
/// nobody, so they are left out.
pub fn ended_between(
    conn: &mut DbConnection,
    (first, last): (NaiveDate, NaiveDate),
    provider: Option<ProviderId>,
) -> QueryResult<Vec<(Programme, String)>> {
    let mut query = training_programmes::table
        .inner_join(training_providers::table)
        .filter(training_programmes::ends_on.between(first, last))
        .filter(
            training_programmes::status
                .ne_all([Status::Draft.as_str(), Status::Cancelled.as_str()]),
        )
        .select((Programme::as_select(), training_providers::name))
        .order((training_programmes::ends_on, training_programmes::id))
        .into_boxed();
    if let Some(p) = provider {
        query = query.filter(training_programmes::provider_id.eq(p));
    }
    query.load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ProgrammeForm {
        ProgrammeForm {
            title: "Pelatihan Pengelasan SMAW".into(),
            field: "las".into(),
            description: "Pengelasan dasar dengan las busur manual untuk pemula.".into(),
            education_min: "3".into(),
            starts_on: "2027-02-01".into(),
            ends_on: "2027-03-15".into(),
            hours: "240".into(),
            mode: "in_person".into(),
            place: "Bengkel las BLK Binjai".into(),
            location: "12.75.01.1008".into(),
            quota: "16".into(),
            cost_kind: "free".into(),
            funding: "apbd".into(),
            registration_opens_on: "2027-01-01".into(),
            registration_closes_on: "2027-01-25".into(),
            certificate: "bnsp".into(),
            job_title_ids: vec!["7".into()],
            ..ProgrammeForm::default()
        }
    }

    fn check(f: &ProgrammeForm) -> Result<ValidProgramme, FieldErrors> {
        let mut errors = FieldErrors::default();
        validate(f, |id| id == JobTitleId::new(7), &mut errors).ok_or(errors)
    }

    #[test]
    fn a_complete_form_is_taken() {
        let v = check(&good()).ok().unwrap();
        assert_eq!(v.quota, 16);
        assert_eq!(v.cost, None);
        assert_eq!(v.regency_code, regions::BINJAI_CODE);
    }

    #[test]
    fn dates_that_end_before_they_start_are_refused() {
        let mut f = good();
        f.ends_on = "2027-01-31".into();
        assert_eq!(
            check(&f).err().unwrap().get("ends_on"),
            Some("programme.error.ends_before_start")
        );
        let mut f = good();
        f.registration_closes_on = "2026-12-01".into();
        assert_eq!(
            check(&f).err().unwrap().get("registration_closes_on"),
            Some("programme.error.closes_before_opens")
        );
        let mut f = good();
        f.registration_closes_on = "2027-02-10".into();
        assert_eq!(
            check(&f).err().unwrap().get("registration_closes_on"),
            Some("programme.error.closes_after_start")
        );
    }

    #[test]
    fn an_age_limit_needs_its_reason_and_a_paid_course_its_cost() {
        let mut f = good();
        f.age_min = "18".into();
        f.age_max = "35".into();
        assert_eq!(
            check(&f).err().unwrap().get("age_reason"),
            Some("programme.error.age_reason")
        );
        f.age_reason = "Program magang ke Jepang mensyaratkan usia ini.".into();
        assert!(check(&f).is_ok());
        let mut f = good();
        f.cost_kind = "paid".into();
        assert_eq!(
            check(&f).err().unwrap().get("cost"),
            Some("programme.error.cost")
        );
        f.cost = "1.500.000".into();
        assert_eq!(check(&f).ok().unwrap().cost, Rupiah::new(1_500_000).ok());
    }

    #[test]
    fn a_programme_moves_forward_only() {
        assert!(Status::Draft.next().contains(&Status::Published));
        assert!(!Status::Published.next().contains(&Status::Draft));
        assert!(Status::Running.next() == [Status::Finished]);
        assert!(Status::Finished.next().is_empty());
        assert!(!Status::Running.editable());
    }
}
