//! KBJI 2014 (Klasifikasi Baku Jabatan Indonesia), the occupation classification drawn up by
//! Kemnaker and BPS with its structure taken from ISCO-08.
//!
//! Only the ten major groups and a list of common job titles are stored. The titles are
//! classified at the 4-digit unit group (sub-golongan) rather than at the 6-digit jabatan code
//! (`NNNN.NN`), because the official list of jabatan was not available to us; the IPK III/3 and
//! III/5 tables only need the major group, and the unit group can be refined to a jabatan later
//! without changing the major group.

use crate::web::Lang;

/// One of the ten KBJI 2014 major groups (golongan pokok).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbjiMajorGroup {
    /// "0".."9".
    pub code: &'static str,
    pub name_id: &'static str,
    pub name_en: &'static str,
}

impl KbjiMajorGroup {
    /// The group's name in the reader's language.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Id => self.name_id,
            Lang::En => self.name_en,
        }
    }
}

/// Ordered by code, so that the group with code `d` sits at index `d`:
/// `KbjiOccupation::major_group` relies on this, and a compile-time check below enforces it.
pub const MAJOR_GROUPS: &[KbjiMajorGroup] = &[
    KbjiMajorGroup {
        code: "0",
        name_id: "TNI dan Polri",
        // ISCO-08 group 0 covers the armed forces only; KBJI also puts the police (Polri) here.
        name_en: "Armed forces and police occupations",
    },
    KbjiMajorGroup {
        code: "1",
        name_id: "Manajer",
        name_en: "Managers",
    },
    KbjiMajorGroup {
        code: "2",
        name_id: "Profesional",
        name_en: "Professionals",
    },
    KbjiMajorGroup {
        code: "3",
        name_id: "Teknisi dan Asisten Profesional",
        name_en: "Technicians and associate professionals",
    },
    KbjiMajorGroup {
        code: "4",
        name_id: "Tenaga Tata Usaha",
        name_en: "Clerical support workers",
    },
    KbjiMajorGroup {
        code: "5",
        name_id: "Tenaga Usaha Jasa dan Tenaga Penjualan",
        name_en: "Service and sales workers",
    },
    KbjiMajorGroup {
        code: "6",
        name_id: "Pekerja Terampil Pertanian, Kehutanan dan Perikanan",
        name_en: "Skilled agricultural, forestry and fishery workers",
    },
    KbjiMajorGroup {
        code: "7",
        name_id: "Pekerja Pengolahan, Kerajinan dan YBDI",
        name_en: "Craft and related trades workers",
    },
    KbjiMajorGroup {
        code: "8",
        name_id: "Operator dan Perakit Mesin",
        name_en: "Plant and machine operators, and assemblers",
    },
    KbjiMajorGroup {
        code: "9",
        name_id: "Pekerja Kasar",
        name_en: "Elementary occupations",
    },
];

/// A common job title, classified at the 4-digit KBJI 2014 unit group (sub-golongan),
/// which follows the ISCO-08 unit group of the same number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbjiOccupation {
    /// Four ASCII digits, e.g. "2514".
    pub code: &'static str,
    pub title_id: &'static str,
    pub title_en: &'static str,
}

// Keeps each entry of the table below on one line.
const fn occ(code: &'static str, title_id: &'static str, title_en: &'static str) -> KbjiOccupation {
    KbjiOccupation {
        code,
        title_id,
        title_en,
    }
}

