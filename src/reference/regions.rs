//! Kemendagri region codes: all provinces, regencies and districts of Indonesia, and the
//! kelurahan of Kota Binjai, from Kepmendagri 300.2.2-2138/2025.
//!
//! The list is compiled into the binary from `data/wilayah-kemendagri-2025.csv` and parsed
//! once. BPS codes differ from Kemendagri codes (BPS numbers Kota Binjai 1276, Kemendagri
//! 12.75), so the few BPS codes we know are kept beside, never mixed in.

use std::collections::HashMap;
use std::sync::OnceLock;

pub const VERSION: &str = "Kepmendagri 300.2.2-2138/2025";
pub const BINJAI_CODE: &str = "12.75";
pub const NORTH_SUMATRA_CODE: &str = "12";

const CSV: &str = include_str!("data/wilayah-kemendagri-2025.csv");

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum RegionLevel {
    Province,
    Regency,
    District,
    Village,
}

crate::domain::code::store_as_code!(
    RegionLevel in "ref_region_level",
    all: RegionLevel::ALL,
    to: RegionLevel::as_str,
    from: RegionLevel::parse
);

impl RegionLevel {
    pub const ALL: [RegionLevel; 4] =
        [Self::Province, Self::Regency, Self::District, Self::Village];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Regency => "regency",
            Self::District => "district",
            Self::Village => "village",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "province" => Self::Province,
            "regency" => Self::Regency,
            "district" => Self::District,
            "village" => Self::Village,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Dotted Kemendagri code, e.g. `12.75.01.1008`.
    pub code: &'static str,
    pub level: RegionLevel,
    pub name: &'static str,
}

impl Region {
    /// The code of the region one level up, if any.
    pub fn parent_code(&self) -> Option<&'static str> {
        self.code.rfind('.').map(|i| &self.code[..i])
    }

    /// The BPS code, where it is known (Binjai and its kecamatan, and every province,
    /// whose codes the two agencies share).
    pub fn bps_code(&self) -> Option<&'static str> {
        match self.level {
            RegionLevel::Province => Some(self.code),
            _ => BINJAI_BPS_CODES
                .iter()
                .find(|(kemendagri, _)| *kemendagri == self.code)
                .map(|(_, bps)| *bps),
        }
    }
}

/// BPS codes for Kota Binjai and its kecamatan (DOMAIN.md §7). BPS numbers the kecamatan
/// in another order than Kemendagri. BPS kelurahan codes were not available offline.
const BINJAI_BPS_CODES: &[(&str, &str)] = &[
    ("12.75", "1276"),
    ("12.75.01", "1276040"),
    ("12.75.02", "1276020"),
    ("12.75.03", "1276050"),
    ("12.75.04", "1276030"),
    ("12.75.05", "1276010"),
];

struct Index {
    all: Vec<Region>,
    by_code: HashMap<&'static str, usize>,
    children: HashMap<&'static str, Vec<usize>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let all: Vec<Region> = CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut parts = line.splitn(3, ',');
                let code = parts.next()?;
                let level = RegionLevel::parse(parts.next()?)?;
                let name = parts.next()?.trim_matches('"');
                Some(Region { code, level, name })
            })
            .collect();
        let by_code = all.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
        let mut children: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (i, r) in all.iter().enumerate() {
            if let Some(parent) = r.parent_code() {
                children.entry(parent).or_default().push(i);
            }
        }
        Index {
            all,
            by_code,
            children,
        }
    })
}

pub fn all() -> &'static [Region] {
    &index().all
}

pub fn get(code: &str) -> Option<&'static Region> {
    let idx = index();
    idx.by_code.get(code).map(|&i| &idx.all[i])
}

pub fn provinces() -> impl Iterator<Item = &'static Region> {
    all().iter().filter(|r| r.level == RegionLevel::Province)
}

/// The regions one level below `parent`, in code order.
pub fn children(parent: &str) -> impl Iterator<Item = &'static Region> {
    let idx = index();
    idx.children
        .get(parent)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|&i| &idx.all[i])
}

