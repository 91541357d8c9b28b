//! Companies (pemberi kerja). Verification and WLKP reports build on this; lists of
//! companies come in through [`imported`].

pub mod branch_pages;
pub mod branches;
pub mod dataset;
pub mod facts;
pub mod forms;
pub mod imported;
pub mod kbli;
mod model;
pub mod profile;
pub mod public;
pub mod users;
pub mod verification;

pub use kbli::kbli_on;
pub use model::{
    Company, CompanyBrief, CompanyEvent, InvestmentStatus, LegalForm, NewCompany, ProfileChange,
    ProfileSave, SizeBand, VerificationStatus, companies_by_nib, company_events, company_names,
    company_user_emails, count_pending_companies, create_company, decide, find_company,
    head_office_by_nib, kelurahan_of, nib_taken, nib_taken_by_other, pending_companies,
    save_profile, set_status, set_wlkp_facts, sitemap_entries, verified_among, verified_companies,
};
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{CompanyId, CompanyKbliId};

/// NIB (Nomor Induk Berusaha) from OSS: 13 digits.
pub fn parse_nib(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 13 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// NPWP: 15 digits (old format, often written 01.234.567.8-901.000) or 16 (the NIK-based
/// format since 2024). Punctuation is dropped.
pub fn parse_npwp(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect();
    (matches!(digits.len(), 15 | 16) && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nib_is_13_digits() {
        assert_eq!(
            parse_nib(" 1234567890123 ").as_deref(),
            Some("1234567890123")
        );
        assert_eq!(parse_nib("123456789012"), None);
        assert_eq!(parse_nib("12345678901a3"), None);
    }

    #[test]
    fn npwp_accepts_both_formats() {
        assert_eq!(
            parse_npwp("01.234.567.8-901.000").as_deref(),
            Some("012345678901000")
        );
        assert_eq!(
            parse_npwp("1275015208980003").as_deref(),
            Some("1275015208980003")
        );
        assert_eq!(parse_npwp("01.234"), None);
    }
}
