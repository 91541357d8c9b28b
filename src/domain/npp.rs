//! The NPP (Nomor Pendaftaran Perusahaan): the number BPJS Ketenagakerjaan gives an
//! employer it registers, which WLKP uses to match a company with its BPJS records.

use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored::stored_as_text;

/// An NPP: 8 digits, as BPJS Ketenagakerjaan prints it today (no public specification was
/// found; see docs/decisions.md, "WLKP"). Spaces, dots and dashes people type between
/// groups are dropped. The only way to get one is [`Npp::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, AsExpression, diesel::FromSqlRow, serde::Serialize)]
#[serde(transparent)]
#[diesel(sql_type = Text)]
pub struct Npp(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an NPP: 8 digits")]
pub struct InvalidNpp;

impl Npp {
    pub fn parse(input: &str) -> Result<Self, InvalidNpp> {
        let digits: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.'))
            .collect();
        if digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(InvalidNpp)
        }
    }
}

stored_as_text!(Npp);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_digits_with_separators_dropped() {
        assert_eq!(Npp::parse(" 1234-5678 ").unwrap().as_str(), "12345678");
        assert_eq!(Npp::parse("12.345.678").unwrap().as_str(), "12345678");
        for bad in ["", "1234567", "123456789", "1234567a", "AB123456"] {
            assert_eq!(Npp::parse(bad), Err(InvalidNpp), "{bad:?}");
        }
    }
}
