//! KBLI 2020 business classification codes (Klasifikasi Baku Lapangan Usaha Indonesia).

use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored::stored_as_text;

/// A KBLI 2020 code at any level: a section (kategori, one letter `A` to `U`; what a
/// company's profile holds today) or a division, group, class or 5-digit kelompok (2 to 5
/// digits, what OSS gives with the NIB). The shape is checked, not membership of the list:
/// the list lives in `reference::kbli`. The only way to get one is [`KbliCode::parse`].
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    AsExpression,
    diesel::FromSqlRow,
    serde::Serialize,
)]
#[serde(transparent)]
#[diesel(sql_type = Text)]
pub struct KbliCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a KBLI code: a section letter A to U, or 2 to 5 digits")]
pub struct InvalidKbliCode;

impl KbliCode {
    /// Takes a section letter in either case; it is kept in capitals.
    pub fn parse(input: &str) -> Result<Self, InvalidKbliCode> {
        let s = input.trim();
        match s.as_bytes() {
            [letter] if (b'A'..=b'U').contains(&letter.to_ascii_uppercase()) => {
                Ok(Self(s.to_ascii_uppercase()))
            }
            digits if (2..=5).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) => {
                Ok(Self(s.to_owned()))
            }
            _ => Err(InvalidKbliCode),
        }
    }

    /// Whether this is a section letter rather than a numbered code.
    pub fn is_section(&self) -> bool {
        self.0.len() == 1
    }
}

stored_as_text!(KbliCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_numbered_codes() {
        assert_eq!(KbliCode::parse("G").unwrap().as_str(), "G");
        assert_eq!(KbliCode::parse(" c ").unwrap().as_str(), "C");
        assert!(KbliCode::parse("U").unwrap().is_section());
        for good in ["47", "471", "4711", "47111"] {
            let code = KbliCode::parse(good).unwrap();
            assert_eq!(code.as_str(), good);
            assert!(!code.is_section());
        }
    }

    #[test]
    fn other_shapes_are_refused() {
        for bad in ["", "V", "Z", "4", "471111", "GG", "4a", "4 7", "É"] {
            assert_eq!(KbliCode::parse(bad), Err(InvalidKbliCode), "{bad:?}");
        }
    }
}