/// Job titles as they appear in vacancies around Binjai and Medan. Several titles may share a
/// unit group; where a title could fit more than one, the usual ISCO-08 index entry was chosen
/// and the reason is noted next to it.
pub const OCCUPATIONS: &[KbjiOccupation] = &[
    // 0 TNI dan Polri. KBJI keeps the police here (ISCO-08 would put them in 5412), so Polri
    // ranks share the armed-forces unit groups.
    occ("0110", "Perwira TNI", "Armed forces officer"),
    occ("0110", "Perwira Polri", "Police officer (commissioned)"),
    occ(
        "0210",
        "Bintara TNI",
        "Armed forces non-commissioned officer",
    ),
    occ("0210", "Bintara Polri", "Police non-commissioned officer"),
    occ("0310", "Tamtama TNI", "Armed forces private"),
    occ("0310", "Tamtama Polri", "Police constable"),
    // 1 Manajer
    occ("1120", "Direktur Utama", "Managing director"),
    occ("1211", "Manajer Keuangan", "Finance manager"),
    occ("1212", "Manajer HRD", "Human resource manager"),
    occ("1221", "Manajer Pemasaran", "Marketing manager"),
    occ("1221", "Manajer Penjualan", "Sales manager"),
    occ("1222", "Manajer Humas", "Public relations manager"),
    occ("1311", "Manajer Kebun", "Plantation manager"),
    occ("1311", "Asisten Afdeling", "Plantation division manager"),
    occ("1321", "Manajer Pabrik", "Factory manager"),
    occ(
        "1323",
        "Manajer Proyek Konstruksi",
        "Construction project manager",
    ),
    // A warehouse head runs the stock function rather than doing clerical work.
    occ("1324", "Kepala Gudang", "Warehouse manager"),
    occ("1324", "Manajer Logistik", "Logistics manager"),
    occ("1330", "Manajer TI", "ICT manager"),
    occ("1345", "Kepala Sekolah", "School principal"),
    occ("1346", "Kepala Cabang Bank", "Bank branch manager"),
    occ("1411", "Manajer Hotel", "Hotel manager"),
    occ("1412", "Manajer Restoran", "Restaurant manager"),
    occ("1420", "Kepala Toko", "Store manager"),
    // 2 Profesional
    occ(
        "2132",
        "Penyuluh Pertanian",
        "Agricultural extension officer",
    ),
    occ("2132", "Agronomis Perkebunan", "Plantation agronomist"),
    occ("2142", "Insinyur Sipil", "Civil engineer"),
    occ("2144", "Insinyur Mesin", "Mechanical engineer"),
    occ("2151", "Insinyur Listrik", "Electrical engineer"),
    occ("2161", "Arsitek", "Architect"),
    occ("2163", "Desainer Busana", "Fashion designer"),
    occ("2165", "Surveyor Pemetaan", "Land surveyor"),
    occ("2166", "Desainer Grafis", "Graphic designer"),
    occ("2211", "Dokter Umum", "General practitioner"),
    occ("2212", "Dokter Spesialis", "Medical specialist"),
    // A nurse with the professional (Ners) qualification; D3 nurses are "Perawat Vokasi".
    occ("2221", "Perawat", "Nurse"),
    // Most Indonesian midwives hold a D3; the title still follows the ISCO index entry
    // "midwife", and an assistant midwife would go to 3222.
    occ("2222", "Bidan", "Midwife"),
    occ("2250", "Dokter Hewan", "Veterinarian"),
    occ("2261", "Dokter Gigi", "Dentist"),
    occ("2262", "Apoteker", "Pharmacist"),
    occ(
        "2263",
        "Ahli K3",
        "Occupational health and safety specialist",
    ),
    occ("2264", "Fisioterapis", "Physiotherapist"),
    occ("2265", "Ahli Gizi", "Dietician"),
    occ("2310", "Dosen", "University lecturer"),
    // SMK teachers of vocational subjects; SMK teachers of general subjects count as 2330.
    occ("2320", "Guru Produktif SMK", "Vocational school teacher"),
    occ(
        "2320",
        "Instruktur Pelatihan Kerja",
        "Vocational training instructor",
    ),
    occ("2330", "Guru SMP", "Junior secondary school teacher"),
    occ("2330", "Guru SMA", "Senior secondary school teacher"),
    occ("2341", "Guru SD", "Primary school teacher"),
    occ("2342", "Guru TK", "Kindergarten teacher"),
    occ("2342", "Guru PAUD", "Early childhood educator"),
    occ("2352", "Guru SLB", "Special needs teacher"),
    occ("2353", "Guru Les Bahasa Inggris", "English language tutor"),
    occ("2354", "Guru Les Musik", "Music teacher"),
    occ("2359", "Tentor Bimbingan Belajar", "Private tutor"),
    occ("2411", "Akuntan", "Accountant"),
    occ("2411", "Auditor", "Auditor"),
    occ("2412", "Perencana Keuangan", "Financial planner"),
    occ("2413", "Analis Kredit", "Credit analyst"),
    occ("2423", "Staf HRD", "Human resources officer"),
    occ("2424", "Trainer", "Training officer"),
    occ("2431", "Staf Pemasaran", "Marketing officer"),
    occ(
        "2431",
        "Spesialis Pemasaran Digital",
        "Digital marketing specialist",
    ),
    // Follows the ESCO mapping of social media managers to public relations.
    occ("2432", "Admin Media Sosial", "Social media administrator"),
    occ("2432", "Staf Humas", "Public relations officer"),
    occ(
        "2433",
        "Medical Representative",
        "Medical sales representative",
    ),
    occ("2511", "Analis Sistem", "Systems analyst"),
    occ("2511", "Analis Data", "Data analyst"),
    occ("2512", "Pengembang Perangkat Lunak", "Software developer"),
    occ("2513", "Pengembang Web", "Web developer"),
    occ("2514", "Programmer", "Applications programmer"),
    occ(
        "2514",
        "Pengembang Aplikasi Mobile",
        "Mobile application developer",
    ),
    occ("2519", "Penguji Perangkat Lunak", "Software tester"),
    occ("2521", "Administrator Basis Data", "Database administrator"),
    occ("2522", "Administrator Sistem", "Systems administrator"),
    occ("2523", "Network Engineer", "Computer network engineer"),
    occ("2611", "Advokat", "Lawyer"),
    occ("2619", "Notaris", "Notary"),
    occ("2621", "Arsiparis", "Archivist"),
    occ("2622", "Pustakawan", "Librarian"),
    occ("2634", "Psikolog", "Psychologist"),
    occ("2635", "Pekerja Sosial", "Social worker"),
    occ("2641", "Penulis Konten", "Content writer"),
    occ("2642", "Wartawan", "Journalist"),
    occ("2643", "Penerjemah", "Translator"),
    occ("2656", "Penyiar Radio", "Radio announcer"),
    // 3 Teknisi dan Asisten Profesional
    occ("3111", "Analis Laboratorium", "Chemical laboratory analyst"),
    occ("3112", "Teknisi Sipil", "Civil engineering technician"),
    occ(
        "3113",
        "Teknisi Listrik",
        "Electrical engineering technician",
    ),
    occ("3118", "Drafter", "Draughtsperson"),
    occ("3122", "Supervisor Produksi", "Production supervisor"),
    occ("3123", "Mandor Bangunan", "Construction supervisor"),
    occ(
        "3132",
        "Operator Pengolahan Air",
        "Water treatment plant operator",
    ),
    occ("3211", "Radiografer", "Radiographer"),
    occ("3212", "Analis Kesehatan", "Medical laboratory technician"),
    occ("3213", "Asisten Apoteker", "Pharmacist assistant"),
    occ("3214", "Tekniker Gigi", "Dental technician"),
    occ("3221", "Perawat Vokasi", "Associate nurse"),
    occ("3251", "Asisten Dokter Gigi", "Dental assistant"),
    occ("3252", "Perekam Medis", "Medical records officer"),
    occ("3254", "Refraksionis Optisien", "Dispensing optician"),
    occ(
        "3257",
        "Petugas HSE",
        "Health, safety and environment officer",
    ),
    occ("3312", "Mantri Kredit", "Loan officer"),
    occ("3313", "Staf Akuntansi", "Accounting officer"),
    occ("3315", "Juru Taksir", "Valuer"),
    occ("3321", "Agen Asuransi", "Insurance agent"),
    // "Sales" in Indonesian ads usually means selling to shops and businesses; selling to
    // households door to door is "Sales Keliling" (5243).
    occ("3322", "Sales Marketing", "Sales representative"),
    occ("3322", "Sales Kanvas", "Canvassing sales representative"),
    occ("3323", "Staf Purchasing", "Purchasing officer"),
    occ(
        "3331",
        "Staf Freight Forwarding",
        "Freight forwarding agent",
    ),
    occ("3332", "Event Organizer", "Event planner"),
    occ("3334", "Agen Properti", "Real estate agent"),
    occ("3341", "Kepala Tata Usaha", "Office supervisor"),
    occ("3343", "Sekretaris Direksi", "Executive secretary"),
    occ("3411", "Paralegal", "Paralegal"),
    occ("3412", "Pendamping Sosial", "Social work assistant"),
    occ("3422", "Pelatih Olahraga", "Sports coach"),
    occ("3423", "Instruktur Kebugaran", "Fitness instructor"),
    occ("3431", "Fotografer", "Photographer"),
    occ("3432", "Desainer Interior", "Interior designer"),
    occ("3434", "Kepala Dapur", "Head chef"),
    occ("3511", "Operator Komputer", "Computer operator"),
    occ("3512", "IT Support", "ICT user support technician"),
    occ(
        "3513",
        "Teknisi Jaringan Komputer",
        "Computer network technician",
    ),
    occ("3514", "Admin Website", "Web administrator"),
    occ("3521", "Videografer", "Videographer"),
    // 4 Tenaga Tata Usaha
    occ("4110", "Staf Administrasi", "Administrative clerk"),
    occ("4120", "Sekretaris", "Secretary"),
    occ("4132", "Staf Entri Data", "Data entry clerk"),
    occ("4211", "Teller Bank", "Bank teller"),
    occ("4214", "Kolektor", "Debt collector"),
    occ("4221", "Staf Tiket Perjalanan", "Travel ticketing clerk"),
    occ("4222", "Agen Call Center", "Call centre agent"),
    occ(
        "4222",
        "Customer Service Online",
        "Online customer service agent",
    ),
    occ("4223", "Operator Telepon", "Telephone operator"),
    occ("4224", "Resepsionis Hotel", "Hotel receptionist"),
    occ("4225", "Customer Service", "Customer service officer"),
    occ("4226", "Resepsionis", "Receptionist"),
    occ("4227", "Pencacah Survei", "Survey interviewer"),
    occ(
        "4229",
        "Petugas Pendaftaran Pasien",
        "Patient registration clerk",
    ),
    occ("4311", "Admin Keuangan", "Finance clerk"),
    occ("4312", "Admin Kredit", "Loan administration clerk"),
    occ("4313", "Staf Penggajian", "Payroll clerk"),
    occ("4321", "Admin Gudang", "Stock clerk"),
    occ("4321", "Checker Gudang", "Warehouse checker"),
    occ("4322", "Admin Produksi", "Production clerk"),
    occ("4323", "Admin Ekspedisi", "Transport clerk"),
    occ("4411", "Petugas Perpustakaan", "Library clerk"),
    occ("4412", "Petugas Sortir Paket", "Parcel sorting clerk"),
    occ("4415", "Petugas Arsip", "Filing clerk"),
    occ("4416", "Admin Personalia", "Personnel clerk"),
    // 5 Tenaga Usaha Jasa dan Tenaga Penjualan
    occ("5113", "Pemandu Wisata", "Tour guide"),
    occ("5120", "Juru Masak", "Cook"),
    occ("5131", "Pelayan Restoran", "Waiter"),
    // ISCO-08 lists baristas under bartenders.
    occ("5132", "Barista", "Barista"),
    occ("5141", "Kapster Salon", "Hairdresser"),
    occ("5141", "Tukang Pangkas Rambut", "Barber"),
    occ("5142", "Beautician", "Beautician"),
    occ("5142", "Perias Pengantin", "Bridal make-up artist"),
    occ("5151", "Supervisor Housekeeping", "Housekeeping supervisor"),
    occ("5153", "Penjaga Sekolah", "School caretaker"),
    occ("5164", "Groomer Hewan", "Pet groomer"),
    occ("5165", "Instruktur Mengemudi", "Driving instructor"),
    occ("5211", "Penjaga Kios Pasar", "Market stall salesperson"),
    occ("5212", "Penjual Makanan Keliling", "Street food seller"),
    occ("5222", "Supervisor Toko", "Shop supervisor"),
    occ("5223", "Pramuniaga", "Shop sales assistant"),
    occ("5223", "Penjaga Toko", "Shop attendant"),
    occ("5223", "Store Crew Minimarket", "Convenience store crew"),
    occ("5223", "Sales Counter", "Showroom sales assistant"),
    occ("5230", "Kasir", "Cashier"),
    occ("5230", "Petugas Loket Tiket", "Ticket clerk"),
    occ("5242", "SPG/SPB", "Sales promoter"),
    occ("5243", "Sales Keliling", "Door-to-door salesperson"),
    occ("5244", "Telemarketing", "Telemarketer"),
    occ("5245", "Operator SPBU", "Petrol station attendant"),
    occ(
        "5246",
        "Crew Restoran Cepat Saji",
        "Fast food counter attendant",
    ),
    occ("5311", "Pengasuh Anak", "Babysitter"),
    occ("5312", "Asisten Guru", "Teacher's aide"),
    occ("5321", "Asisten Perawat", "Nursing aide"),
    occ("5322", "Perawat Lansia", "Elderly caregiver"),
    occ("5411", "Petugas Pemadam Kebakaran", "Firefighter"),
    occ("5413", "Petugas Pemasyarakatan", "Prison guard"),
    occ("5414", "Satpam", "Security guard"),
    // 6 Pekerja Terampil Pertanian, Kehutanan dan Perikanan
    occ("6111", "Petani Padi", "Rice farmer"),
    occ("6111", "Petani Sayur", "Vegetable grower"),
    occ("6112", "Pekebun Kelapa Sawit", "Oil palm grower"),
    // Harvesting with a pole sickle (dodos/egrek) is a skilled task, unlike general upkeep
    // (weeding, spreading fertiliser), which is "Buruh Kebun Kelapa Sawit" (9211).
    occ("6112", "Pemanen Kelapa Sawit", "Oil palm harvester"),
    occ("6112", "Penyadap Karet", "Rubber tapper"),
    occ("6113", "Tukang Taman", "Gardener"),
    occ("6121", "Peternak Sapi", "Cattle farmer"),
    occ("6122", "Peternak Ayam", "Poultry farmer"),
    occ("6210", "Pekerja Kehutanan", "Forestry worker"),
    occ("6221", "Pembudidaya Ikan", "Fish farmer"),
    occ("6222", "Nelayan", "Fisher"),
    // 7 Pekerja Pengolahan, Kerajinan dan YBDI
    occ("7111", "Tukang Bangunan", "House builder"),
    occ("7112", "Tukang Batu", "Mason"),
    occ("7114", "Tukang Cor Beton", "Concrete placer"),
    occ("7115", "Tukang Kayu", "Carpenter"),
    occ("7119", "Tukang Perancah", "Scaffolder"),
    occ("7121", "Tukang Atap", "Roofer"),
    occ("7122", "Tukang Keramik", "Tile setter"),
    occ("7123", "Tukang Plester", "Plasterer"),
    occ("7125", "Tukang Kaca", "Glazier"),
    occ("7126", "Tukang Ledeng", "Plumber"),
    occ("7127", "Teknisi AC", "Air conditioning technician"),
    occ("7131", "Tukang Cat", "Painter"),
    occ("7132", "Tukang Cat Mobil", "Vehicle spray painter"),
    occ("7212", "Tukang Las", "Welder"),
    occ("7213", "Tukang Ketok Bodi Mobil", "Panel beater"),
    occ("7214", "Tukang Besi Beton", "Reinforcing iron worker"),
    occ("7223", "Operator Mesin Bubut", "Lathe operator"),
    occ("7231", "Mekanik Mobil", "Car mechanic"),
    occ("7231", "Mekanik Sepeda Motor", "Motorcycle mechanic"),
    occ("7233", "Mekanik Alat Berat", "Heavy equipment mechanic"),
    occ(
        "7233",
        "Teknisi Perawatan Mesin",
        "Industrial machinery maintenance fitter",
    ),
    occ("7313", "Tukang Emas", "Goldsmith"),
    occ("7318", "Penenun Songket", "Songket weaver"),
    occ(
        "7322",
        "Operator Digital Printing",
        "Digital printing operator",
    ),
    occ(
        "7322",
        "Operator Mesin Cetak Offset",
        "Offset press operator",
    ),
    occ("7411", "Tukang Listrik", "Building electrician"),
    occ("7412", "Teknisi Listrik Industri", "Industrial electrician"),
    occ("7413", "Teknisi Jaringan Listrik", "Electrical line worker"),
    occ("7421", "Teknisi Elektronika", "Electronics technician"),
    occ("7422", "Teknisi Komputer", "Computer repair technician"),
    occ(
        "7422",
        "Teknisi Servis Handphone",
        "Mobile phone repair technician",
    ),
    occ("7422", "Teknisi Fiber Optik", "Fibre optic installer"),
    occ("7511", "Tukang Potong Daging", "Butcher"),
    occ("7512", "Tukang Roti", "Baker"),
    occ("7512", "Pembuat Kue", "Pastry cook"),
    // Graders at palm-oil mills who sort fresh fruit bunches on arrival.
    occ("7515", "Grader Buah Sawit", "Oil palm fruit grader"),
    occ("7522", "Tukang Mebel", "Furniture maker"),
    // A tailor makes whole garments to measure; a garment factory machinist is "Operator
    // Jahit" (8153).
    occ("7531", "Penjahit", "Tailor"),
    occ("7532", "Pembuat Pola Pakaian", "Garment pattern maker"),
    occ("7533", "Tukang Bordir", "Embroiderer"),
    occ("7534", "Tukang Jok", "Upholsterer"),
    occ("7543", "Staf Quality Control", "Quality control inspector"),
    occ("7544", "Teknisi Pest Control", "Pest control technician"),
    // 8 Operator dan Perakit Mesin
    occ(
        "8114",
        "Operator Batching Plant",
        "Concrete batching plant operator",
    ),
    occ(
        "8141",
        "Operator Pabrik Karet Remah",
        "Crumb rubber plant operator",
    ),
    occ(
        "8142",
        "Operator Mesin Injeksi Plastik",
        "Plastic injection moulding operator",
    ),
    occ("8153", "Operator Jahit", "Sewing machine operator"),
    occ("8157", "Operator Laundry", "Laundry machine operator"),
    occ(
        "8160",
        "Operator Produksi Makanan",
        "Food production machine operator",
    ),
    occ(
        "8160",
        "Operator Pabrik Kelapa Sawit",
        "Palm oil mill operator",
    ),
    occ("8172", "Operator Penggergajian Kayu", "Sawmill operator"),
    occ("8182", "Operator Boiler", "Boiler operator"),
    occ(
        "8183",
        "Operator Mesin Pengemasan",
        "Packing machine operator",
    ),
    // The unspecified "Operator Produksi" of factory ads, when the plant is not named.
    occ("8189", "Operator Produksi", "Production machine operator"),
    occ("8212", "Perakit Elektronik", "Electronics assembler"),
    occ("8219", "Operator Perakitan", "Assembly line operator"),
    occ("8311", "Masinis", "Train driver"),
    occ("8321", "Pengemudi Ojek", "Motorcycle taxi driver"),
    occ("8322", "Pengemudi", "Driver"),
    occ("8322", "Sopir Pribadi", "Personal driver"),
    occ("8331", "Sopir Bus", "Bus driver"),
    occ("8331", "Sopir Angkot", "Minibus driver"),
    occ("8332", "Sopir Truk", "Truck driver"),
    occ("8332", "Sopir Truk Tangki", "Tanker truck driver"),
    occ("8341", "Operator Traktor", "Tractor operator"),
    occ("8342", "Operator Excavator", "Excavator operator"),
    occ("8342", "Operator Alat Berat", "Heavy equipment operator"),
    occ("8343", "Operator Crane", "Crane operator"),
    occ("8344", "Operator Forklift", "Forklift operator"),
    occ("8350", "Anak Buah Kapal", "Ship's deck crew"),
    // 9 Pekerja Kasar
    occ("9111", "Asisten Rumah Tangga", "Domestic helper"),
    // Office boys and girls mostly clean, with errands on the side.
    occ("9112", "Office Boy/Office Girl", "Office helper"),
    occ("9112", "Cleaning Service", "Office cleaner"),
    occ("9112", "Room Attendant Hotel", "Hotel room attendant"),
    occ("9121", "Tukang Setrika", "Presser"),
    // "Doorsmeer" is the North Sumatran word for a car and motorcycle wash.
    occ("9122", "Karyawan Doorsmeer", "Vehicle washer"),
    occ("9211", "Buruh Tani", "Farm labourer"),
    occ(
        "9211",
        "Buruh Kebun Kelapa Sawit",
        "Oil palm plantation labourer",
    ),
    occ("9212", "Anak Kandang", "Livestock farm labourer"),
    occ("9312", "Buruh Proyek Jalan", "Road construction labourer"),
    occ("9313", "Buruh Bangunan", "Building construction labourer"),
    occ("9321", "Tenaga Packing", "Hand packer"),
    occ("9329", "Buruh Pabrik", "Factory labourer"),
    occ("9333", "Helper Gudang", "Warehouse helper"),
    occ("9333", "Buruh Bongkar Muat", "Loader"),
    // The truck driver's mate loads and unloads the cargo.
    occ("9333", "Kernet Truk", "Truck driver's mate"),
    // Retail merchandisers restock and arrange shelves for a supplier.
    occ("9334", "Merchandiser", "Shelf filler"),
    occ("9412", "Asisten Juru Masak", "Kitchen helper"),
    occ("9412", "Pencuci Piring", "Dishwasher"),
    occ("9611", "Petugas Pengangkut Sampah", "Garbage collector"),
    occ("9613", "Penyapu Jalan", "Street sweeper"),
    occ("9621", "Kurir", "Courier"),
    occ("9622", "Pekerja Serabutan", "Odd-job worker"),
    occ("9623", "Petugas Pencatat Meter", "Meter reader"),
    occ("9629", "Juru Parkir", "Parking attendant"),
];

