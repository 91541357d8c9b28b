//! NIK (Nomor Induk Kependudukan): the 16-digit national identity number.
//!
//! Layout `PP KK CC DDMMYY SSSS`: the province, kab/kota and kecamatan where the number
//! was first issued, the birth date with 40 added to the day for women, and a serial.
//! There is no check digit, so [`Nik::parse`] checks the structure: known province, non-zero
//! regency and district, a real date, a non-zero serial. It does not require a Binjai code:
//! residents often hold a NIK issued elsewhere, and regions split over the years, so a
//! district code that no longer exists can still be on a valid NIK.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored::stored_as_text;

/// The two-digit province codes of Kemendagri (the first two digits of a NIK). Kept here
/// rather than read from `reference::regions`, which sits above this layer; a test there
/// checks that the two lists agree.
pub const PROVINCE_CODES: [&str; 38] = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
    "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
    "91", "92", "93", "94", "95", "96",
];

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Sex {
    Male,
    Female,
}

crate::domain::code::store_as_code!(Sex in "ref_sex", all: Sex::ALL, to: Sex::code, from: Sex::from_code, personal);

impl serde::Serialize for Sex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl Sex {
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The letter the IPK forms and most Indonesian registers use: L(aki-laki), P(erempuan).
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "L",
            Self::Female => "P",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    #[error("a NIK has exactly 16 digits")]
    Length,
    #[error("a NIK has only digits")]
    NotDigits,
    #[error("the first two digits are not a province code")]
    UnknownProvince,
    #[error("the regency or district part is zero")]
    BadRegion,
    #[error("digits 7 to 12 are not a birth date")]
    BadDate,
    #[error("the last four digits cannot be 0000")]
    ZeroSerial,
}

impl NikError {
    /// The translation key of the message shown to the user.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Length => "nik.error.length",
            Self::NotDigits => "nik.error.digits",
            Self::UnknownProvince => "nik.error.province",
            Self::BadRegion => "nik.error.region",
            Self::BadDate => "nik.error.date",
            Self::ZeroSerial => "nik.error.serial",
        }
    }
}

/// A structurally valid NIK, kept as its 16 digits. The only way to get one is
/// [`Nik::parse`].
#[derive(Clone, PartialEq, Eq, Hash, AsExpression, diesel::FromSqlRow, serde::Serialize)]
#[serde(transparent)]
#[diesel(sql_type = Text)]
pub struct Nik(String);

impl Nik {
    /// Accepts the 16 digits, with any spaces or dots people type between groups.
    pub fn parse(input: &str) -> Result<Self, NikError> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(NikError::NotDigits);
        }
        if digits.len() != 16 {
            return Err(NikError::Length);
        }
        let num = |range: std::ops::Range<usize>| -> u32 {
            // All ASCII digits, checked above.
            digits[range].parse().unwrap_or(0)
        };
        if !PROVINCE_CODES.contains(&&digits[0..2]) {
            return Err(NikError::UnknownProvince);
        }
        if num(2..4) == 0 || num(4..6) == 0 {
            return Err(NikError::BadRegion);
        }
        let (day, month, yy) = (num(6..8), num(8..10), num(10..12) as i32);
        let day = if day > 40 { day - 40 } else { day };
        let exists_in_some_century = [1900, 2000]
            .iter()
            .any(|c| NaiveDate::from_ymd_opt(c + yy, month, day).is_some());
        if day == 0 || !exists_in_some_century {
            return Err(NikError::BadDate);
        }
        if num(12..16) == 0 {
            return Err(NikError::ZeroSerial);
        }
        Ok(Self(digits))
    }

    pub fn province_code(&self) -> &str {
        &self.0[0..2]
    }

    /// The dotted Kemendagri code of the issuing kecamatan, e.g. `12.75.01`.
    pub fn district_code(&self) -> String {
        format!("{}.{}.{}", &self.0[0..2], &self.0[2..4], &self.0[4..6])
    }

    /// Whether the NIK was first issued in Kota Binjai.
    pub fn issued_in_binjai(&self) -> bool {
        self.0.starts_with("1275")
    }

    pub fn sex(&self) -> Sex {
        if self.raw_day() > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// Day and month of birth.
    pub fn birth_day_month(&self) -> (u32, u32) {
        let day = self.raw_day();
        (
            if day > 40 { day - 40 } else { day },
            self.0[8..10].parse().unwrap_or(0),
        )
    }

    /// Whether a declared birth date and sex agree with the NIK. The NIK alone does not
    /// say the century, so a form asks for the date and checks it here.
    pub fn agrees_with(&self, birth_date: NaiveDate, sex: Sex) -> bool {
        let (day, month) = self.birth_day_month();
        let yy: i32 = self.0[10..12].parse().unwrap_or(-1);
        birth_date.day() == day
            && birth_date.month() == month
            && birth_date.year().rem_euclid(100) == yy
            && self.sex() == sex
    }

    /// For pages and logs that must not show the whole number: the issuing region and the
    /// last two digits, e.g. `127501**********01`.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[0..6], "*".repeat(8), &self.0[14..16])
    }

    fn raw_day(&self) -> u32 {
        self.0[6..8].parse().unwrap_or(0)
    }
}

