//! The five age groups of the IPK forms (DOMAIN.md §2): 15-19, 20-29, 30-44, 45-54, 55+.

use chrono::{Datelike, NaiveDate};

use super::code::choice;

choice!(
    AgeGroup in "ref_age_group" {
        From15To19 => "15-19", "age_group.15_19",
        From20To29 => "20-29", "age_group.20_29",
        From30To44 => "30-44", "age_group.30_44",
        From45To54 => "45-54", "age_group.45_54",
        From55 => "55+", "age_group.55",
    }
);

impl AgeGroup {
    /// The group of someone born on `birth` on the day `on`; `None` under 15 (below the
    /// working age the forms count).
    pub fn of(birth: NaiveDate, on: NaiveDate) -> Option<Self> {
        let mut age = on.year() - birth.year();
        if (on.month(), on.day()) < (birth.month(), birth.day()) {
            age -= 1;
        }
        Some(match age {
            i32::MIN..=14 => return None,
            15..=19 => Self::From15To19,
            20..=29 => Self::From20To29,
            30..=44 => Self::From30To44,
            45..=54 => Self::From45To54,
            _ => Self::From55,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_birthday_moves_a_person_on_that_day() {
        let birth = d(2006, 12, 5);
        assert_eq!(
            AgeGroup::of(birth, d(2026, 12, 4)),
            Some(AgeGroup::From15To19)
        );
        assert_eq!(
            AgeGroup::of(birth, d(2026, 12, 5)),
            Some(AgeGroup::From20To29)
        );
        assert_eq!(AgeGroup::of(birth, d(2021, 12, 4)), None);
        assert_eq!(
            AgeGroup::of(birth, d(2021, 12, 5)),
            Some(AgeGroup::From15To19)
        );
        assert_eq!(
            AgeGroup::of(d(1970, 2, 28), d(2026, 1, 1)),
            Some(AgeGroup::From55)
        );
        // A leap-day birthday: the birthday counts from 1 March in other years.
        assert_eq!(
            AgeGroup::of(d(2004, 2, 29), d(2024, 2, 28)),
            Some(AgeGroup::From15To19)
        );
        assert_eq!(
            AgeGroup::of(d(2004, 2, 29), d(2024, 2, 29)),
            Some(AgeGroup::From20To29)
        );
    }
}
