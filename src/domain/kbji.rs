//! KBJI 2014 occupation codes (Klasifikasi Baku Jabatan Indonesia).

use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored::stored_as_text;

/// A KBJI 2014 code at any level: the major group (1 digit), sub-major group (2), minor
/// group (3), unit group (4, what the portal's job titles use, e.g. `2514`), or a jabatan
/// `NNNN.NN`. The shape is checked, not membership of the list: the list lives in
/// `reference::kbji`. The only way to get one is [`KbjiCode::parse`].
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
pub struct KbjiCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a KBJI code: 1 to 4 digits, or 4 digits, a dot and 2 digits")]
pub struct InvalidKbjiCode;

impl KbjiCode {
    pub fn parse(input: &str) -> Result<Self, InvalidKbjiCode> {
        let s = input.trim();
        let (group, jabatan) = match s.split_once('.') {
            Some((group, jabatan)) if group.len() == 4 && jabatan.len() == 2 => (group, jabatan),
            Some(_) => return Err(InvalidKbjiCode),
            None => (s, ""),
        };
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if (1..=4).contains(&group.len()) && digits(group) && digits(jabatan) {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidKbjiCode)
        }
    }

    /// The 1-digit major group (golongan pokok), "0" to "9": what the IPK tables count by.
    pub fn major_group(&self) -> &str {
        &self.0[..1]
    }
}

stored_as_text!(KbjiCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_of_the_classification() {
        for good in ["7", "72", "723", "7231", "2514.00"] {
            let code = KbjiCode::parse(good).unwrap();
            assert_eq!(code.as_str(), good);
        }
        assert_eq!(KbjiCode::parse(" 8322 ").unwrap().as_str(), "8322");
        assert_eq!(KbjiCode::parse("8322").unwrap().major_group(), "8");
        assert_eq!(KbjiCode::parse("0110").unwrap().major_group(), "0");
    }

    #[test]
    fn other_shapes_are_refused() {
        for bad in [
            "", "72315", "A123", "25 14", "2514.0", "2514.000", "251.00", "2514.", ".00",
            "2514-00", "٢٥١٤",
        ] {
            assert_eq!(KbjiCode::parse(bad), Err(InvalidKbjiCode), "{bad:?}");
        }
    }
}