stored_as_text!(Nik);

impl fmt::Debug for Nik {
    // Debug output ends up in logs; the full NIK is personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_binjai_woman_born_in_1998() {
        let nik = Nik::parse("1275 0152 0898 0003").unwrap();
        assert_eq!(nik.as_str(), "1275015208980003");
        assert_eq!(nik.sex(), Sex::Female);
        assert_eq!(nik.birth_day_month(), (12, 8));
        assert!(nik.issued_in_binjai());
        assert_eq!(nik.district_code(), "12.75.01");
        let born = NaiveDate::from_ymd_opt(1998, 8, 12).unwrap();
        assert!(nik.agrees_with(born, Sex::Female));
        assert!(!nik.agrees_with(born, Sex::Male));
        assert!(!nik.agrees_with(NaiveDate::from_ymd_opt(1999, 8, 12).unwrap(), Sex::Female));
        assert_eq!(nik.masked(), "127501********03");
        assert!(!format!("{nik:?}").contains("5208"));
    }

    #[test]
    fn a_nik_from_elsewhere_is_accepted() {
        // Kota Medan, a man born 1 January 2001.
        let nik = Nik::parse("1271010101010001").unwrap();
        assert_eq!(nik.sex(), Sex::Male);
        assert!(!nik.issued_in_binjai());
    }

    #[test]
    fn structural_errors_are_named() {
        assert_eq!(Nik::parse("127501520898000"), Err(NikError::Length));
        assert_eq!(Nik::parse("12750152089800031"), Err(NikError::Length));
        assert_eq!(Nik::parse("127501520898000A"), Err(NikError::NotDigits));
        assert_eq!(
            Nik::parse("9975015208980003"),
            Err(NikError::UnknownProvince)
        );
        assert_eq!(
            Nik::parse("5475015208980003"),
            Err(NikError::UnknownProvince)
        );
        assert_eq!(Nik::parse("1200015208980003"), Err(NikError::BadRegion));
        assert_eq!(Nik::parse("1275005208980003"), Err(NikError::BadRegion));
        assert_eq!(Nik::parse("1275013208980003"), Err(NikError::BadDate)); // day 32
        assert_eq!(Nik::parse("1275017208980003"), Err(NikError::BadDate)); // day 72
        assert_eq!(Nik::parse("1275014008980003"), Err(NikError::BadDate)); // day 0 + 40
        assert_eq!(Nik::parse("1275013102980003"), Err(NikError::BadDate)); // 31 February
        assert_eq!(Nik::parse("1275011213980003"), Err(NikError::BadDate)); // month 13
        assert_eq!(Nik::parse("1275011208980000"), Err(NikError::ZeroSerial));
    }

    #[test]
    fn leap_day_is_valid_only_in_a_leap_year() {
        assert!(Nik::parse("1275012902000001").is_ok()); // 2000
        assert!(Nik::parse("1275016902960001").is_ok()); // 1996, a woman
        assert_eq!(Nik::parse("1275012902970001"), Err(NikError::BadDate));
    }

    fn province() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(PROVINCE_CODES.to_vec())
    }

    proptest! {
        #[test]
        fn any_well_formed_nik_parses_and_round_trips(
            prov in province(),
            regency in 1u32..=99,
            district in 1u32..=99,
            date in (1950i32..2012, 1u32..=12, 1u32..=28),
            female in any::<bool>(),
            serial in 1u32..=9999,
        ) {
            let (year, month, day) = date;
            let dd = if female { day + 40 } else { day };
            let text = format!("{prov}{regency:02}{district:02}{dd:02}{month:02}{:02}{serial:04}", year % 100);
            let nik = Nik::parse(&text).unwrap();
            prop_assert_eq!(nik.as_str(), text.as_str());
            prop_assert_eq!(nik.birth_day_month(), (day, month));
            let sex = if female { Sex::Female } else { Sex::Male };
            prop_assert_eq!(nik.sex(), sex);
            let born = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            prop_assert!(nik.agrees_with(born, sex));
        }

        #[test]
        fn parsing_never_panics_and_accepts_only_16_digits(s in "\\PC{0,24}") {
            if let Ok(nik) = Nik::parse(&s) {
                prop_assert_eq!(nik.as_str().len(), 16);
                prop_assert!(nik.as_str().chars().all(|c| c.is_ascii_digit()));
            }
        }

        #[test]
        fn a_day_between_32_and_40_is_never_valid(day in 32u32..=40, rest in "[0-9]{4}") {
            let text = format!("127501{day:02}0898{rest}");
            prop_assert_eq!(Nik::parse(&text), Err(NikError::BadDate));
        }
    }
}
