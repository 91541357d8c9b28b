//! Names as they are found in Binjai: Malay, Karo, Batak, Javanese, Mandailing and
//! Chinese-Indonesian families live side by side.

use rand::Rng;
use rand::seq::IndexedRandom;

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
    }
}

/// Lower-case ASCII letters only, for demo e-mail addresses.
pub fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
