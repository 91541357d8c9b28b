//! Rupiah amounts: wages and costs, as people type them into a form or a search URL and as
//! the `BIGINT` columns hold them.

use std::fmt;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::BigInt;

/// A whole amount of rupiah, from 0 to 999 999 999 999 (twelve digits). The only ways to get
/// one are [`Rupiah::parse`] (text as people write it) and [`Rupiah::new`] (a number).
/// Displays as bare digits, the way a form shows it back; pages format it for the reader's
/// language with `web::format::rupiah`.
#[derive(
    Debug,
    Clone,
    Copy,
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
#[diesel(sql_type = BigInt)]
pub struct Rupiah(i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a whole rupiah amount from 0 to twelve digits")]
pub struct InvalidRupiah;

const MAX: i64 = 999_999_999_999;

impl Rupiah {
    /// Rupiah as people write it: "3.500.000", "Rp 3500000", "4,250,000"; "3,5 juta" is not
    /// accepted, nor a negative amount or more than twelve digits.
    pub fn parse(raw: &str) -> Result<Self, InvalidRupiah> {
        let digits: String = raw
            .trim()
            .trim_start_matches("Rp")
            .trim_start_matches("rp")
            .chars()
            .filter(|c| !matches!(c, '.' | ',' | ' '))
            .collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
            return Err(InvalidRupiah);
        }
        digits.parse().map(Self).map_err(|_| InvalidRupiah)
    }

    pub fn new(amount: i64) -> Result<Self, InvalidRupiah> {
        if (0..=MAX).contains(&amount) {
            Ok(Self(amount))
        } else {
            Err(InvalidRupiah)
        }
    }

    pub fn amount(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<DB> ToSql<BigInt, DB> for Rupiah
where
    DB: Backend,
    i64: ToSql<BigInt, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <i64 as ToSql<BigInt, DB>>::to_sql(&self.0, out)
    }
}

impl<DB> FromSql<BigInt, DB> for Rupiah
where
    DB: Backend,
    i64: FromSql<BigInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let amount = <i64 as FromSql<BigInt, DB>>::from_sql(bytes)?;
        Self::new(amount).map_err(|e| format!("a stored Rupiah is not valid: {e}").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_as_people_write_it() {
        let amount = |raw| Rupiah::parse(raw).map(Rupiah::amount);
        assert_eq!(amount("Rp 4.250.000"), Ok(4_250_000));
        assert_eq!(amount("4,250,000"), Ok(4_250_000));
        assert_eq!(amount("rp3500000"), Ok(3_500_000));
        assert_eq!(amount("0"), Ok(0));
        assert_eq!(amount("999.999.999.999"), Ok(MAX));
        assert_eq!(amount("-5"), Err(InvalidRupiah));
        assert_eq!(amount("3,5 juta"), Err(InvalidRupiah));
        assert_eq!(amount("9999999999999"), Err(InvalidRupiah));
        assert_eq!(amount(""), Err(InvalidRupiah));
        assert_eq!(amount("Rp"), Err(InvalidRupiah));
    }

    #[test]
    fn numbers_in_range_only_and_shown_as_bare_digits() {
        assert_eq!(Rupiah::new(3_500_000).unwrap().to_string(), "3500000");
        assert_eq!(Rupiah::new(-1), Err(InvalidRupiah));
        assert_eq!(Rupiah::new(MAX + 1), Err(InvalidRupiah));
    }
}
