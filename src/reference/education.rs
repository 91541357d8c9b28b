//! Education levels: the master list of DOMAIN.md §6, and how each level rolls up into the
//! rows of the IPK III/2 (job seekers) and III/4 (vacancies) forms.
//!
//! The major (jurusan) is not part of the level; it is kept in a separate field.

use crate::web::Lang;

/// Highest completed education level. The discriminant is the stored code, so the order of
/// the variants is also the order of attainment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EducationLevel {
    NoSchooling = 0,
    PrimaryNotCompleted = 1,
    Primary = 2,
    JuniorSecondary = 3,
    SeniorSecondary = 4,
    Vocational = 5,
    D1 = 6,
    D2 = 7,
    D3 = 8,
    D4 = 9,
    S1 = 10,
    S2 = 11,
    S3 = 12,
}

/// The name of the level with this stored code in the reader's language; empty for a code
/// that names no level.
pub fn name_of(lang: Lang, code: i16) -> String {
    EducationLevel::from_code(code)
        .map(|e| e.name(lang))
        .unwrap_or_default()
        .to_owned()
}

impl EducationLevel {
    /// Every level, in code order.
    pub const ALL: [EducationLevel; 13] = [
        EducationLevel::NoSchooling,
        EducationLevel::PrimaryNotCompleted,
        EducationLevel::Primary,
        EducationLevel::JuniorSecondary,
        EducationLevel::SeniorSecondary,
        EducationLevel::Vocational,
        EducationLevel::D1,
        EducationLevel::D2,
        EducationLevel::D3,
        EducationLevel::D4,
        EducationLevel::S1,
        EducationLevel::S2,
        EducationLevel::S3,
    ];

    /// The stored code, 0..=12.
    pub fn code(self) -> i16 {
        self as i16
    }

    pub fn from_code(code: i16) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.code() == code)
    }

    /// The level's name in the reader's language.
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Id => self.name_id(),
            Lang::En => self.name_en(),
        }
    }

    pub fn name_id(self) -> &'static str {
        match self {
            EducationLevel::NoSchooling => "Tidak/belum pernah sekolah",
            EducationLevel::PrimaryNotCompleted => "Tidak/belum tamat SD",
            EducationLevel::Primary => "SD/MI",
            EducationLevel::JuniorSecondary => "SMP/MTs",
            EducationLevel::SeniorSecondary => "SMA/MA",
            EducationLevel::Vocational => "SMK/MAK",
            EducationLevel::D1 => "D1",
            EducationLevel::D2 => "D2",
            EducationLevel::D3 => "D3",
            EducationLevel::D4 => "D4",
            EducationLevel::S1 => "S1",
            EducationLevel::S2 => "S2",
            EducationLevel::S3 => "S3",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            EducationLevel::NoSchooling => "Never attended school",
            EducationLevel::PrimaryNotCompleted => "Primary school not completed",
            EducationLevel::Primary => "Primary school",
            EducationLevel::JuniorSecondary => "Junior secondary school",
            EducationLevel::SeniorSecondary => "Senior secondary school",
            EducationLevel::Vocational => "Vocational secondary school",
            EducationLevel::D1 => "Diploma I",
            EducationLevel::D2 => "Diploma II",
            EducationLevel::D3 => "Diploma III",
            EducationLevel::D4 => "Diploma IV (applied bachelor)",
            EducationLevel::S1 => "Bachelor's degree",
            EducationLevel::S2 => "Master's degree",
            EducationLevel::S3 => "Doctorate",
        }
    }

    /// The row of the IPK III/2 and III/4 forms this level is counted in.
    pub fn ipk_group(self) -> IpkEducationGroup {
        match self {
            // The IPK forms have no row below SD, so people who never went to school or did not
            // finish it are counted with SD; otherwise they would drop out of the totals and the
            // form would no longer add up to the III/1 figures.
            EducationLevel::NoSchooling
            | EducationLevel::PrimaryNotCompleted
            | EducationLevel::Primary => IpkEducationGroup::Sd,
            EducationLevel::JuniorSecondary => IpkEducationGroup::Sltp,
            EducationLevel::SeniorSecondary => IpkEducationGroup::Slta,
            EducationLevel::Vocational => IpkEducationGroup::Smk,
            EducationLevel::D1 | EducationLevel::D2 => IpkEducationGroup::D1D2,
            EducationLevel::D3 => IpkEducationGroup::D3,
            // A D4 graduate holds a Sarjana Terapan, equivalent to a bachelor's degree, so the
            // level belongs with S1 rather than with the D III row.
            EducationLevel::D4 | EducationLevel::S1 => IpkEducationGroup::S1,
            EducationLevel::S2 => IpkEducationGroup::S2,
            EducationLevel::S3 => IpkEducationGroup::S3,
        }
    }
}

/// A row of the education breakdown in the IPK III/2 and III/4 forms, in the order the rows
/// are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpkEducationGroup {
    Sd,
    Sltp,
    Slta,
    Smk,
    D1D2,
    D3,
    S1,
    S2,
    S3,
}

