//! KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia), set by Peraturan BPS No. 2 Tahun 2020
//! and used by OSS for the NIB. Its structure and numbering follow ISIC Rev.4 down to the
//! 4-digit class; the 5th digit (kelompok) is Indonesian.
//!
//! Only the 21 sections (kategori) and 88 divisions (golongan pokok) are stored: the IPK III/6
//! table counts vacancies by section, and a company's own 5-digit KBLI is kept as entered, so
//! its section is derived from the first two digits instead of from a full code list.

/// A KBLI section (kategori).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbliSection {
    /// "A".."U".
    pub code: &'static str,
    pub name_id: &'static str,
    pub name_en: &'static str,
}

// Keeps each entry of the tables below on as few lines as possible.
const fn sec(code: &'static str, name_id: &'static str, name_en: &'static str) -> KbliSection {
    KbliSection {
        code,
        name_id,
        name_en,
    }
}

pub const SECTIONS: &[KbliSection] = &[
    sec(
        "A",
        "Pertanian, Kehutanan dan Perikanan",
        "Agriculture, forestry and fishing",
    ),
    sec("B", "Pertambangan dan Penggalian", "Mining and quarrying"),
    sec("C", "Industri Pengolahan", "Manufacturing"),
    sec(
        "D",
        "Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin",
        "Electricity, gas, steam and air conditioning supply",
    ),
    sec(
        "E",
        "Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, dan \
         Aktivitas Remediasi",
        "Water supply; sewerage, waste management and remediation activities",
    ),
    sec("F", "Konstruksi", "Construction"),
    sec(
        "G",
        "Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    sec(
        "H",
        "Pengangkutan dan Pergudangan",
        "Transportation and storage",
    ),
    sec(
        "I",
        "Penyediaan Akomodasi dan Penyediaan Makan Minum",
        "Accommodation and food service activities",
    ),
    sec(
        "J",
        "Informasi dan Komunikasi",
        "Information and communication",
    ),
    sec(
        "K",
        "Aktivitas Keuangan dan Asuransi",
        "Financial and insurance activities",
    ),
    sec("L", "Real Estat", "Real estate activities"),
    sec(
        "M",
        "Aktivitas Profesional, Ilmiah dan Teknis",
        "Professional, scientific and technical activities",
    ),
    sec(
        "N",
        "Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen \
         Perjalanan dan Penunjang Usaha Lainnya",
        "Administrative and support service activities",
    ),
    sec(
        "O",
        "Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib",
        "Public administration and defence; compulsory social security",
    ),
    sec("P", "Pendidikan", "Education"),
    sec(
        "Q",
        "Aktivitas Kesehatan Manusia dan Aktivitas Sosial",
        "Human health and social work activities",
    ),
    sec(
        "R",
        "Kesenian, Hiburan dan Rekreasi",
        "Arts, entertainment and recreation",
    ),
    sec("S", "Aktivitas Jasa Lainnya", "Other service activities"),
    sec(
        "T",
        "Aktivitas Rumah Tangga sebagai Pemberi Kerja; Aktivitas yang Menghasilkan Barang dan \
         Jasa oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri",
        "Activities of households as employers; undifferentiated goods- and \
         services-producing activities of households for own use",
    ),
    sec(
        "U",
        "Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya",
        "Activities of extraterritorial organizations and bodies",
    ),
];

/// A 2-digit division (golongan pokok) and the section it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbliDivision {
    /// "01".."99"; the numbering has gaps (04, 34, 40, ...) inherited from ISIC Rev.4.
    pub code: &'static str,
    /// Code of the section, "A".."U".
    pub section: &'static str,
    pub name_id: &'static str,
    pub name_en: &'static str,
}

const fn div(
    code: &'static str,
    section: &'static str,
    name_id: &'static str,
    name_en: &'static str,
) -> KbliDivision {
    KbliDivision {
        code,
        section,
        name_id,
        name_en,
    }
}

