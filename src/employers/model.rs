use crate::domain::ids::{CompanyId, UserId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::{Email, KbliCode, Npp, Phone};
use crate::schema::{companies, company_events};
use crate::web::respond::RequestMeta;

choice!(
    VerificationStatus in "ref_verification_status" {
        Pending => "pending", "company.status.pending",
        Verified => "verified", "company.status.verified",
        Rejected => "rejected", "company.status.rejected",
    }
);

choice!(
    /// BPS size bands by number of workers.
    SizeBand in "ref_size_band" {
        Micro => "micro", "company.size.micro",
        Small => "small", "company.size.small",
        Medium => "medium", "company.size.medium",
        Large => "large", "company.size.large",
    }
);

choice!(
    /// The company's legal form (bentuk badan usaha), as WLKP asks it.
    LegalForm in "ref_legal_form" {
        Pt => "pt", "company.legal_form.pt",
        Cv => "cv", "company.legal_form.cv",
        Firma => "firma", "company.legal_form.firma",
        Koperasi => "koperasi", "company.legal_form.koperasi",
        Yayasan => "yayasan", "company.legal_form.yayasan",
        /// Perorangan or usaha dagang (UD).
        Perorangan => "perorangan", "company.legal_form.perorangan",
        Bumn => "bumn", "company.legal_form.bumn",
        Bumd => "bumd", "company.legal_form.bumd",
        Other => "other", "company.legal_form.other",
    }
);

choice!(
    /// Foreign (PMA) or domestic (PMDN) investment.
    InvestmentStatus in "ref_investment_status" {
        Pma => "pma", "company.investment.pma",
        Pmdn => "pmdn", "company.investment.pmdn",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub nib: Option<String>,
    pub npwp: Option<String>,
    pub kbli_section: KbliCode,
    pub address: String,
    pub kelurahan_code: Option<String>,
    pub regency_code: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub verification_status: VerificationStatus,
    pub verification_note: Option<String>,
    pub status_changed_at: Option<NaiveDateTime>,
    pub size_band: Option<SizeBand>,
    pub contact_phone: Option<Phone>,
    pub contact_email: Option<Email>,
    pub website: Option<String>,
    pub description: Option<String>,
    /// Moved on by every change to the profile: a verifier's decision names the one it saw.
    pub revision: i32,
    pub legal_form: Option<LegalForm>,
    pub investment_status: Option<InvestmentStatus>,
    pub npp: Option<Npp>,
    pub founded_on: Option<NaiveDate>,
    /// Set on a branch: the head office whose NIB it shares.
    pub head_office_id: Option<CompanyId>,
}

impl Company {
    pub fn status(&self) -> VerificationStatus {
        self.verification_status
    }

    pub fn size(&self) -> Option<SizeBand> {
        self.size_band
    }
}

pub struct NewCompany<'a> {
    pub name: &'a str,
    pub nib: Option<&'a str>,
    pub npwp: Option<&'a str>,
    pub kbli_section: &'a KbliCode,
    pub address: &'a str,
    /// A Binjai kelurahan, or none for a company elsewhere.
    pub kelurahan_code: Option<&'a str>,
    /// The kab/kota: 12.75 for Binjai.
    pub regency_code: &'a str,
}

/// Creates the company, waiting for verification, with its first dated event.
pub fn create_company(conn: &mut DbConnection, new: &NewCompany<'_>) -> QueryResult<CompanyId> {
    let now = chrono::Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        let id = diesel::insert_into(companies::table)
            .values((
                companies::name.eq(new.name.trim()),
                companies::nib.eq(new.nib),
                companies::npwp.eq(new.npwp),
                companies::kbli_section.eq(new.kbli_section),
                companies::address.eq(new.address.trim()),
                companies::kelurahan_code.eq(new.kelurahan_code),
                companies::regency_code.eq(new.regency_code),
                companies::created_at.eq(now),
                companies::updated_at.eq(now),
                companies::verification_status.eq(VerificationStatus::Pending.as_str()),
                companies::status_changed_at.eq(now),
            ))
            .returning(companies::id)
            .get_result(conn)?;
        record_event(conn, id, VerificationStatus::Pending, None, None, now)?;
        Ok(id)
    })
}

