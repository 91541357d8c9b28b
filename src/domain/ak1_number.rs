//! The number printed on an AK/I card.

use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored::stored_as_text;

/// An AK/I card number, `RRRR-YYYY-SSSSSS`: the four digits of the issuing regency's
/// Kemendagri code (`1275` for Kota Binjai), the year of issue and the serial within that
/// year, e.g. `1275-2026-000123`. Parsed from what someone types on the verification page
/// with [`Ak1Number::parse`], or made for a new card with [`Ak1Number::issue`].
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
pub struct Ak1Number(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an AK/I card number: four digits, four digits and six digits, joined by dashes")]
pub struct InvalidAk1Number;

impl Ak1Number {
    pub fn parse(input: &str) -> Result<Self, InvalidAk1Number> {
        let s = input.trim();
        let b = s.as_bytes();
        let shaped = b.len() == 16
            && b[4] == b'-'
            && b[9] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 9 || c.is_ascii_digit());
        if shaped {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidAk1Number)
        }
    }

    /// The four digits of the issuing regency.
    pub fn regency(&self) -> &str {
        &self.0[..4]
    }

    /// The year of issue the number names.
    pub fn year(&self) -> Option<i32> {
        self.0[5..9].parse().ok()
    }

    /// The serial within the year.
    pub fn serial(&self) -> Option<i32> {
        self.0[10..].parse().ok()
    }

    /// The number of the `serial`-th card issued in `year` by the regency whose Kemendagri
    /// code is `regency` (four digits). `None` when a part does not fit its width.
    pub fn issue(regency: &str, year: i32, serial: i32) -> Option<Self> {
        if !(1..=999_999).contains(&serial) || !(1000..=9999).contains(&year) {
            return None;
        }
        Self::parse(&format!("{regency}-{year}-{serial:06}")).ok()
    }
}

stored_as_text!(Ak1Number);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_fixed_width() {
        let number = Ak1Number::issue("1275", 2026, 123).unwrap();
        assert_eq!(number.as_str(), "1275-2026-000123");
        assert_eq!(Ak1Number::parse(" 1275-2026-000123 "), Ok(number.clone()));
        assert_eq!(Ak1Number::issue("1275", 2026, 1_000_000), None);
        assert_eq!(Ak1Number::issue("1275", 2026, 0), None);
        assert_eq!(Ak1Number::issue("12.75", 2026, 1), None);
        assert_eq!(
            (number.regency(), number.year(), number.serial()),
            ("1275", Some(2026), Some(123))
        );
    }

    #[test]
    fn other_shapes_are_refused() {
        for bad in [
            "",
            "1275-2026-00012",
            "1275/2026/000123",
            "1275-2026-00012a",
            "1275-2026-0001234",
            "12752026000123",
        ] {
            assert_eq!(Ak1Number::parse(bad), Err(InvalidAk1Number), "{bad:?}");
        }
    }
}
