//! The published data sets: what each counts, broken down by what, in which unit, and the
//! code lists behind its categories. A data set's slug is its URL and never changes.

use crate::domain::AgeGroup;
use crate::ipk::Flow;
use crate::ipk::series::By;
use crate::reference::education::{EducationLevel, IpkEducationGroup};
use crate::reference::{KBJI_VERSION, KBLI_VERSION, kbji, kbli, regions};
use crate::web::Lang;

/// What a data set's rows are, besides the month and sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    AgeGroup,
    /// The rows of the IPK forms' education breakdown (III/2).
    Education,
    /// Binjai's kecamatan, from the kelurahan recorded with each fact.
    Kecamatan,
    KbjiMajor,
    KbliSection,
}

/// A category of a dimension: its code in the data and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub name: String,
}

/// Facts with no category (no birth date, no education, outside Binjai, ...).
pub const UNKNOWN: &str = "TT";

const EDUCATION_CODES: [(IpkEducationGroup, &str); 9] = [
    (IpkEducationGroup::Sd, "SD"),
    (IpkEducationGroup::Sltp, "SLTP"),
    (IpkEducationGroup::Slta, "SLTA"),
    (IpkEducationGroup::Smk, "SMK"),
    (IpkEducationGroup::D1D2, "D1-D2"),
    (IpkEducationGroup::D3, "D3"),
    (IpkEducationGroup::S1, "S1"),
    (IpkEducationGroup::S2, "S2"),
    (IpkEducationGroup::S3, "S3"),
];

impl Dimension {
    pub fn by(self) -> By {
        match self {
            Self::AgeGroup => By::AgeGroup,
            Self::Education => By::Education,
            Self::Kecamatan => By::Kelurahan,
            Self::KbjiMajor => By::KbjiMajor,
            Self::KbliSection => By::KbliSection,
        }
    }

    /// The categories in the order they are printed, the unknown one last.
    pub fn categories(self, lang: Lang) -> Vec<Category> {
        let cat = |code: &str, name: &str| Category {
            code: code.to_owned(),
            name: name.to_owned(),
        };
        let mut out: Vec<Category> = match self {
            Self::AgeGroup => AgeGroup::ALL
                .iter()
                .map(|g| cat(g.as_str(), g.as_str()))
                .collect(),
            Self::Education => EDUCATION_CODES
                .iter()
                .map(|(g, code)| {
                    cat(
                        code,
                        match lang {
                            Lang::Id => g.name_id(),
                            Lang::En => g.name_en(),
                        },
                    )
                })
                .collect(),
            Self::Kecamatan => regions::binjai_kecamatan()
                .map(|r| cat(r.code, r.name))
                .collect(),
            Self::KbjiMajor => kbji::MAJOR_GROUPS
                .iter()
                .map(|g| cat(g.code, g.name(lang)))
                .collect(),
            Self::KbliSection => kbli::SECTIONS
                .iter()
                .map(|s| {
                    cat(
                        s.code,
                        match lang {
                            Lang::Id => s.name_id,
                            Lang::En => s.name_en,
                        },
                    )
                })
                .collect(),
        };
        let unknown = match (self, lang) {
            (Self::Kecamatan, Lang::Id) => "Luar Kota Binjai atau tidak tercatat",
            (Self::Kecamatan, Lang::En) => "Outside Kota Binjai or not recorded",
            (_, Lang::Id) => "Tidak tercatat",
            (_, Lang::En) => "Not recorded",
        };
        out.push(cat(UNKNOWN, unknown));
        out
    }

    /// The category code of a ledger group (its key under [`Dimension::by`]).
    pub fn category_of(self, key: Option<&str>) -> String {
        let found = key.and_then(|key| match self {
            Self::AgeGroup => AgeGroup::parse(key).map(|g| g.as_str().to_owned()),
            Self::Education => {
                let group = EducationLevel::from_code(key.parse().ok()?)?.ipk_group();
                EDUCATION_CODES
                    .iter()
                    .find(|(g, _)| *g == group)
                    .map(|(_, code)| (*code).to_owned())
            }
            Self::Kecamatan => regions::binjai_kelurahan_by_code(key)?
                .parent_code()
                .map(str::to_owned),
            Self::KbjiMajor => kbji::major_group(key).map(|g| g.code.to_owned()),
            Self::KbliSection => kbli::section(key).map(|s| s.code.to_owned()),
        });
        found.unwrap_or_else(|| UNKNOWN.to_owned())
    }

    /// The names of the category's two columns in CSV and JSON: its code and its name.
    pub fn columns(self) -> (&'static str, &'static str) {
        match self {
            Self::AgeGroup => ("kode_kelompok_umur", "kelompok_umur"),
            Self::Education => ("kode_pendidikan", "pendidikan"),
            Self::Kecamatan => ("kode_kecamatan", "kecamatan"),
            Self::KbjiMajor => ("kode_kbji", "golongan_pokok_kbji"),
            Self::KbliSection => ("kode_kbli", "kategori_kbli"),
        }
    }