/// The first event of a company registered by someone else (a branch).
pub(super) fn record_pending(
    conn: &mut DbConnection,
    company_id: CompanyId,
    actor: Option<UserId>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    record_event(
        conn,
        company_id,
        VerificationStatus::Pending,
        None,
        actor,
        at,
    )
}

pub(super) fn record_event(
    conn: &mut DbConnection,
    company_id: CompanyId,
    status: VerificationStatus,
    note: Option<&str>,
    actor: Option<UserId>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(company_events::table)
        .values((
            company_events::company_id.eq(company_id),
            company_events::status.eq(status.as_str()),
            company_events::note.eq(note),
            company_events::actor_user_id.eq(actor),
            company_events::occurred_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Moves the company to a new verification status, with a dated event.
pub fn set_status(
    conn: &mut DbConnection,
    company_id: CompanyId,
    status: VerificationStatus,
    note: Option<&str>,
    actor: Option<UserId>,
) -> QueryResult<()> {
    let now = chrono::Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        diesel::update(companies::table.find(company_id))
            .set((
                companies::verification_status.eq(status.as_str()),
                companies::verification_note.eq(note),
                companies::status_changed_at.eq(now),
                companies::updated_at.eq(now),
            ))
            .execute(conn)?;
        record_event(conn, company_id, status, note, actor, now)
    })
}

/// A verifier's decision on the revision of the profile they reviewed: succeeds, with a
/// dated event, only while the company is still pending at that revision.
pub fn decide(
    conn: &mut DbConnection,
    company_id: CompanyId,
    revision: i32,
    decision: VerificationStatus,
    note: Option<&str>,
    actor: UserId,
) -> QueryResult<bool> {
    let now = chrono::Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        let decided = diesel::update(
            companies::table
                .find(company_id)
                .filter(companies::verification_status.eq(VerificationStatus::Pending.as_str()))
                .filter(companies::revision.eq(revision)),
        )
        .set((
            companies::verification_status.eq(decision.as_str()),
            companies::verification_note.eq(note),
            companies::status_changed_at.eq(now),
            companies::updated_at.eq(now),
        ))
        .execute(conn)?;
        if decided == 1 {
            record_event(conn, company_id, decision, note, Some(actor), now)?;
        }
        Ok(decided == 1)
    })
}

pub fn find_company(conn: &mut DbConnection, id: CompanyId) -> QueryResult<Option<Company>> {
    companies::table
        .find(id)
        .select(Company::as_select())
        .first(conn)
        .optional()
}

/// Whether a head office has this NIB (its branches share it).
pub fn nib_taken(conn: &mut DbConnection, nib: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        companies::table
            .filter(companies::nib.eq(nib))
            .filter(companies::head_office_id.is_null()),
    ))
    .get_result(conn)
}

/// Whether another head office than `except` has this NIB.
pub fn nib_taken_by_other(
    conn: &mut DbConnection,
    nib: &str,
    except: CompanyId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        companies::table
            .filter(companies::nib.eq(nib))
            .filter(companies::head_office_id.is_null())
            .filter(companies::id.ne(except)),
    ))
    .get_result(conn)
}

