//! Telephone numbers as people in Indonesia write them.

use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored::stored_as_text;

/// A phone number: 9 to 15 digits with an optional leading `+`, kept without the spaces,
/// dashes, dots and brackets people type between groups. The only way to get one is
/// [`Phone::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, AsExpression, diesel::FromSqlRow, serde::Serialize)]
#[serde(transparent)]
#[diesel(sql_type = Text)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not 9 to 15 digits with an optional leading +")]
pub struct InvalidPhone;

impl Phone {
    pub fn parse(input: &str) -> Result<Self, InvalidPhone> {
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
        if digits.chars().all(|c| c.is_ascii_digit()) && (9..=15).contains(&digits.len()) {
            Ok(Self(cleaned))
        } else {
            Err(InvalidPhone)
        }
    }
}

stored_as_text!(Phone);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_go_and_the_plus_stays() {
        assert_eq!(
            Phone::parse("0812-3456-7890").unwrap().as_str(),
            "081234567890"
        );
        assert_eq!(
            Phone::parse(" +62 (812) 3456.7890 ").unwrap().as_str(),
            "+6281234567890"
        );
    }

    #[test]
    fn too_short_too_long_or_not_digits() {
        for bad in [
            "",
            "12345",
            "0812abc",
            "+",
            "0812345678901234",
            "62+812345678",
            "0812\u{660}45678",
        ] {
            assert_eq!(Phone::parse(bad), Err(InvalidPhone), "{bad:?}");
        }
    }
}
