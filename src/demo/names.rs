//! Names as they are found in Binjai: Malay, Karo, Batak, Javanese, Mandailing and
//! Chinese-Indonesian families live side by side; companies named the way local firms are.

use crate::domain::ids::CompanyId;
use diesel::QueryResult;
use rand::Rng;
use rand::seq::IndexedRandom;

use crate::db::DbConnection;
use crate::employers::{NewCompany, create_company};
use crate::reference::regions;

const GIVEN_MALE: &[&str] = &[
    "Budi", "Agus", "Rizky", "Dedi", "Hendra", "Andi", "Fajar", "Ilham", "Muhammad", "Ahmad",
    "Rudi", "Joko", "Sahat", "Tigor", "Rahmat", "Bayu", "Dimas", "Yoga", "Arif", "Irwan",
    "Fernando", "Roy", "Wahyu", "Teguh", "Hadi", "Surya", "Benny", "Kevin", "Reza", "Syahrul",
];
const GIVEN_FEMALE: &[&str] = &[
    "Siti",
    "Dewi",
    "Nur",
    "Ayu",
    "Putri",
    "Rina",
    "Sri",
    "Wulan",
    "Fitri",
    "Indah",
    "Lestari",
    "Nurul",
    "Intan",
    "Mega",
    "Yuni",
    "Ratna",
    "Maya",
    "Lina",
    "Desi",
    "Ernawati",
    "Friska",
    "Melati",
    "Anggi",
    "Citra",
    "Rosmawati",
    "Kartika",
    "Novita",
    "Tiara",
    "Vera",
    "Yohana",
];
const FAMILY: &[&str] = &[
    "Siregar",
    "Nasution",
    "Sembiring",
    "Ginting",
    "Tarigan",
    "Sitepu",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Hasibuan",
    "Manurung",
    "Purba",
    "Saragih",
    "Damanik",
    "Pane",
    "Rangkuti",
    "Daulay",
    "Perangin-angin",
    "Barus",
    "Surbakti",
    "Sinaga",
    "Pardede",
    "Saputra",
    "Syahputra",
    "Wijaya",
    "Kurniawan",
    "Setiawan",
    "Pratama",
    "Hidayat",
    "Lim",
    "Tan",
    "Gunawan",
];

pub struct Person {
    pub given: &'static str,
    pub family: &'static str,
    pub female: bool,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given, self.family)
    }
}

pub fn person(rng: &mut impl Rng) -> Person {
    let female = rng.random_bool(0.5);
    let given = if female { GIVEN_FEMALE } else { GIVEN_MALE };
    Person {
        given: given.choose(rng).copied().unwrap_or("Nur"),
        family: FAMILY.choose(rng).copied().unwrap_or("Lubis"),
        female,
    }
}

/// Lower-case ASCII letters only, for demo e-mail addresses.
pub fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

const COMPANY_FORMS: &[&str] = &["PT", "PT", "CV", "CV", "UD", "Koperasi"];
const COMPANY_WORDS: &[&str] = &[
    "Rambutan",
    "Sumber",
    "Rezeki",
    "Maju",
    "Bersama",
    "Karya",
    "Mandiri",
    "Sinar",
    "Binjai",
    "Mitra",
    "Sawit",
    "Deli",
    "Makmur",
    "Langkat",
    "Sejahtera",
    "Abadi",
    "Jaya",
    "Prima",
    "Sentosa",
    "Utama",
    "Harapan",
    "Baru",
    "Cahaya",
    "Berkah",
    "Nusantara",
    "Agung",
    "Lestari",
];
const STREETS: &[&str] = &[
    "Jl. Jenderal Sudirman",
    "Jl. Soekarno-Hatta",
    "Jl. Gatot Subroto",
    "Jl. Ahmad Yani",
    "Jl. T. Amir Hamzah",
    "Jl. Samanhudi",
    "Jl. Perintis Kemerdekaan",
    "Jl. Diponegoro",
    "Jl. Imam Bonjol",
    "Jl. Kartini",
    "Jl. Veteran",
    "Jl. Danau Toba",
    "Jl. Cut Nyak Dhien",
    "Jl. Jamin Ginting",
    "Jl. Sultan Hasanuddin",
    "Jl. Wahidin",
];
/// KBLI sections weighted roughly as Binjai's employers are: trade, food, manufacturing and
/// services first.
const SECTIONS: &[&str] = &[
    "G", "G", "G", "G", "I", "I", "I", "C", "C", "C", "F", "F", "H", "A", "A", "N", "N", "Q", "P",
    "S", "K", "J", "M",
];

pub struct DemoCompany {
    name: String,
    nib: String,
    kbli_section: &'static str,
    address: String,
    kelurahan_code: &'static str,
}

impl DemoCompany {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn create(&self, conn: &mut DbConnection) -> QueryResult<CompanyId> {
        let section = crate::domain::KbliCode::parse(self.kbli_section)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        create_company(
            conn,
            &NewCompany {
                name: &self.name,
                nib: Some(&self.nib),
                npwp: None,
                kbli_section: &section,
                address: &self.address,
                kelurahan_code: Some(self.kelurahan_code),
                regency_code: regions::BINJAI_CODE,
            },
        )
    }
}

pub fn company(rng: &mut impl Rng) -> DemoCompany {
    let form = COMPANY_FORMS.choose(rng).copied().unwrap_or("CV");
    let first = COMPANY_WORDS.choose(rng).copied().unwrap_or("Maju");
    let second = COMPANY_WORDS.choose(rng).copied().unwrap_or("Jaya");
    let kelurahan: Vec<&'static str> = regions::binjai_kelurahan().map(|r| r.code).collect();
    DemoCompany {
        name: format!("{form} {first} {second}"),
        // NIBs are 13 digits; a random one is unique enough among a few thousand.
        nib: format!(
            "{:013}",
            rng.random_range(1_000_000_000_000u64..10_000_000_000_000)
        ),
        kbli_section: SECTIONS.choose(rng).copied().unwrap_or("G"),
        address: format!(
            "{} No. {}",
            STREETS
                .choose(rng)
                .copied()
                .unwrap_or("Jl. Jenderal Sudirman"),
            rng.random_range(1..300)
        ),
        kelurahan_code: kelurahan.choose(rng).copied().unwrap_or("12.75.01.1001"),
    }
}
