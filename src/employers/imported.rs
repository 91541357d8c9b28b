//! Companies from a list (the Dinas's own register, an OSS or WLKP extract): the import
//! framework's `companies` kind writes them here, a batch at a time, inside its one
//! transaction. A head office is found by its NIB, a branch by its head office's NIB and its
//! own name. A list fills in and corrects; it never erases what the company entered that the
//! list leaves blank, and it never decides verification: a new company waits for a verifier,
//! and a verified one whose reviewed facts the list changes goes back to review, as after an
//! employer's own change (docs/decisions.md, "Companies from a list").

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::kbli::{self, KbliCodes};
use super::model::{Company, InvestmentStatus, LegalForm, VerificationStatus, record_event};
use crate::db::DbConnection;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::{Email, KbliCode, Npp, Phone, calendar};
use crate::schema::{companies, company_kbli};

/// One company as a list gives it, checked. `None` is "the list does not say".
#[derive(Debug, Clone)]
pub struct ImportedCompany {
    /// 13 digits; a branch's is its head office's.
    pub nib: String,
    /// A branch (kantor cabang) of the head office with this NIB, known by its own name.
    pub branch: bool,
    pub name: String,
    pub npwp: Option<String>,
    pub address: String,
    /// A Binjai kelurahan, or none for a company elsewhere.
    pub kelurahan_code: Option<&'static str>,
    pub regency_code: &'static str,
    /// Needed for a new head office (its section follows the primary code); a branch
    /// without codes takes its head office's section.
    pub kbli: Option<KbliCodes>,
    pub legal_form: Option<LegalForm>,
    pub investment_status: Option<InvestmentStatus>,
    pub npp: Option<Npp>,
    pub founded_on: Option<NaiveDate>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub website: Option<String>,
}

/// What writing one company did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Created(CompanyId),
    Updated(CompanyId),
    Unchanged(CompanyId),
}

/// A branch's name as two lists would both spell it: case and spacing aside.
pub fn branch_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The companies of one batch as they stand, read in two queries.
struct Known {
    heads: HashMap<String, Company>,
    branches: HashMap<(CompanyId, String), Company>,
    codes: HashMap<CompanyId, Vec<(KbliCode, bool)>>,
}

impl Known {
    fn load(conn: &mut DbConnection, rows: &[ImportedCompany]) -> QueryResult<Self> {
        let mut nibs: Vec<&str> = rows.iter().map(|r| r.nib.as_str()).collect();
        nibs.sort_unstable();
        nibs.dedup();
        let found: Vec<Company> = companies::table
            .filter(companies::nib.eq_any(&nibs))
            .order(companies::id.asc())
            .select(Company::as_select())
            .load(conn)?;
        let ids: Vec<CompanyId> = found.iter().map(|c| c.id).collect();
        let open: Vec<(CompanyId, KbliCode, bool)> = company_kbli::table
            .filter(company_kbli::company_id.eq_any(&ids))
            .filter(company_kbli::valid_to.is_null())
            .order(company_kbli::id.asc())
            .select((
                company_kbli::company_id,
                company_kbli::code,
                company_kbli::is_primary,
            ))
            .load(conn)?;
        let mut known = Self {
            heads: HashMap::new(),
            branches: HashMap::new(),
            codes: HashMap::new(),
        };
        for (id, code, primary) in open {
            known.codes.entry(id).or_default().push((code, primary));
        }
        for company in found {
            // The oldest of two branches with one name is the one a list means.
            match (company.head_office_id, company.nib.clone()) {
                (Some(head), _) => {
                    known
                        .branches
                        .entry((head, branch_key(&company.name)))
                        .or_insert(company);
                }
                (None, Some(nib)) => {
                    known.heads.entry(nib).or_insert(company);
                }
                (None, None) => {}
            }
        }
        Ok(known)
    }
}

