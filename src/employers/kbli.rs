//! A company's 5-digit KBLI 2020 codes (kelompok) over time: several, one of them primary.
//! A change never rewrites a row but to close it (`valid_to`, exclusive, a WIB date) and
//! opens a new one, so a past month's statistics ask [`kbli_on`] for the code the company
//! had then. The company's one-letter `kbli_section`, which search and the other pages
//! use, follows the primary code.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::KbliCode;
use crate::domain::ids::{CompanyId, UserId};
use crate::reference::kbli;
use crate::schema::{companies, company_kbli};

/// A company's codes at one time: the primary one and the others, none twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbliCodes {
    pub primary: KbliCode,
    pub others: Vec<KbliCode>,
}

impl KbliCodes {
    fn rows(&self) -> Vec<(&KbliCode, bool)> {
        std::iter::once((&self.primary, true))
            .chain(self.others.iter().map(|c| (c, false)))
            .collect()
    }
}

/// A 5-digit KBLI code whose division is in the KBLI 2020 list: what OSS gives with the
/// NIB. Shorter codes and sections are not a company's activity.
pub fn parse_kelompok(raw: &str) -> Option<KbliCode> {
    let code = KbliCode::parse(raw).ok()?;
    (code.len() == 5 && kbli::section_of(&code).is_some()).then_some(code)
}

/// The section letter of a 5-digit code, from its division.
pub fn section_of(code: &KbliCode) -> Option<KbliCode> {
    kbli::section_of(code).and_then(|s| KbliCode::parse(s.code).ok())
}

/// One code over one period, for the history on the company pages.
#[derive(Debug, Clone, Queryable)]
pub struct KbliPeriod {
    pub code: KbliCode,
    pub is_primary: bool,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// The codes the company has now, if it has any.
pub fn current(conn: &mut DbConnection, company: CompanyId) -> QueryResult<Option<KbliCodes>> {
    let rows: Vec<(KbliCode, bool)> = company_kbli::table
        .filter(company_kbli::company_id.eq(company))
        .filter(company_kbli::valid_to.is_null())
        .order(company_kbli::id.asc())
        .select((company_kbli::code, company_kbli::is_primary))
        .load(conn)?;
    let Some(primary) = rows.iter().find(|r| r.1).map(|r| r.0.clone()) else {
        return Ok(None);
    };
    let others = rows.into_iter().filter(|r| !r.1).map(|r| r.0).collect();
    Ok(Some(KbliCodes { primary, others }))
}

/// The company's primary code on a date (WIB), as it was recorded then; `None` before it
/// had one.
pub fn kbli_on(
    conn: &mut DbConnection,
    company: CompanyId,
    date: NaiveDate,
) -> QueryResult<Option<KbliCode>> {
    company_kbli::table
        .filter(company_kbli::company_id.eq(company))
        .filter(company_kbli::is_primary.eq(true))
        .filter(company_kbli::valid_from.le(date))
        .filter(
            company_kbli::valid_to
                .is_null()
                .or(company_kbli::valid_to.gt(date)),
        )
        .order((company_kbli::valid_from.desc(), company_kbli::id.desc()))
        .select(company_kbli::code)
        .first(conn)
        .optional()
}

/// Every period of every code, the latest first.
pub fn history(conn: &mut DbConnection, company: CompanyId) -> QueryResult<Vec<KbliPeriod>> {
    company_kbli::table
        .filter(company_kbli::company_id.eq(company))
        .order((company_kbli::valid_from.desc(), company_kbli::id.desc()))
        .select((
            company_kbli::code,
            company_kbli::is_primary,
            company_kbli::valid_from,
            company_kbli::valid_to,
        ))
        .load(conn)
}

/// Records the company's codes from a date on (today for a profile save; an import may
/// give an earlier one, but not before the start of a code still open, which the
/// database refuses). Codes that stay as they were keep their row; the others are closed
/// and opened anew; `None` closes them all. The section follows the primary code.
/// Returns whether anything changed.
pub fn record(
    conn: &mut DbConnection,
    company: CompanyId,
    codes: Option<&KbliCodes>,
    from: NaiveDate,
    actor: Option<UserId>,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        record_within(conn, company, codes, from, actor)
    })
}

/// [`record`] inside a transaction the caller holds (a bulk import's: no savepoint per
/// row).
pub fn record_within(
    conn: &mut DbConnection,
    company: CompanyId,
    codes: Option<&KbliCodes>,
    from: NaiveDate,
    actor: Option<UserId>,
) -> QueryResult<bool> {
    let open: Vec<(i32, KbliCode, bool)> = company_kbli::table
        .filter(company_kbli::company_id.eq(company))
        .filter(company_kbli::valid_to.is_null())
        .select((
            company_kbli::id,
            company_kbli::code,
            company_kbli::is_primary,
        ))
        .load(conn)?;
    let wanted = codes.map(KbliCodes::rows).unwrap_or_default();
    let stale: Vec<i32> = open
        .iter()
        .filter(|(_, code, primary)| !wanted.contains(&(code, *primary)))
        .map(|(id, _, _)| *id)
        .collect();
    let fresh: Vec<(&KbliCode, bool)> = wanted
        .into_iter()
        .filter(|(code, primary)| !open.iter().any(|(_, c, p)| c == *code && p == primary))
        .collect();
    if stale.is_empty() && fresh.is_empty() {
        return Ok(false);
    }
    diesel::update(company_kbli::table.filter(company_kbli::id.eq_any(&stale)))
        .set(company_kbli::valid_to.eq(from))
        .execute(conn)?;
    let now = Utc::now().naive_utc();
    for (code, primary) in fresh {
        diesel::insert_into(company_kbli::table)
            .values((
                company_kbli::company_id.eq(company),
                company_kbli::code.eq(code),
                company_kbli::is_primary.eq(primary),
                company_kbli::valid_from.eq(from),
                company_kbli::actor_user_id.eq(actor),
                company_kbli::recorded_at.eq(now),
            ))
            .execute(conn)?;
    }
    if let Some(section) = codes.and_then(|c| section_of(&c.primary)) {
        diesel::update(companies::table.find(company))
            .set(companies::kbli_section.eq(section))
            .execute(conn)?;
    }
    Ok(true)
}

/// The KBLI section (A-U) the company worked in on `date`, as the IPK tables group it: of
/// its primary code then, or, for a company with no 5-digit code, the section it declared.
pub fn section_on(
    conn: &mut DbConnection,
    company: CompanyId,
    date: NaiveDate,
) -> QueryResult<Option<String>> {
    if let Some(section) = kbli_on(conn, company, date)?.and_then(|c| section_of(&c)) {
        return Ok(Some(section.as_str().to_owned()));
    }
    Ok(super::find_company(conn, company)?
        .map(|c| c.kbli_section.as_str().to_owned())
        .filter(|s| s.len() == 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kelompok_is_five_digits_of_a_known_division() {
        assert_eq!(parse_kelompok(" 47111 ").unwrap().as_str(), "47111");
        assert_eq!(
            section_of(&parse_kelompok("56101").unwrap())
                .unwrap()
                .as_str(),
            "I"
        );
        // 04 is a gap in the KBLI 2020 numbering.
        for bad in ["04111", "4711", "G", "471111", "abcde"] {
            assert_eq!(parse_kelompok(bad), None, "{bad:?}");
        }
    }
}