    /// The code list the categories come from, with its version.
    pub fn code_list(self) -> (&'static str, &'static str) {
        match self {
            Self::AgeGroup => (
                "open_data.code_list.age_group",
                "KEP.268/PPTK/XII/2012 (IPK III/1)",
            ),
            Self::Education => (
                "open_data.code_list.education",
                "KEP.268/PPTK/XII/2012 (IPK III/2)",
            ),
            Self::Kecamatan => ("open_data.code_list.regions", regions::VERSION),
            Self::KbjiMajor => ("open_data.code_list.kbji", KBJI_VERSION),
            Self::KbliSection => ("open_data.code_list.kbli", KBLI_VERSION),
        }
    }
}

/// What a data set counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// People: small counts are hidden to protect them.
    Persons,
    /// Positions sought by vacancies: not people, and vacancies are public (Perpres
    /// 57/2023), so nothing is hidden.
    Positions,
}

impl Unit {
    /// The sex columns: their code in the data and the name's translation key.
    pub fn sexes(self) -> [(&'static str, &'static str); 3] {
        match self {
            Self::Persons => [
                ("L", "open_data.sex.male"),
                ("P", "open_data.sex.female"),
                (UNKNOWN, "open_data.sex.unknown"),
            ],
            Self::Positions => [
                ("L", "open_data.sex.male"),
                ("P", "open_data.sex.female"),
                ("LP", "open_data.sex.either"),
            ],
        }
    }

    pub fn suppresses(self) -> bool {
        self == Self::Persons
    }
}

/// A published data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset {
    /// Its URL: `/data-terbuka/{slug}`, `.csv`, `.json`.
    pub slug: &'static str,
    /// Its texts' translation keys: `open_data.{key}.title` and so on.
    pub key: &'static str,
    pub flow: Flow,
    pub dimension: Dimension,
    pub unit: Unit,
}

pub const DATASETS: [Dataset; 6] = [
    Dataset {
        slug: "pencari-kerja-umur",
        key: "seekers_age",
        flow: Flow::SeekerRegistered,
        dimension: Dimension::AgeGroup,
        unit: Unit::Persons,
    },
    Dataset {
        slug: "pencari-kerja-pendidikan",
        key: "seekers_education",
        flow: Flow::SeekerRegistered,
        dimension: Dimension::Education,
        unit: Unit::Persons,
    },
    Dataset {
        slug: "pencari-kerja-kecamatan",
        key: "seekers_kecamatan",
        flow: Flow::SeekerRegistered,
        dimension: Dimension::Kecamatan,
        unit: Unit::Persons,
    },
    Dataset {
        slug: "lowongan-kbji",
        key: "positions_kbji",
        flow: Flow::VacancyRegistered,
        dimension: Dimension::KbjiMajor,
        unit: Unit::Positions,
    },
    Dataset {
        slug: "penempatan-kbli",
        key: "placements_kbli",
        flow: Flow::Placement,
        dimension: Dimension::KbliSection,
        unit: Unit::Persons,
    },
    Dataset {
        slug: "penempatan-kecamatan",
        key: "placements_kecamatan",
        flow: Flow::Placement,
        dimension: Dimension::Kecamatan,
        unit: Unit::Persons,
    },
];

pub fn find(slug: &str) -> Option<&'static Dataset> {
    DATASETS.iter().find(|d| d.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_groups_fall_into_their_categories() {
        let d = Dimension::Education;
        assert_eq!(d.category_of(Some("5")), "SMK");
        assert_eq!(d.category_of(Some("9")), "S1");
        assert_eq!(d.category_of(Some("0")), "SD");
        assert_eq!(d.category_of(Some("99")), UNKNOWN);
        assert_eq!(d.category_of(None), UNKNOWN);
        assert_eq!(
            Dimension::Kecamatan.category_of(Some("12.75.04.1003")),
            "12.75.04"
        );
        assert_eq!(
            Dimension::Kecamatan.category_of(Some("12.71.01.1001")),
            UNKNOWN
        );
        assert_eq!(Dimension::KbliSection.category_of(Some("C")), "C");
        assert_eq!(Dimension::KbjiMajor.category_of(Some("2")), "2");
        assert_eq!(Dimension::AgeGroup.category_of(Some("55+")), "55+");
    }

    #[test]
    fn every_category_a_group_can_fall_into_is_listed_once() {
        for d in DATASETS {
            let cats = d.dimension.categories(Lang::Id);
            let mut codes: Vec<&str> = cats.iter().map(|c| c.code.as_str()).collect();
            assert_eq!(codes.last(), Some(&UNKNOWN));
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), cats.len(), "{}", d.slug);
            assert_eq!(d.dimension.categories(Lang::En).len(), cats.len());
        }
        for code in 0..=12 {
            let c = Dimension::Education.category_of(Some(&code.to_string()));
            assert!(
                Dimension::Education
                    .categories(Lang::Id)
                    .iter()
                    .any(|k| k.code == c)
            );
        }
    }

    #[test]
    fn slugs_are_unique_url_segments() {
        for d in DATASETS {
            assert_eq!(find(d.slug), Some(&d));
            assert!(
                d.slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
    }
}