pub const DIVISIONS: &[KbliDivision] = &[
    // A
    div(
        "01",
        "A",
        "Pertanian Tanaman, Peternakan, Perburuan dan Kegiatan YBDI",
        "Crop and animal production, hunting and related service activities",
    ),
    div(
        "02",
        "A",
        "Pengelolaan Kehutanan dan Penebangan",
        "Forestry and logging",
    ),
    div("03", "A", "Perikanan", "Fishing and aquaculture"),
    // B
    div(
        "05",
        "B",
        "Pertambangan Batu Bara dan Lignit",
        "Mining of coal and lignite",
    ),
    div(
        "06",
        "B",
        "Pertambangan Minyak Bumi dan Gas Alam dan Panas Bumi",
        "Extraction of crude petroleum and natural gas",
    ),
    div(
        "07",
        "B",
        "Pertambangan Bijih Logam",
        "Mining of metal ores",
    ),
    div(
        "08",
        "B",
        "Pertambangan dan Penggalian Lainnya",
        "Other mining and quarrying",
    ),
    div(
        "09",
        "B",
        "Aktivitas Jasa Penunjang Pertambangan",
        "Mining support service activities",
    ),
    // C
    div(
        "10",
        "C",
        "Industri Makanan",
        "Manufacture of food products",
    ),
    div("11", "C", "Industri Minuman", "Manufacture of beverages"),
    div(
        "12",
        "C",
        "Industri Pengolahan Tembakau",
        "Manufacture of tobacco products",
    ),
    div("13", "C", "Industri Tekstil", "Manufacture of textiles"),
    div(
        "14",
        "C",
        "Industri Pakaian Jadi",
        "Manufacture of wearing apparel",
    ),
    div(
        "15",
        "C",
        "Industri Kulit, Barang dari Kulit dan Alas Kaki",
        "Manufacture of leather and related products",
    ),
    div(
        "16",
        "C",
        "Industri Kayu, Barang dari Kayu dan Gabus (Tidak Termasuk Furnitur) dan Barang Anyaman \
         dari Bambu, Rotan dan Sejenisnya",
        "Manufacture of wood and of products of wood and cork, except furniture; manufacture of \
         articles of straw and plaiting materials",
    ),
    div(
        "17",
        "C",
        "Industri Kertas dan Barang dari Kertas",
        "Manufacture of paper and paper products",
    ),
    div(
        "18",
        "C",
        "Industri Pencetakan dan Reproduksi Media Rekaman",
        "Printing and reproduction of recorded media",
    ),
    div(
        "19",
        "C",
        "Industri Produk dari Batu Bara dan Pengilangan Minyak Bumi",
        "Manufacture of coke and refined petroleum products",
    ),
    div(
        "20",
        "C",
        "Industri Bahan Kimia dan Barang dari Bahan Kimia",
        "Manufacture of chemicals and chemical products",
    ),
    div(
        "21",
        "C",
        "Industri Farmasi, Produk Obat Kimia dan Obat Tradisional",
        "Manufacture of basic pharmaceutical products and pharmaceutical preparations",
    ),
    div(
        "22",
        "C",
        "Industri Karet, Barang dari Karet dan Plastik",
        "Manufacture of rubber and plastics products",
    ),
    div(
        "23",
        "C",
        "Industri Barang Galian Bukan Logam",
        "Manufacture of other non-metallic mineral products",
    ),
    div(
        "24",
        "C",
        "Industri Logam Dasar",
        "Manufacture of basic metals",
    ),
    div(
        "25",
        "C",
        "Industri Barang Logam, Bukan Mesin dan Peralatannya",
        "Manufacture of fabricated metal products, except machinery and equipment",
    ),
    div(
        "26",
        "C",
        "Industri Komputer, Barang Elektronik dan Optik",
        "Manufacture of computer, electronic and optical products",
    ),
    div(
        "27",
        "C",
        "Industri Peralatan Listrik",
        "Manufacture of electrical equipment",
    ),
    div(
        "28",
        "C",
        "Industri Mesin dan Perlengkapan YTDL",
        "Manufacture of machinery and equipment n.e.c.",
    ),
    div(
        "29",
        "C",
        "Industri Kendaraan Bermotor, Trailer dan Semi Trailer",
        "Manufacture of motor vehicles, trailers and semi-trailers",
    ),
    div(
        "30",
        "C",
        "Industri Alat Angkutan Lainnya",
        "Manufacture of other transport equipment",
    ),
    div("31", "C", "Industri Furnitur", "Manufacture of furniture"),
    div(
        "32",
        "C",
        "Industri Pengolahan Lainnya",
        "Other manufacturing",
    ),
    div(
        "33",
        "C",
        "Reparasi dan Pemasangan Mesin dan Peralatan",
        "Repair and installation of machinery and equipment",
    ),
    // D
    div(
        "35",
        "D",
        "Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin",
        "Electricity, gas, steam and air conditioning supply",
    ),
    // E: KBLI 2020 renamed these divisions around "treatment"; older lists say "Pengelolaan Air",
    // "Pengelolaan Air Limbah" and "Pengelolaan dan Daur Ulang Sampah".
    div(
        "36",
        "E",
        "Treatment Air",
        "Water collection, treatment and supply",
    ),
    div("37", "E", "Treatment Air Limbah", "Sewerage"),
    div(
        "38",
        "E",
        "Pengumpulan, Treatment dan Pembuangan Limbah dan Sampah serta Aktivitas Pemulihan \
         Material",
        "Waste collection, treatment and disposal activities; materials recovery",
    ),
    div(
        "39",
        "E",
        "Aktivitas Remediasi dan Pengelolaan Limbah dan Sampah Lainnya",
        "Remediation activities and other waste management services",
    ),
    // F
    div("41", "F", "Konstruksi Gedung", "Construction of buildings"),
    div("42", "F", "Konstruksi Bangunan Sipil", "Civil engineering"),
    div(
        "43",
        "F",
        "Konstruksi Khusus",
        "Specialized construction activities",
    ),
    // G
    div(
        "45",
        "G",
        "Perdagangan, Reparasi dan Perawatan Mobil dan Sepeda Motor",
        "Wholesale and retail trade and repair of motor vehicles and motorcycles",
    ),
    div(
        "46",
        "G",
        "Perdagangan Besar, Bukan Mobil dan Sepeda Motor",
        "Wholesale trade, except of motor vehicles and motorcycles",
    ),
    div(
        "47",
        "G",
        "Perdagangan Eceran, Bukan Mobil dan Sepeda Motor",
        "Retail trade, except of motor vehicles and motorcycles",
    ),
    // H
    div(
        "49",
        "H",
        "Angkutan Darat dan Angkutan Melalui Saluran Pipa",
        "Land transport and transport via pipelines",
    ),
    div("50", "H", "Angkutan Perairan", "Water transport"),
    div("51", "H", "Angkutan Udara", "Air transport"),
    div(
        "52",
        "H",
        "Pergudangan dan Aktivitas Penunjang Angkutan",
        "Warehousing and support activities for transportation",
    ),
    div(
        "53",
        "H",
        "Aktivitas Pos dan Kurir",
        "Postal and courier activities",
    ),
    // I
    div("55", "I", "Penyediaan Akomodasi", "Accommodation"),
    div(
        "56",
        "I",
        "Penyediaan Makanan dan Minuman",
        "Food and beverage service activities",
    ),
    // J
    div("58", "J", "Aktivitas Penerbitan", "Publishing activities"),
    div(
        "59",
        "J",
        "Aktivitas Produksi Gambar Bergerak, Video dan Program Televisi, Perekaman Suara dan \
         Penerbitan Musik",
        "Motion picture, video and television programme production, sound recording and music \
         publishing activities",
    ),
    div(
        "60",
        "J",
        "Aktivitas Penyiaran dan Pemrograman",
        "Programming and broadcasting activities",
    ),
    div("61", "J", "Telekomunikasi", "Telecommunications"),
    div(
        "62",
        "J",
        "Aktivitas Pemrograman, Konsultasi Komputer dan Kegiatan YBDI",
        "Computer programming, consultancy and related activities",
    ),
    div(
        "63",
        "J",
        "Aktivitas Jasa Informasi",
        "Information service activities",
    ),
    // K
    div(
        "64",
        "K",
        "Aktivitas Jasa Keuangan, Bukan Asuransi dan Dana Pensiun",
        "Financial service activities, except insurance and pension funding",
    ),
    div(
        "65",
        "K",
        "Asuransi, Penjaminan, Reasuransi dan Dana Pensiun, Bukan Jaminan Sosial Wajib",
        "Insurance, reinsurance and pension funding, except compulsory social security",
    ),
    div(
        "66",
        "K",
        "Aktivitas Penunjang Jasa Keuangan, Asuransi, Penjaminan dan Dana Pensiun",
        "Activities auxiliary to financial service and insurance activities",
    ),
    // L
    div("68", "L", "Real Estat", "Real estate activities"),
    // M
    div(
        "69",
        "M",
        "Aktivitas Hukum dan Akuntansi",
        "Legal and accounting activities",
    ),
    div(
        "70",
        "M",
        "Aktivitas Kantor Pusat dan Konsultasi Manajemen",
        "Activities of head offices; management consultancy activities",
    ),
    div(
        "71",
        "M",
        "Aktivitas Arsitektur dan Keinsinyuran; Analisis dan Uji Teknis",
        "Architectural and engineering activities; technical testing and analysis",
    ),
    div(
        "72",
        "M",
        "Penelitian dan Pengembangan Ilmu Pengetahuan",
        "Scientific research and development",
    ),
    div(
        "73",
        "M",
        "Periklanan dan Penelitian Pasar",
        "Advertising and market research",
    ),
    div(
        "74",
        "M",
        "Aktivitas Profesional, Ilmiah dan Teknis Lainnya",
        "Other professional, scientific and technical activities",
    ),
    div(
        "75",
        "M",
        "Aktivitas Kesehatan Hewan",
        "Veterinary activities",
    ),
    // N
    div(
        "77",
        "N",
        "Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi",
        "Rental and leasing activities",
    ),
    div(
        "78",
        "N",
        "Aktivitas Ketenagakerjaan",
        "Employment activities",
    ),
    div(
        "79",
        "N",
        "Aktivitas Agen Perjalanan, Penyelenggara Tur dan Jasa Reservasi Lainnya",
        "Travel agency, tour operator, reservation service and related activities",
    ),
    div(
        "80",
        "N",
        "Aktivitas Keamanan dan Penyelidikan",
        "Security and investigation activities",
    ),
    div(
        "81",
        "N",
        "Aktivitas Penyedia Jasa untuk Gedung dan Pertamanan",
        "Services to buildings and landscape activities",
    ),
    div(
        "82",
        "N",
        "Aktivitas Administrasi Kantor, Aktivitas Penunjang Kantor dan Aktivitas Penunjang Usaha \
         Lainnya",
        "Office administrative, office support and other business support activities",
    ),
    // O
    div(
        "84",
        "O",
        "Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib",
        "Public administration and defence; compulsory social security",
    ),
    // P
    div("85", "P", "Pendidikan", "Education"),
    // Q
    div(
        "86",
        "Q",
        "Aktivitas Kesehatan Manusia",
        "Human health activities",
    ),
    div(
        "87",
        "Q",
        "Aktivitas Sosial di Dalam Panti",
        "Residential care activities",
    ),
    div(
        "88",
        "Q",
        "Aktivitas Sosial Tanpa Akomodasi",
        "Social work activities without accommodation",
    ),
    // R
    div(
        "90",
        "R",
        "Aktivitas Hiburan, Kesenian dan Kreativitas",
        "Creative, arts and entertainment activities",
    ),
    div(
        "91",
        "R",
        "Perpustakaan, Arsip, Museum dan Kegiatan Kebudayaan Lainnya",
        "Libraries, archives, museums and other cultural activities",
    ),
    div(
        "92",
        "R",
        "Aktivitas Perjudian dan Pertaruhan",
        "Gambling and betting activities",
    ),
    div(
        "93",
        "R",
        "Aktivitas Olahraga dan Rekreasi Lainnya",
        "Sports activities and amusement and recreation activities",
    ),
    // S
    div(
        "94",
        "S",
        "Aktivitas Keanggotaan Organisasi",
        "Activities of membership organizations",
    ),
    div(
        "95",
        "S",
        "Reparasi Komputer dan Barang Keperluan Pribadi dan Perlengkapan Rumah Tangga",
        "Repair of computers and personal and household goods",
    ),
    div(
        "96",
        "S",
        "Aktivitas Jasa Perorangan Lainnya",
        "Other personal service activities",
    ),
    // T
    div(
        "97",
        "T",
        "Aktivitas Rumah Tangga sebagai Pemberi Kerja dari Personil Domestik",
        "Activities of households as employers of domestic personnel",
    ),
    div(
        "98",
        "T",
        "Aktivitas yang Menghasilkan Barang dan Jasa oleh Rumah Tangga yang Digunakan untuk \
         Memenuhi Kebutuhan Sendiri",
        "Undifferentiated goods- and services-producing activities of private households for own \
         use",
    ),
    // U
    div(
        "99",
        "U",
        "Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya",
        "Activities of extraterritorial organizations and bodies",
    ),
];