impl IpkEducationGroup {
    /// Every row, in print order.
    pub const ALL: [IpkEducationGroup; 9] = [
        IpkEducationGroup::Sd,
        IpkEducationGroup::Sltp,
        IpkEducationGroup::Slta,
        IpkEducationGroup::Smk,
        IpkEducationGroup::D1D2,
        IpkEducationGroup::D3,
        IpkEducationGroup::S1,
        IpkEducationGroup::S2,
        IpkEducationGroup::S3,
    ];

    /// The row label as printed on the forms.
    pub fn name_id(self) -> &'static str {
        match self {
            IpkEducationGroup::Sd => "SD",
            IpkEducationGroup::Sltp => "SLTP",
            IpkEducationGroup::Slta => "SLTA/SMA",
            IpkEducationGroup::Smk => "SMK",
            IpkEducationGroup::D1D2 => "D.I/D.II",
            IpkEducationGroup::D3 => "D III/Akademi/Sarjana Muda",
            IpkEducationGroup::S1 => "S1",
            IpkEducationGroup::S2 => "S2 (Pasca Sarjana)",
            IpkEducationGroup::S3 => "S3",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            IpkEducationGroup::Sd => "Primary school or less",
            IpkEducationGroup::Sltp => "Junior secondary",
            IpkEducationGroup::Slta => "General senior secondary",
            IpkEducationGroup::Smk => "Vocational senior secondary",
            IpkEducationGroup::D1D2 => "Diploma I/II",
            IpkEducationGroup::D3 => "Diploma III/academy",
            IpkEducationGroup::S1 => "Bachelor's degree",
            IpkEducationGroup::S2 => "Master's degree",
            IpkEducationGroup::S3 => "Doctorate",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_round_trip() {
        for (index, level) in EducationLevel::ALL.into_iter().enumerate() {
            let code = i16::try_from(index).expect("13 levels fit in i16");
            assert_eq!(level.code(), code);
            assert_eq!(EducationLevel::from_code(code), Some(level));
        }
        for code in 0..=12 {
            assert_eq!(
                EducationLevel::from_code(code).map(EducationLevel::code),
                Some(code)
            );
        }
    }

    #[test]
    fn unknown_codes_are_rejected() {
        for code in [13, -1, i16::MIN, i16::MAX] {
            assert_eq!(EducationLevel::from_code(code), None, "{code}");
        }
    }

    #[test]
    fn ordering_follows_code() {
        for pair in EducationLevel::ALL.windows(2) {
            assert!(pair[0] < pair[1]);
            assert!(pair[0].code() < pair[1].code());
        }
        assert!(EducationLevel::D4 < EducationLevel::S1);
        assert!(EducationLevel::Vocational > EducationLevel::SeniorSecondary);
        assert_eq!(EducationLevel::ALL.iter().max(), Some(&EducationLevel::S3));
    }

    #[test]
    fn names_match_master_list() {
        let names: Vec<&str> = EducationLevel::ALL
            .iter()
            .map(|level| level.name_id())
            .collect();
        assert_eq!(
            names,
            [
                "Tidak/belum pernah sekolah",
                "Tidak/belum tamat SD",
                "SD/MI",
                "SMP/MTs",
                "SMA/MA",
                "SMK/MAK",
                "D1",
                "D2",
                "D3",
                "D4",
                "S1",
                "S2",
                "S3",
            ]
        );
        let english: HashSet<&str> = EducationLevel::ALL.iter().map(|l| l.name_en()).collect();
        assert_eq!(english.len(), 13);
    }

    #[test]
    fn ipk_groups() {
        use EducationLevel as L;
        use IpkEducationGroup as G;
        let expected = [
            (L::NoSchooling, G::Sd),
            (L::PrimaryNotCompleted, G::Sd),
            (L::Primary, G::Sd),
            (L::JuniorSecondary, G::Sltp),
            (L::SeniorSecondary, G::Slta),
            (L::Vocational, G::Smk),
            (L::D1, G::D1D2),
            (L::D2, G::D1D2),
            (L::D3, G::D3),
            (L::D4, G::S1),
            (L::S1, G::S1),
            (L::S2, G::S2),
            (L::S3, G::S3),
        ];
        for (level, group) in expected {
            assert_eq!(level.ipk_group(), group, "{level:?}");
        }
    }

    #[test]
    fn ipk_groups_are_monotonic_and_all_used() {
        for pair in EducationLevel::ALL.windows(2) {
            assert!(pair[0].ipk_group() <= pair[1].ipk_group(), "{pair:?}");
        }
        let used: HashSet<IpkEducationGroup> = EducationLevel::ALL
            .iter()
            .map(|level| level.ipk_group())
            .collect();
        assert_eq!(used.len(), IpkEducationGroup::ALL.len());
    }

    #[test]
    fn ipk_group_names() {
        let names: Vec<&str> = IpkEducationGroup::ALL
            .iter()
            .map(|group| group.name_id())
            .collect();
        assert_eq!(
            names,
            [
                "SD",
                "SLTP",
                "SLTA/SMA",
                "SMK",
                "D.I/D.II",
                "D III/Akademi/Sarjana Muda",
                "S1",
                "S2 (Pasca Sarjana)",
                "S3",
            ]
        );
        for pair in IpkEducationGroup::ALL.windows(2) {
            assert!(pair[0] < pair[1]);
        }
    }
}