/// Writes a batch of companies, in order (a branch may follow its head office in the same
/// batch), inside the caller's transaction: one outcome per row. A branch whose head office
/// is not there is `NotFound`: the import checks that before it writes.
pub fn record_imported_within(
    conn: &mut DbConnection,
    rows: &[ImportedCompany],
    actor: Option<UserId>,
) -> QueryResult<Vec<Imported>> {
    let mut known = Known::load(conn, rows)?;
    let today = calendar::today();
    let now = Utc::now().naive_utc();
    let mut outcomes = Vec::with_capacity(rows.len());
    for row in rows {
        let outcome = if row.branch {
            let head = known
                .heads
                .get(&row.nib)
                .cloned()
                .ok_or(diesel::result::Error::NotFound)?;
            let key = (head.id, branch_key(&row.name));
            match known.branches.get(&key) {
                Some(branch) => {
                    let codes = known.codes.get(&branch.id).cloned().unwrap_or_default();
                    update(conn, branch, &codes, row, actor, today, now)?
                }
                None => {
                    let id = insert(conn, row, Some(&head), actor, today, now)?;
                    if let Some(company) = super::find_company(conn, id)? {
                        known.branches.insert(key, company);
                    }
                    Imported::Created(id)
                }
            }
        } else {
            match known.heads.get(&row.nib) {
                Some(head) => {
                    let codes = known.codes.get(&head.id).cloned().unwrap_or_default();
                    update(conn, head, &codes, row, actor, today, now)?
                }
                None => {
                    let id = insert(conn, row, None, actor, today, now)?;
                    if let Some(company) = super::find_company(conn, id)? {
                        known.heads.insert(row.nib.clone(), company);
                    }
                    Imported::Created(id)
                }
            }
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// A new company, waiting for verification, with its first event and its codes from today.
fn insert(
    conn: &mut DbConnection,
    row: &ImportedCompany,
    head: Option<&Company>,
    actor: Option<UserId>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<CompanyId> {
    let section = row
        .kbli
        .as_ref()
        .and_then(|codes| kbli::section_of(&codes.primary))
        .or_else(|| head.map(|h| h.kbli_section.clone()))
        .ok_or(diesel::result::Error::NotFound)?;
    // A branch starts with its head office's legal form and PMA/PMDN unless the list says.
    let legal_form = row.legal_form.or(head.and_then(|h| h.legal_form));
    let investment_status = row
        .investment_status
        .or(head.and_then(|h| h.investment_status));
    let id: CompanyId = diesel::insert_into(companies::table)
        .values((
            (
                companies::name.eq(row.name.trim()),
                companies::nib.eq(&row.nib),
                companies::npwp.eq(row.npwp.as_deref()),
                companies::kbli_section.eq(&section),
                companies::address.eq(row.address.trim()),
                companies::kelurahan_code.eq(row.kelurahan_code),
                companies::regency_code.eq(row.regency_code),
                companies::created_at.eq(now),
                companies::updated_at.eq(now),
                companies::verification_status.eq(VerificationStatus::Pending.as_str()),
                companies::status_changed_at.eq(now),
            ),
            (
                companies::contact_phone.eq(row.phone.as_ref()),
                companies::contact_email.eq(row.email.as_ref()),
                companies::website.eq(row.website.as_deref()),
                companies::legal_form.eq(legal_form.map(LegalForm::as_str)),
                companies::investment_status.eq(investment_status.map(InvestmentStatus::as_str)),
                companies::npp.eq(row.npp.as_ref()),
                companies::founded_on.eq(row.founded_on),
                companies::head_office_id.eq(head.map(|h| h.id)),
            ),
        ))
        .returning(companies::id)
        .get_result(conn)?;
    record_event(conn, id, VerificationStatus::Pending, None, actor, now)?;
    if row.kbli.is_some() {
        kbli::record_within(conn, id, row.kbli.as_ref(), today, actor)?;
    }
    Ok(id)
}

/// What the list says, laid over what is stored: a blank in the list keeps the stored value.
fn merged<T: Clone>(given: Option<&T>, stored: Option<&T>) -> Option<T> {
    given.or(stored).cloned()
}

/// Whether the list's codes differ from the open ones (as sets: the order of the others
/// means nothing).
fn codes_differ(open: &[(KbliCode, bool)], given: &KbliCodes) -> bool {
    let wanted: Vec<(&KbliCode, bool)> = std::iter::once((&given.primary, true))
        .chain(given.others.iter().map(|c| (c, false)))
        .collect();
    wanted.len() != open.len()
        || wanted
            .iter()
            .any(|(c, p)| !open.contains(&((*c).clone(), *p)))
}

/// Brings a known company in line with the list; `Unchanged` when it already is.
fn update(
    conn: &mut DbConnection,
    company: &Company,
    open: &[(KbliCode, bool)],
    row: &ImportedCompany,
    actor: Option<UserId>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Imported> {
    let name = row.name.trim();
    let address = row.address.trim();
    let npwp = merged(row.npwp.as_ref(), company.npwp.as_ref());
    let legal_form = merged(row.legal_form.as_ref(), company.legal_form.as_ref());
    let investment_status = merged(
        row.investment_status.as_ref(),
        company.investment_status.as_ref(),
    );
    let npp = merged(row.npp.as_ref(), company.npp.as_ref());
    let founded_on = merged(row.founded_on.as_ref(), company.founded_on.as_ref());
    let phone = merged(row.phone.as_ref(), company.contact_phone.as_ref());
    let email = merged(row.email.as_ref(), company.contact_email.as_ref());
    let website = merged(row.website.as_ref(), company.website.as_ref());
    let facts_changed = company.name != name
        || company.address != address
        || company.kelurahan_code.as_deref() != row.kelurahan_code
        || company.regency_code != row.regency_code
        || company.npwp != npwp
        || company.legal_form != legal_form
        || company.investment_status != investment_status
        || company.npp != npp
        || company.founded_on != founded_on
        || company.contact_phone != phone
        || company.contact_email != email
        || company.website != website;
    let codes_changed = row.kbli.as_ref().is_some_and(|k| codes_differ(open, k));
    if !facts_changed && !codes_changed {
        return Ok(Imported::Unchanged(company.id));
    }
    diesel::update(companies::table.find(company.id))
        .set((
            (
                companies::name.eq(name),
                companies::npwp.eq(npwp.as_deref()),
                companies::address.eq(address),
                companies::kelurahan_code.eq(row.kelurahan_code),
                companies::regency_code.eq(row.regency_code),
                companies::contact_phone.eq(phone.as_ref()),
                companies::contact_email.eq(email.as_ref()),
                companies::website.eq(website.as_deref()),
            ),
            (
                companies::legal_form.eq(legal_form.map(LegalForm::as_str)),
                companies::investment_status.eq(investment_status.map(InvestmentStatus::as_str)),
                companies::npp.eq(npp.as_ref()),
                companies::founded_on.eq(founded_on),
                // A verifier's decision names the revision it saw: one taken on what was
                // shown before the list is void.
                companies::revision.eq(companies::revision + 1),
                companies::updated_at.eq(now),
            ),
        ))
        .execute(conn)?;
    if codes_changed {
        // Closed and opened from today: the past months keep the codes they had.
        kbli::record_within(conn, company.id, row.kbli.as_ref(), today, actor)?;
    }
    if company.name != name {
        crate::vacancies::refresh_search_for_company(conn, company.id)?;
    }
    if company.verification_status == VerificationStatus::Verified {
        // What the public pages show as verified was seen by a verifier: a changed
        // company is seen again.
        diesel::update(companies::table.find(company.id))
            .set((
                companies::verification_status.eq(VerificationStatus::Pending.as_str()),
                companies::verification_note.eq(None::<String>),
                companies::status_changed_at.eq(now),
            ))
            .execute(conn)?;
        record_event(
            conn,
            company.id,
            VerificationStatus::Pending,
            None,
            actor,
            now,
        )?;
    }
    Ok(Imported::Updated(company.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branch_is_known_by_its_name_whatever_the_case_and_spacing() {
        assert_eq!(
            branch_key("  Cabang   Binjai  Timur "),
            branch_key("cabang binjai timur")
        );
        assert_ne!(branch_key("Cabang Timur"), branch_key("Cabang Barat"));
    }

    #[test]
    fn codes_compare_as_sets() {
        let code = |c: &str| KbliCode::parse(c).unwrap();
        let open = vec![
            (code("47111"), true),
            (code("10792"), false),
            (code("56101"), false),
        ];
        let same = KbliCodes {
            primary: code("47111"),
            others: vec![code("56101"), code("10792")],
        };
        assert!(!codes_differ(&open, &same));
        let swapped = KbliCodes {
            primary: code("10792"),
            others: vec![code("47111"), code("56101")],
        };
        assert!(codes_differ(&open, &swapped));
        let fewer = KbliCodes {
            primary: code("47111"),
            others: vec![code("10792")],
        };
        assert!(codes_differ(&open, &fewer));
    }
}