/// The section with the given letter.
pub fn section(code: &str) -> Option<&'static KbliSection> {
    SECTIONS.iter().find(|section| section.code == code)
}

/// The division with the given 2-digit code.
pub fn division(code: &str) -> Option<&'static KbliDivision> {
    DIVISIONS.iter().find(|division| division.code == code)
}

/// The section of a KBLI code of any depth (2 to 5 digits), by its first two digits.
pub fn section_of(code: &str) -> Option<&'static KbliSection> {
    if !(2..=5).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The length check above counted bytes and every byte is an ASCII digit, so slicing at
    // 2 cannot split a character.
    division(&code[..2]).and_then(|division| section(division.section))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_a_kbli_code() {
        // A company's section is read back as `KbliCode`.
        for code in SECTIONS
            .iter()
            .map(|s| s.code)
            .chain(DIVISIONS.iter().map(|d| d.code))
        {
            let parsed = crate::domain::KbliCode::parse(code).expect(code);
            assert_eq!(parsed.as_str(), code);
        }
    }

    #[test]
    fn twenty_one_sections_a_to_u_in_order() {
        assert_eq!(SECTIONS.len(), 21);
        for (section, letter) in SECTIONS.iter().zip('A'..='U') {
            assert_eq!(section.code, letter.to_string());
            assert!(!section.name_id.is_empty() && !section.name_en.is_empty());
        }
    }

    #[test]
    fn section_names_follow_domain_reference() {
        assert_eq!(section("C").map(|s| s.name_id), Some("Industri Pengolahan"));
        assert_eq!(
            section("E").map(|s| s.name_id),
            Some(
                "Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, \
                 dan Aktivitas Remediasi"
            )
        );
        assert_eq!(
            section("N").map(|s| s.name_id),
            Some(
                "Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen \
                 Perjalanan dan Penunjang Usaha Lainnya"
            )
        );
    }

    #[test]
    fn eighty_eight_divisions_unique_ascending_in_existing_sections() {
        assert_eq!(DIVISIONS.len(), 88);
        let codes: HashSet<&str> = DIVISIONS.iter().map(|d| d.code).collect();
        assert_eq!(codes.len(), 88);
        for pair in DIVISIONS.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for division in DIVISIONS {
            assert_eq!(division.code.len(), 2, "{division:?}");
            assert!(
                division.code.bytes().all(|b| b.is_ascii_digit()),
                "{division:?}"
            );
            assert!(section(division.section).is_some(), "{division:?}");
            assert!(!division.name_id.is_empty() && !division.name_en.is_empty());
        }
    }

    #[test]
    fn divisions_follow_isic_section_ranges() {
        let ranges: [(&str, u8, u8); 21] = [
            ("A", 1, 3),
            ("B", 5, 9),
            ("C", 10, 33),
            ("D", 35, 35),
            ("E", 36, 39),
            ("F", 41, 43),
            ("G", 45, 47),
            ("H", 49, 53),
            ("I", 55, 56),
            ("J", 58, 63),
            ("K", 64, 66),
            ("L", 68, 68),
            ("M", 69, 75),
            ("N", 77, 82),
            ("O", 84, 84),
            ("P", 85, 85),
            ("Q", 86, 88),
            ("R", 90, 93),
            ("S", 94, 96),
            ("T", 97, 98),
            ("U", 99, 99),
        ];
        for division in DIVISIONS {
            let number: u8 = division.code.parse().expect("division code is numeric");
            let (expected, _, _) = ranges
                .iter()
                .find(|(_, low, high)| (*low..=*high).contains(&number))
                .expect("division falls in a section range");
            assert_eq!(division.section, *expected, "{division:?}");
        }
        // Every section owns at least one division, so the ranges above cover the whole table.
        for section in SECTIONS {
            assert!(
                DIVISIONS.iter().any(|d| d.section == section.code),
                "{section:?}"
            );
        }
    }

    #[test]
    fn names_have_no_stray_whitespace() {
        let names = SECTIONS
            .iter()
            .flat_map(|s| [s.name_id, s.name_en])
            .chain(DIVISIONS.iter().flat_map(|d| [d.name_id, d.name_en]));
        for name in names {
            assert_eq!(name, name.trim());
            assert!(!name.contains("  "), "{name:?}");
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(section("G").map(|s| s.code), Some("G"));
        assert_eq!(section("V"), None);
        assert_eq!(section("g"), None);
        assert_eq!(division("10").map(|d| d.name_id), Some("Industri Makanan"));
        assert_eq!(division("04"), None);
        assert_eq!(division("1"), None);
    }

    #[test]
    fn section_of_codes_of_any_depth() {
        assert_eq!(section_of("47111").map(|s| s.code), Some("G"));
        assert_eq!(section_of("01").map(|s| s.code), Some("A"));
        assert_eq!(section_of("012").map(|s| s.code), Some("A"));
        assert_eq!(section_of("0126").map(|s| s.code), Some("A"));
        assert_eq!(section_of("01262").map(|s| s.code), Some("A"));
        assert_eq!(section_of("85").map(|s| s.code), Some("P"));
        assert_eq!(section_of("99000").map(|s| s.code), Some("U"));
    }

    #[test]
    fn section_of_rejects_junk() {
        for junk in [
            "", "4", "AB", "00", "04111", "471111", "47a", " 47", "47 ", "４７",
        ] {
            assert_eq!(section_of(junk), None, "{junk:?}");
        }
    }
}