/// A company as lists of many show it.
#[derive(Debug, Clone, Queryable)]
pub struct CompanyBrief {
    pub id: CompanyId,
    pub name: String,
    pub nib: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The verified companies (head offices and branches), by name: the employers WLKP
/// expects reports from.
pub fn verified_companies(conn: &mut DbConnection) -> QueryResult<Vec<CompanyBrief>> {
    companies::table
        .filter(companies::verification_status.eq(VerificationStatus::Verified.as_str()))
        .order((companies::name.asc(), companies::id.asc()))
        .select((
            companies::id,
            companies::name,
            companies::nib,
            companies::created_at,
        ))
        .load(conn)
}

/// Which of these companies the Dinas has verified.
pub fn verified_among(
    conn: &mut DbConnection,
    ids: &[CompanyId],
) -> QueryResult<std::collections::HashSet<CompanyId>> {
    let rows: Vec<CompanyId> = companies::table
        .filter(companies::id.eq_any(ids))
        .filter(companies::verification_status.eq(VerificationStatus::Verified.as_str()))
        .select(companies::id)
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The names of these companies.
pub fn company_names(
    conn: &mut DbConnection,
    ids: &[CompanyId],
) -> QueryResult<std::collections::HashMap<CompanyId, String>> {
    let rows: Vec<(CompanyId, String)> = companies::table
        .filter(companies::id.eq_any(ids))
        .select((companies::id, companies::name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The head office with this NIB, if the portal knows it.
pub fn head_office_by_nib(conn: &mut DbConnection, nib: &str) -> QueryResult<Option<CompanyId>> {
    companies::table
        .filter(companies::nib.eq(nib))
        .filter(companies::head_office_id.is_null())
        .select(companies::id)
        .first(conn)
        .optional()
}

/// Companies waiting for a verifier, the longest-waiting first.
pub fn pending_companies(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Company>> {
    companies::table
        .filter(companies::verification_status.eq(VerificationStatus::Pending.as_str()))
        .order((companies::status_changed_at.asc(), companies::id.asc()))
        .limit(limit)
        .select(Company::as_select())
        .load(conn)
}

pub fn count_pending_companies(conn: &mut DbConnection) -> QueryResult<i64> {
    companies::table
        .filter(companies::verification_status.eq(VerificationStatus::Pending.as_str()))
        .count()
        .get_result(conn)
}

#[derive(Debug, Clone, Queryable)]
pub struct CompanyEvent {
    pub status: VerificationStatus,
    pub note: Option<String>,
    pub actor_email: Option<crate::domain::Email>,
    pub occurred_at: NaiveDateTime,
}

/// The company's verification history, oldest first.
pub fn company_events(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<CompanyEvent>> {
    type Row = (
        VerificationStatus,
        Option<String>,
        Option<UserId>,
        NaiveDateTime,
    );
    let rows: Vec<Row> = company_events::table
        .filter(company_events::company_id.eq(company_id))
        .order((company_events::occurred_at.asc(), company_events::id.asc()))
        .select((
            company_events::status,
            company_events::note,
            company_events::actor_user_id,
            company_events::occurred_at,
        ))
        .load(conn)?;
    let actors: Vec<UserId> = rows.iter().filter_map(|r| r.2).collect();
    let emails = crate::accounts::directory::emails_of(conn, &actors)?;
    Ok(rows
        .into_iter()
        .map(|(status, note, actor, occurred_at)| CompanyEvent {
            status,
            note,
            actor_email: actor
                .and_then(|a| emails.iter().find(|e| e.0 == a))
                .map(|e| e.1.clone()),
            occurred_at,
        })
        .collect())
}

/// The verified companies for the sitemap, newest first: id and last change.
pub fn sitemap_entries(
    conn: &mut DbConnection,
    limit: i64,
) -> QueryResult<Vec<(CompanyId, NaiveDateTime)>> {
    companies::table
        .filter(companies::verification_status.eq(VerificationStatus::Verified.as_str()))
        .order(companies::id.desc())
        .limit(limit)
        .select((companies::id, companies::updated_at))
        .load(conn)
}

/// The active users of a company, who hear of its verification.
pub fn company_user_emails(
    conn: &mut DbConnection,
    company_id: CompanyId,
) -> QueryResult<Vec<(crate::domain::Email, String)>> {
    crate::accounts::directory::company_contacts(conn, company_id)
}

/// What the company's users may change on its profile, parsed and checked.
pub struct ProfileChange {
    pub company: super::forms::ValidCompany,
    pub size: Option<SizeBand>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub legal_form: Option<LegalForm>,
    pub investment_status: Option<InvestmentStatus>,
    pub npp: Option<Npp>,
    pub founded_on: Option<NaiveDate>,
    /// The 5-digit KBLI codes; `None` when the company gives none.
    pub kbli: Option<super::kbli::KbliCodes>,
}

/// What a profile save did.
pub enum ProfileSave {
    Done,
    /// Rejected before, corrected: back in the queue.
    Resubmitted,
    /// Verified before, changed where it matters: reviewed again.
    BackToReview,
    /// Someone else saved the profile a moment before: nothing was written.
    MovedOn,
    /// A branch keeps its head office's NIB: nothing was written.
    BranchNib,
}

/// Saves a profile change, with its audit line. `None` when the NIB belongs to another
/// company. A rejected company goes back to the queue once corrected; a verified one as soon
/// as anything reviewed changes; a pending one stays in the queue, and the new revision
/// voids any decision taken on what the verifier saw before.
pub fn save_profile(
    conn: &mut DbConnection,
    company_id: CompanyId,
    change: &ProfileChange,
    actor: UserId,
    meta: &RequestMeta,
) -> QueryResult<Option<ProfileSave>> {
    let valid = &change.company;
    let before = find_company(conn, company_id)?.ok_or(diesel::result::Error::NotFound)?;
    if let Some(head) = before.head_office_id {
        let head_nib = find_company(conn, head)?.and_then(|h| h.nib);
        if head_nib.as_deref() != Some(valid.nib.as_str()) {
            return Ok(Some(ProfileSave::BranchNib));
        }
    } else if nib_taken_by_other(conn, &valid.nib, company_id)? {
        return Ok(None);
    }
    let kbli_before = super::kbli::current(conn, company_id)?;
    // Everything a verifier checks or a resident is shown, by field; only the size band
    // is neither, so only it may change without a new review.
    let reviewed = [
        ("company_name", before.name != valid.name),
        ("nib", before.nib.as_deref() != Some(valid.nib.as_str())),
        ("npwp", before.npwp != valid.npwp),
        ("kbli_section", before.kbli_section != valid.kbli_section),
        ("address", before.address != valid.address),
        (
            "location",
            before.kelurahan_code.as_deref() != valid.kelurahan_code
                || before.regency_code != valid.regency_code,
        ),
        ("contact_phone", before.contact_phone != change.phone),
        ("contact_email", before.contact_email != change.email),
        ("website", before.website != change.website),
        ("description", before.description != change.description),
        ("legal_form", before.legal_form != change.legal_form),
        (
            "investment_status",
            before.investment_status != change.investment_status,
        ),
        ("npp", before.npp != change.npp),
        ("founded_on", before.founded_on != change.founded_on),
        ("kbli", kbli_before != change.kbli),
    ];
    let changed: Vec<&str> = reviewed
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(field, _)| *field)
        .collect();
    crate::db::transaction(conn, |conn| {
        // Two users saving at once: the second save is refused rather than merged.
        let saved = diesel::update(
            companies::table
                .find(company_id)
                .filter(companies::revision.eq(before.revision)),
        )
        .set((
            companies::name.eq(&valid.name),
            companies::nib.eq(Some(&valid.nib)),
            companies::npwp.eq(valid.npwp.as_deref()),
            companies::kbli_section.eq(&valid.kbli_section),
            companies::address.eq(&valid.address),
            companies::kelurahan_code.eq(valid.kelurahan_code),
            companies::regency_code.eq(valid.regency_code),
            companies::size_band.eq(change.size.map(SizeBand::as_str)),
            companies::contact_phone.eq(change.phone.as_ref()),
            companies::contact_email.eq(change.email.as_ref()),
            companies::website.eq(change.website.as_deref()),
            companies::description.eq(change.description.as_deref()),
            companies::legal_form.eq(change.legal_form.map(LegalForm::as_str)),
            companies::investment_status.eq(change.investment_status.map(InvestmentStatus::as_str)),
            companies::npp.eq(change.npp.as_ref()),
            companies::founded_on.eq(change.founded_on),
            companies::revision.eq(companies::revision + 1),
            companies::updated_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(conn)?;
        if saved == 0 {
            return Ok(Some(ProfileSave::MovedOn));
        }
        // The branches share the head office's NIB.
        diesel::update(companies::table.filter(companies::head_office_id.eq(company_id)))
            .set(companies::nib.eq(Some(&valid.nib)))
            .execute(conn)?;
        super::kbli::record(
            conn,
            company_id,
            change.kbli.as_ref(),
            crate::domain::calendar::today(),
            Some(actor),
        )?;
        if before.name != valid.name {
            crate::vacancies::refresh_search_for_company(conn, company_id)?;
        }
        let resubmit = match before.status() {
            VerificationStatus::Rejected => true,
            VerificationStatus::Verified => !changed.is_empty(),
            VerificationStatus::Pending => false,
        };
        if resubmit {
            set_status(
                conn,
                company_id,
                VerificationStatus::Pending,
                None,
                Some(actor),
            )?;
        }
        audit::record(
            conn,
            Entry::new(actions::COMPANY_PROFILE_CHANGED)
                .actor(actor)
                .subject("company", company_id)
                .detail(serde_json::json!({
                    "resubmitted": resubmit,
                    "changed": changed,
                    "revision": before.revision + 1,
                }))
                .client(meta),
        )?;
        Ok(Some(match before.status() {
            VerificationStatus::Verified if resubmit => ProfileSave::BackToReview,
            _ if resubmit => ProfileSave::Resubmitted,
            _ => ProfileSave::Done,
        }))
    })
}

/// A verifier sets the facts WLKP asks of a company (the employer may set them too, on its
/// profile). The revision moves on, so a decision taken on what was shown before is void;
/// the company does not go back to review: the one who reviews made the change.
pub fn set_wlkp_facts(
    conn: &mut DbConnection,
    company_id: CompanyId,
    facts: &super::facts::Facts,
    actor: UserId,
    meta: &RequestMeta,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let Some(before) = find_company(conn, company_id)? else {
            return Ok(false);
        };
        let kbli_before = super::kbli::current(conn, company_id)?;
        let changed: Vec<&str> = [
            ("legal_form", before.legal_form != facts.legal_form),
            (
                "investment_status",
                before.investment_status != facts.investment_status,
            ),
            ("npp", before.npp != facts.npp),
            ("founded_on", before.founded_on != facts.founded_on),
            ("kbli", kbli_before != facts.kbli),
        ]
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(field, _)| *field)
        .collect();
        diesel::update(companies::table.find(company_id))
            .set((
                companies::legal_form.eq(facts.legal_form.map(LegalForm::as_str)),
                companies::investment_status
                    .eq(facts.investment_status.map(InvestmentStatus::as_str)),
                companies::npp.eq(facts.npp.as_ref()),
                companies::founded_on.eq(facts.founded_on),
                companies::revision.eq(companies::revision + 1),
                companies::updated_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(conn)?;
        super::kbli::record(
            conn,
            company_id,
            facts.kbli.as_ref(),
            crate::domain::calendar::today(),
            Some(actor),
        )?;
        audit::record(
            conn,
            Entry::new(actions::COMPANY_PROFILE_CHANGED)
                .actor(actor)
                .subject("company", company_id)
                .detail(serde_json::json!({
                    "by_staff": true,
                    "changed": changed,
                    "revision": before.revision + 1,
                }))
                .client(meta),
        )?;
        Ok(true)
    })
}

/// Every head office with a NIB: the NIB, the company and whether it is verified, the
/// oldest first (for an import, which matches its rows to companies by NIB in one read).
/// Branches share their head office's NIB, so a NIB names the head office.
pub fn companies_by_nib(
    conn: &mut DbConnection,
) -> QueryResult<Vec<(String, CompanyId, VerificationStatus)>> {
    let rows: Vec<(Option<String>, CompanyId, VerificationStatus)> = companies::table
        .filter(companies::nib.is_not_null())
        .filter(companies::head_office_id.is_null())
        .order(companies::id)
        .select((
            companies::nib,
            companies::id,
            companies::verification_status,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(nib, id, status)| nib.map(|nib| (nib, id, status)))
        .collect())
}

/// The kelurahan of these companies (none outside Binjai), for counts by place.
pub fn kelurahan_of(
    conn: &mut DbConnection,
    ids: &[CompanyId],
) -> QueryResult<std::collections::HashMap<CompanyId, Option<String>>> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(5000) {
        let rows: Vec<(CompanyId, Option<String>)> = companies::table
            .filter(companies::id.eq_any(chunk))
            .select((companies::id, companies::kelurahan_code))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}