// Checked when the crate is compiled, so that `KbjiOccupation::major_group` can index
// `MAJOR_GROUPS` by digit for every entry of `OCCUPATIONS` without a run-time failure path.
const _: () = {
    assert!(MAJOR_GROUPS.len() == 10, "KBJI has ten major groups");
    let mut i = 0;
    let mut digit = b'0';
    while i < MAJOR_GROUPS.len() {
        let code = MAJOR_GROUPS[i].code.as_bytes();
        assert!(
            code.len() == 1 && code[0] == digit,
            "MAJOR_GROUPS must be 0..9 in order"
        );
        i += 1;
        digit += 1;
    }
    let mut j = 0;
    while j < OCCUPATIONS.len() {
        assert!(
            is_unit_group_code(OCCUPATIONS[j].code),
            "occupation codes are four ASCII digits"
        );
        j += 1;
    }
};

const fn is_unit_group_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.len() != 4 {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            return false;
        }
        i += 1;
    }
    true
}

/// The major group with the given 1-digit code.
pub fn major_group(code: &str) -> Option<&'static KbjiMajorGroup> {
    MAJOR_GROUPS.iter().find(|group| group.code == code)
}

/// The first listed occupation with the given 4-digit unit-group code.
pub fn occupation(code: &str) -> Option<&'static KbjiOccupation> {
    OCCUPATIONS
        .iter()
        .find(|occupation| occupation.code == code)
}