pub fn binjai_kecamatan() -> impl Iterator<Item = &'static Region> {
    children(BINJAI_CODE)
}

pub fn binjai_kelurahan() -> impl Iterator<Item = &'static Region> {
    all()
        .iter()
        .filter(|r| r.level == RegionLevel::Village && r.code.starts_with("12.75."))
}

/// A kelurahan of Binjai by its full dotted code.
pub fn binjai_kelurahan_by_code(code: &str) -> Option<&'static Region> {
    get(code).filter(|r| r.level == RegionLevel::Village && r.code.starts_with("12.75."))
}

/// Where a row with this address is, as a list shows it: "Kelurahan, Kecamatan" for a
/// kelurahan of Binjai, the regency's name elsewhere.
pub fn place_name(kelurahan: Option<&str>, regency: &str) -> String {
    match kelurahan.and_then(binjai_kelurahan_by_code) {
        Some(kel) => {
            let kec = kel
                .parent_code()
                .and_then(get)
                .map(|k| k.name)
                .unwrap_or_default();
            format!("{}, {kec}", kel.name)
        }
        None => get(regency).map(|r| r.name.to_owned()).unwrap_or_default(),
    }
}

/// The regions stored in the database: provinces and regencies for addresses anywhere in
/// Indonesia, plus Binjai's kecamatan and kelurahan. The 7,000 districts elsewhere stay
/// in memory only; nothing refers to them in the database.
pub fn stored() -> impl Iterator<Item = &'static Region> {
    all().iter().filter(|r| match r.level {
        RegionLevel::Province | RegionLevel::Regency => true,
        RegionLevel::District | RegionLevel::Village => r.code.starts_with("12.75."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nik_province_codes_are_the_provinces_of_the_decree() {
        let provinces: Vec<&str> = provinces().map(|r| r.code).collect();
        assert_eq!(provinces, crate::domain::nik::PROVINCE_CODES);
    }

    #[test]
    fn national_counts_match_the_decree() {
        let count = |level| all().iter().filter(|r| r.level == level).count();
        assert_eq!(count(RegionLevel::Province), 38);
        assert_eq!(count(RegionLevel::Regency), 514);
        assert_eq!(count(RegionLevel::District), 7285);
    }

    #[test]
    fn binjai_has_five_kecamatan_and_37_kelurahan() {
        assert_eq!(get(BINJAI_CODE).unwrap().name, "Kota Binjai");
        let kecamatan: Vec<_> = binjai_kecamatan().map(|r| r.name).collect();
        assert_eq!(
            kecamatan,
            [
                "Binjai Utara",
                "Binjai Kota",
                "Binjai Barat",
                "Binjai Timur",
                "Binjai Selatan"
            ]
        );
        assert_eq!(binjai_kelurahan().count(), 37);
        let jati_makmur = binjai_kelurahan_by_code("12.75.01.1008").unwrap();
        assert_eq!(jati_makmur.name, "Jati Makmur");
        assert_eq!(jati_makmur.parent_code(), Some("12.75.01"));
        assert!(binjai_kelurahan_by_code("12.75.01").is_none());
    }

    #[test]
    fn bps_codes_are_kept_apart_from_kemendagri_codes() {
        assert_eq!(get("12.75").unwrap().bps_code(), Some("1276"));
        assert_eq!(get("12.75.05").unwrap().bps_code(), Some("1276010"));
        assert_eq!(get("12").unwrap().bps_code(), Some("12"));
        // Kemendagri's 12.71 is Kota Medan, which BPS numbers 1275: never confuse them.
        assert_eq!(get("12.71").unwrap().bps_code(), None);
    }

    #[test]
    fn every_stored_region_has_its_parent_stored() {
        let stored: Vec<_> = stored().collect();
        assert_eq!(stored.len(), 38 + 514 + 5 + 37);
        for r in &stored {
            if let Some(parent) = r.parent_code() {
                assert!(stored.iter().any(|p| p.code == parent), "{}", r.code);
            }
        }
    }
}