impl KbjiOccupation {
    /// The major group named by the first digit of the code.
    ///
    /// # Panics
    ///
    /// If the code does not start with an ASCII digit. Every entry of [`OCCUPATIONS`] is
    /// checked at compile time, so this can only happen for a value built by hand.
    pub fn major_group(&self) -> &'static KbjiMajorGroup {
        match self.code.as_bytes().first() {
            Some(digit) if digit.is_ascii_digit() => &MAJOR_GROUPS[usize::from(digit - b'0')],
            _ => panic!("KBJI code {:?} does not start with a digit", self.code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_stored_code_is_a_kbji_code_of_its_group() {
        // Vacancies and placements read these codes back as `KbjiCode`.
        for code in MAJOR_GROUPS.iter().map(|g| g.code) {
            assert!(crate::domain::KbjiCode::parse(code).is_ok(), "{code}");
        }
        for o in OCCUPATIONS {
            let code = crate::domain::KbjiCode::parse(o.code).expect(o.code);
            assert_eq!(code.as_str(), o.code);
            assert_eq!(code.major_group(), o.major_group().code);
        }
    }

    #[test]
    fn ten_major_groups_with_unique_codes_0_to_9() {
        assert_eq!(MAJOR_GROUPS.len(), 10);
        let codes: HashSet<&str> = MAJOR_GROUPS.iter().map(|group| group.code).collect();
        assert_eq!(codes.len(), 10);
        for (index, group) in MAJOR_GROUPS.iter().enumerate() {
            assert_eq!(group.code, index.to_string());
            assert!(!group.name_id.is_empty() && !group.name_en.is_empty());
        }
    }

    #[test]
    fn major_group_names_follow_domain_reference() {
        let names: Vec<&str> = MAJOR_GROUPS.iter().map(|group| group.name_id).collect();
        assert_eq!(
            names,
            [
                "TNI dan Polri",
                "Manajer",
                "Profesional",
                "Teknisi dan Asisten Profesional",
                "Tenaga Tata Usaha",
                "Tenaga Usaha Jasa dan Tenaga Penjualan",
                "Pekerja Terampil Pertanian, Kehutanan dan Perikanan",
                "Pekerja Pengolahan, Kerajinan dan YBDI",
                "Operator dan Perakit Mesin",
                "Pekerja Kasar",
            ]
        );
    }

    #[test]
    fn occupation_codes_are_four_digits_in_an_existing_major_group() {
        for occupation in OCCUPATIONS {
            assert_eq!(occupation.code.len(), 4, "{occupation:?}");
            assert!(
                occupation.code.bytes().all(|b| b.is_ascii_digit()),
                "{occupation:?}"
            );
            assert!(
                major_group(&occupation.code[..1]).is_some(),
                "{occupation:?}"
            );
            assert!(!occupation.title_id.is_empty() && !occupation.title_en.is_empty());
        }
    }

    #[test]
    fn at_least_170_occupations() {
        assert!(
            OCCUPATIONS.len() >= 170,
            "only {} occupations",
            OCCUPATIONS.len()
        );
    }

    #[test]
    fn titles_are_unique() {
        let mut seen = HashSet::new();
        for occupation in OCCUPATIONS {
            assert!(
                seen.insert(occupation.title_id),
                "duplicate title {:?}",
                occupation.title_id
            );
        }
    }

    #[test]
    fn titles_have_no_stray_whitespace() {
        for occupation in OCCUPATIONS {
            for title in [occupation.title_id, occupation.title_en] {
                assert_eq!(title, title.trim(), "{occupation:?}");
                assert!(!title.contains("  "), "{occupation:?}");
            }
        }
    }

    #[test]
    fn every_major_group_has_an_occupation() {
        for group in MAJOR_GROUPS {
            assert!(
                OCCUPATIONS
                    .iter()
                    .any(|occupation| occupation.major_group() == group),
                "no occupation in major group {}",
                group.code
            );
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(
            major_group("5").map(|group| group.name_id),
            Some("Tenaga Usaha Jasa dan Tenaga Penjualan")
        );
        assert_eq!(
            major_group("0").map(|group| group.name_id),
            Some("TNI dan Polri")
        );
        assert_eq!(major_group("10"), None);
        assert_eq!(major_group(""), None);
        assert_eq!(major_group("A"), None);

        assert_eq!(
            occupation("2514").map(|occupation| occupation.title_id),
            Some("Programmer")
        );
        assert_eq!(
            occupation("8344").map(|occupation| occupation.title_id),
            Some("Operator Forklift")
        );
        assert_eq!(occupation("9999"), None);
        assert_eq!(occupation("251"), None);

        // Lookup returns the first of several titles sharing a unit group.
        assert_eq!(
            occupation("5223").map(|occupation| occupation.title_id),
            Some("Pramuniaga")
        );
    }

    #[test]
    fn occupation_major_group_follows_first_digit() {
        let satpam = OCCUPATIONS
            .iter()
            .find(|occupation| occupation.title_id == "Satpam");
        assert_eq!(
            satpam.map(|occupation| occupation.major_group().code),
            Some("5")
        );
        let polri = OCCUPATIONS
            .iter()
            .find(|occupation| occupation.title_id == "Bintara Polri");
        assert_eq!(
            polri.map(|occupation| occupation.major_group().code),
            Some("0")
        );
    }

    #[test]
    fn common_vacancy_titles_are_present() {
        for title in [
            "Pramuniaga",
            "Kasir",
            "Pengemudi",
            "Satpam",
            "Juru Masak",
            "Operator Forklift",
            "Barista",
            "Penjahit",
            "Tukang Las",
            "Bidan",
            "Perawat",
            "Kurir",
            "Teller Bank",
        ] {
            assert!(
                OCCUPATIONS
                    .iter()
                    .any(|occupation| occupation.title_id == title),
                "{title}"
            );
        }
    }

    #[test]
    #[should_panic(expected = "does not start with a digit")]
    fn hand_built_occupation_with_bad_code_panics() {
        let bad = KbjiOccupation {
            code: "X123",
            title_id: "x",
            title_en: "x",
        };
        let _ = bad.major_group();
    }
}
